"""Deterministic JSON documents drawn from OpenAPI 3.1 schemas, for operations with no state.

``draw(document, schema, seed)`` returns a value the schema accepts: every property of an object
(required and optional alike, so clients meet the whole shape), the first enum value, a string
in the declared format, an integer in the format's range, one or two array items. The same seed
always gives the same value (``random.Random`` seeded with a string is stable across processes),
so a test can compare two answers or rely on one.
"""

from __future__ import annotations

import base64
import random
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

JSON = Any
Schema = dict[str, Any]

_EPOCH = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)  # the seeded videos' epoch, for coherent dates
_ORIGIN = "https://sandbox.aisquare.studio"
_WORDS = ("alpha", "bravo", "delta", "echo", "lima", "nova", "orbit", "sierra", "tango", "vega")
_MAX_DEPTH = 8  # beyond it a recursive schema stops growing: optional parts are left out
# Integers are kept small (and positive when the schema allows) so they read like real ids.
_INT_RANGE = (1, 1000)
_FORMAT_RANGES = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}


def integer_range(schema: Schema, default: str = "int32") -> tuple[int, int]:
    """The values an integer of ``schema``'s format holds; without a format, ``default``'s
    (int32: Django's IntegerField and AutoField, the columns behind the API's integers)."""
    return _FORMAT_RANGES.get(str(schema.get("format")), _FORMAT_RANGES[default])


