"""Load personas and scenarios from YAML into typed objects, checking everything a trainer can get wrong.

Built-ins ship in the `personas` and `scenarios` packages; a trainer's folder
(`--scenarios DIR` or SALESDRILL_SCENARIOS) adds to them or replaces them.
Every problem is collected with its file, line and column.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from typing import Any

from scoring.matcher import Matcher
from scoring.principles import LANGS, Library, Localized
from simulator.checks import Checker
from simulator.errors import DataFileError, UnknownIdError
from simulator.library_loader import library_from_docs, load_builtin_library_text
from simulator.scenario import (
    END_KINDS,
    FAILURE,
    SUCCESS,
    ConversationTest,
    Lines,
    Persona,
    Rule,
    Scenario,
    State,
    TestExpectation,
)
from simulator.yamlfile import Located, Path, load_yaml, read_yaml

__all__ = ["Catalog", "SourceFile", "builtin_sources", "folder_sources", "load_catalog", "sources_from_paths"]

SCENARIO_KEYS = (
    "id", "persona", "objection", "title", "goal", "brief", "section", "difficulty", "order", "start",
    "pass_mark", "max_tries", "patience_end", "tries_end", "states", "model_answer", "tests",
)
STATE_KEYS = ("say", "again", "end", "expect", "avoid", "hint", "objection", "on")
RULE_KEYS = ("when", "when_any", "unless", "min_score", "max_score", "go", "otherwise")
TEST_KEYS = ("name", "lang", "replies", "seed", "expect")
TEST_EXPECT_KEYS = ("states", "end", "outcome", "min_score", "max_score")
PERSONA_KEYS = ("id", "name", "role", "company", "temperament", "patience", "lines")
OBJECTIONS = (
    "not_interested", "have_supplier", "not_decision_maker", "gatekeeper", "no_budget",
    "price_too_high", "unhappy_customer", "experienced_buyer", "after_sale",
)


@dataclass(frozen=True)
class SourceFile:
    """A YAML file to load: where it is shown as coming from, and its text (None: read from disk)."""

    path: str
    kind: str  # persona | scenario | library
    text: str | None = None


def builtin_sources() -> list[SourceFile]:
    out = []
    for package, kind in (("personas", "persona"), ("scenarios", "scenario")):
        for ref in sorted(resources.files(package).iterdir(), key=lambda r: r.name):
            if ref.name.endswith((".yaml", ".yml")):
                out.append(SourceFile(f"{package}/{ref.name}", kind, ref.read_text(encoding="utf-8")))
    return out


def folder_sources(folder: str) -> list[SourceFile]:
    """A trainer's folder: personas/*.yaml, scenarios/*.yaml (or loose scenario files) and principles.yaml."""
    if not os.path.isdir(folder):
        raise DataFileError(folder, "not a folder of personas and scenarios")
    out = []
    for root, _dirs, files in os.walk(folder):
        for name in sorted(files):
            if not name.endswith((".yaml", ".yml")):
                continue
            path = os.path.join(root, name)
            parts = os.path.relpath(path, folder).split(os.sep)
            if name in ("principles.yaml", "principles.yml") and len(parts) == 1:
                kind = "library"
            elif "personas" in parts[:-1]:
                kind = "persona"
            else:
                kind = "scenario"
            out.append(SourceFile(path, kind))
    return sorted(out, key=lambda s: s.path)


def sources_from_paths(paths: list[str]) -> list[SourceFile]:
    """Files or folders named on a command line; a file's kind is read from its content."""
    out: list[SourceFile] = []
    for path in paths:
        if os.path.isdir(path):
            out.extend(folder_sources(path))
        elif os.path.isfile(path):
            out.append(SourceFile(path, _kind_of(path)))
        else:
            raise DataFileError(path, "no such file or folder")
    return out


def _kind_of(path: str) -> str:
    name = os.path.basename(path)
    if name in ("principles.yaml", "principles.yml"):
        return "library"
    if "personas" in os.path.normpath(path).split(os.sep)[:-1]:
        return "persona"
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            head = handle.read(20_000)
    except OSError:
        return "scenario"
    if "\nstates:" in "\n" + head:
        return "scenario"
    if "\npatience:" in "\n" + head or "\nrole:" in "\n" + head:
        return "persona"
    return "scenario"


def _read(source: SourceFile) -> Located:
    return read_yaml(source.path, source.text) if source.text is None else load_yaml(source.text, source.path)


def _digest(source: SourceFile) -> str:
    text = source.text
    if text is None:
        with open(source.path, "rb") as handle:
            return hashlib.sha256(handle.read()).hexdigest()
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# -- personas -----------------------------------------------------------------


