"""Browser tests of the Hero stack (Next.js component in a Streamlit host), in both modes.

dev: `next dev` serves the component and Streamlit loads it from COMPONENT_URL.
release: `next build` exports it once to apps/hero/frontend/out, served by Streamlit alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import FrameLocator, Locator, Page, expect

from tests.conftest import REPO, running_stack, stcomp
from tests.e2e.conftest import console_errors

PASSWORD = "e2e-hero-password"
MAX_GUESSES = 3  # the component's deck size: the password is among any 3 guesses in a row
UI_TIMEOUT_MS = 20_000
COMPONENT_IFRAME = 'iframe[data-testid="stCustomComponentV1"]'


@dataclass(frozen=True)
class HeroStack:
    mode: str
    url: str


@pytest.fixture(scope="module")
def hero_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`stcomp build hero`: the static export that release mode serves."""
    run_dir = tmp_path_factory.mktemp("hero-build")
    built = stcomp("build", "hero", cwd=REPO, run_dir=run_dir, timeout=300)
    assert built.returncode == 0, built.stdout + built.stderr
    index = REPO / "apps" / "hero" / "frontend" / "out" / "index.html"
    assert index.is_file()
    return index


@pytest.fixture(scope="module", params=["dev", "release"])
def hero_stack(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[HeroStack]:
    """The Hero stack in one mode, by `stcomp up hero -d [--release]` on free ports."""
    mode: str = request.param
    release = mode == "release"
    if release:
        request.getfixturevalue("hero_build")
    run_dir = tmp_path_factory.mktemp(f"hero-{mode}")
    ports = ["streamlit"] if release else ["streamlit", "component"]
    env = {"HERO_PASSWORD": PASSWORD, "HERO_DEBUG": "1"}
    with running_stack("hero", run_dir, ports=ports, release=release, env=env) as chosen:
        yield HeroStack(mode=mode, url=f"http://localhost:{chosen['streamlit']}")


def open_hero(page: Page, stack: HeroStack) -> FrameLocator:
    """Load the app and wait until the component inside its iframe has received its props."""
    page.goto(stack.url)
    page.locator(COMPONENT_IFRAME).wait_for(state="attached")
    frame = page.frame_locator(COMPONENT_IFRAME)
    expect(frame.get_by_test_id("host-status")).to_contain_text("host run", timeout=UI_TIMEOUT_MS)
    expect(frame.get_by_test_id("mount-id")).not_to_have_text("")
    return frame


def log_in(frame: FrameLocator) -> int:
    """Click "Generate password guess" until logged in; return the number of clicks."""
    logout = frame.get_by_role("button", name="Logout")
    for attempt in range(1, MAX_GUESSES + 1):
        frame.get_by_role("button", name="Generate password guess").click()
        retry = frame.get_by_test_id("retry-message").filter(has_text=f"Guess #{attempt} ")
        expect(logout.or_(retry)).to_be_visible()
        if logout.is_visible():
            return attempt
        expect(retry).to_contain_text("is wrong. Try again.")
    pytest.fail(f"still logged out after {MAX_GUESSES} guesses")


def sidebar_link(page: Page, title: str) -> Locator:
    return page.get_by_test_id("stSidebarNav").get_by_role("link", name=title)


def test_login_shows_gated_page_and_logout_hides_it(
    page: Page, hero_stack: HeroStack, console_messages: list[str]
) -> None:
    frame = open_hero(page, hero_stack)
    expect(page.get_by_test_id("stSidebarNav")).to_have_count(0)

    clicks = log_in(frame)

    assert 1 <= clicks <= MAX_GUESSES
    expect(frame.get_by_test_id("login-state")).to_contain_text("Logged in")
    sidebar_link(page, "Secret").click()
    expect(page.get_by_text("The vault is open")).to_be_visible()

    frame = page.frame_locator(COMPONENT_IFRAME)
    frame.get_by_role("button", name="Logout").click()

    expect(frame.get_by_role("button", name="Generate password guess")).to_be_visible()
    expect(page.get_by_test_id("stSidebarNav")).to_have_count(0)
    expect(page.get_by_text("The vault is open")).to_have_count(0)
    expect(frame.get_by_test_id("host-status")).to_contain_text("Logged out")
    assert console_errors(console_messages) == []  # no CORS "fetch error" from the dev server


def test_host_status_renders_in_component_without_remount(
    page: Page, hero_stack: HeroStack
) -> None:
    frame = open_hero(page, hero_stack)
    mount_id = frame.get_by_test_id("mount-id").inner_text()

    frame.get_by_role("button", name="Echo via host").click()
    expect(frame.get_by_test_id("host-status")).to_contain_text('echo done: {"sentAt"')

    frame.get_by_role("button", name="Ask host to notify").click()
    expect(frame.get_by_test_id("host-status")).to_contain_text("notify done")
    expect(page.get_by_test_id("stToast")).to_contain_text(f"Hello from mount {mount_id}")

    expect(frame.get_by_test_id("mount-id")).to_have_text(mount_id)
    report = page.get_by_test_id("stTable")
    expect(report).to_contain_text("onActionRequest")
    expect(report).to_contain_text("echo")


def test_unsubscribed_event_is_reported_as_on_error(page: Page, hero_stack: HeroStack) -> None:
    frame = open_hero(page, hero_stack)

    frame.get_by_role("button", name="Send unknown event").click()

    report = page.get_by_test_id("stTable")
    expect(report).to_contain_text("onError")
    expect(report).to_contain_text("'onDebugUnknown', which is not subscribed")
    expect(frame.get_by_test_id("host-status")).to_contain_text("error:")


def test_secret_page_address_is_closed_while_logged_out(page: Page, hero_stack: HeroStack) -> None:
    page.goto(f"{hero_stack.url}/secret")

    expect(page.get_by_text("Page not found")).to_be_visible(timeout=UI_TIMEOUT_MS)
    expect(page.get_by_role("heading", name="Event report")).to_be_visible()
    expect(page.get_by_text("The vault is open")).to_have_count(0)


def test_missing_password_is_explained_not_a_crash(
    page: Page, run_dir: Path, hero_build: Path
) -> None:
    env = {"HERO_PASSWORD": "  "}
    with running_stack("hero", run_dir, ports=["streamlit"], release=True, env=env) as chosen:
        page.goto(f"http://localhost:{chosen['streamlit']}")
        alert = page.get_by_test_id("stAlertContentError")
        expect(alert).to_contain_text("HERO_PASSWORD is not set", timeout=UI_TIMEOUT_MS)
        expect(alert).to_contain_text(".env.example")
        expect(page.get_by_test_id("stException")).to_have_count(0)
        expect(page.locator(COMPONENT_IFRAME)).to_have_count(0)
