"""grade: a trainer re-scores a class's transcripts and certificates; a bad file stops it before anything is written."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from simulator.certification.grade import grade_files
from simulator.certification.progress import Progress
from simulator.drivers import SessionFactory
from simulator.errors import SalesdrillError

from ..simulator.helpers import mini_catalog
from .helpers import GOOD, KEY, SUITE, exam


def transcript(replies, folder: Path, name: str) -> Path:
    catalog = mini_catalog()
    factory = SessionFactory(catalog, "mini", "en", seed=0)
    session = factory.new()
    for reply in replies:
        if not session.finished:
            session.respond(reply)
    session.close()
    assert factory.writer is not None
    factory.writer.close()
    target = folder / name
    Path(factory.transcript_path).rename(target)
    return target


@pytest.fixture
def classroom(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("SALESDRILL_CERT_KEY", KEY.secret.decode())
    folder = tmp_path / "class"
    folder.mkdir()
    transcript(GOOD, folder, "ann.jsonl")
    transcript(["We don't do discounts, sorry."], folder, "bo.jsonl")
    exam(GOOD, str(tmp_path / "r.sqlite3"), folder, trainee="Cy", name="cy.json")
    return folder


def run(paths, tmp_path, **options) -> tuple[int, list[dict], dict, str]:
    err = io.StringIO()
    code = grade_files([str(p) for p in paths], mini_catalog(), str(tmp_path / "g.csv"), str(tmp_path / "g.json"),
                       options.get("pass_mark"), options.get("skip_bad", False), err)
    rows = list(csv.DictReader(io.StringIO((tmp_path / "g.csv").read_text(encoding="utf-8-sig"))))
    return code, rows, json.loads((tmp_path / "g.json").read_text(encoding="utf-8")), err.getvalue()


def test_a_class_is_graded(classroom, tmp_path):
    code, rows, summary, err = run([classroom], tmp_path)
    assert code == 0
    by_file = {Path(r["file"]).name: r for r in rows}
    assert by_file["ann.jsonl"]["passed"] == "1" and by_file["ann.jsonl"]["score"] == "100"
    assert by_file["bo.jsonl"]["passed"] == "0" and by_file["bo.jsonl"]["outcome"] == "incomplete"
    assert by_file["cy.json"]["trainee"] == "Cy" and by_file["cy.json"]["signature"] == "intact"
    assert summary["graded"] == 3 and summary["files"] == 3 and summary["changed"] == 0
    assert summary["by_drill"]["mini"]["pass_rate"] == pytest.approx(2 / 3, abs=0.001)
    assert "graded 3 drill(s) from 3 file(s)" in err


def test_a_score_that_changed_is_flagged(classroom, tmp_path):
    path = classroom / "ann.jsonl"
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    lines[1]["score"] = 80  # as an older scorer marked the first reply: recorded (80 + 100) / 2
    path.write_text("\n".join(json.dumps(r) for r in lines) + "\n", encoding="utf-8")
    _code, rows, summary, _err = run([path], tmp_path)
    assert rows[0]["recorded_score"] == "90" and rows[0]["score"] == "100" and rows[0]["changed"] == "1"
    assert summary["changed"] == 1


@pytest.mark.parametrize("name, text", [("bad.json", "{oops"), ("bad.jsonl", "not json\n"),
                                        ("gone.jsonl", '{"type": "header", "drill": "gone"}\n')])
def test_a_bad_file_stops_everything_unless_skipped(classroom, tmp_path, name, text):
    (classroom / name).write_text(text, encoding="utf-8")
    with pytest.raises(SalesdrillError, match="nothing was graded or written"):
        grade_files([str(classroom)], mini_catalog(), str(tmp_path / "g.csv"), str(tmp_path / "g.json"), None,
                    False, io.StringIO())
    assert not (tmp_path / "g.csv").exists() and not (tmp_path / "g.json").exists()
    code, rows, summary, err = run([classroom], tmp_path, skip_bad=True)
    assert code == 1 and len(rows) == 3 and summary["skipped"][0]["file"].endswith(name)
    assert "skipped:" in err


def test_the_progress_bar_draws_in_place_on_a_terminal():
    out = io.StringIO()
    bar = Progress(4, out, live=True)
    bar.advance("a.jsonl")
    bar.advance("b.jsonl")
    assert "\r" in out.getvalue() and "2/4" in out.getvalue() and "█" in out.getvalue()
    quiet = io.StringIO()
    Progress(4, quiet, live=False).advance("a")
    assert quiet.getvalue() == ""



def test_a_certificate_whose_signature_fails_is_graded_but_flagged(classroom, tmp_path):
    path = classroom / "cy.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    document["certificate"]["trainee"] = "Someone else"
    path.write_text(json.dumps(document), encoding="utf-8")
    code, rows, summary, err = run([path], tmp_path)
    assert code == 1 and rows[0]["signature"] == "tampered" and summary["signatures_not_intact"] == [str(path)]
    assert f"warning: {path}: the certificate's signature does not hold" in err


def test_exam_transcripts_carry_the_trainee_and_the_late_flags(tmp_path, private_data_dir):
    suite = SUITE.replace("seed: 7", "seed: 7\ntime_limit: 5")
    exam(GOOD, str(tmp_path / "r.sqlite3"), tmp_path, suite_text=suite, trainee="Dee", step=10, transcripts=True)
    _code, rows, _summary, _err = run([private_data_dir / "transcripts"], tmp_path)
    assert [(r["trainee"], r["late_turns"], r["recorded_score"], r["score"], r["changed"]) for r in rows] == \
        [("Dee", "2", "0", "0", "0")]


def test_a_file_named_twice_is_graded_once(classroom, tmp_path):
    _code, rows, _summary, _err = run([classroom, classroom / "ann.jsonl"], tmp_path)
    assert len(rows) == 3
