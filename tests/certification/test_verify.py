"""verify: intact, tampered with (a score raised by one, a reply changed), foreign key, or re-graded differently."""

from __future__ import annotations

import json

import pytest

from simulator.certification.certificate import sign
from simulator.certification.keys import SigningKey
from simulator.certification.verify import verify_certificate
from simulator.errors import CertificateError

from ..simulator.helpers import mini_catalog
from .helpers import GOOD, KEY, exam


@pytest.fixture
def certificate(tmp_path) -> str:
    result, _ = exam([GOOD[0], "Can we meet sometime?", GOOD[1]], str(tmp_path / "r.sqlite3"), tmp_path)
    return result.certificate


def edit(path: str, change) -> str:
    with open(path, encoding="utf-8") as handle:
        document = json.load(handle)
    change(document)
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(document, handle, ensure_ascii=False, indent=2)
    return path


def test_an_untouched_certificate_is_intact_and_regrades_the_same(certificate):
    verdict = verify_certificate(certificate, mini_catalog(), KEY)
    assert verdict.exit_code == 0 and verdict.status == "intact"
    assert verdict.lines()[0].startswith("intact:")
    assert "same result" in verdict.lines()[-1]


def test_reindenting_does_not_break_the_signature(certificate):
    edit(certificate, lambda d: None)
    assert verify_certificate(certificate, mini_catalog(), KEY).exit_code == 0


def _raise_score(d):
    d["certificate"]["result"]["score"] += 1


def _change_reply(d):
    d["certificate"]["drills"][0]["transcript"][2]["reply"] = "Can I visit Tuesday at 3pm?"


@pytest.mark.parametrize("change", [_raise_score, _change_reply], ids=["score+1", "reply changed"])
def test_a_hand_edited_certificate_is_tampered(certificate, change):
    edit(certificate, change)
    with pytest.raises(CertificateError, match="TAMPERED"):
        verify_certificate(certificate, mini_catalog(), KEY)


def test_another_key_is_told_apart_from_tampering(certificate):
    other = SigningKey(b"another-teams-key-0123456789", "test")
    with pytest.raises(CertificateError, match="signed with another key"):
        verify_certificate(certificate, mini_catalog(), other)


@pytest.mark.parametrize("text", ["{not json", "[]", '{"format": 1, "certificate": {}}',
                                  '{"format": 1, "format": 1}'])
def test_unreadable_certificates_are_one_line_errors(tmp_path, text):
    path = tmp_path / "bad.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CertificateError) as caught:
        verify_certificate(str(path), mini_catalog(), KEY)
    assert "\n" not in caught.value.one_line()


def test_an_older_scorer_whose_score_now_differs(certificate):
    def older(d):  # as an older scorer would have signed it: the middle reply scored 55, not 0
        payload = d["certificate"]
        payload["versions"]["scorer"] = "0ld5c0re"
        turn = payload["drills"][0]["transcript"][2]
        turn["score"] = turn["counted"] = 55
        payload["drills"][0]["score"] = payload["result"]["score"] = 85
        d["signature"] = sign(payload, KEY)["signature"]

    edit(certificate, older)
    verdict = verify_certificate(certificate, mini_catalog(), KEY)
    assert verdict.exit_code == 1
    text = "\n".join(verdict.lines())
    assert "RE-GRADE DIFFERS: graded by an older scorer" in text
    assert "reply 2: 55 → " in text
    assert verdict.as_json()["recorded"]["score"] == 85


def test_a_changed_persona_is_named_even_when_the_result_holds(certificate):
    def older(d):
        payload = d["certificate"]
        payload["versions"]["personas"]["buyer"] = "0ld9e850a"
        d["signature"] = sign(payload, KEY)["signature"]

    edit(certificate, older)
    verdict = verify_certificate(certificate, mini_catalog(), KEY)
    assert verdict.exit_code == 0 and verdict.lines()[-1].endswith("same result (changed since: persona:buyer)")
