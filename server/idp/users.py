"""The provider's fake development accounts and their API permissions (Auth0 RBAC style)."""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from dataclasses import dataclass, field

from authlib.oidc.core import UserInfo

from server.shared.reference import READ_MESSAGES


@dataclass(frozen=True)
class User:
    """A development account. ``permissions`` maps an API audience to the permissions held."""

    user_id: str
    username: str
    name: str
    email: str
    permissions: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def get_user_id(self) -> str:
        return self.user_id

    def permissions_for(self, audience: str) -> tuple[str, ...]:
        return tuple(self.permissions.get(audience, ()))

    def user_info(self) -> UserInfo:
        """All OIDC claims of the account; callers filter them by scope."""
        return UserInfo(
            sub=self.user_id,
            name=self.name,
            nickname=self.username,
            email=self.email,
            email_verified=True,
        )


class UserDirectory:
    """The known accounts, all sharing one development password."""

    def __init__(self, users: list[User], dev_password: str) -> None:
        self._by_username = {user.username: user for user in users}
        self._by_id = {user.user_id: user for user in users}
        self._dev_password = dev_password

    def all(self) -> list[User]:
        return list(self._by_username.values())

    def by_username(self, username: str) -> User | None:
        return self._by_username.get(username)

    def by_id(self, user_id: str) -> User | None:
        return self._by_id.get(user_id)

    def check_password(self, username: str, password: str) -> User | None:
        """The account if the password matches (compared in constant time), else ``None``."""
        user = self._by_username.get(username)
        valid = hmac.compare_digest(password.encode(), self._dev_password.encode())
        return user if user is not None and valid else None


def dev_users(audience: str, dev_password: str) -> UserDirectory:
    """alice holds ``read:messages`` on the API; bob holds nothing."""
    return UserDirectory(
        [
            User(
                user_id="auth0|alice",
                username="alice",
                name="Alice Example",
                email="alice@example.com",
                permissions={audience: (READ_MESSAGES,)},
            ),
            User(
                user_id="auth0|bob",
                username="bob",
                name="Bob Example",
                email="bob@example.com",
            ),
        ],
        dev_password,
    )
