"""OAuth clients of the provider: the confidential web client and the public browser client."""

from __future__ import annotations

import hmac
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from authlib.oauth2.rfc6749 import ClientMixin, list_to_scope, scope_to_list

from server.idp.settings import IdpSettings


def _normalized(url: str) -> tuple[str, str, str]:
    parts = urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower(), parts.path.rstrip("/")


@dataclass(frozen=True)
class Client(ClientMixin):  # type: ignore[misc]
    """A registered client. ``client_secret`` is ``None`` for a public client."""

    client_id: str
    client_secret: str | None
    token_endpoint_auth_methods: tuple[str, ...]
    allowed_urls: tuple[str, ...]
    client_metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def is_public(self) -> bool:
        return self.client_secret is None

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str | None:
        return None

    def get_allowed_scope(self, scope: str | None) -> str:
        """Every requested scope passes here; RBAC trims API scopes per user later."""
        if not scope:
            return ""
        return list_to_scope(list(dict.fromkeys(scope_to_list(scope))))

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in self.allowed_urls

    def check_logout_url(self, url: str) -> bool:
        """Auth0's Allowed Logout URLs check (a trailing ``/`` and the query do not matter).

        Only printable ASCII without spaces passes: ``urlsplit`` silently drops tab, CR and LF,
        so ``http://allowed\\r\\nX: y`` would otherwise match and reach the Location header."""
        if not url.isascii() or not url.isprintable() or " " in url:
            return False
        target = _normalized(url)
        return target[0] in ("http", "https") and any(
            _normalized(allowed) == target for allowed in self.allowed_urls
        )

    def check_client_secret(self, client_secret: str) -> bool:
        if self.client_secret is None:
            return False
        return hmac.compare_digest(client_secret.encode(), self.client_secret.encode())

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        if endpoint == "token":
            return method in self.token_endpoint_auth_methods
        return True

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type in ("authorization_code", "refresh_token")


class ClientRegistry:
    def __init__(self, clients: Iterable[Client]) -> None:
        self._clients = {client.client_id: client for client in clients}

    def get(self, client_id: str | None) -> Client | None:
        return self._clients.get(client_id) if client_id else None

    def all(self) -> list[Client]:
        return list(self._clients.values())

    def web_origins(self) -> list[str]:
        """Origins of all allowed URLs: the browsers that may call the token endpoint."""
        origins = {
            f"{parts.scheme}://{parts.netloc}"
            for client in self._clients.values()
            for parts in map(urlsplit, client.allowed_urls)
            if parts.scheme in ("http", "https") and parts.netloc
        }
        return sorted(origins)


def clients_from_settings(settings: IdpSettings) -> ClientRegistry:
    return ClientRegistry(
        [
            Client(
                client_id=settings.client_id,
                client_secret=settings.client_secret,
                token_endpoint_auth_methods=("client_secret_basic", "client_secret_post"),
                allowed_urls=settings.allowed_urls,
            ),
            Client(
                client_id=settings.public_client_id,
                client_secret=None,
                token_endpoint_auth_methods=("none",),
                allowed_urls=settings.allowed_urls,
            ),
        ]
    )
