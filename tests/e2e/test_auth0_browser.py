"""Browser test of the Auth0 stack, as a user: log in through the provider's page in a popup,
see the user in Streamlit, call ping, pong and pong-scoped through every pattern, log out.

The stack runs through `stcomp up auth0 -d` with its local identity provider (issuer on
`localhost`: nextjs-auth0 v4 refuses an issuer on an IP literal), in dev mode (`next dev`) and
in release mode (`stcomp build auth0`, then `next start`).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import FrameLocator, Locator, Page, expect

from tests.conftest import REPO, kill_all, processes_of, running_stack, stcomp
from tests.e2e.conftest import console_errors

COMPONENT_IFRAME = 'iframe[data-testid="stCustomComponentV1"]'
UI_TIMEOUT_MS = 30_000
SCREENSHOT = os.environ.get("AUTH0_SCREENSHOT", "")  # a path: save the logged-in page there


@dataclass(frozen=True)
class Auth0Stack:
    mode: str
    streamlit_url: str
    component_url: str
    idp_url: str


@pytest.fixture(scope="module", params=["dev", "release"])
def auth0_stack(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Auth0Stack]:
    """`stcomp up auth0 -d` with its local identity provider, on free ports (release:
    `stcomp build auth0` first, then `next start`)."""
    mode: str = request.param
    release = mode == "release"
    run_dir = tmp_path_factory.mktemp(f"auth0-{mode}-run")
    if release:
        build = stcomp("build", "auth0", cwd=REPO, run_dir=run_dir, timeout=300)
        assert build.returncode == 0, build.stdout + build.stderr
    ports = ["streamlit", "component", "api", "idp"]
    with running_stack("auth0", run_dir, ports=ports, release=release) as chosen:
        yield Auth0Stack(
            mode,
            f"http://localhost:{chosen['streamlit']}",
            f"http://localhost:{chosen['component']}",
            f"http://localhost:{chosen['idp']}",
        )


def open_app(page: Page, stack: Auth0Stack) -> FrameLocator:
    """Open Streamlit (on localhost, the component's site: the popup and the iframe then share
    local storage) and wait for the component."""
    page.goto(stack.streamlit_url)
    page.locator(COMPONENT_IFRAME).wait_for(state="attached", timeout=UI_TIMEOUT_MS)
    frame = page.frame_locator(COMPONENT_IFRAME)
    expect(frame.get_by_test_id("login-state")).to_be_visible(timeout=UI_TIMEOUT_MS)
    return frame


def wait_idle(page: Page) -> None:
    """Until no script run is going on: a click in the component during the host's rerun can
    be lost (the iframe is being updated)."""
    idle = page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]')
    expect(idle).to_have_count(1, timeout=UI_TIMEOUT_MS)


def press(page: Page, button: Locator) -> None:
    """Click a button of the component once the host is idle (see wait_idle)."""
    wait_idle(page)
    button.click(timeout=UI_TIMEOUT_MS)


def log_in(page: Page, frame: FrameLocator, user: str) -> None:
    """Click Log in, pick ``user`` on the provider's page in the popup, wait for it to close."""
    wait_idle(page)
    with page.expect_popup(timeout=UI_TIMEOUT_MS) as opened:
        frame.get_by_role("button", name="Log in").click(timeout=UI_TIMEOUT_MS)
    popup = opened.value
    popup.get_by_test_id(f"pick-{user}").click(timeout=UI_TIMEOUT_MS)
    popup.wait_for_event("close", timeout=UI_TIMEOUT_MS)


def log_out(page: Page, frame: FrameLocator) -> None:
    wait_idle(page)
    with page.expect_popup(timeout=UI_TIMEOUT_MS) as opened:
        frame.get_by_role("button", name="Log out").click(timeout=UI_TIMEOUT_MS)
    opened.value.wait_for_event("close", timeout=UI_TIMEOUT_MS)


def expect_answer(page: Page, key: str, text: str) -> None:
    """The answer container ``key`` as the current run drew it: after a rerun, the one it
    replaces can stay beside it, stale, for a moment (its elements have data-stale=true)."""
    live = page.locator(f".st-key-answer-{key}").filter(
        has=page.locator('[data-testid="stElementContainer"][data-stale="false"]')
    )
    expect(live).to_contain_text(text, timeout=UI_TIMEOUT_MS)


