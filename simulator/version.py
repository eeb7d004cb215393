"""The installed salesdrill version, read from the package metadata (falls back for a source tree)."""

from __future__ import annotations

try:
    from importlib.metadata import PackageNotFoundError, version

    __version__ = version("salesdrill")
except PackageNotFoundError:  # pragma: no cover - running from a checkout without install
    __version__ = "0.0.0+source"
