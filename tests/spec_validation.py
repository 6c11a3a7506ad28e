"""Check an httpx request/response pair against openapi.yaml, using openapi-core."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import httpx
from openapi_core import OpenAPI
from openapi_core.datatypes import RequestParameters
from openapi_core.exceptions import OpenAPIError
from werkzeug.datastructures import Headers, ImmutableMultiDict

SPEC_PATH = Path(__file__).resolve().parents[1] / "openapi.yaml"


@cache
def spec() -> OpenAPI:
    """The parsed document, loaded once per process."""
    return OpenAPI.from_file_path(str(SPEC_PATH))


class _Request:
    """openapi-core's Request protocol over an ``httpx.Request``."""

    def __init__(self, request: httpx.Request) -> None:
        self.host_url = f"{request.url.scheme}://{request.url.netloc.decode()}"
        self.path = request.url.path
        self.method = request.method.lower()
        self.body = request.content or None
        self.content_type = request.headers.get("content-type", "")
        self.parameters = RequestParameters(
            query=ImmutableMultiDict(request.url.params.multi_items()),
            header=Headers(request.headers.multi_items()),
        )


class _Response:
    """openapi-core's Response protocol over an ``httpx.Response``."""

    def __init__(self, response: httpx.Response) -> None:
        self.status_code = response.status_code
        self.headers = Headers(response.headers.multi_items())
        self.content_type = response.headers.get("content-type", "")
        self.data = response.content


def _failure(side: str, exc: OpenAPIError) -> AssertionError:
    # The useful detail (which field broke which rule) hides in the cause's jsonschema errors.
    errors = getattr(exc.__cause__, "schema_errors", None)
    if not errors:
        return AssertionError(f"{side} breaks openapi.yaml: {type(exc).__name__}: {exc}")
    lines = [f"{side} body breaks openapi.yaml:"]
    lines += [
        f"  {error.json_path}: {error.message} (rule {'/'.join(map(str, error.schema_path))})"
        for error in errors
    ]
    return AssertionError("\n".join(lines))


def validate_request(request: httpx.Request) -> None:
    """Raise AssertionError, naming each failing path, if ``request`` breaks the spec.

    The spec's request body is a full ``VideoDetail`` (16 required, server-owned fields),
    so any partial body fails here: that is the published document, not a bug in this check.
    """
    try:
        spec().validate_request(_Request(request))
    except OpenAPIError as exc:
        raise _failure("request", exc) from exc


def validate_response(request: httpx.Request, response: httpx.Response) -> None:
    """Raise AssertionError, naming each failing path, if ``response`` breaks the spec."""
    try:
        spec().validate_response(_Request(request), _Response(response))
    except OpenAPIError as exc:
        raise _failure("response", exc) from exc


def validate_exchange(request: httpx.Request, response: httpx.Response) -> None:
    """Validate both sides of one exchange; see ``validate_request`` and ``validate_response``."""
    validate_request(request)
    validate_response(request, response)
