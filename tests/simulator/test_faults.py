"""Faults as a user meets them: a practice process killed mid-run keeps every reply it had read."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _turns(folder: Path) -> list[dict]:
    files = sorted(folder.glob("*.jsonl"))
    if not files:
        return []
    lines = files[0].read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def test_sigkill_after_n_turns_keeps_n_turns(tmp_path):
    data = tmp_path / "data"
    proc = subprocess.Popen(
        [sys.executable, "-c", "import sys; from simulator.cli import main; sys.exit(main())",
         "practice", "price_too_high", "--lang", "en", "--replies", "-"],
        stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=ROOT,
        env={**os.environ, "SALESDRILL_DATA_DIR": str(data)},
    )
    replies = ["Price matters to us all.", "We're not the cheapest, I admit."]
    folder = data / "transcripts"
    try:
        for n, reply in enumerate(replies, 1):
            proc.stdin.write(reply + "\n")
            proc.stdin.flush()
            deadline = time.monotonic() + 20
            while sum(r["type"] == "turn" for r in _turns(folder)) < n:
                assert time.monotonic() < deadline, "the reply never reached the transcript"
                time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    records = _turns(folder)
    assert [r["type"] for r in records] == ["header", "turn", "turn"]
    assert [r["reply"] for r in records[1:]] == replies
