"""Answers for the operations the sandbox keeps no state for, drawn from their success schema.

Such a reply carries ``X-Sandbox-Generated: schema``, so a test (or a person reading a trace)
can tell a made-up body from state. The body is fixed by the method, path and query, so the
same request always gets the same answer. A DRF paginated list (``count``, ``next``,
``previous``, ``results``) is a consistent collection of ``PAGE_TOTAL`` items, served
``page_size`` (default ``PAGE_SIZE``) at a time, ``?page=N`` as DRF's PageNumberPagination does.
"""

from __future__ import annotations

import math
from typing import Any
from urllib.parse import parse_qsl, urlencode

from ._exchange import RecordedRequest, Reply
from ._fields import field_errors, json_reply, parse_object
from ._schema import draw, non_null_type, resolve

GENERATED_HEADER = "X-Sandbox-Generated"
"""Response header, with value ``schema``, on every reply drawn from a schema (not from state)."""
_MARK = (GENERATED_HEADER, "schema")
PAGE_TOTAL = 5
"""Items in every generated paginated list."""
PAGE_SIZE = 2
"""Items per page unless the request asks ``page_size``: 5 items make 3 pages."""
_MAX_PAGE_SIZE = 100
_PAGE_KEYS = {"count", "next", "previous", "results"}


def answer(document: dict[str, Any], operation: dict[str, Any], request: RecordedRequest) -> Reply:
    """Validate the request body, then answer with the operation's first success response."""
    if (invalid := _check_body(document, operation, request.body)) is not None:
        return invalid
    status, media, schema = _success(document, operation)
    headers = (_MARK,) if media is None else (("Content-Type", media), _MARK)
    if schema is None:
        return Reply(status, b"", headers)
    query = parse_qsl(request.query, keep_blank_values=True)
    seed = f"{request.method} {request.path}?{urlencode(sorted(query))}"
    resolved = resolve(document, schema)
    if _is_page(document, resolved):
        return _page(document, resolved, request, query, status, headers)
    return json_reply(status, draw(document, schema, seed), headers)


def metadata(operation: dict[str, Any], allowed: list[str]) -> Reply:
    """DRF's answer to OPTIONS (SimpleMetadata), from the operation's summary and description."""
    payload = {
        "name": operation.get("summary", ""),
        "description": operation.get("description", ""),
        "renders": ["application/json"],
        "parses": ["application/json", "application/x-www-form-urlencoded", "multipart/form-data"],
    }
    return json_reply(200, payload, (("Allow", ", ".join(allowed)),))


def _check_body(document: dict[str, Any], operation: dict[str, Any], body: bytes) -> Reply | None:
    request_body = resolve(document, operation.get("requestBody"))
    schema = _json_schema(request_body.get("content", {}))
    if schema is None or (not body.strip() and not request_body.get("required")):
        return None  # no JSON body declared, or an optional one not sent
    data = parse_object(body)
    if isinstance(data, Reply):
        return data
    errors = field_errors(document, schema, data)
    return json_reply(400, errors) if errors else None


def _success(document: dict[str, Any], operation: dict[str, Any]) -> tuple[int, str | None, Any]:
    """The lowest declared 2xx status, its media type and schema (None: no body)."""
    statuses = sorted(
        int(code)
        for code in operation.get("responses", {})
        if str(code)[:1] == "2" and str(code).isdigit()
    )
    if not statuses:
        return 204, None, None
    response = resolve(document, operation["responses"][_key(operation, statuses[0])])
    content = response.get("content", {})
    media = next((m for m in content if "json" in m), next(iter(content), None))
    if media is None or "json" not in media:
        return statuses[0], media, None
    return statuses[0], media, content[media].get("schema", {})


def _key(operation: dict[str, Any], status: int) -> Any:
    # YAML parses 200 as an int and '200' as a str; JSON always has str keys.
    responses = operation["responses"]
    return status if status in responses else str(status)


def _json_schema(content: dict[str, Any]) -> Any:
    media = next((m for m in content if "json" in m), None)
    return None if media is None else content[media].get("schema", {})


def _is_page(document: dict[str, Any], schema: dict[str, Any]) -> bool:
    properties = schema.get("properties", {})
    if not set(properties) >= _PAGE_KEYS:
        return False
    return non_null_type(resolve(document, properties["results"])) == "array"


def _page(
    document: dict[str, Any],
    schema: dict[str, Any],
    request: RecordedRequest,
    query: list[tuple[str, str]],
    status: int,
    headers: tuple[tuple[str, str], ...],
) -> Reply:
    params = dict(query)
    size = _positive_int(params.get("page_size"), PAGE_SIZE)
    pages = max(1, math.ceil(PAGE_TOTAL / size))
    raw = params.get("page", "1")
    try:
        number = pages if raw == "last" else int(raw)  # Django's Paginator, DRF's "last"
    except ValueError:
        number = 0
    if not 1 <= number <= pages:
        return json_reply(404, {"detail": "Invalid page."})
    page: dict[str, Any] = draw(document, schema, f"{request.method} {request.path} page")
    items_schema = resolve(document, schema["properties"]["results"]).get("items", {})
    first = (number - 1) * size
    # Each item is seeded by its place in the collection, so pages of any size agree.
    page["results"] = [
        draw(document, items_schema, f"{request.method} {request.path} item {index}")
        for index in range(first, min(first + size, PAGE_TOTAL))
    ]
    page["count"] = PAGE_TOTAL
    url = f"http://{request.headers.get('host', 'localhost')}{request.path}"
    page["next"] = _page_url(url, query, number + 1) if number < pages else None
    page["previous"] = _page_url(url, query, number - 1) if number > 1 else None
    return json_reply(status, page, headers)


def _page_url(base: str, query: list[tuple[str, str]], number: int) -> str:
    # DRF's replace_query_param / remove_query_param: other parameters kept, sorted; page 1
    # is the URL without ``page``.
    kept = sorted((key, value) for key, value in query if key != "page")
    if number > 1:
        kept = sorted([*kept, ("page", str(number))])
    return f"{base}?{urlencode(kept)}" if kept else base


def _positive_int(text: str | None, default: int) -> int:
    # DRF's _positive_int(strict=True), capped like max_page_size: anything else is the default.
    try:
        value = int(text) if text is not None else default
    except ValueError:
        return default
    return min(value, _MAX_PAGE_SIZE) if value > 0 else default
