"""Explains why a decoded JSON document does not fit a generated model, naming the field.

The generated ``from_dict`` (codegen/templates/model.py.jinja) checks every value's JSON type as
it parses, for speed: a document that does not fit raises a bare ``KeyError``, ``TypeError`` or
``ValueError``. The HTTP layer then runs ``find_problem`` on that document, and only then, to say
which field is wrong and how (``sections[0].uid: expected a UUID string, got null``). The checks
here are compiled once per model from the attrs field types the generator wrote, so they follow
the spec through every regeneration; tests/test_validation.py checks that both accept exactly the
same documents.

Enum fields accept any string (the generated enums keep values the spec does not list yet), and
fields without a type (``Any``) accept anything, which is how the spec's ``plan`` oneOf, whose
``null`` matches both branches, is read as "any JSON value".
"""

from __future__ import annotations

import datetime
import enum
import functools
import uuid
from collections.abc import Callable
from typing import Any

import attrs

import aisquare_studio_api.models as _models
from aisquare_studio_api.types import parse_datetime

# A check raises _Invalid for the value at the given path, or returns nothing.
Check = Callable[[object, str], None]


class _Invalid(Exception):
    def __init__(self, path: str, problem: str) -> None:
        super().__init__(path, problem)
        self.path = path
        self.problem = problem


@attrs.frozen
class Problem:
    """Why a document does not fit a model: ``field`` is a path such as ``sections[0].uid``."""

    field: str
    problem: str

    def __str__(self) -> str:
        return f"{self.field}: {self.problem}" if self.field else self.problem


def find_problem(model: type, document: object) -> Problem | None:
    """The first way ``document`` breaks ``model``'s schema, or None when ``from_dict`` is safe."""
    try:
        model_check(model)(document, "")
    except _Invalid as invalid:
        return Problem(invalid.path, invalid.problem)
    except RecursionError:
        return Problem("", "the document is nested too deeply")
    return None


@functools.cache
def model_check(model: type) -> Check:
    """Compile the check for a generated attrs model (cached: built once per model)."""
    fields = [
        (field.name, field.default is attrs.NOTHING, _type_check(str(field.type)))
        for field in attrs.fields(model)
        if field.init  # additional_properties holds unknown keys; it is not a schema field
    ]

    def check(value: object, path: str) -> None:
        if not isinstance(value, dict):
            raise _Invalid(path, f"expected an object, got {_kind(value)}")
        for name, required, check_field in fields:
            field_path = f"{path}.{name}" if path else name
            if name in value:
                check_field(value[name], field_path)
            elif required:
                raise _Invalid(field_path, "required field is missing")

    return check


def _type_check(annotation: str) -> Check:
    alternatives = [a for a in _split_union(annotation) if a != "Unset"]
    nullable = "None" in alternatives or "Any" in alternatives  # an untyped field takes null too
    checks = [_single_check(a) for a in alternatives if a != "None"]
    expected = " or ".join(_describe(a) for a in alternatives if a != "None")

    def check(value: object, path: str) -> None:
        if value is None:
            if nullable:
                return
            raise _Invalid(path, f"expected {expected}, got null")
        if len(checks) == 1:
            checks[0](value, path)
            return
        for candidate in checks:
            try:
                candidate(value, path)
            except _Invalid:
                continue
            return
        raise _Invalid(path, f"expected {expected}, got {_kind(value)}")

    return check


def _single_check(annotation: str) -> Check:
    if annotation == "Any":
        return _accept
    if annotation.startswith("list[") and annotation.endswith("]"):
        return _list_check(_type_check(annotation[5:-1]))
    if annotation in _SCALARS:
        return _SCALARS[annotation]
    target = getattr(_models, annotation, None)
    if isinstance(target, type) and issubclass(target, enum.Enum):
        return _is_instance(str, "a string")
    if isinstance(target, type) and attrs.has(target):
        return _nested_model_check(target)
    raise TypeError(f"no check for generated type {annotation!r}: extend _validation.py")


def _nested_model_check(model: type) -> Check:
    # Resolved on first use: models refer to each other, and to themselves.
    def check(value: object, path: str) -> None:
        model_check(model)(value, path)

    return check


def _list_check(item_check: Check) -> Check:
    def check(value: object, path: str) -> None:
        if not isinstance(value, list):
            raise _Invalid(path, f"expected a list, got {_kind(value)}")
        for index, item in enumerate(value):
            item_check(item, f"{path}[{index}]")

    return check


def _accept(value: object, path: str) -> None:
    return None


def _is_instance(kind: type | tuple[type, ...], description: str) -> Check:
    def check(value: object, path: str) -> None:
        # JSON true is a bool, never a number, although Python's bool is an int.
        if not isinstance(value, kind) or isinstance(value, bool) != (kind is bool):
            raise _Invalid(path, f"expected {description}, got {_kind(value)}")

    return check


def _parses(parse: Callable[[str], Any], description: str) -> Check:
    def check(value: object, path: str) -> None:
        if not isinstance(value, str):
            raise _Invalid(path, f"expected {description}, got {_kind(value)}")
        try:
            parse(value)
        except ValueError:
            raise _Invalid(path, f"expected {description}, got {_preview(value)}") from None

    return check


_DESCRIPTIONS = {
    "str": "a string",
    "int": "an integer",
    "float": "a number",
    "bool": "a boolean",
    "UUID": "a UUID string",
    "datetime.datetime": "an ISO 8601 date-time",
    "datetime.date": "an ISO 8601 date",
    "Any": "any value",
}
_SCALARS: dict[str, Check] = {
    "str": _is_instance(str, _DESCRIPTIONS["str"]),
    "int": _is_instance(int, _DESCRIPTIONS["int"]),
    "float": _is_instance((int, float), _DESCRIPTIONS["float"]),
    "bool": _is_instance(bool, _DESCRIPTIONS["bool"]),
    "UUID": _parses(uuid.UUID, _DESCRIPTIONS["UUID"]),
    "datetime.datetime": _parses(parse_datetime, _DESCRIPTIONS["datetime.datetime"]),
    "datetime.date": _parses(datetime.date.fromisoformat, _DESCRIPTIONS["datetime.date"]),
}


def _describe(annotation: str) -> str:
    if annotation.startswith("list["):
        return "a list"
    if annotation in _DESCRIPTIONS:
        return _DESCRIPTIONS[annotation]
    target = getattr(_models, annotation, None)
    if isinstance(target, type) and issubclass(target, enum.Enum):
        return f"a {annotation} string"
    return f"a {annotation} object"


def _split_union(annotation: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for char in annotation:
        depth += char == "["
        depth -= char == "]"
        if char == "|" and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += char
    parts.append(current.strip())
    return parts


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return f"a number ({value!r})"
    if isinstance(value, str):
        return f"a string ({_preview(value)})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _preview(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:37] + "...")
