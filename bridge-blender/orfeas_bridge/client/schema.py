"""Protocol v1 messages checked exactly as the daemon checks them, from protocol_v1.json (written from the daemon's
zod schemas by `npm run schema`). The JSON Schema subset that file uses is validated by validator.py."""
from __future__ import annotations

import copy
import functools
import json
import os
from dataclasses import dataclass

from .validator import Issue, SchemaError, check_schema, validate

SCHEMA_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "protocol_v1.json")

__all__ = ["CLIENT_TYPES", "DAEMON_TYPES", "MAX_HEADER_BYTES", "PROTOCOL_VERSION", "ParseResult", "SchemaError",
           "check_daemon_message", "generate_options", "load", "loads_strict", "parse_client_message"]


@functools.lru_cache(maxsize=None)
def load() -> dict:
    """protocol_v1.json, read and checked once (shared: do not modify it). Raises SchemaError when the file uses
    a keyword validator.py lacks."""
    with open(SCHEMA_FILE, encoding="utf-8") as file:
        document = loads_strict(file.read())
    for side in ("client", "daemon"):
        for schema in document[side].values():
            check_schema(schema)
    return document


def __getattr__(name: str):
    # Constants from the file, read on first use so that importing the module stays free.
    if name == "CLIENT_TYPES":
        return tuple(load()["client"])
    if name == "DAEMON_TYPES":
        return tuple(load()["daemon"])
    if name == "PROTOCOL_VERSION":
        return load()["protocol"]
    if name == "MAX_HEADER_BYTES":
        return load()["maxHeaderBytes"]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def loads_strict(text: str):
    """JSON as JavaScript's JSON.parse reads it: NaN, Infinity and a leading BOM are refused (ValueError)."""
    def refuse(constant: str):
        raise ValueError(f"{constant} is not JSON")
    try:
        return json.loads(text, parse_constant=refuse)
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None


def utf16_len(text: str) -> int:
    """`text.length` in JavaScript: UTF-16 code units, so an emoji counts two (parse.ts measures request ids so)."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def utf16_slice(text: str, end: int) -> str:
    """`text.slice(0, end)` as JavaScript cuts it."""
    return text.encode("utf-16-le", "surrogatepass")[: 2 * end].decode("utf-16-le", "surrogatepass")


@dataclass(frozen=True)
class ParseResult:
    """parseClientMessage's answer: `message` when ok, else the protocol error the daemon would send."""
    ok: bool
    message: dict | None = None
    code: str | None = None
    message_text: str | None = None
    field: str | None = None
    re: str | None = None


def _fail(code: str, text: str, re: str | None = None, field: str | None = None) -> ParseResult:
    return ParseResult(ok=False, code=code, message_text=text, field=field, re=re)


def _field(issue: Issue) -> str:
    return ".".join(str(key) for key in issue.path) or "message"


def parse_client_message(frame) -> ParseResult:
    """A text frame (str) or an already parsed value (a binary frame's header), checked like parse.ts.

    The message is returned as given: defaults of `generate.options` are the daemon's to fill in."""
    value = frame
    if isinstance(frame, str):
        try:
            value = loads_strict(frame)
        except ValueError:
            return _fail("E_BAD_MESSAGE", "The message is not valid JSON. Send one JSON object per text frame.")
    if not isinstance(value, dict):
        return _fail("E_BAD_MESSAGE", 'A message must be a JSON object with a "type" field.')
    request_id = value.get("id")
    re = request_id if isinstance(request_id, str) and 0 < utf16_len(request_id) <= 64 else None
    kind = value.get("type")
    if not isinstance(kind, str):
        return _fail("E_BAD_MESSAGE", 'Field "type" is missing or not a string.', re, "type")
    schemas = load()["client"]
    if kind not in schemas:
        return _fail("E_UNKNOWN_TYPE", f'Unknown message type "{utf16_slice(kind, 64)}".', re)
    issues = validate(schemas[kind], value)
    if issues:
        field = _field(issues[0])
        return _fail("E_BAD_MESSAGE", f'Invalid field "{field}" in {kind}: {issues[0].message}.', re, field)
    return ParseResult(ok=True, message=value)


def check_daemon_message(value) -> str | None:
    """None when `value` is a daemon → client message of a known type, else a sentence saying what is wrong.
    Unknown fields are allowed: a client must not refuse a message for carrying more."""
    if not isinstance(value, dict):
        return 'A daemon message must be a JSON object with a "type" field.'
    kind = value.get("type")
    if not isinstance(kind, str):
        return 'Field "type" of a daemon message is missing or not a string.'
    schemas = load()["daemon"]
    if kind not in schemas:
        return f'Unknown daemon message type "{utf16_slice(kind, 64)}".'
    issues = validate(schemas[kind], value)
    if issues:
        return f'Invalid field "{_field(issues[0])}" in {kind}: {issues[0].message}.'
    return None


def generate_options() -> dict:
    """The JSON Schema `properties` of generate's `options`: per option its type, default, bounds or enum (a copy)."""
    return copy.deepcopy(load()["client"]["generate"]["properties"]["options"]["properties"])
