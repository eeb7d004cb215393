"""Every error salesdrill raises on purpose, and how the CLI shows it.

    SalesdrillError                 exit 2, one line, never a traceback
     ├── UsageError                 a bad option or argument value
     ├── UnknownIdError             a drill, persona, state or principle id that does not exist
     │                              (carries the nearest known ids as a suggestion)
     ├── DataFileError              a YAML file that cannot be read, parsed or validated
     │                              (carries file, line and column)
     ├── RepliesFileError           a replies file that cannot be read
     ├── StorageError               the data folder cannot be written (full disk, read-only)
     │    └── DatabaseError         the results database is corrupt, locked, or from a newer salesdrill
     ├── CertificateError           a certificate that cannot be read, or whose signature does not match
     └── AttemptsExhaustedError     a trainee has used every attempt a certification suite allows

Anything else escaping to the CLI is a bug and shows its traceback.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = [
    "AttemptsExhaustedError",
    "CertificateError",
    "DataFileError",
    "DatabaseError",
    "RepliesFileError",
    "SalesdrillError",
    "StorageError",
    "UnknownIdError",
    "UsageError",
    "nearest",
]


class SalesdrillError(Exception):
    """A failure the user can fix; shown as one line with exit status `exit_code`."""

    exit_code = 2

    def one_line(self) -> str:
        return " ".join(str(self).split())


class UsageError(SalesdrillError):
    """A command-line value that makes no sense."""


class UnknownIdError(SalesdrillError):
    """An id that names nothing; suggests the closest known ids."""

    def __init__(self, kind: str, wanted: str, known: Iterable[str]) -> None:
        self.kind = kind
        self.wanted = wanted
        self.known = sorted(known)
        self.suggestions = nearest(wanted, self.known)
        message = f"unknown {kind} '{wanted}'"
        if self.suggestions:
            message += f"; did you mean '{self.suggestions[0]}'?"
        elif self.known:
            message += f"; known: {', '.join(self.known)}"
        super().__init__(message)


class DataFileError(SalesdrillError):
    """A persona, scenario or library file with a problem at a known place."""

    def __init__(self, path: str, message: str, line: int | None = None, column: int | None = None,
                 unreadable: bool = False):
        self.path = path
        self.unreadable = unreadable
        self.line = line
        self.column = column
        self.message = message
        where = path if line is None else f"{path}:{line}:{column or 1}"
        super().__init__(f"{where}: {message}")


class RepliesFileError(SalesdrillError):
    """A replies file (for scripted runs) that cannot be read."""


class StorageError(SalesdrillError):
    """The data folder (transcripts, results) cannot be written."""


class DatabaseError(StorageError):
    """The certification results database cannot be used as it is; it is never overwritten."""

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        super().__init__(f"results database {path}: {message}")


class CertificateError(SalesdrillError):
    """A certificate file that is unreadable, malformed, or fails its signature check."""

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        super().__init__(f"certificate {path}: {message}")


class AttemptsExhaustedError(SalesdrillError):
    """The suite caps attempts per trainee and this trainee has used them all (incomplete ones count)."""

    def __init__(self, trainee: str, suite: str, used: int, allowed: int) -> None:
        self.trainee = trainee
        self.suite = suite
        super().__init__(f"trainee '{trainee}' has used {used} of {allowed} attempt(s) at suite '{suite}' "
                         "(interrupted attempts count); no further attempt is allowed")


def nearest(wanted: str, known: Iterable[str], limit: int = 1) -> list[str]:
    """The known names closest to a mistyped one, best first (empty when nothing is close)."""
    from rapidfuzz import fuzz, process

    found = process.extract(wanted, list(known), scorer=fuzz.WRatio, limit=limit, score_cutoff=60)
    return [name for name, _score, _index in found]
