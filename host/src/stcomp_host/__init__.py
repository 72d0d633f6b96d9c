"""Host side of a stcomp component: declare a v1 component and dispatch the events it sends.

A component sends its value as an *event envelope* ``{"event": name, "data": payload, "id":
unique}``. Streamlit keeps a component's last value across reruns, so the host remembers the
last envelope it handled and dispatches each new one exactly once.

This module imports Streamlit; the stcomp CLI never imports it. It ships twice, kept
byte-identical by a test: as the ``stcomp-host`` distribution (``stcomp_host``), and as
``stcomp/templates/_shared/_host.py``, which ``stcomp scaffold`` copies into each component it
makes (``<package>/_host.py``), so that a component depends on Streamlit alone.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import streamlit as st
from streamlit.components.v1 import declare_component

ComponentFunc = Callable[..., Any]
Handler = Callable[[Any], Any]
ErrorHandler = Callable[[str], Any]

RELEASE_ENV = "STCOMP_RELEASE"
ERROR_EVENT = "onError"
_RESERVED_PROPS = frozenset({"key", "default"})
_STATE_PREFIX = "_stcomp_host:"


def is_release() -> bool:
    """True when components must be served from their static build (``STCOMP_RELEASE=1``)."""
    return os.environ.get(RELEASE_ENV) == "1"


def declare(name: str, *, build_dir: Path | None, dev_url: str | None = None) -> ComponentFunc:
    """Declare a v1 component served from ``dev_url`` in dev mode, else from ``build_dir``.

    Release mode (``STCOMP_RELEASE=1``) or no ``dev_url`` serves the static files in
    ``build_dir``, which must be absolute (resolve it from the caller's ``__file__``: Streamlit
    resolves a relative path against the working directory). ``build_dir=None`` means the
    component is always served by its own server at ``dev_url`` (a front end with server-side
    routes, e.g. ``next start`` in release mode). Streamlit names the component after this
    module: ``stcomp_host.<name>``, or ``<package>._host.<name>`` for a scaffolded component's
    copy; that is also its iframe title and its path under ``/component/``.
    """
    if build_dir is None:
        if not dev_url:
            raise ValueError(f"component {name!r} needs dev_url when it has no build_dir")
        return declare_component(name, url=dev_url)
    if is_release() or not dev_url:
        if not build_dir.is_absolute():
            raise ValueError(
                f"build_dir for component {name!r} must be absolute, got {str(build_dir)!r}; "
                "resolve it from __file__"
            )
        return declare_component(name, path=str(build_dir))
    return declare_component(name, url=dev_url)


def envelope_fingerprint(value: Any) -> str:
    """What identifies a component value: its envelope id, or the whole value when malformed."""
    if isinstance(value, Mapping) and isinstance(value.get("id"), str | int):
        return f"id:{value['id']}"
    return "value:" + json.dumps(value, sort_keys=True, default=repr)


def envelope_problem(value: Any) -> str | None:
    """Why ``value`` is not a valid event envelope, or None when it is one."""
    if not isinstance(value, Mapping):
        return f"expected an object {{event, data, id}}, got {type(value).__name__}"
    event = value.get("event")
    if not isinstance(event, str) or not event:
        return "its 'event' is missing or not a non-empty string"
    event_id = value.get("id")
    if isinstance(event_id, bool) or not isinstance(event_id, str | int) or event_id == "":
        return f"event {event!r} has no 'id' (a unique string per event)"
    return None


class ComponentHost:
    """Render one component under a stable key and dispatch its events to handlers.

    ``events`` maps event names to handlers receiving the event's ``data``. An event that is
    not subscribed, or a value that is not an envelope, goes to ``on_error`` (else to
    ``events["onError"]``, else it is shown with ``st.error``) as a message string.
    """

    def __init__(
        self,
        component: ComponentFunc,
        *,
        key: str,
        events: Mapping[str, Handler],
        on_error: ErrorHandler | None = None,
    ) -> None:
        if not key:
            raise ValueError("ComponentHost needs a non-empty key (it keeps the iframe mounted)")
        self._component = component
        self._key = key
        self._events = dict(events)
        self._on_error = on_error

    @property
    def key(self) -> str:
        return self._key

    @property
    def _state(self) -> dict[str, Any]:
        state_key = _STATE_PREFIX + self._key
        if state_key not in st.session_state:
            st.session_state[state_key] = {"handled": None, "result": None, "event": None}
        state: dict[str, Any] = st.session_state[state_key]
        return state

    @property
    def last_result(self) -> Any:
        """What the handler of the last dispatched event returned (None before any event)."""
        return self._state["result"]

    @property
    def last_event(self) -> dict[str, Any] | None:
        """The last envelope dispatched to a subscribed handler."""
        event: dict[str, Any] | None = self._state["event"]
        return event

    def render(self, **props: Any) -> Any:
        """Render with ``props`` as the component's args, dispatch a new event, and return the
        last handler result."""
        reserved = _RESERVED_PROPS.intersection(props)
        if reserved:
            raise ValueError(f"props {sorted(reserved)} are reserved by Streamlit components")
        value = self._component(**props, key=self._key, default=None)
        if value is not None:
            self._dispatch(value)
        return self.last_result

    def _dispatch(self, value: Any) -> None:
        state = self._state
        fingerprint = envelope_fingerprint(value)
        if fingerprint == state["handled"]:
            return
        # Mark first: a handler that raises must not run again on the next rerun.
        state["handled"] = fingerprint
        problem = envelope_problem(value)
        if problem is not None:
            self._report(f"component {self._key!r} sent a malformed value: {problem}")
            return
        event: str = value["event"]
        data = value.get("data")
        handler = self._events.get(event)
        if handler is not None:
            state["event"] = dict(value)
            state["result"] = handler(data)
        elif event == ERROR_EVENT:
            self._report(f"component {self._key!r} reported an error: {data}")
        else:
            subscribed = ", ".join(sorted(self._events)) or "none"
            self._report(
                f"component {self._key!r} sent event {event!r}, which is not subscribed "
                f"(subscribed: {subscribed})"
            )

    def _report(self, message: str) -> None:
        if self._on_error is not None:
            self._on_error(message)
        elif ERROR_EVENT in self._events:
            self._events[ERROR_EVENT](message)
        else:
            st.error(message)
