"""CI reports of `stcomp check`: JSON and JUnit XML."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from stcomp.check import CheckResult, StackReport
from stcomp.reports import to_json, to_junit, write_junit


def reports() -> list[StackReport]:
    good = StackReport("zero", "dev", [CheckResult("ready: streamlit", True, 0.5, "http://x")])
    mixed = StackReport(
        "auth0",
        "release",
        [
            CheckResult("ping", True, 0.01, "200"),
            CheckResult("pong", False, 0.2, "expected 200, got 401\nmore"),
            CheckResult("login", True, 0.0, "needs the provider", skipped=True),
        ],
    )
    return [good, mixed]


def test_json_says_which_stack_failed_and_keeps_skips_apart() -> None:
    data = json.loads(to_json(reports()))
    assert data["ok"] is False
    zero, auth0 = data["stacks"]
    assert zero["ok"] is True and zero["seconds"] == 0.5
    assert auth0["ok"] is False
    assert [c["skipped"] for c in auth0["checks"]] == [False, False, True]


def test_junit_counts_failures_and_skips(tmp_path: Path) -> None:
    path = tmp_path / "out" / "check.xml"
    write_junit(reports(), path)
    root = ET.parse(path).getroot()
    assert root.tag == "testsuites"
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    auth0 = suites["auth0 (release)"]
    assert (auth0.get("tests"), auth0.get("failures"), auth0.get("skipped")) == ("3", "1", "1")
    cases = {c.get("name"): c for c in auth0.iter("testcase")}
    failure = cases["pong"].find("failure")
    assert failure is not None and failure.get("message") == "expected 200, got 401"
    assert cases["login"].find("skipped") is not None
    assert suites["zero (dev)"].get("failures") == "0"
    assert to_junit([]).startswith("<?xml")