def nav_link(page: Page, title: str) -> Locator:
    return page.get_by_test_id("stSidebarNav").get_by_role("link", name=title)


def test_alice_logs_in_calls_every_pattern_and_logs_out(
    page: Page, auth0_stack: Auth0Stack, console_messages: list[str]
) -> None:
    frame = open_app(page, auth0_stack)
    expect(frame.get_by_test_id("login-state")).to_have_text("Logged out")
    expect(nav_link(page, "Profile")).to_have_count(0)

    # Without a login: ping works, the component's pong is refused.
    press(page, frame.get_by_role("button", name="Ping"))
    expect_answer(page, "ping", "HTTP 200")
    expect_answer(page, "ping", "this is a public endpoint")

    log_in(page, frame, "alice")
    expect(page.get_by_test_id("stExpander").first).to_contain_text(
        "User: Alice Example", timeout=UI_TIMEOUT_MS
    )
    expect(frame.get_by_test_id("login-state")).to_have_text("Alice Example")
    expect(page.get_by_text("Alice Example is logged in")).to_be_visible()
    expect(nav_link(page, "Profile")).to_be_visible()
    expect(nav_link(page, "Messages")).to_be_visible()

    # A reload starts a new Streamlit session: the component restores it from local storage.
    page.reload()
    frame = open_app(page, auth0_stack)
    expect(page.get_by_text("Alice Example is logged in")).to_be_visible(timeout=UI_TIMEOUT_MS)
    expect(nav_link(page, "Profile")).to_be_visible()
    press(page, frame.get_by_role("button", name="Ping"))
    expect_answer(page, "ping", "HTTP 200")

    # Messages both ways.
    frame.get_by_role("textbox", name="Message to the host").fill("hi from the e2e test")
    press(page, frame.get_by_role("button", name="Send to host"))
    expect(page.get_by_text("hi from the e2e test").first).to_be_visible(timeout=UI_TIMEOUT_MS)
    page.get_by_test_id("stSidebar").get_by_role("textbox").fill("hello component")
    page.get_by_test_id("stSidebar").get_by_role("textbox").press("Enter")
    expect(frame.get_by_test_id("host-message")).to_have_text(
        "hello component", timeout=UI_TIMEOUT_MS
    )

    # The component calls its Next.js route with the token; the host calls the API for it.
    press(page, frame.get_by_role("button", name="Pong", exact=True))
    expect_answer(page, "pong", "HTTP 200")
    expect_answer(page, "pong", "your access token is valid")
    press(page, frame.get_by_role("button", name="Pong (scoped)", exact=True))
    expect_answer(page, "pong-scoped", "HTTP 200")
    press(page, frame.get_by_role("button", name="Pong via host"))
    expect_answer(page, "host-pong", "HTTP 200")
    press(page, frame.get_by_role("button", name="Pong (scoped) via host"))
    expect_answer(page, "host-pong-scoped", "HTTP 200")
    expect_answer(page, "host-pong-scoped", "read:messages")
    if SCREENSHOT and auth0_stack.mode == "dev":
        page.set_viewport_size({"width": 1100, "height": 2000})
        page.screenshot(path=SCREENSHOT)
        page.set_viewport_size({"width": 1100, "height": 900})

    # A gated page, with the host's own scoped call.
    nav_link(page, "Messages").click()
    expect_answer(page, "messages", "HTTP 200")

    log_out(page, frame)
    expect(frame.get_by_test_id("login-state")).to_have_text("Logged out", timeout=UI_TIMEOUT_MS)
    expect(nav_link(page, "Profile")).to_have_count(0, timeout=UI_TIMEOUT_MS)
    expect(nav_link(page, "Messages")).to_have_count(0)
    expect(page.get_by_text("Not logged in")).to_be_visible()
    expect(page.get_by_test_id("stExpander").filter(has_text="User:")).to_have_count(0)
    assert console_errors(console_messages) == []  # no CORS "fetch error" from the component


