"""Faults: scripted misbehaviour of the network or the server, queued on a sandbox."""

from __future__ import annotations

import json
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, Literal

# DRF's own default messages, so a fault reads like the real server's error bodies.
_DRF_DETAILS = {
    400: "Malformed request.",
    401: "Incorrect authentication credentials.",
    403: "You do not have permission to perform this action.",
    404: "Not found.",
    406: "Could not satisfy the request Accept header.",
    415: "Unsupported media type in request.",
    429: "Request was throttled.",
    500: "A server error occurred.",
    503: "Service temporarily unavailable, try again later.",
}


def _default_detail(code: int) -> str:
    if code in _DRF_DETAILS:
        return _DRF_DETAILS[code]
    try:
        return f"{HTTPStatus(code).phrase}."
    except ValueError:  # non-IANA codes such as Cloudflare's 520
        return "Unknown error."


@dataclass(frozen=True)
class Fault:
    """A scripted answer for one request; build it with the class methods, not directly."""

    kind: Literal["respond", "delay", "drop"]
    code: int = 0
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()
    seconds: float = 0.0

    @classmethod
    def status(
        cls,
        code: int,
        *,
        body: bytes | dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Fault:
        """Answer with status ``code`` (200-599, IANA or not).

        ``body`` defaults to DRF's ``{"detail": ...}`` for that status; a dict is sent as
        JSON and bytes as they are. ``headers`` override the defaults of the same name.
        """
        if not 200 <= code <= 599:
            raise ValueError(f"status code must be within 200..599, got {code}")
        if body is None:
            body = {"detail": _default_detail(code)}
        encoded = body if isinstance(body, bytes) else json.dumps(body).encode()
        return cls("respond", code=code, body=encoded, headers=tuple((headers or {}).items()))

    @classmethod
    def rate_limit(cls, retry_after: str = "1", *, header: str = "Retry-After") -> Fault:
        """Answer 429 as DRF's throttling does, with ``header: retry_after`` (default 1 second)."""
        detail = "Request was throttled."
        # DRF only explains the wait when it is a whole number of seconds in Retry-After.
        if header.lower() == "retry-after" and retry_after.isascii() and retry_after.isdigit():
            wait = int(retry_after)
            detail += f" Expected available in {wait} second{'' if wait == 1 else 's'}."
        return cls.status(429, body={"detail": detail}, headers={header: retry_after})

    @classmethod
    def delay(cls, seconds: float) -> Fault:
        """Hold the normal answer back for ``seconds``; the request takes effect on arrival."""
        if seconds < 0:
            raise ValueError(f"delay must be >= 0 seconds, got {seconds}")
        return cls("delay", seconds=seconds)

    @classmethod
    def drop(cls) -> Fault:
        """Close the connection without sending any response."""
        return cls("drop")