def resolve(document: JSON, schema: JSON) -> Schema:
    """``schema`` with its ``$ref`` chain followed (local JSON pointers only)."""
    seen: set[str] = set()
    while isinstance(schema, dict) and "$ref" in schema:
        ref = str(schema["$ref"])
        if not ref.startswith("#/") or ref in seen:
            raise ValueError(f"cannot resolve $ref {ref!r}")
        seen.add(ref)
        node: Any = document
        for part in ref[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        schema = node
    return schema if isinstance(schema, dict) else {}


def non_null_type(schema: Schema) -> str | None:
    """The schema's type, with ``null`` dropped from a ``[X, 'null']`` list; None if untyped."""
    kind = schema.get("type")
    if isinstance(kind, list):
        kinds = [k for k in kind if k != "null"]
        return str(kinds[0]) if kinds else "null"
    if kind is None:
        if "properties" in schema:
            return "object"
        if "items" in schema:
            return "array"
    return None if kind is None else str(kind)


def draw(document: JSON, schema: JSON, seed: str) -> JSON:
    """A value valid against ``schema`` (resolved within ``document``), fixed by ``seed``."""
    # Reproducible, not secret: a seeded PRNG is the point.
    return _Drawer(document, random.Random(seed)).value(schema, 0)  # noqa: S311


class _Drawer:
    def __init__(self, document: JSON, rng: random.Random) -> None:
        self._document = document
        self._rng = rng

    def value(self, schema: JSON, depth: int) -> JSON:
        schema = resolve(self._document, schema)
        if "const" in schema:
            return schema["const"]
        if "enum" in schema:
            values = [v for v in schema["enum"] if v is not None]
            return values[0] if values else None
        if "allOf" in schema:
            return self._all_of(schema, depth)
        for key in ("oneOf", "anyOf"):
            if key in schema:
                return self.value(_first_non_null(self._document, schema[key]), depth)
        kind = non_null_type(schema)
        if kind == "object":
            return self._object(schema, depth)
        if kind == "array":
            return self._array(schema, depth)
        if kind == "string":
            return self._string(schema)
        if kind == "integer":
            return self._integer(schema)
        if kind == "number":
            return self._number(schema)
        if kind == "boolean":
            return True
        if kind == "null":
            return None
        # Untyped ("Any type"): an empty object, not null, so a oneOf [{}, {type: null}]
        # (drf-spectacular's nullable JSONField) still has exactly one matching branch.
        return {}

    def _all_of(self, schema: Schema, depth: int) -> JSON:
        merged: dict[str, Any] = {}
        rest = {key: value for key, value in schema.items() if key != "allOf"}
        for part in [*schema["allOf"], rest]:
            drawn = self.value(part, depth)
            if not isinstance(drawn, dict):
                return drawn  # an allOf of non-objects: the first part decides the shape
            merged.update(drawn)
        return merged

    def _object(self, schema: Schema, depth: int) -> dict[str, Any]:
        required = set(schema.get("required", []))
        result: dict[str, Any] = {}
        for name, prop in schema.get("properties", {}).items():
            prop_schema = resolve(self._document, prop)
            if prop_schema.get("writeOnly") is True:
                continue  # OpenAPI: a write-only property is never sent in a response
            if depth >= _MAX_DEPTH and name not in required:
                continue
            result[name] = self.value(prop, depth + 1)
        extra = schema.get("additionalProperties")
        if not result and isinstance(extra, dict) and extra and depth < _MAX_DEPTH:
            result[self._rng.choice(_WORDS)] = self.value(extra, depth + 1)
        return result

    def _array(self, schema: Schema, depth: int) -> list[Any]:
        low = int(schema.get("minItems", 1 if depth < _MAX_DEPTH else 0))
        high = max(low, min(int(schema.get("maxItems", 2)), 2))
        count = self._rng.randint(low, high)
        return [self.value(schema.get("items", {}), depth + 1) for _ in range(count)]

    def _integer(self, schema: Schema) -> int:
        low, high = integer_range(schema, default="int64")
        if "minimum" in schema:
            low = max(low, int(schema["minimum"]))
        if "exclusiveMinimum" in schema:
            low = max(low, int(schema["exclusiveMinimum"]) + 1)
        if "maximum" in schema:
            high = min(high, int(schema["maximum"]))
        if "exclusiveMaximum" in schema:
            high = min(high, int(schema["exclusiveMaximum"]) - 1)
        # Prefer the readable range where it fits within the bounds.
        small_low, small_high = max(low, _INT_RANGE[0]), min(high, _INT_RANGE[1])
        if small_low <= small_high:
            return self._rng.randint(small_low, small_high)
        return self._rng.randint(low, high)

    def _number(self, schema: Schema) -> float:
        low = float(_bound(schema, "minimum", "exclusiveMinimum", _INT_RANGE[0]))
        high = float(_bound(schema, "maximum", "exclusiveMaximum", _INT_RANGE[1]))
        if high < low:  # one bound given, beyond the default range: keep the range's width
            capped = "maximum" in schema or "exclusiveMaximum" in schema
            low, high = (high - _INT_RANGE[1], high) if capped else (low, low + _INT_RANGE[1])
        value = round(self._rng.uniform(low, high), 2)
        # Rounding may land on an exclusive bound; the midpoint is inside any non-empty range.
        inside = low < value < high or (value in (low, high) and value in _inclusive(schema))
        return value if inside else (low + high) / 2

    def _string(self, schema: Schema) -> str:
        rng, word = self._rng, self._rng.choice(_WORDS)
        number = rng.randint(1, 999)
        fmt = schema.get("format")
        if fmt == "uuid":
            return str(uuid.UUID(int=rng.getrandbits(128), version=4))
        if fmt == "date-time":
            moment = _EPOCH + timedelta(minutes=rng.randint(0, 60 * 24 * 90))
            return moment.isoformat().replace("+00:00", "Z")  # DRF writes UTC as Z
        if fmt == "date":
            return (_EPOCH + timedelta(days=rng.randint(0, 90))).date().isoformat()
        if fmt == "time":
            return f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00"
        if fmt in ("uri", "url", "uri-reference", "iri"):
            return f"{_ORIGIN}/{word}/{number}"
        if fmt == "email":
            return f"{word}.{number}@example.com"
        if fmt in ("hostname", "idn-hostname"):
            return f"{word}.example.com"
        if fmt == "ipv4":
            return f"192.0.2.{number % 255}"
        if fmt == "ipv6":
            return f"2001:db8::{number:x}"
        if fmt == "byte":
            return base64.b64encode(f"{word} {number}".encode()).decode()
        text = f"{word} {number}"
        low, high = int(schema.get("minLength", 0)), schema.get("maxLength")
        text = text.ljust(low, "x")
        return text if high is None else text[: int(high)]


def _bound(schema: Schema, inclusive: str, exclusive: str, default: float) -> float:
    for key in (inclusive, exclusive):
        if key in schema:
            return float(schema[key])
    return default


def _inclusive(schema: Schema) -> set[float]:
    return {float(schema[key]) for key in ("minimum", "maximum") if key in schema}


def _first_non_null(document: JSON, branches: list[Any]) -> JSON:
    for branch in branches:
        if non_null_type(resolve(document, branch)) != "null":
            return branch
    return branches[0] if branches else {}
