"""Tests for the generated ``from_dict``: a document that does not fit a model raises
``DocumentError``, naming the value by its path (codegen/templates/model.py.jinja and
types.py.jinja)."""

from __future__ import annotations

import copy
import datetime
import importlib
import json
import pickle
import re
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path as FilePath
from types import ModuleType
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import aisquare_studio_api.models as models
from aisquare_studio_api.models import (
    GlobalCreationStatusEnum,
    GlobalVisibilityEnum,
    SimpleUser,
    VideoDetail,
    VideoSection,
    VideoTemplate,
)
from aisquare_studio_api.types import DocumentError, parse_uuid
from tests.spec_validation import spec_document

Path = tuple[str | int, ...]

_DELETE = object()

VIDEO_UID = "5b0e9c2a-7d41-4f3e-9a55-0c8e2d6b1f47"
SECTION_UIDS = ("0f6a3d18-2c9b-4e07-8b1d-5e4f7a9c3b21", "a4c7e2b9-61d0-4b8a-97f3-2d5c8e1b0a64")
TEMPLATE_UID = "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f"


def video_detail() -> dict[str, Any]:
    """A complete VideoDetail as the server sends it after publishing a draft."""
    created = "2026-11-02T09:30:00+00:00"
    updated = "2026-11-03T14:05:12.345000+00:00"
    return {
        "id": 42,
        "uid": VIDEO_UID,
        "created_at": created,
        "updated_at": updated,
        "deleted_at": None,
        "is_active": True,
        "created_by": "alice@example.com",
        "updated_by": "alice@example.com",
        "deleted_by": None,
        "title": "Photosynthesis in five minutes",
        "description": "A short explainer for grade 8.",
        "workspace": 7,
        "video": "https://cdn.aisquare.studio/videos/42/final.mp4",
        "cover_image": None,
        "thumbnail": "https://cdn.aisquare.studio/videos/42/thumb.jpg",
        "generated_script": "Plants turn light into sugar...",
        "generation_progress": 100,
        "status": "completed",
        "internal_status": "completed",
        "is_regenerating": False,
        "duration": 94,
        "visibility": "private",
        "is_draft": False,
        "plan": {
            "sections": [{"title": "Light", "seconds": 40}, {"title": "Sugar", "seconds": 54}],
            "voice": "en-GB-1",
        },
        "source_experience": None,
        "category": 3,
        "subcategory": None,
        "tags": [11, 12],
        "tag_names": ["biology", "plants"],
        "category_name": "Science",
        "subcategory_name": "",
        "custom_url": "photosynthesis-in-five-minutes",
        "owner_username": "alice",
        "metrics": "{'views': 0}",
        "owner": {
            "id": 5,
            "email": "alice@example.com",
            "full_name": "Alice Example",
            "username": "alice",
            "is_verified": True,
            "profile_picture": "https://cdn.aisquare.studio/users/5.png",
        },
        "template": {
            "id": 2,
            "uid": TEMPLATE_UID,
            "created_at": "2026-01-15T08:00:00+00:00",
            "updated_at": "2026-01-15T08:00:00+00:00",
            "deleted_at": None,
            "is_active": True,
            "name": "Explainer",
            "description": None,
            "thumbnail": None,
            "preview_video_url": "https://cdn.aisquare.studio/templates/2.mp4",
            "voices": [1, 4],
        },
        "sections": [
            {
                "id": 100 + order,
                "uid": SECTION_UIDS[order],
                "created_at": created,
                "updated_at": updated,
                "deleted_at": None,
                "order": order,
                "title": title,
                "content": [{"speaker": "narrator", "text": text}],
                "alignment_data": {"words": [{"w": "Plants", "t": 0.0}]},
                "video": 42,
                "audio_ready": True,
                "visuals_ready": True,
                "is_assembling": False,
                "duration": seconds,
                "video_file": f"https://cdn.aisquare.studio/videos/42/s{order}.mp4",
                "audio_file": None,
                "thumbnail": None,
                "section_summary": None,
                "internal_notes": None,
                "page_numbers": "3-4",
                "status": "completed",
                "rag_documents": [],
            }
            for order, title, text, seconds in (
                (0, "Light", "Plants catch light.", 40),
                (1, "Sugar", "Light becomes sugar.", 54),
            )
        ],
    }


def edited(path: Path, value: object = _DELETE) -> dict[str, Any]:
    """The valid document with the value at ``path`` replaced, or deleted when no value is given."""
    document = video_detail()
    parent: Any = document
    for step in path[:-1]:
        parent = parent[step]
    if value is _DELETE:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return document


def refusal(
    document: object, model: Any = VideoDetail, error_type: type[ValueError] = DocumentError
) -> tuple[str, str] | None:
    """``(path, problem)`` of the ``DocumentError`` that ``model.from_dict`` raises, or None.
    Any other exception fails the test that asks."""
    try:
        model.from_dict(document)
    except error_type as error:
        return error.path, error.problem  # type: ignore[attr-defined]  # a DocumentError
    return None


