"""The SDK's httpx layer: which responses are checked against which model, and how."""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

import aisquare_studio_api.models
from aisquare_studio import ResponseValidationError, Studio, StudioError
from aisquare_studio._http import SyncHTTPClient, check_response
from aisquare_studio._parsing import decode_json
from aisquare_studio._pool import Pool
from aisquare_studio.sandbox import Sandbox
from aisquare_studio_api.api.subpackage_videos import publish_create
from aisquare_studio_api.client import Client
from aisquare_studio_api.models import VideoDetail
from aisquare_studio_api.types import OPERATION_EXTENSION, PARSED_EXTENSION, Success

SPEC = yaml.safe_load((Path(__file__).resolve().parent.parent / "openapi.yaml").read_text())
PUBLISH = "https://api.example/api/v1/videos/101/publish/"


def _publish_request() -> httpx.Request:
    return httpx.Request(
        "POST", PUBLISH, extensions={OPERATION_EXTENSION: publish_create.OPERATION}
    )


def test_every_generated_operation_carries_its_record_with_the_spec_s_success_models() -> None:
    for template, operations in SPEC["paths"].items():
        for method, operation in operations.items():
            module = importlib.import_module(
                f"aisquare_studio_api.api.{operation['tags'][0]}."
                + operation["operationId"].replace("-", "_")
            )
            record = module.OPERATION
            assert (record.method, record.path) == (method.upper(), template)
            assert record.operation_id == operation["operationId"]
            kwargs = module._get_kwargs(**_required_arguments(module._get_kwargs))
            assert kwargs["extensions"][OPERATION_EXTENSION] is record
            for status, response in operation["responses"].items():
                schema = response.get("content", {}).get("application/json", {}).get("schema", {})
                if not status.startswith("2") or "$ref" not in schema:
                    continue
                model = getattr(aisquare_studio_api.models, schema["$ref"].rsplit("/", 1)[-1])
                assert record.success[int(status)].type_name == model.__name__
                assert record.success[int(status)].parse == model.from_dict
                assert record.success[int(status)].decode == model._from_json_fast


class _Body:
    def to_dict(self) -> dict[str, object]:
        return {}


def _required_arguments(function: Any) -> dict[str, object]:
    # A value for each required parameter: ids, strings, and a body that is an empty object.
    dummies: dict[object, object] = {int: 7, str: "x"}
    return {
        name: dummies.get(parameter.annotation, _Body())
        for name, parameter in inspect.signature(function).parameters.items()
        if parameter.default is inspect.Parameter.empty
    }


def test_a_request_without_an_operation_record_is_not_checked_against_a_model() -> None:
    request = httpx.Request("POST", PUBLISH)
    check_response(httpx.Response(200, content=b"not json", request=request))


def test_a_201_to_publish_is_not_taken_for_a_video() -> None:
    response = httpx.Response(201, json={}, request=_publish_request())
    with pytest.raises(ResponseValidationError, match="expected HTTP 200 with a VideoDetail"):
        check_response(response)


def _sent_publish(**arguments: Any) -> httpx.Request:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, content=_publish_body())

    transport = httpx.MockTransport(answer)
    with Studio(api_key="k", base_url="http://localhost", transport=transport) as studio:
        studio.videos.publish(101, **arguments)
    return seen[0]


def test_a_call_without_a_body_declares_none() -> None:
    request = _sent_publish()

    assert request.content == b""
    assert "content-type" not in request.headers


def test_a_call_with_a_body_declares_it_json() -> None:
    request = _sent_publish(title="Launch")

    assert json.loads(request.content) == {"title": "Launch"}
    assert request.headers["content-type"] == "application/json"


def test_a_closed_pool_refuses_before_anything_is_sent() -> None:
    pool = Pool(transport=httpx.MockTransport(lambda request: httpx.Response(200)))
    pool.close()
    with (
        SyncHTTPClient(pool, transport=pool) as client,
        pytest.raises(StudioError, match="closed"),
    ):
        client.get("https://api.example/x")


def _publish_body() -> bytes:
    return json.dumps(Sandbox().video(101)).encode()


def _counting_publish(
    monkeypatch: pytest.MonkeyPatch, body: bytes
) -> tuple[list[VideoDetail], dict[str, int]]:
    """Publish ``body`` through the facade and the generated function, counting each parser."""
    calls = {"fast": 0, "decode_json": 0, "from_dict": 0}
    real_decode = decode_json

    def fast(content: bytes) -> VideoDetail:
        calls["fast"] += 1
        return VideoDetail._from_json_fast(content)

    def decode(content: bytes) -> object:
        calls["decode_json"] += 1
        return real_decode(content)

    def from_dict(document: dict[str, object]) -> VideoDetail:
        calls["from_dict"] += 1
        return VideoDetail.from_dict(document)

    counting = dataclasses.replace(
        publish_create.OPERATION, success={200: Success("VideoDetail", from_dict, fast)}
    )
    monkeypatch.setattr("aisquare_studio._parsing.decode_json", decode)
    monkeypatch.setattr(publish_create, "OPERATION", counting)
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=body))
    with Studio(api_key="k", base_url="http://localhost", transport=transport) as studio:
        video = studio.videos.publish(101)
        generated = publish_create.sync_detailed(101, client=studio.api_client).parsed
    assert isinstance(generated, VideoDetail)
    return [video, generated], calls


