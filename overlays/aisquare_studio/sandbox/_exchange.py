"""Transport-neutral values passed between the sandbox's state and its two transports."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class RecordedRequest:
    """One request as it arrived at the sandbox, before any fault or rule was applied.

    ``headers`` has lower-cased names (repeated headers joined with ", "), ``path`` excludes
    the query string (``query`` holds it, without the ``?``), and ``video_id`` is the id in a
    publish path, or None when the path holds no valid one.
    """

    method: str
    path: str
    headers: dict[str, str] = field(hash=False)
    body: bytes
    video_id: int | None
    query: str = ""


@dataclass(frozen=True)
class Reply:
    """A complete HTTP answer, to be sent after ``delay`` seconds."""

    status: int
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()
    delay: float = 0.0


@dataclass(frozen=True)
class Dropped:
    """The connection is to be closed without any answer."""


Outcome = Reply | Dropped

Handler = Callable[[str, str, dict[str, str], bytes], Outcome]
"""What transports call per request: (method, target, lower-cased headers, body) -> outcome."""
