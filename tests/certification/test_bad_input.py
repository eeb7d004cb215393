"""Bad input, as a manager meets it: one line on stderr, exit 2, and every file left exactly as it was.

Each case makes a file (a database, a certificate, a suite, a replies file)
broken in one way, runs a command over it, and checks the message, the exit
status and that no file in the folder changed or appeared.
"""

from __future__ import annotations

import json
import os

import pytest

from simulator.cli import main

SUITE = "id: one\npass_mark: 60\nseed: 5\ndrills: [gatekeeper]\n"


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> dict[str, bytes]:
    """A real database and certificate to break copies of (made once: an exam is the slow part)."""
    folder = tmp_path_factory.mktemp("good")
    (folder / "one.yaml").write_text(SUITE, encoding="utf-8")
    (folder / "replies.txt").write_text("Hello, I wonder if you could help me? Who is in charge of purchasing, "
                                        "and what is his name and direct number?\nThank you so much!\n",
                                        encoding="utf-8")
    before = dict(os.environ)
    os.environ.update(SALESDRILL_DATA_DIR=str(folder / "data"), SALESDRILL_CERT_KEY="k" * 32)
    try:
        assert main(["certify", "--trainee", "Ann", "--suite", str(folder / "one.yaml"), "--lang", "en",
                     "--replies", str(folder / "replies.txt"), "--quiet", "--db", str(folder / "r.sqlite3"),
                     "-o", str(folder / "cert.json")]) == 0
    finally:
        os.environ.clear()
        os.environ.update(before)
    return {name: (folder / name).read_bytes() for name in ("r.sqlite3", "cert.json", "one.yaml", "replies.txt")}


def _garbage(files: dict[str, bytes]) -> None:
    files["r.sqlite3"] = b"this is not a database " * 300


def _damaged_page(files: dict[str, bytes]) -> None:
    data = bytearray(files["r.sqlite3"])
    page = 4096 * (len(data) // 4096 // 2)  # a b-tree page in the middle: its header made nonsense
    data[page:page + 8] = b"\x0d\x00\x00\x00\x09\xff\xff\xff"
    files["r.sqlite3"] = bytes(data)


def _signature(files: dict[str, bytes]) -> None:
    document = json.loads(files["cert.json"])
    document["signature"]["value"] = "0" * 64
    files["cert.json"] = json.dumps(document).encode()


def _json(files: dict[str, bytes]) -> None:
    files["cert.json"] = files["cert.json"][:200]


def _missing_drill(files: dict[str, bytes]) -> None:
    files["one.yaml"] = SUITE.replace("[gatekeeper]", "[gatekeeper, gatekeepr]").encode()


def _latin1(files: dict[str, bytes]) -> None:
    files["replies.txt"] = "Hello, caf\xe9?\n".encode("latin-1")


CERTIFY = ["certify", "--trainee", "Bo", "--suite", "one.yaml", "--replies", "replies.txt", "--db", "r.sqlite3"]
CASES = [
    ("corrupt database: certify", _garbage, CERTIFY, "results database r.sqlite3: file is not a database"),
    ("corrupt database: history", _garbage, ["history", "--db", "r.sqlite3"], "file is not a database"),
    ("corrupt database: export", _garbage, ["export", "--csv", "-o", "out.csv", "--db", "r.sqlite3"],
     "file is not a database"),
    ("corrupt database: report", _garbage, ["report", "--trainee", "Ann", "-o", "out.html", "--db", "r.sqlite3"],
     "file is not a database"),
    ("damaged page: certify", _damaged_page, CERTIFY, "r.sqlite3: damaged"),
    ("broken signature: verify", _signature, ["verify", "cert.json"], "cert.json: TAMPERED"),
    ("broken signature: report", _signature, ["report", "cert.json", "-o", "out.html"], "TAMPERED"),
    ("unreadable JSON: verify", _json, ["verify", "cert.json"], "cert.json: unreadable JSON at line"),
    ("unreadable JSON: report", _json, ["report", "cert.json", "-o", "out.html"], "unreadable JSON"),
    ("unreadable JSON: grade", _json, ["grade", "cert.json", "--csv", "out.csv", "--json", "out.json"],
     "nothing was graded or written"),
    ("suite naming a missing drill", _missing_drill, CERTIFY, "one.yaml:4:"),
    ("replies file not UTF-8", _latin1, CERTIFY, "replies file replies.txt is not UTF-8 text"),
]


@pytest.mark.parametrize("breaks, command, message", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_one_line_exit_2_nothing_overwritten(good, tmp_path, monkeypatch, capsys, breaks, command, message):
    files = dict(good)
    breaks(files)
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    for name in ("out.csv", "out.json", "out.html"):  # earlier outputs a failed run must not replace
        (tmp_path / name).write_text("earlier\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SALESDRILL_CERT_KEY", "k" * 32)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}
    assert main(command) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("salesdrill: error: ") and message in err, err
    after = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}
    assert after == before
    assert not (tmp_path / "data" / "certificates").exists()  # no exam was started
