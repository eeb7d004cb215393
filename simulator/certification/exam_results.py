"""What the rep sees when the exam ends, and only then: each reply's feedback, each drill's summary, the verdict."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from simulator import render
from simulator.certification.marks import DrillMark
from simulator.certification.suite import Suite, SuiteDrill
from simulator.certification.texts import outcome, x
from simulator.drivers import display_reply
from simulator.errors import SalesdrillError
from simulator.session import Session, Summary

__all__ = ["PlayedDrill", "show_results"]


class _Shows(Protocol):
    def show(self, fragments: render.Fragments) -> None: ...


@dataclass
class PlayedDrill:
    """One drill as played, kept for the feedback at the end."""

    session: Session
    summary: Summary
    suite_drill: SuiteDrill
    mark: DrillMark
    transcript: str | None
    late: tuple[bool, ...] = ()  # per turn: over the time limit, so it counted 0
    goes_on: bool = True
    failure: SalesdrillError | None = None


def show_results(io: _Shows, lang: str, suite: Suite, played: list[PlayedDrill], score: int, passed: bool,
                 complete: bool, certificate: str) -> None:
    if not complete:
        io.show([("class:outcome-incomplete", "\n" + x("stopped", lang) + "\n")])
    for p in played:
        title = p.session.scenario.title.get(lang)
        io.show([("class:title", "\n" + x("feedback_for", lang, title=title) + "\n")])
        for i, turn in enumerate(p.summary.turns):
            io.show([("", f"{x('you', lang)}: {display_reply(turn.reply)}\n")])
            io.show(render.feedback(turn, p.session.library, lang))
            if i < len(p.late) and p.late[i]:
                io.show([("class:penalty", "  " + x("late", lang, seconds=suite.time_limit) + "\n")])
        io.show(render.summary(p.session, p.summary, p.transcript))
    out: render.Fragments = [("class:title", f"\n══ {x('results', lang)} ══\n")]
    for p in played:
        verdict = x("passed" if p.mark.passed else "failed", lang)
        out.append((f"class:outcome-{'success' if p.mark.passed else 'failure'}", x(
            "drill_row", lang, title=p.session.scenario.title.get(lang), score=p.mark.score,
            mark=p.suite_drill.pass_mark, outcome=outcome(p.mark.outcome, lang), verdict=verdict) + "\n"))
    verdict = x("passed" if passed else "failed", lang)
    out.append((f"class:outcome-{'success' if passed else 'failure'}",
                x("overall", lang, score=score, mark=suite.pass_mark, verdict=verdict) + "\n"))
    if not complete:
        out.append(("class:dim", x("incomplete_attempt", lang) + "\n"))
    elif not passed and score >= suite.pass_mark and suite.require_every_drill:
        out.append(("class:dim", x("every_drill", lang) + "\n"))
    out.append(("class:dim", x("certificate", lang, path=certificate) + "\n"))
    io.show(out)
