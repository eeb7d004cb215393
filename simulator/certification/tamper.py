"""Where a tampered certificate differs from the results database, so `verify` can say what was changed.

The signature only says that something changed. When the database the exam
was stored in is at hand, the certificate is built again from it and the two
compared value by value; names and titles are left out (they come from the
drill files installed now, which may have moved on since).
"""

from __future__ import annotations

import json
import os
from typing import Any

from simulator.certification.certificate import build_payload
from simulator.certification.store import Store
from simulator.errors import SalesdrillError
from simulator.loader import Catalog

__all__ = ["differences"]

_IGNORED = frozenset({"title", "name"})
SHOWN = 3


def _walk(signed: Any, stored: Any, where: str, out: list[str]) -> None:
    if isinstance(signed, dict) and isinstance(stored, dict):
        for key in sorted(set(signed) | set(stored), key=str):
            if key not in _IGNORED:
                _walk(signed.get(key), stored.get(key), f"{where}.{key}" if where else str(key), out)
    elif isinstance(signed, list) and isinstance(stored, list) and len(signed) == len(stored):
        for i, (a, b) in enumerate(zip(signed, stored, strict=True)):
            _walk(a, b, f"{where}[{i}]", out)
    elif signed != stored:
        if isinstance(signed, str) and isinstance(stored, str):
            signed, stored = _around_change(signed, stored)
        out.append(f"{where}: {_shown(signed)} in the file, {_shown(stored)} in the database")


def _around_change(a: str, b: str, before: int = 15, width: int = 45) -> tuple[str, str]:
    """Two long texts cut to the stretch where they start to differ, so the change shows."""
    same = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    start = max(0, same - before)

    def cut(text: str) -> str:
        piece = text[start:start + width]
        return ("…" if start else "") + piece + ("…" if start + width < len(text) else "")

    return cut(a), cut(b)


def _shown(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def differences(payload: dict[str, Any], catalog: Catalog, db_path: str) -> list[str]:
    """The values of `payload` that differ from its attempt in the database; empty when it cannot tell."""
    if not os.path.isfile(db_path):
        return []
    try:
        with Store.open(db_path, create=False) as store:
            attempt = store.attempt(str(payload.get("id")))
            if attempt is None or attempt.finished is None:
                return []
            rows = store.drills(attempt.id)
            turns = {row.position: store.turn_records(attempt.id, row.position) for row in rows}
    except SalesdrillError:
        return []  # a database that cannot be read says nothing about the certificate
    exam = {"score": attempt.score, "passed": bool(attempt.passed)}
    stored = build_payload(attempt, rows, turns, catalog, exam, str(payload.get("issued")))
    out: list[str] = []
    _walk(payload, stored, "", out)
    return out
