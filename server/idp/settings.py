"""Settings of the local identity provider, read from the environment."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from server.shared import reference
from server.shared.env import LOOPBACK_NAMES, browser_ports, env_int, split_csv


class SettingsError(ValueError):
    """A missing or invalid setting; its message is one line naming the variable."""


def default_allowed_urls(env: Mapping[str, str]) -> tuple[str, ...]:
    """Callback and logout URLs of the stacks' browser-facing apps, on their configured ports."""
    streamlit_port, component_port = browser_ports(env)
    urls: list[str] = []
    for host in LOOPBACK_NAMES:
        component = f"http://{host}:{component_port}"
        streamlit = f"http://{host}:{streamlit_port}"
        urls += [
            f"{component}/auth/callback",
            f"{streamlit}/oauth2callback",
            component,
            streamlit,
        ]
    return tuple(urls)


def _at_least_one(env: Mapping[str, str], name: str, default: int) -> int:
    value = env_int(env, name, default)
    if value < 1:
        raise SettingsError(f"{name} must be 1 or more, got {value}")
    return value


@dataclass(frozen=True)
class IdpSettings:
    """What the provider needs: where it lives, its clients, its API and its key file."""

    issuer: str
    port: int
    audience: str
    client_id: str
    client_secret: str
    public_client_id: str
    allowed_urls: tuple[str, ...]
    dev_password: str
    data_dir: Path
    """Where the provider keeps its files: $STCOMP_DATA_DIR, its own folder in stcomp's run
    directory (default: .stcomp/idp when run by hand)."""
    access_token_lifetime: int = 86400
    id_token_lifetime: int = 36000
    #: Failed passwords per account in the window before sign-in slows down (an address may
    #: fail 4 times as often); ``IDP_LOGIN_MAX_FAILURES`` and ``IDP_LOGIN_FAILURE_WINDOW``.
    login_max_failures: int = 5
    login_failure_window: int = 300
    #: Auth0's default absolute refresh-token lifetime (30 days); ``IDP_REFRESH_TOKEN_LIFETIME``.
    refresh_token_lifetime: int = 2592000

    @property
    def key_path(self) -> Path:
        return self.data_dir / "signing-key.pem"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> IdpSettings:
        env = os.environ if env is None else env
        secret = env.get("AUTH0_CLIENT_SECRET", "")
        if not secret.strip():
            raise SettingsError(
                "AUTH0_CLIENT_SECRET is not set: the identity provider needs the confidential "
                "client's secret (stcomp generates one into the run dir)"
            )
        port = env_int(env, "IDP_PORT", reference.IDP_PORT)
        issuer = env.get("IDP_ISSUER", "").strip() or f"http://localhost:{port}"
        client_id = env.get("AUTH0_CLIENT_ID", "").strip() or reference.CLIENT_ID
        public_client_id = env.get("AUTH0_SPA_CLIENT_ID", "").strip() or reference.SPA_CLIENT_ID
        if public_client_id == client_id:
            raise SettingsError(
                f"AUTH0_SPA_CLIENT_ID and AUTH0_CLIENT_ID are both {client_id!r}: the public and "
                "the confidential client need different ids"
            )
        extra_urls = split_csv(env.get("IDP_REDIRECT_URIS", ""))
        allowed = tuple(dict.fromkeys((*extra_urls, *default_allowed_urls(env))))
        return cls(
            issuer=issuer.rstrip("/") + "/",
            port=port,
            audience=env.get("AUTH0_AUDIENCE", "").strip() or reference.API_AUDIENCE,
            client_id=client_id,
            client_secret=secret,
            public_client_id=public_client_id,
            allowed_urls=allowed,
            dev_password=env.get("IDP_DEV_PASSWORD", "") or reference.DEV_PASSWORD,
            login_max_failures=_at_least_one(env, "IDP_LOGIN_MAX_FAILURES", 5),
            login_failure_window=_at_least_one(env, "IDP_LOGIN_FAILURE_WINDOW", 300),
            refresh_token_lifetime=env_int(env, "IDP_REFRESH_TOKEN_LIFETIME", 2592000),
            data_dir=Path(
                env.get("STCOMP_DATA_DIR", "").strip() or Path(reference.RUN_DIR) / "idp"
            ),
        )
