"""The certification commands as a user calls them: exit codes, one-line errors, nothing overwritten."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from simulator.cli import main

SUITE = "id: pair\npass_mark: 60\nseed: 5\ndrills: [gatekeeper, price_too_high]\n"


@pytest.fixture
def suite_file(tmp_path) -> Path:
    path = tmp_path / "pair.yaml"
    path.write_text(SUITE, encoding="utf-8")
    return path


def model_replies(catalog, tmp_path, drills=("gatekeeper", "price_too_high")) -> Path:
    path = tmp_path / "replies.txt"
    path.write_text("\n".join(r for d in drills for r in catalog.scenarios[d].model_answer["en"]) + "\n",
                    encoding="utf-8")
    return path


def certify(tmp_path, suite_file, replies, capsys, trainee="Ann Lee") -> tuple[int, str, str]:
    code = main(["certify", "--trainee", trainee, "--suite", str(suite_file), "--lang", "en",
                 "--replies", str(replies), "--quiet"])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_certify_then_verify(tmp_path, suite_file, catalog, capsys):
    code, out, _err = certify(tmp_path, suite_file, model_replies(catalog, tmp_path), capsys)
    assert code == 0
    assert "Ann Lee: pair attempt 1 complete, score 100, passed" in out
    certificate = out.strip().splitlines()[-1].removeprefix("certificate: ")
    assert main(["verify", certificate]) == 0
    assert capsys.readouterr().out.startswith("intact:")
    assert main(["verify", "--json", certificate]) == 0
    assert json.loads(capsys.readouterr().out)["status"] == "intact"


def test_the_default_suite_from_the_command_line(tmp_path, catalog, capsys):
    replies = model_replies(catalog, tmp_path, [d for d in ("gatekeeper", "price_too_high") if d in catalog.scenarios])
    code = main(["certify", "--trainee", "Ann", "--lang", "en", "--replies", str(replies), "--quiet"])
    out = capsys.readouterr().out
    assert code == 0 and "default attempt 1" in out


def test_a_suite_naming_a_missing_drill_is_one_line_exit_2(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: bad\ndrills: [gatekeeper, gatekeepr]\n", encoding="utf-8")
    assert main(["certify", "--trainee", "Ann", "--suite", str(bad), "--replies", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "bad.yaml:2:" in err and "did you mean 'gatekeeper'" in err


def test_a_corrupt_database_is_one_line_exit_2_and_untouched(tmp_path, suite_file, catalog, capsys, monkeypatch):
    db = tmp_path / "results.sqlite3"
    db.write_bytes(b"garbage" * 500)
    monkeypatch.setenv("SALESDRILL_DB", str(db))
    code, _out, err = certify(tmp_path, suite_file, model_replies(catalog, tmp_path), capsys)
    assert code == 2 and err.count("\n") == 1 and "results database" in err
    assert db.read_bytes() == b"garbage" * 500


def test_a_tampered_certificate_is_one_line_exit_2(tmp_path, suite_file, catalog, capsys):
    _code, out, _err = certify(tmp_path, suite_file, model_replies(catalog, tmp_path), capsys)
    certificate = Path(out.strip().splitlines()[-1].removeprefix("certificate: "))
    document = json.loads(certificate.read_text(encoding="utf-8"))
    document["certificate"]["drills"][0]["score"] -= 1
    certificate.write_text(json.dumps(document), encoding="utf-8")
    assert main(["verify", str(certificate)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "TAMPERED" in err


def test_a_bad_trainee_name(capsys):
    assert main(["certify", "--trainee", "  "]) == 2
    assert "--trainee" in capsys.readouterr().err
