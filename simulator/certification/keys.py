"""The key certificates are signed with: a team's shared key, or one this installation makes on first use.

Order: SALESDRILL_CERT_KEY (the key itself), SALESDRILL_CERT_KEY_FILE (a file
holding it), else `certificate.key` in the data folder, created with mode
0600 the first time it is needed. Two processes creating it at once end up
with the same key: the file is written aside and linked into place, which
only one of them can do.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass

from simulator.errors import CertificateError, StorageError
from simulator.transcript import data_dir, ensure_writable

__all__ = ["MIN_KEY_BYTES", "SigningKey", "load_key"]

MIN_KEY_BYTES = 16
KEY_FILE_NAME = "certificate.key"


@dataclass(frozen=True)
class SigningKey:
    """Key bytes and where they came from. `id` names the key without revealing it."""

    secret: bytes
    source: str

    @property
    def id(self) -> str:
        return hashlib.sha256(b"salesdrill-key-id\0" + self.secret).hexdigest()[:16]

    def __repr__(self) -> str:  # never print the secret
        return f"SigningKey(id={self.id!r}, source={self.source!r})"


def _checked(secret: bytes, source: str) -> SigningKey:
    secret = secret.strip()
    if len(secret) < MIN_KEY_BYTES:
        raise CertificateError(source, f"the signing key is shorter than {MIN_KEY_BYTES} bytes; use a longer one "
                                       "(for example: python -c 'import secrets; print(secrets.token_hex(32))')")
    return SigningKey(secret, source)


def load_key(environ: Mapping[str, str] | None = None, folder: str | None = None, create: bool = True) -> SigningKey:
    """The signing key in force. With `create=False` a missing installation key is an error, not made."""
    env = os.environ if environ is None else environ
    if env.get("SALESDRILL_CERT_KEY"):
        return _checked(env["SALESDRILL_CERT_KEY"].encode("utf-8"), "$SALESDRILL_CERT_KEY")
    if env.get("SALESDRILL_CERT_KEY_FILE"):
        path = env["SALESDRILL_CERT_KEY_FILE"]
        try:
            with open(path, "rb") as handle:
                return _checked(handle.read(), path)
        except OSError as exc:
            raise CertificateError(path, f"cannot read the signing key file: {exc.strerror or exc}") from None
    folder = folder or data_dir()
    path = os.path.join(folder, KEY_FILE_NAME)
    if os.path.exists(path):
        return _read_installation_key(path)
    if not create:
        raise CertificateError(path, "this installation has no signing key yet, so it signed no certificate; "
                                     "give the key it was signed with by SALESDRILL_CERT_KEY or SALESDRILL_CERT_KEY_FILE")
    return _create_installation_key(folder, path)


def _read_installation_key(path: str) -> SigningKey:
    try:
        with open(path, "rb") as handle:
            return _checked(handle.read(), path)
    except OSError as exc:
        raise CertificateError(path, f"cannot read the signing key: {exc.strerror or exc}") from None


def _create_installation_key(folder: str, path: str) -> SigningKey:
    ensure_writable(folder)
    aside = f"{path}.{os.getpid()}.{secrets.token_hex(4)}"
    try:
        fd = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(secrets.token_hex(32) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(aside, path)
        except FileExistsError:
            pass  # another process made the key first: use theirs
        except OSError:  # a file system without hard links: exclusive create instead
            _write_exclusive(path, aside)
    except OSError as exc:
        raise StorageError(f"cannot create the signing key {path}: {exc.strerror or exc}") from None
    finally:
        try:
            os.remove(aside)
        except OSError:
            pass
    return _read_installation_key(path)


def _write_exclusive(path: str, aside: str) -> None:
    with open(aside, "rb") as handle:
        secret = handle.read()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(fd, "wb") as out:
        out.write(secret)
        out.flush()
        os.fsync(out.fileno())
