"""The SDK's httpx layer: which responses are checked against which model, and how."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
import yaml

import aisquare_studio_api.models
from aisquare_studio import ResponseValidationError, StudioError
from aisquare_studio._http import SUCCESS_MODELS, SyncHTTPClient, check_response, success_model
from aisquare_studio._pool import Pool

SPEC = yaml.safe_load((Path(__file__).resolve().parent.parent / "openapi.yaml").read_text())
PUBLISH = "https://api.example/api/v1/videos/101/publish/"


def test_every_operation_with_a_json_200_has_its_model_in_the_table() -> None:
    expected = set()
    for template, operations in SPEC["paths"].items():
        for method, operation in operations.items():
            schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
            model = schema["$ref"].rsplit("/", 1)[-1]
            path = re.sub(r"\{[^}]+\}", "7", template)
            found = success_model(httpx.Request(method.upper(), f"https://api.example{path}"))
            assert found is getattr(aisquare_studio_api.models, model), (method, template)
            expected.add((method.upper(), model))
    assert {(method, model.__name__) for method, _, model in SUCCESS_MODELS} == expected


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("GET", PUBLISH),
        ("POST", "https://api.example/api/v1/videos/101/"),
        ("POST", "https://api.example/api/v1/videos/101/publish/extra"),
    ],
)
def test_other_requests_are_not_checked_against_a_model(method: str, url: str) -> None:
    assert success_model(httpx.Request(method, url)) is None


def test_a_base_url_with_a_path_prefix_still_matches() -> None:
    request = httpx.Request("POST", "https://gateway.example/studio/api/v1/videos/5/publish/")
    assert success_model(request) is aisquare_studio_api.models.VideoDetail


def test_a_201_to_publish_is_not_taken_for_a_video() -> None:
    response = httpx.Response(201, json={}, request=httpx.Request("POST", PUBLISH))
    with pytest.raises(ResponseValidationError, match="expected HTTP 200 with a VideoDetail"):
        check_response(response)


def test_a_success_from_an_unmodelled_route_passes_unchecked() -> None:
    request = httpx.Request("GET", "https://api.example/health")
    check_response(httpx.Response(200, content=b"not json", request=request))


def _sent(content: bytes | None) -> httpx.Request:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(204)

    pool = Pool(httpx.MockTransport(answer))
    with SyncHTTPClient(pool, transport=pool.transport) as client:
        client.post(
            "https://api.example/x", content=content, headers={"Content-Type": "application/json"}
        )
    return seen[0]


def test_an_empty_body_is_not_declared_as_json() -> None:
    assert "content-type" not in _sent(None).headers


def test_a_json_body_keeps_its_content_type() -> None:
    assert _sent(b"{}").headers["content-type"] == "application/json"


def test_a_closed_pool_refuses_before_anything_is_sent() -> None:
    pool = Pool(httpx.MockTransport(lambda request: httpx.Response(200)))
    pool.closed = True
    with (
        SyncHTTPClient(pool, transport=pool.transport) as client,
        pytest.raises(StudioError, match="closed"),
    ):
        client.get("https://api.example/x")