def test_bob_lacks_the_scope(page: Page, auth0_stack: Auth0Stack) -> None:
    frame = open_app(page, auth0_stack)
    log_in(page, frame, "bob")
    expect(frame.get_by_test_id("login-state")).to_have_text("Bob Example", timeout=UI_TIMEOUT_MS)
    expect(page.get_by_text("Bob Example is logged in")).to_be_visible(timeout=UI_TIMEOUT_MS)

    press(page, frame.get_by_role("button", name="Pong via host"))
    expect_answer(page, "host-pong", "HTTP 200")
    press(page, frame.get_by_role("button", name="Pong (scoped) via host"))
    expect_answer(page, "host-pong-scoped", "HTTP 403")
    expect_answer(page, "host-pong-scoped", "insufficient_scope")
    press(page, frame.get_by_role("button", name="Pong (scoped)", exact=True))
    expect_answer(page, "pong-scoped", "HTTP 403")
    expect_answer(page, "pong-scoped", "insufficient_scope")

    # Bob is not offered a page that can only refuse him: the sidebar says why.
    expect(nav_link(page, "Profile")).to_be_visible()
    expect(nav_link(page, "Messages")).to_have_count(0)
    expect(page.locator(".st-key-messages-refused")).to_contain_text("read:messages")

    log_out(page, frame)
    expect(nav_link(page, "Messages")).to_have_count(0, timeout=UI_TIMEOUT_MS)


def test_answers_belong_to_the_user_who_obtained_them(page: Page, auth0_stack: Auth0Stack) -> None:
    frame = open_app(page, auth0_stack)
    log_in(page, frame, "alice")
    expect(frame.get_by_test_id("login-state")).to_have_text("Alice Example", timeout=UI_TIMEOUT_MS)
    press(page, frame.get_by_role("button", name="Pong (scoped) via host"))
    expect_answer(page, "host-pong-scoped", "auth0|alice")
    press(page, frame.get_by_role("button", name="Ping"))
    expect_answer(page, "ping", "HTTP 200")

    log_out(page, frame)
    # the host has handled the logout (its rerun done) before what it shows is read
    expect(page.get_by_text("Last event: Logged out")).to_be_visible(timeout=UI_TIMEOUT_MS)
    expect_answer(page, "host-pong-scoped", "No answer yet")
    log_in(page, frame, "bob")
    expect(frame.get_by_test_id("login-state")).to_have_text("Bob Example", timeout=UI_TIMEOUT_MS)
    expect_answer(page, "host-pong-scoped", "No answer yet")
    expect(page.get_by_text("auth0|alice")).to_have_count(0)
    expect_answer(page, "ping", "HTTP 200")  # a public answer is nobody's: it stays
    log_out(page, frame)


def provider_signs_in_silently(page: Page, stack: Auth0Stack) -> bool:
    """Whether the browser's provider session still signs in without a form (prompt=none):
    a code comes back, else login_required. Requests share the page's cookies."""
    response = page.request.get(
        f"{stack.idp_url}/authorize",
        params={
            "client_id": "stcomp-local",
            "response_type": "code",
            "redirect_uri": f"{stack.streamlit_url}/oauth2callback",
            "scope": "openid",
            "prompt": "none",
            "state": "probe",
        },
        max_redirects=0,
    )
    location = response.headers.get("location", "")
    assert response.status == 302 and location, (response.status, response.text()[:200])
    return "code=" in location and "error=" not in location


def open_native_login(page: Page, stack: Auth0Stack) -> None:
    """Load the st.login page and wait until the component on it (logged out) has reported its
    first status: the rerun that follows that report would drop a click made during it."""
    page.goto(f"{stack.streamlit_url}/native_login")
    expect(page.get_by_text("Last event: Logged out")).to_be_visible(timeout=UI_TIMEOUT_MS)


