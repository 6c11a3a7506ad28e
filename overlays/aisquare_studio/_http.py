"""The httpx clients the SDK sends through: every response checked, every failure translated.

These are the clients the generated functions use too (via ``Studio.api_client``), so a call made
either way gets the same retries, auth and errors. Only ``send`` differs between sync and async.

A success body is decoded and parsed once, here: the generated ``from_dict`` checks every value's
JSON type as it builds the model, the parsed model travels to the generated code on the response
(``PARSED_EXTENSION``); when the body does not fit, its ``DocumentError`` names the field.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Mapping
from typing import Any, Protocol, Self

import httpx

from aisquare_studio_api.models import VideoDetail
from aisquare_studio_api.types import DocumentError

from ._body import BodyTooLarge
from ._errors import (
    ResponseTooLargeError,
    ResponseValidationError,
    connection_error,
    status_error,
)
from ._pool import Pool

# The generated ``_parse_response`` (codegen/templates/endpoint_module.py.jinja) takes the model
# from this response extension instead of decoding and parsing the body a second time.
PARSED_EXTENSION = "aisquare_studio_api.parsed"


class Model(Protocol):
    """A generated model: its ``from_dict`` raises when the document does not fit the schema."""

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self: ...


# The model of each operation's 200 response in openapi.yaml, matched on the end of the path so a
# base URL with a path prefix works. tests/test_http.py checks this table against the spec.
SUCCESS_MODELS: tuple[tuple[str, re.Pattern[str], type[Model]], ...] = (
    ("POST", re.compile(r"/api/v1/videos/[^/]+/publish/\Z"), VideoDetail),
)


class SyncHTTPClient(httpx.Client):
    """The sync client behind ``Studio``. Its connections belong to the ``Studio``: closing this
    client (``with studio.api_client:`` does) leaves them open; ``studio.close()`` closes them."""

    def __init__(self, pool: Pool, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._pool = pool

    def send(self, request: httpx.Request, **kwargs: Any) -> httpx.Response:
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

    def __init__(self, pool: Pool, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._pool = pool

    async def send(self, request: httpx.Request, **kwargs: Any) -> httpx.Response:
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
    model = success_model(response.request)
    if model is None:
        return
    name = model.__name__
    if status != 200:
        raise ResponseValidationError(
            f"expected HTTP 200 with a {name}, got HTTP {status}", field=None, response=response
        )
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
        parsed = model.from_dict(document)
    except DocumentError as error:  # names the field and says what is wrong
        where = f"{name}.{error}" if error.path else f"{name}: {error}"
        raise ResponseValidationError(where, field=error.path or None, response=response) from None
    response.extensions[PARSED_EXTENSION] = parsed


def decode_json(content: bytes) -> Any:
    """``json.loads(content)``, through jiter where it is installed (about twice as fast on a
    ``VideoDetail``; the ``fast`` extra installs it). jiter returns what ``json.loads`` returns,
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


def success_model(request: httpx.Request) -> type[Model] | None:
    for method, path, model in SUCCESS_MODELS:
        if request.method == method and path.search(request.url.path):
            return model
    return None


def _content_type(response: httpx.Response) -> str:
    return (response.headers.get("content-type") or "untyped").split(";")[0].strip()[:60]
