"""Re-grade a recorded conversation with the scorer installed now, and say what changed.

The replies are played again through a fresh session with the recorded drill,
language and seed (`convtest.play`); the exam's own marks (late replies count
0, pass marks) are applied to the new turns exactly as they were the first time.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from simulator.certification.marks import DrillMark, drill_mark, exam_mark
from simulator.certification.versions import grading_versions
from simulator.convtest import play
from simulator.loader import Catalog
from simulator.session import Summary

__all__ = ["DrillRegrade", "Regrade", "regrade_certificate", "replay"]


@dataclass(frozen=True, slots=True)
class Replayed:
    summary: Summary
    turns: tuple[dict[str, Any], ...]  # score and the recorded exam flags, per turn


def replay(catalog: Catalog, drill: str, lang: str, seed: int, recorded: Sequence[Mapping[str, Any]]) -> Replayed:
    """Play the recorded replies again; each new turn keeps the recorded `late` flag of its position."""
    scenario = catalog.drill(drill)
    session = play(catalog, scenario, lang, tuple(str(r["reply"]) for r in recorded), seed)
    summary = session.close()
    turns = []
    for i, turn in enumerate(summary.turns):
        late = bool(recorded[i].get("late")) if i < len(recorded) else False
        turns.append({"turn": turn.number, "reply": turn.reply, "score": turn.score, "late": late,
                      "hits": list(turn.result.hits), "missed": list(turn.result.missed),
                      "anti_patterns": list(turn.result.anti_patterns)})
    return Replayed(summary, tuple(turns))


@dataclass(frozen=True, slots=True)
class DrillRegrade:
    drill: str
    recorded: DrillMark
    now: DrillMark | None  # None: the drill is no longer installed
    turn_changes: tuple[tuple[int, int | None, int | None], ...]  # (turn, recorded score, score now)
    drill_file_changed: bool

    @property
    def same(self) -> bool:
        return self.now is not None and self.now == self.recorded and not self.turn_changes


@dataclass(frozen=True, slots=True)
class Regrade:
    drills: tuple[DrillRegrade, ...]
    recorded_score: int
    recorded_passed: bool
    score: int
    passed: bool
    changed_versions: tuple[str, ...]  # "scorer", "library", "salesdrill", "drill:ID", "persona:ID"

    @property
    def same(self) -> bool:
        return (all(d.same for d in self.drills) and self.score == self.recorded_score
                and self.passed == self.recorded_passed)


def regrade_certificate(payload: Mapping[str, Any], catalog: Catalog) -> Regrade:
    lang, seed = payload["lang"], int(payload["seed"])
    suite = payload["suite"]
    suite_drills = [d["drill"] for d in suite.get("drills", ())]
    old_versions = payload.get("versions", {})
    now_versions = grading_versions(catalog, suite_drills)
    results: list[DrillRegrade] = []
    new_marks: list[DrillMark] = []
    for entry in payload["drills"]:
        drill = entry["drill"]
        recorded_turns = [r for r in entry.get("transcript", ()) if r.get("type") == "turn"]
        recorded = DrillMark(drill, int(entry["score"]), entry["outcome"], bool(entry["passed"]))
        old_digest = old_versions.get("drills", {}).get(drill, entry.get("digest"))
        if drill not in catalog.scenarios:
            results.append(DrillRegrade(drill, recorded, None, (), True))
            continue
        again = replay(catalog, drill, lang, seed, recorded_turns)
        now = drill_mark(drill, again.turns, again.summary.outcome, int(entry["pass_mark"]))
        new_marks.append(now)
        changes = []
        for i in range(max(len(recorded_turns), len(again.turns))):
            before = int(recorded_turns[i]["score"]) if i < len(recorded_turns) else None
            after = int(again.turns[i]["score"]) if i < len(again.turns) else None
            if before != after:
                changes.append((i + 1, before, after))
        results.append(DrillRegrade(drill, recorded, now, tuple(changes),
                                    old_digest != catalog.scenarios[drill].digest))
    exam = exam_mark(new_marks, suite_drills, int(suite.get("pass_mark", 0)),
                     bool(suite.get("require_every_drill", True)), payload["status"] == "complete")
    changed = [k for k in ("scorer", "library", "salesdrill") if old_versions.get(k) != now_versions[k]]
    changed += [f"drill:{d.drill}" for d in results if d.drill_file_changed]
    old_personas = old_versions.get("personas", {})
    changed += [f"persona:{pid}" for pid, digest in now_versions["personas"].items()
                if old_personas.get(pid, digest) != digest]
    result = payload["result"]
    return Regrade(tuple(results), int(result["score"]), bool(result["passed"]), exam.score, exam.passed,
                   tuple(changed))
