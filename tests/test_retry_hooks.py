"""``RetryPolicy.on_retry``: services count retries in their own metrics."""

from __future__ import annotations

import logging

import httpx
import pytest

from aisquare_studio import (
    AsyncStudio,
    RetryDetails,
    RetryPolicy,
    Studio,
    StudioError,
)
from aisquare_studio.sandbox import SANDBOX_API_KEY, Fault, Sandbox


def fast(hook: object) -> RetryPolicy:
    return RetryPolicy(initial_delay=0.001, max_delay=0.001, on_retry=hook)  # type: ignore[arg-type]


def test_a_sync_hook_hears_each_retry_with_its_cause(sandbox: Sandbox) -> None:
    heard: list[RetryDetails] = []
    sandbox.inject(Fault.status(503), Fault.drop())
    policy = fast(heard.append)

    with Studio(
        api_key=SANDBOX_API_KEY,
        base_url="http://sandbox.localhost",
        transport=sandbox.transport(),
        retry_policy=policy,
    ) as studio:
        studio.videos.publish(101)

    assert [(d.attempt, d.status_code) for d in heard] == [(1, 503), (2, None)]
    assert heard[0].exception is None
    assert isinstance(heard[1].exception, httpx.RemoteProtocolError)
    assert all(d.delay == pytest.approx(0.001, rel=0.3) for d in heard)
    assert {(d.method, d.path) for d in heard} == {("POST", "/api/v1/videos/101/publish/")}
    # The sandbox's 503 names itself; a dropped connection has no answer to name.
    assert heard[0].request_id is not None
    assert heard[0].request_id.startswith("req_")
    assert heard[1].request_id is None
    assert 0 <= heard[0].elapsed < heard[1].elapsed  # from the call's start, waits included
    with pytest.raises(AttributeError):
        heard[0].attempt = 5  # type: ignore[misc]  # the record is frozen


@pytest.mark.anyio
async def test_an_async_hook_is_awaited(sandbox: Sandbox) -> None:
    heard: list[int] = []

    async def count(details: RetryDetails) -> None:
        heard.append(details.attempt)

    sandbox.inject(Fault.status(502), Fault.status(502))
    async with AsyncStudio(
        api_key=SANDBOX_API_KEY,
        base_url="http://sandbox.localhost",
        transport=sandbox.transport(),
        retry_policy=fast(count),
    ) as studio:
        await studio.videos.publish(101)

    assert heard == [1, 2]


@pytest.mark.anyio
async def test_a_failing_hook_is_logged_and_the_call_goes_on(
    sandbox: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(details: RetryDetails) -> None:
        raise RuntimeError("metrics backend down")

    sandbox.inject(Fault.status(503))
    async with AsyncStudio(
        api_key=SANDBOX_API_KEY,
        base_url="http://sandbox.localhost",
        transport=sandbox.transport(),
        retry_policy=fast(broken),
    ) as studio:
        video = await studio.videos.publish(101)

    assert video.is_draft is False
    failures = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(failures) == 1
    assert "on_retry hook failed" in failures[0].getMessage()


def test_an_async_hook_is_refused_by_the_sync_client() -> None:
    async def count(details: RetryDetails) -> None:
        return None

    with pytest.raises(StudioError, match="async on_retry hook needs AsyncStudio"):
        Studio(api_key="k", base_url="http://127.0.0.1:9", retry_policy=RetryPolicy(on_retry=count))


def test_a_hook_must_be_callable() -> None:
    with pytest.raises(TypeError):
        RetryPolicy(on_retry="print")  # type: ignore[arg-type]
