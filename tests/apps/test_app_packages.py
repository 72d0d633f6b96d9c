"""The hero and auth0 apps' modules live in packages named for each app (hero_app, auth0_app),
so both apps run in one process without one's ``events`` or ``state`` shadowing the other's.

AppTest runs each app's entry script and its st.navigation pages (never the components'
JavaScript); Streamlit puts the app's folder on sys.path, as ``streamlit run`` does.
"""

from __future__ import annotations

import importlib
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jwt
import pytest
from streamlit.testing.v1 import AppTest

REPO = Path(__file__).resolve().parents[2]
APPS = {"hero": "hero_app", "auth0": "auth0_app"}
FLAT_MODULES = ("events", "settings", "state", "answers", "api_client", "user_panel")


def app_root(app: str) -> Path:
    return REPO / "apps" / app


@pytest.fixture
def app_folders_on_path(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Both apps' folders on sys.path, as two ``streamlit run`` would put them in one process."""
    for app in APPS:
        monkeypatch.syspath_prepend(str(REPO / "apps" / app))
    yield
    for name in list(sys.modules):
        if name.split(".")[0] in APPS.values():
            del sys.modules[name]


@pytest.mark.usefixtures("app_folders_on_path")
def test_both_apps_packages_import_side_by_side() -> None:
    hero = {name: importlib.import_module(f"hero_app.{name}") for name in ("events", "state")}
    auth0 = {name: importlib.import_module(f"auth0_app.{name}") for name in ("events", "state")}
    assert hero["events"].HANDLERS.keys() != auth0["events"].HANDLERS.keys()
    assert hero["state"].current is not auth0["state"].current
    assert not set(FLAT_MODULES) & {
        path.stem for app in APPS for path in app_root(app).glob("*.py")
    }


@pytest.mark.usefixtures("app_folders_on_path")
def test_settings_paths_point_at_the_app_folder() -> None:
    hero_settings: Any = importlib.import_module("hero_app.settings")
    auth0_settings: Any = importlib.import_module("auth0_app.settings")
    hero_build = app_root("hero") / "frontend" / "out"
    assert hero_build == hero_settings.BUILD_DIR
    assert {p.name for p in hero_settings.VIEWS_DIR.glob("*.py")} == {"home.py", "secret.py"}
    assert {p.name for p in auth0_settings.VIEWS_DIR.glob("*.py")} == {
        "home.py",
        "messages.py",
        "native_login.py",
        "profile.py",
    }


def run_app(app: str, monkeypatch: pytest.MonkeyPatch, **env: str) -> AppTest:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("STCOMP_RELEASE", raising=False)
    at = AppTest.from_file(str(app_root(app) / "app.py"), default_timeout=30).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


@pytest.mark.usefixtures("app_folders_on_path")
def test_hero_then_auth0_run_in_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    hero = run_app("hero", monkeypatch, HERO_PASSWORD="app-test-password")
    (component,) = hero.get("component_instance")
    assert component.component_name == "stcomp_host.hero"
    assert "Event report" in [h.value for h in hero.subheader]

    auth0 = run_app("auth0", monkeypatch)
    (component,) = auth0.get("component_instance")
    assert component.component_name == "stcomp_host.auth0"
    assert "1 · Messages both ways" in [h.value for h in auth0.subheader]


@pytest.mark.usefixtures("app_folders_on_path")
def test_an_event_reaches_each_apps_own_handlers(monkeypatch: pytest.MonkeyPatch) -> None:
    auth0 = run_app("auth0", monkeypatch)
    auth0.session_state["auth0"] = {
        "event": "onActionRequest",
        "data": {"action": "message", "text": "hi host"},
        "id": "a1",
    }
    auth0.run()
    assert not auth0.exception
    assert auth0.session_state["auth0_state"].message_from_component == "hi host"

    hero = run_app("hero", monkeypatch, HERO_PASSWORD="app-test-password")
    hero.session_state["hero"] = {
        "event": "onStatusUpdate",
        "data": {"token": True, "message": "in"},
        "id": "h1",
    }
    hero.run()
    assert not hero.exception
    assert hero.session_state["hero_state"].token is True
    hero.switch_page("hero_app/views/secret.py").run()
    assert not hero.exception
    assert "Secret" in [h.value for h in hero.subheader]


@pytest.mark.usefixtures("app_folders_on_path")
def test_auth0_gated_page_runs_from_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    now = int(time.time())
    token = jwt.encode({"sub": "auth0|alice", "iat": now, "exp": now + 600}, "k" * 32, "HS256")
    auth0 = run_app("auth0", monkeypatch)
    auth0.session_state["auth0"] = {
        "event": "onStatusUpdate",
        "data": {
            "status": "logged_in",
            "user": {"sub": "auth0|alice", "name": "Alice Example"},
            "accessToken": token,
            "expiresAt": now + 600,
        },
        "id": "s1",
    }
    auth0.run()
    auth0.switch_page("auth0_app/views/profile.py").run()
    assert not auth0.exception, [e.message for e in auth0.exception]
    assert "Profile of Alice Example" in [h.value for h in auth0.subheader]
