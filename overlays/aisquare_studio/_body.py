"""Reading a response body whole, within bounds: its decoded size, how far it inflates, and
the end of the attempt it belongs to.

httpx buffers a body whole and inflates gzip in one go, so a huge or hostile body costs
unbounded memory before anything can refuse it. Here the raw stream is cut into small pieces
before httpx decodes them, and every decoded piece is counted as it arrives.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable, Iterator

import httpx

# Far above any real answer (a VideoDetail with 30 sections is about 38 kB).
DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024
# JSON compresses 5 to 20 times; a body inflating 100 times its size on the wire is a bomb.
MAX_INFLATION = 100
# Below this a body may inflate as it likes (a few kB of spaces compress 1000 times).
_INFLATION_FLOOR = 1024 * 1024
# gzip inflates a piece at most about 1000 times: 16 kB pieces keep each step near 16 MB.
_RAW_PIECE = 16 * 1024


class BodyTooLarge(Exception):
    """A body past its limits; ``_http.py`` turns it into ``ResponseTooLargeError``."""

    def __init__(self, message: str, *, response: httpx.Response, limit: int) -> None:
        super().__init__(message)
        self.response = response
        self.limit = limit


class _Meter:
    def __init__(
        self,
        response: httpx.Response,
        max_bytes: int,
        ends_at: float | None,
        clock: Callable[[], float],
    ) -> None:
        self.response = response
        self.max_bytes = max_bytes
        self.ends_at = ends_at
        self.clock = clock
        self.size = 0
        self.pieces: list[bytes] = []

    def take(self, piece: bytes) -> None:
        self.size += len(piece)
        if self.size > self.max_bytes:
            raise BodyTooLarge(
                f"the response body is larger than max_response_bytes ({self.max_bytes} bytes)",
                response=self.response,
                limit=self.max_bytes,
            )
        wire = self.response.num_bytes_downloaded
        if self.size > _INFLATION_FLOOR and self.size > MAX_INFLATION * max(wire, 1):
            raise BodyTooLarge(
                f"the response body inflates more than {MAX_INFLATION} times its "
                f"{wire} bytes on the wire",
                response=self.response,
                limit=self.max_bytes,
            )
        # The SDK's own sockets enforce the attempt's end on every read; this catches a
        # caller's transport that drips a body.
        if self.ends_at is not None and self.clock() > self.ends_at:
            raise httpx.ReadTimeout("the attempt's time ran out", request=self.response.request)
        self.pieces.append(piece)

    def finish(self) -> None:
        # What ``Response.read()`` does once the body is in: the layers above read it from here.
        self.response._content = b"".join(self.pieces)


def read_body(
    response: httpx.Response,
    max_bytes: int,
    ends_at: float | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> None:
    """Read ``response``'s body into it, or raise ``BodyTooLarge`` past the limits."""
    meter = _Meter(response, max_bytes, ends_at, clock)
    if isinstance(response.stream, httpx.SyncByteStream):
        response.stream = _Pieces(response.stream)
    for piece in response.iter_bytes():
        meter.take(piece)
    meter.finish()


async def aread_body(
    response: httpx.Response,
    max_bytes: int,
    ends_at: float | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> None:
    """``read_body`` for an async response."""
    meter = _Meter(response, max_bytes, ends_at, clock)
    if isinstance(response.stream, httpx.AsyncByteStream):
        response.stream = _AsyncPieces(response.stream)
    async for piece in response.aiter_bytes():
        meter.take(piece)
    meter.finish()


def _cut(chunk: bytes) -> Iterator[bytes]:
    for start in range(0, len(chunk), _RAW_PIECE):
        yield chunk[start : start + _RAW_PIECE]


class _Pieces(httpx.SyncByteStream):
    def __init__(self, inner: httpx.SyncByteStream) -> None:
        self._inner = inner

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self._inner:
            yield from _cut(chunk)

    def close(self) -> None:
        self._inner.close()


class _AsyncPieces(httpx.AsyncByteStream):
    def __init__(self, inner: httpx.AsyncByteStream) -> None:
        self._inner = inner

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._inner:
            for piece in _cut(chunk):
                yield piece

    async def aclose(self) -> None:
        await self._inner.aclose()
