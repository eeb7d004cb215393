"""The exam fed from a replies file or a pipe: one reply per line, each read only when the exam asks for it.

A line `/next` gives up the current drill, `/quit` stops the exam; the end of
the input stops it too (recorded as an incomplete attempt), and so does a
line that is not UTF-8 text, with a one-line error once the attempt is stored.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TextIO

from simulator import render
from simulator.certification.runner import ExamStatus
from simulator.certification.texts import x
from simulator.drivers import command_of, display_reply
from simulator.errors import RepliesFileError

__all__ = ["ScriptedExamIO"]


class ScriptedExamIO:
    """Plain text out; replies pulled one at a time from an iterator (never read ahead)."""

    def __init__(self, replies: Iterable[str], out: TextIO, lang: str, quiet: bool = False) -> None:
        self._replies: Iterator[str] = iter(replies)
        self.out = out
        self.lang = lang
        self.quiet = quiet
        self._line = 0

    def show(self, fragments: render.Fragments) -> None:
        if not self.quiet:
            self.out.write(render.plain(fragments))
            self.out.flush()

    def ask(self, status: ExamStatus) -> str | None:
        reply = next(self._replies, None)
        self._line += 1
        if reply is not None and not _is_text(reply):
            # stdin decoded with surrogateescape: bytes that are not UTF-8 cannot be scored or stored
            raise RepliesFileError(f"replies line {self._line} is not UTF-8 text")
        if reply is not None and reply.strip() and not command_of(reply):
            self.show([("", f"{x('you', self.lang)}: {display_reply(reply)}\n")])
        return reply


def _is_text(reply: str) -> bool:
    try:
        reply.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
