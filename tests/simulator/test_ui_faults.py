"""The terminal chat under faults, in process: a signal mid-turn, a disk that fills up, hostile pasted text."""

from __future__ import annotations

import errno
import io
import json
import os
import signal
from pathlib import Path

import pytest
from prompt_toolkit.application import create_app_session
from prompt_toolkit.data_structures import Size
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from prompt_toolkit.output.vt100 import Vt100_Output

from simulator import transcript
from simulator.drivers import SessionFactory
from simulator.errors import StorageError
from simulator.scripted import run_scripted
from simulator.ui import run_interactive

REPLIES = ["Hello, could you help me please?", "Who handles purchasing there?", "Let me think.", "Thank you."]
# What a rep could paste: a terminal title change, clear screen, bell, a C1 CSI, line and paragraph
# separators, NEL, backspaces and DEL, bidi override, a zero-width space.
HOSTILE = ("\x1b]0;pwned\x07\x1b[2J\x9b31mCould you help me please\u2028who is in charge\x85of purchasing"
           "\x08\x08\x7f\u202e\u200b?")
RAW = ("\x1b", "\x07", "\x9b", "\x85", "\x08", "\x7f")  # what a terminal acts on
INVISIBLE = ("\u2028", "\u202e", "\u200b")  # kept out of transcripts too: one record is one line for every reader


def _drive(catalog, keys: str, output=None, extra_sinks=()) -> tuple[SessionFactory, object]:
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=output or DummyOutput()):
        pipe.send_text(keys)
        factory = SessionFactory(catalog, "gatekeeper", "en", seed=0, extra_sinks=extra_sinks)
        try:
            result = run_interactive(factory)
        except StorageError as exc:
            result = exc
    return factory, result


def _lines(path: str) -> list[dict]:
    text = Path(path).read_text(encoding="utf-8")
    assert text.endswith("\n")
    return [json.loads(line) for line in text.splitlines()]  # splitlines: U+2028 must not split a record


def test_a_signal_during_a_turn_lets_the_turn_finish_then_ends_the_session(catalog):
    def kill_on_first_turn(record: dict) -> None:
        if record["type"] == "turn" and record["turn"] == 1:
            os.kill(os.getpid(), signal.SIGTERM)  # arrives while the turn is being recorded

    factory, result = _drive(catalog, "".join(r + "\r" for r in REPLIES[:2]), extra_sinks=(kill_on_first_turn,))
    assert result.stopped_by == "SIGTERM" and len(result.turns) == 1  # the second reply was never read
    records = _lines(factory.transcript_path)
    assert [r["type"] for r in records] == ["header", "turn", "summary"]
    assert records[-1]["stopped_by"] == "SIGTERM"
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL  # the handlers are put back


def test_a_disk_filling_up_at_turn_3_stops_the_session_and_keeps_turns_1_and_2(catalog, monkeypatch):
    real = transcript._write_all

    def fills_up(fd: int, data: bytes) -> None:
        if b'"turn": 3,' in data:
            os.write(fd, data[:10])  # part of the line makes it to disk before the disk is full
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real(fd, data)

    monkeypatch.setattr(transcript, "_write_all", fills_up)
    factory, error = _drive(catalog, "".join(r + "\r" for r in REPLIES))
    assert isinstance(error, StorageError)
    assert "No space left on device" in error.one_line() and "the 2 turn(s) before it are saved" in error.one_line()
    records = _lines(factory.transcript_path)  # the torn line was cut off again
    assert [r["type"] for r in records] == ["header", "turn", "turn"]
    assert [r["reply"] for r in records[1:]] == REPLIES[:2]


def test_pasted_escape_sequences_are_not_echoed_raw_nor_break_the_transcript(catalog):
    screen = io.StringIO()
    output = Vt100_Output(screen, lambda: Size(rows=40, columns=100), term="xterm")
    paste = f"\x1b[200~{HOSTILE}\x1b[201~\r/quit\r"
    factory, result = _drive(catalog, paste, output=output)
    echo = screen.getvalue().split("You › ", 1)[1].split("\n", 1)[0]  # the reply as the screen shows it
    assert "\x1b]" not in echo and "\x1b[2J" not in echo  # the pasted sequences did not reach the terminal
    assert not [raw for raw in RAW[1:] if raw in echo]  # ESC itself only starts the screen's own colour codes
    assert "pwned" in echo and "<9b>" in echo  # they were shown, in caret notation
    records = _lines(factory.transcript_path)
    assert [r["type"] for r in records] == ["header", "turn", "summary"]
    assert records[1]["reply"] == HOSTILE  # kept exactly as typed
    assert not [raw for raw in RAW + INVISIBLE if raw in Path(factory.transcript_path).read_text(encoding="utf-8")]
    assert records[1]["score"] == result.turns[0].score > 0  # scored on its words


@pytest.mark.parametrize("as_json", [False, True])
def test_scripted_output_never_carries_raw_control_characters(catalog, as_json):
    out = io.StringIO()
    factory = SessionFactory(catalog, "gatekeeper", "en", seed=0)
    run_scripted(factory, [HOSTILE, "/\x1b]0;pwned\x07", REPLIES[1]], out, as_json)
    assert not [raw for raw in RAW if raw in out.getvalue()]
    assert [r["reply"] for r in _lines(factory.transcript_path) if r["type"] == "turn"] == [HOSTILE, REPLIES[1]]
