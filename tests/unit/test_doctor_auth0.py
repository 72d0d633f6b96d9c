"""`stcomp doctor` on the auth0 stack: AUTH0_DOMAIN validated as nextjs-auth0 v4 does (its
``validateDomainHostname``) through the stack's declared ``domains`` requirement, and the local
provider's port left alone when a tenant replaces it."""

from __future__ import annotations

from pathlib import Path

import pytest

from stcomp import doctor
from stcomp.config import Requirement, parse_workspace

REPO = Path(__file__).resolve().parents[2]

#: (domain, words the finding must hold): the SDK's refusals, plus schemes other than https.
REFUSED = [
    ("", "empty"),
    ("   ", "empty"),
    ("localhost", "localhost"),
    ("LOCALHOST", "localhost"),
    ("localhost.example.com", "localhost"),
    ("auth.localhost", "localhost"),
    ("localhost:9010", "port"),
    ("tenant.example.com:8443", "Domain cannot contain ports"),
    ("https://tenant.example.com:443", "port"),
    ("tenant.us.auth0.com:", "port"),
    ("127.0.0.1", "IP address"),
    ("10.0.0.1", "IP address"),
    ("::1", "port"),  # a colon: the SDK's port rule catches IPv6 first
    ("[2001:db8::1]", "port"),
    ("printer.local", ".local"),
    ("auth.corp.local", ".local"),
    ("tenant.example.com/path", "path"),
    ("https://tenant.example.com/v2", "path"),
    ("tenant.example.com?x=1", "path"),
    ("http://tenant.example.com", "plain http"),
    ("HTTP://tenant.example.com", "plain http"),
    ("ftp://tenant.example.com", "ftp://"),
    ("file:///etc/passwd", "file://"),
    ("tenant", "not a DNS name"),
    ("-bad.example.com", "not a DNS name"),
    ("bad_label.example.com", "not a DNS name"),
    ("tenant..example.com", "not a DNS name"),
]
ACCEPTED = [
    "tenant.us.auth0.com",
    "tenant.eu.auth0.com",
    "login.example.com",
    "https://tenant.us.auth0.com",
    "https://tenant.us.auth0.com/",
    " tenant.us.auth0.com ",
    "a-b.c-d.example",
]


@pytest.mark.parametrize(("domain", "words"), REFUSED, ids=[d or "empty" for d, _ in REFUSED])
def test_domains_nextjs_auth0_refuses_are_refused(domain: str, words: str) -> None:
    problem = doctor.domain_problem(domain)
    assert problem is not None and words in problem, problem


@pytest.mark.parametrize("domain", ACCEPTED)
def test_tenant_domains_are_accepted(domain: str) -> None:
    assert doctor.domain_problem(domain) is None


def auth0_requirement() -> Requirement:
    workspace = parse_workspace(REPO / "pyproject.toml", run_dir=REPO / ".stcomp-unit")
    (requirement,) = workspace.stacks["auth0"].requires
    return requirement


TENANT_ENV = {
    "AUTH0_CLIENT_ID": "id",
    "AUTH0_CLIENT_SECRET": "secret",
    "AUTH0_AUDIENCE": "https://api.example.com",
    "AUTH0_SECRET": "x" * 32,
    "APP_BASE_URL": "http://localhost:4010",
}


@pytest.mark.parametrize(("domain", "words"), REFUSED[2:12])
def test_the_auth0_stack_declares_the_domain_check(domain: str, words: str) -> None:
    finding = doctor.check_requirement(auth0_requirement(), {**TENANT_ENV, "AUTH0_DOMAIN": domain})
    assert not finding.ok
    assert "AUTH0_DOMAIN" in finding.detail and words in finding.detail


def test_the_auth0_stack_accepts_a_tenant_and_skips_without_one() -> None:
    requirement = auth0_requirement()
    tenant = {**TENANT_ENV, "AUTH0_DOMAIN": "tenant.us.auth0.com"}
    assert doctor.check_requirement(requirement, tenant).ok
    local = doctor.check_requirement(requirement, {})
    assert local.ok and "local identity provider" in local.detail


def test_the_skipped_providers_port_is_not_checked(tmp_path: Path) -> None:
    workspace = parse_workspace(REPO / "pyproject.toml", run_dir=tmp_path)
    idp_port = workspace.ports["idp"]
    names = lambda env: {f.name for f in doctor._ports(workspace, env)}  # noqa: E731
    assert f"port {idp_port} (idp)" in names({})
    assert f"port {idp_port} (idp)" not in names({"AUTH0_DOMAIN": "tenant.us.auth0.com"})
