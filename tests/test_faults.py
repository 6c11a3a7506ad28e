"""Fault injection over real loopback sockets: for each way the network or a proxy can break,
the right error class or the right number of retries, no hang, and nothing leaked."""

from __future__ import annotations

import logging
import math
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import anyio
import httpx
import pytest

from aisquare_studio import (
    APIConnectionError,
    APITimeoutError,
    InternalServerError,
    RateLimitError,
    ResponseValidationError,
    RetryDetails,
    RetryPolicy,
    StudioError,
    VideoDetail,
)
from tests.clients import KINDS, backend_for_kind, kind_param, publish_once
from tests.faultserver import (
    Action,
    FaultServer,
    closed_port,
    reset,
    reset_mid_body,
    respond,
    stall,
    truncate,
)

KEY = "aisq_live_fault-injection-key-never-shown"
FAST = RetryPolicy(initial_delay=0.001, max_delay=0.005, budget=None)
HTML_502 = b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"
PAST = format_datetime(datetime.now(UTC) - timedelta(hours=1), usegmt=True)


kind = pytest.fixture(params=KINDS, name="kind")(kind_param)
anyio_backend = pytest.fixture(name="anyio_backend")(backend_for_kind)


Publish = Callable[..., Awaitable[VideoDetail]]


@pytest.fixture
def publish(kind: str) -> Publish:
    """``await publish(base_url, **options)``: publish video 101 through a fresh client."""

    async def call(base_url: str, **options: Any) -> VideoDetail:
        defaults = {"api_key": KEY, "base_url": base_url, "retry_policy": FAST}
        return await publish_once(kind, 101, **(defaults | options))

    return call


@pytest.fixture(autouse=True)
def _no_key_in_logs(caplog: pytest.LogCaptureFixture) -> Any:
    caplog.set_level(logging.DEBUG)
    yield
    assert KEY not in caplog.text


RECOVERED: list[tuple[str, list[Action]]] = [
    ("reset-before-response", [reset()]),
    ("reset-mid-body", [reset_mid_body()]),
    ("truncated-body", [truncate()]),
    ("slow-headers", [stall()]),
    ("slow-body", [stall(after_headers=True)]),
    ("503-then-502", [respond(503), respond(502)]),
    ("520", [respond(520)]),
    ("proxy-html-502", [respond(502, HTML_502, Content_Type="text/html")]),
    ("429-retry-after-0", [respond(429, Retry_After="0")]),
    ("429-retry-after-past-date", [respond(429, Retry_After=PAST)]),
    ("429-retry-after-ms", [respond(429, retry_after_ms="10")]),
    ("429-retry-after-garbage", [respond(429, Retry_After="soon")]),
    ("429-retry-after-negative", [respond(429, Retry_After="-5")]),
]


@pytest.mark.anyio
@pytest.mark.parametrize(("script"), [s for _, s in RECOVERED], ids=[n for n, _ in RECOVERED])
async def test_a_transient_fault_is_retried_to_success(
    publish: Publish, script: list[Action]
) -> None:
    with FaultServer(*script) as server:
        with anyio.fail_after(10):
            video = await publish(server.url, timeout=0.5)
        assert server.attempts == len(script) + 1
    assert video.id == 101
    assert video.is_draft is False


