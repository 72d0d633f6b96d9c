"""stcomp as a user gets it: its wheel, built from this checkout and installed (not editable)
into a virtual environment of its own, outside the repository.

The environment borrows what the tests need besides stcomp (Streamlit, Playwright, pytest and
stcomp's own dependencies) from the test run's environment through a ``.pth`` line, which adds
that site-packages folder without running its ``.pth`` files: this checkout's editable stcomp
stays invisible there, and what a component's ``stcomp up`` installs lands in this environment.
"""

from __future__ import annotations

import site
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

STREAMLIT_SCRIPT = "#!{python}\nfrom streamlit.web.cli import main\nraise SystemExit(main())\n"


def make(root: Path) -> Path:
    """Build the wheel, make the environment under ``root``; return its python."""
    dist = root / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(REPO)],
        check=True,
        capture_output=True,
    )
    (wheel,) = dist.glob("stcomp-*.whl")
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
    python = venv / "bin" / "python"
    own_site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    borrowed = [p for p in site.getsitepackages() if Path(p).is_dir()]
    (Path(own_site) / "borrowed-from-the-test-run.pth").write_text("\n".join(borrowed) + "\n")
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
    )
    streamlit = venv / "bin" / "streamlit"
    streamlit.write_text(STREAMLIT_SCRIPT.format(python=python))
    streamlit.chmod(0o755)
    where = subprocess.run(
        [str(python), "-c", "import stcomp; print(stcomp.__file__)"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    assert where.startswith(str(venv)), f"stcomp comes from {where}, not the installed wheel"
    return python
