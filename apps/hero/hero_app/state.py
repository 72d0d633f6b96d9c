"""The Hero host's session state: login token, status line, event report, queued toasts."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

_KEY = "hero_state"
_MAX_CELL = 120


def summarize(value: Any) -> str:
    """A short one-line text for a JSON-like value (report cells, status lines)."""
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True, default=repr)
    return text if len(text) <= _MAX_CELL else text[: _MAX_CELL - 1] + "…"


def _code(text: str) -> str:
    """Markdown inline code: st.table renders its cells as Markdown."""
    return "`" + text.replace("`", "'") + "`"


@dataclass
class HeroState:
    token: bool = False
    status: str = "Waiting for the first event from the component"
    report: list[dict[str, str]] = field(default_factory=list)
    toasts: list[str] = field(default_factory=list)
    debug: bool = False
    runs: int = 0
    changed: bool = False

    def record(self, event: str, data: Any, result: Any) -> None:
        """Add a row to the event report and note that the component needs fresh props."""
        self.report.append(
            {
                "No.": str(len(self.report) + 1),
                "event": event,
                "data": _code(summarize(data)),
                "result": _code(summarize(result)),
            }
        )
        self.changed = True

    def take_changed(self) -> bool:
        """Whether an event changed the state since the last call (then resets the flag)."""
        changed, self.changed = self.changed, False
        return changed

    def take_toasts(self) -> list[str]:
        toasts, self.toasts = self.toasts, []
        return toasts

    def status_line(self) -> str:
        return f"{self.status} (host run {self.runs})"


def current() -> HeroState:
    """This session's state, created on first use."""
    if _KEY not in st.session_state:
        st.session_state[_KEY] = HeroState()
    hero_state: HeroState = st.session_state[_KEY]
    return hero_state
