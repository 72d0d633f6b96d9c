"""Hero host settings, read from the environment on every run."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

PASSWORD_ENV = "HERO_PASSWORD"
HOST_NAME_ENV = "HERO_HOST_NAME"
DEBUG_ENV = "HERO_DEBUG"
DEFAULT_HOST_NAME = "Hero host"
DEFAULT_COMPONENT_URL = "http://localhost:3001"

PACKAGE_DIR = Path(__file__).resolve().parent
APP_DIR = PACKAGE_DIR.parent  # apps/hero: app.py, frontend/
VIEWS_DIR = PACKAGE_DIR / "views"
BUILD_DIR = APP_DIR / "frontend" / "out"

MISSING_PASSWORD_HELP = f"""\
**{PASSWORD_ENV} is not set**, so the password generator has no password to find.

Set it in the environment of the Streamlit process, for example in `.env`
(copy `.env.example`, which holds a fake development value):

```
{PASSWORD_ENV}=choose-any-fake-password
```

then restart the app (`stcomp up hero`, or `{PASSWORD_ENV}=... streamlit run apps/hero/app.py`).
"""

MISSING_BUILD_HELP = f"""\
**The component's release build is missing** ({BUILD_DIR / "index.html"} does not exist), and
release mode (`STCOMP_RELEASE=1`) serves it from there.

Build it with `cd apps/hero/frontend && npm ci && npm run build`, or unset `STCOMP_RELEASE` to
load the component from its dev server.
"""


@dataclass(frozen=True)
class Settings:
    password: str
    host_name: str
    debug: bool
    component_url: str


def load(environ: Mapping[str, str] = os.environ) -> Settings:
    """The settings from `environ`; an unset password comes back as ''."""
    return Settings(
        password=environ.get(PASSWORD_ENV, "").strip(),
        host_name=environ.get(HOST_NAME_ENV, "").strip() or DEFAULT_HOST_NAME,
        debug=environ.get(DEBUG_ENV) == "1",
        component_url=environ.get("COMPONENT_URL", "").strip() or DEFAULT_COMPONENT_URL,
    )
