"""Auth0 host settings, read from the environment on every run (stcomp sets them)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

VIEWS_DIR = Path(__file__).resolve().parent / "views"
DEFAULT_COMPONENT_URL = "http://localhost:3001"
DEFAULT_API_URL = "http://127.0.0.1:8888"
HOST_NAME_ENV = "AUTH0_HOST_NAME"
DEFAULT_HOST_NAME = "Auth0 host"


@dataclass(frozen=True)
class Settings:
    host_name: str
    component_url: str
    api_url: str
    release: bool


def load(environ: Mapping[str, str] = os.environ) -> Settings:
    """The settings from ``environ``. The component is always served by Next.js at
    COMPONENT_URL (`next dev`, or `next start` in release mode): its auth routes need a server."""
    return Settings(
        host_name=environ.get(HOST_NAME_ENV, "").strip() or DEFAULT_HOST_NAME,
        component_url=environ.get("COMPONENT_URL", "").strip() or DEFAULT_COMPONENT_URL,
        api_url=(environ.get("API_URL", "").strip() or DEFAULT_API_URL).rstrip("/"),
        release=environ.get("STCOMP_RELEASE") == "1",
    )
