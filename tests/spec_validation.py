"""Check an httpx request/response pair against the spec, using openapi-core.

The spec is the PATCHED document the SDK was generated from, as the generated package ships it
(``aisquare_studio_api/openapi.json``: openapi.yaml with codegen/overlay.yaml applied and request
bodies split), not openapi.yaml itself. openapi.yaml documents publish's request body as a whole
``VideoDetail``, so it "requires" 16 server-owned fields no client sends and the server never
reads; the patched document's ``VideoDetailRequest`` is the body the server actually reads.
Responses are the same in both documents.

``check_exchange`` applies the suite's rules (see its docstring) to one exchange; the conftest
plugin in ``tests/spec_checking.py`` runs it on every exchange the tests make. A sandbox built on
another document (``Sandbox(spec=...)``) is checked against that document: ``openapi_for``.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from importlib import resources
from typing import Any, Literal

import httpx
from openapi_core import OpenAPI
from openapi_core.datatypes import RequestParameters
from openapi_core.exceptions import OpenAPIError
from openapi_core.templating.paths.exceptions import PathError
from openapi_core.templating.responses.exceptions import ResponseNotFound
from werkzeug.datastructures import Headers, ImmutableMultiDict

_ANY_OR_NULL = [{"description": "Any type"}, {"type": "null"}]


def packaged_document() -> dict[str, Any]:
    """The patched spec the generated package ships, exactly as shipped."""
    text = (resources.files("aisquare_studio_api") / "openapi.json").read_text("utf-8")
    document: dict[str, Any] = json.loads(text)
    return document


@cache
def spec_document() -> dict[str, Any]:
    """The packaged spec as the validators read it: with ONE documented change.

    ``VideoDetail.plan`` is ``oneOf: [{any}, {type: null}]``. A null matches both branches, so
    strict JSON Schema ``oneOf`` rejects ``plan: null``, the value DRF sends for an empty JSONField
    (openapi-core and Prism both fail on it). The document means "any JSON or null",
    which is ``anyOf``: that is what the generator, the SDK's ``from_dict`` and Steady read.
    The change is made on an in-memory copy; the shipped file stays exactly as generated.
    It is asserted to find the oneOf it replaces, so a new upstream spec cannot make it a no-op.
    """
    document = packaged_document()
    plan = document["components"]["schemas"]["VideoDetail"]["properties"]["plan"]
    assert plan.get("oneOf") == _ANY_OR_NULL, (
        "openapi.yaml's plan schema changed: revisit the oneOf -> anyOf adjustment in "
        f"tests/spec_validation.py (now {plan!r})"
    )
    return adjusted(document)


def adjusted(document: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``document`` with every ``oneOf [{any}, {null}]`` read as the anyOf it means."""
    patched = copy.deepcopy(document)

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("oneOf") == _ANY_OR_NULL:
                node["anyOf"] = node.pop("oneOf")
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(patched)
    return patched


@cache
def spec() -> OpenAPI:
    """The parsed document (with the ``plan`` adjustment above), loaded once per process."""
    return OpenAPI.from_dict(spec_document())


def openapi_for(document: dict[str, Any] | None) -> OpenAPI:
    """A validator for ``document`` (adjusted as above), or the default spec's for None."""
    return spec() if document is None else OpenAPI.from_dict(adjusted(document))


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
        return AssertionError(f"{side} breaks the spec: {type(exc).__name__}: {exc}")
    lines = [f"{side} body breaks the spec:"]
    lines += [
        f"  {error.json_path}: {_short(error.message)} "
        f"(rule {'/'.join(map(str, error.schema_path))})"
        for error in errors
    ]
    return AssertionError("\n".join(lines))


def validate_request(request: httpx.Request, openapi: OpenAPI | None = None) -> None:
    """Raise AssertionError, naming each failing path, if ``request`` breaks the spec.

    Judged against the patched spec (see the module docstring): a partial publish body such as
    ``{"title": "x"}`` conforms, as it does for the server.
    """
    try:
        (openapi or spec()).validate_request(_Request(request))
    except OpenAPIError as exc:
        raise _failure("request", exc) from exc


