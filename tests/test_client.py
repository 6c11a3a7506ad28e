"""End to end: the SDK over real loopback sockets against the sandbox, sync and async
(asyncio and trio), through the facade and through the generated functions."""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import anyio
import httpx
import pytest

from aisquare_studio import (
    APIConnectionError,
    APITimeoutError,
    AsyncStudio,
    AuthenticationError,
    BadRequestError,
    InternalServerError,
    NotFoundError,
    RateLimitError,
    ResponseValidationError,
    RetryPolicy,
    Studio,
    StudioError,
    VideoDetail,
)
from aisquare_studio.sandbox import SANDBOX_API_KEY, Fault, Sandbox
from aisquare_studio_api.api.subpackage_videos import publish_create
from tests.clients import KINDS, backend_for_kind, kind_param, publish_once

# Retries in these tests wait milliseconds, not the production half second.
FAST = RetryPolicy(initial_delay=0.001, max_delay=0.005)


kind = pytest.fixture(params=KINDS, name="kind")(kind_param)
anyio_backend = pytest.fixture(name="anyio_backend")(backend_for_kind)


Publish = Callable[..., Awaitable[VideoDetail]]


@pytest.fixture
def publish(kind: str, sandbox_url: str) -> Publish:
    """``await publish(video_id, **options)``: one call through a fresh client of ``kind``."""

    async def call(video_id: Any, **options: Any) -> VideoDetail:
        defaults = {"api_key": SANDBOX_API_KEY, "base_url": sandbox_url, "retry_policy": FAST}
        return await publish_once(kind, video_id, **(defaults | options))

    return call


@pytest.mark.anyio
async def test_publish_flips_a_draft_and_returns_the_typed_video(
    publish: Publish, sandbox: Sandbox
) -> None:
    video_id = sandbox.draft_ids[0]
    assert sandbox.video(video_id)["is_draft"] is True

    video = await publish(video_id)

    assert isinstance(video, VideoDetail)
    assert video.id == video_id
    assert video.is_draft is False
    assert video.title == sandbox.video(video_id)["title"]
    assert len(video.sections) == len(sandbox.video(video_id)["sections"])
    assert sandbox.video(video_id)["is_draft"] is False
    sent = sandbox.requests[-1]
    assert sent.headers["authorization"] == f"Bearer {SANDBOX_API_KEY}"
    assert sent.headers["user-agent"].startswith("aisquare-studio/")
    assert "content-type" not in sent.headers  # no body, so no claim of a JSON one


@pytest.mark.anyio
async def test_missing_video_is_not_found_with_drf_message_and_request_id(
    publish: Publish, sandbox: Sandbox
) -> None:
    with pytest.raises(NotFoundError) as caught:
        await publish(999_999)

    error = caught.value
    assert error.status_code == 404
    assert error.message == "No Video matches the given query."
    assert error.request_id is not None
    assert error.request_id.startswith("req_")
    assert error.request_id == error.response.headers["x-request-id"]
    assert error.attempts == 1
    assert str(error) == (
        f"HTTP 404 Not Found: No Video matches the given query. (request_id={error.request_id})"
    )
    assert len(sandbox.requests) == 1  # a 404 is never retried


@pytest.mark.anyio
@pytest.mark.parametrize(
    "fault",
    [
        Fault.status(503),
        Fault.status(520),
        Fault.status(408),
        Fault.drop(),
        Fault.rate_limit("0"),
        Fault.rate_limit("5", header="retry-after-ms"),
    ],
    ids=["503", "520", "408", "dropped", "429-retry-after-0", "429-retry-after-ms"],
)
async def test_a_transient_fault_is_retried_and_the_call_succeeds(
    publish: Publish, sandbox: Sandbox, fault: Fault
) -> None:
    video_id = sandbox.draft_ids[0]
    sandbox.inject(fault, video_id=video_id)

    video = await publish(video_id)

    assert video.is_draft is False
    assert len(sandbox.requests) == 2


@pytest.mark.anyio
async def test_an_outage_ends_in_one_error_after_every_retry(
    publish: Publish, sandbox: Sandbox
) -> None:
    sandbox.inject(*[Fault.status(503)] * 3)

    with pytest.raises(InternalServerError) as caught:
        await publish(sandbox.draft_ids[0])

    assert caught.value.status_code == 503
    assert caught.value.attempts == 3
    assert len(sandbox.requests) == 3


