"""The exact versions a result was graded with: each drill and persona, the principle library, the scorer, salesdrill.

The scorer has no version number anyone must remember to bump: its version is
a digest of everything that decides a score or moves a conversation along
(the scoring package's sources and data, the engine, the session, the
library loader, and the versions of rapidfuzz and OpenCC), so any change to
how replies are scored shows up as a different scorer. A persona's patience
decides when a call ends, so personas are recorded beside the drill files.
"""

from __future__ import annotations

import dataclasses
import hashlib
from functools import lru_cache
from importlib import metadata, resources
from typing import Any

from simulator.loader import Catalog
from simulator.scenario import Persona
from simulator.version import __version__

__all__ = ["grading_versions", "persona_digest", "scorer_version"]

_SCORER_PACKAGES = ("scoring", "scoring.library")
_SCORER_SUFFIXES = (".py", ".txt")
_ENGINE_SOURCES = ("engine.py", "session.py", "library_loader.py")
_LIBRARIES = ("rapidfuzz", "opencc")


def _library_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


@lru_cache(maxsize=1)
def scorer_version() -> str:
    digest = hashlib.sha256()
    files = [(package, ref) for package in _SCORER_PACKAGES for ref in resources.files(package).iterdir()
             if ref.name.endswith(_SCORER_SUFFIXES)]
    files += [("simulator", resources.files("simulator") / name) for name in _ENGINE_SOURCES]
    for package, ref in sorted(files, key=lambda f: (f[0], f[1].name)):
        digest.update(f"{package}/{ref.name}\0".encode())
        if ref.is_file():
            digest.update(ref.read_bytes())
    for name in _LIBRARIES:
        digest.update(f"{name}=={_library_version(name)}\0".encode())
    return digest.hexdigest()[:16]


def persona_digest(persona: Persona) -> str:
    """A digest of what the persona is (lines, patience), not of where it was read from."""
    return hashlib.sha256(repr(dataclasses.replace(persona, source="")).encode("utf-8")).hexdigest()[:16]


def grading_versions(catalog: Catalog, drills: list[str] | tuple[str, ...]) -> dict[str, Any]:
    """Versions as recorded in results and certificates."""
    installed = [catalog.scenarios[d] for d in drills if d in catalog.scenarios]
    personas = {sc.persona: persona_digest(catalog.persona_of(sc)) for sc in installed}
    return {
        "salesdrill": __version__,
        "scorer": scorer_version(),
        "library": catalog.library.version,
        "drills": {sc.id: sc.digest for sc in installed},
        "personas": dict(sorted(personas.items())),
    }
