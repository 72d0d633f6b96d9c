"""Failed passwords slow sign-in down per account and per client address; a picked account or
a right password below the limit are never slowed down."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from pathlib import Path

import pytest
import requests
from idp_service import Idp
from oauth_login import code_from_redirect, open_authorize, submit_login

from server.idp.throttle import LoginThrottle
from server.shared.reference import DEV_PASSWORD


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize("limit", [1, 3, 5])
@pytest.mark.parametrize("window", [10.0, 300.0])
def test_lock_starts_at_the_limit_and_doubles(limit: int, window: float) -> None:
    clock = Clock()
    throttle = LoginThrottle(limit, window, clock=clock)
    for _ in range(limit - 1):
        throttle.failed("alice", "10.0.0.1")
        assert throttle.retry_after("alice", "10.0.0.1") == 0
    waits = []
    for _ in range(5):
        throttle.failed("alice", "10.0.0.1")
        waits.append(throttle.retry_after("alice", "10.0.0.1"))
    assert waits == [min(window, 2.0**n) for n in range(5)]
    assert throttle.retry_after("bob", "10.0.0.2") == 0  # other account, other address
    clock.now += window + 1
    assert throttle.retry_after("alice", "10.0.0.1") == 0  # failures left the window


@pytest.mark.parametrize("factor", [2, 4])
def test_an_address_is_locked_after_factor_times_the_limit(factor: int) -> None:
    throttle = LoginThrottle(3, 60, address_factor=factor, clock=Clock())
    for n in range(3 * factor):
        assert throttle.retry_after(f"new-{n}", "10.0.0.9") == 0
        throttle.failed(f"user-{n}", "10.0.0.9")
    assert throttle.retry_after("someone-else", "10.0.0.9") > 0
    assert throttle.retry_after("someone-else", "10.0.0.10") == 0


@pytest.mark.parametrize(
    "username", ["Alice", " alice ", "ALICE"], ids=["capital", "spaces", "upper"]
)
def test_username_variants_share_one_counter(username: str) -> None:
    throttle = LoginThrottle(2, 60, clock=Clock())
    throttle.failed("alice", "a")
    throttle.failed(username, "b")
    assert throttle.retry_after("alice", "c") > 0


def test_success_clears_the_accounts_failures() -> None:
    throttle = LoginThrottle(2, 60, clock=Clock())
    throttle.failed("alice", "a")
    throttle.succeeded("alice")
    throttle.failed("alice", "a")
    assert throttle.retry_after("alice", "z") == 0


def attempt(idp: Idp, username: str, password: str) -> requests.Response:
    with requests.Session() as session:
        page = open_authorize(session, idp.request())
        return submit_login(session, page, username, password)


def test_the_login_form_answers_429_after_the_limit(
    idp_factory: Callable[..., Idp], tmp_path: Path
) -> None:
    idp = idp_factory(IDP_LOGIN_MAX_FAILURES="3", IDP_LOGIN_FAILURE_WINDOW="60")
    for _ in range(3):
        assert attempt(idp, "alice", secrets.token_hex(4)).status_code == 401
    locked = attempt(idp, "alice", DEV_PASSWORD)  # even the right password waits
    assert locked.status_code == 429
    assert int(locked.headers["Retry-After"]) >= 1
    assert "Too many failed sign-ins" in locked.text
    assert "Location" not in locked.headers
    # Another account from the same address is still welcome.
    req = idp.request()
    with requests.Session() as session:
        page = open_authorize(session, req)
        code_from_redirect(submit_login(session, page, "bob", DEV_PASSWORD), req)
    # Many accounts from one address: the address is locked after 4 x 3 failures.
    for n in range(12):
        assert attempt(idp, f"nobody-{n}", "wrong").status_code in (401, 429)
    assert attempt(idp, "bob", DEV_PASSWORD).status_code == 429
    # Picking a development account (no password) is not throttled.
    req = idp.request()
    with requests.Session() as session:
        page = open_authorize(session, req)
        code_from_redirect(submit_login(session, page, "bob"), req)


@pytest.mark.parametrize(("name", "value"), [("IDP_LOGIN_MAX_FAILURES", "0")])
def test_bad_throttle_settings_are_refused(name: str, value: str) -> None:
    from server.idp.settings import IdpSettings, SettingsError

    with pytest.raises(SettingsError, match=name):
        IdpSettings.from_env({"AUTH0_CLIENT_SECRET": "s", name: value})