@pytest.mark.anyio
async def test_a_long_retry_after_is_not_waited_for(publish: Publish, sandbox: Sandbox) -> None:
    sandbox.inject(Fault.rate_limit("3600"))

    with anyio.fail_after(5):
        with pytest.raises(RateLimitError) as caught:
            await publish(sandbox.draft_ids[0])

    assert caught.value.retry_after == 3600
    assert caught.value.attempts == 1
    assert "throttled" in caught.value.message


@pytest.mark.anyio
async def test_dropped_connections_end_in_a_connection_error_with_the_cause(
    publish: Publish, sandbox: Sandbox
) -> None:
    sandbox.inject(*[Fault.drop()] * 3)

    with pytest.raises(APIConnectionError) as caught:
        await publish(sandbox.draft_ids[0])

    assert not isinstance(caught.value, APITimeoutError)
    assert caught.value.attempts == 3
    assert isinstance(caught.value.__cause__, httpx.TransportError)
    assert "after 3 attempts" in str(caught.value)


@pytest.mark.anyio
async def test_a_stalled_server_times_out_per_attempt(publish: Publish, sandbox: Sandbox) -> None:
    sandbox.inject(Fault.delay(0.3), Fault.delay(0.3))

    with pytest.raises(APITimeoutError) as caught:
        await publish(sandbox.draft_ids[0], timeout=0.05, max_retries=1)

    assert caught.value.attempts == 2
    assert isinstance(caught.value.__cause__, httpx.TimeoutException)


@pytest.mark.anyio
async def test_validation_errors_expose_drf_field_errors(
    publish: Publish, sandbox: Sandbox
) -> None:
    body = {"title": ["Ensure this field has no more than 255 characters."]}
    sandbox.inject(Fault.status(400, body=body))

    with pytest.raises(BadRequestError) as caught:
        await publish(sandbox.draft_ids[0])

    assert caught.value.field_errors == body
    assert caught.value.message == "title: Ensure this field has no more than 255 characters."
    assert len(sandbox.requests) == 1


@pytest.mark.anyio
async def test_a_wrong_key_is_an_authentication_error_that_never_shows_the_key(
    publish: Publish, sandbox: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    wrong_key = "aisq_live_this-must-never-be-printed"
    caplog.set_level(logging.DEBUG)

    with pytest.raises(AuthenticationError) as caught:
        await publish(sandbox.draft_ids[0], api_key=wrong_key)

    assert caught.value.message == "Invalid token."
    assert len(sandbox.requests) == 1
    assert wrong_key not in str(caught.value)
    assert wrong_key not in repr(caught.value)
    assert wrong_key not in caplog.text


@pytest.mark.anyio
async def test_a_server_echoing_the_key_has_it_redacted_from_the_error(
    publish: Publish, sandbox: Sandbox
) -> None:
    sandbox.inject(Fault.status(403, body={"detail": f"Token {SANDBOX_API_KEY} may not publish"}))

    with pytest.raises(StudioError) as caught:
        await publish(sandbox.draft_ids[0])

    assert SANDBOX_API_KEY not in str(caught.value)
    assert str(caught.value).startswith("HTTP 403 Forbidden: Token [REDACTED] may not publish")


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        (b"<html><body>Bad gateway</body></html>", None, "expected a JSON VideoDetail"),
        (b"", None, "expected a JSON VideoDetail"),
        (b'{"id": 1', None, "expected a JSON VideoDetail"),
        (b"[]", None, "VideoDetail: expected an object, got a list"),
        (b'{"id": 1}', "sections", "VideoDetail.sections: required field is missing"),
    ],
    ids=["html", "empty", "truncated-json", "list", "missing-field"],
)
@pytest.mark.spec_violation("a 200 that is not a VideoDetail, to test ResponseValidationError")
async def test_a_200_that_is_not_a_video_is_a_response_validation_error(
    publish: Publish, sandbox: Sandbox, body: bytes, field: str | None, words: str
) -> None:
    sandbox.inject(Fault.status(200, body=body, headers={"Content-Type": "text/html"}))

    with pytest.raises(ResponseValidationError) as caught:
        await publish(sandbox.draft_ids[0])

    assert caught.value.field == field
    assert words in str(caught.value)
    assert caught.value.request_id is not None


@pytest.mark.anyio
@pytest.mark.spec_violation("enum values and a field from a newer server than openapi.yaml")
async def test_a_newer_server_s_enum_values_and_fields_reach_the_caller(
    publish: Publish, sandbox: Sandbox
) -> None:
    video_id = sandbox.draft_ids[0]
    newer = {**sandbox.video(video_id), "status": "queued", "chapters": [{"at": 0}]}
    newer["sections"][0]["status"] = "archived"
    sandbox.inject(Fault.status(200, body=newer), video_id=video_id)

    video = await publish(video_id)

    assert video.status == "queued"
    assert video.sections[0].status == "archived"
    assert video["chapters"] == [{"at": 0}]
    document = video.to_dict()
    assert document["status"] == "queued"
    assert document["chapters"] == [{"at": 0}]
    assert document["sections"][0]["status"] == "archived"


