"""`salesdrill grade`: re-score a class's transcripts and certificates with the current scorer, in bulk.

Every file is read and checked before any is graded, so a bad one stops the
run with nothing written (unless `--skip-bad`). Then each conversation is
replayed (see `regrade.replay`), with a progress bar, and the results are
written as a CSV (one row per drill) and a JSON summary. Exit 1 when a file
was skipped or a certificate's signature does not hold, so a script notices.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections import Counter
from dataclasses import dataclass
from typing import Any, TextIO

from simulator.certification.certificate import check_signature, read_certificate
from simulator.certification.export import spreadsheet_safe
from simulator.certification.keys import SigningKey, load_key
from simulator.certification.marks import counted, drill_mark
from simulator.certification.output import write_text
from simulator.certification.progress import Progress
from simulator.certification.regrade import replay
from simulator.certification.versions import scorer_version
from simulator.drivers import display_reply
from simulator.errors import CertificateError, DataFileError, SalesdrillError, UsageError
from simulator.loader import Catalog
from simulator.transcript import read_records

__all__ = ["CSV_COLUMNS", "Job", "collect_files", "grade_files", "read_jobs"]

CSV_COLUMNS = ("file", "kind", "trainee", "drill", "lang", "seed", "turns", "late_turns", "recorded_score", "score",
               "changed", "outcome", "end", "pass_mark", "passed", "signature", "missed_most")


@dataclass(frozen=True)
class Job:
    """One recorded drill to grade again."""

    path: str
    kind: str  # transcript | certificate
    trainee: str
    drill: str
    lang: str
    seed: int
    pass_mark: int
    turns: tuple[dict[str, Any], ...]
    recorded_score: int | None
    signature: str  # intact | tampered | other_key | unchecked | none


def collect_files(paths: list[str]) -> list[str]:
    out: list[str] = []
    for path in paths:
        if os.path.isdir(path):
            for root, _dirs, files in os.walk(path):
                out.extend(os.path.join(root, f) for f in sorted(files) if f.endswith((".jsonl", ".json")))
        elif os.path.isfile(path):
            out.append(path)
        else:
            raise UsageError(f"{path}: no such file or folder")
    unique: dict[str, str] = {}  # a file named twice (a folder and a file in it) is graded once
    for path in out:
        unique.setdefault(os.path.realpath(path), path)
    return list(unique.values())


def _transcript_jobs(path: str, catalog: Catalog, pass_mark: int | None) -> list[Job]:
    try:
        records = list(read_records(path))
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(path, f"cannot read the transcript: {getattr(exc, 'strerror', None) or exc}") from None
    if not records or records[0].get("type") != "header":
        raise DataFileError(path, "not a salesdrill transcript (no header line)")
    header = records[0]
    drill = header.get("drill")
    if drill not in catalog.scenarios:
        raise DataFileError(path, f"drill '{drill}' is not installed, so it cannot be re-graded")
    turns = tuple(r for r in records if r.get("type") == "turn" and isinstance(r.get("reply"), str))
    # As marked then: the mean of the turns as they counted (an exam's late reply counts 0).
    recorded = round(sum(counted(t) for t in turns) / len(turns)) if turns else None
    mark = pass_mark if pass_mark is not None else int(header.get("pass_mark") or catalog.scenarios[drill].pass_mark)
    return [Job(path, "transcript", str(header.get("trainee", "")), drill, str(header.get("lang", "en")),
                int(header.get("seed", 0)), mark, turns, recorded, "none")]


def _certificate_jobs(path: str, document: dict[str, Any], catalog: Catalog, signature: str) -> list[Job]:
    payload = document["certificate"]
    jobs = []
    for entry in payload["drills"]:
        drill = entry.get("drill")
        if drill not in catalog.scenarios:
            raise CertificateError(path, f"drill '{drill}' is not installed, so it cannot be re-graded")
        turns = tuple(r for r in entry.get("transcript", ()) if r.get("type") == "turn")
        jobs.append(Job(path, "certificate", str(payload["trainee"]), drill, str(payload["lang"]),
                        int(payload["seed"]), int(entry.get("pass_mark", 0)), turns, entry.get("score"), signature))
    return jobs


def read_jobs(files: list[str], catalog: Catalog, pass_mark: int | None) -> tuple[list[Job], list[tuple[str, str]]]:
    """Every recorded drill in `files`, and the files that could not be used (with why)."""
    key: SigningKey | None = None
    looked_for_key = False
    jobs: list[Job] = []
    bad: list[tuple[str, str]] = []
    for path in files:
        try:
            if path.endswith(".jsonl"):
                jobs.extend(_transcript_jobs(path, catalog, pass_mark))
                continue
            signature = "unchecked"
            document = read_certificate(path)
            if not looked_for_key:
                looked_for_key = True
                try:
                    key = load_key(create=False)
                except SalesdrillError:
                    key = None  # no key here: certificates are graded, their signatures left unchecked
            if key is not None:
                signature = check_signature(document, key).verdict
            jobs.extend(_certificate_jobs(path, document, catalog, signature))
        except SalesdrillError as exc:
            bad.append((path, exc.one_line()))
        except (KeyError, TypeError, ValueError) as exc:
            bad.append((path, f"{path}: a malformed record ({exc!r})"))
    return jobs, bad


def _grade(job: Job, catalog: Catalog) -> dict[str, Any]:
    again = replay(catalog, job.drill, job.lang, job.seed, job.turns)
    mark = drill_mark(job.drill, again.turns, again.summary.outcome, job.pass_mark)
    missed: Counter[str] = Counter()
    for turn in again.turns:
        missed.update(turn["missed"])
    return {
        "file": job.path, "kind": job.kind, "trainee": job.trainee, "drill": job.drill, "lang": job.lang,
        "seed": job.seed, "turns": len(again.turns), "late_turns": sum(1 for t in again.turns if t["late"]),
        "recorded_score": job.recorded_score, "score": mark.score,
        "changed": job.recorded_score is not None and job.recorded_score != mark.score,
        "outcome": mark.outcome, "end": again.summary.end, "pass_mark": job.pass_mark, "passed": mark.passed,
        "signature": job.signature, "missed": dict(missed),
    }


def _csv(rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        most = ";".join(pid for pid, _n in Counter(row["missed"]).most_common(3))
        values = [row[c] for c in CSV_COLUMNS[:-1]] + [most]
        writer.writerow([spreadsheet_safe("" if v is None else int(v) if isinstance(v, bool) else v)
                         for v in values])
    return "\ufeff" + out.getvalue()


def _summary(rows: list[dict[str, Any]], bad: list[tuple[str, str]], catalog: Catalog) -> dict[str, Any]:
    def stats(group: list[dict[str, Any]]) -> dict[str, Any]:
        return {"graded": len(group),
                "mean_score": round(sum(r["score"] for r in group) / len(group), 1) if group else None,
                "pass_rate": round(sum(r["passed"] for r in group) / len(group), 3) if group else None}

    missed: Counter[str] = Counter()
    for row in rows:
        missed.update(row["missed"])
    by_drill = {d: stats([r for r in rows if r["drill"] == d]) for d in sorted({r["drill"] for r in rows})}
    by_trainee = {t: stats([r for r in rows if r["trainee"] == t]) for t in sorted({r["trainee"] for r in rows})}
    return {
        **stats(rows),
        "files": len({r["file"] for r in rows}),
        "changed": sum(1 for r in rows if r["changed"]),
        "signatures_not_intact": sorted({r["file"] for r in rows if r["signature"] in ("tampered", "other_key")}),
        "scorer": scorer_version(),
        "library": catalog.library.version,
        "by_drill": by_drill,
        "by_trainee": by_trainee,
        "principles_missed_most": [[pid, n] for pid, n in missed.most_common(10)],
        "skipped": [{"file": path, "error": error} for path, error in bad],
    }


def grade_files(paths: list[str], catalog: Catalog, csv_path: str, json_path: str, pass_mark: int | None,
                skip_bad: bool, stream: TextIO) -> int:
    if pass_mark is not None and not 0 <= pass_mark <= 100:
        raise UsageError("--pass-mark must be between 0 and 100")
    files = collect_files(paths)
    if not files:
        raise UsageError("no transcripts (.jsonl) or certificates (.json) found")
    jobs, bad = read_jobs(files, catalog, pass_mark)
    if bad and not skip_bad:
        _path, error = bad[0]
        more = f" (and {len(bad) - 1} more)" if len(bad) > 1 else ""
        raise SalesdrillError(f"{error}{more}; nothing was graded or written (use --skip-bad to grade the others)")
    progress = Progress(len(jobs), stream)
    rows = []
    for job in jobs:
        rows.append(_grade(job, catalog))
        progress.advance(display_reply(os.path.basename(job.path))[:40])
    summary = _summary(rows, bad, catalog)
    write_text(csv_path, _csv(rows))
    write_text(json_path, json.dumps(summary, ensure_ascii=False, indent=2) + "\n")
    mean = summary["mean_score"]
    progress.finish(f"graded {len(rows)} drill(s) from {summary['files']} file(s): mean score "
                    f"{mean if mean is not None else '-'}, {summary['changed']} changed"
                    + (f", {len(bad)} file(s) skipped" if bad else "") + f"; wrote {csv_path} and {json_path}")
    for _path, error in bad:
        stream.write(f"skipped: {error}\n")
    untrusted = summary["signatures_not_intact"]
    for path in untrusted:  # graded all the same (the replies are there), but its results cannot be trusted
        stream.write(f"warning: {path}: the certificate's signature does not hold (tampered, or another key)\n")
    return 1 if bad or untrusted else 0