def _persona(doc: Located) -> tuple[Persona | None, list[DataFileError]]:
    check = Checker(doc)
    top = check.mapping(doc.data, (), "a persona")
    if top is None:
        return None, check.problems
    check.keys(top, (), PERSONA_KEYS, "a persona")
    pid = check.text(top, "id", ())
    lines: dict[str, Lines] = {}
    table = top.get("lines") or {}
    if check.mapping(table, ("lines",), "'lines'") is not None:
        for key in table:
            found = check.lines(table, key, ("lines",), True)
            lines[key] = Lines(found.get("zh", ()), found.get("en", ()))
    persona = Persona(
        id=pid or "",
        name=Localized.of(check.localized(top, "name", (), True)),
        role=Localized.of(check.localized(top, "role", (), True)),
        company=Localized.of(check.localized(top, "company", (), False)),
        temperament=Localized.of(check.localized(top, "temperament", (), False)),
        patience=check.integer(top, "patience", (), 3, 1, 20) or 3,
        lines=lines,
        source=doc.path,
    )
    return (persona if pid else None), check.problems


# -- scenarios ----------------------------------------------------------------


def _expectations(check: Checker, raw: Any, at: Path) -> tuple[Any, ...]:
    if raw is None:
        return ()
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list):
        check.problem(at, "'expect' must be a list of principle ids (a nested list means any one of them)")
        return ()
    out: list[Any] = []
    for i, item in enumerate(raw):
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, list) and item and all(isinstance(x, str) for x in item):
            out.append(tuple(item))
        else:
            check.problem(at + (i,), "each expected item is a principle id or a list of alternative ids")
    return tuple(out)


