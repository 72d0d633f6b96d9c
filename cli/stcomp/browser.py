"""Headless Chromium (Debian's package, driven by Playwright): a component round trip."""

from __future__ import annotations

import os
import shutil

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
COMPONENT_FRAME = 'iframe[data-testid="stCustomComponentV1"]'
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
    """Open a Streamlit page and wait until every v1 component has done its handshake.

    A component iframe gets a height only after the component sent componentReady, received
    its render message and answered with setFrameHeight: that is the round trip. Its document
    must also show some text. Returns a short description; raises RoundTripFailed.
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
            frames = page.locator(COMPONENT_FRAME)
            frames.first.wait_for(state="attached", timeout=ms)
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
            return f"{len(titles)} component(s) ready: {', '.join(titles)}"
        except Error as exc:
            raise RoundTripFailed(str(exc).splitlines()[0]) from None
        finally:
            browser.close()
