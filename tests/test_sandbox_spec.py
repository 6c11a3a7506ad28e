"""The sandbox answers every operation of the document it is given, not only publish.

The document is tests/spec_variants/minor.yaml patched as the generator patches it (it adds a
``GET /api/v1/videos/{video_id}/``), plus a few operations added here for what minor.yaml lacks:
a paginated list, a POST with a required body, a string path id, a 204. Every exchange is
checked against that same document (``SpecCheckedSandbox(spec=...)``).
"""

from __future__ import annotations

import copy
import functools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from aisquare_studio.sandbox import GENERATED_HEADER, SANDBOX_API_KEY, Sandbox
from tests.spec_checking import SpecCheckedSandbox
from tests.spec_validation import openapi_for, packaged_document, validate_exchange

# codegen/ needs the generator's dependencies, which an installed wheel's test venv lacks.
pytestmark = pytest.mark.source_tree("patches a spec variant with codegen/spec.py")

VARIANTS = Path(__file__).resolve().parent / "spec_variants"
AUTH = {"Authorization": f"Bearer {SANDBOX_API_KEY}"}
LIST, NOTES, LABEL = "/api/v1/sections/", "/api/v1/notes/", "/api/v1/labels/{slug}/"
OFF_SPEC = pytest.mark.spec_violation("a path, method or id the document does not allow")


@functools.cache
def _document() -> dict[str, Any]:
    from codegen.spec import patched  # here, not at the top: see pytestmark

    document = patched(VARIANTS / "minor.yaml")
    schemas = document["components"]["schemas"]
    schemas["PaginatedVideoSectionList"] = {
        "type": "object",
        "required": ["count", "results"],
        "properties": {
            "count": {"type": "integer", "example": 123},
            "next": {"type": ["string", "null"], "format": "uri"},
            "previous": {"type": ["string", "null"], "format": "uri"},
            "results": {"type": "array", "items": {"$ref": "#/components/schemas/VideoSection"}},
        },
    }
    schemas["NoteRequest"] = {
        "type": "object",
        "required": ["text", "video"],
        "properties": {
            "text": {"type": "string", "maxLength": 50},
            "video": {"type": "integer"},
            "pinned": {"type": "boolean"},
        },
    }
    schemas["Note"] = {
        "type": "object",
        "required": ["id", "text"],
        "properties": {
            "id": {"type": "integer", "readOnly": True},
            "uid": {"type": "string", "format": "uuid"},
            "text": {"type": "string", "maxLength": 50},
            "kind": {"enum": ["memo", "todo"], "type": "string"},
            "link": {"oneOf": [{"type": "null"}, {"type": "string", "format": "email"}]},
            "due": {"type": "string", "format": "date"},
        },
    }
    page_params = [
        {"name": name, "in": "query", "required": False, "schema": {"type": "integer"}}
        for name in ("page", "page_size")
    ]
    document["paths"][LIST] = {
        "get": {
            "operationId": "sections-list",
            "summary": "List sections",
            "parameters": page_params,
            "responses": {"200": _json("#/components/schemas/PaginatedVideoSectionList")},
        }
    }
    document["paths"][NOTES] = {
        "post": {
            "operationId": "notes-create",
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/NoteRequest"}}
                },
            },
            "responses": {"201": _json("#/components/schemas/Note")},
        }
    }
    slug = {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}
    document["paths"][LABEL] = {
        "parameters": [slug],
        "get": {
            "operationId": "labels-retrieve",
            "responses": {"200": _json("#/components/schemas/Note")},
        },
        "delete": {"operationId": "labels-destroy", "responses": {"204": {"description": ""}}},
    }
    return document


def _json(ref: str) -> dict[str, Any]:
    return {"description": "", "content": {"application/json": {"schema": {"$ref": ref}}}}


@pytest.fixture
def document() -> dict[str, Any]:
    return copy.deepcopy(_document())


@pytest.fixture
def sandbox(document: dict[str, Any]) -> Sandbox:
    return SpecCheckedSandbox(spec=document)


@pytest.fixture(params=["in_process", "loopback"])
def client(request: pytest.FixtureRequest, sandbox: Sandbox) -> Iterator[httpx.Client]:
    if request.param == "in_process":
        transport = sandbox.transport()
        with httpx.Client(transport=transport, base_url="http://sandbox.test", headers=AUTH) as c:
            yield c
    else:
        with sandbox.serve() as server, httpx.Client(base_url=server.url, headers=AUTH) as c:
            yield c


# --- routing ----------------------------------------------------------------------------------


def test_an_operation_publish_does_not_know_gets_a_generated_valid_body(
    client: httpx.Client, document: dict[str, Any]
) -> None:
    response = client.get("/api/v1/videos/7/")
    assert response.status_code == 200
    assert response.headers[GENERATED_HEADER] == "schema"
    assert GENERATED_HEADER == "X-Sandbox-Generated"
    validate_exchange(response.request, response, openapi_for(document))
    body = response.json()
    # Every property, optional ones included; the enum's first value; [X, null] drawn as X.
    assert set(body) == set(document["components"]["schemas"]["VideoDetail"]["properties"])
    assert body["status"] == "not_started"
    assert isinstance(body["language"], str)
    assert 1 <= len(body["sections"]) <= 2


