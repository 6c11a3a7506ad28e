"""Tests for _validation.py: a decoded document is checked against the generated models, by path."""

from __future__ import annotations

import copy
import datetime
import re
import uuid
from typing import Any

import attrs
import pytest

import aisquare_studio_api.models as models
from aisquare_studio._validation import Problem, find_problem, model_check
from aisquare_studio_api.models import (
    GlobalCreationStatusEnum,
    GlobalVisibilityEnum,
    SimpleUser,
    VideoDetail,
    VideoSection,
    VideoTemplate,
)
from aisquare_studio_api.types import parse_uuid

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


def test_valid_document_has_no_problem_and_parses() -> None:
    document = video_detail()

    assert find_problem(VideoDetail, document) is None
    video = VideoDetail.from_dict(document)
    assert video.title == "Photosynthesis in five minutes"
    assert video.uid == uuid.UUID(VIDEO_UID)
    assert video.created_at == datetime.datetime(2026, 11, 2, 9, 30, tzinfo=datetime.UTC)
    assert [section.uid for section in video.sections] == [uuid.UUID(u) for u in SECTION_UIDS]
    assert video.owner.email == "alice@example.com"
    assert video.template.name == "Explainer"
    assert video.status is GlobalCreationStatusEnum.COMPLETED
    assert video.to_dict() == document


def test_checking_does_not_change_the_document() -> None:
    document = video_detail()
    before = copy.deepcopy(document)

    find_problem(VideoDetail, document)

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
    problem = find_problem(VideoDetail, edited(path))

    assert problem == Problem(field, "required field is missing")
    assert str(problem) == f"{field}: required field is missing"


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

    assert find_problem(VideoDetail, document) is None
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
    ],
    ids=lambda v: ".".join(map(str, v)) if isinstance(v, tuple) else None,
)
def test_null_where_not_nullable_is_named(path: Path, field: str, problem: str) -> None:
    assert find_problem(VideoDetail, edited(path, None)) == Problem(field, problem)


@pytest.mark.parametrize(
    ("path", "field"),
    [
        (("status",), "status"),
        (("visibility",), "visibility"),
        (("sections", 0, "status"), "sections[0].status"),
    ],
    ids=["status", "visibility", "section-status"],
)
def test_null_enum_is_named(path: Path, field: str) -> None:
    # The spec's enums are not nullable; the generated enum would raise on None.
    problem = find_problem(VideoDetail, edited(path, None))

    assert problem is not None
    assert problem.field == field
    assert problem.problem.endswith("got null")


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

    assert find_problem(VideoDetail, document) is None
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
        (("tag_names",), "a", "tag_names", "expected a list, got a string ('a')"),
        (("tag_names",), ["a", 7], "tag_names[1]", "expected a string, got a number (7)"),
        (("tags",), ["x"], "tags[0]", "expected an integer, got a string ('x')"),
        (("sections",), {}, "sections", "expected a list, got an object"),
        (("sections", 1), "intro", "sections[1]", "expected an object, got a string ('intro')"),
        (("owner",), [], "owner", "expected an object, got a list"),
        (("uid",), "not-a-uuid", "uid", "expected a UUID string, got 'not-a-uuid'"),
        (("uid",), 42, "uid", "expected a UUID string, got a number (42)"),
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
    ],
    ids=lambda v: ".".join(map(str, v)) if isinstance(v, tuple) else None,
)
def test_wrong_type_is_named_with_a_readable_problem(
    path: Path, value: object, field: str, problem: str
) -> None:
    assert find_problem(VideoDetail, edited(path, value)) == Problem(field, problem)


def test_a_long_bad_value_is_shortened_in_the_problem() -> None:
    problem = find_problem(VideoDetail, edited(("workspace",), "x" * 10_000))

    assert problem is not None
    assert problem.field == "workspace"
    assert problem.problem.startswith("expected an integer, got a string ('xxx")
    assert len(problem.problem) < 100


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("status",), "queued"),
        (("visibility",), "unlisted"),
        (("internal_status",), "uploading"),
        (("sections", 1, "status"), "queued"),
    ],
    ids=lambda v: ".".join(map(str, v)) if isinstance(v, tuple) else v,
)
def test_enum_value_the_spec_does_not_list_is_kept(path: Path, value: str) -> None:
    document = edited(path, value)

    assert find_problem(VideoDetail, document) is None
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

    assert find_problem(VideoDetail, document) is None
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
    document = edited(("plan",), value)

    assert find_problem(VideoDetail, document) is None
    assert VideoDetail.from_dict(document).plan == value


