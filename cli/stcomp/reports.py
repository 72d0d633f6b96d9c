"""Check reports for CI systems: JSON and JUnit XML, with per-check timings."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import asdict
from pathlib import Path

from .check import StackReport
from .files import write_atomic


def to_json(reports: list[StackReport]) -> str:
    return json.dumps(
        {
            "ok": all(r.ok for r in reports),
            "stacks": [
                {
                    "stack": r.stack,
                    "mode": r.mode,
                    "ok": r.ok,
                    "seconds": r.seconds,
                    "checks": [asdict(c) for c in r.results],
                }
                for r in reports
            ],
        },
        indent=2,
    )


def to_junit(reports: list[StackReport]) -> str:
    suites = ET.Element("testsuites", name="stcomp check")
    for report in reports:
        failures = sum(1 for c in report.results if not c.ok and not c.skipped)
        suite = ET.SubElement(
            suites,
            "testsuite",
            name=f"{report.stack} ({report.mode})",
            tests=str(len(report.results)),
            failures=str(failures),
            skipped=str(sum(1 for c in report.results if c.skipped)),
            time=f"{report.seconds:.3f}",
        )
        for check in report.results:
            case = ET.SubElement(
                suite,
                "testcase",
                classname=f"stcomp.{report.stack}",
                name=check.name,
                time=f"{check.seconds:.3f}",
            )
            if check.skipped:
                ET.SubElement(case, "skipped", message=check.detail)
            elif not check.ok:
                ET.SubElement(
                    case,
                    "failure",
                    message=check.detail.splitlines()[0] if check.detail else "failed",
                ).text = check.detail
            elif check.detail:
                ET.SubElement(case, "system-out").text = check.detail
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


def write_junit(reports: list[StackReport], path: Path) -> None:
    write_atomic(path, to_junit(reports))
