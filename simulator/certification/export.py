"""`salesdrill export`: results from the database as xAPI statements (for an LRS or LMS) or CSV (for spreadsheets)."""

from __future__ import annotations

import csv
import io
import json

from simulator.certification.store import DrillRow, Store
from simulator.certification.xapi import attempt_statements, statement_problems

__all__ = ["CSV_COLUMNS", "export_csv", "export_xapi", "spreadsheet_safe"]

CSV_COLUMNS = (
    "attempt_id", "trainee", "suite", "attempt", "status", "interrupted", "lang", "seed", "started", "finished",
    "exam_score", "exam_passed", "position", "drill", "drill_pass_mark", "drill_score", "drill_outcome",
    "drill_passed", "turns", "late_turns", "salesdrill", "scorer", "library", "certificate",
)


def spreadsheet_safe(value: object) -> object:
    """Text a spreadsheet will not run as a formula (a name like '=HYPERLINK(...)')."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def export_xapi(store: Store, homepage: str, trainee: str | None = None, suite: str | None = None) -> str:
    statements = []
    for attempt in store.attempts(trainee, suite):
        drills = store.drills(attempt.id)
        titles = {row.drill: row.header.get("title") or {} for row in drills}
        statements.extend(attempt_statements(attempt, drills, titles, homepage))
    for statement in statements:  # a bug here must not reach a learning record store
        problems = statement_problems(statement)
        assert not problems, problems
    return json.dumps(statements, ensure_ascii=False, indent=2) + "\n"


def export_csv(store: Store, trainee: str | None = None, suite: str | None = None) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for a in store.attempts(trainee, suite):
        drills: list[DrillRow | None] = list(store.drills(a.id)) or [None]
        for row in drills:
            turns = store.turn_records(a.id, row.position) if row else []
            values = [
                a.id, a.trainee, a.suite, a.number, a.status, int(a.interrupted), a.lang, a.seed, a.started,
                a.finished or "", "" if a.score is None else a.score, "" if a.passed is None else int(a.passed),
                row.position if row else "", row.drill if row else "", row.pass_mark if row else "",
                "" if row is None or row.score is None else row.score, (row.outcome or "") if row else "",
                "" if row is None or row.passed is None else int(row.passed), len(turns),
                sum(1 for t in turns if t.get("late")), a.versions.get("salesdrill", ""),
                a.versions.get("scorer", ""), a.versions.get("library", ""), a.certificate or "",
            ]
            writer.writerow([spreadsheet_safe(v) for v in values])
    return out.getvalue()
