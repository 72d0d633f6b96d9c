"""Turning msgspec's validation messages into stcomp's: which file, table and key, in plain
words, with the closest known key for a misspelt one.

msgspec names dict members ``[...]`` in its messages, so the failing value is found here by
converting one member at a time, which gives the whole path: stack, service, key.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from pathlib import Path
from typing import Any

import msgspec

from . import schema

_AT = re.compile(r"^(?P<what>.*?)(?: - at `\$(?P<at>[^`]*)`)?$", re.S)
_UNKNOWN = re.compile(r"Object contains unknown field `(?P<key>[^`]+)`")
_MISSING = re.compile(r"Object missing required field `(?P<key>[^`]+)`")


def locate(kind: Any, raw: Any, parts: list[str]) -> tuple[list[str], str]:
    """The path of the innermost value of ``raw`` that is not a ``kind``, and msgspec's
    message about it."""
    struct = _unwrap(kind)
    if _is_struct(struct) and isinstance(raw, dict):
        hints = typing.get_type_hints(struct, include_extras=True)
        for key, value in raw.items():
            if key in hints:
                found = _locate_member(hints[key], value, [*parts, key])
                if found is not None:
                    return found
    try:
        msgspec.convert(raw, kind)
    except msgspec.ValidationError as exc:
        found_at = _AT.match(str(exc).strip())
        assert found_at is not None
        return [*parts, *_path_parts(found_at["at"] or "")], found_at["what"]
    return parts, "invalid"


def _locate_member(kind: Any, value: Any, parts: list[str]) -> tuple[list[str], str] | None:
    inner = _unwrap(kind)
    origin = typing.get_origin(inner)
    members: list[tuple[str, Any]] = []
    if origin is dict and isinstance(value, dict):
        members = [(str(k), v) for k, v in value.items()]
    elif origin is list and isinstance(value, list):
        members = [(f"[{i}]", v) for i, v in enumerate(value)]
    elif _is_struct(inner) and isinstance(value, dict):
        return _failing(kind, value, parts)
    item = typing.get_args(inner)[-1] if members else None
    for name, member in members:
        found = _failing(item, member, [*parts, name])
        if found is not None:
            return found
    return None


def _failing(kind: Any, value: Any, parts: list[str]) -> tuple[list[str], str] | None:
    try:
        msgspec.convert(value, kind)
    except msgspec.ValidationError:
        return locate(kind, value, parts)
    return None


def _is_struct(kind: Any) -> bool:
    return isinstance(kind, type) and issubclass(kind, msgspec.Struct)


def explain(what: str, parts: list[str], path: Path, prefix: str) -> tuple[str, str | None]:
    """A msgspec validation message about the value at ``parts`` as (error, hint)."""
    unknown = _UNKNOWN.match(what)
    if unknown:
        known = _struct_fields(parts)
        close = difflib.get_close_matches(unknown["key"], known, n=1, cutoff=0.5)
        hint = f"did you mean '{close[0]}'?" if close else f"known keys: {', '.join(known)}"
        return f"{path}: [{_table(prefix, parts)}] unknown key '{unknown['key']}'", hint
    missing = _MISSING.match(what)
    if missing:
        return f"{path}: [{_table(prefix, parts)}] needs the key '{missing['key']}'", None
    detail = _plain(what)
    if not parts:
        return f"{path}: [{prefix}] {detail}" if prefix else f"{path}: {detail}", None
    owner, key = parts[:-1], parts[-1]
    if key.startswith("["):
        return f"{path}: [{_table(prefix, parts)}] {detail}", None
    table = _table(prefix, owner)
    return f"{path}: {f'[{table}] ' if table else ''}key '{key}': {detail}", None


_KINDS = {
    "float": "a number",
    "int": "a whole number",
    "str": "a string",
    "bool": "true or false",
    "array": "a list",
    "object": "a table",
    "null": "nothing",
}
_EXPECTED = re.compile(r"Expected `(?P<kind>[^`]+)`(?:, got `(?P<got>[^`]+)`)?(?P<rest>.*)", re.S)


def _plain(what: str) -> str:
    """msgspec's "Expected `float` > 0.0" as "expected a positive number", and so on."""
    found = _EXPECTED.match(what)
    if found is None:
        return (what[0].lower() + what[1:]).replace("`", "'") if what else "invalid"
    kinds = [_KINDS.get(k.strip(), k.strip()) for k in found["kind"].split("|")]
    rest = found["rest"].strip()
    if rest in ("> 0.0", "> 0"):
        expected = "a positive number"
    elif rest.startswith((">=", "<=")) and found["kind"] == "int":
        expected = f"a whole number {rest}"
    else:
        expected = " or ".join(kinds) + (f" {rest}" if rest else "")
    got = f", got {_KINDS.get(found['got'], found['got'])}" if found["got"] else ""
    return f"expected {expected}{got}"


def _table(prefix: str, parts: list[str]) -> str:
    text = ".".join(p for p in [prefix, *parts] if p)
    return text.replace(".[", "[")


def _path_parts(at: str) -> list[str]:
    return [p for p in re.split(r"\.|(?=\[)", at) if p]


def _struct_fields(parts: list[str]) -> list[str]:
    """The keys known at this path of the file format."""
    kind: Any = schema.WorkspaceSpec
    for part in parts:
        kind = _unwrap(kind)
        if _is_struct(kind):
            kind = typing.get_type_hints(kind, include_extras=True).get(part)
        elif typing.get_origin(kind) in (dict, list):
            kind = typing.get_args(kind)[-1]
    kind = _unwrap(kind)
    return sorted(kind.__struct_fields__) if _is_struct(kind) else []


def _unwrap(kind: Any) -> Any:
    """The type inside Annotated[...], and the Struct inside an optional one."""
    while typing.get_origin(kind) is typing.Annotated:
        kind = typing.get_args(kind)[0]
    if isinstance(kind, types.UnionType) or typing.get_origin(kind) is typing.Union:
        structs = [a for a in typing.get_args(kind) if _is_struct(a)]
        if structs:
            return structs[0]
    return kind