FAILED: list[tuple[str, Action, type[StudioError], str]] = [
    ("resets", reset(), APIConnectionError, "ReadError"),
    ("resets-mid-body", reset_mid_body(), APIConnectionError, "Error"),
    ("truncations", truncate(), APIConnectionError, "RemoteProtocolError"),
    ("slow-headers", stall(), APITimeoutError, "ReadTimeout"),
    ("slow-body", stall(after_headers=True), APITimeoutError, "ReadTimeout"),
    ("503-storm", respond(503), InternalServerError, "HTTP 503 Service Unavailable"),
    ("502-html-storm", respond(502, HTML_502), InternalServerError, "HTTP 502 Bad Gateway"),
    ("520-storm", respond(520, b"", Content_Type="text/plain"), InternalServerError, "HTTP 520"),
]


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("action", "error", "words"),
    [(a, e, w) for _, a, e, w in FAILED],
    ids=[n for n, *_ in FAILED],
)
async def test_a_lasting_fault_ends_in_one_error_after_every_retry(
    publish: Publish, action: Action, error: type[StudioError], words: str
) -> None:
    with FaultServer(action, action, action) as server:
        with anyio.fail_after(10), pytest.raises(error) as caught:
            await publish(server.url, timeout=0.5)
        # An attempt on a pooled connection the server had closed fails before reaching it.
        assert 1 <= server.attempts <= 3

    assert getattr(caught.value, "attempts", None) == 3
    assert words in str(caught.value)
    assert "<html" not in str(caught.value)
    assert KEY not in str(caught.value)
    assert KEY not in repr(caught.value.__cause__)


@pytest.mark.anyio
async def test_a_refused_connection_is_retried_then_reported(publish: Publish) -> None:
    with anyio.fail_after(10), pytest.raises(APIConnectionError) as caught:
        await publish(f"http://127.0.0.1:{closed_port()}")

    assert caught.value.attempts == 3
    assert isinstance(caught.value.__cause__, httpx.ConnectError)
    assert "ConnectError" in str(caught.value)


@pytest.mark.anyio
async def test_a_long_retry_after_is_returned_at_once(publish: Publish) -> None:
    with FaultServer(respond(429, b'{"detail": "Slow down."}', Retry_After="120")) as server:
        with anyio.fail_after(5), pytest.raises(RateLimitError) as caught:
            await publish(server.url)
        assert server.attempts == 1

    assert caught.value.retry_after == 120
    assert caught.value.message == "Slow down."


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("header", "value", "retry_after"),
    [
        ("Retry-After", "99999999999999999999", 1e20),
        ("Retry-After", "9" * 400, math.inf),
        ("retry-after-ms", "99999999999999999999", 1e17),
    ],
    ids=["seconds-20-digits", "seconds-beyond-float", "ms-20-digits"],
)
async def test_a_wait_of_many_digits_is_too_long_and_returned_at_once(
    publish: Publish, header: str, value: str, retry_after: float
) -> None:
    throttled = respond(429, b'{"detail": "Slow down."}', **{header.replace("-", "_"): value})
    with FaultServer(throttled) as server:
        with anyio.fail_after(5), pytest.raises(RateLimitError) as caught:
            await publish(server.url)
        assert server.attempts == 1

    assert caught.value.retry_after == retry_after


@pytest.mark.anyio
@pytest.mark.parametrize(
    "date",
    ["Zun, 01 Dec 2024 07:28:00 GMT", "Zun, 01 Dec 2099 07:28:00 GMT"],
    ids=["past", "future"],
)
async def test_a_retry_after_date_with_no_such_day_is_ignored_for_backoff(
    publish: Publish, date: str
) -> None:
    retries: list[RetryDetails] = []
    policy = RetryPolicy(initial_delay=0.05, jitter=0, budget=None, on_retry=retries.append)
    with FaultServer(respond(429, Retry_After=date)) as server:
        with anyio.fail_after(5):
            video = await publish(server.url, retry_policy=policy)
        assert server.attempts == 2

    assert video.is_draft is False
    assert [retry.delay for retry in retries] == [0.05]  # the backoff, not "now" or "in 73 years"


@pytest.mark.anyio
@pytest.mark.parametrize(
    "body",
    [GOOD for GOOD in (b'{"id": 101, "sections": [', b"<html>OK</html>", b"")],
    ids=["truncated-json", "html", "empty"],
)
async def test_a_200_with_a_broken_body_is_reported_not_retried(
    publish: Publish, body: bytes
) -> None:
    with FaultServer(respond(200, body)) as server:
        with anyio.fail_after(5), pytest.raises(ResponseValidationError) as caught:
            await publish(server.url)
        assert server.attempts == 1

    assert "expected a JSON VideoDetail" in str(caught.value)
    assert caught.value.request_id == "req_fault"
