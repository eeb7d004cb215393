"""The prompt_toolkit chat, driven through a pipe input with a dummy output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from simulator.drivers import SessionFactory
from simulator.ui import run_interactive

from .helpers import mini_catalog


def drive(keys: str, lang: str = "en"):
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        pipe.send_text(keys)
        factory = SessionFactory(mini_catalog(), "mini", lang, seed=0)
        result = run_interactive(factory)
    return result, factory


def records(path: str) -> list[dict]:
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines()]


def test_a_whole_drill_in_the_terminal():
    result, factory = drive("Great, we work with many companies like yours.\rCan I visit Tuesday at 3pm?\r")
    assert result.outcome == "success"
    kinds = [r["type"] for r in records(factory.transcript_path)]
    assert kinds == ["header", "turn", "turn", "summary"]


def test_commands_are_not_scored_and_blank_is_asked_again():
    result, factory = drive("/hint\r/model\r   \r/bogus\rGreat, we work with many companies.\r/quit\r")
    assert len(result.turns) == 1
    assert result.outcome == "incomplete"
    assert records(factory.transcript_path)[-1]["outcome"] == "incomplete"


def test_ctrl_d_ends_with_summary():
    result, factory = drive("Great!\r\x04")
    assert result.outcome == "incomplete"
    assert records(factory.transcript_path)[-1]["type"] == "summary"


def test_ctrl_c_ends_with_summary():
    result, factory = drive("Great!\r\x03")
    assert len(result.turns) == 1
    assert records(factory.transcript_path)[-1]["type"] == "summary"


def test_restart_starts_a_new_transcript():
    result, factory = drive("Great!\r/restart\rGreat, we work with many companies.\r/quit\r")
    assert len(result.turns) == 1
    transcripts = sorted(Path(factory.transcript_path).parent.glob("*.jsonl"))
    assert len(transcripts) == 2


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_both_languages(lang):
    reply = "太好了,我们和很多企业都有合作\r" if lang == "zh" else "Great, we work with many companies.\r"
    result, _ = drive(reply + "/quit\r", lang)
    assert result.turns[0].move.after == "listening"