def test_streamlit_login_is_a_fifth_pattern(page: Page, auth0_stack: Auth0Stack) -> None:
    """st.login against the same provider: alice's scoped call succeeds, bob's is refused, and
    st.logout ends both Streamlit's session and the provider's."""
    for user, scoped in (("alice", "HTTP 200"), ("bob", "HTTP 403")):
        open_native_login(page, auth0_stack)
        page.get_by_role("button", name="Sign in with st.login").click(timeout=UI_TIMEOUT_MS)
        page.wait_for_url("**/authorize**", timeout=UI_TIMEOUT_MS)
        page.get_by_test_id(f"pick-{user}").click(timeout=UI_TIMEOUT_MS)
        name = f"{user.title()} Example"
        expect(page.locator(".st-key-native-status")).to_contain_text(name, timeout=UI_TIMEOUT_MS)
        # A page load, not a sidebar click racing the rerun that follows the sign-in: the
        # st.login cookie carries the user into the new session.
        open_native_login(page, auth0_stack)
        expect(page.locator(".st-key-native-user")).to_contain_text(
            f"auth0|{user}", timeout=UI_TIMEOUT_MS
        )
        expect_answer(page, "native-pong", "HTTP 200")
        expect_answer(page, "native-pong-scoped", scoped)
        assert provider_signs_in_silently(page, auth0_stack), "control: the provider session"

        page.get_by_role("button", name="Sign out (st.logout)").click()
        # Streamlit -> the provider's end_session_endpoint -> back to the app's root.
        page.wait_for_url(f"{auth0_stack.streamlit_url}/", timeout=UI_TIMEOUT_MS)
        expect(page.locator(".st-key-native-status")).to_have_count(0, timeout=UI_TIMEOUT_MS)
        open_native_login(page, auth0_stack)
        expect(page.get_by_role("button", name="Sign in with st.login")).to_be_visible()
        assert not provider_signs_in_silently(page, auth0_stack), "st.logout ended it"


SHORTEN_EXPIRY = """(seconds) => {
    const key = "stcomp.auth0.session";
    const session = JSON.parse(localStorage.getItem(key));
    session.expiresAt = Date.now() / 1000 + seconds;
    localStorage.setItem(key, JSON.stringify(session));
    return session.accessToken;
}"""
STORED_SESSION = """() => JSON.parse(localStorage.getItem("stcomp.auth0.session"))"""


def on_component_origin(page: Page, stack: Auth0Stack) -> Page:
    """Another tab on the component's origin, which shares its local storage."""
    other = page.context.new_page()
    other.goto(f"{stack.component_url}/api/ping")
    return other


def test_the_session_renews_before_it_expires(page: Page, auth0_stack: Auth0Stack) -> None:
    """Another tab brings the stored expiry close: the component renews the session through
    its server's refresh token (offline_access) instead of expiring; the new token works."""
    frame = open_app(page, auth0_stack)
    log_in(page, frame, "alice")
    expect(nav_link(page, "Profile")).to_be_visible(timeout=UI_TIMEOUT_MS)

    other = on_component_origin(page, auth0_stack)
    old_token = other.evaluate(SHORTEN_EXPIRY, 3)
    other.wait_for_function(
        "(old) => JSON.parse(localStorage.getItem('stcomp.auth0.session'))?.accessToken !== old",
        arg=old_token,
        timeout=UI_TIMEOUT_MS,
    )
    renewed = other.evaluate(STORED_SESSION)
    other.close()
    assert renewed["user"]["sub"] == "auth0|alice"
    assert renewed["expiresAt"] > time.time() + 3600

    page.wait_for_timeout(4000)  # past the shortened expiry: nothing expired
    expect(page.get_by_text("Session expired: log in again")).to_have_count(0)
    expect(frame.get_by_test_id("login-state")).to_have_text("Alice Example")
    press(page, frame.get_by_role("button", name="Pong (scoped) via host"))
    expect_answer(page, "host-pong-scoped", "HTTP 200")
    log_out(page, frame)


def test_expiry_is_noticed_without_a_reload(page: Page, auth0_stack: Auth0Stack) -> None:
    """Without a server session to renew from (its cookie gone), another tab shortens the
    stored session's expiry: the component hears of it through a storage event, cannot renew,
    its timer fires at the new expiry, and the host drops the gated pages."""
    frame = open_app(page, auth0_stack)
    log_in(page, frame, "alice")
    expect(nav_link(page, "Profile")).to_be_visible(timeout=UI_TIMEOUT_MS)

    page.context.clear_cookies()
    other = on_component_origin(page, auth0_stack)
    other.evaluate(SHORTEN_EXPIRY, 3)
    other.close()

    expect(page.get_by_text("Session expired: log in again").first).to_be_visible(
        timeout=UI_TIMEOUT_MS
    )
    expect(frame.get_by_test_id("login-state")).to_have_text("Logged out")
    expect(nav_link(page, "Profile")).to_have_count(0)
    expect(page.get_by_test_id("stExpander").filter(has_text="User:")).to_have_count(0)