def field_name(path: Path) -> str:
    """The SDK's spelling of a path: ``sections[2].uid``."""
    name = ""
    for step in path:
        name += f"[{step}]" if isinstance(step, int) else f".{step}" if name else step
    return name


def test_valid_document_parses() -> None:
    document = video_detail()

    video = VideoDetail.from_dict(document)
    assert video.title == "Photosynthesis in five minutes"
    assert video.uid == uuid.UUID(VIDEO_UID)
    assert video.created_at == datetime.datetime(2026, 11, 2, 9, 30, tzinfo=datetime.UTC)
    assert [section.uid for section in video.sections] == [uuid.UUID(u) for u in SECTION_UIDS]
    assert video.owner.email == "alice@example.com"
    assert video.template.name == "Explainer"
    assert video.status is GlobalCreationStatusEnum.COMPLETED
    assert video.to_dict() == document


@pytest.mark.parametrize("path", [("title",), ("sections", 1, "uid"), ("owner",)], ids=str)
def test_parsing_does_not_change_the_document(path: Path) -> None:
    for document in (video_detail(), edited(path, None)):
        before = copy.deepcopy(document)
        refusal(document)
        assert document == before


@pytest.mark.parametrize(
    ("path", "field"),
    [
        (("title",), "title"),
        (("id",), "id"),
        (("sections",), "sections"),
        (("sections", 1, "uid"), "sections[1].uid"),
        (("sections", 0, "content"), "sections[0].content"),
        (("owner",), "owner"),
        (("owner", "email"), "owner.email"),
        (("template", "name"), "template.name"),
        (("template", "created_at"), "template.created_at"),
    ],
    ids=lambda v: ".".join(map(str, v)) if isinstance(v, tuple) else None,
)
def test_missing_required_field_is_named(path: Path, field: str) -> None:
    with pytest.raises(DocumentError) as caught:
        VideoDetail.from_dict(edited(path))

    assert (caught.value.path, caught.value.problem) == (field, "required field is missing")
    assert str(caught.value) == f"{field}: required field is missing"


@pytest.mark.parametrize(
    "path",
    [
        ("deleted_at",),
        ("is_active",),
        ("description",),
        ("status",),
        ("plan",),
        ("tags",),
        ("sections", 0, "title"),
        ("sections", 0, "alignment_data"),
        ("template", "voices"),
    ],
    ids=lambda v: ".".join(map(str, v)),
)
def test_missing_optional_field_is_fine(path: Path) -> None:
    document = edited(path)

    assert VideoDetail.from_dict(document).to_dict() == document


@pytest.mark.parametrize(
    ("path", "field", "problem"),
    [
        (("title",), "title", "expected a string, got null"),
        (("created_at",), "created_at", "expected an ISO 8601 date-time, got null"),
        (("uid",), "uid", "expected a UUID string, got null"),
        (("workspace",), "workspace", "expected an integer, got null"),
        (("is_draft",), "is_draft", "expected a boolean, got null"),
        (("tag_names",), "tag_names", "expected a list, got null"),
        (("sections",), "sections", "expected a list, got null"),
        (("sections", 0, "uid"), "sections[0].uid", "expected a UUID string, got null"),
        (("sections", 1), "sections[1]", "expected a VideoSection object, got null"),
        (("owner",), "owner", "expected a SimpleUser object, got null"),
        (("owner", "email"), "owner.email", "expected a string, got null"),
        (("template",), "template", "expected a VideoTemplate object, got null"),
        (("tags", 0), "tags[0]", "expected an integer, got null"),
        (("tag_names", 1), "tag_names[1]", "expected a string, got null"),
        (("template", "voices", 1), "template.voices[1]", "expected an integer, got null"),
    ],
    ids=lambda v: ".".join(map(str, v)) if isinstance(v, tuple) else None,
)
def test_null_where_not_nullable_is_named(path: Path, field: str, problem: str) -> None:
    assert refusal(edited(path, None)) == (field, problem)


@pytest.mark.parametrize(
    ("path", "field", "problem"),
    [
        (("status",), "status", "expected a GlobalCreationStatusEnum string, got null"),
        (("visibility",), "visibility", "expected a GlobalVisibilityEnum string, got null"),
        (
            ("sections", 0, "status"),
            "sections[0].status",
            "expected a GlobalCreationStatusEnum string, got null",
        ),
    ],
    ids=["status", "visibility", "section-status"],
)
def test_null_enum_is_named(path: Path, field: str, problem: str) -> None:
    # The spec's enums are not nullable; the generated enum would raise on None.
    assert refusal(edited(path, None)) == (field, problem)


@pytest.mark.parametrize(
    "path",
    [
        ("deleted_at",),
        ("description",),
        ("duration",),
        ("plan",),
        ("created_by",),
        ("category",),
        ("sections", 0, "title"),
        ("sections", 1, "deleted_at"),
        ("template", "description"),
    ],
    ids=lambda v: ".".join(map(str, v)),
)
def test_null_where_nullable_is_fine(path: Path) -> None:
    document = edited(path, None)

    assert VideoDetail.from_dict(document).to_dict() == document


