"""The httpx clients the SDK sends through: every response checked, every failure translated.

These are the clients the generated functions use too (via ``Studio.api_client``), so a call made
either way gets the same retries, auth and errors. Only ``send`` differs between sync and async.
"""

from __future__ import annotations

import json
import re
from typing import Any

import httpx

from aisquare_studio_api.models import VideoDetail

from ._errors import ResponseValidationError, connection_error, status_error
from ._pool import Pool
from ._validation import find_problem

# The model of each operation's 200 response in openapi.yaml, matched on the end of the path so a
# base URL with a path prefix works. tests/test_http.py checks this table against the spec.
SUCCESS_MODELS: tuple[tuple[str, re.Pattern[str], type], ...] = (
    ("POST", re.compile(r"/api/v1/videos/[^/]+/publish/\Z"), VideoDetail),
)


class SyncHTTPClient(httpx.Client):
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
        check_response(response)
        return response


class AsyncHTTPClient(httpx.AsyncClient):
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
        check_response(response)
        return response


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
        document = json.loads(response.content)
    except (ValueError, RecursionError):
        preview = response.content[:60].decode("utf-8", errors="replace")
        raise ResponseValidationError(
            f"expected a JSON {name}, got {_content_type(response)} body starting {preview!r}",
            field=None,
            response=response,
        ) from None
    problem = find_problem(model, document)
    if problem is not None:
        where = f"{name}.{problem}" if problem.field else f"{name}: {problem}"
        raise ResponseValidationError(where, field=problem.field or None, response=response)


def success_model(request: httpx.Request) -> type | None:
    for method, path, model in SUCCESS_MODELS:
        if request.method == method and path.search(request.url.path):
            return model
    return None


def _content_type(response: httpx.Response) -> str:
    return (response.headers.get("content-type") or "untyped").split(";")[0].strip()[:60]
