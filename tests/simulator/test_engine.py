from __future__ import annotations

import pytest

from simulator.session import Session

from .helpers import fixture_text, mini_catalog


def session(lang="en", seed=0, text=None):
    catalog = mini_catalog(text)
    scenario = catalog.drill("mini")
    return Session(scenario, catalog.persona_of(scenario), catalog.matcher, lang, seed)


def test_good_replies_walk_to_success():
    s = session()
    first = s.respond("Great, we work with many companies like yours.")
    assert (first.move.before, first.move.after, first.move.reason) == ("objection", "listening", "rule")
    assert first.move.moved_by == ("acknowledge", "social_proof")
    s.respond("Can I visit Tuesday at 3pm?")
    assert s.finished and s.close().outcome == "success"


def test_no_rule_holding_keeps_the_state_and_uses_again_lines():
    s = session()
    turn = s.respond("Hmm, okay.")
    assert turn.move.after == "objection"
    assert turn.persona_line == "I said we don't need it."


def test_third_weak_answer_to_the_same_objection_ends_the_call():
    s = session()
    s.respond("hmm")
    s.respond("well")
    assert not s.finished
    third = s.respond("so")
    assert third.move.reason == "tries"
    assert s.state.id == "brushed_off" and s.close().outcome == "failure"


def test_patience_runs_out_on_anti_patterns():
    s = session()
    first = s.respond("you idiot")  # rude costs 2 of 3
    assert first.move.patience_after == 1
    assert first.persona_line.startswith("Mind your tone.")
    second = s.respond("shut up")
    assert second.move.reason == "patience"
    assert s.state.id == "hung_up"


def test_rule_on_anti_pattern():
    s = session()
    turn = s.respond("I can give you a discount")
    assert turn.move.after == "haggling"
    assert turn.move.moved_by == ("discount",)


def test_blank_reply_is_refused():
    s = session()
    with pytest.raises(ValueError):
        s.respond("   ")
    assert s.turns == []


def test_lines_are_seeded_and_replayable():
    lines = {session(seed=seed).opening for seed in range(20)}
    assert lines == {"We don't need it.", "Not interested."}
    assert session(seed=7).opening == session(seed=7).opening


def test_chinese_session_speaks_chinese():
    s = session(lang="zh")
    assert s.opening in ("我们不需要。", "没兴趣。")
    turn = s.respond("太好了,我们和很多企业都有合作")
    assert turn.persona_line == "嗯,然后呢?"


def test_summary_counts_hits_and_misses():
    s = session()
    s.respond("Great!")
    s.respond("Great, we work with many companies like yours.")
    summary = s.close()
    assert summary.outcome == "incomplete"
    assert summary.hit["acknowledge"] == 2
    assert summary.missed["social_proof"] == 1
    assert summary.score == round(sum(t.score for t in summary.turns) / 2)


def test_states_come_from_the_yaml_not_the_code():
    text = fixture_text("mini_scenario.yaml").replace("when: [acknowledge, social_proof]", "when: [acknowledge]")
    s = session(text=text)
    s.respond("Great!")
    assert s.state.id == "listening"


def test_an_annoyed_line_runs_on_without_a_space_in_chinese():
    first = session("zh").respond("你真笨")
    assert first.persona_line.startswith("请注意您的语气。") and "。 " not in first.persona_line