@pytest.mark.parametrize(
    ("path", "value", "field", "problem"),
    [
        (("workspace",), "42", "workspace", "expected an integer, got a string ('42')"),
        (("workspace",), True, "workspace", "expected an integer, got a boolean"),
        (("id",), 1.5, "id", "expected an integer, got a number (1.5)"),
        (("is_draft",), "yes", "is_draft", "expected a boolean, got a string ('yes')"),
        (("is_draft",), 1, "is_draft", "expected a boolean, got a number (1)"),
        (("title",), 42, "title", "expected a string, got a number (42)"),
        (("title",), {"en": "x"}, "title", "expected a string, got an object"),
        (("tag_names",), "a", "tag_names", "expected a list, got a string ('a')"),
        (("tag_names",), ["a", 7], "tag_names[1]", "expected a string, got a number (7)"),
        (("tags",), ["x"], "tags[0]", "expected an integer, got a string ('x')"),
        (("tags",), [1, 2, True], "tags[2]", "expected an integer, got a boolean"),
        (("tags",), [1, [], []], "tags[1]", "expected an integer, got a list"),
        (("sections",), {}, "sections", "expected a list, got an object"),
        (("sections", 1), "intro", "sections[1]", "expected an object, got a string ('intro')"),
        (("owner",), [], "owner", "expected an object, got a list"),
        (("uid",), "not-a-uuid", "uid", "expected a UUID string, got 'not-a-uuid'"),
        (("uid",), 42, "uid", "expected a UUID string, got a number (42)"),
        (("uid",), [VIDEO_UID], "uid", "expected a UUID string, got a list"),
        (
            ("sections", 1, "uid"),
            "5b0e9c2a-7d41-4f3e-9a55",
            "sections[1].uid",
            "expected a UUID string, got '5b0e9c2a-7d41-4f3e-9a55'",
        ),
        (
            ("created_at",),
            "yesterday",
            "created_at",
            "expected an ISO 8601 date-time, got 'yesterday'",
        ),
        (
            ("created_at",),
            1_700_000_000,
            "created_at",
            "expected an ISO 8601 date-time, got a number (1700000000)",
        ),
        (
            ("template", "updated_at"),
            "2026-02-30T10:00:00+00:00",
            "template.updated_at",
            "expected an ISO 8601 date-time, got '2026-02-30T10:00:00+00:00'",
        ),
        (
            ("deleted_at",),
            "soon",
            "deleted_at",
            "expected an ISO 8601 date-time, got 'soon'",
        ),
        (
            ("sections", 0, "created_at"),
            "2026-11-02",
            "sections[0].created_at",
            "expected an ISO 8601 date-time, got '2026-11-02'",
        ),
        (("duration",), "90", "duration", "expected an integer, got a string ('90')"),
        (("status",), 5, "status", "expected a string, got a number (5)"),
        (("status",), ["completed"], "status", "expected a string, got a list"),
        (("sections", 1, "status"), {}, "sections[1].status", "expected a string, got an object"),
        (
            ("owner", "is_verified"),
            "true",
            "owner.is_verified",
            "expected a boolean, got a string ('true')",
        ),
        (
            ("sections", 0, "order"),
            0.0,
            "sections[0].order",
            "expected an integer, got a number (0.0)",
        ),
        (
            ("sections", 1, "rag_documents"),
            [3, "4"],
            "sections[1].rag_documents[1]",
            "expected an integer, got a string ('4')",
        ),
        (("template", "voices"), "1,4", "template.voices", "expected a list, got a string ('1,4')"),
    ],
    ids=lambda v: ".".join(map(str, v)) if isinstance(v, tuple) else None,
)
def test_wrong_type_is_named_with_a_readable_problem(
    path: Path, value: object, field: str, problem: str
) -> None:
    with pytest.raises(DocumentError) as caught:
        VideoDetail.from_dict(edited(path, value))

    assert (caught.value.path, caught.value.problem) == (field, problem)
    assert str(caught.value) == f"{field}: {problem}"


def test_the_first_problem_in_field_order_is_the_one_named() -> None:
    document = edited(("title",), None)
    document["sections"][1]["uid"] = None

    assert refusal(document) == ("sections[1].uid", "expected a UUID string, got null")


@pytest.mark.parametrize(
    ("value", "told"),
    [
        ("x" * 40, "a string ('" + "x" * 40 + "')"),
        ("x" * 41, "a string ('" + "x" * 37 + "...')"),
        ("x" * 10_000, "a string ('" + "x" * 37 + "...')"),
        (10**4000, "a number (" + "1" + "0" * 36 + "...)"),
        (10**5000, "a number (too long to show)"),  # beyond int-to-str conversion
    ],
    ids=["40", "41", "10000", "4001-digits", "5001-digits"],
)
def test_a_long_bad_value_is_shortened_in_the_problem(value: object, told: str) -> None:
    assert refusal(edited(("tag_names",), value)) == ("tag_names", f"expected a list, got {told}")


