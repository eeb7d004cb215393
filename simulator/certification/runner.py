"""An exam: each drill of a suite under exam conditions, every finished turn committed before the next is read.

No hints, no model answer, no per-reply feedback until the end; a fixed seed
from the suite; an optional time limit per reply. The runner is a thin driver
over `Session`, like the practice UI: where replies come from and how output
is shown is an `ExamIO` (the terminal or a pipe), and the clock, the timer and
the attempt id are injected.

Whatever stops the exam (the end, /quit, Ctrl-C, unreadable input, a full
disk) it is finalised and a certificate written; only a killed process leaves
the attempt unfinished, and that is stored too. Each drill's transcript is
also written as a JSONL file (mode 0600) with the trainee, the attempt and
the late flags, so `salesdrill grade` can re-score it like the database's.
"""

from __future__ import annotations

import os
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
from simulator.certification.exam_results import PlayedDrill, show_results
from simulator.certification.keys import SigningKey
from simulator.certification.marks import DrillMark, drill_mark, exam_mark
from simulator.certification.store import Store
from simulator.certification.suite import Suite, SuiteDrill
from simulator.certification.texts import x
from simulator.certification.versions import grading_versions
from simulator.drivers import SessionFactory, command_of
from simulator.errors import SalesdrillError
from simulator.loader import Catalog
from simulator.session import utc_now
from simulator.transcript import TranscriptWriter, data_dir, ensure_writable, new_transcript_path

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


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def run_exam(catalog: Catalog, suite: Suite, trainee: str, lang: str, store: Store, io: ExamIO,
             key: SigningKey, clock: Callable[[], datetime] = utc_now,
             timer: Callable[[], float] = time.monotonic, new_id: Callable[[], str] = lambda: uuid.uuid4().hex,
             certificate_path: str | None = None, write_transcripts: bool = True) -> ExamResult:
    """Run the whole exam; always finalises the attempt and writes a certificate unless the process dies.

    A SalesdrillError in the middle (unreadable replies, a full disk) stops
    the exam like /quit does, and is raised again once the attempt is stored.
    """
    attempt_id = str(uuid.UUID(new_id()))
    started = clock()
    drill_ids = [d.drill for d in suite.drills]
    if certificate_path is None:  # every folder is checked before the attempt counts
        folder = os.path.join(data_dir(), "certificates")
        _private_folder(folder)
        certificate_path = new_certificate_path(ensure_writable(folder), trainee, suite.id, started)
    else:
        ensure_writable(os.path.dirname(os.path.abspath(certificate_path)))
    transcripts = ensure_writable(os.path.join(data_dir(), "transcripts")) if write_transcripts else None
    number = store.start_attempt(
        attempt_id=attempt_id, trainee=trainee, suite=suite.describe(), lang=lang, seed=suite.seed,
        started=_iso(started), versions=grading_versions(catalog, drill_ids), max_attempts=suite.max_attempts)
    io.show([("class:title", "\n" + x("exam_title", lang, suite=suite.title.get(lang))
              + f"  ({x('attempt', lang, n=number)})\n"),
             ("class:dim", x("exam_rules", lang, trainee=trainee, n=len(suite.drills),
                             limit=x("time_limit", lang, seconds=suite.time_limit) if suite.time_limit else "") + "\n")])
    played: list[PlayedDrill] = []
    complete = True
    failure: SalesdrillError | None = None
    exam = _Exam(catalog, suite, trainee, lang, attempt_id, store, io, timer, transcripts)
    for position, suite_drill in enumerate(suite.drills, 1):
        try:
            one = _play_drill(exam, suite_drill, position)
        except SalesdrillError as exc:  # before the drill could be closed: it stays unfinished
            failure, complete = exc, False
            break
        played.append(one)
        if one.failure is not None:
            failure = one.failure
        if not one.goes_on:
            complete = False
            break
    try:
        result = _finish(catalog, suite, store, io, lang, attempt_id, number, drill_ids, played, complete, clock,
                         key, certificate_path)
    except SalesdrillError:
        if failure is not None:
            raise failure from None  # the first problem is the one to report
        raise
    if failure is not None:
        raise failure
    return result


def _private_folder(folder: str) -> None:
    """Certificates hold trainees' results: a new folder for them is its owner's only."""
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
    except OSError:
        pass  # ensure_writable says what is wrong, in the words every command uses


