"""Certification suites: which drills an exam runs, the pass marks, the seed, the time limit, the attempt cap.

A suite is a small YAML file. Built-in suites ship in `suites/`; a trainer's
own is given by path, or found as DIR/suites/NAME.yaml under `--scenarios DIR`.
Every drill a suite names is checked against the loaded catalog before the
exam starts, so a typo fails at `file:line:col` and not halfway through.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from importlib import resources
from typing import Any

from scoring.principles import Localized
from simulator.checks import Checker
from simulator.errors import DataFileError, UnknownIdError, UsageError
from simulator.loader import Catalog
from simulator.yamlfile import Located, load_yaml, read_yaml

__all__ = ["SUITE_KEYS", "Suite", "SuiteDrill", "builtin_suite_names", "load_suite", "resolve_suite"]

SUITE_KEYS = (
    "id", "title", "pass_mark", "require_every_drill", "default_pass_mark", "seed", "time_limit",
    "max_attempts", "missing_drills", "drills",
)
DRILL_KEYS = ("drill", "pass_mark")
_PACKAGE = "simulator.certification"


@dataclass(frozen=True, slots=True)
class SuiteDrill:
    """One drill of the exam and the score it must reach (besides ending in success)."""

    drill: str
    pass_mark: int


@dataclass(frozen=True)
class Suite:
    """A certification exam, as loaded and checked against the drills installed."""

    id: str
    title: Localized
    source: str
    digest: str
    pass_mark: int
    require_every_drill: bool
    seed: int
    time_limit: int | None
    max_attempts: int | None
    drills: tuple[SuiteDrill, ...]
    skipped: tuple[str, ...] = ()

    def describe(self) -> dict[str, Any]:
        """The suite as a certificate records it."""
        return {
            "id": self.id,
            "title": {"zh": self.title.zh, "en": self.title.en},
            "source": self.source,
            "digest": self.digest,
            "pass_mark": self.pass_mark,
            "require_every_drill": self.require_every_drill,
            "seed": self.seed,
            "time_limit": self.time_limit,
            "max_attempts": self.max_attempts,
            "drills": [{"drill": d.drill, "pass_mark": d.pass_mark} for d in self.drills],
            "skipped": list(self.skipped),
        }


def builtin_suite_names() -> list[str]:
    folder = resources.files(_PACKAGE) / "suites"
    return sorted(ref.name.rsplit(".", 1)[0] for ref in folder.iterdir() if ref.name.endswith(".yaml"))


def resolve_suite(name: str, scenarios_folder: str | None = None) -> Located:
    """Find and parse a suite: a path to a file, DIR/suites/NAME.yaml, or a built-in suite by name."""
    if name.endswith((".yaml", ".yml")) or os.sep in name or (os.altsep and os.altsep in name):
        if not os.path.isfile(name):
            raise UsageError(f"suite file {name} does not exist")
        return read_yaml(name)
    if scenarios_folder:
        for ext in (".yaml", ".yml"):
            candidate = os.path.join(scenarios_folder, "suites", name + ext)
            if os.path.isfile(candidate):
                return read_yaml(candidate)
    ref = resources.files(_PACKAGE) / "suites" / f"{name}.yaml"
    if not ref.is_file():
        raise UnknownIdError("suite", name, builtin_suite_names())
    return load_yaml(ref.read_text(encoding="utf-8"), f"suites/{name}.yaml")


def load_suite(doc: Located, catalog: Catalog) -> tuple[Suite, list[str]]:
    """Check a parsed suite against the catalog. Returns the suite and warnings (drills skipped)."""
    check = Checker(doc)
    top = check.mapping(doc.data, (), "a suite")
    if top is None:
        raise check.problems[0]
    check.keys(top, (), SUITE_KEYS, "a suite")
    sid = check.text(top, "id", ()) or ""
    title = Localized.of(check.localized(top, "title", (), False)) if "title" in top else Localized(sid, sid)
    pass_mark = check.integer(top, "pass_mark", (), 70, 0, 100)
    default_mark = check.integer(top, "default_pass_mark", (), None, 0, 100)
    seed = check.integer(top, "seed", (), 0, 0, 2**31)
    time_limit = check.integer(top, "time_limit", (), None, 1, 24 * 3600)
    max_attempts = check.integer(top, "max_attempts", (), None, 1, 1000)
    every = top.get("require_every_drill", True)
    if not isinstance(every, bool):
        check.problem(("require_every_drill",), "'require_every_drill' must be true or false")
        every = True
    missing = top.get("missing_drills", "error")
    if missing not in ("error", "skip"):
        check.problem(("missing_drills",), "'missing_drills' must be error or skip")
        missing = "error"
    drills: list[SuiteDrill] = []
    skipped: list[str] = []
    raw = top.get("drills")
    if not isinstance(raw, list) or not raw:
        check.problem(("drills",) if "drills" in top else (), "'drills' must be a non-empty list of drill ids")
        raw = []
    for i, entry in enumerate(raw):
        at = ("drills", i)
        mark: int | None = default_mark
        if isinstance(entry, dict):
            check.keys(entry, at, DRILL_KEYS, "a suite drill")
            drill_id = check.text(entry, "drill", at)
            mark = check.integer(entry, "pass_mark", at, default_mark, 0, 100)
        elif isinstance(entry, str):
            drill_id = entry
        else:
            check.problem(at, "a suite drill is a drill id, or {drill: ID, pass_mark: N}")
            continue
        if not drill_id:
            continue
        if any(d.drill == drill_id for d in drills) or drill_id in skipped:
            check.problem(at, f"drill '{drill_id}' is listed twice")
            continue
        if drill_id not in catalog.scenarios:
            if missing == "skip":
                skipped.append(drill_id)
            else:
                check.problem(at, UnknownIdError("drill", drill_id, catalog.scenarios).one_line()
                              + " (or set 'missing_drills: skip')")
            continue
        drills.append(SuiteDrill(drill_id, mark if mark is not None else catalog.scenarios[drill_id].pass_mark))
    if check.problems:
        raise check.problems[0]
    if not drills:
        raise DataFileError(doc.path, "none of the suite's drills is installed", *doc.where(("drills",)))
    digest = hashlib.sha256(json.dumps(doc.data, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()
    suite = Suite(sid, title, doc.path, digest, pass_mark or 0, every, seed or 0, time_limit, max_attempts,
                  tuple(drills), tuple(skipped))
    warnings = [f"suite '{sid}': drill '{d}' is not installed; skipped" for d in skipped]
    return suite, warnings
