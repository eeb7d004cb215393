"""The results database: schema migrations, damaged files left alone, turns visible as soon as committed."""

from __future__ import annotations

import sqlite3

import pytest

from simulator.certification.store import MIGRATIONS, SCHEMA_VERSION, Store
from simulator.errors import AttemptsExhaustedError, DatabaseError

SUITE = {"id": "s", "digest": "d", "drills": [{"drill": "mini", "pass_mark": 60}]}


def start(store: Store, attempt: str, trainee: str = "Ann", cap: int | None = None) -> int:
    return store.start_attempt(attempt_id=attempt, trainee=trainee, suite=SUITE, lang="en", seed=0,
                               started="2025-03-01T09:00:00+00:00", versions={}, max_attempts=cap)


def test_a_new_database_is_in_wal_mode_at_the_current_schema(tmp_path):
    path = tmp_path / "r.sqlite3"
    with Store.open(str(path)) as store:
        assert store.schema_version() == SCHEMA_VERSION
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_an_older_schema_is_migrated_step_by_step(tmp_path):
    path = tmp_path / "r.sqlite3"
    db = sqlite3.connect(path)
    for statement in MIGRATIONS[0]:
        db.execute(statement)
    db.execute("PRAGMA user_version = 1")
    db.execute("INSERT INTO attempts VALUES ('a', 'Ann', 's', 'd', 'en', 0, 1, 'complete', 't', 't', 80, 1, NULL, "
               "'{}', '{}')")
    db.commit()
    db.close()
    with Store.open(str(path)) as store:
        assert store.schema_version() == SCHEMA_VERSION
        assert [a.score for a in store.attempts()] == [80]
    indexes = {r[0] for r in sqlite3.connect(path).execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert "turn_principles_by_principle" in indexes


def test_a_newer_schema_is_refused(tmp_path):
    path = tmp_path / "r.sqlite3"
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(DatabaseError, match="newer salesdrill"):
        Store.open(str(path))


@pytest.mark.parametrize("content", [b"this is not a database at all" * 100, b"SQLite format 3\x00" + b"\xff" * 4000])
def test_a_damaged_file_is_reported_and_left_untouched(tmp_path, content):
    path = tmp_path / "r.sqlite3"
    path.write_bytes(content)
    with pytest.raises(DatabaseError) as caught:
        Store.open(str(path))
    assert "\n" not in caught.value.one_line()
    assert path.read_bytes() == content


def test_someone_elses_database_is_not_taken_over(tmp_path):
    path = tmp_path / "other.sqlite3"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE invoices (id INTEGER)")
    db.commit()
    db.close()
    with pytest.raises(DatabaseError, match="not a salesdrill results database"):
        Store.open(str(path))


def test_reading_commands_do_not_create_a_database(tmp_path):
    with pytest.raises(DatabaseError, match="no such database"):
        Store.open(str(tmp_path / "missing.sqlite3"), create=False)
    assert not (tmp_path / "missing.sqlite3").exists()


def test_a_turn_is_visible_to_another_connection_once_added(tmp_path):
    path = str(tmp_path / "r.sqlite3")
    with Store.open(path) as writer, Store.open(path) as reader:
        start(writer, "a1")
        writer.start_drill("a1", 1, {"drill": "mini", "scenario_digest": "x", "started": "t"}, 60)
        writer.add_turn("a1", 1, {"turn": 1, "reply": "hello", "score": 40, "hits": ["acknowledge"],
                                  "missed": ["social_proof"], "anti_patterns": []})
        assert reader.turn_count("a1") == 1
        assert reader.attempts()[0].status == "incomplete" and reader.attempts()[0].interrupted
        assert reader.principle_counts("Ann") == {"acknowledge": {"hit": 1, "missed": 0, "anti_pattern": 0},
                                                  "social_proof": {"hit": 0, "missed": 1, "anti_pattern": 0}}


def test_the_attempt_cap_counts_incomplete_attempts(tmp_path):
    with Store.open(str(tmp_path / "r.sqlite3")) as store:
        assert start(store, "a1", cap=2) == 1
        assert start(store, "a2", cap=2) == 2
        with pytest.raises(AttemptsExhaustedError, match="2 of 2"):
            start(store, "a3", cap=2)
        assert start(store, "b1", trainee="Bo", cap=2) == 1
