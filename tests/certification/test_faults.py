"""Two certifications at once against one database, one killed mid-run: no finished turn of either is lost.

The killed attempt stays incomplete and counts: the trainee's next exam is a
new attempt (number 2), never a resumption of the first.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from simulator.cli import main

ROOT = Path(__file__).resolve().parents[2]
SUITE = "id: two_drills\npass_mark: 60\nseed: 3\nmax_attempts: 2\ndrills: [gatekeeper, price_too_high]\n"


def _turns(db: Path, trainee: str) -> list[str]:
    if not db.exists():
        return []
    try:
        with sqlite3.connect(db, timeout=10) as con:
            rows = con.execute("SELECT t.reply FROM turns t JOIN attempts a ON a.id = t.attempt "
                               "WHERE a.trainee = ? ORDER BY a.number, t.position, t.turn", (trainee,)).fetchall()
    except sqlite3.OperationalError:  # the schema is not there yet
        return []
    return [r[0] for r in rows]


def _start(trainee: str, db: Path, suite: Path, data: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", "import sys; from simulator.cli import main; sys.exit(main())",
         "certify", "--trainee", trainee, "--suite", str(suite), "--lang", "en", "--replies", "-", "--quiet",
         "--db", str(db)],
        stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=ROOT,
        env={**os.environ, "SALESDRILL_DATA_DIR": str(data)},
    )


def _send(proc: subprocess.Popen, reply: str, db: Path, trainee: str, expected: int) -> None:
    assert proc.stdin is not None
    proc.stdin.write(reply + "\n")
    proc.stdin.flush()
    deadline = time.monotonic() + 20
    while len(_turns(db, trainee)) < expected:
        assert time.monotonic() < deadline, f"{trainee}'s reply {expected} never reached the database"
        time.sleep(0.02)


def test_two_exams_at_once_one_killed(tmp_path, catalog, capsys):
    gatekeeper = list(catalog.scenarios["gatekeeper"].model_answer["en"])
    price = list(catalog.scenarios["price_too_high"].model_answer["en"])
    suite = tmp_path / "two.yaml"
    suite.write_text(SUITE, encoding="utf-8")
    db, data = tmp_path / "shared.sqlite3", tmp_path / "data"
    ann, bo = _start("Ann", db, suite, data), _start("Bo", db, suite, data)
    try:
        ann_replies = gatekeeper + price
        bo_replies = gatekeeper + ["Price matters to us all."]
        for i in range(max(len(ann_replies), len(bo_replies))):
            if i < len(bo_replies):
                _send(bo, bo_replies[i], db, "Bo", i + 1)
            if i < len(ann_replies):
                _send(ann, ann_replies[i], db, "Ann", i + 1)
        bo.send_signal(signal.SIGKILL)
        bo.wait(timeout=10)
        assert ann.stdin is not None
        ann.stdin.close()
        assert ann.wait(timeout=20) == 0, ann.stderr.read() if ann.stderr else ""
    finally:
        for proc in (ann, bo):
            if proc.poll() is None:
                proc.kill()
    assert _turns(db, "Ann") == ann_replies
    assert _turns(db, "Bo") == bo_replies
    with sqlite3.connect(db) as con:
        rows = dict(con.execute("SELECT trainee, status || '/' || (finished IS NULL) FROM attempts"))
    assert rows == {"Ann": "complete/0", "Bo": "incomplete/1"}
    replies = tmp_path / "bo.txt"
    replies.write_text("\n".join(ann_replies) + "\n", encoding="utf-8")
    again = ["certify", "--trainee", "Bo", "--suite", str(suite), "--lang", "en", "--replies", str(replies),
             "--quiet", "--db", str(db)]
    assert main(again) == 0
    assert "Bo: two_drills attempt 2 complete, score 100, passed" in capsys.readouterr().out
    assert main(again) == 2  # the suite allows two attempts, and the killed one was the first
    assert "used 2 of 2 attempt(s)" in capsys.readouterr().err
    assert _turns(db, "Bo") == bo_replies + ann_replies  # the killed attempt's turns are kept as they were
