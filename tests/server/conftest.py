"""Fixtures: a real identity provider and API on free ports, and real tokens from them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from forged_tokens import TokenForge
from idp_service import Idp, launch_api, launch_idp
from oauth_login import AUDIENCE, get_tokens
from server_processes import Service


@pytest.fixture
def idp_factory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., Idp]]:
    """Start extra providers on demand; every one started is stopped at teardown."""
    started: list[Idp] = []

    def start(run_dir: Path | None = None, **kwargs: Any) -> Idp:
        provider = launch_idp(
            tmp_path_factory.mktemp("idp-logs"),
            run_dir or tmp_path_factory.mktemp("run"),
            **kwargs,
        )
        started.append(provider)
        return provider

    try:
        yield start
    finally:
        for provider in started:
            provider.service.stop()


@pytest.fixture(scope="session")
def idp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Idp]:
    """The shared provider for most tests."""
    provider = launch_idp(tmp_path_factory.mktemp("idp-logs"), tmp_path_factory.mktemp("run"))
    try:
        yield provider
    finally:
        provider.service.stop()


@pytest.fixture(scope="session")
def api(idp: Idp, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """The shared API, trusting the shared provider."""
    service = launch_api(idp, tmp_path_factory.mktemp("api-logs"))
    try:
        yield service
    finally:
        service.stop()


@pytest.fixture(scope="session")
def alice_tokens(idp: Idp) -> dict[str, Any]:
    return get_tokens(idp.request(), "alice", idp.client_secret)


@pytest.fixture(scope="session")
def bob_tokens(idp: Idp) -> dict[str, Any]:
    return get_tokens(idp.request(), "bob", idp.client_secret)


@pytest.fixture(scope="session")
def forge(idp: Idp) -> TokenForge:
    return TokenForge(idp.key_path, idp.kid(), idp.issuer, AUDIENCE)
