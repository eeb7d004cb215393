"""export: xAPI 1.0.3 statements an LRS accepts, and CSV a spreadsheet opens safely."""

from __future__ import annotations

import copy
import csv
import io
import json

import pytest

from simulator.certification.export import export_csv, export_xapi, spreadsheet_safe
from simulator.certification.store import Store
from simulator.certification.xapi import VERBS, iso_duration, statement_problems
from simulator.cli import main

from .helpers import GOOD, exam


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:  # read only by the tests: made once
    tmp_path = tmp_path_factory.mktemp("results")
    path = str(tmp_path / "r.sqlite3")
    exam(GOOD, path, tmp_path, trainee="Ann", name="a.json")                  # complete, passed
    exam([GOOD[0], "/quit"], path, tmp_path, trainee="Bo", name="b.json")     # stopped: incomplete
    with Store.open(path) as store:                                           # killed mid-drill
        store.start_attempt(attempt_id="00000000-0000-4000-8000-000000000001", trainee="Cy",
                            suite={"id": "mini_suite", "digest": "d", "drills": []}, lang="zh", seed=7,
                            started="2025-03-01T10:00:00+00:00", versions={}, max_attempts=None)
        store.start_drill("00000000-0000-4000-8000-000000000001", 1,
                          {"drill": "mini", "scenario_digest": "x", "started": "2025-03-01T09:00:00+00:00"}, 60)
        store.add_turn("00000000-0000-4000-8000-000000000001", 1, {"turn": 1, "reply": "hi", "score": 10})
    return path


def statements(db: str) -> list[dict]:
    with Store.open(db) as store:
        return json.loads(export_xapi(store, "https://lrs.example.com/salesdrill"))


def test_every_statement_is_valid_xapi(db):
    found = statements(db)
    assert found and all(statement_problems(s) == [] for s in found)
    assert len({s["id"] for s in found}) == len(found)


def test_verbs_scores_and_objects(db):
    by = {}
    for s in statements(db):
        by.setdefault(s["actor"]["name"], []).append(s)
    ann = [(s["verb"]["id"].rsplit("/", 1)[1], s["object"]["id"].rsplit("/", 2)[1]) for s in by["Ann"]]
    assert ann == [("passed", "drills"), ("completed", "suites"), ("passed", "suites")]
    drill = by["Ann"][0]
    assert drill["object"]["id"] == "https://lrs.example.com/salesdrill/drills/mini"
    assert drill["result"]["score"] == {"scaled": 1.0, "raw": 100, "min": 0, "max": 100}
    assert drill["result"]["success"] is True and drill["result"]["duration"].startswith("PT")
    assert drill["context"]["contextActivities"]["parent"][0]["id"].endswith("/suites/mini_suite")
    assert drill["object"]["definition"]["name"] == {"zh-CN": "小练习", "en-US": "Mini drill"}
    bo_suite = by["Bo"][-1]
    assert bo_suite["verb"]["id"] == VERBS["failed"] and bo_suite["result"]["completion"] is False
    assert [s["verb"]["id"] for s in by["Cy"]] == [VERBS["failed"]]  # killed: no drill ended, the attempt failed


def test_exporting_twice_gives_the_same_statement_ids(db):
    assert [s["id"] for s in statements(db)] == [s["id"] for s in statements(db)]


def _without(key):
    def change(s):
        del s[key]
    return change


@pytest.mark.parametrize("change, problem", [
    (_without("verb"), "missing 'verb'"),
    (lambda s: s["result"]["score"].update(scaled=1.5), "scaled must be a number from -1 to 1"),
    (lambda s: s["result"].update(duration="3 minutes"), "ISO 8601 duration"),
    (lambda s: s["actor"].update(mbox="mailto:a@example.com"), "exactly one identifier"),
    (lambda s: s.update(id="not-a-uuid"), "id must be a UUID"),
    (lambda s: s["object"].update(id="gatekeeper"), "object.id must be an IRI"),
    (lambda s: s.update(score=1), "unknown property 'score'"),
])
def test_the_checker_catches_broken_statements(db, change, problem):
    broken = copy.deepcopy(next(s for s in statements(db) if s["actor"]["name"] == "Ann"))
    change(broken)
    assert any(problem in p for p in statement_problems(broken))


def test_iso_durations():
    assert iso_duration("2025-03-01T09:00:00+00:00", "2025-03-01T10:02:03+00:00") == "PT1H2M3S"
    assert iso_duration("2025-03-01T09:00:00+00:00", "2025-03-01T09:00:00+00:00") == "PT0S"
    assert iso_duration(None, "2025-03-01T09:00:00+00:00") is None


def test_csv_rows_per_drill_per_attempt(db):
    with Store.open(db) as store:
        rows = list(csv.DictReader(io.StringIO(export_csv(store))))
    assert [(r["trainee"], r["status"], r["interrupted"]) for r in rows] == [
        ("Ann", "complete", "0"), ("Bo", "incomplete", "0"), ("Cy", "incomplete", "1")]
    assert rows[0]["drill_score"] == "100" and rows[0]["exam_passed"] == "1" and rows[2]["turns"] == "1"


def test_spreadsheet_formulas_are_defused():
    assert spreadsheet_safe("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert spreadsheet_safe("Ann") == "Ann" and spreadsheet_safe(5) == 5


def test_export_command(db, tmp_path, capsys):
    out = tmp_path / "out.json"
    assert main(["export", "--xapi", "--db", db, "-o", str(out), "--trainee", "Ann"]) == 0
    assert len(json.loads(out.read_text(encoding="utf-8"))) == 3
    assert main(["export", "--csv", "--db", db]) == 0
    assert capsys.readouterr().out.startswith("attempt_id,trainee")
    assert main(["export", "--csv", "--db", str(tmp_path / "none.sqlite3")]) == 2
    assert "no such database" in capsys.readouterr().err
