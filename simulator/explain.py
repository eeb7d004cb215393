"""Say why a reply scored what it did: the JSON record of `salesdrill score`, and its readable form."""

from __future__ import annotations

from typing import Any

from scoring.principles import Library
from scoring.rubric import ReplyScore
from simulator.drivers import display_reply
from simulator.messages import t
from simulator.scenario import Scenario

__all__ = ["explain_lines", "score_record"]


def score_record(reply: str, result: ReplyScore, scenario: Scenario, state: str, lang: str,
                 library: Library) -> dict[str, Any]:
    evidence = result.match.evidence
    return {
        "reply": reply,
        "drill": scenario.id,
        "state": state,
        "lang": lang,
        "score": result.score,
        "principles": list(result.found),
        "hits": list(result.hits),
        "anti_patterns": list(result.anti_patterns),
        "missed": list(result.missed),
        "penalties": {p.anti_pattern: p.points for p in result.penalties},
        "words": {pid: list(result.words(pid)) for pid in result.found + result.anti_patterns},
        "near_misses": {pid: ev.near_miss for pid, ev in evidence.items()
                        if ev.near_miss and (pid in result.missed or pid in library.anti_pattern_ids)},
        "tip": library[result.tip_for].tip.get(lang) if result.tip_for else None,
    }


def explain_lines(reply: str, result: ReplyScore, library: Library, lang: str, detailed: bool) -> list[str]:
    """A few lines per reply; with `detailed`, the evidence behind every finding and near miss."""
    name = lambda pid: library[pid].name.get(lang)  # noqa: E731
    lines = [f"{result.score:>3}  {display_reply(reply)}"]
    if result.hits:
        lines.append(f"     ✓ {t('hit', lang)}: {', '.join(name(p) for p in result.hits)}")
    if result.missed:
        lines.append(f"     ✗ {t('missed', lang)}: {', '.join(name(p) for p in result.missed)}")
    if result.also_showed:
        lines.append(f"     + {t('also', lang)}: {', '.join(name(p) for p in result.also_showed)}")
    for p in result.penalties:
        lines.append(f"     ⚠ {t('penalty', lang)} -{p.points}: {name(p.anti_pattern)}")
    if result.tip_for:
        lines.append(f"     💡 {library[result.tip_for].tip.get(lang)}")
    if detailed:
        relevant = set(result.missed) | set(result.found) | set(library.anti_pattern_ids)
        for pid, ev in result.match.evidence.items():
            if pid not in relevant:
                continue
            label = f"{pid} ({ev.strength:.1f})"
            if ev.found:
                pairs = ", ".join(f"'{f.words}'~{f.term}{' (typo)' if f.fuzzy else ''}" for f in ev.found)
                lines.append(f"     · {label}: cue words {pairs}")
            elif ev.exemplar:
                lines.append(f"     · {label}: like exemplar '{ev.exemplar}' ({ev.similarity:.0f}%)")
            if ev.near_miss:
                lines.append(f"     · {pid}: near miss, {ev.near_miss}")
            for neg in ev.negated:
                lines.append(f"     · {pid}: '{neg.words}' not counted, it is negated")
    return lines
