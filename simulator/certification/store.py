"""The certification results database: SQLite in WAL mode, one transaction per finished turn.

Several exams may write to one database at once (WAL lets readers and one
writer work side by side; writers wait on the busy timeout), and a process
killed mid-exam loses nothing already committed: the attempt row is written
first as 'incomplete' and only the end of the exam finalises it, so a killed
run stays incomplete, counts as an attempt, and can never be resumed.

The schema carries its version in `PRAGMA user_version`; `MIGRATIONS` lists
the steps from an empty file to the current schema, applied in order, each in
its own transaction. A database written by a newer salesdrill is refused, a
damaged one reported, and neither is ever overwritten.

The file holds trainees' results, so a new one is created readable by its
owner only (0600); SQLite gives its -wal and -shm files the same mode. An
existing file keeps the mode it has (a team may share one on purpose).
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from simulator.errors import DatabaseError
from simulator.transcript import data_dir, ensure_writable

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "AttemptRow", "DrillRow", "Store", "default_db_path"]

# Step n takes the schema from version n to n + 1. Append; never edit a released step.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE attempts (
            id TEXT PRIMARY KEY,
            trainee TEXT NOT NULL,
            suite TEXT NOT NULL,
            suite_digest TEXT NOT NULL,
            lang TEXT NOT NULL,
            seed INTEGER NOT NULL,
            number INTEGER NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('incomplete', 'complete')),
            started TEXT NOT NULL,
            finished TEXT,
            score INTEGER,
            passed INTEGER,
            certificate TEXT,
            versions TEXT NOT NULL,
            suite_json TEXT NOT NULL
        )""",
        "CREATE INDEX attempts_by_trainee ON attempts (trainee, suite, started)",
        """CREATE TABLE drill_results (
            attempt TEXT NOT NULL REFERENCES attempts (id),
            position INTEGER NOT NULL,
            drill TEXT NOT NULL,
            digest TEXT NOT NULL,
            pass_mark INTEGER NOT NULL,
            started TEXT NOT NULL,
            finished TEXT,
            outcome TEXT,
            end_state TEXT,
            score INTEGER,
            passed INTEGER,
            header TEXT NOT NULL,
            summary TEXT,
            PRIMARY KEY (attempt, position)
        )""",
        """CREATE TABLE turns (
            attempt TEXT NOT NULL,
            position INTEGER NOT NULL,
            turn INTEGER NOT NULL,
            drill TEXT NOT NULL,
            reply TEXT NOT NULL,
            score INTEGER NOT NULL,
            counted INTEGER NOT NULL,
            late INTEGER NOT NULL,
            seconds REAL,
            record TEXT NOT NULL,
            PRIMARY KEY (attempt, position, turn),
            FOREIGN KEY (attempt, position) REFERENCES drill_results (attempt, position)
        )""",
        """CREATE TABLE turn_principles (
            attempt TEXT NOT NULL,
            position INTEGER NOT NULL,
            turn INTEGER NOT NULL,
            principle TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('hit', 'missed', 'anti_pattern')),
            FOREIGN KEY (attempt, position, turn) REFERENCES turns (attempt, position, turn)
        )""",
    ),
    (
        # Version 2: history's "principles missed most" reads by principle.
        "CREATE INDEX turn_principles_by_principle ON turn_principles (principle, kind)",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)
BUSY_TIMEOUT_SECONDS = 30.0


def default_db_path() -> str:
    """SALESDRILL_DB, else results.sqlite3 in the data folder."""
    return os.environ.get("SALESDRILL_DB") or os.path.join(data_dir(), "results.sqlite3")


@dataclass(frozen=True, slots=True)
class AttemptRow:
    id: str
    trainee: str
    suite: str
    lang: str
    seed: int
    number: int
    status: str  # incomplete | complete
    started: str
    finished: str | None  # None: the process never got to finish it (killed)
    score: int | None
    passed: bool | None
    certificate: str | None
    versions: dict[str, Any]
    suite_info: dict[str, Any]

    @property
    def interrupted(self) -> bool:
        return self.finished is None


