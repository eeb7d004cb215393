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


def _score_up(document: dict) -> None:
    document["certificate"]["result"]["score"] += 1


def _reply_changed(document: dict) -> None:
    turn = document["certificate"]["drills"][0]["transcript"][1]
    assert turn["type"] == "turn"
    turn["reply"] += " Could you also tell me his email?"


@pytest.mark.parametrize("edit, code, first_words, detail", [
    (None, 0, "intact: ", ""),
    (_score_up, 2, "TAMPERED", "against the results database: result.score: 101 in the file, 100 in the database"),
    (_reply_changed, 2, "TAMPERED", "against the results database: drills[0].transcript[1].reply: \"…"),
], ids=["untouched", "score +1", "one reply changed"])
def test_a_certificate_edited_by_hand_fails_verify(tmp_path, suite_file, catalog, capsys, edit, code, first_words,
                                                   detail):
    _code, out, _err = certify(tmp_path, suite_file, model_replies(catalog, tmp_path), capsys)
    certificate = Path(out.strip().splitlines()[-1].removeprefix("certificate: "))
    if edit is not None:  # as a person would: load, change one value, save pretty-printed
        document = json.loads(certificate.read_text(encoding="utf-8"))
        edit(document)
        certificate.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
    assert main(["verify", str(certificate)]) == code
    captured = capsys.readouterr()
    if code == 0:
        assert captured.out.startswith(first_words) and "same result" in captured.out
    else:
        assert captured.out == "" and captured.err.count("\n") == 1
        assert f"{certificate}: {first_words}: the signature does not match the content" in captured.err
        assert detail in captured.err and ("Could you also tell me" in captured.err) == (edit is _reply_changed)


def test_a_bad_trainee_name(capsys):
    assert main(["certify", "--trainee", "  "]) == 2
    assert "--trainee" in capsys.readouterr().err
