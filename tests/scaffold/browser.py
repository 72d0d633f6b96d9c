"""A browser round trip with a scaffolded component, in a thread of its own.

Playwright's sync API allows one running instance per thread, and the e2e suite keeps a
session-wide one open in the main thread; a fresh thread keeps this one independent of it.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

from playwright.sync_api import Page, expect, sync_playwright

from stcomp.browser import CHROMIUM_ARGS, chromium_path

FIRST_RENDER_MS = 60_000


@contextmanager
def new_page() -> Iterator[Page]:
    """A page of a fresh headless Chromium, closed afterwards (in the calling thread)."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser.new_page()
        finally:
            browser.close()


def component_name(name: str) -> str:
    """How Streamlit names a scaffolded component (its iframe title, its /component/ path):
    the module that declares it (the package's own _host.py), then its name."""
    return f"{name}._host.{name}"


def round_trip(url: str, name: str, *, frame_src: str) -> None:
    """Props in (greeting), events out (clicks), new props into the same iframe; the iframe is
    loaded from where it should be (the dev server, or Streamlit's /component/ route)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(_round_trip, url, name, frame_src).result()


def _round_trip(url: str, name: str, frame_src: str) -> None:
    frame_selector = f'iframe[title="{component_name(name)}"]'
    clicks = f".st-key-{name}-clicks"
    with new_page() as page:
        errors: list[str] = []
        page.on(
            "console",
            lambda m: (
                errors.append(f"{m.text} ({m.location.get('url', '')})")
                if m.type == "error" and "ERR_NAME_NOT_RESOLVED" not in m.text
                else None
            ),
        )
        page.goto(url)
        page.locator(frame_selector).wait_for(state="attached", timeout=FIRST_RENDER_MS)
        src = page.locator(frame_selector).get_attribute("src") or ""
        assert frame_src in src, f"iframe src {src!r} should contain {frame_src!r}"
        frame = page.frame_locator(frame_selector)
        expect(frame.locator("#greeting")).to_have_text(
            "Hello from Streamlit", timeout=FIRST_RENDER_MS
        )
        expect(page.locator(clicks)).to_contain_text("No clicks yet")
        frame.locator("#click").click()
        expect(page.locator(clicks)).to_have_text("Streamlit saw 1 click")
        frame.locator("#click").click()
        expect(page.locator(clicks)).to_have_text("Streamlit saw 2 clicks")
        greeting = page.get_by_label("Greeting")
        greeting.fill("Hi again")
        greeting.press("Enter")
        expect(frame.locator("#greeting")).to_have_text("Hi again")
        expect(frame.locator("#clicks")).to_have_text("2")
        expect(page.locator(frame_selector)).to_have_count(1)
        assert_not_clipped(page, frame_selector)
        assert errors == [], f"console errors: {errors}"


def round_trip_v2(url: str, name: str) -> None:
    """Components v2 (no iframe, a shadow root): data in (greeting), a state value out
    (clicks, kept), a trigger value out (a message, to its callback), new data into the same
    component; the theme's primary colour on its button."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(_round_trip_v2, url, name).result()


def _round_trip_v2(url: str, name: str) -> None:
    clicks, messages = f".st-key-{name}-clicks", f".st-key-{name}-messages"
    with new_page() as page:
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(url)
        component = page.locator(f".st-key-{name}")
        expect(component.locator("#greeting")).to_have_text(
            "Hello from Streamlit", timeout=FIRST_RENDER_MS
        )
        assert page.locator("iframe").count() == 0, "a v2 component has no iframe"
        host = component.locator("[data-testid=stBidiComponentIsolated]")
        assert host.evaluate("el => el.shadowRoot !== null"), "isolated in a shadow root"
        button = component.locator("#click")
        primary = page.evaluate(
            "() => getComputedStyle(document.querySelector('.stApp'))"
            ".getPropertyValue('--st-primary-color') || null"
        )
        background = button.evaluate("el => getComputedStyle(el).backgroundColor")
        assert background not in ("", "rgba(0, 0, 0, 0)"), "the theme colours the button"
        expect(page.locator(clicks)).to_contain_text("No clicks yet")
        button.click()
        expect(page.locator(clicks)).to_have_text("Streamlit saw 1 click")
        button.click()
        expect(page.locator(clicks)).to_have_text("Streamlit saw 2 clicks")
        component.locator("#message").fill("ping")
        component.locator("#send").click()
        expect(page.locator(messages)).to_have_text("Messages received: ping")
        greeting = page.get_by_label("Greeting")
        greeting.fill("Hi again")
        greeting.press("Enter")
        expect(component.locator("#greeting")).to_have_text("Hi again")
        expect(component.locator("#clicks")).to_have_text("2")
        expect(page.locator(clicks)).to_have_text("Streamlit saw 2 clicks")
        assert errors == [], f"console errors: {errors} (primary colour {primary})"


# The lowest edge of anything in the component's document (margins included), against the
# height of the iframe that shows it.
LOWEST_EDGE = """() => Math.max(...Array.from(document.querySelectorAll("body, body *")).map(
  (e) => e.getBoundingClientRect().bottom + window.scrollY
       + (parseFloat(getComputedStyle(e).marginBottom) || 0)))"""


def assert_not_clipped(page: object, frame_selector: str) -> None:
    """Nothing inside the component's iframe lies below its bottom edge."""
    iframe = page.locator(frame_selector)  # type: ignore[attr-defined]
    shown = iframe.evaluate("el => el.getBoundingClientRect().height")
    content = iframe.content_frame.locator("body").evaluate(LOWEST_EDGE)
    assert content <= shown + 1, f"the iframe is {shown}px tall, its content {content}px"
