"""A compiled catalog kept between runs, so a drill starts without re-reading YAML and rebuilding the matcher.

The key is a hash of the exact text of every source file, the principle
library, the salesdrill version and the code of the `scoring` and `simulator`
modules that build and use it: any change to any of them (a trainer's save, an
upgrade) gives a new key, so a stale catalog is never used. The cache is only
a shortcut: a cache file that cannot be read, written or unpickled is ignored
and the catalog is loaded from its YAML as usual. Catalogs with problems are
never cached, so every error is still reported from the files themselves.

SALESDRILL_CACHE_DIR moves the cache; SALESDRILL_NO_CACHE=1 turns it off.
"""

from __future__ import annotations

import glob
import hashlib
import os
import pickle
import tempfile

from simulator.loader import Catalog, SourceFile, load_catalog
from simulator.version import __version__

__all__ = ["cache_dir", "cached_catalog"]

_KEEP = 8  # newest cached catalogs kept; a trainer who saves often makes a new one each time
_UNUSABLE = (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, IndexError, TypeError,
             ValueError)


def cache_dir() -> str:
    override = os.environ.get("SALESDRILL_CACHE_DIR")
    if override:
        return override
    from platformdirs import user_cache_dir

    return user_cache_dir("salesdrill", appauthor=False)


def cached_catalog(sources: list[SourceFile]) -> Catalog:
    """The catalog of `sources`, from the cache when an identical one was built before."""
    from simulator.library_loader import load_builtin_library_text

    library = load_builtin_library_text()
    if os.environ.get("SALESDRILL_NO_CACHE"):
        return load_catalog(sources, library)
    key = _key(sources, library[1])
    path = os.path.join(cache_dir(), f"catalog-{key}.pickle") if key else None
    if path:
        try:
            with open(path, "rb") as handle:
                catalog = pickle.load(handle)
            if isinstance(catalog, Catalog):
                return catalog
        except _UNUSABLE:
            pass
    catalog = load_catalog(sources, library)
    if path and not catalog.problems:
        _store(path, catalog)
    return catalog


def _code_digest() -> bytes:
    """The code that builds and uses a catalog: a pickled Matcher is only good for the code that made it."""
    import scoring

    digest = hashlib.sha256()
    for package in (os.path.dirname(scoring.__file__), os.path.dirname(__file__)):
        for path in sorted(glob.glob(os.path.join(package, "*.py")) + glob.glob(os.path.join(package, "*", "*.txt"))):
            with open(path, "rb") as handle:
                digest.update(path.encode("utf-8", "surrogatepass") + b"\0" + handle.read())
    return digest.digest()


def _key(sources: list[SourceFile], library_text: str) -> str | None:
    digest = hashlib.sha256(f"salesdrill {__version__}\0".encode())
    try:
        digest.update(_code_digest())
    except OSError:
        return None
    digest.update(library_text.encode("utf-8", "surrogatepass"))
    for source in sources:
        text = source.text
        if text is None:
            try:
                with open(source.path, "rb") as handle:
                    raw = handle.read()
            except OSError:
                return None  # the loader will report it; nothing to cache
        else:
            raw = text.encode("utf-8", "surrogatepass")
        digest.update(f"\0{source.kind}\0{source.path}\0{len(raw)}\0".encode("utf-8", "surrogatepass"))
        digest.update(raw)
    return digest.hexdigest()[:32]


def _store(path: str, catalog: Catalog) -> None:
    """Write atomically (a reader never sees half a file); failure only costs the next start its speed."""
    folder = os.path.dirname(path)
    catalog.matcher  # noqa: B018 - compile it now, so the cached copy holds it
    try:
        os.makedirs(folder, exist_ok=True)
        handle, temp = tempfile.mkstemp(prefix=".catalog-", dir=folder)
        try:
            with os.fdopen(handle, "wb") as out:
                pickle.dump(catalog, out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temp, path)
        finally:
            if os.path.exists(temp):
                os.remove(temp)
        _prune(folder)
    except (OSError, pickle.PicklingError, TypeError, AttributeError, RecursionError):
        pass


def _prune(folder: str) -> None:
    cached = sorted(glob.glob(os.path.join(folder, "catalog-*.pickle")), key=os.path.getmtime, reverse=True)
    for old in cached[_KEEP:]:
        try:
            os.remove(old)
        except OSError:
            pass
