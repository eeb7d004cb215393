"""An exam in a real terminal that is closed mid-drill: the turns answered are kept, the attempt is incomplete."""

from __future__ import annotations

import os
import signal
import sqlite3
import sys
import time

import pytest

from tests.simulator.terminal import WAIT, Terminal

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pty")


def _turns(db) -> int:
    if not db.exists():
        return 0
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM turns").fetchone()[0]


@pytest.mark.parametrize("how", ["close", "sigterm"])
def test_an_exam_stopped_by_its_terminal_ends_cleanly_and_is_stored_incomplete(tmp_path, how):
    db = tmp_path / "data" / "results.sqlite3"
    env = {**os.environ, "SALESDRILL_DATA_DIR": str(tmp_path / "data"), "SALESDRILL_CERT_KEY": "k" * 32}
    term = Terminal(["certify", "--trainee", "Hal", "--lang", "en"], env, tmp_path / "stderr")
    try:
        at = term.expect("You ›")
        term.type("Hello, could you help me please?\r")
        deadline = time.monotonic() + WAIT
        while _turns(db) < 1 and time.monotonic() < deadline:
            term.read(0.1)
        term.expect("You ›", at)
        if how == "close":
            term.close()  # the window is closed: SIGHUP
        else:
            term.proc.send_signal(signal.SIGTERM)
        status = term.wait()
    finally:
        term.kill()
    assert status in (0, 2), (tmp_path / "stderr").read_text(encoding="utf-8")  # it ended itself, not the signal
    assert "Traceback" not in (tmp_path / "stderr").read_text(encoding="utf-8")
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT status FROM attempts").fetchall() == [("incomplete",)]
        assert conn.execute("SELECT reply FROM turns").fetchall() == [("Hello, could you help me please?",)]
