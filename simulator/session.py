"""One practice conversation: the object every driver (terminal UI, scripted runs, tests) talks to.

It knows the scenario, the persona, the scorer and the clock; it emits each
record (header, turn, summary) to its sinks as it happens, so a transcript on
disk is never behind what the rep has typed. It knows nothing of terminals.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from scoring.matcher import Matcher
from scoring.rubric import ReplyScore, score_match
from simulator.engine import DrillMachine, Move
from simulator.scenario import SUCCESS, Lines, Persona, Scenario, State
from simulator.version import __version__

__all__ = ["Session", "Summary", "Turn", "utc_now"]

Sink = Callable[[dict[str, Any]], None]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Turn:
    """One reply and everything that followed from it."""

    number: int
    state: str
    reply: str
    result: ReplyScore
    move: Move
    persona_line: str
    tip: str

    @property
    def score(self) -> int:
        return self.result.score


@dataclass(frozen=True)
class Summary:
    """How the session went: outcome, scores, principles hit and missed, the timeline."""

    outcome: str  # success | failure | incomplete
    end: str | None
    score: int
    turns: tuple[Turn, ...]
    hit: Counter[str] = field(default_factory=Counter)
    missed: Counter[str] = field(default_factory=Counter)
    anti_patterns: Counter[str] = field(default_factory=Counter)
    stopped_by: str | None = None  # see Session.close; None while the session is still open


def pick_line(lines: Lines, lang: str, seed: int, turn: int, state: str) -> str:
    """A seeded, replayable choice among variants: the same seed, turn and state give the same line."""
    variants = lines.get(lang)
    if not variants:
        return ""
    return random.Random(f"{seed}:{turn}:{state}").choice(variants)


class Session:
    """A rep practising one drill in one language."""

    def __init__(
        self,
        scenario: Scenario,
        persona: Persona,
        matcher: Matcher,
        lang: str,
        seed: int = 0,
        clock: Callable[[], datetime] = utc_now,
        sinks: Sequence[Sink] = (),
        mode: str = "practice",
        transcript: str | None = None,
    ) -> None:
        self.scenario = scenario
        self.persona = persona
        self.matcher = matcher
        self.library = matcher.library
        self.lang = lang
        self.seed = seed
        self.clock = clock
        self.sinks = list(sinks)
        self.mode = mode
        self.transcript = transcript
        self.machine = DrillMachine(scenario, persona.patience)
        self.turns: list[Turn] = []
        self.started = clock()
        self.opening = pick_line(scenario.states[scenario.start].say, lang, seed, 0, scenario.start)
        self._closed = False
        self._stopped_by: str | None = None
        self._emit(self.header())

    # -- what the drivers ask -------------------------------------------------

    @property
    def state(self) -> State:
        return self.machine.current

    @property
    def finished(self) -> bool:
        return self.machine.finished

    @property
    def patience(self) -> int:
        return self.machine.patience

    @property
    def running_score(self) -> int:
        return round(sum(t.score for t in self.turns) / len(self.turns)) if self.turns else 0

    def hint(self) -> str:
        """What the lecture advises at this moment: the state's own hint, else its principles' tips."""
        state = self.state
        if state.hint.get(self.lang):
            return state.hint.get(self.lang)
        tips = []
        for item in state.expect:
            pid = item if isinstance(item, str) else item[0]
            tips.append(f"{self.library[pid].name.get(self.lang)}: {self.library[pid].tip.get(self.lang)}")
        return "\n".join(tips)

    def model_answer(self) -> tuple[str, ...]:
        return tuple(self.scenario.model_answer.get(self.lang, ()))

    def respond(self, reply: str) -> Turn:
        """Score a reply, move the persona, and record the turn. The reply must not be blank."""
        if not reply.strip():
            raise ValueError("a blank reply is asked again, not scored")
        if self.finished:
            raise RuntimeError("the call has ended")
        state = self.state
        match = self.matcher.match(reply)
        result = score_match(match, state.expect, self.library)
        costs = sum(self.library[pid].patience_cost for pid in result.anti_patterns)
        move = self.machine.advance(result, costs)
        number = len(self.turns) + 1
        line = self._persona_line(move, number)
        tip = self.library[result.tip_for].tip.get(self.lang) if result.tip_for else ""
        turn = Turn(number, state.id, reply, result, move, line, tip)
        self.turns.append(turn)
        self._emit(self.turn_record(turn))
        if self.finished:
            self.close()
        return turn

    def close(self, stopped_by: str = "quit") -> Summary:
        """Write the summary once (a finished call, or a session stopped early) and return it.

        `stopped_by` says why an unfinished session ended, and goes into the
        summary: "quit" (the rep's /quit), "eof" (Ctrl-D, or the replies ran
        out), "interrupt" (Ctrl-C), "restart", "terminal_lost", or the name of
        the signal that stopped it ("SIGHUP" for a closed terminal, "SIGTERM").
        A call that reached an end is always "end". The first close decides.
        """
        if self._stopped_by is None:
            self._stopped_by = "end" if self.finished else stopped_by
        summary = self.summary()
        if not self._closed:
            self._closed = True
            self._emit(self.summary_record(summary))
        return summary

    # -- internals -------------------------------------------------------------

    def _persona_line(self, move: Move, number: int) -> str:
        state = self.state
        lines = state.again if (move.after == move.before and state.again) else state.say
        line = pick_line(lines, self.lang, self.seed, number, state.id)
        annoyed = self.persona.lines.get("annoyed")
        if move.patience_after < move.patience_before and not state.is_end and annoyed:
            gap = "" if self.lang == "zh" else " "  # Chinese sentences run on without a space
            line = f"{pick_line(annoyed, self.lang, self.seed, number, 'annoyed')}{gap}{line}"
        return line

    def summary(self) -> Summary:
        hit: Counter[str] = Counter()
        missed: Counter[str] = Counter()
        anti: Counter[str] = Counter()
        for t in self.turns:
            hit.update(t.result.hits)
            missed.update(t.result.missed)
            anti.update(t.result.anti_patterns)
        state = self.state
        if state.is_end:
            outcome = "success" if state.end == SUCCESS else "failure"
        else:
            outcome = "incomplete"
        return Summary(outcome, state.id if state.is_end else None, self.running_score,
                       tuple(self.turns), hit, missed, anti, self._stopped_by)

    def _emit(self, record: dict[str, Any]) -> None:
        for sink in self.sinks:
            sink(record)

    def header(self) -> dict[str, Any]:
        return {
            "type": "header",
            "format": 1,
            "salesdrill": __version__,
            "mode": self.mode,
            "drill": self.scenario.id,
            "lang": self.lang,
            "seed": self.seed,
            "persona": self.persona.id,
            "scenario_digest": self.scenario.digest,
            "library_version": self.library.version,
            "started": self.started.isoformat(timespec="seconds"),
            "state": self.scenario.start,
            "patience": self.persona.patience,
            "persona_line": self.opening,
        }

    def turn_record(self, turn: Turn) -> dict[str, Any]:
        r, m = turn.result, turn.move
        return {
            "type": "turn",
            "turn": turn.number,
            "at": self.clock().isoformat(timespec="seconds"),
            "state": turn.state,
            "reply": turn.reply,
            "score": r.score,
            "principles": list(r.found),
            "hits": list(r.hits),
            "missed": list(r.missed),
            "anti_patterns": list(r.anti_patterns),
            "words": {pid: list(r.words(pid)) for pid in r.found + r.anti_patterns},
            "penalties": {p.anti_pattern: p.points for p in r.penalties},
            "tip": turn.tip,
            "state_after": m.after,
            "patience_before": m.patience_before,
            "patience_after": m.patience_after,
            "reason": m.reason,
            "moved_by": list(m.moved_by),
            "persona_line": turn.persona_line,
        }

    def summary_record(self, summary: Summary) -> dict[str, Any]:
        return {
            "type": "summary",
            "drill": self.scenario.id,
            "lang": self.lang,
            "seed": self.seed,
            "outcome": summary.outcome,
            "end": summary.end,
            "score": summary.score,
            "turns": len(summary.turns),
            "scores": [t.score for t in summary.turns],
            "hit": dict(summary.hit),
            "missed": dict(summary.missed),
            "anti_patterns": dict(summary.anti_patterns),
            "stopped_by": summary.stopped_by,
            "ended": self.clock().isoformat(timespec="seconds"),
            "transcript": self.transcript,
        }
