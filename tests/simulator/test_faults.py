"""Faults as a user meets them: a practice process killed or stopped mid-run keeps every reply it had read.

Replies from a pipe are taken as they arrive, each on disk before the next is
read; SIGKILL keeps them all, and SIGTERM, SIGHUP or SIGINT also write the summary.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from simulator.transcript import read_records

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


def _practice(data: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", "import sys; from simulator.cli import main; sys.exit(main())",
         "practice", "gatekeeper", "--lang", "en", *args],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
        env={**os.environ, "SALESDRILL_DATA_DIR": str(data)},
    )


def _wait_for_turns(folder: Path, n: int) -> list[dict]:
    deadline = time.monotonic() + 20
    while True:
        records = list(read_records(str(files[0]))) if (files := sorted(folder.glob("*.jsonl"))) else []
        if sum(r["type"] == "turn" for r in records) >= n:
            return records
        assert time.monotonic() < deadline, "the reply never reached the transcript"
        time.sleep(0.02)


def test_a_piped_reply_is_on_disk_before_the_next_one_is_sent(tmp_path):
    """`(echo r1; sleep 2; echo r2) | salesdrill practice DRILL`, with the second line never sent."""
    data = tmp_path / "data"
    proc = _practice(data)  # no --replies: stdin is a pipe, so replies are read from it
    assert proc.stdin is not None
    try:
        proc.stdin.write("Hello, could you help me please?\n")
        proc.stdin.flush()
        records = _wait_for_turns(data / "transcripts", 1)  # while the pipe stays open, waiting for r2
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert [r["type"] for r in records] == ["header", "turn"]
    assert records[1]["reply"] == "Hello, could you help me please?"


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_a_stop_signal_while_waiting_for_a_piped_reply_ends_with_the_summary(tmp_path, signum):
    data = tmp_path / "data"
    proc = _practice(data, "--replies", "-", "--json")
    assert proc.stdin is not None
    try:
        proc.stdin.write("Hello, could you help me please?\n")
        proc.stdin.flush()
        _wait_for_turns(data / "transcripts", 1)
        proc.send_signal(signum)
        out, err = proc.communicate(timeout=20)  # closes stdin too late to matter: the signal came first
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 128 + signum, err
    assert err == ""
    printed = [json.loads(line) for line in out.splitlines()]
    on_disk = list(read_records(str(next((data / "transcripts").glob("*.jsonl")))))
    assert [r["type"] for r in on_disk] == ["header", "turn", "summary"]
    assert on_disk[-1]["stopped_by"] == printed[-1]["stopped_by"] == signal.Signals(signum).name
