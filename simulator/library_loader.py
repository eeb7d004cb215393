"""Build the principle library (`scoring.Library`) from its YAML file.

The built-in file is `scoring/library/principles.yaml`. A trainer's own
`principles.yaml` (in a scenarios folder) adds exemplars and cues to existing
principles, or new principles, without touching Python.

Named concepts (`concepts:`) are word lists that cue groups name as `@name`:
one list of, say, ways to run something down serves every cue that needs it,
and a word added to it (by any library file) reaches all of them.
"""

from __future__ import annotations

import hashlib
import re
from importlib import resources
from typing import Any

from scoring.normalise import DATE, TIME, normalise
from scoring.principles import LANGS, Cue, Exemplar, Kind, Library, Localized, Principle
from simulator.checks import Checker
from simulator.errors import DataFileError, nearest
from simulator.yamlfile import Located, Path, load_yaml

__all__ = ["BUILTIN_LIBRARY", "library_from_docs", "load_builtin_library_text"]

BUILTIN_LIBRARY = "principles.yaml"
_PRINCIPLE_KEYS = ("kind", "name", "tip", "quote", "penalty", "patience_cost", "cues", "exemplars", "overrides")
_CUE_KEYS = ("groups", "window", "strength")
_ADDABLE_KEYS = ("cues", "exemplars", "overrides")  # what a later library file may add to an existing principle
_CONCEPT_NAME = re.compile(r"[a-z][a-z0-9_]*")
Concepts = dict[str, dict[str, tuple[str, ...]]]  # concept name -> language -> terms
DEFAULT_PENALTY = 35


def load_builtin_library_text() -> tuple[str, str]:
    """(path shown to users, text) of the built-in principle library."""
    ref = resources.files("scoring.library").joinpath(BUILTIN_LIBRARY)
    return f"scoring/library/{BUILTIN_LIBRARY}", ref.read_text(encoding="utf-8")


def _cues(check: Checker, raw: Any, at: Path, concepts: Concepts) -> list[Cue]:
    cues: list[Cue] = []
    if raw is None:
        return cues
    table = check.mapping(raw, at, "'cues'")
    if table is None:
        return cues
    check.keys(table, at, LANGS, "'cues'")
    for lang in LANGS:
        entries = table.get(lang) or []
        if not isinstance(entries, list):
            check.problem(at + (lang,), "cues must be a list")
            continue
        for i, entry in enumerate(entries):
            where = at + (lang, i)
            window, strength = 60, 1.0
            groups = entry
            if isinstance(entry, dict):
                check.keys(entry, where, _CUE_KEYS, "a cue")
                groups = entry.get("groups")
                window = check.integer(entry, "window", where, 60, 1, 1000) or 60
                strength = entry.get("strength", 1.0)
                if not isinstance(strength, (int, float)) or not 0 < strength <= 1:
                    check.problem(where + ("strength",), "'strength' must be a number above 0, at most 1")
                    strength = 1.0
            if not isinstance(groups, list) or not groups:
                check.problem(where, "a cue is a list of groups, each a list of terms")
                continue
            parsed = []
            groups_at = where + ("groups",) if isinstance(entry, dict) else where
            for g, group in enumerate(groups):
                if isinstance(group, str):
                    group = [group]
                terms = _terms(check, group, groups_at + (g,), "a group must be a list of non-empty terms")
                if terms is not None:
                    expanded = _expand(check, terms, groups_at + (g,), lang, concepts)
                    if expanded is not None:
                        parsed.append(expanded)
            if len(parsed) == len(groups):
                cues.append(Cue(tuple(parsed), window, float(strength), lang))
    return cues


