"""Stack definitions: what is accepted, and bad input named by file and key."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from stcomp.config import load_workspace, parse_workspace
from stcomp.errors import ConfigError, UsageError

from ..fakes import CHAIN, CHAIN_PROCFILE, write_workspace


def test_the_repository_definitions_are_valid() -> None:
    workspace = load_workspace(Path(__file__).parents[3])
    assert "zero" in workspace.stacks
    assert workspace.ports["streamlit"] == 4010
    zero = workspace.stack("zero").services["streamlit"]
    assert str(zero.probe) == "GET /_stcore/health"


def test_a_chain_is_ordered_by_needs(tmp_path: Path) -> None:
    workspace = parse_workspace(write_workspace(tmp_path, CHAIN, CHAIN_PROCFILE))
    stack = workspace.stack("chain")
    order = [s.name for s in stack.ordered()]
    assert order.index("a") < order.index("b") < order.index("d")
    assert order.index("c") < order.index("d")
    assert stack.services["a"].stop_signal == signal.SIGTERM
    assert stack.services["a"].command == "run a"


def test_unknown_stack_lists_the_known_ones(tmp_path: Path) -> None:
    workspace = parse_workspace(write_workspace(tmp_path, CHAIN, CHAIN_PROCFILE))
    with pytest.raises(UsageError) as err:
        workspace.stack("nope")
    assert "unknown stack 'nope'" in str(err.value)
    assert "chain" in str(err.value)
    assert err.value.exit_code == 2


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ('port = "b"\nneeds = ["a"]', None),
        ('port = "b"\nneeds = ["zz"]', "key 'needs': unknown service 'zz'"),
        ('port = "b"\nprobe = "ftp"', "key 'probe': 'ftp' is not a probe"),
        ('port = "nope"', "key 'port': unknown port 'nope'"),
        ('port = "b"\nstop_signal = "SIGNOPE"', "unknown signal 'SIGNOPE'"),
        ('port = "b"\ngrace = -1', "key 'grace': expected a positive number"),
        ('port = "b"\nprocess = "ghost"', "no Procfile entry 'ghost'"),
        ('port = "b"\ncolour = "red"', "unknown key 'colour'"),
        ('probe = "tcp"', "probe 'tcp' needs a 'port'"),
        ('port = "b"\nneeds = ["d"]', "cycle"),
    ],
)
def test_malformed_service_definitions_name_file_and_key(
    tmp_path: Path, change: str, expected: str | None
) -> None:
    toml = CHAIN.replace(
        '[stacks.chain.services.b]\nport = "b"\nneeds = ["a"]',
        f"[stacks.chain.services.b]\n{change}",
    )
    path = write_workspace(tmp_path, toml, CHAIN_PROCFILE)
    if expected is None:
        parse_workspace(path)
        return
    with pytest.raises(ConfigError) as err:
        parse_workspace(path)
    assert str(path) in str(err.value)
    assert "stacks.chain.services.b" in str(err.value) or "cycle" in str(err.value)
    assert expected in str(err.value)


def test_invalid_toml_and_missing_procfile(tmp_path: Path) -> None:
    path = write_workspace(tmp_path, "[stacks\n", CHAIN_PROCFILE)
    with pytest.raises(ConfigError, match="not valid TOML"):
        parse_workspace(path)
    path = write_workspace(tmp_path, CHAIN, CHAIN_PROCFILE)
    (tmp_path / "Procfile").unlink()
    with pytest.raises(ConfigError, match="no Procfile"):
        parse_workspace(path)


def test_no_workspace_says_how_to_make_one(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as err:
        load_workspace(tmp_path)
    assert "no stcomp workspace" in str(err.value)
    assert "scaffold" in str(err.value)


def test_release_mode_drops_and_replaces_services(tmp_path: Path) -> None:
    toml = CHAIN.replace(
        '[stacks.chain.services.b]\nport = "b"',
        '[stacks.chain.services.b]\nport = "b"\nrelease = false',
    )
    toml = toml.replace(
        '[stacks.chain.services.c]\nport = "c"',
        '[stacks.chain.services.c]\nport = "c"\nrelease = "c-release"',
    )
    workspace = parse_workspace(
        write_workspace(tmp_path, toml, CHAIN_PROCFILE + "c-release: serve c\n")
    )
    stack = workspace.stack("chain").for_mode(True, workspace.procfile)
    assert set(stack.services) == {"a", "c", "d"}
    assert stack.services["c"].command == "serve c"
    assert stack.services["d"].needs == ("c",)


def test_a_service_is_skipped_when_its_unless_variable_is_set(tmp_path: Path) -> None:
    toml = CHAIN.replace(
        '[stacks.chain.services.a]\nport = "a"',
        '[stacks.chain.services.a]\nport = "a"\nunless = "REMOTE_A"',
    )
    workspace = parse_workspace(write_workspace(tmp_path, toml, CHAIN_PROCFILE))
    stack = workspace.stack("chain")
    assert "a" in stack.for_mode(False, workspace.procfile, {}).services
    assert "a" in stack.for_mode(False, workspace.procfile, {"REMOTE_A": ""}).services
    remote = stack.for_mode(False, workspace.procfile, {"REMOTE_A": "tenant.example"})
    assert "a" not in remote.services
    assert remote.services["b"].needs == ()


@pytest.mark.parametrize(
    ("toml", "expected", "hint"),
    [
        ("[stacks.chain]\ntimout = 60\n", "[stacks.chain] unknown key 'timout'", "'timeout'"),
        ("[ports]\nw = true\n", "[ports] key 'w': expected a whole number, got true", None),
        ("[ports]\nw = 70000\n", "[ports] key 'w': expected a whole number <= 65535", None),
        ('[stacks.chain.services.a]\nprobbe = "tcp"\n', "unknown key 'probbe'", "'probe'"),
        ('[[stacks.chain.checks]]\nservce = "a"\n', "[stacks.chain.checks[0]]", "'service'"),
        ('[stacks.chain.services.a]\nrestart = "sometimes"\n', "key 'restart'", None),
        ('[stacks.chain.services.b]\nuses = ["zz"]\n', "key 'uses': unknown service 'zz'", None),
        ("[ports]\nd = 7001\n", "services 'a' and 'd' both use port 7001", None),
    ],
)
def test_every_mistake_names_file_table_and_key(
    tmp_path: Path, toml: str, expected: str, hint: str | None
) -> None:
    merged = _merge(CHAIN, toml)
    path = write_workspace(tmp_path, merged, CHAIN_PROCFILE)
    with pytest.raises(ConfigError) as err:
        parse_workspace(path)
    assert str(path) in err.value.message and expected in err.value.message
    if hint:
        assert err.value.hint is not None and hint in err.value.hint
    assert "\n" not in err.value.message


def _merge(base: str, extra: str) -> str:
    """Add ``extra``'s keys to the tables of ``base`` that have the same header."""
    import tomllib

    def deep(into: dict[str, object], more: dict[str, object]) -> None:
        for key, value in more.items():
            if isinstance(value, dict) and isinstance(into.get(key), dict):
                deep(into[key], value)  # type: ignore[arg-type]
            elif isinstance(value, list) and isinstance(into.get(key), list):
                into[key] = [*into[key], *value]  # type: ignore[misc]
            else:
                into[key] = value

    data = tomllib.loads(base)
    deep(data, tomllib.loads(extra))
    return _dump(data)


def _dump(data: dict[str, object], prefix: str = "") -> str:
    import json

    lines, tables = [], []
    for key, value in data.items():
        if isinstance(value, dict):
            tables.append((key, value))
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            for item in value:
                lines.append(f"[[{prefix}{key}]]\n" + _dump(item))
        else:
            lines.append(f"{key} = {json.dumps(value)}\n")
    out = "".join(lines)
    for key, value in tables:
        out += f"[{prefix}{key}]\n" + _dump(value, f"{prefix}{key}.")
    return out
