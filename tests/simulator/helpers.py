"""Build a catalog from the tiny fixtures, optionally with a scenario edited in text."""

from __future__ import annotations

from pathlib import Path

from simulator.loader import Catalog, SourceFile, load_catalog

FIXTURES = Path(__file__).parent.parent / "fixtures"


def fixture_text(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def mini_catalog(scenario_text: str | None = None, strict: bool = True) -> Catalog:
    sources = [
        SourceFile("personas/buyer.yaml", "persona", fixture_text("mini_persona.yaml")),
        SourceFile("scenarios/mini.yaml", "scenario", scenario_text or fixture_text("mini_scenario.yaml")),
    ]
    catalog = load_catalog(sources, ("mini_library.yaml", fixture_text("mini_library.yaml")))
    if strict:
        assert not catalog.problems, "\n".join(map(str, catalog.problems))
    return catalog
