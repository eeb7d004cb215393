"""Score one reply 0-100 against what the moment expects, with the lecture's tip for the worst miss.

A state expects a list of items, most important first; an item is a principle
id or a tuple of ids of which any one will do. Each item is worth an equal
share of 100, earned in proportion to the evidence's strength. Every
anti-pattern found takes its library penalty off. The tip goes to the worst
anti-pattern found, else to the first item missed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from scoring.matcher import Evidence, Matcher, MatchResult
from scoring.principles import Library

__all__ = ["Expectation", "Penalty", "ReplyScore", "score_match", "score_reply"]

Expectation = str | tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Penalty:
    """An anti-pattern found in the reply and what it cost."""

    anti_pattern: str
    points: int
    words: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ReplyScore:
    """The verdict on one reply: the number, what earned it, what cost it, and what to do next."""

    score: int
    hits: tuple[str, ...]
    missed: tuple[str, ...]
    anti_patterns: tuple[str, ...]
    penalties: tuple[Penalty, ...]
    also_showed: tuple[str, ...]
    tip_for: str | None
    match: MatchResult

    @property
    def evidence(self) -> dict[str, Evidence]:
        return dict(self.match.evidence)

    def words(self, pid: str) -> tuple[str, ...]:
        ev = self.match.evidence.get(pid)
        return ev.words if ev else ()

    @property
    def found(self) -> tuple[str, ...]:
        """Every principle shown, expected or not."""
        return self.hits + self.also_showed


def _item_ids(item: Expectation) -> tuple[str, ...]:
    return (item,) if isinstance(item, str) else tuple(item)


def score_match(match: MatchResult, expect: Sequence[Expectation], library: Library) -> ReplyScore:
    """Score an already-matched reply against `expect`."""
    earned = 0.0
    hits: list[str] = []
    missed: list[str] = []
    for item in expect:
        ids = _item_ids(item)
        best = max(ids, key=match.strength)
        earned += min(1.0, match.strength(best))
        shown = match.hits(ids)
        if shown:
            hits.extend(shown)
        else:
            missed.append(ids[0])
    base = 100.0 * earned / len(expect) if expect else 100.0
    penalties = tuple(
        Penalty(pid, library[pid].penalty, match.evidence[pid].words)
        for pid in match.hits(library.anti_pattern_ids)
    )
    score = round(base - sum(p.points for p in penalties))
    expected_ids = {pid for item in expect for pid in _item_ids(item)}
    also = tuple(pid for pid in match.hits(library.positive_ids) if pid not in expected_ids)
    worst = max(penalties, key=lambda p: p.points).anti_pattern if penalties else None
    return ReplyScore(
        score=max(0, min(100, score)),
        hits=tuple(hits),
        missed=tuple(missed),
        anti_patterns=tuple(p.anti_pattern for p in penalties),
        penalties=penalties,
        also_showed=also,
        tip_for=worst or (missed[0] if missed else None),
        match=match,
    )


def score_reply(reply: str, expect: Sequence[Expectation], matcher: Matcher) -> ReplyScore:
    """Match and score a reply in one call."""
    return score_match(matcher.match(reply), expect, matcher.library)