def test_an_unparsed_long_string_is_shortened_too() -> None:
    assert refusal(edited(("uid",), "x" * 10_000)) == (
        "uid",
        "expected a UUID string, got '" + "x" * 37 + "...'",
    )


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("status",), "queued"),
        (("visibility",), "unlisted"),
        (("internal_status",), "uploading"),
        (("sections", 1, "status"), "queued"),
        (("status",), ""),
    ],
    ids=lambda v: ".".join(map(str, v)) if isinstance(v, tuple) else repr(v),
)
def test_enum_value_the_spec_does_not_list_is_kept(path: Path, value: str) -> None:
    document = edited(path, value)

    round_trip: Any = VideoDetail.from_dict(document).to_dict()
    for step in path:
        round_trip = round_trip[step]
    assert round_trip == value


def test_unknown_enum_value_compares_equal_and_does_not_grow_the_enum() -> None:
    video = VideoDetail.from_dict(edited(("status",), "queued"))

    assert video.status == "queued"
    assert str(video.status) == "queued"
    assert video.to_dict()["status"] == "queued"
    assert video.visibility is GlobalVisibilityEnum.PRIVATE
    assert "queued" not in {member.value for member in GlobalCreationStatusEnum}


def test_unknown_fields_are_fine_and_round_trip() -> None:
    document = video_detail()
    document["brand_new_field"] = {"nested": [1, None, "x"]}
    document["sections"][0]["speaker_voice"] = "en-GB-2"
    document["owner"]["plan_tier"] = "pro"
    document["template"]["aspect_ratio"] = "16:9"

    video = VideoDetail.from_dict(document)
    assert video["brand_new_field"] == {"nested": [1, None, "x"]}
    assert video.sections[0]["speaker_voice"] == "en-GB-2"
    assert video.to_dict() == document


JSON_VALUES: list[object] = [
    {"sections": [{"title": "Intro"}]},
    [1, "two", None],
    "free text",
    0,
    3.5,
    False,
    {},
    [],
]


@pytest.mark.parametrize("value", [*JSON_VALUES, None], ids=repr)
def test_plan_may_be_any_json_or_null(value: object) -> None:
    assert VideoDetail.from_dict(edited(("plan",), value)).plan == value


@pytest.mark.parametrize("value", [*JSON_VALUES, None], ids=repr)
@pytest.mark.parametrize("name", ["content", "alignment_data"])
def test_untyped_section_fields_may_be_any_json_including_null(name: str, value: object) -> None:
    # The spec gives these no type at all, so JSON null is as valid as any other value
    # (and Steady, the contract mock, sends `content: null`).
    document = edited(("sections", 0, name), value)

    assert VideoDetail.from_dict(document).to_dict() == document


def test_very_deep_nesting_in_an_any_field_is_fine() -> None:
    deep: list[object] = []
    innermost = deep
    for _ in range(100_000):
        inner: list[object] = []
        innermost.append(inner)
        innermost = inner
    document = edited(("plan",), {"tree": deep})

    plan = VideoDetail.from_dict(document).plan
    assert isinstance(plan, dict)
    assert plan["tree"] is deep


@pytest.mark.parametrize(
    ("document", "problem"),
    [
        ([], "expected an object, got a list"),
        ([video_detail()], "expected an object, got a list"),
        ("<html>", "expected an object, got a string ('<html>')"),
        (42, "expected an object, got a number (42)"),
        (True, "expected an object, got a boolean"),
        (None, "expected an object, got null"),
    ],
    ids=["empty-list", "list-of-videos", "string", "number", "boolean", "null"],
)
def test_top_level_not_an_object_has_no_field(document: object, problem: str) -> None:
    with pytest.raises(DocumentError) as caught:
        VideoDetail.from_dict(document)  # type: ignore[arg-type]  # non-objects are the point

    assert (caught.value.path, caught.value.problem) == ("", problem)
    assert str(caught.value) == problem


@pytest.mark.parametrize(
    ("model", "document", "field"),
    [
        (VideoSection, video_detail()["sections"][0], None),
        (VideoTemplate, video_detail()["template"], None),
        (SimpleUser, video_detail()["owner"], None),
        (VideoSection, {**video_detail()["sections"][0], "video": "42"}, "video"),
        (SimpleUser, {}, "id"),
    ],
    ids=["section", "template", "owner", "section-bad-video", "empty-owner"],
)
def test_nested_models_are_checked_on_their_own(
    model: Any, document: dict[str, Any], field: str | None
) -> None:
    found = refusal(document, model)

    assert (found[0] if found else None) == field


EXPORTED_MODELS = [
    getattr(models, name) for name in models.__all__ if attrs.has(getattr(models, name))
]


def test_every_schema_of_the_spec_is_exported_as_a_model() -> None:
    names = {model.__name__ for model in EXPORTED_MODELS}

    assert {"VideoDetail", "VideoSection", "VideoTemplate", "SimpleUser"} <= names


