"""An exam over the tiny fixture drill: exam conditions, marks, the attempt row, the signed certificate."""

from __future__ import annotations

import json
import sqlite3

import pytest

from simulator.certification.certificate import check_signature, read_certificate
from simulator.certification.store import Store
from simulator.errors import AttemptsExhaustedError, RepliesFileError

from .helpers import GOOD, KEY, SUITE, exam


def test_a_good_run_passes_and_its_certificate_is_signed(tmp_path):
    db = str(tmp_path / "r.sqlite3")
    result, out = exam(GOOD, db, tmp_path)
    assert (result.status, result.score, result.passed) == ("complete", 100, True)
    document = read_certificate(result.certificate)
    assert check_signature(document, KEY).intact
    payload = document["certificate"]
    assert payload["trainee"] == "Ann" and payload["seed"] == 7 and payload["status"] == "complete"
    assert set(payload["versions"]) == {"salesdrill", "scorer", "library", "drills", "personas"}
    assert payload["versions"]["drills"]["mini"] == payload["drills"][0]["digest"]
    assert set(payload["versions"]["personas"]) == {"buyer"}
    kinds = [r["type"] for r in payload["drills"][0]["transcript"]]
    assert kinds == ["header", "turn", "turn", "summary"]
    assert payload["principles"]["ask_meeting"]["hit"] == 1
    with Store.open(db) as store:
        (attempt,) = store.attempts()
        assert attempt.status == "complete" and attempt.passed and attempt.certificate == result.certificate


def test_no_feedback_until_the_end(tmp_path):
    _result, out = exam(GOOD, str(tmp_path / "r.sqlite3"), tmp_path)
    during, _, after = out.partition("Reply by reply")
    assert "Score" not in during and "Hit" not in during
    assert "[Score 100]" in after and "Overall 100 (pass mark 70): PASSED" in after


def test_hints_and_the_model_answer_are_refused(tmp_path):
    result, out = exam(["/hint", "/model", "/restart", *GOOD], str(tmp_path / "r.sqlite3"), tmp_path)
    assert out.count("is not available in the exam") == 3
    assert "Tuesday at 3pm" not in out.split("Reply by reply")[0].replace(GOOD[1], "")
    assert result.passed


def test_a_late_reply_counts_zero_but_stays_in_the_conversation(tmp_path):
    suite = SUITE.replace("seed: 7", "seed: 7\ntime_limit: 5")
    result, out = exam(GOOD, str(tmp_path / "r.sqlite3"), tmp_path, suite_text=suite, step=10)
    assert out.count("over the 5 s limit") == 4  # as each late reply is sent, and beside its feedback at the end
    assert result.marks[0].outcome == "success" and result.score == 0 and not result.passed
    turns = [r for r in read_certificate(result.certificate)["certificate"]["drills"][0]["transcript"]
             if r["type"] == "turn"]
    assert [(t["score"], t["late"], t["counted"]) for t in turns] == [(100, True, 0), (100, True, 0)]


def test_quitting_stores_an_incomplete_attempt_that_cannot_pass(tmp_path):
    db = str(tmp_path / "r.sqlite3")
    result, out = exam([GOOD[0], "/quit", GOOD[1]], db, tmp_path)
    assert result.status == "incomplete" and not result.passed
    assert "Exam stopped" in out
    with Store.open(db) as store:
        (attempt,) = store.attempts()
        assert attempt.status == "incomplete" and not attempt.interrupted
        assert store.turn_count(attempt.id) == 1


def test_running_out_of_replies_is_incomplete(tmp_path):
    result, _ = exam(GOOD[:1], str(tmp_path / "r.sqlite3"), tmp_path)
    assert result.status == "incomplete"


def test_giving_up_a_drill_fails_it_but_completes_the_exam(tmp_path):
    result, out = exam([GOOD[0], "/next"], str(tmp_path / "r.sqlite3"), tmp_path)
    assert result.status == "complete" and not result.passed
    assert result.marks[0].outcome == "incomplete"


def test_the_attempt_cap(tmp_path):
    db = str(tmp_path / "r.sqlite3")
    suite = SUITE + "max_attempts: 1\n"
    exam(GOOD[:1], db, tmp_path, suite_text=suite)
    with pytest.raises(AttemptsExhaustedError):
        exam(GOOD, db, tmp_path, suite_text=suite, name="second.json")
    assert not (tmp_path / "second.json").exists()


def test_each_turn_is_committed_before_the_next_reply_is_read(tmp_path):
    db = str(tmp_path / "r.sqlite3")
    seen = []

    def replies():
        for reply in GOOD:
            yield reply
            seen.append(sqlite3.connect(db).execute("SELECT count(*) FROM turns").fetchone()[0])

    exam(replies(), db, tmp_path)
    assert seen == [1]  # the exam ends after the second reply: nothing more is read


def test_a_certificate_is_never_overwritten(tmp_path):
    db = str(tmp_path / "r.sqlite3")
    first, _ = exam(GOOD, db, tmp_path)
    second, _ = exam(GOOD, db, tmp_path)
    assert first.certificate != second.certificate
    assert json.loads(open(first.certificate, encoding="utf-8").read())["certificate"]["attempt"] == 1


def test_the_exam_transcript_names_the_trainee_and_the_late_replies(tmp_path, private_data_dir):
    suite = SUITE.replace("seed: 7", "seed: 7\ntime_limit: 5")
    exam(GOOD, str(tmp_path / "r.sqlite3"), tmp_path, suite_text=suite, step=10, transcripts=True)
    (transcript,) = (private_data_dir / "transcripts").glob("*.jsonl")
    records = [json.loads(line) for line in transcript.read_text(encoding="utf-8").splitlines()]
    assert [r["type"] for r in records] == ["header", "turn", "turn", "summary"]
    assert records[0]["trainee"] == "Ann" and records[0]["mode"] == "certify" and records[0]["pass_mark"] == 60
    assert [r["late"] for r in records[1:3]] == [True, True] and records[-1]["exam_score"] == 0


def test_unreadable_input_mid_exam_stores_the_attempt_then_says_so(tmp_path):
    db = str(tmp_path / "r.sqlite3")
    with pytest.raises(RepliesFileError, match="line 2 is not UTF-8"):
        exam([GOOD[0], "caf\udce9"], db, tmp_path)  # a byte stdin could not decode, as Python hands it over
    with Store.open(db) as store:
        (attempt,) = store.attempts()
        assert attempt.status == "incomplete" and attempt.finished and not attempt.passed
        assert store.turn_count(attempt.id) == 1
    assert check_signature(read_certificate(str(tmp_path / "cert.json")), KEY).intact
