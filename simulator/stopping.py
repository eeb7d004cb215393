"""Ending a session early and cleanly: a closed terminal (SIGHUP), a polite kill (SIGTERM), Ctrl-C.

Python's default for SIGHUP and SIGTERM is to die on the spot, which leaves a
transcript without its summary. While a driver runs a session, `StopSignals`
catches them instead. A signal never cuts into a turn being scored or written:
it is recorded, and acted on at the next safe point, which is the wait for the
next reply. A signal that arrives during that wait ends it at once (by raising
`Stopped`, or by calling the driver's `wake`, e.g. to end a running prompt).
The driver then closes the session, so the summary names the signal.

A terminal that has gone away makes every write fail; `detach_output` points
stdout and stderr at the null device so the rest of the shutdown (the
summary, the interpreter's final flush) cannot fail or print a traceback.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

__all__ = ["STOP_SIGNALS", "StopSignals", "Stopped", "detach_output", "exit_status"]

# The signals that end a session with its summary (those this platform has).
STOP_SIGNALS: tuple[signal.Signals, ...] = tuple(
    getattr(signal, name) for name in ("SIGHUP", "SIGTERM", "SIGINT") if hasattr(signal, name))


class Stopped(Exception):
    """A stop signal arrived while the driver waited for a reply."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        self.name = signal.Signals(signum).name
        super().__init__(self.name)


def exit_status(stopped_by: str | None) -> int:
    """The process's exit status for how a session ended: 128 + the signal's number after a signal."""
    if stopped_by and stopped_by.startswith("SIG") and hasattr(signal, stopped_by):
        return 128 + int(getattr(signal, stopped_by))
    return 0


class StopSignals:
    """While entered (in the main thread), stop signals are caught and turned into a clean stop.

    `received` holds the first signal caught; `name` its name ("SIGHUP"), the
    value a driver passes to `Session.close`.
    """

    def __init__(self) -> None:
        self.received: int | None = None
        self._waiting = False
        self._wake: Callable[[], None] | None = None
        self._previous: dict[int, Any] = {}

    @property
    def name(self) -> str | None:
        return signal.Signals(self.received).name if self.received is not None else None

    def __enter__(self) -> StopSignals:
        if threading.current_thread() is threading.main_thread():
            for signum in STOP_SIGNALS:
                previous = signal.getsignal(signum)
                if previous is signal.SIG_IGN:  # e.g. started with nohup: keep ignoring it
                    continue
                self._previous[signum] = previous
                signal.signal(signum, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        for signum, previous in self._previous.items():
            signal.signal(signum, previous if previous is not None else signal.SIG_DFL)
        self._previous.clear()

    def check(self) -> None:
        """Raise `Stopped` if a stop signal has arrived."""
        if self.received is not None:
            raise Stopped(self.received)

    @contextmanager
    def waiting(self, wake: Callable[[], None] | None = None) -> Iterator[None]:
        """A wait for the next reply: a stop signal now ends it at once.

        Without `wake` the signal raises `Stopped` where the wait is blocked (a
        `readline`, say); with it, `wake` is called instead and must make the
        wait end by itself.
        """
        self._waiting, self._wake = True, wake
        try:
            self.check()
            yield
        finally:
            self._waiting, self._wake = False, None

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if self.received is None:
            self.received = signum
        if not self._waiting:
            return  # acted on at the next safe point
        if self._wake is not None:
            self._wake()
        else:
            raise Stopped(signum)


def detach_output() -> None:
    """Send stdout and stderr to the null device: the terminal they wrote to has gone."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
    except OSError:  # pragma: no cover - no null device
        return
    for stream, fd in ((sys.stdout, 1), (sys.stderr, 2)):
        try:
            os.dup2(null, fd)
        except OSError:  # pragma: no cover
            continue
        try:  # drop what is still buffered for the dead terminal (it now goes to the null device)
            stream.flush()
        except (OSError, ValueError):
            pass
    os.close(null)
