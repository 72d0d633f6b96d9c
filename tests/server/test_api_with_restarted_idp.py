"""The API and the provider together: both clients' tokens, and a provider restart."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

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