def test_generated_bodies_are_deterministic_per_request(
    client: httpx.Client, document: dict[str, Any]
) -> None:
    first = client.get("/api/v1/videos/7/").json()
    assert client.get("/api/v1/videos/7/").json() == first
    with httpx.Client(transport=Sandbox(spec=document).transport(), base_url="http://x") as other:
        assert other.get("/api/v1/videos/7/", headers=AUTH).json() == first
    assert client.get("/api/v1/videos/8/").json() != first


def test_publish_keeps_its_state_beside_generated_operations(
    client: httpx.Client, sandbox: Sandbox
) -> None:
    response = client.post("/api/v1/videos/101/publish/", json={"title": "Vaccines"})
    assert response.status_code == 200
    assert GENERATED_HEADER not in response.headers
    assert response.json() == sandbox.video(101)
    assert (sandbox.video(101)["title"], sandbox.video(101)["is_draft"]) == ("Vaccines", False)


def test_every_operation_of_the_document_is_answered_with_its_success_status(
    client: httpx.Client, document: dict[str, Any]
) -> None:
    bodies = {NOTES: {"text": "hi", "video": 101}}
    for template, item in document["paths"].items():
        path = template.replace("{video_id}", "101").replace("{slug}", "intro")
        for method in ("get", "post", "delete"):
            if method in item:
                response = client.request(method.upper(), path, json=bodies.get(template))
                declared = [int(code) for code in item[method]["responses"]]
                assert response.status_code == min(declared), (method, path, response.text)


def test_a_string_id_is_any_segment_and_a_204_has_no_body(client: httpx.Client) -> None:
    label = client.get(LABEL.format(slug="intro-2"))
    assert label.status_code == 200
    assert label.json()["kind"] == "memo"
    assert "@" in label.json()["link"]  # oneOf: the first non-null branch
    deleted = client.delete(LABEL.format(slug="intro-2"))
    assert (deleted.status_code, deleted.content) == (204, b"")


# --- auth, 404, 405 ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/v1/videos/7/", LIST, LABEL.format(slug="x")])
def test_generated_operations_need_the_key_as_publish_does(client: httpx.Client, path: str) -> None:
    response = client.get(path, headers={"Authorization": "Bearer nope"})
    assert (response.status_code, response.json()) == (401, {"detail": "Invalid token."})
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="api"'


@pytest.mark.parametrize(
    "path",
    [
        pytest.param("/api/v1/videos/abc/", marks=OFF_SPEC),
        pytest.param("/api/v1/videos/2147483648/", marks=OFF_SPEC),
        "/api/v1/videos/-1/",  # an integer, so the document allows it; Django's <int:> does not
        pytest.param("/api/v1/videos//", marks=OFF_SPEC),
    ],
)
def test_an_id_djangos_int_converter_refuses_is_404_before_auth(
    client: httpx.Client, path: str
) -> None:
    response = client.get(path, headers={"Authorization": ""})
    assert (response.status_code, response.json()) == (404, {"detail": "Not found."})


@OFF_SPEC
def test_an_undeclared_path_is_404_and_an_undeclared_method_405(client: httpx.Client) -> None:
    missing = client.get("/api/v1/sections/1/")
    assert (missing.status_code, missing.json()) == (404, {"detail": "Not found."})
    refused = client.put("/api/v1/videos/7/")
    assert (refused.status_code, refused.json()) == (405, {"detail": 'Method "PUT" not allowed.'})
    assert refused.headers["Allow"] == "GET, HEAD, OPTIONS"
    assert client.post(LABEL.format(slug="a")).headers["Allow"] == "GET, DELETE, HEAD, OPTIONS"
    options = client.options("/api/v1/videos/7/")
    assert (options.status_code, options.json()["name"]) == (200, "Retrieve")


# --- pagination -------------------------------------------------------------------------------


def test_a_paginated_list_is_five_items_over_three_pages(client: httpx.Client) -> None:
    base = str(client.base_url).rstrip("/") + LIST
    pages = [client.get(LIST, params={"page": n} if n > 1 else None).json() for n in (1, 2, 3)]
    assert [page["count"] for page in pages] == [5, 5, 5]
    assert [len(page["results"]) for page in pages] == [2, 2, 1]
    assert [page["next"] for page in pages] == [f"{base}?page=2", f"{base}?page=3", None]
    assert [page["previous"] for page in pages] == [None, base, f"{base}?page=2"]
    items = [item for page in pages for item in page["results"]]
    assert len({json.dumps(item, sort_keys=True) for item in items}) == 5
    # The same collection whatever the page size; other query parameters stay in the links.
    whole = client.get(LIST, params={"page_size": 5}).json()
    assert (whole["results"], whole["next"]) == (items, None)
    second = client.get(LIST, params={"page_size": 3, "page": 2}).json()
    assert second["results"] == items[3:]
    assert parse_qs(urlsplit(second["previous"]).query) == {"page_size": ["3"]}