@pytest.mark.anyio
@pytest.mark.parametrize("video_id", ["101", 101.0, True, None])
async def test_a_video_id_of_the_wrong_type_is_refused_before_sending(
    publish: Publish, sandbox: Sandbox, video_id: object
) -> None:
    with pytest.raises(TypeError, match="video_id must be an int"):
        await publish(video_id)
    assert sandbox.requests == []


@pytest.mark.anyio
@pytest.mark.parametrize("video_id", [-(2**31) - 1, 2**31, 10**30])
async def test_a_video_id_out_of_range_is_refused_before_sending(
    publish: Publish, sandbox: Sandbox, video_id: int
) -> None:
    # The spec's int32 range (codegen/overlay.yaml, from the reference page).
    with pytest.raises(ValueError, match="video_id must be between -2147483648 and 2147483647"):
        await publish(video_id)
    assert sandbox.requests == []


@pytest.mark.anyio
async def test_a_rotating_key_is_asked_again_after_a_401(
    publish: Publish, sandbox: Sandbox
) -> None:
    keys = iter(["expired-access-token", SANDBOX_API_KEY])

    video = await publish(sandbox.draft_ids[0], api_key=lambda: next(keys))

    assert video.is_draft is False
    sent = [request.headers["authorization"] for request in sandbox.requests]
    assert sent == ["Bearer expired-access-token", f"Bearer {SANDBOX_API_KEY}"]


