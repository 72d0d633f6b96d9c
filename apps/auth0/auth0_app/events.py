"""Handlers for the events the Auth0 component sends (see docs/CONTRACTS.md).

onStatusUpdate (login, logout, expiry), onActionRequest (a web request for the host to make
with the bearer token, or a message), onApiResult (an API call the component made itself) and
onError. Each returns a result and records the event for the report.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

from . import api_client, settings, state

Handler = Callable[[Any], Any]
COMPONENT_CALLS = ("ping", "pong", "pong-scoped")


def _mapping(data: Any) -> Mapping[str, Any] | None:
    return data if isinstance(data, Mapping) else None


def _logged_in(payload: Mapping[str, Any]) -> dict[str, Any]:
    user = _mapping(payload.get("user"))
    token = payload.get("accessToken")
    expires_at = payload.get("expiresAt")
    if user is None or not isinstance(token, str) or not isinstance(expires_at, int | float):
        return _error("onStatusUpdate logged_in needs user, accessToken and expiresAt")
    auth0 = state.current()
    if expires_at <= time.time():
        auth0.log_out("expired", "The component sent an expired token: log in again")
        return {"auth": "expired"}
    scope = payload.get("scope")
    auth0.log_in(dict(user), token, float(expires_at), scope if isinstance(scope, str) else "")
    return {"auth": "logged_in", "user": auth0.user_name}


def on_status_update(data: Any) -> dict[str, Any]:
    """{status: logged_in, user, accessToken, expiresAt, scope} | {status: logged_out|expired}."""
    auth0 = state.current()
    payload = _mapping(data)
    status = payload.get("status") if payload is not None else None
    if payload is not None and status == "logged_in":
        result = _logged_in(payload)
    elif payload is not None and status in ("logged_out", "expired"):
        was = auth0.user_name if auth0.user else None
        reason = str(payload.get("reason") or status)
        text = "Session expired" if status == "expired" else "Logged out"
        auth0.log_out(str(status), f"{text} ({reason})" if was else text)
        result = {"auth": status}
    else:
        return _error(f"onStatusUpdate needs a status logged_in|logged_out|expired, got {data!r}")
    # The token stays out of the report.
    shown = {k: v for k, v in (payload or {}).items() if k != "accessToken"}
    auth0.record("onStatusUpdate", shown, result)
    return result


def _fetch(request: Mapping[str, Any]) -> dict[str, Any]:
    auth0 = state.current()
    path = request.get("path")
    method = request.get("method", "GET")
    if method != "GET" or not isinstance(path, str) or path not in api_client.ALLOWED_PATHS:
        allowed = ", ".join(sorted(api_client.ALLOWED_PATHS))
        return _error(f"the host only makes GET requests to {allowed}; asked for {method} {path!r}")
    token = auth0.access_token if request.get("auth") and auth0.token_valid else None
    answer = api_client.call_api(settings.load().api_url, path, token)
    auth0.answers[f"host:{path}"] = {**answer.as_dict(), "at": time.time()}
    code = f" ({answer.error_code})" if answer.error_code else ""
    auth0.status = f"Host called {path}: HTTP {answer.status}{code}"
    return {"path": path, "status": answer.status}


def _message(payload: Mapping[str, Any]) -> dict[str, Any]:
    auth0 = state.current()
    text = str(payload.get("text", ""))[:200]
    auth0.message_from_component = text
    auth0.toasts.append(f"Message from the component: {text}")
    auth0.status = "Message received"
    return {"received": text}


def on_action_request(data: Any) -> dict[str, Any]:
    """{action: fetch, request: {method, path, auth}} or {action: message, text}."""
    payload = _mapping(data)
    action = payload.get("action") if payload is not None else None
    request = _mapping(payload.get("request")) if payload is not None else None
    if payload is not None and action == "fetch" and request is not None:
        result = _fetch(request)
    elif payload is not None and action == "message":
        result = _message(payload)
    else:
        known = "fetch, message"
        return _error(f"onActionRequest asked for unknown action {action!r} (known: {known})")
    state.current().record("onActionRequest", data, result)
    return result


def on_api_result(data: Any) -> dict[str, Any]:
    """{call, route, status, body}: the answer of an API call the component made itself."""
    payload = _mapping(data)
    call = payload.get("call") if payload is not None else None
    status = payload.get("status") if payload is not None else None
    if payload is None or call not in COMPONENT_CALLS or not isinstance(status, int):
        return _error(f"onApiResult needs call ({', '.join(COMPONENT_CALLS)}) and status")
    auth0 = state.current()
    auth0.answers[f"component:{call}"] = {
        "path": payload.get("route"),
        "status": status,
        "body": payload.get("body"),
        "at": time.time(),
    }
    auth0.status = f"Component called {payload.get('route')}: HTTP {status}"
    result = {"call": call, "status": status}
    auth0.record("onApiResult", {"call": call, "status": status}, result)
    return result


def on_error(data: Any) -> dict[str, str]:
    payload = _mapping(data)
    message = str(payload.get("message")) if payload is not None else str(data)
    return _error(f"component error: {message}")


def on_host_error(message: str) -> None:
    """An unsubscribed event or a malformed value (reported by ComponentHost)."""
    _error(message)


def _error(message: str) -> dict[str, str]:
    auth0 = state.current()
    auth0.status = f"error: {message}"
    result = {"error": message}
    auth0.record("onError", message, result)
    return result


HANDLERS: dict[str, Handler] = {
    "onStatusUpdate": on_status_update,
    "onActionRequest": on_action_request,
    "onApiResult": on_api_result,
    "onError": on_error,
}
