"""The Components v2 dev loop: with `stcomp up NAME` running and the page open in a browser, a
saved change to the front end's source shows in the page by itself (no reload, no "Rerun"),
and the state set before it is still there; a saved change to the app reruns it by itself."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from playwright.sync_api import expect

from stcomp.ports import free_port
from stcomp.scaffold import scaffold
from tests.conftest import kill_all, processes_of, stcomp
from tests.scaffold.browser import new_page

NAME = "loopw"
FIRST_RENDER_MS = 60_000


@pytest.fixture(scope="module")
def dev_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """A scaffolded v2-react component, up in dev mode on a free port (file watching on)."""
    workspace = tmp_path_factory.mktemp("v2-loop")
    scaffold(NAME, template="v2-react", dest=workspace)
    run_dir = workspace / ".run"
    port = free_port()
    up = stcomp(
        "up", NAME, "-d", f"--port=streamlit={port}", cwd=workspace, run_dir=run_dir, timeout=300
    )
    try:
        assert up.returncode == 0, up.stdout + up.stderr
        yield workspace, f"http://localhost:{port}"
    finally:
        down = stcomp("down", NAME, cwd=workspace, run_dir=run_dir)
        leftovers = processes_of(run_dir)
        kill_all(leftovers)
        subprocess.run([sys.executable, "-m", "pip", "uninstall", "-y", "-q", NAME], check=False)
        assert down.returncode == 0, down.stdout + down.stderr
        assert leftovers == []


def test_a_saved_change_shows_by_itself_and_state_survives(dev_stack: tuple[Path, str]) -> None:
    workspace, url = dev_stack
    with ThreadPoolExecutor(max_workers=1) as pool:  # Playwright's sync API: a thread of its own
        pool.submit(_edit_and_watch, workspace, url).result()


def _edit_and_watch(workspace: Path, url: str) -> None:
    source = workspace / NAME / "frontend" / "src" / "Component.tsx"
    app = workspace / NAME / "app.py"
    with new_page() as page:
        loads: list[str] = []
        page.on("load", lambda _: loads.append(page.url))
        page.goto(url)
        component = page.locator(f".st-key-{NAME}")
        expect(component.locator("#click")).to_have_text("Click me", timeout=FIRST_RENDER_MS)
        component.locator("#click").click()
        component.locator("#click").click()
        clicks = page.locator(f".st-key-{NAME}-clicks")
        expect(clicks).to_have_text("Streamlit saw 2 clicks")

        # Front end: two edits in a row, each visible without a reload.
        for label in ("Press me", "Push me"):
            before = source.read_text()
            saved = time.monotonic()
            source.write_text(before.replace(_label_line(before), f'"{label}"'))
            expect(component.locator("#click")).to_have_text(label, timeout=10_000)
            print(f"\n{label!r} visible {time.monotonic() - saved:.3f} s after the save")
        expect(clicks).to_have_text("Streamlit saw 2 clicks")  # Python state kept
        expect(component.locator("#clicks")).to_have_text("2")  # the component's own too

        # The app: a saved change reruns it by itself.
        app.write_text(app.read_text().replace("st.title(", 'st.caption("edited")\nst.title('))
        expect(page.get_by_text("edited", exact=True)).to_be_visible(timeout=10_000)
        expect(clicks).to_have_text("Streamlit saw 2 clicks")
        assert len(loads) == 1, f"the page was loaded again: {loads}"


def _label_line(source: str) -> str:
    """The quoted label in ``export const LABEL = "...";``."""
    start = source.index("export const LABEL = ") + len("export const LABEL = ")
    return source[start : source.index(";", start)]
