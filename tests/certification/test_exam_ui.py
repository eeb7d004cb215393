"""The exam in the terminal, driven through a pipe input with a dummy output (as the practice chat is tested)."""

from __future__ import annotations

from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from simulator.certification.exam_ui import TerminalExamIO
from simulator.certification.runner import run_exam
from simulator.certification.store import Store

from .helpers import KEY, FakeClock, mini_suite


def drive(keys: str, tmp_path):
    suite, catalog = mini_suite()
    fake = FakeClock()
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        pipe.send_text(keys)
        with Store.open(str(tmp_path / "r.sqlite3")) as store:
            return run_exam(catalog, suite, "Ann", "en", store, TerminalExamIO("en"), KEY, clock=fake.clock,
                            timer=fake.timer, certificate_path=str(tmp_path / "c.json"), write_transcripts=False)


def test_a_whole_exam_in_the_terminal(tmp_path):
    result = drive("/hint\rGreat, we work with many companies like yours.\rCan I visit Tuesday at 3pm?\r", tmp_path)
    assert (result.status, result.passed) == ("complete", True)


def test_ctrl_c_stops_the_exam_as_an_incomplete_attempt(tmp_path):
    result = drive("Great, we work with many companies like yours.\r\x03", tmp_path)
    assert result.status == "incomplete" and not result.passed
    with Store.open(str(tmp_path / "r.sqlite3")) as store:
        assert store.turn_count(result.attempt_id) == 1


def test_ctrl_d_too(tmp_path):
    assert drive("\x04", tmp_path).status == "incomplete"
