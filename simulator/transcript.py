"""JSONL transcripts: a header, one line per turn, a summary; each line on disk before the next reply is read.

A killed session keeps every reply typed so far: each record is flushed and
fsynced as it is written, and the file is only ever appended to.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import datetime
from typing import Any, TextIO

from simulator.errors import StorageError

__all__ = ["FORMAT", "TranscriptWriter", "data_dir", "ensure_writable", "new_transcript_path", "read_records"]

FORMAT = 1


def data_dir() -> str:
    """Where transcripts and results live: SALESDRILL_DATA_DIR, else the platform's user data folder."""
    override = os.environ.get("SALESDRILL_DATA_DIR")
    if override:
        return override
    from platformdirs import user_data_dir

    return user_data_dir("salesdrill", appauthor=False)


def ensure_writable(folder: str) -> str:
    """Create `folder` and prove a file can be written there, before any reply is typed."""
    try:
        os.makedirs(folder, exist_ok=True)
        probe = os.path.join(folder, f".write-test-{os.getpid()}")
        with open(probe, "w", encoding="utf-8") as handle:
            handle.write("ok\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.remove(probe)
    except OSError as exc:
        raise StorageError(
            f"cannot write to the data folder {folder}: {exc.strerror or exc} "
            "(free some space, fix its permissions, or set SALESDRILL_DATA_DIR)"
        ) from None
    return folder


def new_transcript_path(folder: str, drill: str, lang: str, started: datetime) -> str:
    stamp = started.strftime("%Y%m%d-%H%M%S")
    return os.path.join(folder, f"{stamp}-{drill}-{lang}.jsonl")


class TranscriptWriter:
    """Appends records to a new transcript file; never overwrites one."""

    def __init__(self, path: str) -> None:
        base, ext = os.path.splitext(path)
        for n in range(1000):
            candidate = path if n == 0 else f"{base}-{n}{ext}"
            try:
                self._handle: TextIO = open(candidate, "x", encoding="utf-8")  # noqa: SIM115
                break
            except FileExistsError:
                continue
            except OSError as exc:
                raise StorageError(f"cannot create transcript {candidate}: {exc.strerror or exc}") from None
        else:  # pragma: no cover - a thousand sessions in one second
            raise StorageError(f"cannot find a free transcript name near {path}")
        self.path = candidate

    def __call__(self, record: dict[str, Any]) -> None:
        try:
            self._handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            self._handle.flush()
            os.fsync(self._handle.fileno())
        except OSError as exc:
            raise StorageError(f"cannot write transcript {self.path}: {exc.strerror or exc}") from None

    def close(self) -> None:
        self._handle.close()


def read_records(path: str) -> Iterator[dict[str, Any]]:
    """The records of a transcript; a torn last line (a kill mid-write) is skipped."""
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            line = line.strip()
            if not line:
                continue
            try:
                yield json.loads(line)
            except json.JSONDecodeError:
                continue
