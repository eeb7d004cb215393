"""Measure the scorer against labelled replies: per-id precision/recall/F1, macro F1, AUC, worst mistakes.

Pure computation over (label, prediction) pairs; reading corpora and scoring
replies is the caller's job, so the same figures serve the project's corpus
and a trainer's own file.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

__all__ = ["IdStats", "Judged", "Report", "auc", "evaluate"]

BANDS = ("good", "partial", "bad")
MIN_SUPPORT = 10  # principles rarer than this in a split are reported but left out of macro F1


@dataclass(frozen=True, slots=True)
class Judged:
    """One labelled reply and what the scorer made of it."""

    id: str
    lang: str
    objection: str
    band: str | None
    reply: str
    score: int | None  # None: no drill to score it against (counts for detection only)
    expected: frozenset[str]  # labelled principle and anti-pattern ids (None-labelled files: empty)
    found: frozenset[str]  # ids the matcher found
    labelled_ids: bool = True  # whether the file gave ids at all


@dataclass
class IdStats:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def support(self) -> int:
        return self.tp + self.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    """The figures for one set of replies (one language, one split)."""

    name: str
    count: int
    ids: dict[str, IdStats] = field(default_factory=dict)
    auc: float | None = None
    auc_pairs: int = 0
    worst: list[tuple[str, Judged]] = field(default_factory=list)

    def macro_f1(self, ids: Iterable[str]) -> float | None:
        chosen = [self.ids[i].f1 for i in ids if i in self.ids and self.ids[i].support >= MIN_SUPPORT]
        return sum(chosen) / len(chosen) if chosen else None


def auc(good: Sequence[int], bad: Sequence[int]) -> float | None:
    """Probability that a good reply outscores a bad one (ties count half)."""
    if not good or not bad:
        return None
    wins = 0.0
    for g in good:
        for b in bad:
            wins += 1.0 if g > b else 0.5 if g == b else 0.0
    return wins / (len(good) * len(bad))


def _mistake(j: Judged) -> tuple[float, str]:
    """How wrong a reply's score is for its band, and a line that says why."""
    missed = sorted(j.expected - j.found)
    extra = sorted(j.found - j.expected) if j.labelled_ids else []
    detail = ""
    if missed:
        detail += f" missed {', '.join(missed)}"
    if extra:
        detail += f" wrongly found {', '.join(extra)}"
    if j.score is None:
        return 5 * (len(missed) + len(extra)), f"{j.band} reply (no drill to score it);{detail}"
    if j.band == "good":
        return 100 - j.score + 5 * len(missed) + 5 * len(extra), f"good reply scored {j.score};{detail}"
    if j.band == "bad":
        return j.score + 5 * len(missed) + 5 * len(extra), f"bad reply scored {j.score};{detail}"
    return 5 * (len(missed) + len(extra)), f"partial reply scored {j.score};{detail}"


def evaluate(name: str, judged: Sequence[Judged], worst: int = 10) -> Report:
    report = Report(name, len(judged))
    ids: dict[str, IdStats] = defaultdict(IdStats)
    for j in judged:
        if not j.labelled_ids:
            continue
        for pid in j.expected | j.found:
            stats = ids[pid]
            if pid in j.expected and pid in j.found:
                stats.tp += 1
            elif pid in j.found:
                stats.fp += 1
            else:
                stats.fn += 1
    report.ids = dict(sorted(ids.items()))
    good: dict[str, list[int]] = defaultdict(list)
    bad: dict[str, list[int]] = defaultdict(list)
    for j in judged:
        if j.score is None:
            continue
        if j.band == "good":
            good[j.objection].append(j.score)
        elif j.band == "bad":
            bad[j.objection].append(j.score)
    wins = pairs = 0.0
    for objection in good:
        value = auc(good[objection], bad.get(objection, []))
        if value is not None:
            n = len(good[objection]) * len(bad[objection])
            wins += value * n
            pairs += n
    report.auc = wins / pairs if pairs else None
    report.auc_pairs = int(pairs)
    ranked = sorted(((*_mistake(j), j) for j in judged), key=lambda t: (-t[0], t[2].id))
    report.worst = [(why, j) for _weight, why, j in ranked[:worst] if _weight > 0]
    return report
