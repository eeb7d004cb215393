"""What a session looks like on screen, as styled fragments shared by the terminal UI and scripted runs.

Each function returns a list of (style, text) pairs: prompt_toolkit prints them
in colour, `plain` joins them for pipes and files. Widths are counted in
terminal cells, since a Chinese character takes two.
"""

from __future__ import annotations

import unicodedata
from collections import Counter

from scoring.principles import Library
from simulator.explain import describe_near_miss, shown_words
from simulator.messages import CLOSING_ADVICE, t
from simulator.scenario import Persona, Scenario
from simulator.session import Session, Summary, Turn

__all__ = ["Fragments", "cells_of", "feedback", "intro", "pad", "persona_says", "plain", "summary"]

Fragments = list[tuple[str, str]]


def plain(fragments: Fragments) -> str:
    return "".join(text for _style, text in fragments)


def pad(text: str, cells: int) -> str:
    """Pad `text` with spaces to `cells` terminal cells."""
    return text + " " * max(0, cells - cells_of(text))


def cells_of(text: str) -> int:
    """Terminal cells `text` takes: two per wide (Chinese) character, none per combining or format mark.

    What wcwidth would say for the text we print (names, titles), without its
    tables: importing wcwidth costs a scripted drill about 35 ms.
    """
    return sum(0 if unicodedata.category(ch) in ("Mn", "Me", "Cf") else 2 if unicodedata.east_asian_width(ch) in "WF"
               else 1 for ch in text)


def _name(library: Library, pid: str, lang: str) -> str:
    return library[pid].name.get(lang) if pid in library else pid


def intro(scenario: Scenario, persona: Persona, lang: str) -> Fragments:
    who = ", ".join(x for x in (persona.role.get(lang), persona.company.get(lang)) if x)
    out: Fragments = [("class:title", f"{scenario.title.get(lang)}\n"),
                      ("class:dim", f"{t('prospect', lang)}: {persona.name.get(lang)} ({who})\n")]
    if scenario.brief.get(lang):
        out.append(("class:dim", f"{t('situation', lang)}: {scenario.brief.get(lang)}\n"))
    out.append(("class:dim", f"{t('goal', lang)}: {scenario.goal.get(lang)}\n"))
    out.append(("class:dim", f"{t('commands', lang)}\n"))
    return out


def persona_says(persona: Persona, line: str, lang: str) -> Fragments:
    return [("class:persona-name", f"{persona.name.get(lang)}: "), ("class:persona", f"{line}\n")]


def feedback(turn: Turn, library: Library, lang: str) -> Fragments:
    """Score, principles hit (with the words that showed them), misses and why, penalties, the tip."""
    r = turn.result
    out: Fragments = [("class:score", f"  [{t('score', lang)} {r.score}]")]
    if r.hits:
        shown = ", ".join(_with_words(library, pid, r.words(pid), lang) for pid in r.hits)
        out.append(("class:hit", f"  ✓ {t('hit', lang)}: {shown}"))
    out.append(("", "\n"))
    if r.missed:
        parts = []
        for pid in r.missed:
            ev = r.match.evidence.get(pid)
            why = f" ({t('near_miss', lang)}: {describe_near_miss(ev.near_miss, lang)})" if ev and ev.near_miss else ""
            parts.append(_name(library, pid, lang) + why)
        out.append(("class:miss", f"  ✗ {t('missed', lang)}: {'; '.join(parts)}\n"))
    if r.also_showed:
        shown = ", ".join(_name(library, pid, lang) for pid in r.also_showed)
        out.append(("class:dim", f"  + {t('also', lang)}: {shown}\n"))
    for p in r.penalties:
        words = f" ({', '.join(shown_words(p.words, lang))})" if p.words else ""
        out.append(("class:penalty", f"  ⚠ {t('penalty', lang)} -{p.points}: {_name(library, p.anti_pattern, lang)}{words}\n"))
    if turn.tip:
        out.append(("class:tip", f"  💡 {t('tip', lang)}: {turn.tip}\n"))
    return out


def _with_words(library: Library, pid: str, words: tuple[str, ...], lang: str) -> str:
    name = _name(library, pid, lang)
    return f"{name} ({'/'.join(shown_words(words, lang)[:3])})" if words else name


def _counts(library: Library, counter: Counter[str], lang: str) -> str:
    if not counter:
        return t("none", lang)
    return ", ".join(f"{_name(library, pid, lang)} ×{n}" for pid, n in counter.most_common())


def _why(turn: Turn, library: Library, lang: str) -> str:
    move = turn.move
    if move.reason == "patience":
        return t("moved_patience", lang)
    if move.reason == "tries":
        return t("moved_tries", lang)
    if move.reason == "stay":
        return t("moved_stay", lang)
    return ", ".join(_name(library, pid, lang) if pid in library else pid for pid in move.moved_by)


def summary(session: Session, result: Summary, transcript: str | None) -> Fragments:
    lang, library = session.lang, session.library
    outcome = t(f"outcome_{result.outcome}", lang)
    end = f" ({result.end})" if result.end else ""
    out: Fragments = [
        ("class:title", f"\n── {t('summary', lang)} ──\n"),
        (f"class:outcome-{result.outcome}", f"{t('outcome', lang)}: {outcome}{end}"),
        ("class:score", f"   {t('session_score', lang)}: {result.score}\n"),
    ]
    if result.turns:
        out.append(("class:dim", f"{t('timeline', lang)}:\n"))
        width = max(len(turn.state) for turn in result.turns)  # state ids are ASCII
        for turn in result.turns:
            m = turn.move
            arrow = f"{pad(m.before, width)} → {m.after}"
            patience = f"{t('patience_label', lang)} {m.patience_before}→{m.patience_after}"
            out.append(("", f"  {turn.number:>2}. {turn.score:>3}  {arrow}  {patience}  ← {_why(turn, library, lang)}\n"))
    out.append(("class:hit", f"{t('principles_hit', lang)}: {_counts(library, result.hit, lang)}\n"))
    out.append(("class:miss", f"{t('principles_missed', lang)}: {_counts(library, result.missed, lang)}\n"))
    out.append(("class:penalty", f"{t('anti_patterns', lang)}: {_counts(library, result.anti_patterns, lang)}\n"))
    out.append(("class:tip", f"{CLOSING_ADVICE[result.outcome][lang]}\n"))
    if transcript:
        out.append(("class:dim", f"{t('transcript', lang)}: {transcript}\n"))
    return out
