"""The signed-in user as the grants see it: the account, when it signed in, and for which API."""

from __future__ import annotations

from dataclasses import dataclass

from server.idp.users import User


@dataclass(frozen=True)
class Subject:
    user: User
    auth_time: int
    audience: str | None = None

    def get_user_id(self) -> str:
        return self.user.user_id

    def permissions(self) -> tuple[str, ...]:
        """All the user's permissions on the token's API (Auth0 puts them all in the token)."""
        return self.user.permissions_for(self.audience) if self.audience else ()
