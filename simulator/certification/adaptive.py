"""Adaptive practice: with no drill named, practise the one that trains the rep's weakest principle.

History is what this installation knows of the rep: their certification
attempts in the results database (one trainee, when named by --trainee or
SALESDRILL_TRAINEE) and, when no trainee is named, the practice transcripts
in the data folder too (the data folder is the rep's own).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TextIO

from simulator.certification.marks import principle_tally
from simulator.certification.store import Store, default_db_path
from simulator.certification.texts import x
from simulator.certification.weakness import Weakness, drill_for, weaknesses
from simulator.errors import UsageError
from simulator.loader import Catalog
from simulator.scenario import Scenario
from simulator.transcript import data_dir, read_records

__all__ = ["Proposal", "history_counts", "propose"]

RECENT_TRANSCRIPTS = 200


@dataclass(frozen=True)
class Proposal:
    scenario: Scenario
    weakness: Weakness
    states: int


def _merge(into: dict[str, dict[str, int]], more: Mapping[str, Mapping[str, int]]) -> None:
    for pid, counts in more.items():
        slot = into.setdefault(pid, {"hit": 0, "missed": 0, "anti_pattern": 0})
        for kind, n in counts.items():
            slot[kind] = slot.get(kind, 0) + n


def _practice_counts(folder: str) -> dict[str, dict[str, int]]:
    try:
        names = sorted((n for n in os.listdir(folder) if n.endswith(".jsonl")), reverse=True)[:RECENT_TRANSCRIPTS]
    except OSError:
        return {}
    turns: list[dict[str, Any]] = []
    for name in names:
        try:
            records = list(read_records(os.path.join(folder, name)))
        except (OSError, UnicodeDecodeError):
            continue
        if records and records[0].get("type") == "header" and records[0].get("mode") == "practice":
            turns.extend(r for r in records if r.get("type") == "turn")
    return principle_tally(turns)


def history_counts(trainee: str | None, db_path: str | None = None) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {}
    path = db_path or default_db_path()
    if os.path.exists(path):
        with Store.open(path, create=False) as store:
            _merge(counts, store.principle_counts(trainee))
    if trainee is None:
        _merge(counts, _practice_counts(os.path.join(data_dir(), "transcripts")))
    return counts


def propose(catalog: Catalog, lang: str, trainee: str | None, out: TextIO, db_path: str | None = None) -> Proposal:
    """Choose the drill and tell the rep why; a one-line error when there is nothing to go on."""
    trainee = trainee or os.environ.get("SALESDRILL_TRAINEE") or None
    counts = history_counts(trainee, db_path)
    if not counts:
        who = f" for '{trainee}'" if trainee else ""
        raise UsageError(f"no practice or certification history{who} yet to choose a drill from; "
                         "pick one with 'salesdrill list' and run 'salesdrill practice DRILL'")
    chosen = drill_for(catalog, weaknesses(counts))
    if chosen is None:
        raise UsageError("your history shows no principle missed that a drill trains; "
                         "pick a harder drill with 'salesdrill list' and run 'salesdrill practice DRILL'")
    scenario, weak = chosen
    states = sum(1 for s in scenario.states.values()
                 if any(weak.principle == i or (isinstance(i, tuple) and weak.principle in i) for i in s.expect))
    name = catalog.library[weak.principle].name.get(lang) if weak.principle in catalog.library else weak.principle
    out.write(x("weakest", lang, name=name, missed=weak.missed, expected=weak.expected) + "\n")
    out.write(x("proposed", lang, title=scenario.title.get(lang), drill=scenario.id, states=states) + "\n")
    out.flush()
    return Proposal(scenario, weak, states)


def confirm(lang: str) -> bool:
    """In a terminal: Enter starts the proposed drill, q (or Ctrl-C, Ctrl-D) does not."""
    from prompt_toolkit import PromptSession

    try:
        answer = PromptSession[str]().prompt(x("start_it", lang))
    except (EOFError, KeyboardInterrupt):
        return False
    return answer.strip().lower() not in ("q", "quit", "/quit", "n", "no")
