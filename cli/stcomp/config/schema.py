"""The file format of stack definitions: ``[tool.stcomp]`` in pyproject.toml, or a stcomp.toml.

These typed structures are what a definition may contain, with what each key means. They are
decoded strictly (an unknown key is an error), and the JSON Schema that editors use for
completion and checking is generated from them (``stcomp schema``), so the two cannot differ.
Cross-references (a Procfile entry, a port name, a service) are checked afterwards in parse.py.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec
from msgspec import Meta

Positive = Annotated[float, Meta(gt=0)]
PortNumber = Annotated[int, Meta(ge=1, le=65535, description="A TCP port, 1 to 65535.")]
Name = Annotated[str, Meta(min_length=1)]


def _doc(text: str) -> Meta:
    return Meta(description=text)


class ServiceSpec(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """One process of a stack."""

    process: Annotated[str | None, _doc("Its Procfile entry [default: the service's name].")] = None
    port: Annotated[str | None, _doc("The name of its port in [ports].")] = None
    probe: Annotated[
        str | None,
        _doc(
            "How readiness is noticed: 'http:/PATH' (or 'GET /PATH'), 'tcp' or 'none'"
            " [default: 'http:/' with a port, else 'none']."
        ),
    ] = None
    needs: Annotated[list[Name], _doc("Services that must be ready before this one starts.")] = (
        msgspec.field(default_factory=list)
    )
    uses: Annotated[
        list[Name],
        _doc(
            "Services it talks to only once running: they start beside it, the stack is ready"
            " when all are, and they stop together."
        ),
    ] = msgspec.field(default_factory=list)
    restart: Annotated[
        Literal["no", "on-failure", "always"],
        _doc("When it exits (or stops answering) after start-up: start it again?"),
    ] = "no"
    max_restarts: Annotated[
        int, Meta(ge=0), _doc("Restarts in one run before the stack fails.")
    ] = 5
    stop_signal: Annotated[str, _doc("The signal that asks it to stop, e.g. SIGTERM, SIGINT.")] = (
        "SIGTERM"
    )
    grace: Annotated[Positive, _doc("Seconds between the stop signal and SIGKILL.")] = 5.0
    release: Annotated[
        bool | str,
        _doc(
            "In release mode: true runs the same process, false skips the service, a string"
            " names the Procfile entry to run instead."
        ),
    ] = True
    unless: Annotated[
        str | None,
        _doc("An environment variable that, when set and not empty, means it is not needed."),
    ] = None
    browser: Annotated[
        bool,
        _doc(
            "A browser talks to it directly: its URL uses the host name 'localhost' (cookies,"
            " OAuth redirects); other services' URLs use 127.0.0.1."
        ),
    ] = False


class CheckSpec(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """An HTTP smoke check that `stcomp check` runs once the stack is ready."""

    name: Annotated[str | None, _doc("Its name in reports [default: GET PATH on SERVICE].")] = None
    service: Annotated[Name, _doc("The service to ask.")]
    path: Annotated[str, _doc("The path to GET.")] = "/"
    status: Annotated[int, Meta(ge=100, le=599), _doc("The expected HTTP status.")] = 200
    login: Annotated[
        str | None, _doc("Send a bearer token of this development user (see [login]).")
    ] = None
    mode: Annotated[
        Literal["dev", "release"] | None, _doc("Only in this mode [default: both].")
    ] = None


class LoginSpec(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """How `stcomp check` signs a development user in to get an access token: the OAuth
    authorization code flow with PKCE through the identity provider's login form.
    Values may use ${VARIABLE} from the stack's environment (ports and URLs included)."""

    service: Annotated[Name, _doc("The service that issues tokens (OIDC discovery at its URL).")]
    client_id: Annotated[Name, _doc("A public client of that provider.")]
    redirect_uri: Annotated[Name, _doc("A redirect URI registered for that client.")]
    audience: Annotated[str | None, _doc("The API audience to ask for.")] = None
    scope: Annotated[str, _doc("The scopes to ask for.")] = "openid"
    fields: Annotated[
        dict[str, str],
        _doc(
            "What to fill into the login form; {user} is the user's name. Hidden fields are kept."
        ),
    ] = msgspec.field(default_factory=lambda: {"user": "{user}"})


class RequirementSpec(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """Settings that `stcomp doctor` (and `stcomp up`) checks for a stack."""

    name: Annotated[Name, _doc("What is checked, e.g. 'Auth0 settings'.")]
    when: Annotated[
        str | None, _doc("Checked only when this environment variable is set and not empty.")
    ] = None
    note: Annotated[str, _doc("Shown when `when` is unset.")] = ""
    env: Annotated[list[Name], _doc("Variables that must be set.")] = msgspec.field(
        default_factory=list
    )
    urls: Annotated[
        list[Name], _doc("Variables that, when set, must be http:// or https:// URLs.")
    ] = msgspec.field(default_factory=list)
    domains: Annotated[
        list[Name],
        _doc(
            "Variables that must be a DNS name (optionally https://), without a port, path or"
            " IP address: what Auth0's SDKs accept as a tenant domain."
        ),
    ] = msgspec.field(default_factory=list)
    hint: Annotated[str, _doc("What to do when it fails.")] = ""


class StackSpec(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """A stack: the services that run together, and how to check and build them."""

    description: str = ""
    services: Annotated[dict[Name, ServiceSpec], Meta(min_length=1)]
    open: Annotated[str | None, _doc("The service whose URL to open in a browser.")] = None
    timeout: Annotated[Positive, _doc("Seconds for every service to become ready.")] = 90.0
    frontend: Annotated[str | None, _doc("The front end's folder (npm ci runs there).")] = None
    package: Annotated[
        str | None,
        _doc(
            "The component's Python project folder (with a pyproject.toml): what"
            " `stcomp package` builds. When it declares v2 components, `stcomp up` installs it"
            " in editable mode first (Streamlit finds their assets only in installed packages)."
        ),
    ] = None
    build: Annotated[str | None, _doc("The release build's shell command.")] = None
    artifact: Annotated[str | None, _doc("A file or folder the release build makes.")] = None
    secrets: Annotated[
        list[Name], _doc("Variables generated once per run directory when unset (mode 0600).")
    ] = msgspec.field(default_factory=list)
    env: Annotated[
        dict[Name, str],
        _doc("Environment of every service; the shell and the .env file override it."),
    ] = msgspec.field(default_factory=dict)
    checks: list[CheckSpec] = msgspec.field(default_factory=list)
    login: LoginSpec | None = None
    requires: list[RequirementSpec] = msgspec.field(default_factory=list)


class WorkspaceSpec(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """The stcomp workspace: [tool.stcomp] of pyproject.toml, or the top level of stcomp.toml."""

    procfile: Annotated[str, _doc("The Procfile, relative to this file.")] = "Procfile"
    env_file: Annotated[str, _doc("The .env file, relative to this file.")] = ".env"
    run_dir: Annotated[str, _doc("Run directory for state and logs.")] = ".stcomp"
    log_size_mb: Annotated[
        Positive,
        _doc("A service's log file is rotated (to <file>.1) past this size, in megabytes."),
    ] = 10.0
    ports: Annotated[dict[Name, PortNumber], _doc("Port names and their default numbers.")] = (
        msgspec.field(default_factory=dict)
    )
    stacks: dict[Name, StackSpec] = msgspec.field(default_factory=dict)


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a stcomp.toml (and of pyproject.toml's [tool.stcomp] table)."""
    schema = msgspec.json.schema(WorkspaceSpec)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "stcomp workspace"
    return schema
