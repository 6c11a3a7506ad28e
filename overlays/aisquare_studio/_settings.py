"""A client's settings and the constructors' shared part, loaded with the first client: what
only building a client needs waits for it, so ``import aisquare_studio`` stays cheap."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import httpx

from ._auth import BearerAuth
from ._body import ACCEPT_ENCODING
from ._config import (
    DEFAULT_LIMITS,
    USER_AGENT,
    ProxySetting,
    VerifySetting,
    attempt_seconds,
    resolve_base_url,
    resolve_headers,
    resolve_key,
    resolve_max_response_bytes,
    resolve_timeout,
    resolve_transport,
)
from ._connections import Connections
from ._errors import StudioError
from ._pool import Pool
from ._retry import RetryPolicy, RetryTransport
from ._sockets import Sockets
from ._telemetry import instruments_for

if TYPE_CHECKING:
    from ._otel import Instruments


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything a client is configured with, checked; ``with_options`` evolves a copy."""

    base_url: str
    timeout: httpx.Timeout
    policy: RetryPolicy
    headers: Mapping[str, str]
    max_response_bytes: int
    auth: BearerAuth = field(repr=False)
    telemetry: Instruments | None = None

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
        max_response_bytes: int,
        telemetry: object,
    ) -> Settings:
        return cls(
            base_url=resolve_base_url(base_url),
            timeout=resolve_timeout(timeout),
            policy=_policy(retry_policy, max_retries),
            headers={
                "User-Agent": USER_AGENT,
                "Accept-Encoding": ACCEPT_ENCODING,
                **resolve_headers(default_headers),
            },
            max_response_bytes=resolve_max_response_bytes(max_response_bytes),
            auth=BearerAuth(resolve_key(api_key)),
            telemetry=instruments_for(telemetry),
        )

    def evolve(
        self,
        *,
        timeout: float | httpx.Timeout | None,
        max_retries: int | None,
        deadline: float | None,
        retry_policy: RetryPolicy | None,
        default_headers: Mapping[str, str] | None,
        max_response_bytes: int | None,
    ) -> Settings:
        policy = _policy(retry_policy or self.policy, max_retries)
        if deadline is not None:
            policy = replace(policy, deadline=deadline)
        return replace(
            self,
            timeout=self.timeout if timeout is None else resolve_timeout(timeout),
            policy=policy,
            headers={**self.headers, **resolve_headers(default_headers)},
            max_response_bytes=(
                self.max_response_bytes
                if max_response_bytes is None
                else resolve_max_response_bytes(max_response_bytes)
            ),
        )

    def httpx_args(self, pool: Pool) -> dict[str, Any]:
        budget = pool.budget(self.policy.budget)
        transport = RetryTransport(
            pool,
            self.policy,
            budget=budget,
            lifetime=pool,
            attempt_timeout=attempt_seconds(self.timeout),
            max_response_bytes=self.max_response_bytes,
            telemetry=self.telemetry,
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
    return policy if max_retries is None else replace(policy, max_retries=max_retries)


@dataclass(frozen=True, slots=True)
class Options:
    """The constructors' arguments, as given: ``configure`` checks them."""

    api_key: object = field(repr=False)
    base_url: str | None
    timeout: float | httpx.Timeout
    max_retries: int | None
    default_headers: Mapping[str, str] | None
    retry_policy: RetryPolicy | None
    proxy: ProxySetting | None = field(repr=False)
    verify: VerifySetting
    trust_env: bool
    max_response_bytes: int
    telemetry: object


def configure(
    transport: httpx.BaseTransport | httpx.AsyncBaseTransport | str | None,
    is_async: bool,
    options: Options,
) -> tuple[Settings, Pool]:
    """The constructors' shared part: the settings, checked, and the connection pool."""
    settings = Settings.build(
        api_key=options.api_key,
        base_url=options.base_url,
        timeout=options.timeout,
        max_retries=options.max_retries,
        retry_policy=options.retry_policy,
        default_headers=options.default_headers,
        max_response_bytes=options.max_response_bytes,
        telemetry=options.telemetry,
    )
    if transport is None or isinstance(transport, str):
        # Studio has checked its string already: sync is httpx's alone.
        pool_kind = resolve_transport(transport) if is_async else "httpx"
        connections = Connections.build(
            settings.base_url,
            DEFAULT_LIMITS,
            proxy=options.proxy,
            verify=options.verify,
            trust_env=options.trust_env,
        )
        build: Callable[[Sockets], httpx.BaseTransport | httpx.AsyncBaseTransport]
        build = connections.sync_transport
        if pool_kind == "aiohttp":
            build = connections.aiohttp_transport
        elif is_async:
            build = connections.async_transport
        pool = Pool(build=build)
    elif options.proxy is not None or options.verify is not True:
        raise StudioError(
            "proxy= and verify= configure the connections the SDK builds: with your own "
            "transport, configure them on the transport"
        )
    else:
        pool = Pool(transport=transport)
    return settings, pool