@pytest.mark.parametrize("model", EXPORTED_MODELS, ids=lambda model: model.__name__)
def test_every_generated_model_refuses_by_path(model: Any) -> None:
    required = [field.name for field in attrs.fields(model) if field.default is attrs.NOTHING]

    if required:
        assert refusal({}, model) == (required[0], "required field is missing")
    else:  # a request body read partially: nothing in it is required
        assert model.from_dict({}).to_dict() == {}
    assert refusal([], model) == ("", "expected an object, got a list")


# Every property of the spec's object schemas, read from openapi.yaml itself, so a regenerated
# package (tests/test_update_spec.py runs this file on new specs) is checked field by field.
SCHEMAS: dict[str, Any] = spec_document()["components"]["schemas"]
# Where each model sits in video_detail().
LOCATIONS: dict[str, Path] = {
    "VideoDetail": (),
    "VideoSection": ("sections", 0),
    "VideoTemplate": ("template",),
    "SimpleUser": ("owner",),
}
# What the message calls a JSON type (and format), and a value that is not of it.
EXPECTED: dict[tuple[str, str | None], str] = {
    ("string", None): "a string",
    ("string", "uri"): "a string",
    ("string", "email"): "a string",
    ("string", "uuid"): "a UUID string",
    ("string", "date-time"): "an ISO 8601 date-time",
    ("integer", None): "an integer",
    ("number", None): "a number",
    ("boolean", None): "a boolean",
    ("array", None): "a list",
}
WRONG: dict[str, tuple[object, str]] = {
    "string": (42, "a number (42)"),
    "integer": ("42", "a string ('42')"),
    "number": ("1.5", "a string ('1.5')"),
    "boolean": ("yes", "a string ('yes')"),
    "array": ({}, "an object"),
    "object": ([], "a list"),
}


