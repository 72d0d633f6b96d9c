"""APIs (Auth0 "resource servers") the provider issues access tokens for, and RBAC scope rules."""

from __future__ import annotations

from dataclasses import dataclass

from authlib.oauth2.rfc6749 import list_to_scope, scope_to_list

from server.shared.reference import READ_MESSAGES

#: Scopes that are about the user's identity, granted to anyone who asks; ``offline_access``
#: asks for a refresh token.
OIDC_SCOPES = ("openid", "profile", "email", "offline_access")


@dataclass(frozen=True)
class Api:
    identifier: str
    permissions: tuple[str, ...]


def rbac_scope(requested: str, user_permissions: tuple[str, ...]) -> str:
    """Auth0 with RBAC on: the identity scopes asked for, plus asked-for API scopes the user holds.

    Anything else (unknown scopes) is dropped.
    """
    allowed = set(OIDC_SCOPES) | set(user_permissions)
    return list_to_scope([scope for scope in scope_to_list(requested) or [] if scope in allowed])


def default_apis(audience: str) -> dict[str, Api]:
    return {audience: Api(identifier=audience, permissions=(READ_MESSAGES,))}