@pytest.mark.parametrize("value", [*JSON_VALUES, None], ids=repr)
@pytest.mark.parametrize("name", ["content", "alignment_data"])
def test_untyped_section_fields_may_be_any_json_including_null(name: str, value: object) -> None:
    # The spec gives these no type at all, so JSON null is as valid as any other value
    # (and Steady, the contract mock, sends `content: null`).
    document = edited(("sections", 0, name), value)

    assert find_problem(VideoDetail, document) is None
    assert VideoDetail.from_dict(document).to_dict() == document


def test_very_deep_nesting_in_an_any_field_is_fine() -> None:
    deep: list[object] = []
    innermost = deep
    for _ in range(100_000):
        inner: list[object] = []
        innermost.append(inner)
        innermost = inner
    document = edited(("plan",), {"tree": deep})

    assert find_problem(VideoDetail, document) is None
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
    found = find_problem(VideoDetail, document)

    assert found == Problem("", problem)
    assert str(found) == problem


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
    model: type, document: dict[str, Any], field: str | None
) -> None:
    problem = find_problem(model, document)

    assert (problem.field if problem else None) == field


EXPORTED_MODELS = [
    getattr(models, name) for name in models.__all__ if attrs.has(getattr(models, name))
]


def test_every_schema_of_the_spec_is_exported_as_a_model() -> None:
    names = {model.__name__ for model in EXPORTED_MODELS}

    assert {"VideoDetail", "VideoSection", "VideoTemplate", "SimpleUser"} <= names


@pytest.mark.parametrize("model", EXPORTED_MODELS, ids=lambda model: model.__name__)
def test_model_check_compiles_for_every_generated_model(model: type) -> None:
    # A regeneration that brings a field type _validation.py cannot check fails here, loudly,
    # instead of on the first response that carries the field.
    check = model_check(model)

    assert callable(check)
    required = [field.name for field in attrs.fields(model) if field.default is attrs.NOTHING]
    # A request body split from the schema it reuses (VideoDetailRequest) requires nothing.
    expected = Problem(required[0], "required field is missing") if required else None
    assert find_problem(model, {}) == expected
    assert find_problem(model, []) == Problem("", "expected an object, got a list")


def test_model_check_refuses_a_type_it_cannot_check() -> None:
    @attrs.define
    class FutureModel:
        when: datetime.time

    with pytest.raises(TypeError, match=re.escape("no check for generated type 'datetime.time'")):
        model_check(FutureModel)


# The generated from_dict checks types as it parses, and the HTTP layer trusts it: it runs
# find_problem only to explain a failure. So the two must accept exactly the same documents.
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


def _paths(value: object, prefix: Path = ()) -> list[Path]:
    found: list[Path] = []
    if isinstance(value, dict):
        for key, item in value.items():
            found += [(*prefix, key), *_paths(item, (*prefix, key))]
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += [(*prefix, index), *_paths(item, (*prefix, index))]
    return found


def _parses(document: object) -> bool:
    try:
        VideoDetail.from_dict(document)  # type: ignore[arg-type]  # non-objects are the point
    except (TypeError, ValueError, KeyError, AttributeError):
        return False
    return True


def test_from_dict_accepts_exactly_what_find_problem_accepts() -> None:
    checked = 0
    for path in _paths(video_detail()):
        for value in _REPLACEMENTS:
            if value is _DELETE and isinstance(path[-1], int):
                continue
            document = edited(path, value)
            accepted = find_problem(VideoDetail, document) is None
            assert _parses(document) == accepted, (path, value)
            checked += 1
    for not_an_object in [[], "x", None, 42, [video_detail()]]:
        assert not _parses(not_an_object)
    assert checked > 2000


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
