"""Browser fixtures (Debian's Chromium through Playwright) and the Component Zero app.

Every browser test should use ``browser`` / ``page`` from here: Playwright's sync API allows
one ``sync_playwright()`` per thread, so a second session-scoped one in a test module makes
every later browser fixture fail ("Sync API inside the asyncio loop").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, sync_playwright

from stcomp.browser import CHROMIUM_ARGS, chromium_path
from tests.conftest import running_stack

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def zero_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The zero stack, started by `stcomp up zero -d` on a free port; yields its base URL."""
    run_dir = tmp_path_factory.mktemp("zero-run")
    with running_stack("zero", run_dir, ports=["streamlit"]) as ports:
        yield f"http://localhost:{ports['streamlit']}"


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh browser context (so a fresh Streamlit session) per test."""
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def console_messages(page: Page) -> list[str]:
    """Every console message of ``page`` (all frames), as "type: text"."""
    messages: list[str] = []

    def record(message: ConsoleMessage) -> None:
        where = message.location.get("url", "") if message.type == "error" else ""
        messages.append(f"{message.type}: {message.text}" + (f" ({where})" if where else ""))

    page.on("console", record)
    return messages


def console_errors(messages: list[str]) -> list[str]:
    """The console errors of a page load, but for the answers an API gives on purpose (a 401
    or a 403 is shown by the browser as a failed resource) and for hosts of the internet, which
    this machine cannot reach (Streamlit's icon font)."""
    return [
        m
        for m in messages
        if m.startswith("error")
        and not re.search(r"status of 40[13]", m)
        and "ERR_NAME_NOT_RESOLVED" not in m
    ]
