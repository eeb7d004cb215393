from __future__ import annotations

import io

import pytest

from simulator.errors import DataFileError
from simulator.evalrun import judge, read_labelled, reports


def test_csv_and_jsonl_are_both_read():
    rows = read_labelled(io.StringIO("drill,reply,label\ngatekeeper,hello,bad\n"), "t.csv")
    assert (rows[0].drill, rows[0].band, rows[0].lang) == ("gatekeeper", "bad", "en")
    rows = read_labelled(io.StringIO('{"drill": "gatekeeper", "reply": "您好", "label": "good"}\n'), "t.jsonl")
    assert (rows[0].band, rows[0].lang, rows[0].principles) == ("good", "zh", None)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("drill,reply,label\ngatekeeper,hello,great\n", "label must be one of"),
        ('{"drill": "gatekeeper", "reply": "x"\n', "not valid JSON"),
        ("drill,label\ngatekeeper,good\n", "header row"),
        ("", "no labelled replies"),
    ],
)
def test_bad_files_are_located_errors(text, words):
    with pytest.raises(DataFileError, match=words):
        read_labelled(io.StringIO(text), "t")


def test_trainer_file_gives_auc(catalog):
    text = (
        "drill,reply,label\n"
        "price_too_high,\"Price matters, we're not the cheapest, but our clients get a lower total cost. "
        "Could I visit Tuesday at 3pm?\",good\n"
        "price_too_high,\"OK, I'll give you a 20% discount\",bad\n"
    )
    [report] = reports(read_labelled(io.StringIO(text), "t.csv"), catalog)
    assert report.auc == 1.0


def test_reply_without_state_is_scored_at_its_best_moment(catalog):
    # The unhappy customer's drill opens expecting let_vent; the lecture's full answer
    # (empathy, amends, meeting) belongs to a later moment and must be scored there.
    reply = ("I understand the problem, and I'd like to make it right. If I were you I'd feel the same. "
             "I'll be near your office on Tuesday; are you free at 3pm?")
    row = read_labelled(io.StringIO(f'{{"drill": "unhappy_customer", "reply": "{reply}", "label": "good"}}\n'),
                        "t.jsonl")
    [(_, judged)] = judge(row, catalog)
    assert judged.score is not None and judged.score >= 80
    pinned = read_labelled(io.StringIO(
        f'{{"drill": "unhappy_customer", "state": "complaint", "reply": "{reply}", "label": "good"}}\n'), "t.jsonl")
    [(_, at_start)] = judge(pinned, catalog)
    assert at_start.score is not None and at_start.score < judged.score
