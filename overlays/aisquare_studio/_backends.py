"""httpcore's network backends with every stream tracked (``_sockets.Sockets``) and each
socket operation bounded by the end of its attempt: see ``_sockets.py``. A module of its own so
that httpcore, and the anyio it loads, wait for the first connection pool the SDK builds.

httpcore's interface names its parameter ``timeout``: the async methods keep that name
(ruff's ASYNC109 is off for this file in pyproject.toml).
"""

from __future__ import annotations

import ssl
from collections.abc import Iterable
from typing import Any

import httpcore

from ._sockets import SocketOption, Sockets, _bounded, _Tracked

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