@pytest.mark.parametrize(
    "page",
    ["4", "0", pytest.param("last-ish", marks=pytest.mark.spec_violation("page is an integer"))],
)
def test_a_page_past_the_end_is_drfs_invalid_page(client: httpx.Client, page: str) -> None:
    response = client.get(LIST, params={"page": page})
    assert (response.status_code, response.json()) == (404, {"detail": "Invalid page."})


# --- request bodies ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", {"text": ["This field is required."], "video": ["This field is required."]}),
        (b'{"text": "hi"}', {"video": ["This field is required."]}),
        (b"[]", {"non_field_errors": ["Invalid data. Expected a dictionary, but got list."]}),
        (
            b'{"text": null, "video": "7", "pinned": 1}',
            {
                "text": ["This field may not be null."],
                "video": ["A valid integer is required."],
                "pinned": ["Must be a valid boolean."],
            },
        ),
    ],
)
@pytest.mark.spec_violation("a request body the document's required schema refuses")
def test_a_required_body_missing_or_invalid_is_drfs_400(
    client: httpx.Client, content: bytes, expected: dict[str, Any]
) -> None:
    headers = {"Content-Type": "application/json"}
    response = client.post(NOTES, content=content, headers=headers)
    assert (response.status_code, response.json()) == (400, expected)


def test_a_valid_required_body_gets_the_declared_201(client: httpx.Client) -> None:
    response = client.post(NOTES, json={"text": "hi", "video": 101, "pinned": True})
    assert response.status_code == 201
    assert set(response.json()) == {"id", "uid", "text", "kind", "link", "due"}


# --- where the document comes from ------------------------------------------------------------


def test_the_default_document_is_the_packaged_patched_spec() -> None:
    assert Sandbox().spec == packaged_document()
    assert "VideoDetailRequest" in Sandbox().spec["components"]["schemas"]


def test_a_document_can_be_given_as_a_path(tmp_path: Path, document: dict[str, Any]) -> None:
    as_json = tmp_path / "spec.json"
    as_json.write_text(json.dumps(document))
    from_yaml = Sandbox(spec=VARIANTS / "minor.yaml")  # as published: unpatched, still served
    for sandbox in (Sandbox(spec=as_json), from_yaml):
        with httpx.Client(transport=sandbox.transport(), base_url="http://x", headers=AUTH) as c:
            assert c.get("/api/v1/videos/7/").status_code == 200
            assert c.post("/api/v1/videos/101/publish/").json()["is_draft"] is False


def test_the_given_document_is_copied(document: dict[str, Any]) -> None:
    document = copy.deepcopy(document)
    sandbox = Sandbox(spec=document)
    document["paths"].clear()
    assert LIST in sandbox.spec["paths"]


# --- drawing from schemas ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "integer", "format": "int32", "minimum": 5000, "exclusiveMaximum": 5002},
        {"type": "integer", "format": "int64", "maximum": -(2**40)},
        {"type": "number", "minimum": 0, "maximum": 1},
        {"type": "number", "exclusiveMinimum": 5000},
        {"type": "number", "maximum": -3.5},
        {"type": "number", "exclusiveMaximum": -3.5},
        {"type": "string", "minLength": 20, "maxLength": 25},
        {"type": "string", "maxLength": 3},
        {"type": ["null", "string"], "format": "date-time"},
        {"type": "string", "format": "date"},
        {"type": "string", "format": "uuid"},
        {"type": "string", "format": "uri"},
        {"type": "string", "format": "email"},
        {"const": "fixed"},
        {"enum": [None, "b", "a"]},
        {"anyOf": [{"type": "null"}, {"type": "integer"}]},
        {
            "allOf": [
                {"$ref": "#/components/schemas/Note"},
                {"properties": {"x": {"type": "boolean"}}},
            ]
        },
        {"type": "array", "items": {"$ref": "#/components/schemas/Note"}, "minItems": 1},
        {"type": "object", "additionalProperties": {"type": "integer"}},
        {"$ref": "#/components/schemas/VideoDetail"},
    ],
)
def test_drawn_values_are_valid_and_fixed_by_their_seed(
    schema: dict[str, Any], document: dict[str, Any]
) -> None:
    from openapi_schema_validator import OAS31Validator, oas31_format_checker, validate

    from aisquare_studio.sandbox._schema import draw

    value = draw(document, schema, "seed")
    assert value == draw(document, schema, "seed")
    wrapped = {**schema, "components": document["components"]}  # so local $refs resolve
    validate(value, wrapped, cls=OAS31Validator, format_checker=oas31_format_checker)
    if schema.get("type") in ("string", "integer") or "$ref" in schema:
        assert value is not None
