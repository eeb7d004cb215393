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
from functools import cached_property, lru_cache
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
PERSONA_LINE_KEYS = ("annoyed",)  # said before the next line when a reply costs the persona patience
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
    builtin: bool = False  # shipped with salesdrill: a trainer's file with the same id replaces it


def builtin_sources() -> list[SourceFile]:
    out = []
    for package, kind in (("personas", "persona"), ("scenarios", "scenario")):
        for ref in sorted(resources.files(package).iterdir(), key=lambda r: r.name):
            if ref.name.endswith((".yaml", ".yml")):
                out.append(SourceFile(f"{package}/{ref.name}", kind, ref.read_text(encoding="utf-8"), builtin=True))
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
    if source.text is None:
        return read_yaml(source.path)
    return _parsed(source.text, source.path)


@lru_cache(maxsize=64)
def _parsed(text: str, path: str) -> Located:
    """Text already in memory (the built-in files) is parsed once per process; nothing changes a Located."""
    return load_yaml(text, path)


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
        check.keys(table, ("lines",), PERSONA_LINE_KEYS, "a persona's 'lines'")
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
        check.problem(at, "'expect' must be a list of principle ids (a nested list means any one of them)",
                      on_value=True)
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
        check.problem(at, "'on' must be a list of rules (when/when_any/unless/min_score/max_score + go, "
                      "or otherwise), each starting with '- '", on_value=True)
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
    end = check.choice(entry, "end", at, END_KINDS)
    objection = check.choice(entry, "objection", at, ("none", *OBJECTIONS))
    return State(
        id=sid,
        say=Lines(say.get("zh", ()), say.get("en", ())),
        again=Lines(again.get("zh", ()), again.get("en", ())),
        end=end,
        expect=_expectations(check, entry.get("expect"), at + ("expect",)),
        avoid=check.id_list(entry, "avoid", at),
        hint=Localized.of(check.localized(entry, "hint", at, False)),
        objection=objection,
        rules=_rules(check, entry.get("on"), at + ("on",)),
    )