def _terms(check: Checker, group: Any, at: Path, shape: str) -> tuple[str, ...] | None:
    """A list of terms as texts, or None (with the problem recorded) if it is not one."""
    if not isinstance(group, list) or not group or not all(isinstance(t, (str, int)) and str(t).strip() for t in group):
        check.problem(at, shape)
        return None
    flags = [t for t, term in enumerate(group) if isinstance(term, bool)]
    for t in flags:  # YAML reads a bare off, on, yes or no as true/false, not as the word
        check.problem(at + (t,), "this term was read as true/false, not as a word "
                      "(a bare off, on, yes or no): put it in quotes")
    if flags:
        return None
    for t, term in enumerate(group):
        reads_as = normalise(str(term)).flat if str(term) not in (DATE, TIME) else None
        if reads_as in (DATE, TIME):
            check.problem(at + (t,), f"term '{term}' reads as any "
                          f"{'date' if reads_as == DATE else 'time'} once normalised; "
                          f"write {reads_as} if that is meant, or drop it")
    return tuple(str(t) for t in group)


def _expand(check: Checker, terms: tuple[str, ...], at: Path, lang: str, concepts: Concepts) -> tuple[str, ...] | None:
    """A group's terms with each `@name` replaced by that concept's words in the cue's language."""
    out: list[str] = []
    ok = True
    for t, term in enumerate(terms):
        if not term.startswith("@"):
            out.append(term)
            continue
        name = term[1:]
        if name not in concepts:
            hint = nearest(name, concepts)
            suggestion = f"; did you mean '@{hint[0]}'?" if hint else " (define it under 'concepts:')"
            check.problem(at + (t,), f"unknown concept '{term}'{suggestion}")
            ok = False
        elif not concepts[name].get(lang):
            check.problem(at + (t,), f"concept '{term}' has no {lang} words")
            ok = False
        else:
            out.extend(concepts[name][lang])
    return tuple(dict.fromkeys(out)) if ok else None


def _concepts(check: Checker, raw: Any, concepts: Concepts) -> None:
    """Read a file's `concepts:` into `concepts`, adding to lists of the same name met before."""
    table = check.mapping(raw, ("concepts",), "'concepts'")
    for name, entry in (table or {}).items():
        at = ("concepts", name)
        if not isinstance(name, str) or not _CONCEPT_NAME.fullmatch(name):
            check.problem(at, f"concept name '{name}' must be lower-case letters, digits and _, starting with a letter")
            continue
        langs = check.mapping(entry, at, f"concept '{name}'")
        if langs is None:
            continue
        check.keys(langs, at, LANGS, f"concept '{name}'")
        for lang in LANGS:
            if lang not in langs:
                continue
            terms = _terms(check, langs[lang], at + (lang,), "a concept's words must be a list of non-empty terms")
            if terms is not None:
                if any(term.startswith("@") for term in terms):
                    check.problem(at + (lang,), "a concept lists words, not other concepts ('@...')")
                    continue
                known = concepts.setdefault(name, {}).get(lang, ())
                concepts[name][lang] = tuple(dict.fromkeys(known + terms))


def _exemplars(check: Checker, raw: Any, at: Path) -> list[Exemplar]:
    out: list[Exemplar] = []
    if raw is None:
        return out
    table = check.mapping(raw, at, "'exemplars'")
    if table is None:
        return out
    check.keys(table, at, LANGS, "'exemplars'")
    for lang in LANGS:
        entries = table.get(lang) or []
        if not isinstance(entries, list) or not all(isinstance(e, str) for e in entries):
            check.problem(at + (lang,), "exemplars must be a list of texts")
            continue
        out.extend(Exemplar(lang, e, normalise(e).flat) for e in entries if e.strip())
    return out


