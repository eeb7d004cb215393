"""`salesdrill eval`: score a labelled corpus and print how right the scorer is.

The project's corpus ships in the package (`scoring/corpus/*.jsonl`, with a
held-out split and a `stress` split of matched good/bad pairs that the library
is never tuned on); a trainer's own JSONL or CSV of
(drill, reply, label) gives the same figures for their replies. With a
trainer's principles.yaml in play, the figures are shown beside those of the
built-in library, so the trainer sees what their additions did.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from typing import IO, Any, TextIO

from scoring.evaluation import BANDS, Judged, Report, evaluate
from scoring.rubric import score_match
from simulator.errors import DataFileError, UsageError
from simulator.loader import Catalog

__all__ = ["Labelled", "builtin_corpus", "judge", "read_labelled", "reports", "write_reports"]


@dataclass(frozen=True, slots=True)
class Labelled:
    id: str
    lang: str
    drill: str | None
    objection: str | None
    state: str | None
    band: str | None
    reply: str
    principles: frozenset[str] | None
    split: str


def _ids(value: Any) -> frozenset[str] | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = value.replace(",", " ").split()
    return frozenset(str(v) for v in value)


def _row(raw: dict[str, Any], where: str, n: int) -> Labelled:
    reply = raw.get("reply")
    if not isinstance(reply, str) or not reply.strip():
        raise DataFileError(where, "every row needs a non-empty 'reply'", n, 1)
    band = raw.get("band", raw.get("label"))
    band = str(band).strip().lower() if band not in (None, "") else None
    if band is not None and band not in BANDS:
        raise DataFileError(where, f"label must be one of {', '.join(BANDS)}, not '{band}'", n, 1)
    principles = _ids(raw.get("principles"))
    anti = _ids(raw.get("anti_patterns"))
    labelled = None if principles is None and anti is None else (principles or frozenset()) | (anti or frozenset())
    lang = str(raw.get("lang") or "").strip() or ("zh" if any("\u4e00" <= c <= "\u9fff" for c in reply) else "en")
    return Labelled(
        id=str(raw.get("id") or f"{os.path.basename(where)}:{n}"),
        lang=lang,
        drill=(str(raw["drill"]) if raw.get("drill") else None),
        objection=(str(raw["objection"]) if raw.get("objection") else None),
        state=(str(raw["state"]) if raw.get("state") else None),
        band=band,
        reply=reply,
        principles=labelled,
        split=str(raw.get("split") or "all"),
    )


def read_labelled(stream: IO[str], where: str) -> list[Labelled]:
    """JSONL (one object per line) or CSV with a header row; decided by the first character."""
    text = stream.read()
    if not text.strip():
        raise DataFileError(where, "no labelled replies in the file")
    rows: list[Labelled] = []
    if text.lstrip().startswith("{"):
        for n, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
            except json.JSONDecodeError as exc:
                raise DataFileError(where, f"not valid JSON: {exc.msg}", n, exc.colno) from None
            if not isinstance(raw, dict):
                raise DataFileError(where, "each line must be a JSON object", n, 1)
            rows.append(_row(raw, where, n))
    else:
        reader = csv.DictReader(text.splitlines())
        if not reader.fieldnames or "reply" not in reader.fieldnames:
            raise DataFileError(where, "a CSV file needs a header row with at least 'drill', 'reply', 'label'", 1, 1)
        for n, raw in enumerate(reader, 2):
            rows.append(_row(dict(raw), where, n))
    if not rows:
        raise DataFileError(where, "no labelled replies in the file")
    return rows


def builtin_corpus() -> list[Labelled]:
    rows: list[Labelled] = []
    for ref in sorted(resources.files("scoring.corpus").iterdir(), key=lambda r: r.name):
        if ref.name.endswith(".jsonl"):
            with ref.open(encoding="utf-8") as handle:
                rows.extend(read_labelled(handle, f"scoring/corpus/{ref.name}"))
    return rows


def judge(rows: Iterable[Labelled], catalog: Catalog) -> Iterator[tuple[Labelled, Judged]]:
    """Score each reply at its drill's state (the drill of its objection when none is named).

    With no state named, a reply is scored at the drill's moment that suits it
    best (the highest score over the non-end states): the corpus labels a reply
    by objection, not by the moment of the call, and taking the best moment is
    blind to the label, so good and bad replies are treated alike.

    A reply whose objection no drill trains yet still counts for principle
    detection; it has no score, so it stays out of the AUC.
    """
    by_objection: dict[str, str] = {}
    for sc in sorted(catalog.scenarios.values(), key=lambda s: s.order, reverse=True):
        by_objection[sc.objection] = sc.id
    for row in rows:
        drill_id = row.drill or by_objection.get(row.objection or "")
        match = catalog.matcher.match(row.reply)
        if drill_id is None:
            found = frozenset(match.hits())
            yield row, Judged(id=row.id, lang=row.lang, objection=row.objection or "", band=row.band,
                              reply=row.reply, score=None, expected=row.principles or frozenset(),
                              found=found, labelled_ids=row.principles is not None)
            continue
        if drill_id not in catalog.scenarios:
            raise UsageError(f"reply {row.id} names unknown drill '{drill_id}'")
        scenario = catalog.scenarios[drill_id]
        if row.state is not None and row.state not in scenario.states:
            raise UsageError(f"reply {row.id} names unknown state '{row.state}' of drill '{drill_id}'")
        states = [scenario.states[row.state]] if row.state else [s for s in scenario.states.values() if not s.is_end]
        result = max((score_match(match, s.expect, catalog.library) for s in states), key=lambda r: r.score)
        found = frozenset(result.found) | frozenset(result.anti_patterns)
        yield row, Judged(
            id=row.id, lang=row.lang, objection=row.objection or scenario.objection, band=row.band,
            reply=row.reply, score=result.score, expected=row.principles or frozenset(), found=found,
            labelled_ids=row.principles is not None,
        )


def reports(rows: list[Labelled], catalog: Catalog) -> list[Report]:
    """One report per split and language, held-out first."""
    judged = list(judge(rows, catalog))
    out = []
    splits = sorted({r.split for r, _ in judged}, key=lambda s: (s != "heldout", s))
    for split in splits:
        for lang in ("zh", "en"):
            chosen = [j for r, j in judged if r.split == split and j.lang == lang]
            if chosen:
                out.append(evaluate(f"{split} · {lang}", chosen))
    return out


def _fmt(value: float | None) -> str:
    return "  —  " if value is None else f"{value:.3f}"


def write_reports(out: TextIO, current: list[Report], catalog: Catalog,
                  baseline: list[Report] | None = None) -> None:
    library = catalog.library
    before = {r.name: r for r in baseline or []}
    for report in current:
        base = before.get(report.name)
        macro = report.macro_f1(library.positive_ids)
        out.write(f"\n== {report.name} ({report.count} replies) ==\n")
        out.write(f"  {'id':<22} {'prec':>6} {'recall':>6} {'F1':>6} {'support':>7}\n")
        for pid, stats in report.ids.items():
            marker = "!" if pid in library and library[pid].is_anti_pattern else " "
            delta = ""
            if base and pid in base.ids:
                change = stats.f1 - base.ids[pid].f1
                delta = f"  ({change:+.3f})" if abs(change) >= 0.0005 else ""
            out.write(f" {marker}{pid:<22} {stats.precision:6.3f} {stats.recall:6.3f} {stats.f1:6.3f}"
                      f" {stats.support:7d}{delta}\n")
        line = f"  macro F1 (principles with support ≥10): {_fmt(macro)}"
        line += f"   AUC good>bad: {_fmt(report.auc)} over {report.auc_pairs} pairs"
        if base:
            line += f"   (built-in library: macro F1 {_fmt(base.macro_f1(library.positive_ids))},"
            line += f" AUC {_fmt(base.auc)})"
        out.write(line + "\n")
        weak = [pid for pid, s in report.ids.items()
                if pid in library and library[pid].is_anti_pattern and s.support and s.recall < 0.8]
        out.write(f"  anti-patterns with recall < 0.80: {', '.join(weak) or 'none'}\n")
        if report.worst:
            out.write("  worst mistakes:\n")
            for why, j in report.worst:
                reply = j.reply if len(j.reply) <= 70 else j.reply[:69] + "…"
                out.write(f"    {j.id}: {why}\n      “{reply}”\n")


def summary_json(reports_: list[Report], catalog: Catalog) -> dict[str, Any]:
    library = catalog.library
    return {
        report.name: {
            "replies": report.count,
            "macro_f1": report.macro_f1(library.positive_ids),
            "auc": report.auc,
            "ids": {pid: {"precision": s.precision, "recall": s.recall, "f1": s.f1, "support": s.support}
                    for pid, s in report.ids.items()},
            "worst": [{"id": j.id, "why": why, "reply": j.reply, "score": j.score} for why, j in report.worst],
        }
        for report in reports_
    }
