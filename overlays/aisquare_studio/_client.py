"""``Studio`` and ``AsyncStudio``: configuration and lifetime. The operations they carry
(``studio.videos`` and every other resource of the spec) are generated: ``SyncResources`` and
``AsyncResources`` in ``aisquare_studio_api.api``."""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Literal, Self

import httpx

from aisquare_studio_api.api import AsyncResources, SyncResources

from ._auth import ApiKey, AsyncApiKey
from ._body import DEFAULT_MAX_RESPONSE_BYTES
from ._config import DEFAULT_TIMEOUT, ProxySetting, VerifySetting
from ._errors import PageLimitError, StudioError
from ._retry import RetryPolicy

if TYPE_CHECKING:
    from aisquare_studio_api.client import Client

    from ._pool import Pool
    from ._settings import Options, Settings
    from ._telemetry import TelemetrySetting


SYNC_HAS_NO_AIOHTTP = (
    "transport='aiohttp' is for AsyncStudio only: aiohttp has no sync client, and Studio "
    "sends through httpx (transport='httpx', the default)"
)


class _BaseStudio:
    _settings: Settings
    _pool: Pool
    api_client: Client
    """The generated client, configured: generated functions called with it get the same auth,
    retries and errors as the facade."""

    def _wire(self, settings: Settings, pool: Pool, api_client: type[Client]) -> None:
        self._settings = settings
        self._pool = pool
        self.api_client = api_client(base_url=settings.base_url, timeout=settings.timeout)
        # The generated facade of every resource, sending through api_client.
        self._attach_resources(self.api_client, PageLimitError)

    def _attach_resources(
        self, client: Client, page_limit_error: type[PageLimitError]
    ) -> None:  # pragma: no cover - SyncResources and AsyncResources, generated, come first
        raise NotImplementedError

    @property
    def base_url(self) -> str:
        """The API root every call goes to, without a trailing slash."""
        return self._settings.base_url

    @property
    def retry_policy(self) -> RetryPolicy:
        """The retry policy in force, ``max_retries`` and ``with_options`` overrides included."""
        return self._settings.policy

    @property
    def timeout(self) -> httpx.Timeout:
        """The per-attempt timeout, in seconds for each phase (connect, read, write, pool)."""
        return self._settings.timeout

    @property
    def is_closed(self) -> bool:
        """Whether this client, or the one it was copied from or to, has been closed."""
        return self._pool.closed

    def __repr__(self) -> str:
        state = "closed" if self._pool.closed else "open"
        return f"<{type(self).__name__} base_url={self.base_url!r} {state}>"

    def with_options(
        self,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        deadline: float | None = None,
        retry_policy: RetryPolicy | None = None,
        default_headers: Mapping[str, str] | None = None,
        max_response_bytes: int | None = None,
    ) -> Self:
        """A copy with other settings (None keeps this client's), sharing this client's
        connection pool, lifetime and retry budget; ``default_headers`` are added to the current
        ones. ``deadline`` is seconds for a whole call, all attempts and waits included, e.g.
        ``studio.with_options(deadline=10).videos.publish(42)``."""
        settings = self._settings.evolve(
            timeout=timeout,
            max_retries=max_retries,
            deadline=deadline,
            retry_policy=retry_policy,
            default_headers=default_headers,
            max_response_bytes=max_response_bytes,
        )
        copy = object.__new__(type(self))
        copy._wire_http(settings, self._pool)
        return copy

    def _configure(
        self,
        transport: httpx.BaseTransport | httpx.AsyncBaseTransport | str | None,
        is_async: bool,
        options: Options,
    ) -> None:
        """The constructors' shared part: check the settings, build the connection pool, and
        wire the clients to it."""
        from ._settings import configure

        self._wire_http(*configure(transport, is_async, options))

    def _wire_http(self, settings: Settings, pool: Pool) -> None:
        raise NotImplementedError