@dataclass(frozen=True, slots=True)
class DrillRow:
    attempt: str
    position: int
    drill: str
    digest: str
    pass_mark: int
    started: str
    finished: str | None
    outcome: str | None
    end: str | None
    score: int | None
    passed: bool | None
    header: dict[str, Any]
    summary: dict[str, Any] | None


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _bool(value: Any) -> bool | None:
    return None if value is None else bool(value)


def _create_private(path: str) -> None:
    """An empty file with mode 0600, for SQLite to fill (it keeps an existing file's mode)."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass  # another process created it a moment ago: theirs is just as private
    except OSError as exc:
        raise DatabaseError(path, f"cannot create: {exc.strerror or exc}") from None


class Store:
    """One connection to the results database. Open with `Store.open`; use as a context manager."""

    def __init__(self, path: str, connection: sqlite3.Connection) -> None:
        self.path = path
        self._db = connection

    # -- opening --------------------------------------------------------------

    @classmethod
    def open(cls, path: str | None = None, create: bool = True, check: bool = False) -> Store:
        """Open (and create or migrate) the database. `create=False` refuses a missing file.

        `check=True` reads every page first (PRAGMA quick_check), so damage is
        found before an exam starts, not halfway through it.
        """
        path = path or default_db_path()
        exists = os.path.exists(path)
        if not exists and not create:
            raise DatabaseError(path, "no such database yet (no certification has been run with it)")
        if not exists:
            ensure_writable(os.path.dirname(os.path.abspath(path)))
            _create_private(path)
        elif os.path.isdir(path):
            raise DatabaseError(path, "is a folder, not a database file")
        try:
            connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
        except sqlite3.Error as exc:
            raise DatabaseError(path, f"cannot open: {exc}") from None
        store = cls(path, connection)
        try:
            if check and exists:
                store._check()
            store._configure()
            store._migrate()
        except BaseException:
            connection.close()
            raise
        return store

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _guard(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.DatabaseError as exc:
            message = str(exc)
            if "not a database" in message or "malformed" in message:
                message += "; the file is damaged or not a salesdrill database (it was left as it is: " \
                           "move it aside or set SALESDRILL_DB to use another)"
            raise DatabaseError(self.path, message) from None

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE: take the write lock up front, so two writers queue rather than deadlock."""
        with self._guard():
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _check(self) -> None:
        with self._guard():
            found = [row[0] for row in self._db.execute("PRAGMA quick_check(3)")]
        if found != ["ok"]:
            raise DatabaseError(self.path, f"damaged ({'; '.join(map(str, found))}); it was left as it is: "
                                           "move it aside or set SALESDRILL_DB to use another")

    def _configure(self) -> None:
        with self._guard():
            self._db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
            mode = self._db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise DatabaseError(self.path, f"cannot switch to WAL mode (journal mode is {mode})")
            self._db.execute("PRAGMA synchronous = FULL")
            self._db.execute("PRAGMA foreign_keys = ON")

    def _migrate(self) -> None:
        with self._guard():
            version = self.schema_version()
        if version > SCHEMA_VERSION:
            raise DatabaseError(self.path, f"schema version {version} was written by a newer salesdrill "
                                           f"(this one knows up to {SCHEMA_VERSION}); upgrade salesdrill")
        while version < SCHEMA_VERSION:
            with self._transaction() as db:
                # Re-read under the write lock: another process may have migrated meanwhile.
                version = db.execute("PRAGMA user_version").fetchone()[0]
                if version >= SCHEMA_VERSION:
                    break
                if version == 0 and db.execute(
                        "SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").fetchone()[0]:
                    raise DatabaseError(self.path, "holds tables but no salesdrill schema version; "
                                                   "it is not a salesdrill results database")
                for statement in MIGRATIONS[version]:
                    db.execute(statement)
                db.execute(f"PRAGMA user_version = {version + 1}")
                version += 1

    def schema_version(self) -> int:
        with self._guard():
            return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    # -- writing an exam, step by step -------------------------------------------

    def start_attempt(self, *, attempt_id: str, trainee: str, suite: dict[str, Any], lang: str, seed: int,
                      started: str, versions: dict[str, Any], max_attempts: int | None) -> int:
        """Record a new attempt as 'incomplete' and return its number for this trainee and suite.

        The cap is checked in the same transaction as the insert, so two exams
        started at once cannot both take the last attempt.
        """
        from simulator.errors import AttemptsExhaustedError

        with self._transaction() as db:
            used = db.execute("SELECT count(*) FROM attempts WHERE trainee = ? AND suite = ?",
                              (trainee, suite["id"])).fetchone()[0]
            if max_attempts is not None and used >= max_attempts:
                raise AttemptsExhaustedError(trainee, suite["id"], used, max_attempts)
            db.execute(
                "INSERT INTO attempts (id, trainee, suite, suite_digest, lang, seed, number, status, started, "
                "versions, suite_json) VALUES (?, ?, ?, ?, ?, ?, ?, 'incomplete', ?, ?, ?)",
                (attempt_id, trainee, suite["id"], suite["digest"], lang, seed, used + 1, started,
                 _json(versions), _json(suite)),
            )
        return int(used + 1)

    def attempts_used(self, trainee: str, suite: str) -> int:
        with self._guard():
            return int(self._db.execute("SELECT count(*) FROM attempts WHERE trainee = ? AND suite = ?",
                                        (trainee, suite)).fetchone()[0])

    def start_drill(self, attempt_id: str, position: int, header: dict[str, Any], pass_mark: int) -> None:
        with self._transaction() as db:
            db.execute(
                "INSERT INTO drill_results (attempt, position, drill, digest, pass_mark, started, header) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (attempt_id, position, header["drill"], header.get("scenario_digest", ""), pass_mark,
                 header.get("started", ""), _json(header)),
            )

    def add_turn(self, attempt_id: str, position: int, record: dict[str, Any]) -> None:
        """One finished turn (the session's turn record plus the exam's `late`, `seconds`, `counted`)."""
        number = int(record["turn"])
        with self._transaction() as db:
            db.execute(
                "INSERT INTO turns (attempt, position, turn, drill, reply, score, counted, late, seconds, record) "
                "VALUES (?, ?, ?, (SELECT drill FROM drill_results WHERE attempt = ? AND position = ?), "
                "?, ?, ?, ?, ?, ?)",
                (attempt_id, position, number, attempt_id, position, record["reply"], record["score"],
                 record.get("counted", record["score"]), int(bool(record.get("late"))), record.get("seconds"),
                 _json(record)),
            )
            rows = [(attempt_id, position, number, pid, kind)
                    for kind, key in (("hit", "hits"), ("missed", "missed"), ("anti_pattern", "anti_patterns"))
                    for pid in record.get(key, ())]
            db.executemany("INSERT INTO turn_principles VALUES (?, ?, ?, ?, ?)", rows)

    def finish_drill(self, attempt_id: str, position: int, summary: dict[str, Any], score: int,
                     passed: bool) -> None:
        with self._transaction() as db:
            db.execute(
                "UPDATE drill_results SET finished = ?, outcome = ?, end_state = ?, score = ?, passed = ?, "
                "summary = ? WHERE attempt = ? AND position = ?",
                (summary.get("ended"), summary.get("outcome"), summary.get("end"), score, int(passed),
                 _json(summary), attempt_id, position),
            )

    def finish_attempt(self, attempt_id: str, status: str, score: int, passed: bool, finished: str) -> None:
        with self._transaction() as db:
            db.execute("UPDATE attempts SET status = ?, score = ?, passed = ?, finished = ? "
                       "WHERE id = ? AND finished IS NULL",
                       (status, score, int(passed), finished, attempt_id))

    def set_certificate(self, attempt_id: str, path: str) -> None:
        with self._transaction() as db:
            db.execute("UPDATE attempts SET certificate = ? WHERE id = ?", (path, attempt_id))

    # -- reading ------------------------------------------------------------------

    def attempts(self, trainee: str | None = None, suite: str | None = None) -> list[AttemptRow]:
        """Attempts oldest first, optionally of one trainee and one suite."""
        query = "SELECT * FROM attempts WHERE (? IS NULL OR trainee = ?) AND (? IS NULL OR suite = ?) " \
                "ORDER BY started, rowid"
        with self._guard():
            cursor = self._db.execute(query, (trainee, trainee, suite, suite))
            names = [c[0] for c in cursor.description]
            rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        return [AttemptRow(r["id"], r["trainee"], r["suite"], r["lang"], r["seed"], r["number"], r["status"],
                           r["started"], r["finished"], r["score"], _bool(r["passed"]), r["certificate"],
                           json.loads(r["versions"]), json.loads(r["suite_json"])) for r in rows]

    def attempt(self, attempt_id: str) -> AttemptRow | None:
        with self._guard():
            found = self._db.execute("SELECT trainee FROM attempts WHERE id = ?", (attempt_id,)).fetchone()
        if found is None:
            return None
        return next(a for a in self.attempts(found[0]) if a.id == attempt_id)

    def drills(self, attempt_id: str) -> list[DrillRow]:
        with self._guard():
            cursor = self._db.execute("SELECT * FROM drill_results WHERE attempt = ? ORDER BY position",
                                      (attempt_id,))
            names = [c[0] for c in cursor.description]
            rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        return [DrillRow(r["attempt"], r["position"], r["drill"], r["digest"], r["pass_mark"], r["started"],
                         r["finished"], r["outcome"], r["end_state"], r["score"], _bool(r["passed"]),
                         json.loads(r["header"]), json.loads(r["summary"]) if r["summary"] else None)
                for r in rows]

    def turn_records(self, attempt_id: str, position: int) -> list[dict[str, Any]]:
        with self._guard():
            rows = self._db.execute("SELECT record FROM turns WHERE attempt = ? AND position = ? ORDER BY turn",
                                    (attempt_id, position)).fetchall()
        return [json.loads(r[0]) for r in rows]

    def turn_count(self, attempt_id: str) -> int:
        with self._guard():
            return int(self._db.execute("SELECT count(*) FROM turns WHERE attempt = ?", (attempt_id,)).fetchone()[0])

    def principle_counts(self, trainee: str | None = None, suite: str | None = None) -> dict[str, dict[str, int]]:
        """For each principle: how often it was hit, missed, or (anti-patterns) shown, over the attempts chosen."""
        query = ("SELECT p.principle, p.kind, count(*) FROM turn_principles p JOIN attempts a ON a.id = p.attempt "
                 "WHERE (? IS NULL OR a.trainee = ?) AND (? IS NULL OR a.suite = ?) GROUP BY p.principle, p.kind")
        out: dict[str, dict[str, int]] = {}
        with self._guard():
            for pid, kind, n in self._db.execute(query, (trainee, trainee, suite, suite)):
                out.setdefault(pid, {"hit": 0, "missed": 0, "anti_pattern": 0})[kind] = n
        return out

    def trainees(self, suite: str | None = None) -> list[str]:
        with self._guard():
            return [r[0] for r in self._db.execute(
                "SELECT DISTINCT trainee FROM attempts WHERE ? IS NULL OR suite = ? ORDER BY trainee", (suite, suite))]

    def suites(self) -> list[str]:
        with self._guard():
            return [r[0] for r in self._db.execute("SELECT DISTINCT suite FROM attempts ORDER BY suite")]
