"""Contains some shared types for properties"""

import datetime
from collections.abc import Mapping, MutableMapping
from http import HTTPStatus
from typing import IO, BinaryIO, Generic, Literal, TypeVar
from uuid import UUID, SafeUUID

from attrs import define


class Unset:
    def __bool__(self) -> Literal[False]:
        return False


UNSET: Unset = Unset()

# The types that `httpx.Client(files=)` can accept, copied from that library.
FileContent = IO[bytes] | bytes | str
FileTypes = (
    # (filename, file (or bytes), content_type)
    tuple[str | None, FileContent, str | None]
    # (filename, file (or bytes), content_type, headers)
    | tuple[str | None, FileContent, str | None, Mapping[str, str]]
)
RequestFiles = list[tuple[str, FileTypes]]


@define
class File:
    """Contains information for file uploads"""

    payload: BinaryIO
    file_name: str | None = None
    mime_type: str | None = None

    def to_tuple(self) -> FileTypes:
        """Return a tuple representation that httpx will accept for multipart/form-data"""
        return self.file_name, self.payload, self.mime_type


T = TypeVar("T")


@define
class Response(Generic[T]):
    """A response from an endpoint"""

    status_code: HTTPStatus
    content: bytes
    headers: MutableMapping[str, str]
    parsed: T | None


def parse_uuid(value: object) -> UUID:
    """``UUID(value)``, about four times faster for the canonical 36-character form.

    The canonical form is checked and converted exactly as ``UUID.__init__`` would; anything else
    (braces, a ``urn:uuid:`` prefix, no hyphens, a non-string) goes through ``UUID`` itself, so
    what is accepted and what raises is unchanged.
    """
    if (
        type(value) is str
        and len(value) == 36
        and value[8] == value[13] == value[18] == value[23] == "-"
    ):
        digits = value.replace("-", "")
        if len(digits) != 32:
            return UUID(
                value
            )  # more hyphens than the canonical four: UUID says why it fails
        number = int(digits, 16)
        uuid = object.__new__(UUID)
        object.__setattr__(uuid, "int", number)
        object.__setattr__(uuid, "is_safe", SafeUUID.unknown)
        return uuid
    return UUID(value)  # type: ignore[arg-type]  # UUID raises the same errors for a non-string


def parse_datetime(value: object) -> datetime.datetime:
    """``datetime.fromisoformat(value)`` for a ``format: date-time`` value, refusing a bare date.

    ``fromisoformat`` reads ``"2026-11-02"`` as midnight, which hides a server sending a date
    where the spec promises a date-time (RFC 3339 requires the time). A missing UTC offset is
    still accepted, as naive: refusing it would fail every call against a server without one.
    """
    if type(value) is str and len(value) > 10 and value[10] in "Tt ":
        return datetime.datetime.fromisoformat(value)
    if type(value) is not str:
        raise TypeError(
            f"expected an ISO 8601 date-time string, got {type(value).__name__}"
        )
    raise ValueError(f"expected an ISO 8601 date-time with a time, got {value[:40]!r}")


__all__ = [
    "UNSET",
    "File",
    "FileTypes",
    "RequestFiles",
    "Response",
    "Unset",
    "parse_datetime",
    "parse_uuid",
]


# --- DocumentError -------------------------------------------------------------------------
# What every generated ``from_dict`` raises when a decoded JSON document does not fit its model
# (codegen/templates/model.py.jinja). Only the failure path builds one or its message.

_NESTED_TOO_DEEPLY = "the document is nested too deeply"


class DocumentError(ValueError):
    """A decoded JSON document does not fit a generated model: ``path`` names the value
    (``sections[0].uid``, ``""`` for the whole document), ``problem`` says what was expected and
    what came (``expected a UUID string, got null``)."""

    path: str
    problem: str

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(path, problem)
        self.path = path
        self.problem = problem

    def __str__(self) -> str:
        return f"{self.path}: {self.problem}" if self.path else self.problem

    def within(self, key: str | int) -> "DocumentError":
        """A copy with the path prefixed by a field name (``.name``) or a list index (``[0]``): the
        error as the object or list holding the value sees it. A document nested too deeply
        stays the whole document's error."""
        if self.problem == _NESTED_TOO_DEEPLY:
            return self
        step = f"[{key}]" if isinstance(key, int) else key
        separator = "." if self.path and not self.path.startswith("[") else ""
        return DocumentError(step + separator + self.path, self.problem)

    @classmethod
    def expected(
        cls, what: str, value: object, path: str = "", *, text: bool = False
    ) -> "DocumentError":
        """``expected {what}, got {value}``, the value told as JSON: ``null``, ``a boolean``,
        ``a number (1.5)``, ``a string ('...')`` (cut to 40 characters), ``a list``, ``an object``.
        With ``text``, for a string of the right JSON type that does not parse, by its text alone."""
        got = _preview(value) if text and isinstance(value, str) else _kind(value)
        return cls(path, f"expected {what}, got {got}")

    @classmethod
    def nested_too_deeply(cls) -> "DocumentError":
        """For a ``RecursionError``: about the whole document, so ``within`` keeps the path empty."""
        return cls("", _NESTED_TOO_DEEPLY)


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        try:
            return f"a number ({_cut(repr(value))})"
        except ValueError:  # an int with more digits than int-to-str conversion allows
            return "a number (too long to show)"
    if isinstance(value, str):
        return f"a string ({_preview(value)})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, Mapping):
        return "an object"
    return type(value).__name__


def _preview(text: str) -> str:
    return repr(_cut(text))


def _cut(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "..."


__all__ += ["DocumentError"]
