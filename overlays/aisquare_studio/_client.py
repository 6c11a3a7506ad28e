"""``Studio`` and ``AsyncStudio``: configuration, lifetime, and the typed ``videos`` facade."""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from types import TracebackType
from typing import Any, Self

import attrs
import httpx

from aisquare_studio_api.api.subpackage_videos import publish_create
from aisquare_studio_api.client import Client
from aisquare_studio_api.models import VideoDetail
from aisquare_studio_api.types import Response

from ._auth import ApiKey, AsyncApiKey, BearerAuth
from ._config import (
    DEFAULT_LIMITS,
    DEFAULT_TIMEOUT,
    USER_AGENT,
    check_video_id,
    resolve_base_url,
    resolve_headers,
    resolve_key,
    resolve_timeout,
)
from ._errors import StudioError
from ._http import AsyncHTTPClient, SyncHTTPClient
from ._pool import LoopBoundTransport, Pool
from ._retry import RetryPolicy, RetryTransport


@attrs.frozen
class _Settings:
    """Everything a client is configured with, checked; ``with_options`` evolves a copy."""

    base_url: str
    timeout: httpx.Timeout
    policy: RetryPolicy
    headers: Mapping[str, str]
    auth: BearerAuth = attrs.field(repr=False)

    @classmethod
    def build(
        cls,
        *,
        api_key: object,
        base_url: str | None,
        timeout: float | httpx.Timeout,
        max_retries: int | None,
        retry_policy: RetryPolicy | None,
        default_headers: Mapping[str, str] | None,
    ) -> _Settings:
        return cls(
            base_url=resolve_base_url(base_url),
            timeout=resolve_timeout(timeout),
            policy=_policy(retry_policy, max_retries),
            headers={"User-Agent": USER_AGENT, **resolve_headers(default_headers)},
            auth=BearerAuth(resolve_key(api_key)),
        )

    def evolve(
        self,
        *,
        timeout: float | httpx.Timeout | None,
        max_retries: int | None,
        deadline: float | None,
        retry_policy: RetryPolicy | None,
        default_headers: Mapping[str, str] | None,
    ) -> _Settings:
        policy = _policy(retry_policy or self.policy, max_retries)
        if deadline is not None:
            policy = attrs.evolve(policy, deadline=deadline)
        return attrs.evolve(
            self,
            timeout=self.timeout if timeout is None else resolve_timeout(timeout),
            policy=policy,
            headers={**self.headers, **resolve_headers(default_headers)},
        )

    def httpx_args(self, pool: Pool) -> dict[str, Any]:
        budget = pool.budget(self.policy.budget)
        transport = RetryTransport(
            pool.transport, self.policy, budget=budget, ensure_open=pool.ensure_open
        )
        headers = dict(self.headers)
        fixed = self.auth.fixed_header()
        if fixed is not None:
            # A key that never changes needs no auth flow: one header set here saves running the
            # flow's generator on every call. httpx masks the value in the headers' repr.
            headers["Authorization"] = fixed
        return {
            "base_url": self.base_url,
            "timeout": self.timeout,
            "headers": headers,
            "auth": None if fixed is not None else self.auth,
            "transport": transport,
            "follow_redirects": False,
        }


def _policy(policy: RetryPolicy | None, max_retries: int | None) -> RetryPolicy:
    policy = policy or RetryPolicy()
    return policy if max_retries is None else attrs.evolve(policy, max_retries=max_retries)


def _expect_parsed(response: Response[VideoDetail]) -> VideoDetail:
    # The HTTP layer has already raised for every failure; this guards the generated code's
    # "None for anything it did not expect" so a caller never gets None instead of a video.
    if response.parsed is None:  # pragma: no cover - unreachable while the HTTP layer checks
        raise StudioError("the generated client returned no VideoDetail for a checked response")
    return response.parsed


class _ConfiguredAPIClient(Client):
    """The generated client a ``Studio``/``AsyncStudio`` hands out, wired to the SDK's httpx
    client. The generator's ``with_headers``/``with_cookies``/``with_timeout`` copies would drop
    that wiring (auth, retries, errors, the timeout check), so they point to ``with_options``."""

    def with_headers(self, headers: dict[str, str]) -> Client:
        raise StudioError(_USE_WITH_OPTIONS)

    def with_cookies(self, cookies: dict[str, str]) -> Client:
        raise StudioError(_USE_WITH_OPTIONS)

    def with_timeout(self, timeout: httpx.Timeout) -> Client:
        raise StudioError(_USE_WITH_OPTIONS)


_USE_WITH_OPTIONS = (
    "api_client copies would lose the SDK's auth, retries and errors: use "
    "studio.with_options(...).api_client instead"
)


class _SyncAPIClient(_ConfiguredAPIClient):
    """The generated client of a ``Studio``: its async functions would bypass the SDK's layers."""

    def get_async_httpx_client(self) -> httpx.AsyncClient:
        raise StudioError("Studio.api_client is sync: call sync_detailed/sync, or use AsyncStudio")


class _AsyncAPIClient(_ConfiguredAPIClient):
    """The generated client of an ``AsyncStudio``: its sync functions would bypass the SDK."""

    def get_httpx_client(self) -> httpx.Client:
        raise StudioError(
            "AsyncStudio.api_client is async: call asyncio_detailed/asyncio, or use Studio"
        )


