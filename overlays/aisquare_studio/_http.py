"""The httpx clients the SDK sends through: every response checked, every failure translated.

These are the clients the generated functions use too (via ``Studio.api_client``), so a call made
either way gets the same retries, auth and errors. Only ``send`` differs between sync and async.

Each generated request carries its operation's record (``OPERATION_EXTENSION``: the declared
success statuses and how each body parses), so the check here is the same for every operation and
names none. A success body is decoded and parsed once, here: the generated ``from_dict`` checks
every value's JSON type as it builds the model, the result travels to the generated code on the
response (``PARSED_EXTENSION``), and when the body does not fit, its ``DocumentError`` names the
field.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Self

import httpx

from aisquare_studio_api.types import (
    OPERATION_EXTENSION,
    PARSED_EXTENSION,
    DocumentError,
    Operation,
)

from ._body import BodyTooLarge
from ._errors import (
    ResponseTooLargeError,
    ResponseValidationError,
    connection_error,
    status_error,
)
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

    def send(self, request: httpx.Request, **kwargs: Any) -> httpx.Response:
        if self._telemetry is None:
            return self._send(request, **kwargs)
        with self._telemetry.call(request) as call:
            response = self._send(request, **kwargs)
            call.succeeded(response)
            return response

    def _send(self, request: httpx.Request, **kwargs: Any) -> httpx.Response:
        self._pool.ensure_open()
        prepare_request(request)
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

    async def send(self, request: httpx.Request, **kwargs: Any) -> httpx.Response:
        if self._telemetry is None:
            return await self._send(request, **kwargs)
        with self._telemetry.call(request) as call:
            response = await self._send(request, **kwargs)
            call.succeeded(response)
            return response

    async def _send(self, request: httpx.Request, **kwargs: Any) -> httpx.Response:
        self._pool.ensure_open()
        prepare_request(request)
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


def too_large(exc: BodyTooLarge) -> ResponseTooLargeError:
    return ResponseTooLargeError(str(exc), response=exc.response, limit=exc.limit)


def prepare_request(request: httpx.Request) -> None:
    # The generated code declares a JSON body even when it sends none; an empty body is not JSON.
    if request.headers.get("content-length") == "0":
        request.headers.pop("content-type", None)


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
    name = success.type_name
    try:
        document = decode_json(response.content)
    except (ValueError, RecursionError):
        preview = response.content[:60].decode("utf-8", errors="replace")
        raise ResponseValidationError(
            f"expected a JSON {name}, got {_content_type(response)} body starting {preview!r}",
            field=None,
            response=response,
        ) from None
    try:
        parsed = success.parse(document)
    except DocumentError as error:  # names the field and says what is wrong
        where = f"{name}.{error}" if error.path else f"{name}: {error}"
        raise ResponseValidationError(where, field=error.path or None, response=response) from None
    except (TypeError, ValueError, KeyError, AttributeError, RecursionError):
        # A body the generator's own parser refuses (only a list or another shape that is not a
        # model has one): it does not say where.
        raise ResponseValidationError(
            f"{name}: the document does not fit", field=None, response=response
        ) from None
    response.extensions[PARSED_EXTENSION] = parsed


def operation_of(request: httpx.Request) -> Operation | None:
    """The record of the generated operation ``request`` was made for, if it was."""
    operation = request.extensions.get(OPERATION_EXTENSION)
    return operation if isinstance(operation, Operation) else None


def _declared(operation: Operation) -> str:
    return " or ".join(
        f"HTTP {status} with a {success.type_name}" for status, success in operation.success.items()
    )


def decode_json(content: bytes) -> Any:
    """``json.loads(content)``, through jiter where it is installed (about twice as fast on the
    API's documents; the ``fast`` extra installs it). jiter returns what ``json.loads`` returns,
    big integers and NaN included; whatever it refuses (a lone surrogate escape, deep nesting)
    goes to ``json.loads``, so which bodies are accepted does not depend on it being there."""
    fast = _fast_loads()
    if fast is not None:
        try:
            return fast(content)
        except ValueError:
            pass
    return json.loads(content)


@functools.cache
def _fast_loads() -> Callable[[bytes], Any] | None:
    # Imported on the first response rather than with the package: import time is every user's.
    # Not orjson: it turns integers beyond 64 bits into floats, where json.loads keeps them exact.
    try:
        from jiter import from_json
    except ImportError:
        return None
    return from_json


def _content_type(response: httpx.Response) -> str:
    # A hostile header may hold any byte: shown in an error, it must not break the line.
    text = (response.headers.get("content-type") or "untyped").split(";")[0].strip()[:60]
    return "".join(char if char.isprintable() else "?" for char in text)
