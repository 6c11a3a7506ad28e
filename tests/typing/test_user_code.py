"""A user's own typed code and tests, as they meet the SDK: concurrent publishing, the errors
they catch, ``with_options``, ``RetryPolicy`` and the pytest plugin's fixtures.

``make typecheck-user`` checks this module with ``mypy --strict`` (and no ``Any`` anywhere in it)
against the installed wheel, as a user's CI would; pytest runs it with the suite. Each value the
SDK hands back is pinned with ``assert_type``, so a missing ``py.typed`` or an annotation that
decays to ``Any`` fails the check instead of passing unseen.
"""

from __future__ import annotations

import datetime as dt
import ssl
from typing import assert_type

import anyio
import pytest

from aisquare_studio import (
    UNSET,
    APIConnectionError,
    APIStatusError,
    AsyncStudio,
    NotFoundError,
    RateLimitError,
    RawResponse,
    ResponseTooLargeError,
    RetryDetails,
    RetryPolicy,
    Studio,
    StudioError,
    Telemetry,
    VideoDetail,
)
from aisquare_studio.sandbox import SANDBOX_API_KEY
from aisquare_studio.testing import Fault, Sandbox, every_attempt


async def publish_drafts(studio: AsyncStudio, ids: list[int]) -> dict[int, str]:
    """Publishes the drafts concurrently; maps each id to what happened."""
    outcomes: dict[int, str] = {}

    async def publish(video_id: int) -> None:
        try:
            video = await studio.videos.publish(video_id)
        except RateLimitError as error:
            assert_type(error.retry_after, float | None)
            outcomes[video_id] = f"throttled for {error.retry_after} s"
        except APIStatusError as error:
            assert_type(error.status_code, int)
            assert_type(error.request_id, str | None)
            outcomes[video_id] = f"HTTP {error.status_code}"
        except APIConnectionError as error:
            assert_type(error.attempts, int)
            outcomes[video_id] = f"unreachable after {error.attempts} attempts"
        else:
            assert_type(video, VideoDetail)
            assert_type(video.title, str)
            assert_type(video.updated_at, dt.datetime)
            outcomes[video_id] = "a draft" if video.is_draft else "published"

    async with anyio.create_task_group() as group:
        for video_id in ids:
            group.start_soon(publish, video_id)
    return outcomes


def publish_or_none(studio: Studio, video_id: int) -> VideoDetail | None:
    """The sync client, without retries: ``None`` for a video that does not exist."""
    impatient = studio.with_options(timeout=5.0, max_retries=0)
    assert_type(impatient, Studio)
    try:
        return impatient.videos.publish(video_id)
    except NotFoundError:
        return None


def retitle(studio: Studio, video_id: int, title: str) -> VideoDetail:
    """Publishes with a new title: the body's fields are typed keywords."""
    video = studio.videos.publish(video_id, title=title, workspace=42, description=None)
    assert_type(video, VideoDetail)
    # Each ignore below must be needed: were the facade typed loosely, mypy would report it
    # unused (strict mode warns on unused ignores) and this check would fail.
    studio.videos.publish(video_id, title=42)  # type: ignore[arg-type]
    studio.videos.publish(video_id, id=7)  # type: ignore[call-arg]
    studio.videos.publish(str(video_id))  # type: ignore[arg-type]
    studio.videos.publish(video_id, title=UNSET)
    return video


def corporate_client(base_url: str) -> Studio:
    """A client behind a corporate proxy that inspects TLS, with a bounded response size."""
    context = ssl.create_default_context()
    return Studio(
        base_url=base_url,
        proxy="http://proxy.internal:3128",
        verify=context,
        trust_env=False,
        max_response_bytes=1_000_000,
    )


def describe(error: StudioError) -> str:
    if isinstance(error, ResponseTooLargeError):
        assert_type(error.limit, int)
        return f"over {error.limit} bytes (HTTP {error.status_code})"
    return str(error)


def patient_policy(base: RetryPolicy) -> RetryPolicy:
    policy = RetryPolicy(
        max_retries=base.max_retries + 2, initial_delay=base.initial_delay, max_retry_after=30.0
    )
    assert_type(policy.max_retries, int)
    assert_type(policy.deadline, float | None)
    return policy


def publish_with_request_id(studio: Studio, video_id: int) -> tuple[str | None, VideoDetail]:
    """The video and the request id of the response that carried it."""
    raw = studio.videos.with_raw_response.publish(video_id)
    assert_type(raw, RawResponse[VideoDetail])
    assert_type(raw.status_code, int)
    assert_type(raw.request_id, str | None)
    return raw.request_id, raw.parse()


async def apublish_with_request_id(studio: AsyncStudio, video_id: int) -> str | None:
    raw = await studio.videos.with_raw_response.publish(video_id)
    assert_type(raw.parsed, VideoDetail)
    return raw.request_id


def traced_client(base_url: str, retries: list[str]) -> Studio:
    """A client whose calls are spans and metrics, and whose retries are noted."""

    def note(details: RetryDetails) -> None:
        assert_type(details.elapsed, float)
        assert_type(details.request_id, str | None)
        retries.append(f"{details.request_id} after {details.elapsed:.3f} s")

    return Studio(base_url=base_url, retry_policy=RetryPolicy(on_retry=note), telemetry=Telemetry())


def test_a_raw_response_names_its_request(studio: Studio) -> None:
    request_id, video = publish_with_request_id(studio, 101)

    assert request_id is not None
    assert request_id.startswith("req_")
    assert video.is_draft is False


@pytest.mark.anyio
async def test_publish_drafts_reports_each_outcome(
    async_studio: AsyncStudio, studio_sandbox: Sandbox
) -> None:
    studio_sandbox.inject(*every_attempt(Fault.status(503)), video_id=102)
    studio_sandbox.inject(Fault.rate_limit("120"), video_id=103)

    outcomes = await publish_drafts(async_studio, [101, 102, 103, 104, 999])

    assert outcomes == {
        101: "published",
        102: "HTTP 503",
        103: "throttled for 120.0 s",
        104: "published",
        999: "HTTP 404",
    }


def test_with_options_keeps_the_client_and_its_types(studio: Studio) -> None:
    published = publish_or_none(studio, 105)

    assert published is not None
    assert published.is_draft is False
    assert publish_or_none(studio, 999) is None


def test_a_policy_built_from_the_fixture_keeps_its_decisions(
    studio_retry_policy: RetryPolicy, studio: Studio
) -> None:
    policy = patient_policy(studio_retry_policy)

    assert policy.max_retries == studio_retry_policy.max_retries + 2
    assert studio.with_options(retry_policy=policy).retry_policy == policy


def test_a_configured_client_reports_a_body_over_its_limit(
    studio_sandbox_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AISQUARE_API_KEY", SANDBOX_API_KEY)
    with corporate_client("https://api.example") as studio:
        assert studio.base_url == "https://api.example"
    with (
        Studio(base_url=studio_sandbox_url, max_response_bytes=100) as studio,
        pytest.raises(StudioError) as caught,
    ):
        studio.videos.publish(101)
    assert describe(caught.value) == "over 100 bytes (HTTP 200)"
