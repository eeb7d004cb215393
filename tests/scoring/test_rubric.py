from __future__ import annotations

import pytest

from scoring.matcher import Matcher
from scoring.rubric import score_reply
from simulator.library_loader import library_from_docs
from simulator.yamlfile import load_yaml


@pytest.fixture(scope="module")
def matcher(mini_library_text):
    path, text = mini_library_text
    library, _ = library_from_docs([load_yaml(text, path)])
    return Matcher(library)


def test_full_answer_scores_100(matcher):
    result = score_reply("太好了!我们和很多企业都有合作,周二下午三点我来拜访您?",
                         ["acknowledge", "social_proof", "ask_meeting"], matcher)
    assert result.score == 100
    assert result.missed == ()
    assert result.tip_for is None


def test_each_item_is_an_equal_share(matcher):
    result = score_reply("太好了!", ["acknowledge", "social_proof", "ask_meeting"], matcher)
    assert result.score == 33
    assert result.missed == ("social_proof", "ask_meeting")
    assert result.tip_for == "social_proof"  # the first miss, most important first


def test_alternatives_count_once(matcher):
    result = score_reply("太好了!", [("social_proof", "acknowledge")], matcher)
    assert result.score == 100
    assert result.hits == ("acknowledge",)


def test_anti_pattern_penalty_and_tip(matcher):
    result = score_reply("太好了,我们可以打折", ["acknowledge"], matcher)
    assert result.score == 60
    assert result.anti_patterns == ("discount",)
    assert result.tip_for == "discount"


def test_score_is_clamped(matcher):
    result = score_reply("you idiot, I'll give a discount", ["acknowledge"], matcher)
    assert result.score == 0
    assert set(result.anti_patterns) == {"discount", "rude"}


def test_weak_evidence_earns_part(matcher):
    result = score_reply("可以见面吗?您什么时候方便?", ["ask_meeting"], matcher)
    assert result.score == 40
    assert result.missed == ("ask_meeting",)


def test_unexpected_principles_are_listed_not_scored(matcher):
    result = score_reply("太好了,周二下午三点拜访您", ["ask_meeting"], matcher)
    assert result.score == 100
    assert result.also_showed == ("acknowledge",)
