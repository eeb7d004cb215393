"""The chat in a real terminal: resized mid-session it redraws and goes on; closed, it ends with its summary.

Each test runs `salesdrill practice` in a pseudo-terminal it controls (the
pty is the child's controlling terminal), so SIGWINCH comes from a real
window-size change and SIGHUP from really closing the terminal.
"""

from __future__ import annotations

import os
import signal
import sys

import pytest

from .terminal import Terminal, transcript_records, wait_for_turns

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pty")

REPLIES = {
    "en": ["Hello, could you help me please?", "Who handles purchasing there?", "Let me think."],
    "zh": ["您好,能帮我个忙吗?", "请问采购是哪位负责?", "嗯,好的。"],
}
PROMPT = {"en": "You ›", "zh": "你 ›"}
TURN_3 = {"en": "Turn 3", "zh": "回合 3"}
SUMMARY = {"en": "Session summary", "zh": "练习总结"}


def _start(tmp_path, lang: str) -> Terminal:
    env = {**os.environ, "SALESDRILL_DATA_DIR": str(tmp_path / "data"), "SALESDRILL_LANG": lang}
    env.pop("NO_COLOR", None)
    return Terminal(["practice", "gatekeeper", "--lang", lang], env, tmp_path / "stderr")


def _two_replies_then_resize(term: Terminal, folder, lang: str) -> None:
    at = term.expect(PROMPT[lang])
    for n, reply in enumerate(REPLIES[lang][:2], 1):
        term.type(reply + "\r")
        wait_for_turns(folder, n, term)
        at = term.expect(PROMPT[lang], at)
    term.expect(TURN_3[lang], at)
    mark = len(term.output)
    term.resize(20, 60)  # narrower and shorter: the kernel sends SIGWINCH
    os.kill(term.proc.pid, signal.SIGWINCH)  # and once more by hand, as the issue asks
    term.expect(TURN_3[lang], mark)  # the prompt and its toolbar are drawn again, at the new size
    term.type(REPLIES[lang][2] + "\r")  # and the chat goes on
    wait_for_turns(folder, 3, term)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_resized_then_closed_terminal_ends_the_session_with_its_summary(tmp_path, lang):
    folder = tmp_path / "data" / "transcripts"
    term = _start(tmp_path, lang)
    try:
        _two_replies_then_resize(term, folder, lang)
        term.close()  # the window is closed: SIGHUP
        status = term.wait()
    finally:
        term.kill()
    assert status == 128 + signal.SIGHUP  # it ended itself; the signal did not kill it
    assert (tmp_path / "stderr").read_text(encoding="utf-8") == ""  # no traceback, no warning
    records = transcript_records(folder)
    assert [r["type"] for r in records] == ["header", "turn", "turn", "turn", "summary"]
    assert [r["reply"] for r in records[1:4]] == REPLIES[lang]
    summary = records[-1]
    assert summary["stopped_by"] == "SIGHUP" and summary["outcome"] == "incomplete" and summary["turns"] == 3


def test_sigterm_with_the_terminal_still_open_shows_the_summary(tmp_path):
    signum = signal.SIGTERM
    folder = tmp_path / "data" / "transcripts"
    term = _start(tmp_path, "en")
    try:
        at = term.expect(PROMPT["en"])
        term.type(REPLIES["en"][0] + "\r")
        wait_for_turns(folder, 1, term)
        term.expect(PROMPT["en"], at)
        term.proc.send_signal(signum)
        status = term.wait()
        term.expect(SUMMARY["en"])
    finally:
        term.kill()
    assert status == 128 + signum
    assert (tmp_path / "stderr").read_text(encoding="utf-8") == ""
    records = transcript_records(folder)
    assert [r["type"] for r in records] == ["header", "turn", "summary"]
    assert records[-1]["stopped_by"] == signal.Signals(signum).name