class Studio(SyncResources, _BaseStudio):
    """Synchronous client for the AISquare Studio API. See ``AsyncStudio`` for the parameters.

    Each resource of the API is an attribute (``studio.videos``) with a method per operation."""

    def __init__(
        self,
        api_key: ApiKey | None = None,
        base_url: str | None = None,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        max_retries: int | None = None,
        default_headers: Mapping[str, str] | None = None,
        transport: httpx.BaseTransport | Literal["httpx"] | None = None,
        retry_policy: RetryPolicy | None = None,
        *,
        proxy: ProxySetting | None = None,
        verify: VerifySetting = True,
        trust_env: bool = True,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        telemetry: TelemetrySetting = False,
    ) -> None:
        if isinstance(transport, str):
            name: str = transport  # the types rule "aiohttp" out; a caller may still pass it
            if name == "aiohttp":
                raise StudioError(SYNC_HAS_NO_AIOHTTP)
            if name == "httpx":  # the only pool a sync client has; AISQUARE_TRANSPORT is async's
                transport = None
        if transport is not None and not isinstance(transport, httpx.BaseTransport):
            raise TypeError(f"Studio needs a sync httpx transport, got {type(transport).__name__}")
        from ._settings import Options  # with the first client: see _settings.py

        options = Options(
            api_key,
            base_url,
            timeout,
            max_retries,
            default_headers,
            retry_policy,
            proxy,
            verify,
            trust_env,
            max_response_bytes,
            telemetry,
        )
        self._configure(transport, False, options)

    def _wire_http(self, settings: Settings, pool: Pool) -> None:
        if inspect.iscoroutinefunction(settings.policy.on_retry):
            raise StudioError("An async on_retry hook needs AsyncStudio; give Studio a sync one")
        from ._api_client import SyncAPIClient  # attrs, with the first client

        self._wire(settings, pool, SyncAPIClient)
        from ._http import SyncHTTPClient

        self._http = SyncHTTPClient(pool, settings.telemetry, **settings.httpx_args(pool))
        self.api_client.set_httpx_client(self._http)

    def close(self) -> None:
        """Close the connections. Calls still in flight in other threads end at once with a
        ``StudioError`` saying the client is closed (one still connecting, when its connect
        timeout ends), and this returns once they have; this client and its copies refuse
        calls afterwards."""
        self._pool.close()

    def __enter__(self) -> Self:
        self._pool.ensure_open()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncStudio(AsyncResources, _BaseStudio):
    """Asynchronous client for the AISquare Studio API (asyncio or trio).

    Each resource of the API is an attribute (``studio.videos``) with a method per operation,
    e.g. ``await studio.videos.publish(42)``.

    Args:
        api_key: the key, or a callable returning the current one (sync or async), called for
            each request and once more after a 401. None reads ``AISQUARE_API_KEY``.
        base_url: None reads ``AISQUARE_BASE_URL``, else ``https://api.aisquare.studio``. Plain
            http is refused except to loopback hosts.
        timeout: seconds an attempt may take, from connecting to the last byte of the body
            (connecting at most 5 s), or an ``httpx.Timeout`` with every part set, whose largest
            part bounds the attempt. Default 60.
        max_retries: retries after the first attempt; None keeps the policy's (2 by default).
        default_headers: extra headers for every request.
        transport: the connection pool: ``"httpx"`` (httpx's), ``"aiohttp"`` (aiohttp's, asyncio
            only, with the ``aiohttp`` extra), or an httpx transport of your own (e.g.
            ``httpx.MockTransport`` or a sandbox's). Auth, retries and errors wrap it
            whichever it is. None reads ``AISQUARE_TRANSPORT``, else ``"httpx"``.
        retry_policy: when and how long to back off; see ``RetryPolicy``.
        proxy: the proxy every request goes through (a URL or an ``httpx.Proxy``). None: the
            ``HTTPS_PROXY``/``HTTP_PROXY``/``ALL_PROXY``/``NO_PROXY`` variables decide, as they do
            for ``httpx.Client()``, unless ``trust_env`` is False.
        verify: True checks the server's certificate against certifi's roots, or the
            ``SSL_CERT_FILE``/``SSL_CERT_DIR`` variables' when ``trust_env``; an
            ``ssl.SSLContext`` is used as given; False turns checking off.
        trust_env: whether the environment's proxy and certificate variables apply.
        max_response_bytes: the largest response body accepted, decoded (default 16 MiB);
            past it, or for a body inflating over 100 times, ``ResponseTooLargeError``.
        telemetry: OpenTelemetry spans and metrics for every call: True reports to the global
            providers, a ``Telemetry`` to the ones it names; False (default) imports nothing
            and costs nothing. Needs the ``otel`` extra. See docs/observability.md.
    """

    def __init__(
        self,
        api_key: AsyncApiKey | None = None,
        base_url: str | None = None,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        max_retries: int | None = None,
        default_headers: Mapping[str, str] | None = None,
        transport: httpx.AsyncBaseTransport | Literal["httpx", "aiohttp"] | None = None,
        retry_policy: RetryPolicy | None = None,
        *,
        proxy: ProxySetting | None = None,
        verify: VerifySetting = True,
        trust_env: bool = True,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        telemetry: TelemetrySetting = False,
    ) -> None:
        if not (transport is None or isinstance(transport, str | httpx.AsyncBaseTransport)):
            raise TypeError(
                f"AsyncStudio needs an async httpx transport, got {type(transport).__name__}"
            )
        from ._settings import Options  # with the first client: see _settings.py

        options = Options(
            api_key,
            base_url,
            timeout,
            max_retries,
            default_headers,
            retry_policy,
            proxy,
            verify,
            trust_env,
            max_response_bytes,
            telemetry,
        )
        self._configure(transport, True, options)

    def _wire_http(self, settings: Settings, pool: Pool) -> None:
        from ._api_client import AsyncAPIClient  # attrs, with the first client

        self._wire(settings, pool, AsyncAPIClient)
        from ._http import AsyncHTTPClient

        self._http = AsyncHTTPClient(pool, settings.telemetry, **settings.httpx_args(pool))
        self.api_client.set_async_httpx_client(self._http)

    async def aclose(self) -> None:
        """Close the connections. Calls still in flight in this event loop are cancelled and
        end with a ``StudioError`` saying the client is closed, and this returns once they have;
        this client and its copies refuse calls afterwards."""
        await self._pool.aclose()

    async def __aenter__(self) -> Self:
        self._pool.ensure_open()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
