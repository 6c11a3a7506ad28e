"""Spec shapes openapi.yaml lacks and the facade must still get right: parameters the generator
renames or that live on the path item or in components, a 204, names that would clash. Each
case generates a small package of its own with codegen/generate.py."""

from __future__ import annotations

import importlib
import inspect
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
import yaml

from tests.installed import INSTALLED

pytestmark = pytest.mark.source_tree("generates packages with codegen/, a maintainer's tool")
ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "edges_api"

OK = {
    "200": {
        "description": "",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Event"}}},
    }
}
SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "edges", "version": "1.0.0"},
    "paths": {
        # camelCase and a reserved word: the generator renames both (event_id, from_).
        "/events/by/{eventId}/": {
            "parameters": [{"$ref": "#/components/parameters/EventId"}],
            "get": {
                "operationId": "events-retrieve",
                "tags": ["subpackage_events"],
                "parameters": [
                    {"name": "from", "in": "query", "required": False, "schema": {"type": "string"}}
                ],
                "responses": OK,
            },
            "delete": {
                "operationId": "events-destroy",
                "tags": ["subpackage_events"],
                "responses": {"204": {"description": "No response body"}},
            },
        },
        "/events/": {
            "get": {
                "operationId": "events-list",
                "tags": ["subpackage_events"],
                "parameters": [
                    {
                        "name": "page",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "integer"},
                    }
                ],
                "responses": {
                    "200": {
                        "description": "",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/PaginatedEventList"}
                            }
                        },
                    }
                },
            }
        },
    },
    "components": {
        "parameters": {
            "EventId": {
                "name": "eventId",
                "in": "path",
                "required": True,
                "schema": {"type": "integer", "format": "int32", "minimum": 1},
            }
        },
        "schemas": {
            "Event": {
                "type": "object",
                "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
                "required": ["id", "name"],
            },
            "PaginatedEventList": {
                "type": "object",
                "properties": {
                    "count": {"type": "integer"},
                    "next": {"type": ["string", "null"]},
                    "previous": {"type": ["string", "null"]},
                    "results": {"type": "array", "items": {"$ref": "#/components/schemas/Event"}},
                },
                "required": ["count", "results"],
            },
        },
    },
}


def generate(folder: Path, spec: dict[str, Any]) -> subprocess.CompletedProcess[str]:
    (folder / "spec.json").write_text(json.dumps(spec))
    (folder / "config.yml").write_text(f"package_name_override: {PACKAGE}\npost_hooks: []\n")
    command = [
        *(sys.executable, "-m", "codegen.generate", "--not-the-api"),
        *("--spec", str(folder / "spec.json"), "--config", str(folder / "config.yml")),
        *("--output", str(folder / PACKAGE)),
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=ROOT)


@pytest.fixture(scope="module")
def edges(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    if INSTALLED:
        pytest.skip("needs the generator")
    folder = tmp_path_factory.mktemp("edges")
    generated = generate(folder, SPEC)
    assert generated.returncode == 0, generated.stderr
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module(f"{PACKAGE}.api.subpackage_events")
    finally:
        sys.path.remove(str(folder))
        for name in [name for name in sys.modules if name.split(".")[0] == PACKAGE]:
            del sys.modules[name]


def facade(edges: ModuleType, answer: Any) -> Any:
    client = importlib.import_module(f"{PACKAGE}.client").Client(
        base_url="http://edges.localhost", httpx_args={"transport": httpx.MockTransport(answer)}
    )
    return edges.Events(client)


def test_a_renamed_path_parameter_from_the_path_item_and_components_is_checked(
    edges: ModuleType,
) -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"id": 5, "name": "launch"})

    events = facade(edges, answer)

    assert events.retrieve(5, from_="2026-01-01").name == "launch"
    assert str(seen[0].url) == "http://edges.localhost/events/by/5/?from=2026-01-01"
    record = importlib.import_module(f"{PACKAGE}.api.subpackage_events.events_retrieve").OPERATION
    assert record.path == "/events/by/{eventId}/"  # as the spec writes it
    with pytest.raises(ValueError, match="event_id must be between 1 and 2147483647, got 0"):
        events.retrieve(0)
    with pytest.raises(TypeError, match="event_id must be an int, got bool"):
        events.retrieve(True)
    assert len(seen) == 1


def test_a_204_returns_none_and_says_so(edges: ModuleType) -> None:
    events = facade(edges, lambda request: httpx.Response(204))

    assert events.destroy(5) is None
    assert inspect.signature(edges.Events.destroy).return_annotation is None
    assert "event_id" in (inspect.getdoc(edges.Events.destroy) or "")


def test_a_method_without_path_parameters_promises_no_check(edges: ModuleType) -> None:
    doc = inspect.getdoc(edges.Events.list) or ""

    assert "TypeError" not in doc
    assert "StudioError" in doc


def test_list_all_past_max_pages_raises_rather_than_stopping(edges: ModuleType) -> None:
    endless = {"count": 10**6, "next": "http://edges.localhost/events/?page=2", "results": []}
    pages: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        pages.append(request.url.params["page"])
        return httpx.Response(200, json=endless)

    events = facade(edges, answer)
    errors = importlib.import_module(f"{PACKAGE}.types")

    with pytest.raises(errors.PageLimitError, match="events-list: stopped after max_pages=3"):
        list(events.list_all(max_pages=3))
    assert pages == ["1", "2", "3"]
    with pytest.raises(ValueError, match="max_pages must be an int >= 1"):
        list(events.list_all(max_pages=0))


@pytest.mark.parametrize(
    ("where", "name"),
    [("header", "name"), ("cookie", "name"), ("query", "name")],
)
def test_a_parameter_named_like_a_body_field_fails_generation_by_name(
    tmp_path: Path, where: str, name: str
) -> None:
    if INSTALLED:
        pytest.skip("needs the generator")
    spec = yaml.safe_load(yaml.safe_dump(SPEC))
    spec["paths"]["/events/"]["post"] = {
        "operationId": "events-create",
        "tags": ["subpackage_events"],
        "parameters": [
            {"name": name, "in": where, "required": False, "schema": {"type": "string"}}
        ],
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Event"}}},
        },
        "responses": OK,
    }

    generated = generate(tmp_path, spec)

    assert generated.returncode != 0
    assert "events-create: parameters with the same name: ['name']" in generated.stderr


def test_a_property_shape_the_checking_parser_cannot_parse_fails_generation_by_name(
    tmp_path: Path,
) -> None:
    if INSTALLED:
        pytest.skip("needs the generator")
    spec = yaml.safe_load(yaml.safe_dump(SPEC))
    spec["components"]["schemas"]["Event"]["properties"]["when"] = {
        "oneOf": [{"type": "integer"}, {"type": "string", "format": "date-time"}]
    }

    generated = generate(tmp_path, spec)

    assert generated.returncode != 0
    assert "Event.when: a union of several typed members is not supported" in generated.stderr