@pytest.fixture(scope="module")
def tenant_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Auth0Stack]:
    """The tenant path (AUTH0_DOMAIN set: the stack skips its own provider), against the local
    provider started separately as if it were a tenant: its own process, run dir, port,
    clients, secret and audience, none of them the stack's defaults."""
    from stcomp.ports import free_ports
    from tests.server.server_processes import clean_env, start_service

    root = tmp_path_factory.mktemp("tenant")
    names = ("streamlit", "component", "api", "idp")
    ports = dict(zip(names, free_ports(len(names)), strict=True))
    tenant = {
        "AUTH0_CLIENT_ID": "tenant-web-client",
        "AUTH0_SPA_CLIENT_ID": "tenant-spa-client",
        "AUTH0_CLIENT_SECRET": os.urandom(24).hex(),
        "AUTH0_AUDIENCE": "https://tenant.example/api",
    }
    idp = start_service(
        "tenant-idp",
        "server.idp",
        clean_env(
            **tenant,
            IDP_PORT=str(ports["idp"]),
            STREAMLIT_PORT=str(ports["streamlit"]),
            COMPONENT_PORT=str(ports["component"]),
            STCOMP_DATA_DIR=str(root / "tenant-data"),
        ),
        ports["idp"],
        "/.well-known/openid-configuration",
        root,
    )
    env = {
        **tenant,
        "AUTH0_DOMAIN": f"http://localhost:{ports['idp']}",
        "AUTH0_SECRET": os.urandom(32).hex(),
        "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none",
    }
    run_dir = root / "run"
    args = [f"--port={k}={v}" for k, v in ports.items() if k != "idp"]
    up = stcomp("up", "auth0", "-d", *args, cwd=REPO, run_dir=run_dir, env=env, timeout=300)
    try:
        assert up.returncode == 0, up.stdout + up.stderr
        assert "idp" not in up.stdout.split("ready in")[0].split(), "the provider was skipped"
        yield Auth0Stack(
            "tenant",
            f"http://localhost:{ports['streamlit']}",
            f"http://localhost:{ports['component']}",
            f"http://localhost:{ports['idp']}",
        )
    finally:
        down = stcomp("down", "auth0", cwd=REPO, run_dir=run_dir)
        idp.stop()
        leftovers = processes_of(run_dir)
        kill_all(leftovers)
        assert down.returncode == 0, down.stdout + down.stderr
        assert leftovers == []


def test_the_tenant_path_signs_in_and_calls_the_api(page: Page, tenant_stack: Auth0Stack) -> None:
    """Against a "tenant": the component's login and its scoped calls, then st.login's."""
    frame = open_app(page, tenant_stack)
    log_in(page, frame, "alice")
    expect(frame.get_by_test_id("login-state")).to_have_text("Alice Example", timeout=UI_TIMEOUT_MS)
    press(page, frame.get_by_role("button", name="Pong (scoped)", exact=True))
    expect_answer(page, "pong-scoped", "HTTP 200")
    press(page, frame.get_by_role("button", name="Pong (scoped) via host"))
    expect_answer(page, "host-pong-scoped", "HTTP 200")
    log_out(page, frame)
    expect(frame.get_by_test_id("login-state")).to_have_text("Logged out", timeout=UI_TIMEOUT_MS)

    open_native_login(page, tenant_stack)
    page.get_by_role("button", name="Sign in with st.login").click(timeout=UI_TIMEOUT_MS)
    page.wait_for_url(f"{tenant_stack.idp_url}/authorize**", timeout=UI_TIMEOUT_MS)
    page.get_by_test_id("pick-alice").click(timeout=UI_TIMEOUT_MS)
    expect(page.locator(".st-key-native-status")).to_contain_text("Alice", timeout=UI_TIMEOUT_MS)
    page.goto(f"{tenant_stack.streamlit_url}/native_login")
    expect_answer(page, "native-pong-scoped", "HTTP 200")
