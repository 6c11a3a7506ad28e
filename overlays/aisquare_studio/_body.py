"""Reading a response body whole, within bounds: its decoded size, how far it inflates, and
the end of the attempt it belongs to.

httpx buffers a body whole and inflates gzip in one go, so a huge or hostile body costs
unbounded memory before anything can refuse it. Here the raw stream is cut into small pieces
before httpx decodes them, and every decoded piece is counted as it arrives.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import AsyncIterator, Callable, Iterator

import httpx

# Far above any real answer: the largest the API sends today is about 38 kB.
DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024
# JSON compresses 5 to 20 times; a body inflating 100 times its size on the wire is a bomb.
MAX_INFLATION = 100
# Below this a body may inflate as it likes (a few kB of spaces compress 1000 times).
_INFLATION_FLOOR = 1024 * 1024
# gzip inflates a piece at most about 1000 times: 8 kB pieces keep each step under 8 MB.
_RAW_PIECE = 8 * 1024
# What the SDK asks for (``Accept-Encoding``) and reads: one layer, whose inflation per piece is
# bounded as above. Stacked layers multiply (gzip twice: a million times a piece).
ACCEPT_ENCODING = "gzip, deflate"
_READABLE_ENCODINGS = frozenset({"gzip", "deflate"})


def check_encoding(response: httpx.Response, limit: int) -> None:
    """Refuse a body whose content encodings could inflate it without bound."""
    header = response.headers.get("content-encoding")
    if header is None:
        return
    layers = [layer.strip().lower() for layer in header.split(",")]
    layers = [layer for layer in layers if layer and layer != "identity"]
    if len(layers) > 1 or (layers and layers[0] not in _READABLE_ENCODINGS):
        raise BodyTooLarge(
            f"the response body is encoded {', '.join(layers)[:60]!r}: the SDK reads one layer "
            "of gzip or deflate, as its Accept-Encoding says, since others could inflate "
            "without bound",
            response=response,
            limit=limit,
        )


class BodyTooLarge(Exception):
    """A body past its limits; ``_http.py`` turns it into ``ResponseTooLargeError``."""

    def __init__(self, message: str, *, response: httpx.Response, limit: int) -> None:
        super().__init__(message)
        self.response = response
        self.limit = limit


class _Meter:
    """Counts a body as httpx decodes it. A body past its limits is refused from inside the raw
    stream, on httpx's next pull: the exception then ends httpx's own (async) generators
    instead of leaving them unfinished for the garbage collector."""

    def __init__(
        self,
        request: httpx.Request,
        response: httpx.Response,
        max_bytes: int,
        ends_at: float | None,
        clock: Callable[[], float],
    ) -> None:
        self.request = request
        self.response = response
        self.max_bytes = max_bytes
        self.ends_at = ends_at
        self.clock = clock
        self.size = 0
        self.pieces: list[bytes] = []
        self.failure: Exception | None = None

    def take(self, piece: bytes) -> None:
        self.size += len(piece)
        self.pieces.append(piece)
        wire = self.response.num_bytes_downloaded
        if self.size > _INFLATION_FLOOR and self.size > MAX_INFLATION * max(wire, 1):
            self.failure = BodyTooLarge(
                f"the response body inflates more than {MAX_INFLATION} times its "
                f"{wire} bytes on the wire",
                response=self.response,
                limit=self.max_bytes,
            )
        elif self.size > self.max_bytes:
            self.failure = BodyTooLarge(
                f"the response body is larger than max_response_bytes ({self.max_bytes} bytes)",
                response=self.response,
                limit=self.max_bytes,
            )
        # The SDK's own sockets enforce the attempt's end on every read; this catches a
        # caller's transport that drips a body.
        elif self.ends_at is not None and self.clock() > self.ends_at:
            self.failure = httpx.ReadTimeout("the attempt's time ran out", request=self.request)

    def check(self) -> None:
        if self.failure is not None:
            self.pieces.clear()
            raise self.failure

    def finish(self) -> None:
        self.check()
        # What ``Response.read()`` does once the body is in: the layers above read it from here.
        self.response._content = b"".join(self.pieces)


def read_body(
    request: httpx.Request,
    response: httpx.Response,
    max_bytes: int,
    ends_at: float | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> None:
    """Read the body of ``response`` (to ``request``) into it; ``BodyTooLarge`` past the limits."""
    check_encoding(response, max_bytes)
    meter = _Meter(request, response, max_bytes, ends_at, clock)
    if isinstance(response.stream, httpx.SyncByteStream):
        response.stream = _Pieces(response.stream, meter)
    for piece in response.iter_bytes():
        meter.take(piece)
    meter.finish()


async def aread_body(
    request: httpx.Request,
    response: httpx.Response,
    max_bytes: int,
    ends_at: float | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> None:
    """``read_body`` for an async response."""
    check_encoding(response, max_bytes)
    meter = _Meter(request, response, max_bytes, ends_at, clock)
    if isinstance(response.stream, httpx.AsyncByteStream):
        response.stream = _AsyncPieces(response.stream, meter)
    async for piece in response.aiter_bytes():
        meter.take(piece)
    meter.finish()


def _cut(chunk: bytes) -> list[bytes]:
    return [chunk[start : start + _RAW_PIECE] for start in range(0, len(chunk), _RAW_PIECE)]


class _Pieces(httpx.SyncByteStream):
    """The raw body in pieces small enough to inflate safely; stops when the meter says so."""

    def __init__(self, inner: httpx.SyncByteStream, meter: _Meter) -> None:
        self._inner = inner
        self._meter = meter

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self._inner:
            for piece in _cut(chunk):
                self._meter.check()
                yield piece

    def close(self) -> None:
        self._inner.close()


class _AsyncPieces(httpx.AsyncByteStream):
    """``_Pieces`` for an async body: an iterator, not an async generator, so that a refusal can
    be raised from below httpx's own generators."""

    def __init__(self, inner: httpx.AsyncByteStream, meter: _Meter) -> None:
        self._inner = inner
        self._meter = meter
        self._chunks: AsyncIterator[bytes] | None = None
        self._pending: list[bytes] = []

    def __aiter__(self) -> AsyncIterator[bytes]:
        self._chunks = self._inner.__aiter__()
        return self

    async def __anext__(self) -> bytes:
        assert self._chunks is not None  # __aiter__ came first
        if self._meter.failure is not None:
            await self._give_up(self._chunks, self._meter.failure)
        while not self._pending:
            self._pending = _cut(await self._chunks.__anext__())[::-1]
        return self._pending.pop()

    async def _give_up(self, chunks: AsyncIterator[bytes], failure: Exception) -> None:
        # Raising here, above httpx's and httpcore's suspended async generators, would leave
        # them unfinished (trio warns when it collects them). So: drop the connection, let
        # them run into its end, and raise from below them.
        await self._inner.aclose()
        with contextlib.suppress(Exception):
            async for _ in chunks:
                pass
        raise failure

    async def aclose(self) -> None:
        close = getattr(self._chunks, "aclose", None)
        if close is not None:  # httpx's stream iterates with an async generator
            await close()
        await self._inner.aclose()
