"""Bearer authentication as an httpx auth flow, with keys that may rotate."""

from __future__ import annotations

import inspect
from collections.abc import AsyncGenerator, Awaitable, Callable, Generator

import httpx

from ._awaitables import close_unawaited
from ._errors import StudioError

# A key, or something that returns the current one (e.g. a short-lived access token).
ApiKey = str | Callable[[], str]
AsyncApiKey = str | Callable[[], str] | Callable[[], Awaitable[str]]


def check_key(key: object) -> str:
    """Return ``key`` if it can travel in an Authorization header; the error never shows it."""
    if not isinstance(key, str):
        raise StudioError(f"The API key must be a str, got {type(key).__name__}")
    if not key.strip():
        raise StudioError("The API key is empty: pass api_key=... or set AISQUARE_API_KEY")
    if not (key.isascii() and key.isprintable()) or " " in key:
        raise StudioError(
            "The API key has spaces, control or non-ASCII characters: check its source"
        )
    return key


class BearerAuth(httpx.Auth):
    """Sends ``Authorization: Bearer <key>``.

    With a callable key, asks it for each request, and after a 401 asks once more and re-sends
    that request once, so a rotated access token is picked up without failing the call.
    """

    def __init__(self, key: str | Callable[[], object]) -> None:
        self._key = check_key(key) if isinstance(key, str) else key

    def __repr__(self) -> str:
        return f"{type(self).__name__}(key=<redacted>)"

    @property
    def rotates(self) -> bool:
        return callable(self._key)

    def fixed_header(self) -> str | None:
        """The Authorization value for a key that never changes, or None for a callable key."""
        return None if callable(self._key) else f"Bearer {self._key}"

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response]:
        _authorize(request, self._sync_key())
        response = yield request
        if response.status_code == 401 and self.rotates:
            _authorize(request, self._sync_key())
            yield request

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        _authorize(request, await self._async_key())
        response = yield request
        if response.status_code == 401 and self.rotates:
            _authorize(request, await self._async_key())
            yield request

    def _sync_key(self) -> str:
        key = self._call_key()
        if inspect.isawaitable(key):
            close_unawaited(key)
            raise StudioError("The api_key callable is async: use AsyncStudio, or a sync callable")
        return check_key(key)

    async def _async_key(self) -> str:
        key = self._call_key()
        if inspect.isawaitable(key):
            try:
                key = await key
            except Exception as exc:
                raise StudioError(f"The api_key callable failed: {type(exc).__name__}") from exc
        return check_key(key)

    def _call_key(self) -> object:
        if isinstance(self._key, str):
            return self._key
        try:
            return self._key()
        except Exception as exc:
            raise StudioError(f"The api_key callable failed: {type(exc).__name__}") from exc


def _authorize(request: httpx.Request, key: str) -> None:
    request.headers["Authorization"] = f"Bearer {key}"
