"""``AsyncStudio(transport="aiohttp")``: aiohttp's connection pool under the same SDK, through
httpx-aiohttp's transport. Imported only when chosen: aiohttp is the ``aiohttp`` extra.

The SDK's layers (auth, retries, deadlines, body bounds, errors) sit above the transport and do
not change. What the httpx pool gets from ``_sockets.py`` is provided here another way: the
attempt's end is the retry layer's cancel scope (aiohttp has no socket layer to bound), every
socket comes from a factory that records it (so ``aclose()`` and a fork can let go of them), and
aiohttp's failures become httpx's, which ``_errors.py`` translates as for the default transport.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator, Iterator
from typing import Any

import aiohttp
import httpx
from httpx_aiohttp import AiohttpTransport

from ._config import ASYNCIO_ONLY
from ._errors import StudioError
from ._sockets import Sockets

# aiohttp reads a body in pieces of this size; _body.py cuts them smaller before inflating.
_CHUNK = 64 * 1024


def check_proxy(proxy: httpx.Proxy | None) -> None:
    """Refuse at construction a proxy aiohttp cannot use."""
    if proxy is not None and proxy.url.scheme not in ("http", "https"):
        raise StudioError(
            f"transport='aiohttp' cannot use a {proxy.url.scheme} proxy (aiohttp speaks to HTTP "
            "and HTTPS proxies only): use the default transport='httpx' for it"
        )


class StudioAiohttpTransport(AiohttpTransport):
    """httpx-aiohttp's transport with the SDK's connection rules: one ``ClientSession`` per
    event loop (the pool builds one transport per loop), made on the first request inside it;
    no cookie jar of its own (httpx's client keeps the cookies, and sends them in the request);
    the body left encoded, for ``_body.py`` to inflate within bounds; every socket recorded;
    every failure an httpx exception."""

    def __init__(
        self,
        *,
        verify: Any,
        trust_env: bool,
        limits: httpx.Limits,
        proxy: httpx.Proxy | None,
        sockets: Sockets,
    ) -> None:
        check_proxy(proxy)
        super().__init__(verify=verify, trust_env=trust_env, limits=limits, proxy=proxy)
        self._sockets = sockets
        self.client = self._new_session

    def _new_session(self) -> aiohttp.ClientSession:
        connector = aiohttp.TCPConnector(
            limit=self.limits.max_connections or 0,
            keepalive_timeout=self.limits.keepalive_expiry,
            ssl=self.ssl_context,
            socket_factory=self._open_socket,  # aiohttp >= 3.12: every socket is recorded
        )
        return aiohttp.ClientSession(
            connector=connector,
            cookie_jar=aiohttp.DummyCookieJar(),
            # The proxy was chosen already, as httpx.Client would (``_connections.py``).
            trust_env=False,
            read_bufsize=_CHUNK,
            # httpx has set every header the request needs; aiohttp would claim a body of
            # application/octet-stream for a POST that has none.
            skip_auto_headers=("Content-Type",),
        )

    def _open_socket(self, addr_info: Any) -> socket.socket:
        family, type_, proto, _, _ = addr_info
        sock = socket.socket(family=family, type=type_, proto=proto)
        if not self._sockets.add_socket(sock):
            # aclose() has begun: a connection opening now must not carry the request.
            sock.close()
            raise OSError("the client was closed while this connection was opening")
        return sock

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            raise StudioError(ASYNCIO_ONLY) from None
        with _translated(request):
            response = await super().handle_async_request(request)
        assert isinstance(response.stream, httpx.AsyncByteStream)  # httpx-aiohttp's body
        response.stream = _Body(response.stream, request)
        return response

    def abandon_after_fork(self) -> None:
        """In a forked child (``Pool`` calls it): set the parent's session aside. Collected,
        it would close its connections through the parent's event loop, whose epoll the child
        shares; kept, it never runs again. Its sockets' copies here are closed by ``Sockets``."""
        if isinstance(self.client, aiohttp.ClientSession):
            _ABANDONED.append(self.client)
        self.client = self._new_session


class _Body(httpx.AsyncByteStream):
    """httpx-aiohttp's response body, its failures translated like the request's."""

    def __init__(self, inner: httpx.AsyncByteStream, request: httpx.Request) -> None:
        self._inner = inner
        self._request = request

    async def __aiter__(self) -> AsyncIterator[bytes]:
        with _translated(self._request):
            async for chunk in self._inner:
                yield chunk

    async def aclose(self) -> None:
        with _translated(self._request):
            await self._inner.aclose()


# From the most specific: the first class an aiohttp failure is an instance of decides.
_TRANSLATIONS: tuple[tuple[type[BaseException], type[httpx.TransportError]], ...] = (
    (aiohttp.ClientConnectorCertificateError, httpx.ConnectError),
    (aiohttp.ClientProxyConnectionError, httpx.ProxyError),
    (aiohttp.ClientHttpProxyError, httpx.ProxyError),
    (aiohttp.ConnectionTimeoutError, httpx.ConnectTimeout),
    (aiohttp.SocketTimeoutError, httpx.ReadTimeout),
    (aiohttp.ServerTimeoutError, httpx.ReadTimeout),
    (aiohttp.ClientConnectorError, httpx.ConnectError),
    # The connection ended before the whole answer: what httpx says for the same thing.
    (aiohttp.ServerDisconnectedError, httpx.RemoteProtocolError),
    (aiohttp.ClientPayloadError, httpx.RemoteProtocolError),
    # aiohttp's parser refusing the answer (a bad status line, headers too long).
    (aiohttp.ClientResponseError, httpx.RemoteProtocolError),
    (aiohttp.InvalidURL, httpx.UnsupportedProtocol),
    (aiohttp.NonHttpUrlClientError, httpx.UnsupportedProtocol),
    (aiohttp.ClientOSError, httpx.ReadError),
    (aiohttp.ClientConnectionError, httpx.ReadError),
    (aiohttp.ClientError, httpx.TransportError),
    (TimeoutError, httpx.ReadTimeout),
    (OSError, httpx.NetworkError),
)


def translate(exc: BaseException, request: httpx.Request) -> httpx.TransportError | None:
    """The httpx exception for an aiohttp failure (or for httpx-aiohttp's own translation of
    one, which calls a reset connection a connect timeout); None for anything else."""
    cause = exc.__cause__ if isinstance(exc, httpx.TransportError) else exc
    if cause is None:
        return None
    for source, target in _TRANSLATIONS:
        if isinstance(cause, source):
            return target(f"{type(cause).__name__}: {cause}" if str(cause) else "", request=request)
    return None


@contextlib.contextmanager
def _translated(request: httpx.Request) -> Iterator[None]:
    try:
        yield
    except (httpx.TransportError, aiohttp.ClientError, OSError) as exc:
        translated = translate(exc, request)
        if translated is None:
            raise
        cause = exc.__cause__ if isinstance(exc, httpx.TransportError) else exc
        if isinstance(cause, aiohttp.ClientConnectorCertificateError):
            # Chained from the ssl module's own failure, as httpx's are: it says what is wrong
            # with the certificate (aiohttp's error copies its class but not its details).
            cause = cause.certificate_error
        raise translated from cause


# Sessions a forked child inherited: never used, never collected (see ``abandon_after_fork``).
_ABANDONED: list[aiohttp.ClientSession] = []
