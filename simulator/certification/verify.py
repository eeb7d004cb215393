"""`salesdrill verify`: is a certificate intact, tampered with, or graded by a scorer that now scores differently?

Unreadable, tampered and foreign-key certificates are errors (exit 2). An
intact one is re-graded: exit 0 when the current scorer gives the same
result, 1 when it does not, with what changed and by how much.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from simulator.certification.certificate import check_signature, read_certificate
from simulator.certification.keys import SigningKey, load_key
from simulator.certification.regrade import Regrade, regrade_certificate
from simulator.certification.tamper import SHOWN, differences
from simulator.errors import CertificateError
from simulator.loader import Catalog

__all__ = ["Verdict", "verify_certificate"]


@dataclass(frozen=True)
class Verdict:
    path: str
    payload: dict[str, Any]
    key_id: str
    regrade: Regrade

    @property
    def exit_code(self) -> int:
        return 0 if self.regrade.same else 1

    @property
    def status(self) -> str:
        return "intact" if self.regrade.same else "intact_regrade_differs"

    def lines(self) -> list[str]:
        p, r = self.payload, self.regrade
        verdict = "PASSED" if r.recorded_passed else "FAILED"
        out = [f"intact: {self.path} is signed with key {self.key_id} and unchanged since it was issued",
               f"  {p['trainee']} · suite {p['suite'].get('id')} · attempt {p.get('attempt')} · {p['status']} · "
               f"score {r.recorded_score} · {verdict}"]
        if r.same:
            note = f" (changed since: {', '.join(r.changed_versions)})" if r.changed_versions else ""
            out.append(f"re-graded with the current scorer: same result{note}")
            return out
        now = "PASSED" if r.passed else "FAILED"
        older = "an older scorer" if "scorer" in r.changed_versions else "other versions"
        out.append(f"RE-GRADE DIFFERS: graded by {older} ({', '.join(r.changed_versions) or 'no version change'} "
                   f"since); the current scorer gives score {r.score} (certificate: {r.recorded_score}), "
                   f"{now} (certificate: {verdict})")
        for d in r.drills:
            if d.same:
                continue
            if d.now is None:
                out.append(f"  {d.drill}: not installed now; cannot be re-graded")
                continue
            out.append(f"  {d.drill}: score {d.recorded.score} → {d.now.score}, outcome {d.recorded.outcome} → "
                       f"{d.now.outcome}, {'passed' if d.recorded.passed else 'failed'} → "
                       f"{'passed' if d.now.passed else 'failed'}")
            for turn, before, after in d.turn_changes:
                out.append(f"    reply {turn}: {before if before is not None else '-'} → "
                           f"{after if after is not None else '-'}")
        return out

    def as_json(self) -> dict[str, Any]:
        r = self.regrade
        return {
            "certificate": self.path,
            "status": self.status,
            "signature": "intact",
            "key_id": self.key_id,
            "trainee": self.payload["trainee"],
            "suite": self.payload["suite"].get("id"),
            "recorded": {"score": r.recorded_score, "passed": r.recorded_passed},
            "now": {"score": r.score, "passed": r.passed},
            "changed_versions": list(r.changed_versions),
            "drills": [{"drill": d.drill, "recorded": d.recorded.score,
                        "now": d.now.score if d.now else None,
                        "turn_changes": [list(c) for c in d.turn_changes]} for d in r.drills],
        }


def verify_certificate(path: str, catalog: Catalog, key: SigningKey | None = None,
                       db_path: str | None = None) -> Verdict:
    """The verdict on an intact certificate; a CertificateError for any other.

    With the results database at `db_path`, a tampered certificate's error
    names the values that differ from what the database holds.
    """
    document = read_certificate(path)
    key = key or load_key(create=False)
    check = check_signature(document, key)
    if check.verdict == "tampered":
        found = differences(document["certificate"], catalog, db_path) if db_path else []
        where = ""
        if found:
            more = f" (and {len(found) - SHOWN} more)" if len(found) > SHOWN else ""
            where = "; against the results database: " + "; ".join(found[:SHOWN]) + more
        raise CertificateError(path, "TAMPERED: the signature does not match the content; it was changed after "
                                     f"it was signed, and none of it can be trusted{where}")
    if check.verdict == "other_key":
        raise CertificateError(path, f"signed with another key (id {document['signature'].get('key_id')}; the key "
                                     f"in force, from {key.source}, has id {key.id}); give the signing key by "
                                     "SALESDRILL_CERT_KEY or SALESDRILL_CERT_KEY_FILE")
    payload = document["certificate"]
    try:
        regrade = regrade_certificate(payload, catalog)
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise CertificateError(path, f"signed, but its content cannot be re-graded ({exc!r})") from None
    return Verdict(path, payload, key.id, regrade)
