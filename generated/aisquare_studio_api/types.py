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
