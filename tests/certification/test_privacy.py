"""Trainees' results are private: the database, its WAL files, certificates, exam transcripts and the key are 0600."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from simulator.certification.keys import load_key
from simulator.certification.store import Store

from .helpers import GOOD, exam


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def open_umask():
    """The loosest umask a user could have: every mode below is the code's own doing."""
    before = os.umask(0)
    yield
    os.umask(before)


def test_everything_an_exam_writes_is_its_owners_only(tmp_path, private_data_dir, open_umask):
    db = tmp_path / "results.sqlite3"
    result, _ = exam(GOOD, str(db), tmp_path, name=None, transcripts=True)
    certificate = Path(result.certificate)
    assert certificate.parent == private_data_dir / "certificates"
    assert mode(db) == 0o600 and mode(certificate) == 0o600 and mode(certificate.parent) == 0o700
    (transcript,) = (private_data_dir / "transcripts").glob("*.jsonl")
    assert mode(transcript) == 0o600
    with Store.open(str(db)) as store:  # while a connection is open its -wal and -shm files exist
        store.attempts()
        for suffix in ("-wal", "-shm"):
            assert mode(Path(f"{db}{suffix}")) == 0o600


def test_an_existing_database_keeps_its_mode(tmp_path):
    db = tmp_path / "team.sqlite3"
    with Store.open(str(db)):
        pass
    os.chmod(db, 0o660)  # a team sharing one on purpose
    with Store.open(str(db)):
        pass
    assert mode(db) == 0o660


def test_the_installation_key_is_private_whatever_the_umask(tmp_path, open_umask):
    load_key({}, str(tmp_path))
    assert mode(tmp_path / "certificate.key") == 0o600
