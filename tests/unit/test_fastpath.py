"""The typer-free spellings of up and down: what they accept is exactly what the typer commands
would do the same with; everything else goes to typer (None)."""

from __future__ import annotations

from pathlib import Path

import pytest

from stcomp.fastpath import Parsed, parse


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["up", "zero"], Parsed("up", "zero")),
        (["up", "zero", "-d"], Parsed("up", "zero", detach=True)),
        (["up", "-d", "zero", "--release"], Parsed("up", "zero", detach=True, release=True)),
        (
            ["up", "auth0", "-p", "api=9", "--port", "idp=8", "--port=component=7"],
            Parsed("up", "auth0", ports=["api=9", "idp=8", "component=7"]),
        ),
        (["up", "x", "--run-dir", "/r"], Parsed("up", "x", run_dir=Path("/r"))),
        (["up", "x", "--run-dir=/r"], Parsed("up", "x", run_dir=Path("/r"))),
        (["down"], Parsed("down")),
        (["down", "hero", "--run-dir", "r"], Parsed("down", "hero", run_dir=Path("r"))),
    ],
)
def test_plain_spellings(argv: list[str], expected: Parsed) -> None:
    assert parse(argv) == expected


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["status"],
        ["up"],  # typer says the stack is missing
        ["up", "--help"],
        ["up", "zero", "--help"],
        ["up", "zero", "hero"],
        ["up", "zero", "-p"],
        ["up", "zero", "-p", "--release"],
        ["up", "zero", "-dp", "a=1"],
        ["up", "zero", "--bogus"],
        ["down", "-d"],
        ["down", "--release"],
        ["down", "--port", "a=1"],
        ["down", "a", "b"],
        ["down", "--run-dir"],
    ],
)
def test_everything_else_goes_to_typer(argv: list[str]) -> None:
    assert parse(argv) is None