def _finish(catalog: Catalog, suite: Suite, store: Store, io: ExamIO, lang: str, attempt_id: str, number: int,
            drill_ids: list[str], played: list[PlayedDrill], complete: bool, clock: Callable[[], datetime],
            key: SigningKey, certificate_path: str) -> ExamResult:
    """Mark the attempt, store it as finished, sign and write the certificate, then show the results."""
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
    show_results(io, lang, suite, played, exam.score, exam.passed, complete, written)
    return ExamResult(attempt_id, number, status, exam.score, exam.passed, written, marks)


@dataclass(frozen=True)
class _Exam:
    """What every drill of one exam shares."""

    catalog: Catalog
    suite: Suite
    trainee: str
    lang: str
    attempt_id: str
    store: Store
    io: ExamIO
    timer: Callable[[], float]
    transcripts: str | None  # the folder, or None for no transcript files


def _transcript(exam: _Exam, drill: str, started: datetime) -> TranscriptWriter | None:
    if exam.transcripts is None:
        return None
    writer = TranscriptWriter(new_transcript_path(exam.transcripts, drill, exam.lang, started))
    try:
        os.chmod(writer.path, 0o600)  # before the first line: it holds the trainee's replies
    except OSError:
        pass
    return writer


def _play_drill(exam: _Exam, suite_drill: SuiteDrill, position: int) -> PlayedDrill:
    """One drill, closed and stored whatever ends it; says whether the exam goes on."""
    suite, lang, io, store = exam.suite, exam.lang, exam.io, exam.store
    records: list[dict[str, Any]] = []
    factory = SessionFactory(exam.catalog, suite_drill.drill, lang, suite.seed, write_transcript=False,
                             extra_sinks=(records.append,), mode="certify")
    session = factory.new()
    scenario_title = session.scenario.title
    header = {**records[0], "attempt": exam.attempt_id, "trainee": exam.trainee, "position": position,
              "pass_mark": suite_drill.pass_mark, "title": {"zh": scenario_title.zh, "en": scenario_title.en}}
    store.start_drill(exam.attempt_id, position, header, suite_drill.pass_mark)
    writer = _transcript(exam, suite_drill.drill, session.started)
    if writer is not None:
        writer(header)
    title = scenario_title.get(lang)
    io.show([("class:title", "\n" + x("drill_heading", lang, i=position, n=len(suite.drills), title=title) + "\n")]
            + render.intro(session.scenario, session.persona, lang)[1:-1])
    io.show(render.persona_says(session.persona, session.opening, lang))
    exam_turns: list[dict[str, Any]] = []
    goes_on = True
    failure: SalesdrillError | None = None
    waiting_since = exam.timer()
    try:
        while not session.finished:
            status = ExamStatus(exam.trainee, title, position, len(suite.drills), len(session.turns) + 1,
                                suite.time_limit)
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
            seconds = exam.timer() - waiting_since
            late = suite.time_limit is not None and seconds > suite.time_limit
            before = len(records)
            turn = session.respond(reply)
            record = {**records[before], "late": late, "seconds": round(seconds, 1),
                      "counted": 0 if late else turn.score}
            store.add_turn(exam.attempt_id, position, record)  # committed before the next reply is read
            exam_turns.append(record)
            if writer is not None:
                writer(record)
            if late:
                io.show([("class:penalty", x("late", lang, seconds=suite.time_limit) + "\n")])
            io.show(render.persona_says(session.persona, turn.persona_line, lang))
            waiting_since = exam.timer()
    except KeyboardInterrupt:
        goes_on = False
    except SalesdrillError as exc:  # the replies could not be read, a transcript not written: stop here
        goes_on, failure = False, exc
    summary = session.close()
    mark = drill_mark(suite_drill.drill, exam_turns, summary.outcome, suite_drill.pass_mark)
    summary_record = {**next(r for r in reversed(records) if r["type"] == "summary"),
                      "exam_score": mark.score, "passed": mark.passed}
    store.finish_drill(exam.attempt_id, position, summary_record, mark.score, mark.passed)
    if writer is not None:
        try:
            writer(summary_record)
        except SalesdrillError as exc:
            failure = failure or exc
        writer.close()
    return PlayedDrill(session, summary, suite_drill, mark, writer.path if writer else None,
                       tuple(bool(t["late"]) for t in exam_turns), goes_on, failure)
