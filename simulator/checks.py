"""Small typed accessors over located YAML that collect every problem instead of stopping at one.

The loaders use them to read a file field by field; each problem is a
DataFileError at the line and column of the value that caused it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from rapidfuzz import fuzz

from simulator.errors import DataFileError, nearest
from simulator.yamlfile import Located, Path

__all__ = ["Checker", "suggest"]

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


_LANG_ALIASES = {
    "cn": "zh", "zh_cn": "zh", "zh-cn": "zh", "zh_hans": "zh", "zh-hans": "zh", "chinese": "zh", "中文": "zh",
    "ch": "zh", "eng": "en", "english": "en", "en_us": "en", "en-us": "en", "en_gb": "en", "en-gb": "en",
    "英文": "en",
}


class Checker:
    """Reads values out of one located YAML document and records problems."""

    def __init__(self, doc: Located) -> None:
        self.doc = doc
        self.problems: list[DataFileError] = []
        # paths of allowed keys that were written misspelt: their "missing" is already reported
        self.misspelt: set[Path] = set()

    def problem(self, at: Path, message: str, on_value: bool = False) -> None:
        """Record a problem at the key (or list item) `at`, or at its value."""
        self.problems.append(self.doc.error(at, message, on_value))

    def keys(self, value: dict[str, Any], at: Path, allowed: Iterable[str], what: str) -> None:
        """Flag keys that are not part of the format, suggesting the nearest allowed one."""
        allowed = tuple(allowed)
        for key in value:
            if key in allowed:
                continue
            guess = suggest(key, allowed)
            if guess and guess not in value:
                self.misspelt.add(at + (guess,))
            if guess:
                hint = f"; did you mean '{guess}'?"
            elif "：" in key:
                hint = "; a full-width colon '：' (Chinese input) cannot separate a key from its value: use ':'"
            elif value[key] is None and not _IDENTIFIER.match(key):
                hint = ("; if it is part of a text, put the whole text in quotes "
                        "(a ',' inside {...} starts a new key)")
            else:
                hint = f"; allowed: {', '.join(allowed)}"
            self.problem(at + (key,), f"unknown key '{key}' in {what}{hint}")

    def missing(self, at: Path, key: str, message: str) -> None:
        """Report a required key that is absent, unless it was written misspelt (already reported)."""
        if at + (key,) not in self.misspelt:
            self.problem(at, message)

    def mapping(self, value: Any, at: Path, what: str) -> dict[str, Any] | None:
        if isinstance(value, dict):
            return value
        self.problem(at, f"{what} must be a mapping (key: value), not {_kind(value)}", on_value=True)
        return None

    def text(self, parent: dict[str, Any], key: str, at: Path, required: bool = True) -> str | None:
        value = parent.get(key)
        if value is None:
            if required:
                self.missing(at, key, f"missing '{key}'")
            return None
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return str(value)
        self.problem(at + (key,), f"'{key}' must be text, not {_kind(value)}", on_value=True)
        return None

    def choice(self, parent: dict[str, Any], key: str, at: Path, allowed: Iterable[str],
               required: bool = False) -> str | None:
        """A text that must be one of `allowed`; a wrong one is reported at the value, with a suggestion."""
        value = self.text(parent, key, at, required)
        if value is None:
            return None
        allowed = tuple(allowed)
        if value not in allowed:
            guess = suggest(value, allowed)
            if len(allowed) <= 3:
                message = f"'{key}' must be {_either(allowed)}, not '{value}'"
            else:
                message = f"unknown {key} '{value}'" + ("" if guess else f"; known: {', '.join(allowed)}")
            self.problem(at + (key,), message + (f"; did you mean '{guess}'?" if guess else ""), on_value=True)
        return value

    def integer(self, parent: dict[str, Any], key: str, at: Path, default: int | None,
                low: int = 0, high: int = 1_000_000) -> int | None:
        value = parent.get(key, default)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(at + (key,), f"'{key}' must be a whole number, not {_kind(value)}", on_value=True)
            return default
        if not low <= value <= high:
            self.problem(at + (key,), f"'{key}' must be between {low} and {high}, not {value}", on_value=True)
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
        self.problem(at + (key,), f"'{key}' must be an id or a list of ids", on_value=True)
        return ()

    def localized(self, parent: dict[str, Any], key: str, at: Path, required: bool,
                  langs: tuple[str, ...] = ("zh", "en")) -> dict[str, str]:
        """A {zh: ..., en: ...} text; every language must be present."""
        value = parent.get(key)
        if value is None:
            if required:
                self.missing(at, key, f"missing '{key}' (give it as {{zh: ..., en: ...}})")
            return {}
        if not isinstance(value, dict):
            self.problem(at + (key,), f"'{key}' must be a mapping with zh and en texts, not {_kind(value)}",
                         on_value=True)
            return {}
        self.keys(value, at + (key,), langs, f"'{key}'")
        out = {}
        for lang in langs:
            text = value.get(lang)
            if at + (key, lang) in self.misspelt:
                continue
            if text is None or (isinstance(text, str) and not text.strip()):
                self.problem(at + (key,), f"'{key}' has no '{lang}' text")
            elif not isinstance(text, str):
                self.problem(at + (key, lang), f"'{key}.{lang}' must be text, not {_kind(text)}", on_value=True)
            else:
                out[lang] = text
        return out

    def lines(self, parent: dict[str, Any], key: str, at: Path, required: bool,
              langs: tuple[str, ...] = ("zh", "en")) -> dict[str, tuple[str, ...]]:
        """Line variants per language: {zh: [..], en: [..]}; a single string is one variant."""
        value = parent.get(key)
        if value is None:
            if required:
                self.missing(at, key, f"missing '{key}' (give it as {{zh: [...], en: [...]}})")
            return {}
        if not isinstance(value, dict):
            self.problem(at + (key,), f"'{key}' must be a mapping with zh and en lines, not {_kind(value)}"
                         f" (give it as {{zh: [...], en: [...]}})", on_value=True)
            return {}
        self.keys(value, at + (key,), langs, f"'{key}'")
        out: dict[str, tuple[str, ...]] = {}
        for lang in langs:
            variants = value.get(lang)
            if isinstance(variants, str):
                variants = [variants]
            if at + (key, lang) in self.misspelt:
                continue
            if not variants:
                self.problem(at + (key,), f"'{key}' has no '{lang}' line")
            elif not isinstance(variants, list) or not all(isinstance(v, str) and v.strip() for v in variants):
                self.problem(at + (key, lang), f"'{key}.{lang}' must be a list of non-empty lines", on_value=True)
            else:
                out[lang] = tuple(variants)
        return out


def suggest(wanted: str, allowed: Iterable[str]) -> str | None:
    """The allowed name a mistyped key or value most likely meant, or None when none is close."""
    allowed = tuple(allowed)
    alias = _LANG_ALIASES.get(wanted.strip().lower())
    if alias in allowed:
        return alias
    guess = nearest(wanted, allowed)
    if guess and fuzz.ratio(wanted.lower(), guess[0].lower()) >= 50:
        return guess[0]
    return None


def _either(allowed: tuple[str, ...]) -> str:
    return " or ".join(allowed) if len(allowed) <= 2 else f"{', '.join(allowed[:-1])} or {allowed[-1]}"


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, float):
        return "a decimal number"
    if isinstance(value, int):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__
