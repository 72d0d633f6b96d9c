"""Reading settings from the environment: integers, comma-separated lists, browser origins."""

from __future__ import annotations

import math
from collections.abc import Mapping

from server.shared import reference

LOOPBACK_NAMES = ("localhost", "127.0.0.1")


def env_int(env: Mapping[str, str], name: str, default: int) -> int:
    """Read a port-like integer from ``env``; an empty value means the default."""
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be an integer, got {raw!r}") from exc


def env_positive(env: Mapping[str, str], name: str, default: float, zero: bool = False) -> float:
    """Read a number of seconds from ``env``: positive (or zero if ``zero``); empty = default."""
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be a number of seconds, got {raw!r}") from exc
    if not math.isfinite(value) or value < 0 or (value == 0 and not zero):
        raise ValueError(f"{name} must be {'zero or more' if zero else 'positive'}, got {raw!r}")
    return value


def split_csv(raw: str) -> tuple[str, ...]:
    """Split a comma-separated list, dropping blanks and surrounding spaces."""
    return tuple(item.strip() for item in raw.split(",") if item.strip())


def browser_ports(env: Mapping[str, str]) -> tuple[int, int]:
    """The ports of the browser-facing apps: the Streamlit app and the component's server."""
    return (
        env_int(env, "STREAMLIT_PORT", reference.STREAMLIT_PORT),
        env_int(env, "COMPONENT_PORT", reference.COMPONENT_PORT),
    )


def browser_origins(env: Mapping[str, str]) -> tuple[str, ...]:
    """The origins of the Streamlit app and the component, as ``localhost`` and ``127.0.0.1``."""
    return tuple(f"http://{host}:{port}" for port in browser_ports(env) for host in LOOPBACK_NAMES)
