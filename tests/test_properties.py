"""Property tests: VideoDetail bodies drawn from openapi.yaml's own schemas, not from our fixtures.

hypothesis-jsonschema draws documents from the spec's ``VideoDetail`` (nulls in nullable fields,
optional fields left out, any JSON in untyped fields, unknown extra keys, long section lists).
Each one is served to the facade (``Studio``, ``AsyncStudio``) and to the generated function
through an in-process transport that the conftest checks against the spec, and must parse and
give back an equivalent document from ``to_dict()``. A body broken in one place must raise
``ResponseValidationError`` naming that place. Example counts come from the hypothesis profile
(conftest.py): bounded by default, larger with ``HYPOTHESIS_PROFILE=ci``.
"""

from __future__ import annotations

import asyncio
import datetime
import json
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from aisquare_studio import AsyncStudio, ResponseValidationError, Studio, VideoDetail
from aisquare_studio_api.api.subpackage_videos import publish_create
from tests.spec_checking import LEDGER, spec_checked
from tests.spec_validation import spec_document

Schema = dict[str, Any]
Path = tuple[str | int, ...]

API_KEY = "aisq_test_properties"
BASE_URL = "http://sandbox.localhost"  # plain http is allowed to loopback names only
VIDEO_ID = 101


def _inline(schema: Any, schemas: dict[str, Schema]) -> Any:
    """``schema`` with every ``#/components/schemas/...`` reference replaced by its target
    (the spec's schemas are not recursive, so this ends)."""
    if isinstance(schema, list):
        return [_inline(item, schemas) for item in schema]
    if not isinstance(schema, dict):
        return schema
    if "$ref" in schema:
        return _inline(schemas[schema["$ref"].rsplit("/", 1)[-1]], schemas)
    return {key: _inline(value, schemas) for key, value in schema.items()}


# The spec as the validators read it: the published document, with plan's oneOf read as anyOf
# (spec_validation.spec_document says why). OpenAPI 3.1 schemas are JSON Schema 2020-12, and
# the keywords these use (type arrays, enum, anyOf, format, required) mean the same in the
# draft hypothesis-jsonschema implements; descriptions and titles are annotations.
SCHEMAS: dict[str, Schema] = spec_document()["components"]["schemas"]
VIDEO_SCHEMA: Schema = _inline(SCHEMAS["VideoDetail"], SCHEMAS)
SECTION_SCHEMA: Schema = VIDEO_SCHEMA["properties"]["sections"]["items"]


def _drf_date_times() -> st.SearchStrategy[str]:
    # What a Python server can send: hypothesis-jsonschema's RFC 3339 strategy also draws year
    # 0000 and nanoseconds, which no DRF server (nor Python's datetime) can produce.
    offsets = st.integers(-(23 * 60 + 59), 23 * 60 + 59).map(
        lambda minutes: datetime.timezone(datetime.timedelta(minutes=minutes))
    )
    zones = st.one_of(st.just(datetime.UTC), offsets)
    return st.datetimes(timezones=zones).map(
        lambda moment: moment.isoformat().replace("+00:00", "Z")
    )


FORMATS: dict[str, st.SearchStrategy[str]] = {
    "uuid": st.uuids().map(str),  # a format hypothesis-jsonschema does not know
    "drf-date-time": _drf_date_times(),
}


