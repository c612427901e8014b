"""The JSON Schema (draft 2020-12) subset that protocol_v1.json uses, judged the way zod 4 judges the schemas it
was generated from, so that the first issue names the same field as the daemon. schema.py applies it to messages.

zod's rules mirrored here: an issue is "hard" when zod aborts on it (a wrong type, a missing key, a value outside
a const or enum, a union with no fitting option) and soft otherwise (lengths, patterns, bounds, unknown keys of a
closed object, refinements). Refinements (the x-orfeas keywords) run only when their schema has no hard issue. A
union whose options all fail reports the issues of its one option that failed softly, else itself."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

DIALECT = "https://json-schema.org/draft/2020-12/schema"
MAX_SAFE_INTEGER = 2**53 - 1


class _Absent:
    """A missing key, judged as zod judges `undefined`: it fits no type, const or enum."""


_ABSENT = _Absent()

# Every keyword this validator knows. Anything else raises SchemaError: a schema change must not pass unchecked.
KEYWORDS = frozenset({
    "$schema", "$comment", "title", "description", "default",
    "type", "const", "enum", "anyOf", "oneOf",
    "minLength", "maxLength", "pattern",
    "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
    "items", "prefixItems", "minItems", "maxItems",
    "properties", "required", "additionalProperties", "propertyNames",
    "x-orfeas-decreasing", "x-orfeas-exactlyOne", "x-orfeas-field", "x-orfeas-message",
})
SUBSCHEMA = ("items", "additionalProperties", "propertyNames")
SUBSCHEMAS = ("anyOf", "oneOf", "prefixItems")

# Escapes whose meaning differs between JavaScript and Python regular expressions (Unicode classes, word bounds).
_UNPORTABLE = re.compile(r"\\[dDwWsSbBpP]|\\u\{|\(\?<")


class SchemaError(Exception):
    """The schema uses something this validator does not implement: update validator.py along with the schema."""


@dataclass(frozen=True)
class Issue:
    """One problem: where (keys and indexes from the message), what (zod's wording), and whether zod aborts on it."""
    path: tuple
    message: str
    hard: bool = False


def code_point_len(text: str) -> int:
    """The length zod's min/max checks give a string: code points, as JSON Schema counts them, so an emoji counts
    one. Python's len() agrees except on a surrogate pair held as two characters, which this joins first."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass"))


def validate(schema, value) -> list[Issue]:
    """Every issue of `value` against `schema`, in zod's order: the first one is the one the daemon reports."""
    issues: list[Issue] = []
    _check(schema, value, (), issues)
    return issues


def check_schema(schema) -> None:
    """Raises SchemaError if `schema` or any schema inside it uses a keyword or pattern this module cannot judge."""
    if isinstance(schema, bool):
        return
    if not isinstance(schema, dict):
        raise SchemaError(f"A schema must be an object or a boolean, not {schema!r}.")
    unknown = sorted(set(schema) - KEYWORDS)
    if unknown:
        raise SchemaError(f"Unsupported JSON Schema keyword(s) {', '.join(unknown)}: update validator.py.")
    if schema.get("$schema", DIALECT) != DIALECT:
        raise SchemaError(f"Unsupported JSON Schema dialect {schema['$schema']}.")
    if "pattern" in schema:
        _regex(schema["pattern"])
    for key in SUBSCHEMA:
        if key in schema:
            check_schema(schema[key])
    for key in SUBSCHEMAS:
        for option in schema.get(key, ()):
            check_schema(option)
    for option in schema.get("properties", {}).values():
        check_schema(option)


_patterns: dict[str, re.Pattern] = {}


def _regex(pattern: str) -> re.Pattern:
    # JavaScript's `$` (no m flag) is the very end; Python's also matches before a final newline, so it becomes \Z.
    # `.` stops at all four JS line terminators. Escapes that mean other things in Python are refused.
    if pattern in _patterns:
        return _patterns[pattern]
    if _UNPORTABLE.search(pattern):
        raise SchemaError(f"Pattern {pattern!r} uses syntax whose meaning differs in Python: update validator.py.")
    out, in_class, i = [], False, 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            out.append(pattern[i:i + 2])
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "$":
            char = r"\Z"
        elif char == ".":
            char = "[^\n\r\u2028\u2029]"
        out.append(char)
        i += 1
    compiled = _patterns[pattern] = re.compile("".join(out))
    return compiled


def _kind(value) -> str:
    """The type name zod uses in its messages for a value it received."""
    if value is None:
        return "null"
    if value is _ABSENT:
        return "undefined"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        if _is_number(value):
            return "number"
        return "NaN" if value != value else "Infinity" if value > 0 else "-Infinity"
    if isinstance(value, str):
        return "string"
    if isinstance(value, (list, tuple)):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def _is_number(value) -> bool:
    # bool is an int in Python but not a number in JSON; JavaScript reads an int too large for a double as Infinity.
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


def _is_type(value, kind: str) -> bool:
    if kind == "integer":  # JSON has one number type: 256.0 is the integer 256
        return _is_number(value) and (isinstance(value, int) or value.is_integer())
    if kind == "number":
        return _is_number(value)
    if kind == "string":
        return isinstance(value, str)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "null":
        return value is None
    if kind == "array":  # a tuple is written as a JSON array
        return isinstance(value, (list, tuple))
    if kind == "object":
        return isinstance(value, dict)
    raise SchemaError(f"Unsupported JSON Schema type {kind!r}.")


def _expected(schema, value) -> str:
    """The type name zod uses in its messages for what a schema wants."""
    kind = schema["type"] if isinstance(schema["type"], str) else schema["type"][0]
    if kind == "integer":
        return "int" if _is_number(value) else "number"
    if kind == "object" and "propertyNames" in schema:
        return "record"
    if kind == "array" and "prefixItems" in schema:
        return "tuple"
    return kind


def _same(a, b) -> bool:
    """JSON equality of primitives: true is not 1, 1.0 is 1."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if _is_number(a) and _is_number(b):
        return a == b
    return type(a) is type(b) and a == b


def _quote(value) -> str:
    return f'"{value}"' if isinstance(value, str) else str(value).lower() if isinstance(value, bool) else str(value)


def _check(schema, value, path: tuple, out: list) -> None:
    if schema is True:
        return
    if schema is False:
        out.append(Issue(path, "Invalid input: this value is not allowed", True))
        return
    unknown = set(schema) - KEYWORDS
    if unknown:
        raise SchemaError(f"Unsupported JSON Schema keyword(s) {', '.join(sorted(unknown))}: update validator.py.")
    if "anyOf" in schema or "oneOf" in schema:
        _union(schema, value, path, out)
        return
    if "const" in schema or "enum" in schema:
        allowed = [schema["const"]] if "const" in schema else schema["enum"]
        if not any(_same(value, option) for option in allowed):
            expected = _quote(allowed[0]) if len(allowed) == 1 else "one of " + "|".join(map(_quote, allowed))
            out.append(Issue(path, f"Invalid {'input' if len(allowed) == 1 else 'option'}: expected {expected}", True))
            return
    kinds = schema.get("type")
    if kinds is not None:
        kinds = [kinds] if isinstance(kinds, str) else kinds
        if not any(_is_type(value, kind) for kind in kinds):
            out.append(Issue(path, f"Invalid input: expected {_expected(schema, value)}, received {_kind(value)}", True))
            return
    if isinstance(value, str):
        _string(schema, value, path, out)
    elif _is_number(value):
        _number(schema, value, path, out)
    elif isinstance(value, (list, tuple)):
        _array(schema, value, path, out)
    elif isinstance(value, dict):
        _object(schema, value, path, out)


def _union(schema, value, path: tuple, out: list) -> None:
    options = schema.get("anyOf") or schema.get("oneOf")
    if len(options) == 1:  # zod runs a one-option union as that option
        _check(options[0], value, path, out)
        return
    results = []
    for option in options:
        issues: list[Issue] = []
        _check(option, value, path, issues)
        results.append(issues)
    matches = sum(1 for issues in results if not issues)
    if "oneOf" in schema:  # z.xor: exactly one option fits, and a failure names the union itself
        if matches != 1:
            more = "more than one option matched" if matches else "no option matched"
            out.append(Issue(path, f"Invalid input: {more}", True))
        return
    if matches:
        return
    soft = [issues for issues in results if not any(issue.hard for issue in issues)]
    if len(soft) == 1:
        out.extend(soft[0])
    else:
        out.append(Issue(path, "Invalid input", True))


def _string(schema, value: str, path: tuple, out: list) -> None:
    length = code_point_len(value)
    if "minLength" in schema and length < schema["minLength"]:
        out.append(Issue(path, f"Too small: expected string to have >={schema['minLength']} characters"))
    if "maxLength" in schema and length > schema["maxLength"]:
        out.append(Issue(path, f"Too big: expected string to have <={schema['maxLength']} characters"))
    if "pattern" in schema and not _regex(schema["pattern"]).search(value):
        out.append(Issue(path, schema.get("x-orfeas-message", f"Invalid string: must match pattern /{schema['pattern']}/")))


def _number(schema, value, path: tuple, out: list) -> None:
    if schema.get("type") == "integer" and abs(value) > MAX_SAFE_INTEGER:  # zod's .int() says it in its own words
        bound = f"<={MAX_SAFE_INTEGER}" if value > 0 else f">=-{MAX_SAFE_INTEGER}"
        out.append(Issue(path, f"Too {'big' if value > 0 else 'small'}: expected int to be {bound}"))
    if "minimum" in schema and value < schema["minimum"]:
        out.append(Issue(path, f"Too small: expected number to be >={schema['minimum']}"))
    if "exclusiveMinimum" in schema and value <= schema["exclusiveMinimum"]:
        out.append(Issue(path, f"Too small: expected number to be >{schema['exclusiveMinimum']}"))
    if "maximum" in schema and value > schema["maximum"]:
        out.append(Issue(path, f"Too big: expected number to be <={schema['maximum']}"))
    if "exclusiveMaximum" in schema and value >= schema["exclusiveMaximum"]:
        out.append(Issue(path, f"Too big: expected number to be <{schema['exclusiveMaximum']}"))


def _array(schema, value, path: tuple, out: list) -> None:
    start = len(out)
    prefix = schema.get("prefixItems")
    if prefix is not None:
        # A tuple: zod checks its length before its items, and a wrong length aborts.
        if len(value) < schema.get("minItems", len(prefix)):
            out.append(Issue(path, f"Too small: expected array to have >={len(prefix)} items", True))
            return
        if schema.get("items") is False and len(value) > len(prefix):
            out.append(Issue(path, f"Too big: expected array to have <={len(prefix)} items", True))
        for index, item in enumerate(value[: len(prefix)]):
            _check(prefix[index], item, path + (index,), out)
        if schema.get("items", False) is not False:
            for index in range(len(prefix), len(value)):
                _check(schema["items"], value[index], path + (index,), out)
        return
    if "maxItems" in schema and len(value) > schema["maxItems"]:
        # zod refuses an over-long array before looking at its items (the size cap of its leading length checks).
        out.append(Issue(path, f"Too big: expected array to have <={schema['maxItems']} items", True))
        return
    if "items" in schema:
        for index, item in enumerate(value):
            _check(schema["items"], item, path + (index,), out)
    if "minItems" in schema and len(value) < schema["minItems"]:
        out.append(Issue(path, f"Too small: expected array to have >={schema['minItems']} items"))
    if schema.get("x-orfeas-decreasing") and not _aborted(out, start) and all(map(_is_number, value)):
        if any(not value[i] < value[i - 1] for i in range(1, len(value))):
            out.append(Issue(path, schema.get("x-orfeas-message", "Invalid input: items must decrease")))


def _object(schema, value: dict, path: tuple, out: list) -> None:
    start = len(out)
    properties = schema.get("properties", {})
    required = schema.get("required", ())
    # zod walks the declared keys in order; a missing required key is named by its key.
    for key in list(properties) + [key for key in required if key not in properties]:
        if key in value:
            if key in properties:
                _check(properties[key], value[key], path + (key,), out)
        elif key in required:
            missing: list[Issue] = []
            _check(properties.get(key, True), _ABSENT, path + (key,), missing)
            out.extend(missing or [Issue(path + (key,), "Invalid input: expected nonoptional, received undefined", True)])
    extra = schema.get("additionalProperties", True)
    names = schema.get("propertyNames", True)
    unrecognized = []
    for key, item in value.items():
        if key in properties:
            continue
        if names is not True and validate(names, key):
            out.append(Issue(path + (key,), "Invalid key in record", True))
        elif extra is False:
            unrecognized.append(key)
        else:
            _check(extra, item, path + (key,), out)
    if unrecognized:  # soft in zod: the object's own checks still run
        keys = ", ".join(f'"{key}"' for key in unrecognized)
        out.append(Issue(path, f"Unrecognized key{'s' if len(unrecognized) > 1 else ''}: {keys}"))
    if "x-orfeas-exactlyOne" in schema and not _aborted(out, start):
        if sum(1 for key in schema["x-orfeas-exactlyOne"] if key in value) != 1:
            field = schema.get("x-orfeas-field")
            names_ = " and ".join(schema["x-orfeas-exactlyOne"])
            message = schema.get("x-orfeas-message", f"give exactly one of {names_}")
            out.append(Issue(path + ((field,) if field else ()), message))


def _aborted(issues: list, start: int) -> bool:
    return any(issue.hard for issue in issues[start:])