def validate_response(
    request: httpx.Request, response: httpx.Response, openapi: OpenAPI | None = None
) -> None:
    """Raise AssertionError, naming each failing path, if ``response`` breaks the spec."""
    try:
        (openapi or spec()).validate_response(_Request(request), _Response(response))
    except OpenAPIError as exc:
        raise _failure("response", exc) from exc


def validate_exchange(
    request: httpx.Request, response: httpx.Response, openapi: OpenAPI | None = None
) -> None:
    """Validate both sides of one exchange; see ``validate_request`` and ``validate_response``."""
    validate_request(request, openapi)
    validate_response(request, response, openapi)


def _short(message: str) -> str:
    # jsonschema repeats the whole failing value; a 30-section video would bury the rule.
    return message if len(message) <= 300 else message[:297] + "..."


Verdict = Literal["validated", "error-shape", "unchecked-error-body", "no-response"]
"""How an exchange was checked: ``validated`` against a response the spec declares;
``error-shape`` an undeclared non-2xx whose JSON body is a DRF error; ``unchecked-error-body``
an undeclared non-2xx whose body is not JSON (an HTML 502 from a proxy, an empty 503);
``no-response`` the connection dropped or timed out, so only the request was checked."""


def check_exchange(
    request: httpx.Request, response: httpx.Response | None, openapi: OpenAPI | None = None
) -> tuple[Verdict, list[str]]:
    """Check one exchange; return how, and every violation found (empty when it conforms).

    ``openapi`` is the document to judge by (``openapi_for``); None is the default spec.

    The rules:

    - The request is always validated: path, method, parameters and body.
    - A response whose status the spec declares for the operation is validated in full,
      headers and body: publish's state and the sandbox's generated bodies alike.
    - A 2xx the spec does not declare is a violation: the SDK would raise on it.
    - A non-2xx the spec does not declare (it declares none: 401, 404, 429, 5xx...) is not a
      violation in itself. Its body must be a Django REST Framework error when it is JSON
      (``{"detail": "..."}``, ``{"field": ["..."]}`` or ``["..."]``), because the SDK's error
      messages are read from that shape; a body that is not JSON is left unchecked, because
      proxies in front of the API send HTML or empty error pages that no spec describes.
    """
    problems: list[str] = []
    try:
        validate_request(request, openapi)
    except AssertionError as failure:
        problems.append(str(failure))
    if response is None:
        return "no-response", problems
    try:
        (openapi or spec()).validate_response(_Request(request), _Response(response))
    except (ResponseNotFound, PathError):
        pass  # no response is declared for this status (or route): judged below
    except OpenAPIError as exc:
        problems.append(str(_failure("response", exc)))
        return "validated", problems
    else:
        return "validated", problems
    if response.is_success:
        problems.append(
            f"response: HTTP {response.status_code} is a success the spec does not declare "
            f"for {request.method} {request.url.path}"
        )
        return "validated", problems
    if not _is_json(response):
        return "unchecked-error-body", problems
    try:
        body = json.loads(response.content)
    except ValueError:
        problems.append(f"response: HTTP {response.status_code} says JSON but the body is not")
        return "error-shape", problems
    if not _is_drf_error(body):
        problems.append(
            f"response: HTTP {response.status_code} body is not a DRF error "
            f'({{"detail": str}}, {{field: [str]}} or [str]): {_short(repr(body))}'
        )
    return "error-shape", problems


def _is_json(response: httpx.Response) -> bool:
    media_type = str(response.headers.get("content-type", "")).split(";")[0].strip().lower()
    return media_type == "application/json" or media_type.endswith("+json")


def _is_drf_error(body: object) -> bool:
    if isinstance(body, list):
        return bool(body) and all(isinstance(item, str) for item in body)
    if not isinstance(body, dict) or not body:
        return False
    if "detail" in body:
        return isinstance(body["detail"], str)
    # Field errors: each field has a list of messages, or nested errors for a nested serializer.
    return all(isinstance(key, str) and _is_drf_error(value) for key, value in body.items())
