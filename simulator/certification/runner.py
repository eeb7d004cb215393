"""An exam: each drill of a suite under exam conditions, every finished turn committed before the next is read.

No hints, no model answer, no per-reply feedback until the end; a fixed seed
from the suite; an optional time limit per reply. The runner is a thin driver
over `Session`, like the practice UI: where replies come from and how output
is shown is an `ExamIO` (the terminal or a pipe), and the clock, the timer and
the attempt id are injected.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from simulator import render
from simulator.certification.certificate import (
    build_payload,
    new_certificate_path,
    sign,
    write_certificate,
)
from simulator.certification.keys import SigningKey
from simulator.certification.marks import DrillMark, drill_mark, exam_mark
from simulator.certification.store import Store
from simulator.certification.suite import Suite, SuiteDrill
from simulator.certification.texts import x
from simulator.certification.versions import grading_versions
from simulator.drivers import SessionFactory, command_of, display_reply
from simulator.loader import Catalog
from simulator.session import Session, Summary, utc_now
from simulator.transcript import data_dir, ensure_writable

__all__ = ["ExamIO", "ExamResult", "ExamStatus", "run_exam"]

STOP = None  # what ExamIO.ask returns when the rep is gone (end of input, Ctrl-D, Ctrl-C)
_REFUSED = ("/hint", "/model", "/restart")


@dataclass(frozen=True, slots=True)
class ExamStatus:
    """What a driver may show while waiting for a reply (the terminal's toolbar)."""

    trainee: str
    drill_title: str
    position: int
    drills: int
    turn: int
    time_limit: int | None


class ExamIO(Protocol):
    lang: str

    def show(self, fragments: render.Fragments) -> None: ...

    def ask(self, status: ExamStatus) -> str | None: ...


@dataclass
class ExamResult:
    attempt_id: str
    number: int
    status: str
    score: int
    passed: bool
    certificate: str
    marks: list[DrillMark] = field(default_factory=list)


@dataclass
class _Played:
    """One drill as played: kept for the feedback shown at the end."""

    session: Session
    summary: Summary
    suite_drill: SuiteDrill
    mark: DrillMark
    transcript: str | None


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def run_exam(catalog: Catalog, suite: Suite, trainee: str, lang: str, store: Store, io: ExamIO,
             key: SigningKey, clock: Callable[[], datetime] = utc_now,
             timer: Callable[[], float] = time.monotonic, new_id: Callable[[], str] = lambda: uuid.uuid4().hex,
             certificate_path: str | None = None, write_transcripts: bool = True) -> ExamResult:
    """Run the whole exam; always finalises the attempt and writes a certificate unless the process dies."""
    attempt_id = str(uuid.UUID(new_id()))
    started = clock()
    drill_ids = [d.drill for d in suite.drills]
    number = store.start_attempt(
        attempt_id=attempt_id, trainee=trainee, suite=suite.describe(), lang=lang, seed=suite.seed,
        started=_iso(started), versions=grading_versions(catalog, drill_ids), max_attempts=suite.max_attempts)
    if certificate_path is None:
        folder = ensure_writable(f"{data_dir()}/certificates")
        certificate_path = new_certificate_path(folder, trainee, suite.id, started)
    io.show([("class:title", "\n" + x("exam_title", lang, suite=suite.title.get(lang)) + f"  ({x('attempt', lang, n=number)})\n"),
             ("class:dim", x("exam_rules", lang, trainee=trainee, n=len(suite.drills),
                             limit=x("time_limit", lang, seconds=suite.time_limit) if suite.time_limit else "") + "\n")])
    played: list[_Played] = []
    complete = True
    for position, suite_drill in enumerate(suite.drills, 1):
        try:
            outcome = _play_drill(catalog, suite, suite_drill, position, trainee, lang, attempt_id, store, io, timer,
                                  write_transcripts)
        except KeyboardInterrupt:
            outcome = None
        if outcome is None:
            complete = False
            break
        played.append(outcome[0])
        if not outcome[1]:
            complete = False
            break
    marks = [p.mark for p in played]
    exam = exam_mark(marks, drill_ids, suite.pass_mark, suite.require_every_drill, complete)
    status = "complete" if complete else "incomplete"
    finished = _iso(clock())
    store.finish_attempt(attempt_id, status, exam.score, exam.passed, finished)
    attempt = store.attempt(attempt_id)
    assert attempt is not None
    rows = store.drills(attempt_id)
    turns = {row.position: store.turn_records(attempt_id, row.position) for row in rows}
    payload = build_payload(attempt, rows, turns, catalog, {"score": exam.score, "passed": exam.passed}, finished)
    written = write_certificate(sign(payload, key), certificate_path)
    store.set_certificate(attempt_id, written)
    _show_results(io, lang, suite, played, exam.score, exam.passed, complete, written)
    return ExamResult(attempt_id, number, status, exam.score, exam.passed, written, marks)


def _play_drill(catalog: Catalog, suite: Suite, suite_drill: SuiteDrill, position: int, trainee: str, lang: str,
                attempt_id: str, store: Store, io: ExamIO, timer: Callable[[], float],
                write_transcripts: bool) -> tuple[_Played, bool] | None:
    """One drill. Returns what was played and whether the exam goes on; None if stopped before it began."""
    records: list[dict[str, Any]] = []
    factory = SessionFactory(catalog, suite_drill.drill, lang, suite.seed, write_transcript=write_transcripts,
                             extra_sinks=(records.append,), mode="certify")
    session = factory.new()
    scenario_title = session.scenario.title
    header = {**records[0], "attempt": attempt_id, "trainee": trainee, "position": position,
              "pass_mark": suite_drill.pass_mark, "title": {"zh": scenario_title.zh, "en": scenario_title.en}}
    store.start_drill(attempt_id, position, header, suite_drill.pass_mark)
    title = session.scenario.title.get(lang)
    io.show([("class:title", "\n" + x("drill_heading", lang, i=position, n=len(suite.drills), title=title) + "\n")]
            + render.intro(session.scenario, session.persona, lang)[1:-1])
    io.show(render.persona_says(session.persona, session.opening, lang))
    exam_turns: list[dict[str, Any]] = []
    goes_on = True
    waiting_since = timer()
    try:
        while not session.finished:
            status = ExamStatus(trainee, title, position, len(suite.drills), len(session.turns) + 1, suite.time_limit)
            reply = io.ask(status)
            command = command_of(reply) if reply is not None else "/quit"
            if command == "/quit":
                goes_on = False
                break
            if command == "/next":
                io.show([("class:dim", x("gave_up", lang) + "\n")])
                break
            if command in _REFUSED:
                io.show([("class:miss", x("not_in_exam", lang, command=command) + "\n")])
                continue
            if command:
                io.show([("class:miss", x("unknown_exam_command", lang, command=command) + "\n")])
                continue
            assert reply is not None
            if not reply.strip():
                continue
            seconds = timer() - waiting_since
            late = suite.time_limit is not None and seconds > suite.time_limit
            before = len(records)
            turn = session.respond(reply)
            record = {**records[before], "late": late, "seconds": round(seconds, 1),
                      "counted": 0 if late else turn.score}
            store.add_turn(attempt_id, position, record)  # committed before the next reply is read
            exam_turns.append(record)
            if late:
                io.show([("class:penalty", x("late", lang, seconds=suite.time_limit) + "\n")])
            io.show(render.persona_says(session.persona, turn.persona_line, lang))
            waiting_since = timer()
    except KeyboardInterrupt:
        goes_on = False
    summary = session.close()
    summary_record = next(r for r in reversed(records) if r["type"] == "summary")
    mark = drill_mark(suite_drill.drill, exam_turns, summary.outcome, suite_drill.pass_mark)
    store.finish_drill(attempt_id, position, summary_record, mark.score, mark.passed)
    if factory.writer is not None:
        factory.writer.close()
    return _Played(session, summary, suite_drill, mark, factory.transcript_path), goes_on


def _show_results(io: ExamIO, lang: str, suite: Suite, played: list[_Played], score: int, passed: bool,
                  complete: bool, certificate: str) -> None:
    """At the end, and only then: the feedback on every reply, each drill's summary, the verdict."""
    if not complete:
        io.show([("class:outcome-incomplete", "\n" + x("stopped", lang) + "\n")])
    for p in played:
        title = p.session.scenario.title.get(lang)
        io.show([("class:title", "\n" + x("feedback_for", lang, title=title) + "\n")])
        for turn in p.summary.turns:
            io.show([("", f"{x('you', lang)}: {display_reply(turn.reply)}\n")])
            io.show(render.feedback(turn, p.session.library, lang))
        io.show(render.summary(p.session, p.summary, p.transcript))
    out: render.Fragments = [("class:title", f"\n══ {x('results', lang)} ══\n")]
    for p in played:
        verdict = x("passed" if p.mark.passed else "failed", lang)
        out.append((f"class:outcome-{'success' if p.mark.passed else 'failure'}", x(
            "drill_row", lang, title=p.session.scenario.title.get(lang), score=p.mark.score,
            mark=p.suite_drill.pass_mark, outcome=p.mark.outcome, verdict=verdict) + "\n"))
    verdict = x("passed" if passed else "failed", lang)
    out.append((f"class:outcome-{'success' if passed else 'failure'}",
                x("overall", lang, score=score, mark=suite.pass_mark, verdict=verdict) + "\n"))
    if not complete:
        out.append(("class:dim", x("incomplete_attempt", lang) + "\n"))
    out.append(("class:dim", x("certificate", lang, path=certificate) + "\n"))
    io.show(out)