def _generation_schema(schema: Any) -> Any:
    """``schema`` with ``format: date-time`` renamed to the ``drf-date-time`` format above.

    Overriding the standard format in place would raise a HypothesisWarning, which this suite
    treats as an error; a private name says the same thing without one.
    """
    if isinstance(schema, list):
        return [_generation_schema(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    renamed = {key: _generation_schema(value) for key, value in schema.items()}
    if renamed.get("format") == "date-time":
        renamed["format"] = "drf-date-time"
    return renamed


def _strategy(schema: Schema) -> st.SearchStrategy[Any]:
    """Documents valid for ``schema``: objects and arrays are assembled here, every other
    schema (scalars, type arrays with null, enums, formats, untyped "any JSON") is drawn by
    hypothesis-jsonschema. Its own object strategy takes ~0.4 s per VideoDetail and minutes for
    a 30-section one; assembling objects with ``fixed_dictionaries`` keeps the same space
    (required keys always, optional ones sometimes, unknown extra keys sometimes) at a
    fraction of the cost."""
    if schema.get("type") == "object":
        properties: dict[str, Schema] = schema["properties"]
        required = set(schema.get("required", []))
        known = st.fixed_dictionaries(
            {name: _strategy(properties[name]) for name in properties if name in required},
            optional={
                name: _strategy(properties[name]) for name in properties if name not in required
            },
        )
        # No additionalProperties: false in the spec, so a server may add fields at any time.
        extra_names = st.text(min_size=1, max_size=12).filter(lambda name: name not in properties)
        extras = st.dictionaries(extra_names, from_schema({}), max_size=2)
        return st.builds(lambda fields, more: {**more, **fields}, known, extras)
    if schema.get("type") == "array":
        return st.lists(
            _strategy(schema["items"]),
            min_size=schema.get("minItems", 0),
            max_size=schema.get("maxItems", 5),
        )
    return from_schema(_generation_schema(schema), custom_formats=FORMATS)


def videos(*, max_sections: int = 3) -> st.SearchStrategy[Any]:
    """VideoDetail documents drawn from the spec, with up to ``max_sections`` sections."""
    schema = json.loads(json.dumps(VIDEO_SCHEMA))
    schema["properties"]["sections"]["maxItems"] = max_sections
    return _strategy(schema)


@st.composite
def long_videos(draw: st.DrawFn) -> Any:
    """A VideoDetail with 25 to 60 sections.

    Hypothesis gives each example a bounded budget of random choices, which 25 independently
    drawn sections overrun (each is ~20 fields of text and any-JSON): every attempt is thrown
    away and the test crawls. So a long list cycles through up to four drawn sections, which
    still exercises every length-dependent path (parsing, indexing, to_dict) at length.
    """
    video = draw(videos(max_sections=4).filter(lambda document: document["sections"]))
    length = draw(st.integers(25, 60))
    drawn = video["sections"]
    video["sections"] = [drawn[index % len(drawn)] for index in range(length)]
    return video


# --- serving one body ------------------------------------------------------------------------


class Responder:
    """An in-process server answering every request with the body it was last given."""

    def __init__(self) -> None:
        self.body = b"{}"

    def __call__(self, request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=self.body, headers={"Content-Type": "application/json"})


@pytest.fixture(scope="module")
def responder() -> Responder:
    return Responder()


@pytest.fixture(scope="module")
def studio(responder: Responder) -> Iterator[Studio]:
    # Module scope: one client for every example (hypothesis forbids function-scoped fixtures
    # shared across examples), and building clients is not what these tests measure.
    transport = spec_checked(httpx.MockTransport(responder))
    with Studio(api_key=API_KEY, base_url=BASE_URL, transport=transport, max_retries=0) as client:
        yield client


async def _publish_async(responder: Responder) -> VideoDetail:
    transport = spec_checked(httpx.MockTransport(responder))
    async with AsyncStudio(api_key=API_KEY, base_url=BASE_URL, transport=transport) as client:
        return await client.videos.publish(VIDEO_ID)


def every_parse(studio: Studio, responder: Responder, document: Any) -> list[VideoDetail]:
    """``document`` served as the 200 body, parsed by the facade (sync and async) and by the
    generated function on the facade's client."""
    responder.body = json.dumps(document).encode()
    detailed = publish_create.sync_detailed(VIDEO_ID, client=studio.api_client)
    assert detailed.status_code == 200
    assert isinstance(detailed.parsed, VideoDetail)
    return [
        studio.videos.publish(VIDEO_ID),
        asyncio.run(_publish_async(responder)),
        detailed.parsed,
    ]


# --- comparing documents ---------------------------------------------------------------------


def normalised(value: Any, schema: Schema) -> Any:
    """``value`` with date-times and UUIDs in one spelling: ``to_dict()`` writes them back as
    Python formats them (``+00:00`` for ``Z``, lower-case UUIDs), which the spec allows."""
    if isinstance(value, dict) and "properties" in schema:
        properties = schema["properties"]
        return {key: normalised(item, properties.get(key, {})) for key, item in value.items()}
    if isinstance(value, list) and "items" in schema:
        return [normalised(item, schema["items"]) for item in value]
    if isinstance(value, str) and schema.get("format") == "date-time":
        return datetime.datetime.fromisoformat(value).isoformat()
    if isinstance(value, str) and schema.get("format") == "uuid":
        return str(uuid.UUID(value))
    return value


def assert_equivalent(video: VideoDetail, document: Any) -> None:
    assert normalised(video.to_dict(), VIDEO_SCHEMA) == normalised(document, VIDEO_SCHEMA)


# --- valid bodies ----------------------------------------------------------------------------


@given(document=videos())
def test_every_spec_valid_body_parses_and_round_trips(
    studio: Studio, responder: Responder, document: Any
) -> None:
    for video in every_parse(studio, responder, document):
        assert video.id == document["id"]
        assert len(video.sections) == len(document["sections"])
        assert_equivalent(video, document)
    LEDGER.add("generated bodies")


@settings(max_examples=max(3, settings().max_examples // 6))
@given(document=long_videos())
def test_a_long_section_list_parses_and_round_trips(
    studio: Studio, responder: Responder, document: Any
) -> None:
    for video in every_parse(studio, responder, document):
        assert [section.id for section in video.sections] == [
            section["id"] for section in document["sections"]
        ]
        assert_equivalent(video, document)
    LEDGER.add("generated bodies")


# --- invalid bodies --------------------------------------------------------------------------

# A value of each JSON type; a typed field gets the first one its type does not allow.
_SAMPLES: dict[str, object] = {
    "string": "7",
    "integer": 7,
    "boolean": True,
    "array": ["a", "list"],
    "object": {"an": "object"},
}


def _types(schema: Schema) -> set[str]:
    declared = schema.get("type")
    if declared is None and "enum" in schema:
        return {"string"}
    return set(declared) if isinstance(declared, list) else {declared} if declared else set()


def breakages(document: Any, schema: Schema, path: Path = ()) -> Iterator[tuple[Path, object]]:
    """Every single-field way to break ``document``: (where, the wrong value or None to remove).

    A required field removed, or a value of the wrong JSON type put in a typed field (null where
    null is not allowed counts). Untyped fields take any JSON, so they have no wrong value.
    """
    if isinstance(document, dict) and "properties" in schema:
        for key in schema.get("required", []):
            yield (*path, key), None
        for key, value in document.items():
            if key in schema.get("properties", {}):
                yield from breakages(value, schema["properties"][key], (*path, key))
    elif isinstance(document, list) and "items" in schema:
        for index, item in enumerate(document):
            yield from breakages(item, schema["items"], (*path, index))
    types = _types(schema)
    if not types or not path:
        return
    if "null" not in types:
        yield path, _NULL
    wrong = next(sample for kind, sample in _SAMPLES.items() if kind not in types)
    if schema.get("format") in {"date-time", "uuid"} and isinstance(document, str):
        wrong = "not-a-" + schema["format"]  # the right JSON type, but not parseable
    yield path, wrong


_NULL = object()  # "set to null", as opposed to None: "remove"


def broken(document: Any, path: Path, value: object) -> Any:
    result = json.loads(json.dumps(document))
    parent = result
    for step in path[:-1]:
        parent = parent[step]
    if value is None:
        del parent[path[-1]]
    else:
        parent[path[-1]] = None if value is _NULL else value
    return result


def field_name(path: Path) -> str:
    """The SDK's spelling of a path: ``sections[2].uid``."""
    name = ""
    for step in path:
        name += f"[{step}]" if isinstance(step, int) else f".{step}" if name else step
    return name


@pytest.mark.spec_violation("each body is broken in one field, to test ResponseValidationError")
@given(data=st.data(), document=videos(max_sections=2))
def test_a_body_broken_in_one_field_raises_an_error_naming_it(
    studio: Studio, responder: Responder, data: st.DataObject, document: Any
) -> None:
    path, value = data.draw(st.sampled_from(list(breakages(document, VIDEO_SCHEMA))))
    responder.body = json.dumps(broken(document, path, value)).encode()

    with pytest.raises(ResponseValidationError) as facade:
        studio.videos.publish(VIDEO_ID)
    with pytest.raises(ResponseValidationError) as generated:
        publish_create.sync_detailed(VIDEO_ID, client=studio.api_client)

    for caught in (facade, generated):
        assert caught.value.field == field_name(path)
        assert f"VideoDetail.{field_name(path)}:" in str(caught.value)
        words = "required field is missing" if value is None else "expected"
        assert words in str(caught.value)
