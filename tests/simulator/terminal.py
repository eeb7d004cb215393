"""salesdrill in a real pseudo-terminal: type into it, resize it, close it, as a rep's terminal would."""

from __future__ import annotations

import fcntl
import json
import os
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

from simulator.transcript import read_records

ROOT = Path(__file__).resolve().parents[2]
MAIN = "import sys; from simulator.cli import main; sys.exit(main())"
WAIT = 20.0  # seconds before a wait is a failure: a hung test, not a slow one


class Terminal:
    """A child `salesdrill` whose stdin and stdout are a pty it has as its controlling terminal.

    Closing the terminal (`close`) hangs the pty up: the kernel sends SIGHUP,
    exactly as when a terminal window is closed. stderr goes to a file, so a
    traceback is seen even after the terminal has gone.
    """

    def __init__(self, args: list[str], env: dict[str, str], stderr: Path, rows: int = 30, cols: int = 100):
        self.master, slave = os.openpty()
        self.resize(rows, cols)
        self.stderr = stderr
        with open(stderr, "wb") as err:
            self.proc = subprocess.Popen(
                [sys.executable, "-c", MAIN, *args], stdin=slave, stdout=slave, stderr=err, cwd=ROOT,
                env={**env, "TERM": "xterm-256color"}, start_new_session=True,
                preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0),  # the pty becomes its terminal
            )
        os.close(slave)
        self.output = ""
        self.closed = False

    def resize(self, rows: int, cols: int) -> None:
        """Set the window size; the kernel sends SIGWINCH to the program in the foreground."""
        fcntl.ioctl(self.master, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))

    def type(self, text: str) -> None:
        os.write(self.master, text.encode("utf-8"))

    def read(self, seconds: float = 0.05) -> None:
        """Take what the program wrote; answer its cursor-position requests as a terminal does."""
        while select.select([self.master], [], [], seconds)[0]:
            try:
                chunk = os.read(self.master, 65536).decode("utf-8", "replace")
            except OSError:  # the program has exited and the pty is hung up
                return
            if not chunk:
                return
            if "\x1b[6n" in chunk:
                os.write(self.master, b"\x1b[1;1R")
            self.output += chunk
            seconds = 0.05

    def expect(self, text: str, after: int = 0) -> int:
        """Wait until `text` is on the screen after position `after`; where it ends."""
        deadline = time.monotonic() + WAIT
        while (found := self.output.find(text, after)) < 0:
            assert time.monotonic() < deadline, f"never saw {text!r}; screen:\n{self.output[-2000:]!r}"
            self.read(0.1)
        return found + len(text)

    def close(self) -> None:
        """Close the terminal window: the pty's master side goes away."""
        if not self.closed:
            self.closed = True
            os.close(self.master)

    def wait(self) -> int:
        return self.proc.wait(timeout=WAIT)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.close()


def transcript_records(folder: Path, strict: bool = True) -> list[dict]:
    """Every record of the one transcript in `folder` (none yet: empty); `strict`: every line must be JSON."""
    files = sorted(folder.glob("*.jsonl"))
    if not files:
        return []
    if not strict:  # read while it is being written
        return list(read_records(str(files[0])))
    return [json.loads(line) for line in files[0].read_text(encoding="utf-8").split("\n") if line]


def wait_for_turns(folder: Path, n: int, term: Terminal | None = None) -> list[dict]:
    """Wait until `n` turns are in the transcript; meanwhile keep answering the terminal's requests."""
    deadline = time.monotonic() + WAIT
    while True:
        records = transcript_records(folder, strict=False)
        if sum(r["type"] == "turn" for r in records) >= n:
            return records
        assert time.monotonic() < deadline, f"turn {n} never reached the transcript: {records}"
        if term is not None:
            term.read(0.02)
        else:
            time.sleep(0.02)
