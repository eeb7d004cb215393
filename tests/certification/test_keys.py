"""The signing key: made once per installation with mode 0600, or given by a training team."""

from __future__ import annotations

import os
import stat

import pytest

from simulator.certification.keys import load_key
from simulator.errors import CertificateError


def test_the_installation_key_is_made_once_and_private(tmp_path):
    first = load_key({}, str(tmp_path))
    again = load_key({}, str(tmp_path))
    assert first.secret == again.secret and first.id == again.id
    mode = stat.S_IMODE(os.stat(tmp_path / "certificate.key").st_mode)
    assert mode == 0o600
    assert first.secret.decode() not in repr(first)


def test_a_team_key_overrides_it(tmp_path):
    team = tmp_path / "team.key"
    team.write_text("shared-secret-of-the-training-team\n")
    by_file = load_key({"SALESDRILL_CERT_KEY_FILE": str(team)}, str(tmp_path))
    by_env = load_key({"SALESDRILL_CERT_KEY": "shared-secret-of-the-training-team"}, str(tmp_path))
    assert by_file.secret == by_env.secret == b"shared-secret-of-the-training-team"
    assert not (tmp_path / "certificate.key").exists()


def test_a_short_or_missing_key_is_a_clear_error(tmp_path):
    with pytest.raises(CertificateError, match="shorter than 16 bytes"):
        load_key({"SALESDRILL_CERT_KEY": "short"}, str(tmp_path))
    with pytest.raises(CertificateError, match="cannot read the signing key file"):
        load_key({"SALESDRILL_CERT_KEY_FILE": str(tmp_path / "nope")}, str(tmp_path))
    with pytest.raises(CertificateError, match="no signing key yet"):
        load_key({}, str(tmp_path), create=False)