def _expectations(schema: dict[str, Any]) -> tuple[str | None, str | None, tuple[object, str]]:
    """For a property schema: what null is called when refused (None: null is fine), what a
    wrong value is called, and that wrong value with its description; (None, None, ...) for a
    property without a type, which takes anything."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        target = SCHEMAS[name]
        if "enum" in target:
            return f"a {name} string", "a string", WRONG["string"]
        return f"a {name} object", "an object", WRONG["object"]
    types = schema.get("type")
    if types is None:
        return None, None, (None, "")
    types = [types] if isinstance(types, str) else list(types)
    nullable = "null" in types
    (kind,) = [t for t in types if t != "null"]
    what = EXPECTED[kind, schema.get("format") if kind == "string" else None]
    return (None if nullable else what), what, WRONG[kind]


def _field_cases() -> Iterator[Any]:
    for model_name, location in LOCATIONS.items():
        schema = SCHEMAS[model_name]
        for name, property_schema in schema["properties"].items():
            path = (*location, name)
            field = field_name(path)
            null, what, (wrong, wrong_told) = _expectations(property_schema)
            if name in schema.get("required", []):
                yield pytest.param(
                    path, _DELETE, "required field is missing", id=f"{field}-missing"
                )
            if null is not None:
                yield pytest.param(path, None, f"expected {null}, got null", id=f"{field}-null")
            if what is not None:
                problem = f"expected {what}, got {wrong_told}"
                yield pytest.param(path, wrong, problem, id=f"{field}-wrong")
            items = property_schema.get("items")
            if items is not None and "type" in items:
                _, item_what, (item_wrong, item_told) = _expectations(items)
                item_problem = f"expected {item_what}, got {item_told}"
                yield pytest.param((*path, 0), item_wrong, item_problem, id=f"{field}[0]-wrong")


@pytest.mark.parametrize(("path", "value", "problem"), list(_field_cases()))
def test_every_field_of_the_spec_is_refused_by_name(
    path: Path, value: object, problem: str
) -> None:
    # A list item: the wrong item goes in a list of one.
    document = edited(path[:-1], [value]) if isinstance(path[-1], int) else edited(path, value)

    assert refusal(document) == (field_name(path), problem)


# Every place in the document, each set to one of these or deleted: from_dict either parses it,
# and then to_dict() gives it back, or refuses it naming that place or a place inside it (the
# rest of the document is valid), with one of the two kinds of problem.
_REPLACEMENTS: list[object] = [
    None,
    "x",
    "",
    42,
    -1,
    1.5,
    True,
    False,
    [],
    [1],
    ["x"],
    [None],
    {},
    {"id": 1},
    VIDEO_UID,
    "2026-11-02T09:30:00+00:00",
    "completed",
    _DELETE,
]
_PROBLEM = re.compile(r"required field is missing|expected .+, got .+")


def _paths(value: object, prefix: Path = ()) -> list[Path]:
    found: list[Path] = []
    if isinstance(value, dict):
        for key, item in value.items():
            found += [(*prefix, key), *_paths(item, (*prefix, key))]
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += [(*prefix, index), *_paths(item, (*prefix, index))]
    return found


PATHS = _paths(video_detail())


def _is_at_or_inside(field: str, place: str) -> bool:
    return field == place or field.startswith((place + ".", place + "["))


def test_every_edit_parses_and_round_trips_or_is_refused_where_it_was_made() -> None:
    refused = parsed = 0
    for path in PATHS:
        for value in _REPLACEMENTS:
            if value is _DELETE and isinstance(path[-1], int):
                continue
            document = edited(path, value)
            found = refusal(document)
            if found is None:
                assert VideoDetail.from_dict(document).to_dict() == document, (path, value)
                parsed += 1
            else:
                assert _is_at_or_inside(found[0], field_name(path)), (path, value, found)
                assert _PROBLEM.fullmatch(found[1]), (path, value, found)
                refused += 1
    assert refused > 1000
    assert parsed > 500


_NAMES = sorted(
    {name for model in EXPORTED_MODELS for name in attrs.fields_dict(model)}
    - {"additional_properties"}
)
_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=12)
    | st.sampled_from(["", VIDEO_UID, "2026-11-02T09:30:00+00:00", "2026-11-02", "completed"])
)
JSON = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(_NAMES) | st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=12,
)


@given(path=st.sampled_from(PATHS), value=JSON | st.just(_DELETE))
def test_any_json_anywhere_is_parsed_or_refused_where_it_was_put(path: Path, value: object) -> None:
    if value is _DELETE and isinstance(path[-1], int):
        value = None
    found = refusal(edited(path, value))

    if found is not None:
        assert _is_at_or_inside(found[0], field_name(path)), found
        assert _PROBLEM.fullmatch(found[1]), found


@given(document=st.dictionaries(st.sampled_from(_NAMES), JSON, max_size=40) | JSON)
def test_any_json_document_is_parsed_or_refused_with_a_document_error(document: object) -> None:
    for model in EXPORTED_MODELS:
        found = refusal(document, model)  # any other exception fails the test
        assert found is None or _PROBLEM.fullmatch(found[1]), found


# DocumentError itself.


def test_a_document_error_is_a_value_error_that_prints_its_path() -> None:
    error = DocumentError("sections[0].uid", "expected a UUID string, got null")

    assert isinstance(error, ValueError)
    assert str(error) == "sections[0].uid: expected a UUID string, got null"
    assert str(DocumentError("", "expected an object, got null")) == "expected an object, got null"
    copied = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own bytes, as multiprocessing does
    assert (copied.path, copied.problem, str(copied)) == (error.path, error.problem, str(error))


@pytest.mark.parametrize(
    ("path", "keys", "expected"),
    [
        ("", ["uid"], "uid"),
        ("", [0], "[0]"),
        ("uid", ["owner"], "owner.uid"),
        ("uid", [3], "[3].uid"),
        ("uid", [3, "sections"], "sections[3].uid"),
        ("[1]", [2, "grid"], "grid[2][1]"),
        ("[0].id", ["tags"], "tags[0].id"),
    ],
)
def test_within_prefixes_the_path_like_a_json_path(
    path: str, keys: list[str | int], expected: str
) -> None:
    error = DocumentError(path, "expected a string, got null")
    for key in keys:
        error = error.within(key)

    assert (error.path, error.problem) == (expected, "expected a string, got null")


def test_within_makes_a_copy() -> None:
    error = DocumentError("uid", "required field is missing")

    assert error.within("owner") is not error
    assert error.path == "uid"


def test_nested_too_deeply_stays_the_whole_document_s_error() -> None:
    error = DocumentError.nested_too_deeply().within(0).within("children")

    assert (error.path, str(error)) == ("", "the document is nested too deeply")


@pytest.mark.parametrize(
    ("value", "text", "told"),
    [
        (None, False, "null"),
        (True, False, "a boolean"),
        (7, False, "a number (7)"),
        (0.5, False, "a number (0.5)"),
        ("abc", False, "a string ('abc')"),
        ("abc", True, "'abc'"),
        (None, True, "null"),
        ([1], False, "a list"),
        ({"a": 1}, False, "an object"),
        (b"abc", False, "bytes"),
    ],
)
def test_expected_tells_the_value_as_json(value: object, text: bool, told: str) -> None:
    error = DocumentError.expected("a UUID string", value, "uid", text=text)

    assert (error.path, error.problem) == ("uid", f"expected a UUID string, got {told}")


# The template beyond this spec: shapes openapi.yaml does not have yet (a recursive schema, a list
# of lists, nullable list items, a list of enums or UUIDs, a number, a date), generated from a
# spec of its own with the same templates.
SHAPES_SPEC = """
openapi: 3.1.0
info: {title: shapes, version: 1.0.0}
paths:
  /node/:
    get:
      operationId: node
      responses:
        "200":
          description: a node
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Node"}
components:
  schemas:
    Colour: {type: string, enum: [red, green]}
    Node:
      type: object
      required: [name, children]
      properties:
        name: {type: string}
        children: {type: array, items: {$ref: "#/components/schemas/Node"}}
        parent:
          anyOf: [{$ref: "#/components/schemas/Node"}, {type: "null"}]
        weight: {type: number}
        born: {type: string, format: date}
        grid: {type: array, items: {type: array, items: {type: integer}}}
        colours: {type: array, items: {$ref: "#/components/schemas/Colour"}}
        ids: {type: array, items: {type: string, format: uuid}}
        stamps: {type: array, items: {type: [string, "null"], format: date-time}}
    Leaf:
      type: object
      required: [id]
      properties: {id: {type: integer}}
    Flat:
      type: object
      required: [name]
      properties:
        name: {type: string}
        weight: {type: number}
        born: {type: string, format: date}
        grid: {type: array, items: {type: array, items: {type: integer}}}
        colours: {type: array, items: {$ref: "#/components/schemas/Colour"}}
        ids: {type: array, items: {type: string, format: uuid}}
        stamps: {type: array, items: {type: [string, "null"], format: date-time}}
        leaf:
          anyOf: [{$ref: "#/components/schemas/Leaf"}, {type: "null"}]
        leaves: {type: array, items: {$ref: "#/components/schemas/Leaf"}}
