"""The published JSON Schema is the one generated from the configuration model."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from stcomp.config.schema import json_schema

from ..fakes import CHAIN

REPO = Path(__file__).resolve().parents[3]
PUBLISHED = REPO / "docs" / "stcomp.schema.json"


def test_the_committed_schema_matches_the_model() -> None:
    assert json.loads(PUBLISHED.read_text()) == json_schema(), (
        "docs/stcomp.schema.json is stale: run 'stcomp schema > docs/stcomp.schema.json'"
    )


def test_the_repository_definitions_validate_against_it() -> None:
    import tomllib

    table = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["stcomp"]
    jsonschema.validate(table, json_schema())
    jsonschema.validate(tomllib.loads(CHAIN), json_schema())


@pytest.mark.parametrize(
    "bad",
    [
        {"stacks": {"s": {"timout": 1, "services": {"a": {}}}}},
        {"ports": {"w": True}},
        {"ports": {"w": 70000}},
        {"stacks": {"s": {"services": {}}}},
    ],
)
def test_editors_see_the_same_mistakes_stcomp_refuses(bad: dict[str, object]) -> None:
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, json_schema())
