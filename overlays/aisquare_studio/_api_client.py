"""The generated client a ``Studio``/``AsyncStudio`` hands out as ``api_client``. A module of its
own: the generated client is an attrs class, so this loads with the first client, not with
``import aisquare_studio``."""

from __future__ import annotations

from typing import Self

import httpx

from aisquare_studio_api.client import Client

from ._errors import StudioError


class ConfiguredAPIClient(Client):
    """The generated client a ``Studio``/``AsyncStudio`` hands out, wired to the SDK's httpx
    client. The generator's ``with_headers``/``with_cookies``/``with_timeout`` copies would drop
    that wiring (auth, retries, errors, the timeout check), so they point to ``with_options``."""

    def with_headers(self, headers: dict[str, str]) -> Client:
        raise StudioError(_USE_WITH_OPTIONS)

    def with_cookies(self, cookies: dict[str, str]) -> Client:
        raise StudioError(_USE_WITH_OPTIONS)

    def with_timeout(self, timeout: httpx.Timeout) -> Client:
        raise StudioError(_USE_WITH_OPTIONS)

    def set_httpx_client(self, client: httpx.Client) -> Self:
        if self._client is not None:
            raise StudioError(_OWN_HTTPX_CLIENT)
        return super().set_httpx_client(client)

    def set_async_httpx_client(self, async_client: httpx.AsyncClient) -> Self:
        if self._async_client is not None:
            raise StudioError(_OWN_HTTPX_CLIENT)
        return super().set_async_httpx_client(async_client)


_USE_WITH_OPTIONS = (
    "api_client copies would lose the SDK's auth, retries and errors: use "
    "studio.with_options(...).api_client instead"
)


_OWN_HTTPX_CLIENT = (
    "api_client sends through its Studio's connections, auth, retries and errors; to send "
    "through another httpx client, build a Client of the generated package for it"
)


class SyncAPIClient(ConfiguredAPIClient):
    """The generated client of a ``Studio``: its async functions would bypass the SDK's layers."""

    def get_async_httpx_client(self) -> httpx.AsyncClient:
        raise StudioError("Studio.api_client is sync: call sync_detailed/sync, or use AsyncStudio")


class AsyncAPIClient(ConfiguredAPIClient):
    """The generated client of an ``AsyncStudio``: its sync functions would bypass the SDK."""

    def get_httpx_client(self) -> httpx.Client:
        raise StudioError(
            "AsyncStudio.api_client is async: call asyncio_detailed/asyncio, or use Studio"
        )
