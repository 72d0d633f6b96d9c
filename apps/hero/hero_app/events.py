"""Handlers for the events the Hero component sends (see docs/CONTRACTS.md).

Each handler receives the event's `data`, updates the session state and returns a result,
which reaches the component through the `status` prop on the next run.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from . import state

Action = Callable[[Mapping[str, Any]], Any]


def _mapping(data: Any) -> Mapping[str, Any] | None:
    return data if isinstance(data, Mapping) else None


def on_status_update(data: Any) -> dict[str, Any]:
    """{token, message}: the component logged in or out, or tried a guess."""
    hero = state.current()
    payload = _mapping(data)
    if payload is None or not isinstance(payload.get("token"), bool):
        return _error(f"onStatusUpdate needs {{token: bool, message}}, got {data!r}")
    hero.token = payload["token"]
    message = str(payload.get("message", ""))
    hero.status = message or ("Logged in" if hero.token else "Logged out")
    result = {"token": hero.token}
    hero.record("onStatusUpdate", data, result)
    return result


def _notify(props: Mapping[str, Any]) -> dict[str, str]:
    message = str(props.get("message") or "Notification from the component")
    state.current().toasts.append(message)
    return {"shown": message}


def _echo(props: Mapping[str, Any]) -> dict[str, Any]:
    return dict(props)


ACTIONS: dict[str, Action] = {"notify": _notify, "echo": _echo}


def on_action_request(data: Any) -> Any:
    """{action, props}: perform one of ACTIONS and report its result in the status line."""
    hero = state.current()
    payload = _mapping(data)
    action = payload.get("action") if payload is not None else None
    perform = ACTIONS.get(action) if isinstance(action, str) else None
    if payload is None or perform is None:
        known = ", ".join(sorted(ACTIONS))
        return _error(f"onActionRequest asked for unknown action {action!r} (known: {known})")
    props = _mapping(payload.get("props")) or {}
    result = perform(props)
    hero.status = f"{action} done: {state.summarize(result)}"
    hero.record("onActionRequest", data, result)
    return result


def on_error(data: Any) -> dict[str, str]:
    """{message}: the component reported an error."""
    payload = _mapping(data)
    message = str(payload.get("message")) if payload is not None else str(data)
    return _error(f"component error: {message}")


def on_host_error(message: str) -> None:
    """An event the host does not subscribe to, or a malformed value (from ComponentHost)."""
    _error(message)


def _error(message: str) -> dict[str, str]:
    hero = state.current()
    hero.status = f"error: {message}"
    result = {"error": message}
    hero.record("onError", message, result)
    return result


HANDLERS: dict[str, Callable[[Any], Any]] = {
    "onStatusUpdate": on_status_update,
    "onActionRequest": on_action_request,
    "onError": on_error,
}
