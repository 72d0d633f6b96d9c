"""The component life cycle per template, timed: scaffold, first `up` to rendered, edit to
visible, `stcomp package`.

Run: .venv/bin/python bench/bench_templates.py [--templates v2-react,vite,...] [--edits N]

For each template, in a new workspace in a temporary folder:
  1. `stcomp scaffold NAME --template T`;
  2. `stcomp up NAME -d` and a headless browser until the component shows its greeting (npm's
     cache is warm after the first template of a kind: run twice to see only warm figures);
     the sum of 1 and 2 is "scaffold to rendered";
  3. edit to visible: the button's label changed in the front end's source, timed from the
     save until the open page shows it, with no reload (median of N edits). v2: the watch build
     and a rerun; v1 with a dev server: its hot update; html (no dev server): not applicable;
  4. `stcomp package NAME` (release build, wheel, inspection, install into a fresh venv, smoke).
Prints the figures and each against its goal; asserts nothing. Ports are free ones and the run
directories temporary: a running dev stack is untouched. The editable installs that `up` makes
for v2 components are removed at the end.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "cli"))

from stcomp.browser import CHROMIUM_ARGS, chromium_path  # noqa: E402
from stcomp.ports import free_port  # noqa: E402

STCOMP = [sys.executable, "-m", "stcomp"]
TEMPLATES = ["v2-react", "v2-ts", "vite", "next", "html"]
# Where each template's button label lives, and how it is written there.
LABELS = {
    "v2-react": ("frontend/src/Component.tsx", 'export const LABEL = "{}";'),
    "v2-ts": ("frontend/src/index.ts", 'const LABEL = "{}";'),
    "vite": ("frontend/src/Component.tsx", "          {}\n        </button>"),
    "next": ("frontend/components/Component.tsx", "          {}\n        </button>"),
}
GOALS = {"edit to visible (v2)": 0.5, "scaffold to rendered": 10.0}


@dataclass
class Figures:
    template: str
    scaffold: float = 0.0
    up_to_rendered: float = 0.0
    edits: list[float] = field(default_factory=list)
    package: float | None = None

    @property
    def edit(self) -> float | None:
        return statistics.median(self.edits) if self.edits else None


def run(args: list[str], cwd: Path, run_dir: Path, timeout: float = 600) -> float:
    began = time.monotonic()
    env = dict(os.environ, STCOMP_RUN_DIR=str(run_dir))
    result = subprocess.run(
        [*STCOMP, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )
    if result.returncode != 0:
        raise SystemExit(f"stcomp {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return time.monotonic() - began


def one_template(template: str, edits: int, package: bool) -> Figures:
    from playwright.sync_api import expect, sync_playwright

    name = f"bench_{template.replace('-', '_')}"
    figures = Figures(template)
    with tempfile.TemporaryDirectory(prefix="stcomp-bench-") as tmp:
        workspace, run_dir = Path(tmp), Path(tmp) / ".run"
        figures.scaffold = run(["scaffold", name, "--template", template], workspace, run_dir)
        ports = {"streamlit": free_port(), "component": free_port()}
        began = time.monotonic()
        run(["up", name, "-d", *(f"--port={k}={v}" for k, v in ports.items())], workspace, run_dir)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True
                )
                page = browser.new_page()
                page.goto(f"http://localhost:{ports['streamlit']}")
                v2 = template.startswith("v2-")
                scope = (
                    page.locator(f".st-key-{name}")
                    if v2
                    else page.frame_locator('iframe[data-testid="stCustomComponentV1"]')
                )
                expect(scope.locator("#greeting")).to_have_text(
                    "Hello from Streamlit", timeout=120_000
                )
                figures.up_to_rendered = time.monotonic() - began
                if template in LABELS:
                    figures.edits = edit_loop(workspace / name, template, scope, edits)
                browser.close()
        finally:
            run(["down", name], workspace, run_dir)
        if package:
            figures.package = run(["package", name], workspace, run_dir)
        subprocess.run(
            [sys.executable, "-m", "pip", "uninstall", "-y", "-q", name], capture_output=True
        )
    return figures


def edit_loop(component: Path, template: str, scope: object, edits: int) -> list[float]:
    from playwright.sync_api import expect

    relative, spelled = LABELS[template]
    source = component / relative
    current = "Click me"
    times = []
    for index in range(edits):
        new = f"Press {index}"
        text = source.read_text()
        old = spelled.format(current)
        assert old in text, f"{old!r} not in {source}"
        saved = time.monotonic()
        source.write_text(text.replace(old, spelled.format(new)))
        button = scope.locator("#click")  # type: ignore[attr-defined]
        expect(button).to_have_text(re.compile(rf"^\s*{new}\s*$"), timeout=30_000)
        times.append(time.monotonic() - saved)
        current = new
        time.sleep(0.3)  # let the watcher settle: edits a person makes are seconds apart
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--templates", default=",".join(TEMPLATES))
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--no-package", action="store_true")
    options = parser.parse_args()
    if shutil.which("npm") is None:
        raise SystemExit("npm is needed")
    rows = [
        one_template(t, options.edits, not options.no_package) for t in options.templates.split(",")
    ]
    print(f"\n{'template':<10} {'scaffold':>9} {'up→shown':>9} {'sum':>6} {'edit→shown':>11} "
          f"{'package':>8}")  # fmt: skip
    for r in rows:
        edit = f"{r.edit:.2f} s" if r.edit is not None else "n/a"
        pkg = f"{r.package:.1f} s" if r.package is not None else "-"
        total = r.scaffold + r.up_to_rendered
        print(
            f"{r.template:<10} {r.scaffold:>7.2f} s {r.up_to_rendered:>7.2f} s {total:>4.1f} s"
            f" {edit:>11} {pkg:>8}"
        )
    print()
    for r in rows:
        total = r.scaffold + r.up_to_rendered
        verdict = "met" if total <= GOALS["scaffold to rendered"] else "NOT met"
        print(f"{r.template}: scaffold to rendered {total:.1f} s (goal <= 10 s): {verdict}")
        if r.template.startswith("v2-") and r.edit is not None:
            verdict = "met" if r.edit <= GOALS["edit to visible (v2)"] else "NOT met"
            print(
                f"{r.template}: edit to visible, median {r.edit:.2f} s of {len(r.edits)}"
                f" (goal <= 0.5 s): {verdict}"
            )


if __name__ == "__main__":
    main()
