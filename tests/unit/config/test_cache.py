"""The cache of checked workspaces: used while nothing changed, never when something did, and
never from a file that someone else could have written."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from stcomp.config import cache, load_workspace

from ..fakes import CHAIN, CHAIN_PROCFILE, write_workspace


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.delenv("STCOMP_RUN_DIR", raising=False)
    folder = tmp_path / "ws"
    folder.mkdir()
    return write_workspace(folder, CHAIN, CHAIN_PROCFILE)


def plant(config: Path, description: str, mode: int = 0o600) -> None:
    """Rewrite the cached entry of ``config`` with a different stack description, so that a
    test can tell the cached workspace from a freshly read one."""
    path = cache.entry_path(config)
    entry = pickle.loads(path.read_bytes())
    workspace = pickle.loads(entry["workspace"])
    chain = replace(workspace.stacks["chain"], description=description)
    entry["workspace"] = pickle.dumps(replace(workspace, stacks={"chain": chain}))
    path.write_bytes(pickle.dumps(entry))
    path.chmod(mode)


def test_an_unchanged_definition_is_taken_from_the_cache(config: Path) -> None:
    first = load_workspace(config.parent)
    assert cache.entry_path(config).is_file()
    assert load_workspace(config.parent) == first
    plant(config, "from the cache")
    assert load_workspace(config.parent).stack("chain").description == "from the cache"


def test_a_changed_definition_or_procfile_is_read_again(config: Path) -> None:
    load_workspace(config.parent)
    plant(config, "stale")
    config.write_text(CHAIN.replace("timeout = 10", "timeout = 11"))
    assert load_workspace(config.parent).stack("chain").timeout == 11.0
    plant(config, "stale")
    (config.parent / "Procfile").write_text(CHAIN_PROCFILE.replace("run a", "run a2"))
    workspace = load_workspace(config.parent)
    assert workspace.stack("chain").description != "stale"
    assert workspace.stack("chain").services["a"].command == "run a2"


def test_an_entry_others_may_write_is_never_unpickled(config: Path) -> None:
    load_workspace(config.parent)
    plant(config, "planted", mode=0o666)
    assert load_workspace(config.parent).stack("chain").description != "planted"


def test_a_broken_entry_is_read_past_and_replaced(config: Path) -> None:
    expected = load_workspace(config.parent)
    cache.entry_path(config).write_bytes(b"not a pickle")
    assert load_workspace(config.parent) == expected
    entry = pickle.loads(cache.entry_path(config).read_bytes())
    assert pickle.loads(entry["workspace"]) == expected


def test_the_run_directory_is_applied_to_a_cached_workspace(
    config: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_workspace(config.parent)
    assert load_workspace(config.parent, run_dir=tmp_path / "a").run_dir.root == tmp_path / "a"
    monkeypatch.setenv("STCOMP_RUN_DIR", str(tmp_path / "b"))
    assert load_workspace(config.parent).run_dir.root == tmp_path / "b"
    monkeypatch.delenv("STCOMP_RUN_DIR")
    assert load_workspace(config.parent).run_dir.root == config.parent / ".stcomp"


def test_an_unwritable_cache_is_no_error(config: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = config.parent / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv(cache.CACHE_ENV, str(blocker / "cache"))
    assert load_workspace(config.parent).stack("chain").timeout == 10.0
    assert not os.path.exists(blocker / "cache")


def test_the_run_directory_is_read_without_the_model(config: Path, tmp_path: Path) -> None:
    """What ``stcomp down`` reads before it asks the supervisor to stop (startstop.stop)."""
    assert cache.run_dir(config) is None  # nothing cached yet
    load_workspace(config.parent)
    assert cache.run_dir(config) == config.parent / ".stcomp"
    config.write_text('run_dir = "elsewhere"\n' + CHAIN)
    assert cache.run_dir(config) is None  # stale: the definition changed
    load_workspace(config.parent)
    assert cache.run_dir(config) == config.parent / "elsewhere"
    script = (
        "import sys; from stcomp.config import cache, locate;"
        f" cache.run_dir(locate.find_config(locate.start_folder({str(config.parent)!r})));"
        " print(sorted(m for m in sys.modules if m.startswith(('stcomp.config', 'dataclasses'))))"
    )
    env = dict(os.environ, STCOMP_CACHE_DIR=os.environ[cache.CACHE_ENV])
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True)
    assert out.stdout.strip() == "['stcomp.config', 'stcomp.config.cache', 'stcomp.config.locate']"
