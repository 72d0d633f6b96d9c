"""{{ cookiecutter.title }} in a real browser: ``stcomp up {{ cookiecutter.name }}`` on free ports, a
round trip (props in, events out), then ``stcomp down``.

Run from the workspace root: ``python -m pytest {{ cookiecutter.component_dir }}/tests``.
Chromium: $STCOMP_CHROMIUM, else /usr/bin/chromium if present, else Playwright's own.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright
from stcomp.config import find_config, parse_workspace

STACK = "{{ cookiecutter.name }}"
WORKSPACE_CONFIG = find_config(Path(__file__).resolve().parent)
{%- if cookiecutter.api == "v2" %}
# Components v2: no iframe. The component lives in the element of its key, in a shadow root
# that Playwright's CSS locators reach into.
ELEMENT = f".st-key-{STACK}"
MESSAGES = f".st-key-{STACK}-messages"
{%- else %}
COMPONENT = f"{STACK}._host.{STACK}"  # how Streamlit names it: its module, then its name
FRAME = f'iframe[title="{COMPONENT}"]'
{%- endif %}
CLICKS = f".st-key-{STACK}-clicks"
CHROMIUM = os.environ.get("STCOMP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
FIRST_RENDER_MS = 60_000  # a dev server may compile the page on its first request


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def stcomp(*args: str, run_dir: Path) -> subprocess.CompletedProcess[str]:
    assert WORKSPACE_CONFIG is not None, "no stcomp workspace above this test"
    env = dict(os.environ, STCOMP_RUN_DIR=str(run_dir), STREAMLIT_SERVER_FILE_WATCHER_TYPE="none")
    env.pop("STCOMP_WORKSPACE", None)
    return subprocess.run(
        [sys.executable, "-m", "stcomp", *args],
        cwd=WORKSPACE_CONFIG.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The stack, started by ``stcomp up -d`` on free ports in its own run directory."""
    assert WORKSPACE_CONFIG is not None, "no stcomp workspace above this test"
    stack = parse_workspace(WORKSPACE_CONFIG).stack(STACK)
    ports = {svc.port: free_port() for svc in stack.services.values() if svc.port}
    run_dir = tmp_path_factory.mktemp("run")
    up = stcomp("up", STACK, "-d", *(f"--port={k}={v}" for k, v in ports.items()), run_dir=run_dir)
    try:
        assert up.returncode == 0, f"stcomp up failed:\n{up.stdout}\n{up.stderr}"
        yield f"http://127.0.0.1:{ports['streamlit']}"
    finally:
        down = stcomp("down", STACK, run_dir=run_dir)
        assert down.returncode == 0, f"stcomp down failed:\n{down.stdout}\n{down.stderr}"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM if Path(CHROMIUM).exists() else None,
            args=CHROMIUM_ARGS,
            headless=True,
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    try:
        yield context.new_page()
    finally:
        context.close()


{% if cookiecutter.api == "v2" -%}
def test_data_in_state_and_triggers_out(app_url: str, page: Page) -> None:
    page.goto(app_url)
    component = page.locator(ELEMENT)

    # Data arrives.
    expect(component.locator("#greeting")).to_have_text(
        "Hello from Streamlit", timeout=FIRST_RENDER_MS
    )
    expect(page.locator(CLICKS)).to_contain_text("No clicks yet")

    # A state value comes back and stays.
    component.locator("#click").click()
    expect(page.locator(CLICKS)).to_have_text("Streamlit saw 1 click")
    component.locator("#click").click()
    expect(page.locator(CLICKS)).to_have_text("Streamlit saw 2 clicks")

    # A trigger value comes back once, to its on_submitted_change callback.
    component.locator("#message").fill("hello, Python")
    component.locator("#send").click()
    expect(page.locator(MESSAGES)).to_have_text("Messages received: hello, Python")

    # New data reaches the same component: its own click count survives.
    greeting = page.get_by_label("Greeting")
    greeting.fill("Hi from a test")
    greeting.press("Enter")
    expect(component.locator("#greeting")).to_have_text("Hi from a test")
    expect(component.locator("#clicks")).to_have_text("2")
    expect(page.locator(CLICKS)).to_have_text("Streamlit saw 2 clicks")
{%- else -%}
def test_props_in_events_out(app_url: str, page: Page) -> None:
    page.goto(app_url)
    page.locator(FRAME).wait_for(state="attached", timeout=FIRST_RENDER_MS)
    frame = page.frame_locator(FRAME)

    # Props arrive as args.
    expect(frame.locator("#greeting")).to_have_text("Hello from Streamlit", timeout=FIRST_RENDER_MS)
    expect(page.locator(CLICKS)).to_contain_text("No clicks yet")

    # Events come back: each click reruns the script, which shows what it received.
    frame.locator("#click").click()
    expect(page.locator(CLICKS)).to_have_text("Streamlit saw 1 click")
    frame.locator("#click").click()
    expect(page.locator(CLICKS)).to_have_text("Streamlit saw 2 clicks")

    # New props reach the same iframe: its own click count survives (no remount).
    greeting = page.get_by_label("Greeting")
    greeting.fill("Hi from a test")
    greeting.press("Enter")
    expect(frame.locator("#greeting")).to_have_text("Hi from a test")
    expect(frame.locator("#clicks")).to_have_text("2")
    expect(page.locator(FRAME)).to_have_count(1)
{%- endif %}
