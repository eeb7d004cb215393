"""Checks on a drill's rules that need no replies: shadowed rules, order-dependent overlaps, unused principles.

A rule is *shadowed* when an earlier rule of the same state holds whenever it
does: it can never fire (an error). Two rules *overlap* when some reply would
satisfy both and they lead to different states, so the order in the file
decides (a warning). Two orders are taken as meant and not reported: a rule on
anti-patterns first (the mistake outweighs what else the reply shows), and a
more specific rule before a more general one (`when: [a, b]` before `when: [a]`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from scoring.principles import Library
from simulator.scenario import Rule, Scenario

__all__ = ["Finding", "rule_findings", "unused_principles"]


@dataclass(frozen=True, slots=True)
class Finding:
    state: str
    rule: int  # index of the later rule
    severity: str  # error | warning
    message: str


def _bounds(rule: Rule) -> tuple[int, int]:
    return (rule.min_score if rule.min_score is not None else 0,
            rule.max_score if rule.max_score is not None else 100)


def _always_covers(first: Rule, later: Rule) -> bool:
    """Whenever `later` holds, `first` holds too."""
    if first.is_otherwise:
        return True
    if not set(first.when) <= set(later.when):
        return False
    if first.when_any and not set(first.when_any) & set(later.when):
        return False
    if not set(first.unless) <= set(later.unless):
        return False
    lo1, hi1 = _bounds(first)
    lo2, hi2 = _bounds(later)
    return lo1 <= lo2 and hi2 <= hi1


def _witness(a: Rule, b: Rule) -> tuple[str, ...] | None:
    """Ids a reply could show to satisfy both rules, or None when no reply can."""
    banned = set(a.unless) | set(b.unless)
    shown = set(a.when) | set(b.when)
    if shown & banned:
        return None
    for any_of in (a.when_any, b.when_any):
        if any_of and not set(any_of) & shown:
            choice = next((pid for pid in any_of if pid not in banned), None)
            if choice is None:
                return None
            shown.add(choice)
    lo = max(_bounds(a)[0], _bounds(b)[0])
    hi = min(_bounds(a)[1], _bounds(b)[1])
    if lo > hi:
        return None
    return tuple(sorted(shown))


def _deliberate(first: Rule, later: Rule, library: Library) -> bool:
    """Orders that are the usual way to write rules, not an accident."""
    ids = first.ids() + later.ids()
    if any(pid in library and library[pid].is_anti_pattern for pid in ids):
        return True
    return set(later.when) < set(first.when) or set(first.when) < set(later.when)


def rule_findings(scenario: Scenario, library: Library) -> list[Finding]:
    findings: list[Finding] = []
    for state in scenario.states.values():
        rules = state.rules
        for j, later in enumerate(rules):
            for i in range(j):
                first = rules[i]
                if _always_covers(first, later):
                    findings.append(Finding(state.id, j, "error", (
                        f"rule {j + 1} of '{state.id}' (to '{later.go}') can never fire: "
                        f"rule {i + 1} (to '{first.go}') holds whenever it does; move it up or drop it")))
                    break
                if first.is_otherwise or later.is_otherwise or first.go == later.go:
                    continue
                if _deliberate(first, later, library):
                    continue
                shown = _witness(first, later)
                if shown is not None:
                    findings.append(Finding(state.id, j, "warning", (
                        f"a reply showing {', '.join(shown) or 'nothing in particular'} satisfies rule {i + 1} "
                        f"(to '{first.go}') and rule {j + 1} (to '{later.go}') of '{state.id}': "
                        f"the order decides, rule {i + 1} wins")))
    return findings


def unused_principles(scenarios: Iterable[Scenario], library: Library) -> list[str]:
    """Positive principles of the library that no drill expects or branches on anywhere."""
    used: set[str] = set()
    for sc in scenarios:
        for state in sc.states.values():
            for item in state.expect:
                used.update((item,) if isinstance(item, str) else item)
            for rule in state.rules:
                used.update(rule.ids())
    return [pid for pid in library.positive_ids if pid not in used]
