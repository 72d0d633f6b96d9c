"""Headless Chromium (Debian's package, driven by Playwright): a component round trip."""

from __future__ import annotations

import os
import shutil
from typing import Any

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
COMPONENT_FRAME = 'iframe[data-testid="stCustomComponentV1"]'
V2_COMPONENT = ".stBidiComponent"  # Components v2: no iframe; a shadow root when isolated
EXCEPTION = '[data-testid="stException"]'
# Whether a v2 component shows any text (in its shadow root, if it has one; styles aside).
V2_SHOWS_TEXT = """el => {
  const host = el.querySelector('[data-testid="stBidiComponentIsolated"]');
  const shows = (node) => Array.from(node.childNodes).some((c) =>
    c.nodeType === Node.TEXT_NODE ? c.textContent.trim() !== ""
      : c.nodeType === Node.ELEMENT_NODE && !["STYLE", "SCRIPT"].includes(c.tagName) && shows(c));
  return shows((host && host.shadowRoot) || el);
}"""
CHROMIUM_HINT = (
    "install Debian's chromium package (apt-get install chromium) or set STCOMP_CHROMIUM"
)


class RoundTripFailed(Exception):
    pass


def chromium_path() -> str | None:
    """$STCOMP_CHROMIUM, Debian's /usr/bin/chromium, or chromium on PATH."""
    for candidate in (os.environ.get("STCOMP_CHROMIUM"), "/usr/bin/chromium"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return shutil.which("chromium") or shutil.which("chromium-browser")


def component_round_trip(url: str, *, timeout: float = 60.0) -> str:
    """Open a Streamlit page and wait until every component on it has rendered.

    v1 (iframe): the iframe gets a height only after the component sent componentReady,
    received its render message and answered with setFrameHeight: that is the round trip; its
    document must also show some text. v2 (no iframe): the component's element must show some
    text, which its JavaScript put there from the data it was given. A Streamlit exception on
    the page fails the check. Returns a short description; raises RoundTripFailed.
    """
    from playwright.sync_api import Error, sync_playwright

    executable = chromium_path()
    if executable is None:
        raise RoundTripFailed(f"no Chromium found ({CHROMIUM_HINT})")
    ms = timeout * 1000
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, args=CHROMIUM_ARGS, headless=True
        )
        try:
            page = browser.new_page()
            page.goto(url, timeout=ms)
            page.locator(f"{COMPONENT_FRAME}, {V2_COMPONENT}").first.wait_for(
                state="attached", timeout=ms
            )
            names = _v1_ready(page, ms) + _v2_ready(page, ms)
            if page.locator(EXCEPTION).count():
                text = page.locator(EXCEPTION).first.inner_text().strip().splitlines()
                raise RoundTripFailed(f"the page shows an exception: {text[0] if text else '?'}")
            return f"{len(names)} component(s) ready: {', '.join(names)}"
        except Error as exc:
            raise RoundTripFailed(str(exc).splitlines()[0]) from None
        finally:
            browser.close()


def _v1_ready(page: Any, ms: float) -> list[str]:
    frames = page.locator(COMPONENT_FRAME)
    titles = []
    for index in range(frames.count()):
        frame = frames.nth(index)
        page.wait_for_function(
            "el => el.getBoundingClientRect().height > 0",
            arg=frame.element_handle(),
            timeout=ms,
        )
        body = frame.content_frame.locator("body")
        body.wait_for(state="visible", timeout=ms)
        if not body.inner_text(timeout=ms).strip():
            raise RoundTripFailed(f"component {frame.get_attribute('title')} is empty")
        titles.append(frame.get_attribute("title") or "?")
    return titles


def _v2_ready(page: Any, ms: float) -> list[str]:
    from playwright.sync_api import Error

    elements = page.locator(V2_COMPONENT)
    names = []
    for index in range(elements.count()):
        element = elements.nth(index)
        key = element.evaluate(
            "el => [...(el.closest('[class*=st-key-]')?.classList ?? [])]"
            ".find((c) => c.startsWith('st-key-'))?.slice(7) ?? '?'"
        )
        try:
            page.wait_for_function(V2_SHOWS_TEXT, arg=element.element_handle(), timeout=ms)
        except Error:  # waited in vain
            raise RoundTripFailed(f"v2 component (key {key}) shows nothing") from None
        names.append(f"v2 component (key {key})")
    return names