@pytest.mark.anyio
async def test_retries_are_logged_at_info_without_secrets(
    publish: Publish, sandbox: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    sandbox.inject(Fault.status(502))

    await publish(sandbox.draft_ids[0])

    retries = [
        r for r in caplog.records if r.name == "aisquare_studio" and r.levelno == logging.INFO
    ]
    assert len(retries) == 1
    assert "HTTP 502" in retries[0].getMessage()
    assert "attempt 2 of 3" in retries[0].getMessage()
    assert SANDBOX_API_KEY not in caplog.text


def test_generated_functions_get_the_same_auth_retries_and_errors(
    sandbox: Sandbox, sandbox_url: str
) -> None:
    with Studio(api_key=SANDBOX_API_KEY, base_url=sandbox_url, retry_policy=FAST) as studio:
        sandbox.inject(Fault.status(503))
        video = publish_create.sync(sandbox.draft_ids[0], client=studio.api_client)
        assert video is not None
        assert video.is_draft is False
        assert len(sandbox.requests) == 2

        with pytest.raises(NotFoundError):
            publish_create.sync_detailed(424242, client=studio.api_client)
        sandbox.inject(*[Fault.drop()] * 3)
        with pytest.raises(APIConnectionError):
            publish_create.sync(sandbox.draft_ids[1], client=studio.api_client)
        with pytest.raises(StudioError, match="api_client is sync"):
            asyncio.run(publish_create.asyncio(sandbox.draft_ids[1], client=studio.api_client))


@pytest.mark.anyio
async def test_generated_async_functions_get_the_same_errors(
    sandbox: Sandbox, sandbox_url: str
) -> None:
    async with AsyncStudio(api_key=SANDBOX_API_KEY, base_url=sandbox_url) as studio:
        response = await publish_create.asyncio_detailed(
            sandbox.draft_ids[0], client=studio.api_client
        )
        assert response.parsed is not None
        assert response.parsed.is_draft is False
        with pytest.raises(NotFoundError):
            await publish_create.asyncio(424242, client=studio.api_client)
        with pytest.raises(StudioError, match="api_client is async"):
            publish_create.sync(sandbox.draft_ids[1], client=studio.api_client)


@pytest.mark.anyio
async def test_many_concurrent_publishes_share_one_client(
    sandbox: Sandbox, sandbox_url: str
) -> None:
    ids = sandbox.draft_ids
    results: dict[int, VideoDetail] = {}
    async with AsyncStudio(api_key=SANDBOX_API_KEY, base_url=sandbox_url) as studio:

        async def one(video_id: int) -> None:
            results[video_id] = await studio.videos.publish(video_id)

        async with anyio.create_task_group() as group:
            for video_id in ids * 5:
                group.start_soon(one, video_id)

    assert sorted(results) == ids
    assert all(video.is_draft is False for video in results.values())
    assert len(sandbox.requests) == len(ids) * 5


def test_with_options_makes_a_configured_copy_sharing_the_pool(
    sandbox: Sandbox, sandbox_url: str
) -> None:
    studio = Studio(api_key=SANDBOX_API_KEY, base_url=sandbox_url, retry_policy=FAST)
    strict = studio.with_options(timeout=0.05, max_retries=0)
    assert strict.retry_policy.max_retries == 0
    assert strict.timeout.read == 0.05
    assert studio.retry_policy.max_retries == 2  # the original is unchanged

    sandbox.inject(Fault.delay(0.3))
    with pytest.raises(APITimeoutError) as caught:
        strict.videos.publish(sandbox.draft_ids[0])
    assert caught.value.attempts == 1
    assert studio.videos.publish(sandbox.draft_ids[0]).is_draft is False

    studio.close()
    assert strict.is_closed
    with pytest.raises(StudioError, match="closed"):
        strict.videos.publish(sandbox.draft_ids[0])


def test_a_closed_client_refuses_calls_through_every_path(
    sandbox: Sandbox, sandbox_url: str
) -> None:
    studio = Studio(api_key=SANDBOX_API_KEY, base_url=sandbox_url)
    with studio:
        pass
    with pytest.raises(StudioError, match="closed"):
        studio.videos.publish(sandbox.draft_ids[0])
    with pytest.raises(StudioError, match="closed"):
        publish_create.sync(sandbox.draft_ids[0], client=studio.api_client)
    with pytest.raises(StudioError, match="closed"), studio:
        pass
    assert sandbox.requests == []


@pytest.mark.filterwarnings("ignore::ResourceWarning")  # the first loop's idle sockets, see below
def test_an_async_client_works_across_two_asyncio_runs(sandbox: Sandbox, sandbox_url: str) -> None:
    # A common script shape: one module-level client, several asyncio.run() calls. The first
    # loop's idle connections cannot be closed once it is gone; they are left to the GC.
    studio = AsyncStudio(api_key=SANDBOX_API_KEY, base_url=sandbox_url)
    first, second = sandbox.draft_ids[:2]

    assert asyncio.run(studio.videos.publish(first)).id == first
    assert asyncio.run(studio.videos.publish(second)).id == second
    asyncio.run(studio.aclose())
    assert studio.is_closed
    del studio
    gc.collect()  # let the abandoned sockets' warnings fire here, under this test's filter


def test_in_process_sandbox_transport_serves_both_clients(sandbox: Sandbox) -> None:
    transport = sandbox.transport()
    with Studio(
        api_key=SANDBOX_API_KEY, base_url="http://sandbox.localhost", transport=transport
    ) as studio:
        assert studio.videos.publish(sandbox.draft_ids[0]).is_draft is False

    async def main() -> VideoDetail:
        async with AsyncStudio(
            api_key=SANDBOX_API_KEY, base_url="http://sandbox.localhost", transport=transport
        ) as studio:
            return await studio.videos.publish(sandbox.draft_ids[1])

    assert asyncio.run(main()).is_draft is False


def test_repr_never_shows_the_key() -> None:
    studio = Studio(api_key="aisq_live_secret_key_value", base_url="http://127.0.0.1:9")
    assert "aisq_live_secret_key_value" not in repr(studio)
    assert "aisq_live_secret_key_value" not in repr(studio._settings)
    studio.close()


def test_constructing_without_a_key_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AISQUARE_API_KEY", raising=False)
    with pytest.raises(StudioError, match="AISQUARE_API_KEY"):
        AsyncStudio()


def test_plain_http_to_a_remote_host_is_refused() -> None:
    with pytest.raises(StudioError, match="clear text"):
        Studio(api_key="k", base_url="http://api.aisquare.studio")


BAD_HEADERS = [
    {"X-Trace": "abc\r\nX-Injected: 1"},
    {"X-Trace": "caf\u00e9"},
    {"X Trace": "abc"},
    {"Authorization": f"Bearer {SANDBOX_API_KEY}\n"},
]


@pytest.mark.parametrize("headers", BAD_HEADERS, ids=repr)
@pytest.mark.parametrize("client", [Studio, AsyncStudio])
def test_bad_default_headers_fail_at_construction_naming_the_header(
    client: type[Studio | AsyncStudio],
    headers: dict[str, str],
    sandbox: Sandbox,
    sandbox_url: str,
) -> None:
    with pytest.raises(StudioError, match=r"^default_headers") as caught:
        client(api_key="aisq_live_other_key", base_url=sandbox_url, default_headers=headers)

    [(name, value)] = headers.items()
    assert name.strip() in str(caught.value)
    assert value not in str(caught.value)
    assert SANDBOX_API_KEY not in str(caught.value)
    assert sandbox.requests == []


@pytest.mark.parametrize("headers", BAD_HEADERS, ids=repr)
def test_bad_default_headers_in_with_options_fail_before_any_call(
    headers: dict[str, str], sandbox: Sandbox, sandbox_url: str
) -> None:
    with Studio(api_key=SANDBOX_API_KEY, base_url=sandbox_url, retry_policy=FAST) as studio:
        with pytest.raises(StudioError, match=r"^default_headers"):
            studio.with_options(default_headers=headers)
        assert studio.videos.publish(101).is_draft is False  # the original is unharmed

    assert len(sandbox.requests) == 1


def test_good_default_headers_reach_the_server(sandbox: Sandbox, sandbox_url: str) -> None:
    headers = {"X-Trace": "a b\tc", "X-Empty": ""}
    with Studio(api_key=SANDBOX_API_KEY, base_url=sandbox_url, default_headers=headers) as studio:
        studio.with_options(default_headers={"X-Copy": "1"}).videos.publish(101)

    sent = sandbox.requests[-1].headers
    assert (sent["x-trace"], sent["x-empty"], sent["x-copy"]) == ("a b\tc", "", "1")


@pytest.mark.parametrize(
    ("suffix", "words"),
    [
        (" ", "base_url ends with whitespace (' '): remove it"),
        ("/\n", "base_url ends with whitespace ('\\n'): remove it"),
        ("/ v1", "base_url has ' ' at character"),
    ],
    ids=repr,
)
def test_whitespace_in_the_base_url_fails_at_construction(
    suffix: str, words: str, sandbox: Sandbox, sandbox_url: str
) -> None:
    with pytest.raises(StudioError) as caught:
        Studio(api_key=SANDBOX_API_KEY, base_url=sandbox_url + suffix)

    assert words in str(caught.value)
    assert sandbox.requests == []


def test_whitespace_in_the_base_url_variable_fails_at_construction(
    monkeypatch: pytest.MonkeyPatch, sandbox: Sandbox, sandbox_url: str
) -> None:
    monkeypatch.setenv("AISQUARE_BASE_URL", f"{sandbox_url}/ ")

    with pytest.raises(StudioError, match=r"^AISQUARE_BASE_URL ends with whitespace"):
        AsyncStudio(api_key=SANDBOX_API_KEY)
    assert sandbox.requests == []


def test_key_and_base_url_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, sandbox: Sandbox, sandbox_url: str
) -> None:
    monkeypatch.setenv("AISQUARE_API_KEY", SANDBOX_API_KEY)
    monkeypatch.setenv("AISQUARE_BASE_URL", sandbox_url)
    with Studio() as studio:
        assert studio.base_url == sandbox_url
        assert studio.videos.publish(sandbox.draft_ids[0]).is_draft is False


