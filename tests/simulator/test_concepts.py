"""Named concepts in principles.yaml: word lists a cue group names as `@name`."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from scoring.matcher import Matcher
from simulator.library_loader import library_from_docs, load_builtin_library_text
from simulator.yamlfile import load_yaml

BASE = """\
concepts:
  rival:
    en: [your supplier, the other lot]
    zh: [那家, 你们现在的供应商]
  running_down:
    en: [useless, a joke]
    zh: [不靠谱, 垃圾]
principles:
  badmouth_competitor:
    kind: anti_pattern
    name: {zh: 诋毁竞争对手, en: Badmouthing}
    tip: {zh: 别说对手坏话, en: Never run down the supplier}
    cues:
      zh:
        - groups: ["@rival", "@running_down"]
          window: 20
      en:
        - groups: ["@rival", ["@running_down", rubbish]]
          window: 30
"""


def _library(*texts: str):
    docs = [load_yaml(text, f"lib{i}.yaml") for i, text in enumerate(texts)]
    return library_from_docs(docs)


def _problems(*texts: str) -> list[str]:
    return [p.one_line() for p in _library(*texts)[1]]


def test_a_group_naming_a_concept_holds_its_words_in_the_cues_language():
    library, problems = _library(BASE)
    assert not problems
    zh, en = library["badmouth_competitor"].cues
    assert zh.groups == (("那家", "你们现在的供应商"), ("不靠谱", "垃圾"))
    assert en.groups == (("your supplier", "the other lot"), ("useless", "a joke", "rubbish"))
    matcher = Matcher(library)
    assert "badmouth_competitor" in matcher.match("Honestly the other lot are a joke").hits()
    assert "badmouth_competitor" in matcher.match("那家的东西真不靠谱").hits()
    assert "badmouth_competitor" not in matcher.match("Your supplier is a fine company").hits()


def test_a_word_a_trainer_adds_to_a_concept_reaches_the_built_in_cues():
    trainer = "concepts:\n  running_down:\n    en: [a rip-off]\n"
    library, problems = _library(BASE, trainer)
    assert not problems
    assert "a rip-off" in library["badmouth_competitor"].cues[1].groups[1]
    assert "badmouth_competitor" in Matcher(library).match("your supplier is a rip-off").hits()
    assert "badmouth_competitor" not in Matcher(_library(BASE)[0]).match("your supplier is a rip-off").hits()


def test_an_unknown_concept_is_named_where_it_is_used_with_the_nearest_one():
    broken = BASE.replace('["@running_down", rubbish]', '["@runing_down", rubbish]')
    (problem,) = _problems(broken)
    assert problem.startswith("lib0.yaml:18:31:")
    assert "unknown concept '@runing_down'; did you mean '@running_down'?" in problem


def test_a_concept_without_the_cues_language_is_a_problem():
    broken = BASE.replace("    zh: [不靠谱, 垃圾]\n", "")
    (problem,) = _problems(broken)
    assert "concept '@running_down' has no zh words" in problem


def test_badly_written_concepts_are_problems_not_crashes():
    problems = _problems(BASE.replace("  rival:", "  Rival-List:"),
                         "concepts:\n  more:\n    en: ['@rival']\n  odd: [a, b]\n  flags:\n    en: [yes]\n")
    assert any("concept name 'Rival-List' must be lower-case" in p for p in problems)
    assert any("a concept lists words, not other concepts" in p for p in problems)
    assert any("concept 'odd' must be a mapping" in p for p in problems)
    assert any("read as true/false" in p for p in problems)
    assert any("unknown concept '@rival'" in p for p in problems)  # the misnamed concept is not defined


def _concepts_block(doc: str) -> str:
    """The one ```yaml block of docs/`doc` that starts with `concepts:`."""
    text = (Path(__file__).resolve().parents[2] / "docs" / doc).read_text(encoding="utf-8")
    (block,) = [b for b in re.findall(r"```yaml\n(.*?)```", text, re.S) if b.lstrip().startswith("concepts:")]
    return textwrap.dedent(block)


def _builtin_and_with(block: str) -> tuple[Matcher, Matcher]:
    """Matchers of the built-in library alone, and with `block` read as a trainer's principles.yaml."""
    path, builtin = load_builtin_library_text()
    library, problems = library_from_docs([load_yaml(builtin, path), load_yaml(block, "mine.yaml")])
    assert not problems
    return Matcher(library_from_docs([load_yaml(builtin, path)])[0]), Matcher(library)


@pytest.mark.parametrize(("doc", "replies"), [
    ("scenario-format.md", ["honestly your supplier are sharks"]),
    ("trainer-guide.md", ["honestly your current supplier is bush league", "你们现在的供应商就是个三脚猫"]),
])
def test_the_documented_concept_examples_work_on_the_built_in_library(doc, replies):
    builtin_only, with_block = _builtin_and_with(_concepts_block(doc))
    for reply in replies:
        assert "badmouth_competitor" not in builtin_only.match(reply).hits()
        assert "badmouth_competitor" in with_block.match(reply).hits()