class _BaseStudio:
    _settings: _Settings
    _pool: Pool
    api_client: Client
    """The generated client, configured: generated functions called with it get the same auth,
    retries and errors as the facade."""

    def _wire(self, settings: _Settings, pool: Pool, api_client: type[Client]) -> None:
        self._settings = settings
        self._pool = pool
        self.api_client = api_client(base_url=settings.base_url, timeout=settings.timeout)

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
        )
        copy = object.__new__(type(self))
        copy._wire_http(settings, self._pool)
        return copy

    def _configure(
        self,
        pool: Pool,
        api_key: object,
        base_url: str | None,
        timeout: float | httpx.Timeout,
        max_retries: int | None,
        default_headers: Mapping[str, str] | None,
        retry_policy: RetryPolicy | None,
    ) -> None:
        """The constructors' shared part: check the settings, then wire the clients to ``pool``."""
        settings = _Settings.build(
            api_key=api_key,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            retry_policy=retry_policy,
            default_headers=default_headers,
        )
        self._wire_http(settings, pool)

    def _wire_http(self, settings: _Settings, pool: Pool) -> None:
        raise NotImplementedError


class Studio(_BaseStudio):
    """Synchronous client for the AISquare Studio API. See ``AsyncStudio`` for the parameters."""

    def __init__(
        self,
        api_key: ApiKey | None = None,
        base_url: str | None = None,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        max_retries: int | None = None,
        default_headers: Mapping[str, str] | None = None,
        transport: httpx.BaseTransport | None = None,
        retry_policy: RetryPolicy | None = None,
    ) -> None:
        if transport is not None and not isinstance(transport, httpx.BaseTransport):
            raise TypeError(f"Studio needs a sync httpx transport, got {type(transport).__name__}")
        pool = Pool(transport or httpx.HTTPTransport(limits=DEFAULT_LIMITS))
        self._configure(
            pool, api_key, base_url, timeout, max_retries, default_headers, retry_policy
        )

    def _wire_http(self, settings: _Settings, pool: Pool) -> None:
        if inspect.iscoroutinefunction(settings.policy.on_retry):
            raise StudioError("An async on_retry hook needs AsyncStudio; give Studio a sync one")
        self._wire(settings, pool, _SyncAPIClient)
        self._http = SyncHTTPClient(pool, **settings.httpx_args(pool))
        self.api_client.set_httpx_client(self._http)
        self.videos = Videos(self)

    def close(self) -> None:
        """Close the connection pool; this client and its copies refuse calls afterwards."""
        if not self._pool.closed:
            self._pool.closed = True
            self._http.close()

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


class AsyncStudio(_BaseStudio):
    """Asynchronous client for the AISquare Studio API (asyncio or trio).

    Args:
        api_key: the key, or a callable returning the current one (sync or async), called for
            each request and once more after a 401. None reads ``AISQUARE_API_KEY``.
        base_url: None reads ``AISQUARE_BASE_URL``, else ``https://api.aisquare.studio``. Plain
            http is refused except to loopback hosts.
        timeout: seconds per attempt (connect at most 5 s), or an ``httpx.Timeout`` with every
            part set. Default 60.
        max_retries: retries after the first attempt; None keeps the policy's (2 by default).
        default_headers: extra headers for every request.
        transport: the innermost httpx transport (e.g. ``httpx.MockTransport``, a sandbox, or a
            configured ``AsyncHTTPTransport`` for proxies); auth, retries and errors wrap it.
        retry_policy: when and how long to back off; see ``RetryPolicy``.
    """

    def __init__(
        self,
        api_key: AsyncApiKey | None = None,
        base_url: str | None = None,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        max_retries: int | None = None,
        default_headers: Mapping[str, str] | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        retry_policy: RetryPolicy | None = None,
    ) -> None:
        if transport is not None and not isinstance(transport, httpx.AsyncBaseTransport):
            raise TypeError(
                f"AsyncStudio needs an async httpx transport, got {type(transport).__name__}"
            )
        pool = Pool(transport or LoopBoundTransport(_async_pool))
        self._configure(
            pool, api_key, base_url, timeout, max_retries, default_headers, retry_policy
        )

    def _wire_http(self, settings: _Settings, pool: Pool) -> None:
        self._wire(settings, pool, _AsyncAPIClient)
        self._http = AsyncHTTPClient(pool, **settings.httpx_args(pool))
        self.api_client.set_async_httpx_client(self._http)
        self.videos = AsyncVideos(self)

    async def aclose(self) -> None:
        """Close the connection pool; this client and its copies refuse calls afterwards."""
        if not self._pool.closed:
            self._pool.closed = True
            await self._http.aclose()

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


def _async_pool() -> httpx.AsyncHTTPTransport:
    return httpx.AsyncHTTPTransport(limits=DEFAULT_LIMITS)


class Videos:
    """``studio.videos``: operations on videos."""

    def __init__(self, studio: Studio) -> None:
        self._studio = studio

    def publish(self, video_id: int) -> VideoDetail:
        """Publish a draft (set ``is_draft`` to False) and return the video as the server has it.

        Raises ``TypeError``/``ValueError`` for a bad id before sending anything, and errors from
        the ``StudioError`` tree for everything the server or network does.
        """
        response = publish_create.sync_detailed(
            check_video_id(video_id), client=self._studio.api_client
        )
        return _expect_parsed(response)


class AsyncVideos:
    """``studio.videos``: operations on videos."""

    def __init__(self, studio: AsyncStudio) -> None:
        self._studio = studio

    async def publish(self, video_id: int) -> VideoDetail:
        """Publish a draft (set ``is_draft`` to False) and return the video as the server has it.

        Raises ``TypeError``/``ValueError`` for a bad id before sending anything, and errors from
        the ``StudioError`` tree for everything the server or network does.
        """
        response = await publish_create.asyncio_detailed(
            check_video_id(video_id), client=self._studio.api_client
        )
        return _expect_parsed(response)
