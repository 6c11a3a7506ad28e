"""How the SDK builds its own connection pools: the proxy ``httpx.Client`` would choose, the TLS
settings, and sockets tracked and bounded as ``_sockets.py`` describes.

httpx honours ``HTTP_PROXY``/``HTTPS_PROXY``/``ALL_PROXY``/``NO_PROXY`` only when it builds the
transport itself; the SDK always passes one (retries live there), so it applies the same rules
here, with httpx's own helpers, for the one base URL a client talks to.
"""

from __future__ import annotations

import ssl
from dataclasses import dataclass, field
from typing import Any

import httpx

from ._config import ProxySetting, VerifySetting
from ._errors import StudioError
from ._sockets import Sockets


def proxy_for(url: httpx.URL, proxy: ProxySetting | None, trust_env: bool) -> httpx.Proxy | None:
    """The proxy ``httpx.Client(proxy=proxy, trust_env=trust_env)`` sends a request to ``url``
    through, or None to connect directly."""
    if proxy is not None:
        return proxy if isinstance(proxy, httpx.Proxy) else httpx.Proxy(proxy)
    if not trust_env:
        return None
    # httpx's own environment reading and NO_PROXY matching (the same functions httpx.Client
    # uses, private to httpx: the version range in pyproject.toml is the one tested).
    from httpx._utils import URLPattern, get_environment_proxies

    mounts = [(URLPattern(key), value) for key, value in get_environment_proxies().items()]
    for pattern, value in sorted(mounts, key=lambda mount: mount[0]):
        if pattern.matches(url):
            return None if value is None else httpx.Proxy(value)
    return None


@dataclass(frozen=True, slots=True)
class Connections:
    """A recipe for the SDK's connection pool, so it can be built again: in a forked child,
    and for each event loop an async client meets."""

    base_url: str
    limits: httpx.Limits
    proxy: httpx.Proxy | None = field(default=None, repr=False)  # may carry credentials
    verify: VerifySetting = True
    trust_env: bool = True

    @classmethod
    def build(
        cls,
        base_url: str,
        limits: httpx.Limits,
        *,
        proxy: ProxySetting | None,
        verify: VerifySetting,
        trust_env: bool,
    ) -> Connections:
        if not isinstance(verify, bool | ssl.SSLContext):
            raise TypeError(f"verify must be True, False or an ssl.SSLContext, got {verify!r:.60}")
        if proxy is not None and not isinstance(proxy, str | httpx.URL | httpx.Proxy):
            raise TypeError(f"proxy must be a URL or an httpx.Proxy, got {type(proxy).__name__}")
        try:
            chosen = proxy_for(httpx.URL(base_url), proxy, trust_env)
        except (ValueError, httpx.InvalidURL) as exc:  # a proxy URL, or NO_PROXY, httpx refuses
            source = "proxy" if proxy is not None else "the proxy variables (HTTPS_PROXY, ...)"
            raise StudioError(f"{source}: {type(exc).__name__}: {exc}") from None
        return cls(base_url, limits, chosen, verify, trust_env)

    def _options(self) -> dict[str, Any]:
        return {
            "verify": self.verify,
            "trust_env": self.trust_env,
            "limits": self.limits,
            "proxy": self.proxy,
        }

    def sync_transport(self, sockets: Sockets) -> httpx.HTTPTransport:
        from ._backends import TrackedBackend  # httpcore: at the first pool, not at import

        transport = httpx.HTTPTransport(**self._options())
        backend = _httpcore_pool(transport)
        backend._network_backend = TrackedBackend(backend._network_backend, sockets)
        return transport

    def async_transport(self, sockets: Sockets) -> httpx.AsyncHTTPTransport:
        from ._backends import AsyncTrackedBackend  # httpcore: at the first pool, not at import

        transport = httpx.AsyncHTTPTransport(**self._options())
        backend = _httpcore_pool(transport)
        backend._network_backend = AsyncTrackedBackend(backend._network_backend, sockets)
        return transport

    def aiohttp_transport(self, sockets: Sockets) -> httpx.AsyncBaseTransport:
        """aiohttp's pool for ``AsyncStudio(transport="aiohttp")`` (``_aiohttp.py``)."""
        from ._aiohttp import StudioAiohttpTransport

        return StudioAiohttpTransport(
            verify=self.verify,
            trust_env=self.trust_env,
            limits=self.limits,
            proxy=self.proxy,
            sockets=sockets,
        )


def _httpcore_pool(transport: httpx.HTTPTransport | httpx.AsyncHTTPTransport) -> Any:
    # httpx keeps its httpcore pool (direct, HTTP proxy or SOCKS proxy alike) in ``_pool``, and
    # httpcore reads the network backend from the pool's ``_network_backend`` for every
    # connection. httpx offers no public way to hand one in; tests/test_sockets.py fails if
    # this stops being where they are.
    pool = getattr(transport, "_pool", None)
    if pool is None or not hasattr(pool, "_network_backend"):
        raise RuntimeError(
            f"httpx {httpx.__version__} keeps its connection pool where this SDK cannot bound "
            "its sockets: install a version of httpx this SDK supports"
        )
    return pool
