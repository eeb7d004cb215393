"""A failing conversation test prints the conversation as it went; pasted back, that test passes."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.cli import main
from simulator.convtest import as_yaml, run_test
from simulator.session import Summary
from simulator.skeleton import skeleton
from simulator.yamlfile import load_yaml

from .helpers import fixture_text, mini_catalog

BASE = fixture_text("mini_scenario.yaml")
BASE_NO_TESTS = BASE[:BASE.index("tests:\n")]


def _with_test(name: str, lang: str, replies: list[str], expect: str, seed: int = 0) -> str:
    seed_line = f"    seed: {seed}\n" if seed else ""
    return (BASE_NO_TESTS + f"tests:\n  - name: {json.dumps(name)}\n    lang: {lang}\n{seed_line}"
            f"    replies: {json.dumps(replies, ensure_ascii=False)}\n    expect: {expect}\n")


AWKWARD = ["- not a list item", "key: value # not a comment", "'quoted' and \"double\"", "yes", "123", "[x]",
           "{a: b}", "@mention `tick` %percent &amp *star !bang |pipe >fold", "  padded  ", "tab\there", "",
           "trailing colon:", "? question", "全角:冒号,以及 Chinese 与 English 混排。"]


@pytest.mark.parametrize(
    ("lang", "replies", "expect", "seed"),
    [
        ("en", ["Hm.", "Great, we work with many companies like yours.", "Can I visit Tuesday at 3pm?"],
         "{states: [booked]}", 0),  # a success, one reply later than expected
        ("zh", ["太好了,我们和很多企业合作。", "周二下午三点我来拜访您?"], "{end: hung_up, outcome: failure}", 3),
        ("en", ["We can give you a discount of 20%.", "ok", "more replies after the end"], "{outcome: success}", 0),
        ("en", AWKWARD, "{states: [listening], min_score: 99}", 0),  # never ends: incomplete
    ],
)
def test_the_printed_conversation_pasted_back_passes(lang, replies, expect, seed):
    catalog = mini_catalog(_with_test("how: it # went", lang, replies, expect, seed))
    scenario = catalog.drill("mini")
    failed = run_test(catalog, scenario, scenario.tests[0])
    assert not failed.passed
    pasted = mini_catalog(BASE_NO_TESTS + "tests:\n" + failed.actual_yaml)
    again = pasted.drill("mini").tests[0]
    assert again.replies == tuple(replies) and again.name == "how: it # went"
    assert again.seed == seed and again.lang == lang
    outcome = run_test(pasted, pasted.drill("mini"), again)
    assert outcome.passed, outcome.difference
    assert outcome.states == failed.states


def test_the_printed_yaml_keeps_the_tests_indentation():
    text = BASE_NO_TESTS + 'tests:\n    - name: x\n      lang: en\n      replies: ["Hm."]\n      expect: {end: booked}\n'
    catalog = mini_catalog(text)
    outcome = run_test(catalog, catalog.drill("mini"), catalog.drill("mini").tests[0])
    assert outcome.actual_yaml.startswith("    - name: x\n      lang: en\n      replies:\n        - Hm.\n")


def test_salesdrill_test_output_pasted_over_the_test_makes_it_pass(tmp_path, capsys):
    """What a trainer does: copy the block under 'as it went', paste it over the failing test, run again."""
    path = tmp_path / "drill.yaml"
    text = skeleton("drill", "busy_manager")
    failing = "    expect: {states: [curious, meeting_booked], outcome: success, min_score: 80}"
    assert text.count(failing) == 2
    path.write_text(text.replace(failing, "    expect: {states: [meeting_booked], outcome: success}", 1),
                    encoding="utf-8")
    assert main(["test", str(path)]) == 1
    out = capsys.readouterr().out.splitlines()
    start = next(i for i, line in enumerate(out) if line.startswith("     as it went")) + 1
    block = []
    for line in out[start:]:
        if not line.startswith("  "):
            break
        block.append(line)
    lines = path.read_text(encoding="utf-8").splitlines()
    first = lines.index("  - name: the success path (zh)")
    last = next(i for i in range(first + 1, len(lines)) if lines[i].startswith("  - "))
    path.write_text("\n".join(lines[:first] + block + lines[last:]) + "\n", encoding="utf-8")
    assert main(["test", str(path)]) == 0
    assert "PASS drill: the success path (zh)" in capsys.readouterr().out


@settings(max_examples=200, deadline=None)
@given(name=st.text(max_size=40), replies=st.lists(st.text(max_size=60), min_size=1, max_size=4),
       seed=st.integers(0, 2**31))
def test_any_text_survives_the_round_trip(name, replies, seed):
    from simulator.scenario import ConversationTest, TestExpectation

    test = ConversationTest(name, "en", tuple(replies), TestExpectation(), seed)
    text = "tests:\n" + as_yaml(test, ("a_state",), Summary("incomplete", None, 0, ()))
    entry = load_yaml(text, "pasted.yaml").data["tests"][0]
    assert entry["name"] == name and entry["replies"] == replies
    assert entry.get("seed", 0) == seed
    assert entry["expect"] == {"states": ["a_state"], "outcome": "incomplete", "min_score": 0}