def _principle(check: Checker, pid: str, raw: Any, at: Path, base: Principle | None,
               concepts: Concepts) -> Principle | None:
    entry = check.mapping(raw, at, f"principle '{pid}'")
    if entry is None:
        return None
    check.keys(entry, at, _PRINCIPLE_KEYS, f"principle '{pid}'")
    cues = _cues(check, entry.get("cues"), at + ("cues",), concepts)
    exemplars = _exemplars(check, entry.get("exemplars"), at + ("exemplars",))
    overrides = _overrides(check, entry.get("overrides"), at + ("overrides",))
    if base is not None:  # a trainer's addition to a known principle
        for key in entry:
            if key not in _ADDABLE_KEYS:
                check.problem(at + (key,), f"'{key}' of the existing principle '{pid}' cannot be changed here: "
                              f"a principles.yaml only adds {', '.join(_ADDABLE_KEYS)} to it")
        return Principle(
            base.id, base.kind, base.name, base.tip, base.quote, base.penalty, base.patience_cost,
            base.cues + tuple(cues), base.exemplars + tuple(exemplars), tuple(dict.fromkeys(base.overrides + overrides)),
        )
    kind_text = check.text(entry, "kind", at) or "principle"
    try:
        kind = Kind(kind_text)
    except ValueError:
        check.problem(at + ("kind",), f"'kind' must be principle or anti_pattern, not '{kind_text}'")
        kind = Kind.PRINCIPLE
    is_anti = kind is Kind.ANTI_PATTERN
    penalty = check.integer(entry, "penalty", at, DEFAULT_PENALTY if is_anti else 0, 0, 100) or 0
    cost = check.integer(entry, "patience_cost", at, 1 if is_anti else 0, 0, 10) or 0
    if not cues and not exemplars:
        check.problem(at, f"principle '{pid}' has neither cues nor exemplars: nothing could detect it")
    return Principle(
        pid, kind,
        Localized.of(check.localized(entry, "name", at, True)),
        Localized.of(check.localized(entry, "tip", at, True)),
        Localized.of(check.localized(entry, "quote", at, False)),
        penalty, cost, tuple(cues), tuple(exemplars), overrides,
    )


def _overrides(check: Checker, raw: Any, at: Path) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(pid, str) and pid.strip() for pid in raw):
        check.problem(at, "'overrides' must be a list of principle or anti-pattern ids")
        return ()
    return tuple(raw)


def library_from_docs(docs: list[Located]) -> tuple[Library, list[DataFileError]]:
    """The first document is the base library; later ones extend it. Returns the problems too.

    Every file's concepts are read first, so a word a trainer adds to a concept
    reaches the built-in cues that name it too.
    """
    principles: dict[str, Principle] = {}
    problems: list[DataFileError] = []
    digest = hashlib.sha256()
    concepts: Concepts = {}
    checks = [Checker(doc) for doc in docs]
    for check, doc in zip(checks, docs, strict=True):
        if isinstance(doc.data, dict) and doc.data.get("concepts") is not None:
            _concepts(check, doc.data["concepts"], concepts)
    for check, doc in zip(checks, docs, strict=True):
        top = check.mapping(doc.data, (), "a principle library")
        if top is not None:
            check.keys(top, (), ("version", "concepts", "principles"), "a principle library")
            only_concepts = "principles" not in top and "concepts" in top  # a file that only adds words
            table = {} if only_concepts else check.mapping(top.get("principles"), ("principles",), "'principles'") or {}
            for pid, raw in table.items():
                made = _principle(check, pid, raw, ("principles", pid), principles.get(pid), concepts)
                if made is not None:
                    principles[pid] = made
        problems.extend(check.problems)
        digest.update(repr(doc.data).encode())
    for doc in docs:
        problems.extend(_unknown_overrides(doc, principles))
    return Library(principles, version=digest.hexdigest()[:12]), problems


def _unknown_overrides(doc: Located, principles: dict[str, Principle]) -> list[DataFileError]:
    """Every id a principle overrides must exist once all library files are read, wherever it is defined."""
    check = Checker(doc)
    table = doc.data.get("principles") if isinstance(doc.data, dict) else None
    for pid, raw in (table or {}).items() if isinstance(table, dict) else ():
        named = raw.get("overrides") if isinstance(raw, dict) else None
        for i, other in enumerate(named if isinstance(named, list) else ()):
            if isinstance(other, str) and other not in principles:
                hint = nearest(other, principles)
                suggestion = f"; did you mean '{hint[0]}'?" if hint else ""
                check.problem(("principles", pid, "overrides", i), f"'overrides' names unknown id '{other}'{suggestion}")
    return check.problems


def parse_library_text(text: str, path: str) -> Located:
    return load_yaml(text, path)
