"""Request bodies checked field by field as a DRF serializer would, from a request schema.

The messages are DRF's. The checks are what a JSON body can get wrong against the schema:
a missing required field, a null where none is allowed, a value of the wrong JSON type, an
enum value that is no choice, a string too long, an integer beyond its column. Read-only
properties are skipped: DRF drops them from the input before validating.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from ._exchange import Reply
from ._schema import integer_range, non_null_type, resolve

_REQUIRED = "This field is required."
_DATETIME_FORMATS = "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]"


def parse_datetime(text: str) -> datetime | None:
    """``text`` as DRF's DateTimeField reads it (naive means UTC, with USE_TZ), or None."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if "T" not in text.upper() and " " not in text:
        return None  # a bare date is no datetime
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def json_reply(status: int, payload: Any, headers: tuple[tuple[str, str], ...] = ()) -> Reply:
    """A reply whose body is ``payload`` as JSON."""
    return Reply(status, json.dumps(payload).encode(), headers)


def parse_object(body: bytes) -> dict[str, Any] | Reply:
    """The body as DRF's JSONParser and serializer read it, or the 400 they answer.

    An empty body is an empty object: DRF's ``request.data`` is then empty, and the
    serializer reports each required field as missing.
    """
    if not body.strip():
        return {}
    try:
        data = json.loads(body)
    except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError alike
        return json_reply(400, {"detail": f"JSON parse error - {exc}"})
    if not isinstance(data, dict):
        kind = "NoneType" if data is None else type(data).__name__
        message = f"Invalid data. Expected a dictionary, but got {kind}."
        return json_reply(400, {"non_field_errors": [message]})
    return data


def field_errors(document: Any, schema: Any, data: dict[str, Any]) -> dict[str, Any]:
    """DRF's field errors for ``data`` against the object ``schema`` (empty when valid)."""
    schema = resolve(document, schema)
    properties = schema.get("properties", {})
    errors: dict[str, Any] = {}
    for name in schema.get("required", []):
        if name not in data and not resolve(document, properties.get(name, {})).get("readOnly"):
            errors[name] = [_REQUIRED]
    for name, value in data.items():
        if name not in properties:
            continue  # DRF ignores fields the serializer does not declare
        prop = resolve(document, properties[name])
        if prop.get("readOnly") is True:
            continue
        if (error := value_error(document, prop, value)) is not None:
            errors[name] = error
    return errors


def value_error(document: Any, schema: Any, value: Any) -> list[str] | dict[str, Any] | None:
    """DRF's errors for one field's ``value``, or None when the schema accepts it."""
    schema = resolve(document, schema)
    for key in ("oneOf", "anyOf"):
        if key in schema:
            branches = [resolve(document, branch) for branch in schema[key]]
            if value is None:
                allowed = any(non_null_type(b) in ("null", None) for b in branches)
                return None if allowed else ["This field may not be null."]
            typed = [b for b in branches if non_null_type(b) != "null"]
            results = [value_error(document, b, value) for b in typed]
            return None if not typed or None in results else results[0]
    if value is None:
        return None if _nullable(schema) else ["This field may not be null."]
    if "enum" in schema:
        return None if value in schema["enum"] else [f'"{value}" is not a valid choice.']
    kind = non_null_type(schema)
    if kind == "string":
        return _string_error(schema, value)
    if kind == "integer":
        return _integer_error(schema, value)
    if kind == "number":
        valid = isinstance(value, int | float) and not isinstance(value, bool)
        return None if valid else ["A valid number is required."]
    if kind == "boolean":
        return None if isinstance(value, bool) else ["Must be a valid boolean."]
    if kind == "array":
        if not isinstance(value, list):
            return [f'Expected a list of items but got type "{type(value).__name__}".']
        items = {
            str(index): error
            for index, item in enumerate(value)
            if (error := value_error(document, schema.get("items", {}), item)) is not None
        }
        return items or None
    if kind == "object":
        if not isinstance(value, dict):
            return [f"Invalid data. Expected a dictionary, but got {type(value).__name__}."]
        return field_errors(document, schema, value) or None
    return None  # untyped: DRF's JSONField takes any JSON


def _nullable(schema: dict[str, Any]) -> bool:
    kind = schema.get("type")
    return kind is None or kind == "null" or (isinstance(kind, list) and "null" in kind)


def _string_error(schema: dict[str, Any], value: Any) -> list[str] | None:
    if not isinstance(value, str):
        return ["Not a valid string."]
    if "maxLength" in schema and len(value) > int(schema["maxLength"]):
        return [f"Ensure this field has no more than {schema['maxLength']} characters."]
    if "minLength" in schema and len(value) < int(schema["minLength"]):
        if not value:
            return ["This field may not be blank."]
        return [f"Ensure this field has at least {schema['minLength']} characters."]
    return _format_error(str(schema.get("format", "")), value)


def _format_error(fmt: str, value: str) -> list[str] | None:
    # The formats DRF's fields check (DateTimeField, URLField, UUIDField, EmailField).
    if fmt == "date-time" and parse_datetime(value) is None:
        return [
            f"Datetime has wrong format. Use one of these formats instead: {_DATETIME_FORMATS}."
        ]
    if fmt == "uri":
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https", "ftp", "ftps") or not parts.netloc or " " in value:
            return ["Enter a valid URL."]
    if fmt == "uuid":
        try:
            uuid.UUID(value)
        except ValueError:
            return ["Must be a valid UUID."]
    if fmt == "email" and (value.count("@") != 1 or "." not in value.partition("@")[2]):
        return ["Enter a valid email address."]
    return None


def _integer_error(schema: dict[str, Any], value: Any) -> list[str] | None:
    if not isinstance(value, int) or isinstance(value, bool):
        return ["A valid integer is required."]
    low, high = integer_range(schema)
    high = min(high, int(schema.get("maximum", high)))
    low = max(low, int(schema.get("minimum", low)))
    if value > high:
        return [f"Ensure this value is less than or equal to {high}."]
    if value < low:
        return [f"Ensure this value is greater than or equal to {low}."]
    return None
