"""PKCE as Auth0 does it: S256 only. ``plain`` is refused, and so is a challenge without a method
(RFC 7636 would read it as ``plain``); a public client must send a challenge."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from authlib.oauth2.rfc6749 import InvalidRequestError
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oauth2.rfc7636.challenge import compare_s256_code_challenge

METHOD = "S256"


class S256CodeChallenge(CodeChallenge):  # type: ignore[misc]
    DEFAULT_CODE_CHALLENGE_METHOD = METHOD
    SUPPORTED_CODE_CHALLENGE_METHOD: ClassVar[list[str]] = [METHOD]
    CODE_CHALLENGE_METHODS: ClassVar[dict[str, Callable[[str, str], bool]]] = {
        METHOD: compare_s256_code_challenge
    }

    def validate_code_challenge(self, grant: Any, redirect_uri: str) -> None:
        data = grant.request.payload.data
        challenge, method = data.get("code_challenge"), data.get("code_challenge_method")
        if challenge and method != METHOD:
            raise InvalidRequestError(
                "code_challenge_method must be S256 (plain and a missing method are refused)."
            )
        if not challenge and grant.request.client.is_public:
            raise InvalidRequestError("A public client must send a PKCE S256 code_challenge.")
        super().validate_code_challenge(grant, redirect_uri)

    def get_authorization_code_challenge_method(self, authorization_code: Any) -> str:
        """Codes are only issued for S256; anything else stored cannot be verified."""
        method = authorization_code.code_challenge_method
        return METHOD if method == METHOD else "refused"
