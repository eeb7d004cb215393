"""The exact versions a result was graded with: each drill file, the principle library, the scorer, salesdrill.

The scorer has no version number anyone must remember to bump: its version is
a digest of the scoring package's source files, so any change to how replies
are scored shows up as a different scorer.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import resources
from typing import Any

from simulator.loader import Catalog
from simulator.version import __version__

__all__ = ["grading_versions", "scorer_version"]

# What decides a score: the scorer itself and the engine that moves the conversation along.
_SCORER_SOURCES = (
    ("scoring", ("normalise.py", "matcher.py", "rubric.py", "principles.py")),
    ("simulator", ("engine.py", "session.py")),
)


@lru_cache(maxsize=1)
def scorer_version() -> str:
    digest = hashlib.sha256()
    for package, names in _SCORER_SOURCES:
        folder = resources.files(package)
        for name in names:
            ref = folder / name
            digest.update(f"{package}/{name}\0".encode())
            if ref.is_file():
                digest.update(ref.read_bytes())
    return digest.hexdigest()[:16]


def grading_versions(catalog: Catalog, drills: list[str] | tuple[str, ...]) -> dict[str, Any]:
    """Versions as recorded in results and certificates."""
    return {
        "salesdrill": __version__,
        "scorer": scorer_version(),
        "library": catalog.library.version,
        "drills": {d: catalog.scenarios[d].digest for d in drills if d in catalog.scenarios},
    }
