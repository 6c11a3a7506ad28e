"""What generation reads besides the spec: the overlay, the request-body split and the facade's
naming rule (codegen/spec.py, codegen/facade.py)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.installed import INSTALLED

pytestmark = pytest.mark.source_tree("reads codegen/, which needs the generator installed")
if not INSTALLED:  # the generator is a maintainer's tool, not in the installed wheel's venv
    from codegen import facade, spec

ROOT = Path(__file__).resolve().parent.parent
UPSTREAM = yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))


def overlay(*actions: dict[str, Any]) -> dict[str, Any]:
    return {"overlay": "1.0.0", "info": {"title": "t", "version": "1"}, "actions": list(actions)}


def test_an_update_merges_into_every_target() -> None:
    document = {"a": {"x": {"type": "integer"}, "y": {"type": "integer"}, "z": {"type": "string"}}}

    spec.apply_overlay(
        document, overlay({"target": "$.a[?@.type == 'integer']", "update": {"format": "int32"}})
    )

    assert document == {
        "a": {
            "x": {"type": "integer", "format": "int32"},
            "y": {"type": "integer", "format": "int32"},
            "z": {"type": "string"},
        }
    }


def test_an_update_merges_objects_recursively_and_appends_to_arrays() -> None:
    document = {"s": {"properties": {"a": {"type": "string"}}, "required": ["a"]}}

    spec.apply_overlay(
        document,
        overlay(
            {"target": "$.s", "update": {"properties": {"b": {"type": "integer"}}}},
            {"target": "$.s.required", "update": "b"},
        ),
    )

    assert document["s"] == {
        "properties": {"a": {"type": "string"}, "b": {"type": "integer"}},
        "required": ["a", "b"],
    }


def test_a_remove_deletes_every_target() -> None:
    document = {"list": [1, 2, 3, 4], "keep": True}

    spec.apply_overlay(document, overlay({"target": "$.list[?@ > 2]", "remove": True}))

    assert document == {"list": [1, 2], "keep": True}


def test_a_target_that_matches_nothing_fails_loudly() -> None:
    # A spec change that moves what a patch is about must not leave it silently unpatched.
    with pytest.raises(spec.PatchError, match=r"\$\.nowhere matches nothing"):
        spec.apply_overlay({"a": 1}, overlay({"target": "$.nowhere", "update": {"b": 2}}))


def test_a_document_that_is_not_an_overlay_is_refused() -> None:
    with pytest.raises(spec.PatchError, match="not an OpenAPI Overlay"):
        spec.apply_overlay({}, {"actions": []})


def test_the_patched_spec_marks_server_owned_fields_and_splits_the_publish_body() -> None:
    document = spec.patched(ROOT / "openapi.yaml")

    video = document["components"]["schemas"]["VideoDetail"]
    read_only = {name for name, prop in video["properties"].items() if prop.get("readOnly")}
    assert read_only == {
        "id",
        "sections",
        "video",
        "owner_username",
        "metrics",
        "tag_names",
        "category_name",
        "subcategory_name",
        "custom_url",
        "uid",
        "created_at",
        "updated_at",
    }
    assert video["required"] == UPSTREAM["components"]["schemas"]["VideoDetail"]["required"]
    operation = document["paths"]["/api/v1/videos/{video_id}/publish/"]["post"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/VideoDetailRequest"}
    request = document["components"]["schemas"]["VideoDetailRequest"]
    assert set(request["properties"]) == set(video["properties"]) - read_only
    assert "required" not in request  # the body is the schema returned: it is read partially
    assert operation["parameters"][0]["schema"] == {"type": "integer", "format": "int32"}
    # The response is untouched, and so is the file upstream publishes.
    assert (
        operation["responses"]
        == UPSTREAM["paths"]["/api/v1/videos/{video_id}/publish/"]["post"]["responses"]
    )


def test_a_request_schema_other_than_the_response_keeps_its_writable_required_fields() -> None:
    document: dict[str, Any] = {
        "paths": {
            "/things/": {
                "post": {
                    "requestBody": {
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}
                        }
                    },
                    "responses": {"201": {"description": ""}},
                }
            }
        },
        "components": {
            "schemas": {
                "Thing": {
                    "type": "object",
                    "properties": {"id": {"type": "integer", "readOnly": True}, "name": {}},
                    "required": ["id", "name"],
                }
            }
        },
    }
    original = copy.deepcopy(document["components"]["schemas"]["Thing"])

    spec.split_request_bodies(document)

    request = document["components"]["schemas"]["ThingRequest"]
    assert request["properties"] == {"name": {}}
    assert request["required"] == ["name"]
    assert document["components"]["schemas"]["Thing"] == original


@pytest.mark.parametrize(
    ("operation", "resource", "method"),
    [
        ("gtm_studios_list", "gtm_studio", "list"),
        ("gtm_studios_meta_retrieve", "gtm_studio", "meta_retrieve"),
        ("gtm_studio_retrieve", "gtm_studio", "retrieve"),
        ("videos_retrieve", "videos", "retrieve"),
        ("video_retrieve", "videos", "retrieve"),
        ("publish_create", "videos", "publish_create"),
        ("create", "publications", "create"),
        ("publications", "publications", "publications"),  # nothing left: keep the name
        ("boxes_list", "box", "list"),
    ],
)
def test_the_method_name_drops_a_leading_resource_name(
    operation: str, resource: str, method: str
) -> None:
    assert facade._method_name(operation, resource) == method


def test_names_toml_gives_publish_and_marks_it_idempotent() -> None:
    assert facade.load_names() == {"publish-create": {"method": "publish", "idempotent": True}}


def thing_spec(*, partial: bool = False, existing: dict[str, Any] | None = None) -> dict[str, Any]:
    """A create that takes and returns one schema, as DRF documents a serializer."""
    body: dict[str, Any] = {
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}
    }
    if partial:
        body[spec.PARTIAL] = True
    thing = {
        "type": "object",
        "properties": {"id": {"type": "integer", "readOnly": True}, "name": {"type": "string"}},
        "required": ["id", "name"],
    }
    schemas: dict[str, Any] = {"Thing": thing, **({"ThingRequest": existing} if existing else {})}
    created = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}}
    return {
        "paths": {"/things/": {"post": {"requestBody": body, "responses": {"201": created}}}},
        "components": {"schemas": schemas},
    }


def test_a_create_that_returns_its_body_schema_keeps_the_body_s_required_fields() -> None:
    document = thing_spec()

    spec.split_request_bodies(document)

    request = document["components"]["schemas"]["ThingRequest"]
    assert request["required"] == ["name"]  # a real server answers 400 without it


def test_a_body_marked_partial_requires_nothing() -> None:
    document = thing_spec(partial=True)

    spec.split_request_bodies(document)

    assert "required" not in document["components"]["schemas"]["ThingRequest"]


def test_a_split_that_would_take_another_schema_s_name_fails_loudly() -> None:
    with pytest.raises(spec.PatchError, match="ThingRequest, which the spec already has"):
        spec.split_request_bodies(thing_spec(existing={"type": "object", "properties": {}}))