def _tests(check: Checker, raw: Any) -> tuple[ConversationTest, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        check.problem(("tests",), "'tests' must be a list of conversation tests, each starting with '- '",
                      on_value=True)
        return ()
    tests = []
    for i, entry in enumerate(raw):
        at: Path = ("tests", i)
        if check.mapping(entry, at, "a test") is None:
            continue
        check.keys(entry, at, TEST_KEYS, "a test")
        name = check.text(entry, "name", at) or f"test {i + 1}"
        lang = check.choice(entry, "lang", at, LANGS, required=True) or "zh"
        replies = entry.get("replies")
        if not isinstance(replies, list) or not replies or not all(isinstance(r, str) for r in replies):
            if replies is None:
                check.missing(at, "replies", "missing 'replies'")
            else:
                check.problem(at + ("replies",), "'replies' must be a non-empty list of replies, "
                              "one per line starting with '- ' (or [..., ...])", on_value=True)
            replies = []
        exp = entry.get("expect") or {}
        if check.mapping(exp, at + ("expect",), "'expect'") is None:
            exp = {}
        check.keys(exp, at + ("expect",), TEST_EXPECT_KEYS, "a test's 'expect'")
        states = exp.get("states")
        if states is not None and not (isinstance(states, list) and all(isinstance(s, str) for s in states)):
            check.problem(at + ("expect", "states"), "'states' must be a list of state ids", on_value=True)
            states = None
        outcome = check.choice(exp, "outcome", at + ("expect",), (SUCCESS, FAILURE, "incomplete"))
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
        check.missing((), "states", "missing 'states'")
    elif table == {}:
        check.problem(("states",), "'states' is empty: a drill needs its states")
    for sid, raw in (table or {}).items():
        made = _state(check, sid, raw, ("states", sid))
        if made is not None:
            states[sid] = made
    model: dict[str, tuple[str, ...]] = {}
    raw_model = top.get("model_answer")
    if raw_model is None:
        check.missing((), "model_answer",
                      "missing 'model_answer' (the replies that walk the success path, per language)")
    else:
        found = check.lines(top, "model_answer", (), True)
        model = {lang: tuple(v) for lang, v in found.items()}
    sid = check.text(top, "id", ()) or ""
    scenario = Scenario(
        id=sid,
        persona=check.text(top, "persona", ()) or "",
        objection=check.choice(top, "objection", (), OBJECTIONS, required=True) or "",
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
        check.problem(("persona",), _unknown("persona", sc.persona, personas), on_value=True)
    broken = 0  # references to states that do not exist: reachability means nothing until they are fixed

    def state_ref(target: str, at: Path) -> None:
        nonlocal broken
        if target and sc.states and target not in sc.states:
            broken += 1
            check.problem(at, _unknown("state", target, sc.states), on_value=True)

    for key in ("start", "patience_end", "tries_end"):
        state_ref(getattr(sc, key), (key,))
    for key in ("patience_end", "tries_end"):
        target = getattr(sc, key)
        if target in sc.states and sc.states[target].end != FAILURE:
            check.problem((key,), f"'{key}' must name a failure end, and '{target}' is not one", on_value=True)
    if sc.states and not sc.success_ends:
        check.problem(("states",), "no success end: give at least one state 'end: success'")
    if sc.states and not sc.failure_ends:
        check.problem(("states",), "no failure end: give at least one state 'end: failure'")
    for state in sc.states.values():
        at: Path = ("states", state.id)
        for i, item in enumerate(state.expect):
            for j, pid in enumerate((item,) if isinstance(item, str) else item):
                where = at + ("expect", i) if isinstance(item, str) else at + ("expect", i, j)
                if pid not in library:
                    check.problem(where, _unknown("principle", pid, library.positive_ids), on_value=True)
                elif library[pid].is_anti_pattern:
                    check.problem(where, f"'{pid}' is an anti-pattern: put it under 'avoid'", on_value=True)
        for i, pid in enumerate(state.avoid):
            if pid not in library:
                check.problem(at + ("avoid", i), _unknown("anti-pattern", pid, library.anti_pattern_ids), on_value=True)
            elif not library[pid].is_anti_pattern:
                check.problem(at + ("avoid", i), f"'{pid}' is a principle, not an anti-pattern: put it under 'expect'",
                              on_value=True)
        for r, rule in enumerate(state.rules):
            for key in ("when", "when_any", "unless"):
                for k, pid in enumerate(getattr(rule, key)):
                    if pid not in library:
                        check.problem(at + ("on", r, key, k), _unknown("principle or anti-pattern", pid, library.ids),
                                      on_value=True)
            state_ref(rule.go, at + ("on", r, "otherwise" if rule.is_otherwise else "go"))
        if state.is_end and state.rules:
            check.problem(at + ("on",), f"'{state.id}' is an end: it cannot have rules")
        if not state.is_end and not state.rules and at + ("on",) not in check.misspelt:
            check.problem(at, f"state '{state.id}' has no way out and is not an end: give it rules under 'on'")
        if not state.is_end and not state.expect and at + ("expect",) not in check.misspelt:
            check.problem(at, f"state '{state.id}' expects nothing: list the principles a good reply shows")
    lost = any(path[-1] in ("go", "otherwise", "on", "start") for path in check.misspelt)
    if not broken and not lost and sc.start in sc.states:
        for sid in sorted(set(sc.states) - _reachable(sc), key=lambda s: sc.where("states", s)):
            check.problem(("states", sid), f"state '{sid}' cannot be reached from '{sc.start}'")
    for i, test in enumerate(sc.tests):
        exp = test.expect
        for j, s in enumerate(exp.states or ()):
            state_ref(s, ("tests", i, "expect", "states", j))
        if exp.end:
            state_ref(exp.end, ("tests", i, "expect", "end"))
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
    lib_docs = [_parsed(lib_text, lib_path)]
    docs: list[tuple[SourceFile, Located]] = []
    for source in _distinct(sources):
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
    defined: dict[tuple[str, str], tuple[SourceFile, Located]] = {}  # (kind, id) -> where a trainer defined it
    for source, doc in docs:
        if source.kind == "persona":
            persona, found = _persona(doc)
            problems.extend(found)
            if persona is not None:
                clash = _clash(defined, source, doc, persona.id, "persona")
                if clash is not None:
                    problems.append(clash)
                    continue
                personas[persona.id] = persona
    scenarios: dict[str, Scenario] = {}
    for source, doc in docs:
        if source.kind != "scenario":
            continue
        scenario, check = _scenario(doc, _digest(source))
        if scenario is not None:
            clash = _clash(defined, source, doc, scenario.id, "drill")
            if clash is not None:
                problems.append(clash)
                continue
            _check_references(check, scenario, library, personas)
            if not check.problems:
                scenarios[scenario.id] = scenario
        problems.extend(check.problems)
    return Catalog(library, personas, scenarios, problems)


def _distinct(sources: list[SourceFile]) -> list[SourceFile]:
    """Each file once, however it was named (a folder and a file in it, `./x` and `x`).

    The last naming wins: a file named on the command line is reported under
    the path the trainer typed, not the one its folder gave it.
    """
    def key(source: SourceFile) -> str:
        return source.path if source.builtin or source.text is not None else os.path.realpath(source.path)

    last = {key(source): i for i, source in enumerate(sources)}
    return [source for i, source in enumerate(sources) if last[key(source)] == i]


def _clash(defined: dict[tuple[str, str], tuple[SourceFile, Located]], source: SourceFile, doc: Located,
           ident: str, kind: str) -> DataFileError | None:
    """Two of a trainer's files with one id is a mistake; a trainer's file replacing a built-in one is not."""
    if source.builtin:
        return None
    first = defined.setdefault((kind, ident), (source, doc))
    if first[0] is source:
        return None
    line, _column = first[1].where(("id",))
    return doc.error(("id",), f"{kind} id '{ident}' is also defined in {first[0].path}:{line}: "
                              "give one of them another id", on_value=True)