def _rules(check: Checker, raw: Any, at: Path) -> tuple[Rule, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        check.problem(at, "'on' must be a list of rules (when/when_any/unless/min_score/max_score + go, or otherwise)")
        return ()
    rules = []
    for i, entry in enumerate(raw):
        where = at + (i,)
        if check.mapping(entry, where, "a rule") is None:
            continue
        check.keys(entry, where, RULE_KEYS, "a rule")
        if "otherwise" in entry:
            if set(entry) - {"otherwise"}:
                check.problem(where, "'otherwise' stands alone: it is the rule taken when no other applies")
            go = check.text(entry, "otherwise", where)
            if go:
                rules.append(Rule(go=go))
            continue
        go = check.text(entry, "go", where)
        rule = Rule(
            go=go or "",
            when=check.id_list(entry, "when", where),
            when_any=check.id_list(entry, "when_any", where),
            unless=check.id_list(entry, "unless", where),
            min_score=check.integer(entry, "min_score", where, None, 0, 100),
            max_score=check.integer(entry, "max_score", where, None, 0, 100),
        )
        if rule.is_otherwise:
            check.problem(where, "a rule needs a condition (when, when_any, unless, min_score, max_score), "
                          "or write it as 'otherwise: STATE'")
        if go:
            rules.append(rule)
    return tuple(rules)


def _state(check: Checker, sid: str, raw: Any, at: Path) -> State | None:
    entry = check.mapping(raw, at, f"state '{sid}'")
    if entry is None:
        return None
    check.keys(entry, at, STATE_KEYS, f"state '{sid}'")
    say = check.lines(entry, "say", at, True)
    again = check.lines(entry, "again", at, False)
    end = check.text(entry, "end", at, required=False)
    if end is not None and end not in END_KINDS:
        check.problem(at + ("end",), f"'end' must be success or failure, not '{end}'")
    return State(
        id=sid,
        say=Lines(say.get("zh", ()), say.get("en", ())),
        again=Lines(again.get("zh", ()), again.get("en", ())),
        end=end,
        expect=_expectations(check, entry.get("expect"), at + ("expect",)),
        avoid=check.id_list(entry, "avoid", at),
        hint=Localized.of(check.localized(entry, "hint", at, False)),
        objection=check.text(entry, "objection", at, required=False),
        rules=_rules(check, entry.get("on"), at + ("on",)),
    )


def _tests(check: Checker, raw: Any) -> tuple[ConversationTest, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        check.problem(("tests",), "'tests' must be a list of conversation tests")
        return ()
    tests = []
    for i, entry in enumerate(raw):
        at: Path = ("tests", i)
        if check.mapping(entry, at, "a test") is None:
            continue
        check.keys(entry, at, TEST_KEYS, "a test")
        name = check.text(entry, "name", at) or f"test {i + 1}"
        lang = check.text(entry, "lang", at) or "zh"
        if lang not in LANGS:
            check.problem(at + ("lang",), f"'lang' must be zh or en, not '{lang}'")
        replies = entry.get("replies")
        if not isinstance(replies, list) or not replies or not all(isinstance(r, str) for r in replies):
            check.problem(at + ("replies",), "'replies' must be a non-empty list of replies")
            replies = []
        exp = entry.get("expect") or {}
        if check.mapping(exp, at + ("expect",), "'expect'") is None:
            exp = {}
        check.keys(exp, at + ("expect",), TEST_EXPECT_KEYS, "a test's 'expect'")
        states = exp.get("states")
        if states is not None and not (isinstance(states, list) and all(isinstance(s, str) for s in states)):
            check.problem(at + ("expect", "states"), "'states' must be a list of state ids")
            states = None
        outcome = check.text(exp, "outcome", at + ("expect",), required=False)
        if outcome is not None and outcome not in (SUCCESS, FAILURE, "incomplete"):
            check.problem(at + ("expect", "outcome"), "'outcome' must be success, failure or incomplete")
        tests.append(ConversationTest(
            name=name, lang=lang, replies=tuple(replies),
            seed=check.integer(entry, "seed", at, 0, 0, 2**31) or 0,
            expect=TestExpectation(
                states=tuple(states) if states is not None else None,
                end=check.text(exp, "end", at + ("expect",), required=False),
                outcome=outcome,
                min_score=check.integer(exp, "min_score", at + ("expect",), None, 0, 100),
                max_score=check.integer(exp, "max_score", at + ("expect",), None, 0, 100),
            ),
        ))
    return tuple(tests)


def _scenario(doc: Located, digest: str) -> tuple[Scenario | None, Checker]:
    check = Checker(doc)
    top = check.mapping(doc.data, (), "a scenario")
    if top is None:
        return None, check
    check.keys(top, (), SCENARIO_KEYS, "a scenario")
    states: dict[str, State] = {}
    table = check.mapping(top.get("states"), ("states",), "'states'") if "states" in top else None
    if "states" not in top:
        check.problem((), "missing 'states'")
    for sid, raw in (table or {}).items():
        made = _state(check, sid, raw, ("states", sid))
        if made is not None:
            states[sid] = made
    model: dict[str, tuple[str, ...]] = {}
    raw_model = top.get("model_answer")
    if raw_model is None:
        check.problem((), "missing 'model_answer' (the replies that walk the success path, per language)")
    else:
        found = check.lines(top, "model_answer", (), True)
        model = {lang: tuple(v) for lang, v in found.items()}
    sid = check.text(top, "id", ()) or ""
    scenario = Scenario(
        id=sid,
        persona=check.text(top, "persona", ()) or "",
        objection=check.text(top, "objection", ()) or "",
        title=Localized.of(check.localized(top, "title", (), True)),
        goal=Localized.of(check.localized(top, "goal", (), True)),
        brief=Localized.of(check.localized(top, "brief", (), False)),
        section=check.text(top, "section", (), required=False) or "objections",
        difficulty=check.integer(top, "difficulty", (), 1, 1, 5) or 1,
        order=check.integer(top, "order", (), 100, 0, 10_000) or 0,
        start=check.text(top, "start", ()) or "",
        pass_mark=check.integer(top, "pass_mark", (), 60, 0, 100) or 0,
        max_tries=check.integer(top, "max_tries", (), 2, 1, 10) or 2,
        patience_end=check.text(top, "patience_end", ()) or "",
        tries_end=check.text(top, "tries_end", ()) or "",
        states=states,
        model_answer=model,
        tests=_tests(check, top.get("tests")),
        source=doc.path,
        digest=digest,
        positions=doc.marks,
    )
    return (scenario if sid else None), check


def _check_references(check: Checker, sc: Scenario, library: Library, personas: dict[str, Persona]) -> None:
    """Cross-references: states, persona, principle ids, ends, reachability."""
    if sc.persona and sc.persona not in personas:
        check.problem(("persona",), _unknown("persona", sc.persona, personas))
    if sc.objection and sc.objection not in OBJECTIONS:
        check.problem(("objection",), _unknown("objection", sc.objection, OBJECTIONS))
    for key in ("start", "patience_end", "tries_end"):
        target = getattr(sc, key)
        if target and target not in sc.states:
            check.problem((key,), _unknown("state", target, sc.states))
    for key in ("patience_end", "tries_end"):
        target = getattr(sc, key)
        if target in sc.states and sc.states[target].end != FAILURE:
            check.problem((key,), f"'{key}' must name a failure end, and '{target}' is not one")
    if sc.states and not sc.success_ends:
        check.problem(("states",), "no success end: give at least one state 'end: success'")
    if sc.states and not sc.failure_ends:
        check.problem(("states",), "no failure end: give at least one state 'end: failure'")
    for state in sc.states.values():
        at: Path = ("states", state.id)
        for i, item in enumerate(state.expect):
            for pid in (item,) if isinstance(item, str) else item:
                if pid not in library:
                    check.problem(at + ("expect", i), _unknown("principle", pid, library.ids))
                elif library[pid].is_anti_pattern:
                    check.problem(at + ("expect", i), f"'{pid}' is an anti-pattern: put it under 'avoid'")
        for i, pid in enumerate(state.avoid):
            if pid not in library:
                check.problem(at + ("avoid", i), _unknown("anti-pattern", pid, library.anti_pattern_ids))
        for r, rule in enumerate(state.rules):
            for key in ("when", "when_any", "unless"):
                for pid in getattr(rule, key):
                    if pid not in library:
                        check.problem(at + ("on", r, key), _unknown("principle or anti-pattern", pid, library.ids))
            if rule.go and rule.go not in sc.states:
                key = "otherwise" if rule.is_otherwise else "go"
                check.problem(at + ("on", r, key), _unknown("state", rule.go, sc.states))
        if state.is_end and state.rules:
            check.problem(at + ("on",), f"'{state.id}' is an end: it cannot have rules")
        if not state.is_end and not state.rules:
            check.problem(at, f"state '{state.id}' has no way out and is not an end")
        if not state.is_end and not state.expect:
            check.problem(at, f"state '{state.id}' expects nothing: list the principles a good reply shows")
    for sid in sorted(set(sc.states) - _reachable(sc)):
        check.problem(("states", sid), f"state '{sid}' cannot be reached from '{sc.start}'")
    for i, test in enumerate(sc.tests):
        exp = test.expect
        for s in (exp.states or ()) + ((exp.end,) if exp.end else ()):
            if s not in sc.states:
                check.problem(("tests", i, "expect"), _unknown("state", s, sc.states))
    for lang in LANGS:
        if lang in sc.model_answer and not sc.model_answer[lang]:
            check.problem(("model_answer",), f"'model_answer' has no '{lang}' replies")


def _reachable(sc: Scenario) -> set[str]:
    seen: set[str] = set()
    todo = [sc.start] + [s for s in (sc.patience_end, sc.tries_end) if s]
    while todo:
        sid = todo.pop()
        if sid in seen or sid not in sc.states:
            continue
        seen.add(sid)
        todo.extend(rule.go for rule in sc.states[sid].rules)
    return seen


def _unknown(kind: str, wanted: str, known: Iterable[str]) -> str:
    return UnknownIdError(kind, wanted, known).one_line()


# -- the catalog ----------------------------------------------------------------


@dataclass
class Catalog:
    """Everything loaded: the principle library, personas and drills, with any problems found."""

    library: Library
    personas: dict[str, Persona]
    scenarios: dict[str, Scenario]
    problems: list[DataFileError] = field(default_factory=list)

    @cached_property
    def matcher(self) -> Matcher:
        return Matcher(self.library)

    def drill(self, drill_id: str) -> Scenario:
        if drill_id not in self.scenarios:
            raise UnknownIdError("drill", drill_id, self.scenarios)
        return self.scenarios[drill_id]

    def persona_of(self, scenario: Scenario) -> Persona:
        return self.personas[scenario.persona]

    def ordered(self) -> list[Scenario]:
        """Drills in curriculum order."""
        return sorted(self.scenarios.values(), key=lambda s: (s.order, s.difficulty, s.id))

    def raise_first_problem(self) -> None:
        if self.problems:
            raise self.problems[0]


def load_catalog(sources: list[SourceFile], library_text: tuple[str, str] | None = None) -> Catalog:
    """Load every source; later files with the same id replace earlier ones (a trainer's override)."""
    problems: list[DataFileError] = []
    lib_path, lib_text = library_text or load_builtin_library_text()
    lib_docs = [load_yaml(lib_text, lib_path)]
    docs: list[tuple[SourceFile, Located]] = []
    for source in sources:
        try:
            doc = _read(source)
        except DataFileError as exc:
            problems.append(exc)
            continue
        if source.kind == "library":
            lib_docs.append(doc)
        else:
            docs.append((source, doc))
    library, lib_problems = library_from_docs(lib_docs)
    problems.extend(lib_problems)
    personas: dict[str, Persona] = {}
    for source, doc in docs:
        if source.kind == "persona":
            persona, found = _persona(doc)
            problems.extend(found)
            if persona is not None:
                personas[persona.id] = persona
    scenarios: dict[str, Scenario] = {}
    for source, doc in docs:
        if source.kind != "scenario":
            continue
        scenario, check = _scenario(doc, _digest(source))
        if scenario is not None:
            _check_references(check, scenario, library, personas)
            if not check.problems:
                scenarios[scenario.id] = scenario
        problems.extend(check.problems)
    return Catalog(library, personas, scenarios, problems)
