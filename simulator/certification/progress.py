"""A one-line progress bar on a terminal (redrawn in place); silent when the stream is not a terminal."""

from __future__ import annotations

import shutil
from typing import TextIO

__all__ = ["Progress"]


class Progress:
    def __init__(self, total: int, stream: TextIO, label: str = "grading", live: bool | None = None) -> None:
        self.total = max(total, 1)
        self.stream = stream
        self.label = label
        self.done = 0
        if live is None:
            try:
                live = stream.isatty()
            except (AttributeError, ValueError):
                live = False
        self.live = live

    def line(self, note: str = "") -> str:
        columns = shutil.get_terminal_size((80, 20)).columns
        width = max(10, min(40, columns - 40))
        filled = round(width * self.done / self.total)
        bar = "█" * filled + "░" * (width - filled)
        text = f"{self.label} {bar} {self.done}/{self.total} {note}"
        return text[: columns - 1]

    def advance(self, note: str = "") -> None:
        self.done += 1
        if self.live:
            self.stream.write("\r\x1b[2K" + self.line(note))
            self.stream.flush()

    def finish(self, summary: str) -> None:
        if self.live:
            self.stream.write("\r\x1b[2K")
        self.stream.write(summary + "\n")
        self.stream.flush()
