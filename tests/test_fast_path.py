"""The fast parser (msgspec into the models' generated mirrors) against the checking parser.

Both paths must give the same thing for every body: an equal model (same repr, so the same types
down to int versus float, the same ``UNSET`` for absent fields, the same ``additional_properties``
and pseudo-members of enums), or the same ``ResponseValidationError`` naming the same field. The
bodies are drawn from the spec's own ``VideoDetail`` schema (tests/test_properties.py) and then
mutated where the two could part: a value of another JSON type, a date-time or a UUID in a form
one of them might read differently, a missing or an unknown key, a string JSON can carry and
Python cannot decode the fast way.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from typing import Any

import httpx
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from aisquare_studio import ParseCounts, ResponseValidationError, Studio, VideoDetail, parse_counts
from aisquare_studio._parsing import parse_success
from aisquare_studio.sandbox import Sandbox
from aisquare_studio_api.types import Success
from tests.test_properties import videos

FAST = Success("VideoDetail", VideoDetail.from_dict, VideoDetail._from_json_fast)
CHECKED = Success("VideoDetail", VideoDetail.from_dict)
REQUEST = httpx.Request("POST", "http://sandbox.localhost/api/v1/videos/101/publish/")

# Values where the two parsers could disagree: the JSON types next to each one the spec uses,
# the date-time forms fromisoformat and msgspec read differently (lower-case t and z, seven
# fraction digits, a bare date, a space for T), the UUID forms uuid.UUID takes beyond the
# canonical one, an enum value the spec does not list yet, integers past 64 bits, and a lone
# surrogate, which json.loads decodes and msgspec refuses.
TRICKY: list[Any] = [
    None,
    0,
    -1,
    1.0,
    -0.0,
    2.5,
    2**70,
    True,
    "",
    "x",
    [],
    {},
    [1, "x"],
    {"k": None},
    "2026-11-02",
    "2026-11-02T10:00:00",
    "2026-11-02t10:00:00z",
    "2026-11-02T10:00:00.1234567Z",
    "2026-11-02 10:00:00+01:00",
    "2026-11-02T25:00:00Z",
    "0D5F2C4E-9A1B-4C3D-8E7F-102030405060",
    "{0d5f2c4e-9a1b-4c3d-8e7f-102030405060}",
    "urn:uuid:0d5f2c4e-9a1b-4c3d-8e7f-102030405060",
    "0d5f2c4e9a1b4c3d8e7f102030405060",
    "draft",
    "published",
    "a-status-from-the-future",
    "\ud800",
]


def _paths(value: Any, path: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    """Every place in ``value`` a mutation can reach: object keys and list items, nested."""
    found = [path] if path else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*path, index))
    return found


def _container(document: Any, path: tuple[str | int, ...]) -> Any:
    for step in path[:-1]:
        document = document[step]
    return document


@st.composite
def mutated_videos(draw: st.DrawFn) -> Any:
    """A spec-valid VideoDetail with zero to three changes where the parsers could part."""
    document = draw(videos())
    for _ in range(draw(st.integers(0, 3))):
        paths = _paths(document)
        path = draw(st.sampled_from(paths))
        container = _container(document, path)
        kind = draw(st.sampled_from(["replace", "delete", "add"]))
        if kind == "replace":
            container[path[-1]] = draw(st.sampled_from(TRICKY))
        elif kind == "delete" and isinstance(container, dict):
            del container[path[-1]]
        elif isinstance(container, dict):
            container[draw(st.sampled_from(["extra", "id2", "sections_v2"]))] = draw(
                st.sampled_from(TRICKY)
            )
    return document


def _outcome(success: Success, body: bytes) -> tuple[str, str, str | None]:
    response = httpx.Response(200, content=body, request=REQUEST)
    try:
        model = parse_success(success, response)
    except ResponseValidationError as error:
        return "error", str(error), error.field
    assert isinstance(model, VideoDetail)
    return "model", repr(model), None


def _encode(document: Any) -> bytes:
    # ensure_ascii keeps a lone surrogate encodable, as the escape a server would send.
    return json.dumps(document).encode()


@given(mutated_videos())
@example({"id": 1})
def test_the_fast_and_the_checking_parser_give_the_same_model_or_the_same_error(
    document: Any,
) -> None:
    body = _encode(document)

    assert _outcome(FAST, body) == _outcome(CHECKED, body)


@given(mutated_videos())
def test_a_body_the_fast_parser_takes_gives_the_model_from_dict_builds(document: Any) -> None:
    body = _encode(document)
    try:
        fast = VideoDetail._from_json_fast(body)
    except (ValueError, TypeError):
        return  # refused: the checking parser decides, as the test above checks
    checked = VideoDetail.from_dict(json.loads(body))

    assert fast == checked
    assert repr(fast) == repr(checked)


def _one_of_each_place() -> list[tuple[str | int, ...]]:
    """A place for every field of every model: a 3-section video's paths, one section's only."""
    return [
        path
        for path in _paths(Sandbox().video(101))
        if path[:2] not in {("sections", 1), ("sections", 2)}
    ]


@pytest.mark.parametrize("path", _one_of_each_place(), ids=lambda path: ".".join(map(str, path)))
def test_every_field_given_every_tricky_value_or_none_parses_alike_both_ways(
    path: tuple[str | int, ...],
) -> None:
    for change in [*TRICKY, "delete"]:
        document = Sandbox().video(101)
        container = _container(document, path)
        if change == "delete":
            if not isinstance(container, dict):
                continue
            del container[path[-1]]
        else:
            container[path[-1]] = change
        body = _encode(document)

        assert _outcome(FAST, body) == _outcome(CHECKED, body), (path, change)


def _sandbox_body(video_id: int = 130) -> bytes:
    return _encode(Sandbox().video(video_id))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("created_at", "2026-11-02t10:00:00z"),
        ("created_at", "2026-11-02T10:00:00.1234567+00:00"),
        ("created_at", "2026-11-02"),
        ("uid", "{0d5f2c4e-9a1b-4c3d-8e7f-102030405060}"),
        ("status", "a-status-from-the-future"),
        ("title", "\ud800"),
    ],
)
def test_date_times_uuids_enums_and_strings_keep_the_checking_parser_s_meaning(
    field: str, value: str
) -> None:
    document = Sandbox().video(101)
    document[field] = value
    body = _encode(document)

    assert _outcome(FAST, body) == _outcome(CHECKED, body)


def test_a_30_section_video_from_the_sandbox_takes_the_fast_path() -> None:
    before = parse_counts()

    outcome = _outcome(FAST, _sandbox_body(130))

    assert outcome == _outcome(CHECKED, _sandbox_body(130))
    after = parse_counts()
    assert after.fast == before.fast + 1


def test_a_refused_body_is_counted_and_its_type_logged_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # A type of its own, so the "once" is this test's whatever ran before in this process.
    success = Success("VideoDetailOfThisTest", VideoDetail.from_dict, VideoDetail._from_json_fast)
    document = Sandbox().video(101)
    document["added_by_a_newer_server"] = {"nested": True}
    body = _encode(document)
    before = parse_counts()

    with caplog.at_level(logging.DEBUG, logger="aisquare_studio"):
        first = parse_success(success, httpx.Response(200, content=body, request=REQUEST))
        second = parse_success(success, httpx.Response(200, content=body, request=REQUEST))

    assert first == second
    assert first["added_by_a_newer_server"] == {"nested": True}
    after = parse_counts()
    assert (after.fast - before.fast, after.checked - before.checked) == (0, 2)
    refusals = [r.getMessage() for r in caplog.records if "fast parser refused" in r.getMessage()]
    assert len(refusals) == 1
    assert "VideoDetailOfThisTest" in refusals[0]
    assert "added_by_a_newer_server" in refusals[0]


def test_parse_counts_is_a_snapshot() -> None:
    counts = parse_counts()

    assert isinstance(counts, ParseCounts)
    _outcome(FAST, _sandbox_body(101))
    assert parse_counts().fast == counts.fast + 1  # the snapshot taken before did not move


# Run in a child: msgspec is made unimportable before the SDK is imported.
_WITHOUT_MSGSPEC = """
import sys
sys.modules["msgspec"] = None  # import msgspec raises ImportError, as where it cannot install
import httpx
from aisquare_studio import Studio, parse_counts
from aisquare_studio.sandbox import Sandbox
body = sys.stdin.buffer.read()
transport = httpx.MockTransport(lambda request: httpx.Response(200, content=body))
with Studio(api_key="k", base_url="http://localhost", transport=transport) as studio:
    video = studio.videos.publish(130)
counts = parse_counts()
print(repr(video))
print(counts.fast, counts.checked)
"""


def test_without_msgspec_every_body_is_parsed_the_checking_way_with_the_same_model() -> None:
    body = _sandbox_body(130)
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=body))
    with Studio(api_key="k", base_url="http://localhost", transport=transport) as studio:
        expected = studio.videos.publish(130)

    child = subprocess.run(
        [sys.executable, "-c", _WITHOUT_MSGSPEC],
        input=body,
        capture_output=True,
        check=True,
        env={**os.environ, "AISQUARE_API_KEY": ""},
        timeout=120,
    )

    shown, counts = child.stdout.decode().rsplit("\n", 2)[:2]
    assert shown == repr(expected)
    assert counts == "0 1"
