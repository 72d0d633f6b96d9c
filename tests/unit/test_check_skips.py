"""`stcomp check` against a tenant (AUTH0_DOMAIN set, the local provider skipped): the checks
that need the provider's development logins are reported as skipped, in JSON and JUnit."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from stcomp.check import CheckResult, StackChecker, StackReport
from stcomp.config import parse_workspace
from stcomp.plan import make_plan
from stcomp.reports import to_json, to_junit

REPO = Path(__file__).resolve().parents[2]


def auth0_report(tmp_path: Path, env: dict[str, str]) -> StackReport:
    """What the checker decides for each declared check, before anything runs."""
    workspace = parse_workspace(REPO / "pyproject.toml", run_dir=tmp_path)
    plan = make_plan(workspace, "auth0", base_env=env)
    results = []
    for check in plan.stack.checks:
        reason = StackChecker._skip_reason(plan, check)
        results.append(
            CheckResult(check.name, True, 0.0, reason or "200", skipped=reason is not None)
        )
    return StackReport("auth0", plan.mode, results)


LOGIN_CHECKS = {
    "pong with alice's token",
    "pong-scoped refuses bob (no read:messages)",
    "pong-scoped with alice's token",
}


@pytest.mark.parametrize(
    "domain", ["tenant.us.auth0.com", "https://tenant.eu.auth0.com", "http://localhost:9999"]
)
def test_login_checks_against_a_tenant_are_skipped_in_json_and_junit(
    tmp_path: Path, domain: str
) -> None:
    report = auth0_report(tmp_path, {"AUTH0_DOMAIN": domain})
    skipped = {r.name for r in report.results if r.skipped}
    assert skipped == LOGIN_CHECKS
    assert all("idp" in r.detail for r in report.results if r.skipped)

    data = json.loads(to_json([report]))
    checks = {c["name"]: c for c in data["stacks"][0]["checks"]}
    assert {name for name, c in checks.items() if c["skipped"] is True} == LOGIN_CHECKS
    assert all(c["skipped"] is False for name, c in checks.items() if name not in LOGIN_CHECKS)

    suite = ET.fromstring(to_junit([report])).find("testsuite")
    assert suite is not None
    assert suite.get("skipped") == str(len(LOGIN_CHECKS))
    cases = {c.get("name"): c for c in suite.iter("testcase")}
    for name in LOGIN_CHECKS:
        assert cases[name].find("skipped") is not None


def test_with_the_local_provider_nothing_is_skipped(tmp_path: Path) -> None:
    report = auth0_report(tmp_path, {})
    assert not [r.name for r in report.results if r.skipped]
    suite = ET.fromstring(to_junit([report])).find("testsuite")
    assert suite is not None and suite.get("skipped") == "0"
