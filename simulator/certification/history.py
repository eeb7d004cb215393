"""`salesdrill history`: attempts over time, the pass rate, and the principles each rep misses most.

Plain text in the rep's language with small bar charts (block characters,
padded by terminal cells so Chinese names line up), or the same figures as
JSON. `--suite` narrows everything, the principles missed most included.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, TextIO

from simulator.certification.store import AttemptRow, Store
from simulator.certification.texts import x
from simulator.certification.weakness import Weakness, weaknesses
from simulator.errors import nearest
from simulator.loader import Catalog
from simulator.render import pad

__all__ = ["TraineeStats", "attempt_state", "bar", "show_history", "trainee_stats"]

BAR_WIDTH = 20


def bar(fraction: float, width: int = BAR_WIDTH) -> str:
    filled = round(max(0.0, min(1.0, fraction)) * width)
    return "█" * filled + "░" * (width - filled)


@dataclass(frozen=True)
class TraineeStats:
    trainee: str
    attempts: tuple[AttemptRow, ...]
    weak: tuple[Weakness, ...]

    @property
    def passed(self) -> int:
        return sum(1 for a in self.attempts if a.passed)

    @property
    def pass_rate(self) -> float:
        return self.passed / len(self.attempts) if self.attempts else 0.0

    @property
    def best(self) -> int | None:
        scores = [a.score for a in self.attempts if a.score is not None]
        return max(scores) if scores else None


def trainee_stats(store: Store, trainee: str, suite: str | None = None) -> TraineeStats:
    attempts = tuple(store.attempts(trainee, suite))
    return TraineeStats(trainee, attempts, tuple(weaknesses(store.principle_counts(trainee, suite))))


def attempt_state(a: AttemptRow) -> str:
    """interrupted (killed), stopped (/quit, Ctrl-C, end of input), passed or failed."""
    if a.interrupted:
        return "interrupted"
    if a.status == "incomplete":
        return "stopped"
    return "passed" if a.passed else "failed"


def _name(catalog: Catalog, pid: str, lang: str) -> str:
    return catalog.library[pid].name.get(lang) if pid in catalog.library else pid


def _right(text: str, cells: int) -> str:
    """`text` right-aligned in `cells` terminal cells."""
    return " " * (len(pad(text, cells)) - len(text)) + text


def _one(stats: TraineeStats, catalog: Catalog, lang: str, out: TextIO) -> None:
    out.write(x("h_one", lang, trainee=stats.trainee, n=len(stats.attempts), passed=stats.passed,
                rate=f"{stats.pass_rate:.0%}") + "\n")
    if stats.attempts:
        marks = {a.suite_info.get("pass_mark") for a in stats.attempts}
        note = x("h_mark_note", lang, mark=marks.pop()) if len(marks) == 1 else ""
        out.write("\n" + x("h_over_time", lang, note=note) + "\n")
        for a in stats.attempts:
            score = a.score if a.score is not None else 0
            shown = f"{a.score:>3}" if a.score is not None else "  -"
            out.write(f"  {a.started[:10]} {pad(a.suite, 10)} #{a.number:<2} {bar(score / 100)} {shown}  "
                      f"{x('state_' + attempt_state(a), lang)}\n")
    if stats.weak:
        out.write("\n" + x("h_missed_most", lang) + "\n")
        for w in stats.weak[:5]:
            out.write(f"  {pad(_name(catalog, w.principle, lang), 28)} {bar(w.rate, 10)} "
                      + x("h_missed_of", lang, missed=w.missed, expected=w.expected, rate=f"{w.rate:.0%}") + "\n")


def _as_json(stats: TraineeStats) -> dict[str, Any]:
    return {
        "trainee": stats.trainee,
        "attempts": [{"id": a.id, "suite": a.suite, "number": a.number, "started": a.started,
                      "finished": a.finished, "status": a.status, "interrupted": a.interrupted, "score": a.score,
                      "passed": bool(a.passed), "certificate": a.certificate} for a in stats.attempts],
        "passed": stats.passed,
        "pass_rate": round(stats.pass_rate, 3),
        "missed_most": [{"principle": w.principle, "missed": w.missed, "expected": w.expected,
                         "rate": round(w.rate, 3)} for w in stats.weak[:10]],
    }


def _nothing(store: Store, lang: str, trainee: str | None, suite: str | None) -> str:
    """No attempts: say for whom, and the names the database has that come closest (a typo is the usual cause)."""
    who = (x("h_for_trainee", lang, name=trainee) if trainee else "") + (x("h_in_suite", lang, name=suite) if suite else "")
    if suite and (trainee is None or store.attempts(trainee)):
        wanted, known = suite, store.suites()
    else:
        wanted, known = trainee or "", store.trainees(suite)
    shown = known if len(known) <= 10 else nearest(wanted, known, limit=3)
    return x("h_none", lang, who=who) + (x("h_known", lang, names=", ".join(shown)) if shown else "")


def _table(everyone: list[TraineeStats], catalog: Catalog, lang: str, out: TextIO) -> None:
    cols = x("h_columns", lang).split("|")
    out.write(f"{pad(cols[0], 20)} {_right(cols[1], 8)}  {_right(cols[2], 6)}  {pad(cols[3], 15)}  "
              f"{_right(cols[4], 4)}  {pad(cols[5], 10)}  {cols[6]}\n")
    for s in everyone:
        last = s.attempts[-1]
        weakest = _name(catalog, s.weak[0].principle, lang) if s.weak else "-"
        best = f"{s.best:>4}" if s.best is not None else "   -"
        out.write(f"{pad(s.trainee, 20)} {len(s.attempts):>8}  {s.passed:>6}  {bar(s.pass_rate, 10)} {s.pass_rate:>4.0%}"
                  f"  {best}  {last.started[:10]}  {weakest}\n")
    total = sum(len(s.attempts) for s in everyone)
    passed = sum(s.passed for s in everyone)
    out.write("\n" + x("h_totals", lang, trainees=len(everyone), attempts=total, rate=f"{passed / total:.0%}") + "\n")


def show_history(store: Store, catalog: Catalog, lang: str, trainee: str | None, suite: str | None,
                 as_json: bool, out: TextIO) -> int:
    names = [trainee] if trainee else store.trainees(suite)
    everyone = [s for s in (trainee_stats(store, name, suite) for name in names) if s.attempts]
    if as_json:
        out.write(json.dumps([_as_json(s) for s in everyone], ensure_ascii=False, indent=2) + "\n")
        return 0
    if not everyone:
        out.write(_nothing(store, lang, trainee, suite) + "\n")
    elif trainee:
        _one(everyone[0], catalog, lang, out)
    else:
        _table(everyone, catalog, lang, out)
    return 0
