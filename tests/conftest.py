"""Shared fixtures: the built-in catalog, a tiny independent library, and a private data folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.loader import Catalog, builtin_sources, load_catalog

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def shared_cache_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def private_data_dir(tmp_path, monkeypatch, shared_cache_dir):
    """No test writes into the real user data or cache folders (the cache is shared by the session's tests)."""
    folder = tmp_path / "data"
    monkeypatch.setenv("SALESDRILL_DATA_DIR", str(folder))
    monkeypatch.setenv("SALESDRILL_CACHE_DIR", str(shared_cache_dir))
    monkeypatch.delenv("SALESDRILL_NO_CACHE", raising=False)
    monkeypatch.delenv("SALESDRILL_SCENARIOS", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return folder


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    loaded = load_catalog(builtin_sources())
    assert not loaded.problems, "\n".join(str(p) for p in loaded.problems)
    return loaded


@pytest.fixture(scope="session")
def mini_library_text() -> tuple[str, str]:
    path = FIXTURES / "mini_library.yaml"
    return str(path), path.read_text(encoding="utf-8")
