"""How an exam is marked, from turn records alone: the same rules for the live exam, re-grading and reports.

A reply over the suite's time limit stays in the conversation (the persona
heard it) but counts 0. A drill's score is the mean of its counted turn
scores; it passes when the call ends in success and the score reaches the
drill's pass mark. The exam's score is the mean over every drill of the
suite (a drill never reached counts 0); it passes when the exam ran to its
end, the score reaches the suite's pass mark and, if the suite says so,
every drill passed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["DrillMark", "ExamMark", "counted", "drill_mark", "exam_mark", "principle_tally"]


@dataclass(frozen=True, slots=True)
class DrillMark:
    drill: str
    score: int
    outcome: str
    passed: bool


@dataclass(frozen=True, slots=True)
class ExamMark:
    score: int
    passed: bool
    complete: bool


def counted(record: Mapping[str, Any]) -> int:
    """The points a turn counts for in the exam."""
    return 0 if record.get("late") else int(record["score"])


def drill_mark(drill: str, turns: Sequence[Mapping[str, Any]], outcome: str, pass_mark: int) -> DrillMark:
    score = round(sum(counted(t) for t in turns) / len(turns)) if turns else 0
    return DrillMark(drill, score, outcome, outcome == "success" and score >= pass_mark)


def exam_mark(marks: Iterable[DrillMark], suite_drills: Sequence[str], pass_mark: int,
              require_every_drill: bool, complete: bool) -> ExamMark:
    by_drill = {m.drill: m for m in marks}
    scores = [by_drill[d].score if d in by_drill else 0 for d in suite_drills]
    score = round(sum(scores) / len(scores)) if scores else 0
    every = all(d in by_drill and by_drill[d].passed for d in suite_drills)
    passed = complete and score >= pass_mark and (every or not require_every_drill)
    return ExamMark(score, passed, complete)


def principle_tally(turns: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, int]]:
    """Per principle: turns that hit it, missed it, or (anti-patterns) showed it."""
    out: dict[str, dict[str, int]] = {}
    for record in turns:
        for kind, key in (("hit", "hits"), ("missed", "missed"), ("anti_pattern", "anti_patterns")):
            for pid in record.get(key, ()):
                out.setdefault(pid, {"hit": 0, "missed": 0, "anti_pattern": 0})[kind] += 1
    return out
