"""A data folder that cannot take a session: refused at start in one line; a disk that fills up mid-session keeps what was written.

These run as root too: read-only is tested in a child that has dropped root's
power to override permissions, a full disk with /dev/full and with the
kernel's file-size limit (a real failed write, not a mock).
"""

from __future__ import annotations

import io
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from simulator import transcript
from simulator.cli import main

from .terminal import MAIN, ROOT, transcript_records

PR_CAPBSET_DROP, CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH = 24, 1, 2  # from <linux/prctl.h>, <linux/capability.h>


def _practice(data: Path, replies: str, preexec=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", MAIN, "practice", "gatekeeper", "--lang", "en", "--replies", "-"],
        input=replies, capture_output=True, text=True, cwd=ROOT, timeout=60, preexec_fn=preexec,
        env={**os.environ, "SALESDRILL_DATA_DIR": str(data)},
    )


def _root_without_its_override() -> None:
    """Drop root's power to ignore permissions (Linux): from exec on, a 0o555 folder is read-only to it too."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
        if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "cannot drop a capability")


def _one_line_error(stderr: str, *words: str) -> None:
    assert stderr.count("\n") == 1 and stderr.startswith("salesdrill: error: "), stderr
    assert "Traceback" not in stderr
    for word in words:
        assert word in stderr, stderr


def test_read_only_data_folder_is_refused_at_start(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    folder.chmod(0o555)
    preexec = None
    if os.access(folder, os.W_OK):  # root: run the session without its power to write anywhere
        if not sys.platform.startswith("linux"):
            pytest.skip("this user can write into a read-only folder")
        preexec = _root_without_its_override
    try:
        done = _practice(folder, "Hello, could you help me please?\n", preexec)
    except subprocess.SubprocessError:
        pytest.skip("cannot drop root's capabilities here (a restricted container?)")
    finally:
        folder.chmod(0o755)
    assert done.returncode == 2
    _one_line_error(done.stderr, "cannot write to the data folder", "Permission denied")
    assert done.stdout == ""  # refused before the drill started, not after the rep had typed


def test_full_disk_is_refused_at_start(monkeypatch, capsys):
    monkeypatch.setattr(transcript, "_open", lambda path, flags: os.open("/dev/full", os.O_WRONLY))
    monkeypatch.setattr(sys, "stdin", io.StringIO("Hello, could you help me please?\n"))
    assert main(["practice", "gatekeeper", "--lang", "en", "--replies", "-"]) == 2
    out, err = capsys.readouterr()
    _one_line_error(err, "cannot write to the data folder", "No space left on device")
    assert out == ""


def test_nearly_full_disk_is_refused_at_start(monkeypatch, capsys):
    real = os.statvfs
    free_blocks = 10  # 40 KB: a probe fits, a session may not

    class Tiny:
        def __init__(self, path):
            st = real(path)
            self.f_frsize, self.f_bavail = st.f_frsize or 4096, free_blocks

    monkeypatch.setattr(os, "statvfs", Tiny)
    monkeypatch.setattr(sys, "stdin", io.StringIO("Hello, could you help me please?\n"))
    assert main(["practice", "gatekeeper", "--lang", "en", "--replies", "-"]) == 2
    _one_line_error(capsys.readouterr().err, "disk is nearly full", "KB free")


@pytest.mark.skipif(not hasattr(signal, "SIGXFSZ"), reason="needs the POSIX file-size limit")
def test_disk_filling_up_at_turn_3_stops_the_session_and_keeps_what_was_written(tmp_path):
    limit = 20_000  # the header and two short turns fit; a third turn with a long reply does not

    def small_disk() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    replies = ["Hello, could you help me please?", "Who handles purchasing there?",
               "May I have his name please? " * 1500, "Thank you."]
    done = _practice(tmp_path / "data", "".join(r + "\n" for r in replies), small_disk)
    assert done.returncode == 2
    _one_line_error(done.stderr, "cannot write transcript", "File too large", "the 2 turn(s) before it are saved")
    records = transcript_records(tmp_path / "data" / "transcripts")  # every line whole: the torn one cut off
    assert [r["type"] for r in records] == ["header", "turn", "turn"]
    assert [r["reply"] for r in records[1:]] == replies[:2]
    assert "Thank you." not in done.stdout  # the session stopped at turn 3: the 4th reply was never played
