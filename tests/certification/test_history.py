"""history and adaptive practice: attempts over time, pass rate, the principles missed most, the drill to train next."""

from __future__ import annotations

import io
import json

import pytest

from simulator.certification.adaptive import propose
from simulator.certification.history import bar, show_history
from simulator.certification.store import Store
from simulator.certification.weakness import Weakness, drill_for, weaknesses
from simulator.cli import main
from simulator.errors import UsageError

from ..simulator.helpers import mini_catalog
from .helpers import GOOD, SUITE, exam


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:  # read only by the tests: made once
    tmp_path = tmp_path_factory.mktemp("results")
    path = str(tmp_path / "r.sqlite3")
    exam(["We can give you a discount.", "/next"], path, tmp_path, trainee="Ann", name="1.json")
    exam(["Great!", "/quit"], path, tmp_path, trainee="Ann", name="2.json")
    exam(GOOD, path, tmp_path, trainee="Ann", name="3.json")
    exam(GOOD, path, tmp_path, trainee="Bo", name="4.json")
    other = SUITE.replace("id: mini_suite", "id: refresher")
    exam(["Price matters to us all.", "/next"], path, tmp_path, suite_text=other, trainee="Ann", name="5.json")
    return path


def history(db: str, trainee: str | None = None, as_json: bool = False, suite: str | None = None,
            lang: str = "en") -> str:
    out = io.StringIO()
    with Store.open(db) as store:
        show_history(store, mini_catalog(), lang, trainee, suite, as_json, out)
    return out.getvalue()


def test_everyone_in_one_table(db):
    text = history(db, suite="mini_suite")
    assert "Ann" in text and "Bo" in text
    assert "2 trainee(s), 4 attempt(s), pass rate 50%" in text
    assert "2 trainee(s), 5 attempt(s), pass rate 40%" in history(db)


def test_one_trainee_over_time(db):
    text = history(db, "Ann", suite="mini_suite")
    assert "Ann: 3 attempt(s), 1 passed (pass rate 33%)" in text
    lines = [line for line in text.splitlines() if "mini_suite" in line]
    assert [line.split()[-1] for line in lines] == ["failed", "stopped", "PASSED"]
    assert "Principles missed most" in text and "Social proof" in text


def test_the_suite_filter_narrows_the_principles_missed_too(db):
    everything = json.loads(history(db, "Ann", as_json=True))[0]["missed_most"]
    refresher = json.loads(history(db, "Ann", as_json=True, suite="refresher"))[0]
    assert [a["suite"] for a in refresher["attempts"]] == ["refresher"]
    assert 0 < sum(m["missed"] for m in refresher["missed_most"]) < sum(m["missed"] for m in everything)


def test_no_attempts_names_what_the_database_has(db):
    assert history(db, suite="mini_suit") == "no certification attempts in suite 'mini_suit' yet " \
                                              "(the database has: mini_suite, refresher)\n"
    assert history(db, "Anne") == "no certification attempts for 'Anne' yet (the database has: Ann, Bo)\n"


def test_history_in_chinese(db):
    text = history(db, "Ann", suite="mini_suite", lang="zh")
    assert text.startswith("Ann:3 次尝试,通过 1 次(通过率 33%)") and "最常缺少的原则" in text
    assert [line.split()[-1] for line in text.splitlines() if "mini_suite" in line] == ["未通过", "中止", "通过"]


def test_history_as_json(db):
    (ann,) = json.loads(history(db, "Ann", as_json=True, suite="mini_suite"))
    assert [a["status"] for a in ann["attempts"]] == ["complete", "incomplete", "complete"]
    assert ann["pass_rate"] == 0.333
    assert ann["missed_most"][0]["principle"] in ("social_proof", "acknowledge")


def test_bars():
    assert bar(0.5, 10) == "█████░░░░░" and bar(2, 4) == "████" and bar(-1, 4) == "░░░░"


def test_the_weakest_principle_needs_evidence():
    ranked = weaknesses({"a": {"hit": 0, "missed": 1}, "b": {"hit": 1, "missed": 5}, "c": {"hit": 3, "missed": 0}})
    assert [w.principle for w in ranked] == ["b", "a"]


def test_the_drill_that_trains_it():
    catalog = mini_catalog()
    scenario, weak = drill_for(catalog, [Weakness("ask_meeting", 3, 4)])
    assert scenario.id == "mini" and weak.principle == "ask_meeting"
    assert drill_for(catalog, [Weakness("not_in_any_drill", 3, 4)]) is None


def test_adaptive_practice_proposes_from_history(db):
    out = io.StringIO()
    proposal = propose(mini_catalog(), "en", "Ann", out, db_path=db)
    assert proposal.scenario.id == "mini"
    assert "Your weakest principle" in out.getvalue() and "Proposed drill: Mini drill (mini)" in out.getvalue()


def test_adaptive_practice_without_history_says_what_to_do(tmp_path):
    with pytest.raises(UsageError, match="salesdrill list"):
        propose(mini_catalog(), "en", None, io.StringIO(), db_path=str(tmp_path / "none.sqlite3"))


def test_practice_without_a_drill_uses_practice_transcripts(tmp_path, capsys):
    replies = tmp_path / "r.txt"
    replies.write_text("Hello, could you put me through to someone?\n/quit\n", encoding="utf-8")
    assert main(["practice", "gatekeeper", "--lang", "en", "--replies", str(replies)]) == 0
    capsys.readouterr()
    assert main(["practice", "--lang", "en", "--replies", str(replies)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Your weakest principle:") and "Proposed drill:" in out and "Session summary" in out


def test_history_command_without_a_database(capsys):
    assert main(["history"]) == 0
    assert "no certification results yet" in capsys.readouterr().out
