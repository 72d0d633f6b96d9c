"""Hand-made bad access tokens, signed with the provider's real key unless the case needs not."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from server.shared.reference import CLIENT_ID, READ_MESSAGES

#: RFC 9068 access tokens' JWT header type.
ACCESS_TOKEN_TYPE = "at+jwt"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def segment(value: dict[str, Any]) -> str:
    return b64url(json.dumps(value, separators=(",", ":")).encode())


class TokenForge:
    """Builds tokens for one provider: its key file and kid, its issuer, the API audience."""

    def __init__(self, key_path: Path, kid: str, issuer: str, audience: str) -> None:
        self.private_pem = key_path.read_bytes()
        private = serialization.load_pem_private_key(self.private_pem, password=None)
        self.public_pem = private.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        self.kid = kid
        self.issuer = issuer
        self.audience = audience

    def claims(self, **overrides: Any) -> dict[str, Any]:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "sub": "auth0|alice",
            "aud": [self.audience, f"{self.issuer}userinfo"],
            "iat": now,
            "exp": now + 3600,
            "scope": f"openid profile email {READ_MESSAGES}",
            "azp": CLIENT_ID,
            "permissions": [READ_MESSAGES],
        }
        claims.update(overrides)
        return {k: v for k, v in claims.items() if v is not None}

    def signed(
        self,
        claims: dict[str, Any],
        kid: str | None = None,
        key: bytes | None = None,
        typ: str | None = ACCESS_TOKEN_TYPE,
    ) -> str:
        """RS256 with header ``typ: at+jwt`` as the provider signs access tokens; ``typ=None``
        leaves PyJWT's default ``JWT``."""
        headers: dict[str, Any] = {"kid": kid or self.kid}
        if typ is not None:
            headers["typ"] = typ
        return jwt.encode(claims, key or self.private_pem, algorithm="RS256", headers=headers)

    def signed_json(self, payload: str) -> str:
        """RS256 over any payload text (NaN, Infinity, duplicate keys: what encode() refuses)."""
        key = serialization.load_pem_private_key(self.private_pem, password=None)
        assert isinstance(key, rsa.RSAPrivateKey)
        header = segment({"alg": "RS256", "typ": ACCESS_TOKEN_TYPE, "kid": self.kid})
        signing_input = f"{header}.{b64url(payload.encode())}"
        signature = key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
        return f"{signing_input}.{b64url(signature)}"

    def valid(self, **overrides: Any) -> str:
        return self.signed(self.claims(**overrides))

    def alg_none(self) -> str:
        header = {"alg": "none", "typ": ACCESS_TOKEN_TYPE, "kid": self.kid}
        return f"{segment(header)}.{segment(self.claims())}."

    def hs256_with_public_key(self) -> str:
        """The key-confusion attack: HMAC keyed with the public key PEM that a JWKS exposes."""
        header = {"alg": "HS256", "typ": ACCESS_TOKEN_TYPE, "kid": self.kid}
        signing_input = f"{segment(header)}." + segment(self.claims())
        mac = hmac.new(self.public_pem, signing_input.encode(), hashlib.sha256).digest()
        return f"{signing_input}.{b64url(mac)}"

    def unknown_kid(self) -> str:
        other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        other_pem = other.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        return self.signed(self.claims(), kid="not-a-known-key-id", key=other_pem)

    def tampered(self) -> str:
        """A validly signed token whose payload is swapped for one granting more."""
        header, _, signature = self.valid(scope="openid").split(".")
        return f"{header}.{segment(self.claims(scope=f'openid {READ_MESSAGES} admin'))}.{signature}"
