"""The principle library as typed objects: what each principle and anti-pattern is, and its cues.

Built once from `scoring/library/principles.yaml` (by `simulator.library_loader`)
and shared by every reply; nothing here reads files.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

__all__ = ["LANGS", "Cue", "Exemplar", "Kind", "Library", "Localized", "Principle"]

LANGS = ("zh", "en")


@dataclass(frozen=True, slots=True)
class Localized:
    """One text in the product's two languages; falls back to the other when one is missing."""

    zh: str = ""
    en: str = ""

    def get(self, lang: str) -> str:
        first, second = (self.zh, self.en) if lang == "zh" else (self.en, self.zh)
        return first or second

    @classmethod
    def of(cls, value: Mapping[str, str] | str | None) -> Localized:
        if value is None:
            return cls()
        if isinstance(value, str):
            return cls(zh=value, en=value)
        return cls(zh=str(value.get("zh", "") or ""), en=str(value.get("en", "") or ""))


class Kind(StrEnum):
    PRINCIPLE = "principle"
    ANTI_PATTERN = "anti_pattern"


@dataclass(frozen=True, slots=True)
class Cue:
    """Concept groups that must all occur within `window` characters: evidence of `strength`."""

    groups: tuple[tuple[str, ...], ...]
    window: int = 60
    strength: float = 1.0
    lang: str = ""  # the language it was written for; "" applies to every reply


@dataclass(frozen=True, slots=True)
class Exemplar:
    """A whole example reply, kept both as written and normalised."""

    lang: str
    text: str
    normalised: str


@dataclass(frozen=True, slots=True)
class Principle:
    """A principle the lecture teaches, or an anti-pattern it warns against."""

    id: str
    kind: Kind
    name: Localized
    tip: Localized
    quote: Localized = field(default_factory=Localized)
    penalty: int = 0
    patience_cost: int = 0
    cues: tuple[Cue, ...] = ()
    exemplars: tuple[Exemplar, ...] = ()
    overrides: tuple[str, ...] = ()  # ids this one rules out when shown (keep_door_open is not give_up)

    @property
    def is_anti_pattern(self) -> bool:
        return self.kind is Kind.ANTI_PATTERN


@dataclass(frozen=True)
class Library:
    """Every principle and anti-pattern by id, in file order."""

    principles: Mapping[str, Principle]
    version: str = "1"

    def __getitem__(self, pid: str) -> Principle:
        return self.principles[pid]

    def __contains__(self, pid: object) -> bool:
        return pid in self.principles

    def __iter__(self) -> Iterator[Principle]:
        return iter(self.principles.values())

    @cached_property
    def ids(self) -> tuple[str, ...]:
        return tuple(self.principles)

    @cached_property
    def positive_ids(self) -> tuple[str, ...]:
        return tuple(p.id for p in self if not p.is_anti_pattern)

    @cached_property
    def anti_pattern_ids(self) -> tuple[str, ...]:
        return tuple(p.id for p in self if p.is_anti_pattern)
