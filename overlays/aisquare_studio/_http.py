"""The httpx clients the SDK sends through: every response checked, every failure translated.

These are the clients the generated functions use too (via ``Studio.api_client``), so a call made
either way gets the same retries, auth and errors. Only ``send`` differs between sync and async.

Each generated request carries its operation's record (``OPERATION_EXTENSION``: the declared
success statuses and how each body parses), so the check here is the same for every operation and
names none. A success body is parsed once, here (``_parsing``), and the model travels to the
generated code on the response (``PARSED_EXTENSION``), which takes it off.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

import httpx

from aisquare_studio_api.types import (
    OPERATION_EXTENSION,
    PARSED_EXTENSION,
    Operation,
)

from ._body import BodyTooLarge
from ._errors import (
    ResponseTooLargeError,
    ResponseValidationError,
    connection_error,
    status_error,
)
from ._parsing import parse_success
from ._pool import Pool

if TYPE_CHECKING:  # only a client built with telemetry imports OpenTelemetry
    from ._otel import Instruments


class SyncHTTPClient(httpx.Client):
    """The sync client behind ``Studio``. Its connections belong to the ``Studio``: closing this
    client (``with studio.api_client:`` does) leaves them open; ``studio.close()`` closes them."""

    def __init__(self, pool: Pool, telemetry: Instruments | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._pool = pool
        self._telemetry = telemetry
        self._urls = URLCache()
        self._cookies = ResponseCookies(self._cookies.jar)

    def build_request(self, method: str, url: httpx.URL | str, **kwargs: Any) -> httpx.Request:
        return super().build_request(method, self._urls.absolute(self, url), **kwargs)

    def send(self, request: httpx.Request, **kwargs: Any) -> httpx.Response:
        if self._telemetry is None:
            return self._send(request, **kwargs)
        with self._telemetry.call(request) as call:
            response = self._send(request, **kwargs)
            call.succeeded(response)
            return response

    def _send(self, request: httpx.Request, **kwargs: Any) -> httpx.Response:
        self._pool.ensure_open()
        try:
            response = super().send(request, **kwargs)
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            raise connection_error(exc, request) from exc
        except BodyTooLarge as exc:
            raise too_large(exc) from None
        check_response(response)
        return response

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        pass

    def close(self) -> None:
        """Leaves the connections open: they belong to the ``Studio`` (``studio.close()``)."""


class AsyncHTTPClient(httpx.AsyncClient):
    """The async client behind ``AsyncStudio``; like ``SyncHTTPClient``, closing it leaves the
    ``AsyncStudio``'s connections open."""

    def __init__(self, pool: Pool, telemetry: Instruments | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._pool = pool
        self._telemetry = telemetry
        self._urls = URLCache()
        self._cookies = ResponseCookies(self._cookies.jar)

    def build_request(self, method: str, url: httpx.URL | str, **kwargs: Any) -> httpx.Request:
        return super().build_request(method, self._urls.absolute(self, url), **kwargs)

    async def send(self, request: httpx.Request, **kwargs: Any) -> httpx.Response:
        if self._telemetry is None:
            return await self._send(request, **kwargs)
        with self._telemetry.call(request) as call:
            response = await self._send(request, **kwargs)
            call.succeeded(response)
            return response

    async def _send(self, request: httpx.Request, **kwargs: Any) -> httpx.Response:
        self._pool.ensure_open()
        try:
            response = await super().send(request, **kwargs)
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            raise connection_error(exc, request) from exc
        except BodyTooLarge as exc:
            raise too_large(exc) from None
        check_response(response)
        return response

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        pass

    async def aclose(self) -> None:
        """Leaves the connections open: they belong to the ``AsyncStudio`` (``aclose()``)."""


class ResponseCookies(httpx.Cookies):
    """The client's cookie jar, which reads a response's cookies only when it has some.

    httpx hands every response to ``http.cookiejar`` through urllib-shaped copies of the request
    and response, about a tenth of a call's cost, even when no header sets a cookie. Those
    headers are the only thing the jar reads from a response, so a response without them is
    skipped; cookies a server sets are kept and sent back as before.
    """

    def extract_cookies(self, response: httpx.Response) -> None:
        headers = response.headers
        if "set-cookie" in headers or "set-cookie2" in headers:
            super().extract_cookies(response)


class URLCache:
    """The absolute URLs of the paths a client is asked for, each parsed once.

    httpx parses a relative URL, then the base URL joined to it, on every request: two parses,
    the costliest step of building a request. The generated code asks for the same few paths
    again and again, and an ``httpx.URL`` is immutable, so each absolute URL is kept (up to
    ``SIZE`` of them) and handed to httpx whole, which then parses nothing. A new ``base_url``
    empties the cache.
    """

    SIZE = 512

    def __init__(self) -> None:
        self._base: httpx.URL | None = None
        self._urls: dict[str, httpx.URL] = {}

    def absolute(
        self, client: httpx.Client | httpx.AsyncClient, url: httpx.URL | str
    ) -> httpx.URL | str:
        if type(url) is not str:
            return url
        base = client.base_url
        if base is not self._base:
            self._base, self._urls = base, {}
        found = self._urls.get(url)
        if found is None:
            if len(self._urls) >= self.SIZE:
                self._urls = {}  # dropped whole: the paths of a working set come back at once
            # httpx's own join, so the result is what httpx would build; private, but in every
            # httpx this SDK allows (a test compares).
            found = self._urls[url] = client._merge_url(url)
        return found


def too_large(exc: BodyTooLarge) -> ResponseTooLargeError:
    return ResponseTooLargeError(str(exc), response=exc.response, limit=exc.limit)


def check_response(response: httpx.Response) -> None:
    """Raise the SDK's error for a failed or malformed response; return when it is usable."""
    status = response.status_code
    if not 200 <= status < 300:
        raise status_error(response)
    operation = operation_of(response.request)
    if operation is None:
        return  # not a generated request: nothing declared to check it against
    success = operation.success.get(status)
    if success is None:
        raise ResponseValidationError(
            f"expected {_declared(operation)}, got HTTP {status}", field=None, response=response
        )
    if success.parse is None:
        return  # no JSON body declared: the generated code reads it as it is
    response.extensions[PARSED_EXTENSION] = parse_success(success, response)


def operation_of(request: httpx.Request) -> Operation | None:
    """The record of the generated operation ``request`` was made for, if it was."""
    operation = request.extensions.get(OPERATION_EXTENSION)
    return operation if isinstance(operation, Operation) else None


def _declared(operation: Operation) -> str:
    return " or ".join(
        f"HTTP {status} with a {success.type_name}" for status, success in operation.success.items()
    )
