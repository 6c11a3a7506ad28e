"""``studio.<resource>.with_raw_response.<method>``: a successful call's request id, headers and
status beside its typed value, for every generated facade method, sync and async."""

from __future__ import annotations

import inspect
from typing import Any

import anyio
import httpx
import pytest

from aisquare_studio import (
    AsyncStudio,
    NotFoundError,
    RawResponse,
    RetryPolicy,
    Studio,
    VideoDetail,
)
from aisquare_studio.sandbox import SANDBOX_API_KEY, Fault, Sandbox
from aisquare_studio_api.api import AsyncResources, SyncResources
from tests.clients import KINDS, backend_for_kind, kind_param

kind = pytest.fixture(params=KINDS, name="kind")(kind_param)
anyio_backend = pytest.fixture(name="anyio_backend")(backend_for_kind)

FAST = RetryPolicy(initial_delay=0.001, max_delay=0.005)


async def raw_publish(kind: str, video_id: int, **options: Any) -> RawResponse[VideoDetail]:
    if kind == "sync":

        def run() -> RawResponse[VideoDetail]:
            with Studio(**options) as studio:
                return studio.videos.with_raw_response.publish(video_id)

        return await anyio.to_thread.run_sync(run)
    async with AsyncStudio(**options) as studio:
        return await studio.videos.with_raw_response.publish(video_id)


@pytest.mark.anyio
async def test_a_raw_publish_gives_the_request_id_headers_status_and_the_video(
    kind: str, sandbox: Sandbox, sandbox_url: str
) -> None:
    video_id = sandbox.draft_ids[0]

    raw = await raw_publish(kind, video_id, api_key=SANDBOX_API_KEY, base_url=sandbox_url)

    assert raw.status_code == 200
    assert raw.request_id is not None
    assert raw.request_id.startswith("req_")
    assert raw.headers["x-request-id"] == raw.request_id
    assert raw.headers["content-type"] == "application/json"
    assert isinstance(raw.http_response, httpx.Response)
    assert raw.content == raw.http_response.content
    video = raw.parse()
    assert isinstance(video, VideoDetail)
    assert (video.id, video.is_draft) == (video_id, False)
    assert raw.parsed is video  # parsed once
    assert sandbox.video(video_id)["is_draft"] is False
    assert repr(raw) == f"<RawResponse [200] request_id={raw.request_id!r}>"


@pytest.mark.anyio
async def test_a_raw_call_is_retried_and_names_the_attempt_that_succeeded(
    kind: str, sandbox: Sandbox, sandbox_url: str
) -> None:
    sandbox.inject(Fault.status(503, headers={"X-Request-Id": "req_failed"}))

    raw = await raw_publish(
        kind, sandbox.draft_ids[0], api_key=SANDBOX_API_KEY, base_url=sandbox_url, retry_policy=FAST
    )

    assert raw.status_code == 200
    assert raw.request_id not in (None, "req_failed")
    assert len(sandbox.requests) == 2


@pytest.mark.anyio
async def test_a_raw_call_raises_what_the_plain_method_raises(kind: str, sandbox_url: str) -> None:
    with pytest.raises(NotFoundError) as raised:
        await raw_publish(kind, 999_999, api_key=SANDBOX_API_KEY, base_url=sandbox_url)

    assert raised.value.request_id is not None


def _methods(resource: object) -> dict[str, Any]:
    return {
        name: getattr(resource, name)
        for name in dir(resource)
        if not name.startswith("_") and callable(getattr(resource, name))
    }


@pytest.mark.parametrize("resources", [SyncResources, AsyncResources])
def test_every_facade_method_but_all_has_a_raw_variant_taking_the_same_arguments(
    resources: type[Any],
) -> None:
    holder = resources()
    holder._attach_resources(httpx_client_free())
    attributes = [name for name in vars(resources) if not name.startswith("_")]
    assert attributes
    checked = 0
    for attribute in attributes:
        resource = getattr(holder, attribute)
        plain = _methods(resource)
        raw = _methods(resource.with_raw_response)
        expected = {name for name in plain if not name.endswith("_all")} - {"with_raw_response"}
        assert set(raw) == expected, attribute
        for name in expected:
            signature, raw_signature = inspect.signature(plain[name]), inspect.signature(raw[name])
            assert raw_signature.parameters == signature.parameters, f"{attribute}.{name}"
            assert inspect.iscoroutinefunction(raw[name]) == (resources is AsyncResources)
            annotation = str(raw_signature.return_annotation)
            assert annotation.startswith("aisquare_studio_api.types.RawResponse["), annotation
            checked += 1
    assert checked >= 1


def httpx_client_free() -> Any:
    """A generated client that is never sent through: the test only reads signatures."""
    from aisquare_studio_api.client import Client

    return Client(base_url="http://localhost")
