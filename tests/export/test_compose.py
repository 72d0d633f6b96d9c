"""The Compose export of every reference stack and of a scaffolded component: valid against
the Compose Specification (check-jsonschema's bundled compose-spec schema, offline), the
expected healthchecks, dependencies and conditions after a YAML round trip, Dockerfiles that
pass hadolint and name every base image by a full version, secrets never written."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from stcomp.config import Workspace
from tests.conftest import stcomp
from tests.export.conftest import REFERENCE_STACKS, export_stack, tool

PINNED_IMAGE = re.compile(r"^[a-z0-9./_-]+(:\d+\.\d+\.\d+[A-Za-z0-9._-]*)?(@sha256:[0-9a-f]{64})?$")


def load(out: Path) -> dict[str, Any]:
    data = yaml.safe_load((out / "compose.yaml").read_text())
    assert isinstance(data, dict)
    return data


def expected_conditions(workspace: Workspace, stack: str) -> dict[str, dict[str, str]]:
    """What each service waits for in release mode, read from the definition on its own:
    'needs' waits until healthy, the looser 'uses' (where the model has it) until started."""
    released = workspace.stack(stack).for_mode(True, workspace.procfile, {})
    found: dict[str, dict[str, str]] = {}
    for svc in released.services.values():
        conditions = {dep: "service_healthy" for dep in svc.needs}
        for dep in getattr(svc, "uses", ()):
            if dep in released.services:
                conditions.setdefault(dep, "service_started")
        found[svc.name] = conditions
    return found


def test_reference_stacks_validate_against_the_compose_specification(
    workspace: Workspace, tmp_path: Path
) -> None:
    files = []
    for stack in REFERENCE_STACKS:
        out = tmp_path / stack
        export_stack(workspace, stack, "compose", out)
        files.append(str(out / "compose.yaml"))
    checked = tool("check-jsonschema", "--builtin-schema", "vendor.compose-spec", *files)
    assert checked.returncode == 0, checked.stdout + checked.stderr


@pytest.mark.parametrize("stack", REFERENCE_STACKS)
def test_compose_round_trip(workspace: Workspace, tmp_path: Path, stack: str) -> None:
    out = tmp_path / "out"
    export_stack(workspace, stack, "compose", out)
    services = load(out)["services"]
    released = workspace.stack(stack).for_mode(True, workspace.procfile, {})
    assert list(services) == [s.name for s in released.ordered()]
    conditions = expected_conditions(workspace, stack)
    for name, svc in released.services.items():
        body = services[name]
        port = workspace.ports[svc.port] if svc.port else None
        path = getattr(svc.probe, "path", None)
        if path is not None:
            test = body["healthcheck"]["test"]
            assert test[0] == "CMD"
            assert f"http://127.0.0.1:{port}{path}" in test[-1]
            assert body["healthcheck"]["start_period"] == f"{workspace.stack(stack).timeout:g}s"
        got = {dep: c["condition"] for dep, c in body.get("depends_on", {}).items()}
        assert got == conditions[name]
        assert body["stop_signal"] == svc.stop_signal.name
        assert body["stop_grace_period"] == f"{svc.grace:g}s"
        if svc.browser or released.open == name:
            assert body["ports"] == [f"${{PUBLISH_ADDRESS:-127.0.0.1}}:{port}:{port}"]
        elif port is not None:
            assert body["expose"] == [str(port)]
        assert (out / body["build"]["dockerfile"].rsplit("/", 1)[-1]).is_file()


def test_reference_stacks_as_they_stand(workspace: Workspace, tmp_path: Path) -> None:
    """Facts of the reference stacks that do not depend on how their waits are spelled."""
    for stack in REFERENCE_STACKS:
        export_stack(workspace, stack, "compose", tmp_path / stack)
    zero = load(tmp_path / "zero")["services"]
    assert list(zero) == ["streamlit"]
    assert "_stcore/health" in zero["streamlit"]["healthcheck"]["test"][-1]
    hero = load(tmp_path / "hero")["services"]
    assert list(hero) == ["streamlit"], "release mode serves the component from Streamlit"
    hero_file = (tmp_path / "hero" / "Dockerfile.streamlit").read_text()
    assert "AS frontend" in hero_file and "COPY --from=frontend /release/ ./" in hero_file
    auth0 = load(tmp_path / "auth0")["services"]
    assert set(auth0) == {"idp", "api", "component", "streamlit"}
    assert "component" in auth0["streamlit"]["depends_on"]
    assert auth0["component"]["healthcheck"]["test"][1] == "node"
    assert auth0["api"]["environment"]["API_URL"] == "http://api:8888"
    component = (tmp_path / "auth0" / "Dockerfile.component").read_text()
    assert "next start -H 0.0.0.0" in component and "next dev" not in component
    assert "npm prune --omit=dev" in component


def test_secrets_are_referenced_never_written(workspace: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "out"
    export_stack(workspace, "auth0", "compose", out)
    stack = workspace.stack("auth0")
    example = (out / ".env.example").read_text().splitlines()
    for service in load(out)["services"].values():
        for name in stack.secrets:
            assert service["environment"][name].startswith(f"${{{name}:?")
    for name in stack.secrets:
        assert f"{name}=" in example
    for name, value in stack.env.items():
        assert f"# {name}={value}" in example
    for line in example:
        if not line.startswith("#") and "=" in line:
            assert line.split("=", 1)[1] == "", f"a value written in .env.example: {line}"
    assert not workspace.run_dir.secrets_file.exists(), "export generated local secrets"
    everything = "".join(p.read_text() for p in out.iterdir() if p.is_file())
    assert not re.search(r"\b[0-9a-f]{64}\b", everything)


def dockerfiles(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("Dockerfile.*") if p.suffix != ".dockerignore")


def check_dockerfiles(files: list[Path]) -> None:
    assert files
    linted = tool("hadolint", *map(str, files))
    assert linted.returncode == 0, linted.stdout + linted.stderr
    for path in files:
        stages: set[str] = set()
        for line in path.read_text().splitlines():
            words = line.split()
            if not words or words[0] != "FROM":
                continue
            image = words[1]
            if image not in stages:
                assert PINNED_IMAGE.match(image), f"{path.name}: {image}"
                assert ":" in image or "@" in image, f"{path.name}: {image} has no version"
                assert "latest" not in image
            if len(words) == 4 and words[2].upper() == "AS":
                stages.add(words[3])


def test_dockerfiles_lint_clean_and_pin_their_images(workspace: Workspace, tmp_path: Path) -> None:
    for stack in REFERENCE_STACKS:
        export_stack(workspace, stack, "compose", tmp_path / stack)
    check_dockerfiles(dockerfiles(tmp_path))


@pytest.mark.parametrize("template", ["html", "next"])
def test_a_scaffolded_component_exports(tmp_path: Path, template: str) -> None:
    ws = tmp_path / "ws"
    made = stcomp(
        "scaffold",
        "widget",
        "--template",
        template,
        "--dir",
        str(ws),
        cwd=tmp_path,
        run_dir=tmp_path / "run",
    )
    assert made.returncode == 0, made.stdout + made.stderr
    done = stcomp("export", "widget", "--format", "compose", cwd=ws, run_dir=tmp_path / "run")
    assert done.returncode == 0, done.stdout + done.stderr
    out = ws / "deploy" / "widget" / "compose"
    checked = tool(
        "check-jsonschema", "--builtin-schema", "vendor.compose-spec", str(out / "compose.yaml")
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    check_dockerfiles(dockerfiles(out))
    services = load(out)["services"]
    streamlit = services["streamlit"]
    assert streamlit["ports"][0].startswith("${PUBLISH_ADDRESS:-127.0.0.1}:"), "open: published"
    assert streamlit["build"]["context"] == "../../.."
    assert "deploy/widget/compose" in (out / ".dockerignore").read_text()
    assert "--server.address 0.0.0.0" in (out / "Dockerfile.streamlit").read_text()