def test_a_body_of_the_spec_s_shape_is_parsed_once_per_call_the_fast_way(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    (video, generated), calls = _counting_publish(monkeypatch, _publish_body())

    assert generated == video
    assert calls == {"fast": 2, "decode_json": 0, "from_dict": 0}  # one parse per call


def test_a_body_the_fast_parser_refuses_is_decoded_and_parsed_once_the_checking_way(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    document = json.loads(_publish_body())
    document["added_by_a_newer_server"] = True

    (video, generated), calls = _counting_publish(monkeypatch, json.dumps(document).encode())

    assert generated == video
    assert video["added_by_a_newer_server"] is True
    assert calls == {"fast": 2, "decode_json": 2, "from_dict": 2}


def test_the_generated_code_takes_the_parsed_model_off_the_response() -> None:
    # Left on the response, the model would live as long as the response's reference cycle.
    response = httpx.Response(200, content=_publish_body(), request=_publish_request())
    check_response(response)
    video = response.extensions[PARSED_EXTENSION]

    assert (
        publish_create._build_response(
            client=Client(base_url="http://localhost"), response=response
        ).parsed
        is video
    )
    assert PARSED_EXTENSION not in response.extensions


def test_check_response_hands_the_parsed_model_over_on_the_response() -> None:
    response = httpx.Response(200, content=_publish_body(), request=_publish_request())

    check_response(response)

    video = response.extensions[PARSED_EXTENSION]
    assert isinstance(video, VideoDetail)
    assert video.id == 101


@pytest.mark.parametrize(
    "content",
    [
        b'{"a": [1, 2.5, "x", null, true]}',
        b'{"n": NaN, "i": Infinity}',  # not JSON, but json.loads takes it: so must the SDK
        b'{"big": 123456789012345678901234567890}',
        b'{"a": 1, "a": 2}',
        '{"é": "\u00e9"}'.encode(),
        b'"\\ud800"',  # a lone surrogate escape: msgspec refuses it, json.loads takes it
    ],
    ids=["plain", "nan", "big-int", "duplicate-key", "unicode", "lone-surrogate"],
)
def test_decode_json_decodes_what_json_loads_decodes(content: bytes) -> None:
    decoded = decode_json(content)

    assert repr(decoded) == repr(json.loads(content))


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children) | st.dictionaries(st.text(), children),
    max_leaves=30,
)


@given(_JSON)
def test_decode_json_gives_the_objects_json_loads_gives(value: object) -> None:
    # Floats, big integers, escapes and nesting: msgspec first, json.loads for what it refuses.
    content = json.dumps(value).encode()

    assert repr(decode_json(content)) == repr(json.loads(content))


@pytest.mark.parametrize(
    "content",
    [b"", b"<html>", b'{"a": 1', b"\xff", b"[" * 100_000 + b"]" * 100_000],
    ids=["empty", "html", "truncated", "not-utf-8", "deep"],
)
def test_decode_json_refuses_what_json_loads_refuses(content: bytes) -> None:
    with pytest.raises((ValueError, RecursionError)):
        decode_json(content)


@pytest.mark.parametrize("content_type", ["text/\x0chtml", "a\x1cb", "x\u2028y", "a\x85b"])
def test_a_hostile_content_type_does_not_break_the_error_onto_two_lines(content_type: str) -> None:
    response = httpx.Response(
        200,
        content=b"<html>",
        headers=[(b"content-type", content_type.encode("utf-8", "surrogateescape"))],
        request=_publish_request(),
    )
    with pytest.raises(ResponseValidationError) as caught:
        check_response(response)
    assert len(str(caught.value).splitlines()) == 1


def test_a_cookie_the_server_sets_is_sent_back_on_the_next_call() -> None:
    # Responses without Set-Cookie skip the cookie jar; one with it must still reach it.
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        headers = {"Set-Cookie": "lb=node-2; Path=/"} if len(seen) == 1 else {}
        return httpx.Response(200, content=_publish_body(), headers=headers)

    transport = httpx.MockTransport(answer)
    with Studio(api_key="k", base_url="http://localhost", transport=transport) as studio:
        studio.videos.publish(101)
        studio.videos.publish(101)
        studio.videos.publish(101)

    assert "cookie" not in seen[0].headers
    assert [request.headers.get("cookie") for request in seen[1:]] == ["lb=node-2", "lb=node-2"]


@given(st.lists(st.text(min_size=1, max_size=8), min_size=1, max_size=4), st.booleans())
def test_a_cached_absolute_url_is_the_one_httpx_builds(segments: list[str], query: bool) -> None:
    path = "/" + "/".join(segments) + ("?a=1&b=%20" if query else "")
    pool = Pool(transport=httpx.MockTransport(lambda request: httpx.Response(204)))
    with (
        SyncHTTPClient(pool, transport=pool, base_url="https://api.example/v1") as cached,
        httpx.Client(base_url="https://api.example/v1") as plain,
    ):
        try:
            expected = plain.build_request("GET", path).url
        except httpx.InvalidURL:
            with pytest.raises(httpx.InvalidURL):
                cached.build_request("GET", path)
            return
        first = cached.build_request("GET", path).url
        again = cached.build_request("GET", path).url

        assert first == again == expected
        assert str(first) == str(expected)


def test_a_new_base_url_is_used_at_once() -> None:
    pool = Pool(transport=httpx.MockTransport(lambda request: httpx.Response(204)))
    with SyncHTTPClient(pool, transport=pool, base_url="https://one.example") as client:
        assert str(client.build_request("GET", "/a/").url) == "https://one.example/a/"
        client.base_url = httpx.URL("https://two.example/api")
        assert str(client.build_request("GET", "/a/").url) == "https://two.example/api/a/"
