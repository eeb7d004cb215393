"""Every built-in drill: its own conversation tests, its model answer, and replies that break the lecture."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from scoring.rubric import score_match
from simulator.convtest import play, run_test
from simulator.loader import builtin_sources, load_catalog

_CATALOG = load_catalog(builtin_sources())
DRILLS = sorted(_CATALOG.scenarios)
TESTS = [(sid, i) for sid in DRILLS for i in range(len(_CATALOG.scenarios[sid].tests))]


def test_built_in_data_has_no_problems():
    assert not _CATALOG.problems, "\n".join(map(str, _CATALOG.problems))


@pytest.mark.parametrize(("drill", "index"), TESTS, ids=[f"{d}:{i}" for d, i in TESTS])
def test_conversation_tests_inside_the_scenario(catalog, drill, index):
    scenario = catalog.drill(drill)
    outcome = run_test(catalog, scenario, scenario.tests[index])
    assert outcome.passed, f"{outcome.test.name}: {outcome.difference}\nas it went:\n{outcome.actual_yaml}"


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("drill", DRILLS)
def test_model_answer_reaches_success_with_every_reply_80_or_more(catalog, drill, lang):
    scenario = catalog.drill(drill)
    session = play(catalog, scenario, lang, scenario.model_answer[lang])
    summary = session.close()
    scores = [(t.score, t.reply[:40]) for t in summary.turns]
    assert summary.outcome == "success", scores
    assert all(score >= 80 for score, _ in scores), scores
    assert len(summary.turns) == len(scenario.model_answer[lang])


def test_every_drill_has_breaking_replies():
    assert sorted(BREAKING) == DRILLS


def test_every_drill_has_the_shape_the_lecture_needs(catalog):
    for scenario in catalog.scenarios.values():
        live = [s for s in scenario.states.values() if not s.is_end]
        assert len(scenario.states) >= 6, scenario.id
        assert scenario.success_ends and scenario.failure_ends, scenario.id
        assert len(scenario.tests) >= 4, scenario.id
        for state in live:
            assert len(state.say.zh) >= 2 and len(state.say.en) >= 2, (scenario.id, state.id)


BREAKING_DIR = Path(__file__).parent / "breaking"
BREAKING = {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(BREAKING_DIR.glob("*.yaml"))}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("drill", sorted(BREAKING))
def test_replies_that_break_the_lecture_score_low_and_fail(catalog, drill, lang):
    scenario = catalog.drill(drill)
    replies = BREAKING[drill][lang]
    state = scenario.states[scenario.start]
    for reply in replies:
        result = score_match(catalog.matcher.match(reply), state.expect, catalog.library)
        assert result.score <= 30, (reply, result.score)
    session = play(catalog, scenario, lang, tuple(replies) * 2)
    assert session.close().outcome == "failure"