def test_api_client_copies_that_would_drop_the_sdk_layers_are_refused(sandbox_url: str) -> None:
    with Studio(api_key=SANDBOX_API_KEY, base_url=sandbox_url) as studio:
        client = studio.api_client
        with pytest.raises(StudioError, match="with_options"):
            client.with_headers({"X-Trace": "1"})
        with pytest.raises(StudioError, match="with_options"):
            client.with_cookies({"session": "1"})
        with pytest.raises(StudioError, match="with_options"):
            client.with_timeout(httpx.Timeout(None))


@pytest.mark.parametrize("key", [b"aisq_bytes_key", 12345, object()])
def test_a_key_that_is_neither_text_nor_callable_is_refused_at_construction(key: object) -> None:
    with pytest.raises(StudioError, match="api_key must be a str or a callable"):
        Studio(api_key=key, base_url="http://127.0.0.1:9")  # type: ignore[arg-type]


@pytest.mark.spec_violation("the server echoes the key where the spec promises an integer")
def test_a_malformed_200_echoing_the_key_has_it_redacted(
    sandbox: Sandbox, sandbox_url: str
) -> None:
    body = {**sandbox.video(101), "id": f"Bearer {SANDBOX_API_KEY}"}
    sandbox.inject(Fault.status(200, body=body))
    with (
        Studio(api_key=SANDBOX_API_KEY, base_url=sandbox_url) as studio,
        pytest.raises(ResponseValidationError) as caught,
    ):
        studio.videos.publish(101)

    assert caught.value.field == "id"
    assert SANDBOX_API_KEY not in str(caught.value)
    assert "[REDACTED]" in str(caught.value)
