"""JSONL transcripts: a header, one line per turn, a summary; each line on disk before the next reply is read.

A killed session keeps every reply typed so far: each record is written whole
and fsynced as it happens, and the file is only ever appended to. A disk that
fills up mid-session stops the session with every earlier record intact.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from simulator.errors import StorageError

__all__ = ["FORMAT", "MIN_FREE_BYTES", "TranscriptWriter", "data_dir", "dumps_record", "ensure_writable",
           "new_transcript_path", "read_records"]

FORMAT = 1

# Less free space than this at start is a full disk: a session's transcript is a few KB, but a
# pasted megabyte reply is a megabyte.
MIN_FREE_BYTES = 2_000_000

# Characters JSON leaves raw that are controls or invisible: escaped in transcripts (see dumps_record).
_INVISIBLE = re.compile("[\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")


def _open(path: str, flags: int) -> int:
    """Open a file for writing (the one place transcripts are opened: tests replace it with /dev/full)."""
    return os.open(path, flags | getattr(os, "O_CLOEXEC", 0), 0o644)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _truncate_quietly(fd: int, size: int) -> None:
    try:
        os.ftruncate(fd, size)
    except OSError:
        pass


def _remove_quietly(path: str) -> None:
    try:
        os.remove(path)
    except OSError:
        pass


def _free_bytes(folder: str) -> int | None:
    """Bytes free to this user on the folder's disk, when the platform can tell."""
    statvfs = getattr(os, "statvfs", None)
    if statvfs is None:  # pragma: no cover - Windows
        return None
    st = statvfs(folder)
    return st.f_bavail * st.f_frsize


def data_dir() -> str:
    """Where transcripts and results live: SALESDRILL_DATA_DIR, else the platform's user data folder."""
    override = os.environ.get("SALESDRILL_DATA_DIR")
    if override:
        return override
    from platformdirs import user_data_dir

    return user_data_dir("salesdrill", appauthor=False)


def ensure_writable(folder: str) -> str:
    """Create `folder` and prove a file can be written there, before any reply is typed.

    A read-only folder, a path through a file, a full disk (the probe cannot
    be written, or less than MIN_FREE_BYTES is left) all fail here, at start,
    rather than losing a session at its end.
    """
    try:
        os.makedirs(folder, exist_ok=True)
        probe = os.path.join(folder, f".write-test-{os.getpid()}")
        fd = _open(probe, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        try:
            _write_all(fd, b"ok\n")
            os.fsync(fd)
        finally:
            os.close(fd)
            _remove_quietly(probe)
        free = _free_bytes(folder)
    except OSError as exc:
        raise StorageError(
            f"cannot write to the data folder {folder}: {exc.strerror or exc} "
            "(free some space, fix its permissions, or set SALESDRILL_DATA_DIR)"
        ) from None
    if free is not None and free < MIN_FREE_BYTES:
        raise StorageError(
            f"cannot write to the data folder {folder}: its disk is nearly full ({free // 1024} KB free, "
            f"{MIN_FREE_BYTES // 1_000_000} MB needed to start a session) "
            "(free some space, or set SALESDRILL_DATA_DIR to a folder on another disk)"
        )
    return folder


def new_transcript_path(folder: str, drill: str, lang: str, started: datetime) -> str:
    stamp = started.strftime("%Y%m%d-%H%M%S")
    return os.path.join(folder, f"{stamp}-{drill}-{lang}.jsonl")


class TranscriptWriter:
    """Appends records to a new transcript file; never overwrites one.

    Each record is one `os.write` of a whole line, then `fsync`: no buffer is
    left to flush at exit, and a line is on disk before the next reply is read.
    When a write fails (the disk filled up mid-session), what it wrote of the
    line is cut off again, StorageError is raised once, and the writer keeps
    the file as it is from then on: every record before the failure stays, and
    later ones (a summary, say) are not attempted on a disk known to be full.
    """

    def __init__(self, path: str) -> None:
        base, ext = os.path.splitext(path)
        for n in range(1000):
            candidate = path if n == 0 else f"{base}-{n}{ext}"
            try:
                self._fd: int | None = _open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND)
                break
            except FileExistsError:
                continue
            except OSError as exc:
                raise StorageError(f"cannot create transcript {candidate}: {exc.strerror or exc}") from None
        else:  # pragma: no cover - a thousand sessions in one second
            raise StorageError(f"cannot find a free transcript name near {path}")
        self.path = candidate
        self.turns_written = 0
        self.failed = False

    def __call__(self, record: dict[str, Any]) -> None:
        if self._fd is None:
            return  # failed or closed: the file stays as it is
        data = (dumps_record(record) + "\n").encode("utf-8")
        try:
            size = os.lseek(self._fd, 0, os.SEEK_END)
            try:
                _write_all(self._fd, data)
                os.fsync(self._fd)
            except OSError:
                _truncate_quietly(self._fd, size)  # no torn line for the next reader
                raise
        except OSError as exc:
            self.failed = True
            self.close()
            saved = (f"the {self.turns_written} turn(s) before it are saved" if self.turns_written
                     else "no turn was saved")
            raise StorageError(
                f"cannot write transcript {self.path}: {exc.strerror or exc}; the session stopped here, "
                f"{saved} (free some space, or set SALESDRILL_DATA_DIR to another disk)"
            ) from None
        if record.get("type") == "turn":
            self.turns_written += 1

    def close(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            try:
                os.close(fd)
            except OSError:
                pass


def dumps_record(record: dict[str, Any]) -> str:
    """One record as one line of JSON: Chinese kept readable, every control or invisible character escaped.

    `json.dumps` already escapes C0 controls (so ESC is `\\u001b`); this also
    escapes DEL, the C1 controls (U+0085 and U+2028/2029 end a line for
    `str.splitlines`, and U+009B starts an escape sequence on some terminals),
    bidi and zero-width marks: `cat` on a transcript is safe, and each record
    is one line by every definition of a line.
    """
    text = json.dumps(record, ensure_ascii=False)
    return _INVISIBLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def read_records(path: str) -> Iterator[dict[str, Any]]:
    """The records of a transcript; a torn last line (a kill mid-write) is skipped."""
    with open(path, encoding="utf-8", errors="replace") as handle:
        for line in handle:
            line = line.strip()
            if not line:
                continue
            try:
                yield json.loads(line)
            except json.JSONDecodeError:
                continue
