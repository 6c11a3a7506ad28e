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

import aisquare_studio_api.models
from aisquare_studio import ResponseValidationError, Studio, StudioError
from aisquare_studio._http import SyncHTTPClient, check_response, decode_json
from aisquare_studio._pool import Pool
from aisquare_studio.sandbox import Sandbox
from aisquare_studio_api.api.subpackage_videos import publish_create
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


def _sent(content: bytes | None) -> httpx.Request:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(204)

    pool = Pool(transport=httpx.MockTransport(answer))
    with SyncHTTPClient(pool, transport=pool) as client:
        client.post(
            "https://api.example/x", content=content, headers={"Content-Type": "application/json"}
        )
    return seen[0]


def test_an_empty_body_is_not_declared_as_json() -> None:
    assert "content-type" not in _sent(None).headers


def test_a_json_body_keeps_its_content_type() -> None:
    assert _sent(b"{}").headers["content-type"] == "application/json"


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


def test_a_success_body_is_decoded_and_parsed_once_per_call(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    body = _publish_body()
    decoded: list[object] = []
    parsed: list[object] = []
    real_decode = decode_json

    def decode(data: bytes) -> object:
        decoded.append(data)
        return real_decode(data)

    def from_dict(document: dict[str, object]) -> VideoDetail:
        parsed.append(document)
        return VideoDetail.from_dict(document)

    counting = dataclasses.replace(
        publish_create.OPERATION, success={200: Success("VideoDetail", from_dict)}
    )
    monkeypatch.setattr("aisquare_studio._http.decode_json", decode)
    monkeypatch.setattr(publish_create, "OPERATION", counting)
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=body))
    with Studio(api_key="k", base_url="http://localhost", transport=transport) as studio:
        video = studio.videos.publish(101)
        generated = publish_create.sync_detailed(101, client=studio.api_client).parsed

    assert isinstance(video, VideoDetail)
    assert isinstance(generated, VideoDetail)
    assert generated == video
    assert (len(decoded), len(parsed)) == (2, 2)  # one of each per call, not two


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
        b'"\\ud800"',  # a lone surrogate escape: jiter refuses it, json.loads takes it
    ],
    ids=["plain", "nan", "big-int", "duplicate-key", "unicode", "lone-surrogate"],
)
def test_decode_json_decodes_what_json_loads_decodes(content: bytes) -> None:
    decoded = decode_json(content)

    assert repr(decoded) == repr(json.loads(content))


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
