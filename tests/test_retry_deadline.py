"""One deadline per call: it caps every attempt's timeout and refuses waits that would cross it."""

from __future__ import annotations

import contextlib
from typing import Literal

import anyio
import httpx
import pytest

from aisquare_studio import (
    APITimeoutError,
    AsyncStudio,
    InternalServerError,
    RateLimitError,
    RetryPolicy,
)
from aisquare_studio._retry import STOPPED_EXTENSION, RetryTransport
from aisquare_studio.sandbox import SANDBOX_API_KEY, Fault, Sandbox


class FakeTime:
    """A clock that only moves when the code under test sleeps or a handler says so."""

    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def send(
    handler: httpx.MockTransport, policy: RetryPolicy, time: FakeTime, timeout: float = 30.0
) -> httpx.Request:
    transport = RetryTransport(
        handler, policy, sleep=time.sleep, clock=time.clock, rand=lambda: 0.0
    )
    request = httpx.Request(
        "POST",
        "https://api.example/api/v1/videos/1/publish/",
        extensions={"timeout": httpx.Timeout(timeout).as_dict()},
    )
    with contextlib.suppress(httpx.TimeoutException):
        transport.handle_request(request)
    return request


def test_each_attempt_gets_only_the_time_left() -> None:
    time = FakeTime()
    seen: list[dict[str, float]] = []

    def slow_503(request: httpx.Request) -> httpx.Response:
        seen.append(dict(request.extensions["timeout"]))
        time.now += 2.0  # each attempt takes two seconds
        return httpx.Response(503)

    policy = RetryPolicy(initial_delay=1.0, max_retries=5, deadline=10.0, budget=None)
    send(httpx.MockTransport(slow_503), policy, time)

    assert [round(t["read"], 3) for t in seen] == [10.0, 7.0, 3.0]
    assert all(t["connect"] <= t["read"] for t in seen)
    # After the third attempt 5 s are gone in attempts, 3 s in waits; a 4 s wait would cross.
    assert time.sleeps == [1.0, 2.0]


def test_a_re_send_of_the_same_request_keeps_the_first_deadline() -> None:
    # httpx's auth flow re-sends the same request object after a 401 (a rotated key): the
    # second pass through the transport must not start a fresh deadline.
    time = FakeTime()
    seen: list[float] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.extensions["timeout"]["read"])
        time.now += 4.0
        return httpx.Response(401 if len(seen) == 1 else 200)

    transport = RetryTransport(
        httpx.MockTransport(answer), RetryPolicy(deadline=10.0), clock=time.clock
    )
    request = httpx.Request(
        "POST",
        "https://api.example/api/v1/videos/1/publish/",
        extensions={"timeout": httpx.Timeout(30.0).as_dict()},
    )
    assert transport.handle_request(request).status_code == 401
    assert transport.handle_request(request).status_code == 200
    assert seen == [10.0, 6.0]


def test_a_per_attempt_timeout_shorter_than_the_time_left_is_kept() -> None:
    time = FakeTime()
    seen: list[float] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.extensions["timeout"]["read"])
        return httpx.Response(200)

    send(httpx.MockTransport(answer), RetryPolicy(deadline=60.0), time, timeout=5.0)
    assert seen == [5.0]


def test_a_retry_after_that_would_cross_the_deadline_is_not_waited_for() -> None:
    time = FakeTime()

    def throttled(request: httpx.Request) -> httpx.Response:
        return httpx.Response(429, headers={"Retry-After": "20"})

    request = send(httpx.MockTransport(throttled), RetryPolicy(deadline=10.0), time)

    assert time.sleeps == []
    assert request.extensions[STOPPED_EXTENSION] == "the 10 s deadline was reached"


def test_without_a_deadline_timeouts_are_left_alone() -> None:
    time = FakeTime()
    seen: list[float] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.extensions["timeout"]["read"])
        return httpx.Response(200)

    send(httpx.MockTransport(answer), RetryPolicy(), time, timeout=30.0)
    assert seen == [30.0]


@pytest.mark.parametrize("value", [0, -1.0, float("nan"), float("inf"), True])
def test_a_deadline_must_be_a_positive_number_of_seconds(value: float) -> None:
    with pytest.raises(ValueError, match="deadline"):
        RetryPolicy(deadline=value)


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("pool", "anyio_backend"), [("httpx", "asyncio"), ("httpx", "trio"), ("aiohttp", "asyncio")]
)
async def test_a_stalled_server_ends_at_the_deadline_saying_so(
    sandbox: Sandbox, sandbox_url: str, pool: Literal["httpx", "aiohttp"]
) -> None:
    sandbox.inject(*[Fault.delay(5.0)] * 3)
    async with AsyncStudio(
        api_key=SANDBOX_API_KEY, base_url=sandbox_url, timeout=30, transport=pool
    ) as studio:
        with anyio.fail_after(3), pytest.raises(APITimeoutError) as caught:
            await studio.with_options(deadline=0.4).videos.publish(101)

    error = caught.value
    assert error.attempts >= 1
    assert "deadline was reached" in str(error)
    assert f"after {error.attempts} attempt" in str(error)


@pytest.mark.anyio
async def test_a_long_retry_after_within_the_cap_is_refused_by_a_short_deadline(
    sandbox: Sandbox, sandbox_url: str
) -> None:
    sandbox.inject(Fault.rate_limit("30"))
    policy = RetryPolicy(deadline=5.0)
    async with AsyncStudio(
        api_key=SANDBOX_API_KEY, base_url=sandbox_url, retry_policy=policy
    ) as studio:
        with anyio.fail_after(3), pytest.raises(RateLimitError) as caught:
            await studio.videos.publish(101)

    assert caught.value.retry_after == 30
    assert caught.value.attempts == 1
    assert caught.value.retries_stopped == "retries stopped: the 5 s deadline was reached"


@pytest.mark.anyio
async def test_an_outage_within_the_deadline_reports_every_attempt(
    sandbox: Sandbox, sandbox_url: str
) -> None:
    sandbox.inject(*[Fault.status(503)] * 3)
    policy = RetryPolicy(initial_delay=0.01, deadline=30.0)
    async with AsyncStudio(
        api_key=SANDBOX_API_KEY, base_url=sandbox_url, retry_policy=policy
    ) as studio:
        with pytest.raises(InternalServerError) as caught:
            await studio.videos.publish(101)

    assert caught.value.attempts == 3
    assert caught.value.retries_stopped is None  # max_retries ended it, not the deadline
