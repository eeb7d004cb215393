from __future__ import annotations

import pytest

from simulator.errors import DataFileError
from simulator.yamlfile import load_yaml

from .helpers import fixture_text, mini_catalog


def test_positions_are_remembered():
    doc = load_yaml("a: 1\nb:\n  c: [x, y]\n", "f.yaml")
    assert doc.where(("b", "c", 1)) == (3, 10)
    assert doc.where(("b", "missing")) == (2, 1)


def test_on_key_stays_a_name():
    assert load_yaml("on: [1]\n", "f.yaml").data == {"on": [1]}


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("a: [1, 2\nb: 3\n", 1, "never closed"),  # at the '[' to close, not where the parser gave up
        ("a: 1\na: 2\n", 2, "given twice"),
        ("a: !!python/object/apply:os.system ['echo hi']\n", 1, "refused tag"),
        ("a: !!python/name:os.system\n", 1, "refused tag"),
        ("? !!python/name:os.system x\n: 1\n", 1, "refused tag"),
        ("!!python/object:os.Popen k: 1\n", 1, "refused tag"),
        ("", 1, "empty"),
    ],
)
def test_bad_yaml_is_one_located_error(text, line, words):
    with pytest.raises(DataFileError) as caught:
        load_yaml(text, "f.yaml")
    assert caught.value.line == line
    assert words in str(caught.value)
    assert "\n" not in caught.value.one_line()


def test_alias_bomb_is_refused():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n"
    for i in range(1, 9):
        bomb += f"{chr(97 + i)}: &{chr(97 + i)} [*{chr(96 + i)}, *{chr(96 + i)}, *{chr(96 + i)}, *{chr(96 + i)}, *{chr(96 + i)}, *{chr(96 + i)}, *{chr(96 + i)}, *{chr(96 + i)}, *{chr(96 + i)}]\n"
    with pytest.raises(DataFileError, match="alias bomb"):
        load_yaml(bomb, "bomb.yaml")


@pytest.mark.parametrize(
    ("edit", "where", "words"),
    [
        (("    expect: [acknowledge, social_proof]", "    expect: [acknowledge, socail_proof]"),
         "mini.yaml:13:", "did you mean 'social_proof'"),
        (("        go: haggling", "        go: hagling"), "mini.yaml:19:", "did you mean 'haggling'"),
        (("    avoid: [discount, rude]", "    aviod: [discount, rude]"), "mini.yaml:14:", "did you mean 'avoid'"),
        (("start: objection", "start: objektion"), "mini.yaml:6:", "unknown state 'objektion'"),
        (("persona: buyer", "persona: buyr"), "mini.yaml:2:", "did you mean 'buyer'"),
        (("  booked: {end: success,", "  booked: {end: succes,"), "mini.yaml:33:", "success or failure"),
        (("en: [\"We don't need it.\", \"Not interested.\"]}", "}"), "mini.yaml:11:", "no 'en' line"),
    ],
)
def test_scenario_mistakes_point_at_their_line(edit, where, words):
    text = fixture_text("mini_scenario.yaml")
    assert edit[0] in text
    catalog = mini_catalog(text.replace(edit[0], edit[1]), strict=False)
    messages = [str(p) for p in catalog.problems]
    assert any(where in m and words in m for m in messages), messages


def test_every_problem_is_reported_at_once():
    text = fixture_text("mini_scenario.yaml").replace("go: haggling", "go: nowhere").replace(
        "start: objection", "start: nope")
    catalog = mini_catalog(text, strict=False)
    assert len(catalog.problems) >= 2
    assert "mini" not in catalog.scenarios
