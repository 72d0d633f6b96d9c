"""The OpenID Connect discovery document, with Auth0's endpoint paths."""

from __future__ import annotations

from typing import Any

from server.idp.apis import OIDC_SCOPES, Api


def openid_configuration(issuer: str, apis: dict[str, Api]) -> dict[str, Any]:
    api_scopes = sorted({scope for api in apis.values() for scope in api.permissions})
    return {
        "issuer": issuer,
        "authorization_endpoint": f"{issuer}authorize",
        "token_endpoint": f"{issuer}oauth/token",
        "userinfo_endpoint": f"{issuer}userinfo",
        "jwks_uri": f"{issuer}.well-known/jwks.json",
        "end_session_endpoint": f"{issuer}oidc/logout",
        "scopes_supported": [*OIDC_SCOPES, *api_scopes],
        "response_types_supported": ["code"],
        "response_modes_supported": ["query", "web_message"],
        "grant_types_supported": ["authorization_code", "refresh_token"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "token_endpoint_auth_methods_supported": [
            "client_secret_basic",
            "client_secret_post",
            "none",
        ],
        "code_challenge_methods_supported": ["S256"],
        "claims_supported": [
            "aud",
            "auth_time",
            "email",
            "email_verified",
            "exp",
            "iat",
            "iss",
            "name",
            "nickname",
            "sub",
        ],
        "request_uri_parameter_supported": False,
    }