"""
ROOT = FilePath(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def shapes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    pytest.importorskip("openapi_python_client")
    folder = tmp_path_factory.mktemp("shapes")
    (folder / "spec.yaml").write_text(SHAPES_SPEC)
    (folder / "config.yml").write_text("package_name_override: shapes_api\npost_hooks: []\n")
    # The SDK's own generation (codegen/generate.py), without the API's overlay and names.
    command = [
        *(sys.executable, "-m", "codegen.generate", "--not-the-api"),
        *("--spec", str(folder / "spec.yaml"), "--config", str(folder / "config.yml")),
        *("--output", str(folder / "shapes_api")),
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=120, cwd=ROOT)
    sys.path.insert(0, str(folder))
    try:
        for module in ("shapes_api.models", "shapes_api.types"):
            importlib.import_module(module)
        yield sys.modules["shapes_api"]
    finally:
        sys.path.remove(str(folder))
        for name in [name for name in sys.modules if name.split(".")[0] == "shapes_api"]:
            del sys.modules[name]


def _node(**fields: object) -> dict[str, object]:
    return {"name": "n", "children": [], **fields}


SHAPE_CASES: list[tuple[dict[str, object], str, str]] = [
    (
        _node(children=[_node(children=[{"name": "c"}])]),
        "children[0].children[0].children",
        "required field is missing",
    ),
    (_node(children=[None]), "children[0]", "expected a Node object, got null"),
    (_node(parent=_node(name=1)), "parent.name", "expected a string, got a number (1)"),
    (_node(weight=True), "weight", "expected a number, got a boolean"),
    (_node(born="2026-13-01"), "born", "expected an ISO 8601 date, got '2026-13-01'"),
    (_node(born=20261301), "born", "expected an ISO 8601 date, got a number (20261301)"),
    (_node(grid=[[1], [2, "x"]]), "grid[1][1]", "expected an integer, got a string ('x')"),
    (_node(grid=[[1], 2]), "grid[1]", "expected a list, got a number (2)"),
    (_node(colours=["red", "blue", None]), "colours[2]", "expected a Colour string, got null"),
    (_node(colours=[7]), "colours[0]", "expected a string, got a number (7)"),
    (_node(ids=[VIDEO_UID, "x"]), "ids[1]", "expected a UUID string, got 'x'"),
    (_node(stamps=[None, "soon"]), "stamps[1]", "expected an ISO 8601 date-time, got 'soon'"),
]


@pytest.mark.source_tree("runs the generator on a spec of its own")
@pytest.mark.parametrize(
    ("document", "field", "problem"), SHAPE_CASES, ids=[field for _, field, _ in SHAPE_CASES]
)
def test_shapes_beyond_this_spec_are_refused_by_path(
    shapes: ModuleType, document: dict[str, object], field: str, problem: str
) -> None:
    assert refusal(document, shapes.models.Node, shapes.types.DocumentError) == (field, problem)


@pytest.mark.source_tree("runs the generator on a spec of its own")
def test_shapes_beyond_this_spec_parse(shapes: ModuleType) -> None:
    document = _node(
        children=[_node(name="child")],
        parent=None,
        weight=2,
        born="2026-11-02",
        grid=[[1, 2], []],
        colours=["red", "blue"],
        ids=[VIDEO_UID],
        stamps=[None, "2026-11-02T09:30:00+00:00"],
    )

    node = shapes.models.Node.from_dict(document)
    assert node.born == datetime.date(2026, 11, 2)
    assert node.stamps == [None, datetime.datetime(2026, 11, 2, 9, 30, tzinfo=datetime.UTC)]
    assert node.ids == [uuid.UUID(VIDEO_UID)]
    assert node.children[0].name == "child"
    assert node.colours == ["red", "blue"]


FLAT_CASES: list[dict[str, object]] = [
    {"name": "n"},
    {"name": "n", "weight": 2},  # an integer stays one: the mirror reads numbers as int | float
    {"name": "n", "weight": 2.5},
    {"name": "n", "weight": True},
    {"name": "n", "born": "2026-11-02"},
    {"name": "n", "born": "2026-13-01"},
    {"name": "n", "grid": [[1, 2], []]},
    {"name": "n", "grid": [[1], [2, "x"]]},
    {"name": "n", "colours": ["red", "blue"]},  # blue: a value the spec does not list yet
    {"name": "n", "colours": ["red", None]},
    {"name": "n", "ids": [VIDEO_UID, VIDEO_UID.upper()]},
    {"name": "n", "ids": ["{" + VIDEO_UID + "}"]},
    {"name": "n", "stamps": [None, "2026-11-02T09:30:00+00:00"]},
    {"name": "n", "stamps": ["2026-11-02"]},
    {"name": "n", "leaf": None},
    {"name": "n", "leaf": {"id": 1}},
    {"name": "n", "leaf": {"id": "1"}},
    {"name": "n", "leaf": {"id": 1, "added": 2}},
    {"name": "n", "leaves": [{"id": 1}, {"id": 2.0}]},
    {"name": None},
    {},
]


# Bodies from_dict accepts although the schema does not describe them: an unknown key, a UUID
# in braces. The fast parser leaves them to from_dict.
NOT_IN_THE_SCHEMA_S_OWN_SHAPE = [
    {"name": "n", "leaf": {"id": 1, "added": 2}},
    {"name": "n", "ids": ["{" + VIDEO_UID + "}"]},
]


def _outcome(parse: Any, body: bytes) -> tuple[str, str]:
    try:
        return "model", repr(parse(body))
    except ValueError as error:  # DocumentError is one
        return "refused", type(error).__name__


@pytest.mark.source_tree("runs the generator on a spec of its own")
@pytest.mark.parametrize("document", FLAT_CASES, ids=lambda document: json.dumps(document))
def test_shapes_beyond_this_spec_parse_alike_the_fast_and_the_checking_way(
    shapes: ModuleType, document: dict[str, object]
) -> None:
    flat = shapes.models.Flat
    body = json.dumps(document).encode()
    checked = _outcome(lambda content: flat.from_dict(json.loads(content)), body)
    fast = _outcome(flat._from_json_fast, body)

    # The fast parser takes a body only as from_dict reads it; what it refuses, from_dict judges.
    assert fast == checked or fast[0] == "refused"
    if checked[0] == "model" and document not in NOT_IN_THE_SCHEMA_S_OWN_SHAPE:
        assert fast == checked  # every body of the schema's own shape takes the fast path


@pytest.mark.source_tree("runs the generator on a spec of its own")
def test_a_recursive_schema_has_no_fast_path_and_parses_the_checking_way(
    shapes: ModuleType,
) -> None:
    with pytest.raises(ValueError, match="Node refers to itself"):
        shapes.models.Node._from_json_fast(json.dumps(_node()).encode())


@pytest.mark.source_tree("runs the generator on a spec of its own")
def test_a_recursive_schema_nested_too_deeply_is_a_document_error(shapes: ModuleType) -> None:
    document = _node()
    for _ in range(100_000):
        document = _node(children=[document])

    node, error_type = shapes.models.Node, shapes.types.DocumentError
    assert refusal(document, node, error_type) == ("", "the document is nested too deeply")
    shallow = _node()
    for _ in range(100):
        shallow = _node(children=[shallow])
    assert refusal(shallow, node, error_type) is None


@pytest.mark.parametrize(
    "text",
    [
        VIDEO_UID,
        VIDEO_UID.upper(),
        "{" + VIDEO_UID + "}",
        "urn:uuid:" + VIDEO_UID,
        VIDEO_UID.replace("-", ""),
        "5b0e9c2a-7d41-4f3e-9a55-0c8e2d6b1f4-",
        "5b0e9c2a-7d41-4f3e-9a55-0c8e2d6b1f4g",
        "5b0e9c2a-7d41-4f3e-9a55-0c8e2d6b1_47",
        "5b0e9c2a-7d41-4f3e-9a55-----------",
        " b0e9c2a-7d41-4f3e-9a55-0c8e2d6b1f47",
        "",
    ],
)
def test_parse_uuid_is_uuid_only_faster(text: str) -> None:
    try:
        expected: uuid.UUID | type[Exception] = uuid.UUID(text)
    except ValueError:
        expected = ValueError
    if expected is ValueError:
        with pytest.raises(ValueError):  # noqa: PT011 - uuid.UUID's own messages vary
            parse_uuid(text)
    else:
        parsed = parse_uuid(text)
        assert parsed == expected
        assert (parsed.int, parsed.is_safe, str(parsed), hash(parsed)) == (
            uuid.UUID(text).int,
            uuid.SafeUUID.unknown,
            str(expected),
            hash(expected),
        )


@pytest.mark.parametrize("value", [None, 42, True, ["x"]])
def test_parse_uuid_refuses_non_strings(value: object) -> None:
    with pytest.raises((TypeError, AttributeError)):
        parse_uuid(value)
