"""The provider's RSA signing key: created once, kept in the run dir, reused across restarts.

Reusing the key keeps the ``kid`` stable, so an API that cached the JWKS keeps accepting tokens
after the provider restarts.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from joserfc.jwk import KeySet, RSAKey

ALGORITHM = "RS256"
KEY_SIZE = 2048


class SigningKeyError(RuntimeError):
    """The key file exists but cannot be used."""


@dataclass(frozen=True)
class SigningKey:
    """The private key (with ``kid`` = RFC 7638 thumbprint) and its published key set."""

    private: RSAKey

    @property
    def kid(self) -> str:
        return str(self.private.kid)

    def key_set(self) -> KeySet:
        """The private key as a one-key set: signing with it puts ``kid`` in the JWT header."""
        return KeySet([self.private])

    def public_jwks(self) -> dict[str, Any]:
        public = self.private.as_dict(private=False)
        return {"keys": [public]}


def _new_private_pem() -> bytes:
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)
    return key.private_bytes(
        encoding=serialization.Encoding.PEM,
        format=serialization.PrivateFormat.PKCS8,
        encryption_algorithm=serialization.NoEncryption(),
    )


def _write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` with mode 0600 through a temp file and ``os.replace``."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".signing-key-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, 0o600)
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise


def _import(pem: bytes, path: Path) -> SigningKey:
    try:
        key = RSAKey.import_key(pem)
    except Exception as exc:
        raise SigningKeyError(f"{path} is not a usable RSA private key: {exc}") from exc
    if not key.is_private:
        raise SigningKeyError(f"{path} holds a public key; the provider needs the private key")
    keyed = RSAKey.import_key(pem, {"kid": key.thumbprint(), "use": "sig", "alg": ALGORITHM})
    return SigningKey(private=keyed)


def load_or_create_signing_key(path: Path) -> SigningKey:
    """Load the key at ``path``, creating it (RSA 2048, mode 0600) if it does not exist."""
    if not path.exists():
        _write_atomically(path, _new_private_pem())
    return _import(path.read_bytes(), path)
