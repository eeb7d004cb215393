from __future__ import annotations

import pytest

from scoring.evaluation import Judged, auc, evaluate


def judged(i, band, score, expected=(), found=(), objection="price_too_high"):
    return Judged(f"r{i}", "en", objection, band, f"reply {i}", score, frozenset(expected), frozenset(found))


def test_auc_counts_ties_half():
    assert auc([90, 80], [10, 80]) == pytest.approx((1 + 1 + 1 + 0.5) / 4)
    assert auc([], [1]) is None


def test_precision_recall_f1_per_id():
    report = evaluate("t", [
        judged(1, "good", 90, {"ask_meeting"}, {"ask_meeting"}),
        judged(2, "good", 80, {"ask_meeting"}, set()),
        judged(3, "bad", 10, set(), {"ask_meeting"}),
    ])
    stats = report.ids["ask_meeting"]
    assert (stats.tp, stats.fp, stats.fn) == (1, 1, 1)
    assert stats.precision == stats.recall == stats.f1 == 0.5


def test_auc_is_within_each_objection():
    report = evaluate("t", [
        judged(1, "good", 50, objection="a"), judged(2, "bad", 40, objection="a"),
        judged(3, "good", 95, objection="b"), judged(4, "bad", 60, objection="b"),
    ])
    assert report.auc == 1.0  # across objections 50 < 60 would be a miss; it is not compared
    assert report.auc_pairs == 2


def test_worst_mistakes_rank_the_most_wrong_first():
    report = evaluate("t", [judged(1, "good", 95), judged(2, "good", 5), judged(3, "bad", 90)])
    assert [j.id for _why, j in report.worst][:2] == ["r2", "r3"]


def test_macro_f1_ignores_rare_ids():
    rows = [judged(i, "good", 90, {"ask_meeting"}, {"ask_meeting"}) for i in range(10)]
    rows.append(judged(99, "good", 90, {"empathy"}, set()))
    report = evaluate("t", rows)
    assert report.macro_f1(["ask_meeting", "empathy"]) == 1.0
