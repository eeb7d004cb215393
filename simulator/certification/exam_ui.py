"""The exam in a terminal (prompt_toolkit), styled like the practice chat, with a toolbar and no feedback.

Ctrl-C, Ctrl-D, /quit and a closed terminal all stop the exam; every turn
already answered is in the database, and the attempt is stored as incomplete.
"""

from __future__ import annotations

import signal

from prompt_toolkit import PromptSession
from prompt_toolkit.formatted_text import FormattedText

from simulator import render
from simulator.certification.runner import ExamStatus
from simulator.certification.texts import x
from simulator.stopping import Stopped, StopSignals, detach_output
from simulator.ui import STYLE, _color_depth, _PromptEnder, _show

__all__ = ["TerminalExamIO"]


class TerminalExamIO:
    def __init__(self, lang: str) -> None:
        self.lang = lang
        self._status: ExamStatus | None = None
        self._prompt: PromptSession[str] = PromptSession(
            bottom_toolbar=self._toolbar, style=STYLE, color_depth=_color_depth(), erase_when_done=False)

    def _toolbar(self) -> FormattedText:
        s = self._status
        if s is None:
            return FormattedText([])
        limit = x("toolbar_limit", self.lang, seconds=s.time_limit) if s.time_limit else ""
        text = x("toolbar", self.lang, trainee=s.trainee, i=s.position, n=s.drills, turn=s.turn, limit=limit)
        return FormattedText([("class:bottom-toolbar", text)])

    def show(self, fragments: render.Fragments) -> None:
        _show(fragments)

    def ask(self, status: ExamStatus) -> str | None:
        """The trainee's next reply, or None when they stop: Ctrl-C/Ctrl-D, or the terminal closed
        (SIGHUP) or the exam killed politely (SIGTERM) while it waits, which ends the prompt cleanly."""
        self._status = status
        with StopSignals() as stops:
            ender = _PromptEnder(self._prompt.app, stops)
            try:
                with stops.waiting(ender.wake):
                    reply = self._prompt.prompt([("class:prompt", f"{x('you', self.lang)} › ")],
                                                pre_run=ender.end_now)
            except (Stopped, EOFError, KeyboardInterrupt, OSError):
                if stops.received == getattr(signal, "SIGHUP", None):
                    detach_output()  # the terminal is gone: the exam's ending must not fail writing to it
                return None
        # bytes a terminal sent that are not UTF-8 arrive as lone surrogates: show them as U+FFFD
        return reply.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
