"""The sockets of the connection pools the SDK builds: each socket operation bounded by the end
of the attempt it serves, and every socket known, so closing a client or forking can let go.

httpx's timeouts bound each socket operation, not an attempt: a body that drips a byte every
0.3 s never trips ``read=1``. httpcore's network backend is the one place every connect, read
and write of a pooled connection passes through, so it is where an attempt's end is enforced.
The end travels in a context variable, set by the retry layer for the attempt in progress.

httpcore's interface names its parameter ``timeout``: the async methods keep that name
(ruff's ASYNC109 is off for this file in pyproject.toml).
"""

from __future__ import annotations

import contextlib
import contextvars
import socket
import ssl
import threading
import time
import weakref
from collections.abc import Iterable
from typing import Any

import httpcore

# The ``time.monotonic()`` at which the attempt in progress must be over; None: no bound here.
ATTEMPT_END: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "aisquare_studio.attempt_end", default=None
)

SocketOption = Any  # httpcore's own alias: a (level, option, value[, length]) tuple


def _bounded(timeout: float | None, expired: type[Exception]) -> float | None:
    """``timeout`` shortened to the time the attempt has left; ``expired`` when none is left."""
    end = ATTEMPT_END.get()
    if end is None:
        return timeout
    left = end - time.monotonic()
    if left <= 0:
        raise expired("the attempt's time ran out")
    return left if timeout is None else min(timeout, left)


class Sockets:
    """The live sockets of one pool, so they can all be shut down at once, from any thread."""

    def __init__(self) -> None:
        self._streams: weakref.WeakSet[_Tracked] = weakref.WeakSet()
        self._raw: weakref.WeakSet[socket.socket] = weakref.WeakSet()  # aiohttp's (_aiohttp.py)
        self._lock = threading.Lock()
        self._shut = False

    def add(self, stream: _Tracked) -> bool:
        """Track ``stream``; False once shut down: a connection that opened after ``close()``
        must be closed, not used to send the request."""
        with self._lock:
            if self._shut:
                return False
            self._streams.add(stream)
            return True

    def add_socket(self, sock: socket.socket) -> bool:
        """Track a socket another pool (aiohttp's) made; False once shut down, as ``add``."""
        with self._lock:
            if self._shut:
                return False
            self._raw.add(sock)
            return True

    def _sockets(self) -> list[socket.socket]:
        with self._lock:
            streams = list(self._streams)
            raw = list(self._raw)
        found = (stream.get_extra_info("socket") for stream in streams)
        return [sock for sock in found if isinstance(sock, socket.socket)] + raw

    def shut_down(self) -> None:
        """Wake every thread blocked on one of these sockets: its read or write fails at once.
        Sockets connected from now on are refused."""
        with self._lock:
            self._shut = True
        for sock in self._sockets():
            with contextlib.suppress(OSError):  # already closed, or never connected
                sock.shutdown(socket.SHUT_RDWR)

    def release_after_fork(self) -> None:
        """In a forked child: close this process's copies of the sockets. The parent's copies
        stay open and in use; nothing is sent (no FIN while the parent holds them, no TLS
        close_notify, which only an orderly TLS shutdown would send)."""
        self._lock = threading.Lock()  # another thread may have held it at the fork
        for sock in self._sockets():
            with contextlib.suppress(OSError):
                sock.close()
        self._streams = weakref.WeakSet()
        self._raw = weakref.WeakSet()


class _Tracked:
    def get_extra_info(self, info: str) -> Any:
        raise NotImplementedError


_CLOSED_WHILE_OPENING = "the client was closed while this connection was opening"


class TrackedStream(_Tracked, httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream, sockets: Sockets) -> None:
        self._inner = inner
        self._sockets = sockets

    @classmethod
    def track(cls, inner: httpcore.NetworkStream, sockets: Sockets) -> TrackedStream:
        stream = cls(inner, sockets)
        if not sockets.add(stream):
            inner.close()
            raise httpcore.ConnectError(_CLOSED_WHILE_OPENING)
        return stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _bounded(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _bounded(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        timeout = _bounded(timeout, httpcore.ConnectTimeout)
        return TrackedStream.track(
            self._inner.start_tls(ssl_context, server_hostname, timeout), self._sockets
        )

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class TrackedBackend(httpcore.NetworkBackend):
    """httpcore's sync backend, with every stream tracked and bounded by the attempt's end."""

    def __init__(self, inner: httpcore.NetworkBackend, sockets: Sockets) -> None:
        self._inner = inner
        self._sockets = sockets

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[SocketOption] | None = None,
    ) -> httpcore.NetworkStream:
        timeout = _bounded(timeout, httpcore.ConnectTimeout)
        stream = self._inner.connect_tcp(host, port, timeout, local_address, socket_options)
        return TrackedStream.track(stream, self._sockets)

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[SocketOption] | None = None,
    ) -> httpcore.NetworkStream:
        timeout = _bounded(timeout, httpcore.ConnectTimeout)
        return TrackedStream.track(
            self._inner.connect_unix_socket(path, timeout, socket_options), self._sockets
        )

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class AsyncTrackedStream(_Tracked, httpcore.AsyncNetworkStream):
    def __init__(self, inner: httpcore.AsyncNetworkStream, sockets: Sockets) -> None:
        self._inner = inner
        self._sockets = sockets

    @classmethod
    async def track(
        cls, inner: httpcore.AsyncNetworkStream, sockets: Sockets
    ) -> AsyncTrackedStream:
        stream = cls(inner, sockets)
        if not sockets.add(stream):
            await inner.aclose()
            raise httpcore.ConnectError(_CLOSED_WHILE_OPENING)
        return stream

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return await self._inner.read(max_bytes, _bounded(timeout, httpcore.ReadTimeout))

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self._inner.write(buffer, _bounded(timeout, httpcore.WriteTimeout))

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.AsyncNetworkStream:
        timeout = _bounded(timeout, httpcore.ConnectTimeout)
        stream = await self._inner.start_tls(ssl_context, server_hostname, timeout)
        return await AsyncTrackedStream.track(stream, self._sockets)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class AsyncTrackedBackend(httpcore.AsyncNetworkBackend):
    """httpcore's async backend, with every stream tracked and bounded by the attempt's end."""

    def __init__(self, inner: httpcore.AsyncNetworkBackend, sockets: Sockets) -> None:
        self._inner = inner
        self._sockets = sockets

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[SocketOption] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        timeout = _bounded(timeout, httpcore.ConnectTimeout)
        stream = await self._inner.connect_tcp(host, port, timeout, local_address, socket_options)
        return await AsyncTrackedStream.track(stream, self._sockets)

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[SocketOption] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        timeout = _bounded(timeout, httpcore.ConnectTimeout)
        stream = await self._inner.connect_unix_socket(path, timeout, socket_options)
        return await AsyncTrackedStream.track(stream, self._sockets)

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)
