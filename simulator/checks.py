"""Small typed accessors over located YAML that collect every problem instead of stopping at one.

The loaders use them to read a file field by field; each problem is a
DataFileError at the line and column of the value that caused it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from simulator.errors import DataFileError, nearest
from simulator.yamlfile import Located, Path

__all__ = ["Checker"]


class Checker:
    """Reads values out of one located YAML document and records problems."""

    def __init__(self, doc: Located) -> None:
        self.doc = doc
        self.problems: list[DataFileError] = []

    def problem(self, at: Path, message: str) -> None:
        self.problems.append(self.doc.error(at, message))

    def keys(self, value: dict[str, Any], at: Path, allowed: Iterable[str], what: str) -> None:
        """Flag keys that are not part of the format, suggesting the nearest allowed one."""
        allowed = tuple(allowed)
        for key in value:
            if key not in allowed:
                guess = nearest(key, allowed)
                hint = f"; did you mean '{guess[0]}'?" if guess else f"; allowed: {', '.join(allowed)}"
                self.problem(at + (key,), f"unknown key '{key}' in {what}{hint}")

    def mapping(self, value: Any, at: Path, what: str) -> dict[str, Any] | None:
        if isinstance(value, dict):
            return value
        self.problem(at, f"{what} must be a mapping (key: value), not {_kind(value)}")
        return None

    def text(self, parent: dict[str, Any], key: str, at: Path, required: bool = True) -> str | None:
        value = parent.get(key)
        if value is None:
            if required:
                self.problem(at, f"missing '{key}'")
            return None
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return str(value)
        self.problem(at + (key,), f"'{key}' must be text, not {_kind(value)}")
        return None

    def integer(self, parent: dict[str, Any], key: str, at: Path, default: int | None,
                low: int = 0, high: int = 1_000_000) -> int | None:
        value = parent.get(key, default)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(at + (key,), f"'{key}' must be a whole number, not {_kind(value)}")
            return default
        if not low <= value <= high:
            self.problem(at + (key,), f"'{key}' must be between {low} and {high}, not {value}")
            return default
        return value

    def id_list(self, parent: dict[str, Any], key: str, at: Path) -> tuple[str, ...]:
        """A list of ids; a single id is accepted as a list of one."""
        value = parent.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            return (value,)
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return tuple(value)
        self.problem(at + (key,), f"'{key}' must be an id or a list of ids")
        return ()

    def localized(self, parent: dict[str, Any], key: str, at: Path, required: bool,
                  langs: tuple[str, ...] = ("zh", "en")) -> dict[str, str]:
        """A {zh: ..., en: ...} text; every language must be present."""
        value = parent.get(key)
        if value is None:
            if required:
                self.problem(at, f"missing '{key}' (give it as {{zh: ..., en: ...}})")
            return {}
        if not isinstance(value, dict):
            self.problem(at + (key,), f"'{key}' must be a mapping with zh and en texts")
            return {}
        self.keys(value, at + (key,), langs, f"'{key}'")
        out = {}
        for lang in langs:
            text = value.get(lang)
            if text is None or (isinstance(text, str) and not text.strip()):
                self.problem(at + (key,), f"'{key}' has no '{lang}' text")
            elif not isinstance(text, str):
                self.problem(at + (key, lang), f"'{key}.{lang}' must be text")
            else:
                out[lang] = text
        return out

    def lines(self, parent: dict[str, Any], key: str, at: Path, required: bool,
              langs: tuple[str, ...] = ("zh", "en")) -> dict[str, tuple[str, ...]]:
        """Line variants per language: {zh: [..], en: [..]}; a single string is one variant."""
        value = parent.get(key)
        if value is None:
            if required:
                self.problem(at, f"missing '{key}' (give it as {{zh: [...], en: [...]}})")
            return {}
        if not isinstance(value, dict):
            self.problem(at + (key,), f"'{key}' must be a mapping with zh and en lines")
            return {}
        self.keys(value, at + (key,), langs, f"'{key}'")
        out: dict[str, tuple[str, ...]] = {}
        for lang in langs:
            variants = value.get(lang)
            if isinstance(variants, str):
                variants = [variants]
            if not variants:
                self.problem(at + (key,), f"'{key}' has no '{lang}' line")
            elif not isinstance(variants, list) or not all(isinstance(v, str) and v.strip() for v in variants):
                self.problem(at + (key, lang), f"'{key}.{lang}' must be a list of non-empty lines")
            else:
                out[lang] = tuple(variants)
        return out


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__
