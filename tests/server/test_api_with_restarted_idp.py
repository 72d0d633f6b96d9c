"""The API and the provider together: both clients' tokens, and a provider restart."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import jwt
import requests
from idp_service import Idp, launch_api
from oauth_login import PUBLIC_CLIENT, get_tokens


def pong(api_url: str, token: str) -> int:
    response = requests.get(
        f"{api_url}/api/pong-scoped", headers={"Authorization": f"Bearer {token}"}, timeout=10
    )
    return response.status_code


def test_tokens_of_a_restarted_provider_are_accepted_at_once(
    idp_factory: Callable[..., Idp], tmp_path: Path
) -> None:
    """The key is persisted, so the API's cached JWKS stays valid across a provider restart."""
    run_dir = tmp_path / "run"
    first = idp_factory(run_dir=run_dir)
    api = launch_api(first, tmp_path)
    try:
        before = get_tokens(first.request(), "alice", first.client_secret)["access_token"]
        assert pong(api.url, before) == 200
        first.service.stop()

        second = idp_factory(run_dir=run_dir, client_secret=first.client_secret, port=first.port)
        public = get_tokens(second.request(PUBLIC_CLIENT), "alice")["access_token"]
        assert pong(api.url, public) == 200
        assert pong(api.url, before) == 200
    finally:
        api.stop()


def test_a_retired_key_stops_being_trusted_within_the_cache_lifespan(
    idp_factory: Callable[..., Idp], tmp_path: Path
) -> None:
    """The provider restarts with a new key (a fresh data dir): once the API's cached key set
    expires (API_JWKS_CACHE), tokens signed with the old key are refused and new ones accepted."""
    lifespan = 1.0
    first = idp_factory(run_dir=tmp_path / "run-old")
    api = launch_api(first, tmp_path, API_JWKS_CACHE=str(lifespan))
    try:
        old = get_tokens(first.request(), "alice", first.client_secret)["access_token"]
        assert pong(api.url, old) == 200
        first.service.stop()

        second = idp_factory(
            run_dir=tmp_path / "run-new", client_secret=first.client_secret, port=first.port
        )
        assert second.kid() != jwt.get_unverified_header(old)["kid"]
        new = get_tokens(second.request(), "alice", second.client_secret)["access_token"]
        restarted = time.monotonic()
        while pong(api.url, old) == 200:
            assert time.monotonic() - restarted < lifespan + 5, "the old key is still trusted"
            time.sleep(0.1)
        refused_after = time.monotonic() - restarted
        assert pong(api.url, old) == 401
        assert pong(api.url, new) == 200
        assert refused_after <= lifespan + 1
    finally:
        api.stop()
