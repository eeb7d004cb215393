"""Signed certificates: what an exam's result says, and the HMAC-SHA256 that shows it was not edited.

The file holds the payload and its signature side by side:

    {"format": 1, "certificate": {...}, "signature": {"algorithm": "HMAC-SHA256", "key_id": ..., "value": ...}}

The signature covers the payload's canonical JSON (keys sorted, no spaces,
UTF-8), so the file may be pretty-printed or re-indented without breaking it,
while any change to a value (a score, a reply) does.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from scoring.principles import Library
from simulator.certification.keys import SigningKey
from simulator.certification.marks import principle_tally
from simulator.certification.store import AttemptRow, DrillRow
from simulator.errors import CertificateError, StorageError
from simulator.loader import Catalog

__all__ = [
    "ALGORITHM", "FORMAT", "SignatureCheck", "build_payload", "canonical", "check_signature",
    "new_certificate_path", "read_certificate", "sign", "write_certificate",
]

FORMAT = 1
KIND = "salesdrill-certificate"
ALGORITHM = "HMAC-SHA256"
MAX_CERTIFICATE_BYTES = 20_000_000
_REQUIRED = ("kind", "id", "trainee", "suite", "lang", "seed", "status", "result", "drills", "versions")


def canonical(payload: Any) -> bytes:
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def sign(payload: dict[str, Any], key: SigningKey) -> dict[str, Any]:
    """The whole certificate document: payload and signature."""
    value = hmac.new(key.secret, canonical(payload), hashlib.sha256).hexdigest()
    return {"format": FORMAT, "certificate": payload,
            "signature": {"algorithm": ALGORITHM, "key_id": key.id, "value": value}}


@dataclass(frozen=True, slots=True)
class SignatureCheck:
    intact: bool
    same_key: bool

    @property
    def verdict(self) -> str:
        if self.intact:
            return "intact"
        return "tampered" if self.same_key else "other_key"


def check_signature(document: dict[str, Any], key: SigningKey) -> SignatureCheck:
    signature = document["signature"]
    expected = hmac.new(key.secret, canonical(document["certificate"]), hashlib.sha256).hexdigest()
    intact = hmac.compare_digest(expected, str(signature.get("value", "")))
    return SignatureCheck(intact, signature.get("key_id") == key.id)


# -- building the payload from the database ------------------------------------------


def _name(library: Library, pid: str, lang: str) -> str:
    return library[pid].name.get(lang) if pid in library else pid


def build_payload(attempt: AttemptRow, drills: list[DrillRow], turns: dict[int, list[dict[str, Any]]],
                  catalog: Catalog, exam: dict[str, Any], issued: str) -> dict[str, Any]:
    """The certificate's content: everything needed to judge the result, and to re-grade it, later."""
    lang = attempt.lang
    library = catalog.library
    drill_entries = []
    all_turns: list[dict[str, Any]] = []
    for row in drills:
        records = turns.get(row.position, [])
        all_turns.extend(records)
        scenario = catalog.scenarios.get(row.drill)
        transcript = [row.header, *records] + ([row.summary] if row.summary else [])
        drill_entries.append({
            "position": row.position,
            "drill": row.drill,
            "title": scenario.title.get(lang) if scenario else row.drill,
            "digest": row.digest,
            "pass_mark": row.pass_mark,
            "score": row.score if row.score is not None else 0,
            "outcome": row.outcome or "incomplete",
            "end": row.end,
            "passed": bool(row.passed),
            "turns": len(records),
            "late_turns": sum(1 for r in records if r.get("late")),
            "started": row.started,
            "finished": row.finished,
            "transcript": transcript,
        })
    principles = {}
    for pid, counts in sorted(principle_tally(all_turns).items()):
        kind = "anti_pattern" if pid in library and library[pid].is_anti_pattern else "principle"
        principles[pid] = {"name": _name(library, pid, lang), "kind": kind, **counts}
    return {
        "kind": KIND,
        "id": attempt.id,
        "trainee": attempt.trainee,
        "attempt": attempt.number,
        "suite": attempt.suite_info,
        "lang": lang,
        "seed": attempt.seed,
        "status": attempt.status,
        "started": attempt.started,
        "finished": attempt.finished,
        "issued": issued,
        "result": {"score": exam["score"], "passed": exam["passed"],
                   "pass_mark": attempt.suite_info.get("pass_mark"),
                   "drills_passed": sum(1 for d in drill_entries if d["passed"]),
                   "drills_total": len(attempt.suite_info.get("drills", ()))},
        "drills": drill_entries,
        "principles": principles,
        "versions": attempt.versions,
    }


