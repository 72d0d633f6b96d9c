"""Smoke checks for CI: bring a stack up on free ports, check it, tear it down.

A check run never touches a running dev stack: every port is a free one and the run directory
is a temporary folder. Checks per stack, each timed:
  - every service ready (its probe), with its ready time;
  - the Streamlit script runs without an exception (Streamlit's script health check);
  - the stack's own HTTP checks from its definition (optionally with a development user's
    token, obtained as declared in the stack's ``[login]`` table);
  - with ``browser``: a headless Chromium round trip through each component.
"""

from __future__ import annotations

import http.client
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from .config import HttpCheck, Workspace
from .errors import ServiceFailed
from .plan import Plan, make_plan
from .ports import free_port
from .probes import HttpProbe
from .rundir import RunDir
from .runner import prepare
from .supervisor import Supervisor

STREAMLIT_HEALTH = "/_stcore/health"


@dataclass
class CheckResult:
    name: str
    ok: bool
    seconds: float
    detail: str = ""
    skipped: bool = False


@dataclass
class StackReport:
    stack: str
    mode: str
    results: list[CheckResult] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.results) and all(r.ok or r.skipped for r in self.results)

    @property
    def seconds(self) -> float:
        return round(sum(r.seconds for r in self.results), 3)


def http_get(url_port: int, path: str, token: str | None = None) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", url_port, timeout=30)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        return response.status, response.read(300).decode(errors="replace")
    finally:
        conn.close()


class StackChecker:
    def __init__(
        self,
        workspace: Workspace,
        stack: str,
        *,
        browser: bool = False,
        timeout: float | None = None,
        release: bool = False,
        stop: threading.Event | None = None,
        on_result: Callable[[CheckResult], None] = lambda r: None,
    ) -> None:
        self.workspace = workspace
        self.stack = workspace.stack(stack)
        self.browser = browser
        self.timeout = timeout
        self.release = release
        self.stop = stop or threading.Event()
        self.on_result = on_result
        self.report = StackReport(stack, "release" if release else "dev")
        self.tokens: dict[str, str] = {}

    def run(self) -> StackReport:
        run_dir = Path(tempfile.mkdtemp(prefix=f"stcomp-check-{self.stack.name}-"))
        try:
            plan = self._plan(run_dir)
            supervisor = Supervisor(plan, stop_event=self.stop)
            began = time.monotonic()
            try:
                prepare(plan)
                supervisor.start()
            except ServiceFailed as exc:
                detail = f"{exc}" + "".join(f"\n  {line}" for line in exc.log_tail[-5:])
                self._add(CheckResult("start", False, time.monotonic() - began, detail))
                return self.report
            try:
                self._checks(plan, supervisor)
            finally:
                supervisor.stop()
        finally:
            shutil.rmtree(run_dir, ignore_errors=True)
        return self.report

    def _plan(self, run_dir: Path) -> Plan:
        workspace = replace(self.workspace, run_dir=RunDir(run_dir))
        if self.timeout:
            stack = replace(self.stack, timeout=self.timeout)
            workspace = replace(workspace, stacks={**workspace.stacks, stack.name: stack})
        env = dict(
            os.environ,
            STREAMLIT_SERVER_SCRIPT_HEALTH_CHECK_ENABLED="true",
            STREAMLIT_SERVER_FILE_WATCHER_TYPE="none",
        )
        ports = {key: free_port() for key in workspace.ports}
        return make_plan(
            workspace, self.stack.name, release=self.release, port_overrides=ports, base_env=env
        )

    def _add(self, result: CheckResult) -> None:
        result.seconds = round(result.seconds, 3)
        self.report.results.append(result)
        self.on_result(result)

    def _timed(self, name: str, fn: Callable[[], tuple[bool, str]]) -> None:
        began = time.monotonic()
        try:
            ok, detail = fn()
        except Exception as exc:
            ok, detail = False, f"{type(exc).__name__}: {exc}"
        self._add(CheckResult(name, ok, time.monotonic() - began, detail))

    def _checks(self, plan: Plan, supervisor: Supervisor) -> None:
        for name, rec in supervisor.record.services.items():
            self._add(CheckResult(f"ready: {name}", True, rec.ready_after or 0.0, rec.url or ""))
        streamlit = [
            s
            for s in plan.stack.ordered()
            if isinstance(s.probe, HttpProbe) and s.probe.path == STREAMLIT_HEALTH
        ]
        for svc in streamlit:
            port = plan.port_of(svc.name)
            assert port is not None
            self._timed(f"script runs: {svc.name}", lambda p=port: _script_health(p))
        for check in plan.stack.checks:
            reason = self._skip_reason(plan, check)
            if reason:
                self._add(CheckResult(check.name, True, 0.0, reason, skipped=True))
                continue
            self._timed(check.name, lambda c=check: self._http_check(plan, c))
        if self.browser and plan.stack.open:
            url = f"http://localhost:{plan.port_of(plan.stack.open)}"
            self._timed("browser round trip", lambda: (True, _round_trip(url)))

    @staticmethod
    def _skip_reason(plan: Plan, check: HttpCheck) -> str | None:
        if check.mode not in (None, plan.mode):
            return f"{check.mode} mode only"
        if check.service not in plan.stack.services:
            return f"service '{check.service}' does not run in this configuration"
        login = plan.stack.login
        if check.login and (login is None or login.service not in plan.stack.services):
            issuer = login.service if login else "?"
            return f"needs development logins from service '{issuer}', which does not run here"
        return None

    def _http_check(self, plan: Plan, check: HttpCheck) -> tuple[bool, str]:
        token = self._token(plan, check.login) if check.login else None
        port = plan.port_of(check.service)
        assert port is not None
        return _expect(http_get(port, check.path, token), check.status)

    def _token(self, plan: Plan, user: str) -> str:
        if user not in self.tokens:
            from .devlogin import LoginRequest, access_token

            login = plan.stack.login
            assert login is not None
            request = LoginRequest(
                issuer_url=plan.url_of(login.service) or "",
                client_id=plan.expand(login.client_id, "[login] client_id"),
                redirect_uri=plan.expand(login.redirect_uri, "[login] redirect_uri"),
                audience=plan.expand(login.audience, "[login] audience")
                if login.audience
                else None,
                scope=login.scope,
                fields=login.fields,
            )
            self.tokens[user] = access_token(request, user)
        return self.tokens[user]


def _expect(answer: tuple[int, str], status: int) -> tuple[bool, str]:
    got, body = answer
    detail = f"{got} {' '.join(body.split())[:80]}".strip()
    return got == status, detail if got == status else f"expected {status}, got {detail}"


def _script_health(port: int) -> tuple[bool, str]:
    status, body = http_get(port, "/_stcore/script-health-check")
    return status == 200, f"{status} {body.strip()[:200]}"


def _round_trip(url: str) -> str:
    from .browser import component_round_trip

    return component_round_trip(url)
