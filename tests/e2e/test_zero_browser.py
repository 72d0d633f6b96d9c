"""Component Zero in a real browser: props in, events out, reruns without a remount."""

from __future__ import annotations

import re

from playwright.sync_api import FrameLocator, Page, expect

FRAME = 'iframe[title*="zero"]'
TYPED = ".st-key-zero-typed"
RERUN = ".st-key-zero-rerun"  # holds the button and a hidden copy Streamlit measures
ISO_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+00:00$")
# Streamlit warns after 15 s and reports a timeout after 60 s without componentReady.
READY_WARNINGS = ("trouble loading", "componentready", "timeout error")
PAST_READY_TIMEOUT = "01:05"


def open_zero(page: Page, url: str) -> FrameLocator:
    """Load the app with a controllable clock; wait for the component's first render."""
    page.clock.install()
    page.goto(url)
    page.locator(FRAME).wait_for(state="attached")
    frame = page.frame_locator(FRAME)
    expect(frame.locator("#root")).to_have_attribute("aria-busy", "false")
    return frame


def ready_warnings(messages: list[str]) -> list[str]:
    return [m for m in messages if any(w in m.lower() for w in READY_WARNINGS)]


def send(frame: FrameLocator, text: str, *, with_enter: bool) -> None:
    frame.locator("#text-input").fill(text)
    if with_enter:
        frame.locator("#text-input").press("Enter")
    else:
        frame.locator("#send-button").click()


def test_zero_props_events_and_rerun_in_one_iframe(
    page: Page, console_messages: list[str], zero_app: str
) -> None:
    frame = open_zero(page, zero_app)

    # Props arrive as args.
    expect(frame.locator("#greeting")).to_have_text("Hello from Streamlit")
    expect(frame.locator("#rerun-count")).to_have_text("1")
    expect(frame.locator("#text-input")).to_have_value("")  # a placeholder, not pre-filled text
    expect(frame.locator("#text-input")).to_have_attribute("placeholder", "Type and press Enter")
    first_timestamp = frame.locator("#timestamp").inner_text()
    assert ISO_UTC.match(first_timestamp), first_timestamp
    mount_id = frame.locator("#mount-id").inner_text()
    assert re.fullmatch(r"[a-z0-9]{4,}", mount_id), mount_id
    expect(page.locator(TYPED)).to_contain_text("Nothing typed yet")

    # Events come back: Enter and the Send button both send; each event reruns the script.
    send(frame, "Hello, Zero!", with_enter=True)
    expect(page.locator(TYPED)).to_have_text("You typed: Hello, Zero!")
    expect(frame.locator("#rerun-count")).to_have_text("2")
    send(frame, "a *second* message", with_enter=False)
    expect(page.locator(TYPED)).to_have_text("You typed: a *second* message")
    expect(frame.locator("#rerun-count")).to_have_text("3")

    # A plain rerun sends new props into the same iframe: same mount id, no second frame.
    page.locator(RERUN).get_by_role("button", name="Rerun").click()
    expect(frame.locator("#rerun-count")).to_have_text("4")
    expect(page.get_by_text("Script run 4")).to_be_visible()
    expect(frame.locator("#timestamp")).not_to_have_text(first_timestamp)
    assert frame.locator("#mount-id").inner_text() == mount_id
    expect(page.locator(FRAME)).to_have_count(1)
    expect(page.locator(TYPED)).to_have_text("You typed: a *second* message")

    # Jump past Streamlit's componentReady deadline: no warning, and the component still works.
    page.clock.fast_forward(PAST_READY_TIMEOUT)
    send(frame, "after the deadline", with_enter=True)
    expect(page.locator(TYPED)).to_have_text("You typed: after the deadline")
    assert frame.locator("#mount-id").inner_text() == mount_id
    expect(page.get_by_text(re.compile("trouble loading", re.IGNORECASE))).to_have_count(0)
    assert ready_warnings(console_messages) == []
    assert [m for m in console_messages if m.startswith("error")] == []


def test_a_component_that_never_gets_ready_is_noticed(
    page: Page, console_messages: list[str], zero_app: str
) -> None:
    """Control for the check above: without the component's script, the warning does show."""
    page.route("**/zero.js", lambda route: route.abort())
    page.clock.install()
    page.goto(zero_app)
    page.locator(FRAME).wait_for(state="attached")
    expect(page.locator(TYPED).get_by_text("Nothing typed yet")).to_be_visible()
    page.clock.fast_forward(PAST_READY_TIMEOUT)
    expect(page.get_by_text(re.compile("trouble loading", re.IGNORECASE))).to_be_visible()
    assert ready_warnings(console_messages)


V2 = ".st-key-zero-v2"
V2_TYPED = ".st-key-zero-v2-typed"


def test_zero_v2_beside_v1_data_in_state_and_trigger_out(
    page: Page, console_messages: list[str], zero_app: str
) -> None:
    """The same component written against Components v2, on the same page: no iframe, its
    own shadow root; data in, a trigger value (the text) and a state value (messages sent)
    out; reruns keep the same mount, and the v1 component beside it is unaffected."""
    open_zero(page, zero_app)
    component = page.locator(V2)
    expect(component.locator("#greeting")).to_have_text("Hello from Streamlit")
    expect(component.locator("#rerun-count")).to_have_text("1")
    assert component.locator("iframe").count() == 0
    host = component.locator('[data-testid="stBidiComponentIsolated"]')
    assert host.evaluate("el => el.shadowRoot !== null")
    assert ISO_UTC.match(component.locator("#timestamp").inner_text())
    mount_id = component.locator("#mount-id").inner_text()
    expect(page.locator(V2_TYPED)).to_contain_text("Nothing typed yet")

    component.locator("#text-input").fill("Hello, v2!")
    component.locator("#text-input").press("Enter")
    expect(page.locator(V2_TYPED)).to_have_text("You typed: Hello, v2! (1 message)")
    expect(component.locator("#rerun-count")).to_have_text("2")
    component.locator("#text-input").fill("a *second* one")
    component.locator("#send-button").click()
    expect(page.locator(V2_TYPED)).to_have_text("You typed: a *second* one (2 messages)")

    # A plain rerun: the trigger is not sent again, the state value stays, same mount.
    page.locator(RERUN).get_by_role("button", name="Rerun").click()
    expect(component.locator("#rerun-count")).to_have_text("4")
    expect(page.locator(V2_TYPED)).to_have_text("You typed: a *second* one (2 messages)")
    assert component.locator("#mount-id").inner_text() == mount_id
    expect(page.locator(TYPED)).to_contain_text("Nothing typed yet")  # v1 untouched
    assert [m for m in console_messages if m.startswith("error")] == []