# -- files ---------------------------------------------------------------------------------


def _slug(text: str) -> str:
    slug = re.sub(r"[^\w.-]+", "-", text, flags=re.UNICODE).strip("-.")
    return slug[:60] or "trainee"


def new_certificate_path(folder: str, trainee: str, suite: str, started: datetime) -> str:
    return os.path.join(folder, f"{started.strftime('%Y%m%d-%H%M%S')}-{_slug(trainee)}-{_slug(suite)}.json")


def write_certificate(document: dict[str, Any], path: str) -> str:
    """Write a new certificate file, readable by its owner only (0600: it holds a trainee's results).

    An existing file is never replaced (a suffix is added instead).
    """
    text = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
    base, ext = os.path.splitext(path)
    folder = os.path.dirname(os.path.abspath(path))
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
    except OSError as exc:
        raise StorageError(f"cannot create {folder}: {exc.strerror or exc}") from None
    for n in range(1000):
        candidate = path if n == 0 else f"{base}-{n}{ext}"
        try:
            fd = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
        except OSError as exc:
            raise StorageError(f"cannot write certificate {candidate}: {exc.strerror or exc}") from None
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as exc:  # a full disk: no half certificate left behind
            _remove_quietly(candidate)
            raise StorageError(f"cannot write certificate {candidate}: {exc.strerror or exc}") from None
        return candidate
    raise StorageError(f"cannot find a free certificate name near {path}")  # pragma: no cover


def _remove_quietly(path: str) -> None:
    try:
        os.remove(path)
    except OSError:
        pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"key '{key}' given twice")
        out[key] = value
    return out


def read_certificate(path: str) -> dict[str, Any]:
    """Parse a certificate file and check its shape (not its signature). Any problem is one CertificateError."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_CERTIFICATE_BYTES + 1)
    except OSError as exc:
        raise CertificateError(path, f"cannot read: {exc.strerror or exc}") from None
    if len(raw) > MAX_CERTIFICATE_BYTES:
        raise CertificateError(path, "larger than any certificate salesdrill writes")
    try:
        document = json.loads(raw.decode("utf-8"), object_pairs_hook=_no_duplicates)
    except UnicodeDecodeError:
        raise CertificateError(path, "not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise CertificateError(path, f"unreadable JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from None
    except ValueError as exc:
        raise CertificateError(path, f"unreadable JSON: {exc}") from None
    if not isinstance(document, dict) or not isinstance(document.get("certificate"), dict):
        raise CertificateError(path, "not a salesdrill certificate (no 'certificate' object)")
    if document.get("format") != FORMAT:
        raise CertificateError(path, f"certificate format {document.get('format')!r} is not one this salesdrill reads")
    signature = document.get("signature")
    if not isinstance(signature, dict) or not isinstance(signature.get("value"), str):
        raise CertificateError(path, "the signature is missing")
    if signature.get("algorithm") != ALGORITHM:
        raise CertificateError(path, f"unknown signature algorithm {signature.get('algorithm')!r}")
    payload = document["certificate"]
    missing = [k for k in _REQUIRED if k not in payload]
    if missing or payload.get("kind") != KIND:
        raise CertificateError(path, f"not a salesdrill certificate (missing {', '.join(missing) or 'kind'})")
    if not isinstance(payload["drills"], list) or not all(isinstance(d, dict) for d in payload["drills"]):
        raise CertificateError(path, "'drills' must be a list of drill results")
    return document
