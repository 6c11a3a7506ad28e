"""Tests for ``_retry``: the policy value, its pure decisions, and the transport applying them."""

from __future__ import annotations

import dataclasses
import json
import logging
import math
import re
from collections.abc import AsyncIterator, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from aisquare_studio._retry import (
    ATTEMPTS_EXTENSION,
    RetryPolicy,
    RetryTransport,
    backoff_delay,
    is_idempotent,
    is_retryable_status,
    parse_retry_after,
    retry_delay,
)
from aisquare_studio_api.api.subpackage_videos import publish_create
from aisquare_studio_api.types import OPERATION_EXTENSION

URL = "https://api.example/api/v1/videos/1/publish/"
SECRET = "sk-live-0123456789abcdef"

# ---------------------------------------------------------------------------------------------
# RetryPolicy: a frozen, validated value


def test_policy_defaults_are_documented_values() -> None:
    policy = RetryPolicy()

    assert (
        policy.max_retries,
        policy.initial_delay,
        policy.max_delay,
        policy.jitter,
        policy.max_retry_after,
    ) == (2, 0.5, 8.0, 0.25, 60.0)


def test_policy_is_frozen() -> None:
    policy = RetryPolicy()

    with pytest.raises(dataclasses.FrozenInstanceError):
        policy.max_retries = 5  # type: ignore[misc]  # the assignment being refused is the point

    assert policy.max_retries == 2


def test_policy_variant_is_a_new_value() -> None:
    shared = RetryPolicy()

    variant = dataclasses.replace(shared, max_retries=5)

    assert variant.max_retries == 5
    assert shared.max_retries == 2


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("max_retries", -1),
        ("max_retries", True),
        ("max_retries", 2.0),
        ("max_retries", "2"),
        ("initial_delay", -0.1),
        ("initial_delay", math.nan),
        ("initial_delay", math.inf),
        ("initial_delay", True),
        ("initial_delay", "0.5"),
        ("max_delay", -1.0),
        ("max_delay", math.nan),
        ("max_delay", False),
        ("jitter", -0.01),
        ("jitter", 1.01),
        ("jitter", math.nan),
        ("jitter", True),
        ("max_retry_after", -5.0),
        ("max_retry_after", math.inf),
        ("max_retry_after", math.nan),
        ("max_retry_after", True),
    ],
)
def test_policy_rejects_invalid_field(field: str, value: Any) -> None:
    with pytest.raises(ValueError, match=field):
        RetryPolicy(**{field: value})


def test_policy_variant_is_validated_too() -> None:
    with pytest.raises(ValueError, match="jitter"):
        dataclasses.replace(RetryPolicy(), jitter=2.0)


@pytest.mark.parametrize(
    "fields",
    [
        {"max_retries": 0},
        {"initial_delay": 0, "max_delay": 0},
        {"jitter": 0.0},
        {"jitter": 1.0},
        {"max_retry_after": 0.0},
    ],
)
def test_policy_accepts_boundary_values(fields: dict[str, Any]) -> None:
    policy = RetryPolicy(**fields)

    assert dataclasses.asdict(policy) == {**dataclasses.asdict(RetryPolicy()), **fields}


# ---------------------------------------------------------------------------------------------
# Decisions: which statuses, how long


@pytest.mark.parametrize(
    ("status", "retryable"),
    [
        (200, False),
        (201, False),
        (204, False),
        (301, False),
        (302, False),
        (304, False),
        (400, False),
        (401, False),
        (403, False),
        (404, False),
        (405, False),
        (418, False),
        (422, False),
        (408, True),
        (409, True),
        (429, True),
        (500, True),
        (502, True),
        (503, True),
        (504, True),
        (520, True),
        (599, True),
    ],
)
def test_is_retryable_status(status: int, retryable: bool) -> None:
    assert is_retryable_status(status) is retryable


@pytest.mark.parametrize(
    ("policy", "retry_number", "rand", "expected"),
    [
        (RetryPolicy(), 1, 0.0, 0.5),
        (RetryPolicy(), 2, 0.0, 1.0),
        (RetryPolicy(), 3, 0.0, 2.0),
        (RetryPolicy(), 4, 0.0, 4.0),
        (RetryPolicy(), 5, 0.0, 8.0),
        (RetryPolicy(), 6, 0.0, 8.0),
        (RetryPolicy(), 10_000, 0.0, 8.0),
        (RetryPolicy(), 1, 0.5, 0.5 * (1 - 0.25 * 0.5)),
        (RetryPolicy(), 1, 0.999, 0.5 * (1 - 0.25 * 0.999)),
        (RetryPolicy(), 6, 0.5, 8.0 * (1 - 0.25 * 0.5)),
        (RetryPolicy(jitter=0.0), 2, 0.9, 1.0),
        (RetryPolicy(jitter=1.0), 2, 0.5, 0.5),
        (RetryPolicy(initial_delay=2.0, max_delay=3.0), 1, 0.0, 2.0),
        (RetryPolicy(initial_delay=2.0, max_delay=3.0), 2, 0.0, 3.0),
        (RetryPolicy(initial_delay=0.0), 3, 0.0, 0.0),
    ],
)
def test_backoff_delay(
    policy: RetryPolicy, retry_number: int, rand: float, expected: float
) -> None:
    assert backoff_delay(policy, retry_number, rand) == pytest.approx(expected)


NOW = datetime(2015, 10, 21, 7, 28, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({}, None),
        ({"Retry-After": "0"}, 0.0),
        ({"Retry-After": "3"}, 3.0),
        ({"Retry-After": "1.5"}, 1.5),
        ({"Retry-After": " 2 "}, 2.0),
        ({"retry-after": "7"}, 7.0),
        ({"Retry-After": "Wed, 21 Oct 2015 07:28:30 GMT"}, 30.0),
        ({"Retry-After": "Wed, 21 Oct 2015 07:00:00 GMT"}, 0.0),
        ({"retry-after-ms": "1500"}, 1.5),
        ({"retry-after-ms": "0"}, 0.0),
        ({"Retry-After-Ms": "250"}, 0.25),
        ({"retry-after-ms": "200", "Retry-After": "30"}, 0.2),
        ({"retry-after-ms": "soon", "Retry-After": "30"}, 30.0),
        ({"retry-after-ms": "-5", "Retry-After": "4"}, 4.0),
        ({"Retry-After": "soon"}, None),
        ({"Retry-After": ""}, None),
        ({"Retry-After": "-1"}, None),
        ({"Retry-After": "inf"}, None),
        ({"Retry-After": "Infinity"}, None),
        ({"Retry-After": "nan"}, None),
        ({"Retry-After": "1e999"}, None),
        ({"Retry-After": "1e3"}, None),
        ({"Retry-After": "1_000"}, None),
        ({"Retry-After": "2" + " " * 100}, 2.0),
        ({"Retry-After": "Wed, 32 Oct 2015 07:28:00 GMT"}, None),
        ({"Retry-After": "Wed, 21 Oct 2015 07:28:00 +9999"}, None),
        ({"retry-after-ms": "inf"}, None),
        ({"retry-after-ms": "nan"}, None),
    ],
)
def test_parse_retry_after(headers: dict[str, str], expected: float | None) -> None:
    assert parse_retry_after(httpx.Headers(headers), now=NOW) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # The three forms of RFC 9110 section 5.6.7; NOW is Wed, 21 Oct 2015 07:28:00 GMT.
        ("Wed, 21 Oct 2015 07:28:30 GMT", 30.0),
        ("Wednesday, 21-Oct-15 07:28:30 GMT", 30.0),
        ("Wed Oct 21 07:28:30 2015", 30.0),
        ("Sun Nov  1 07:28:00 2015", 11 * 86400.0),
        ("Sat, 24 Oct 2015 07:28:00 GMT", 3 * 86400.0),
        ("Wed, 21 Oct 2015 07:28:60 GMT", 59.0),  # a leap second
        # RFC 850's two-digit year: more than 50 years ahead means the century before.
        ("Saturday, 24-Oct-15 07:28:00 GMT", 3 * 86400.0),
        ("Thursday, 20-Oct-66 07:28:00 GMT", 0.0),
        ("Wednesday, 21-Oct-65 07:28:00 GMT", (NOW.replace(year=2065) - NOW).total_seconds()),
        # Not HTTP-dates: a day name or month that does not exist, the wrong case or zone,
        # a form's parts mixed with another's, a date or time that does not exist.
        ("Zun, 21 Oct 2015 07:28:00 GMT", None),
        ("Xyz, 21 Oct 2015 07:28:00 GMT", None),
        ("Wed, 21 Oxt 2015 07:28:00 GMT", None),
        ("Zunday, 21-Oct-15 07:28:00 GMT", None),
        ("Zun Oct 21 07:28:30 2015", None),
        ("Wed Ocr 21 07:28:30 2015", None),
        ("wed, 21 oct 2015 07:28:30 gmt", None),
        ("Wed, 21 Oct 2015 07:28:30 UTC", None),
        ("Wed, 21 Oct 2015 07:28:30 +0000", None),
        ("Wed, 21 Oct 2015 09:28:00 +0200", None),
        ("Wed, 21 Oct 2015 07:28:30", None),
        ("21 Oct 2015 07:28:30 GMT", None),
        ("Wed, 21 Oct 15 07:28:30 GMT", None),
        ("Wed, 1 Oct 2015 07:28:30 GMT", None),
        ("Wednesday, 21 Oct 2015 07:28:30 GMT", None),
        ("Wed, 21-Oct-15 07:28:30 GMT", None),
        ("Wed Oct 21 07:28:30 2015 GMT", None),
        ("Wed, 29 Feb 2015 07:28:30 GMT", None),
        ("Wed, 21 Oct 2015 24:00:00 GMT", None),
        ("Wed, 21 Oct 2015 07:61:00 GMT", None),
        ("Wed, 21 Oct 0000 07:28:30 GMT", None),
    ],
)
def test_retry_after_http_dates_in_rfc_9110_forms_only(value: str, expected: float | None) -> None:
    assert parse_retry_after(httpx.Headers({"Retry-After": value}), now=NOW) == expected


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"Retry-After": "99999999999999999999"}, 1e20),
        ({"Retry-After": "1" * 40}, float("1" * 40)),
        ({"Retry-After": "9" * 400}, math.inf),  # beyond a float's range
        ({"Retry-After": "9" * 400 + ".5"}, math.inf),
        ({"retry-after-ms": "99999999999999999999"}, 1e17),
        ({"retry-after-ms": "9" * 400}, math.inf),
        ({"retry-after-ms": "9" * 400, "Retry-After": "1"}, math.inf),
    ],
)
def test_a_delay_of_many_digits_is_a_very_long_wait(
    headers: dict[str, str], expected: float
) -> None:
    assert parse_retry_after(httpx.Headers(headers), now=NOW) == expected


def response(status: int, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(status, headers=headers, request=httpx.Request("POST", URL))


@pytest.mark.parametrize(
    ("policy", "attempt", "outcome", "expected"),
    [
        # Retried statuses back off exponentially while retries remain.
        (RetryPolicy(), 1, response(503), 0.5),
        (RetryPolicy(), 2, response(503), 1.0),
        (RetryPolicy(), 1, response(408), 0.5),
        (RetryPolicy(), 1, response(409), 0.5),
        (RetryPolicy(), 1, response(429), 0.5),
        (RetryPolicy(), 1, response(500), 0.5),
        (RetryPolicy(), 1, response(520), 0.5),
        (RetryPolicy(), 1, response(599), 0.5),
        # Out of retries: the outcome is final.
        (RetryPolicy(), 3, response(503), None),
        (RetryPolicy(max_retries=0), 1, response(503), None),
        (RetryPolicy(max_retries=0), 1, httpx.ConnectError("refused"), None),
        (RetryPolicy(max_retries=5), 5, response(503), 8.0),
        (RetryPolicy(max_retries=5), 6, response(503), None),
        # Never retried, whatever the server asks.
        (RetryPolicy(), 1, response(200), None),
        (RetryPolicy(), 1, response(204), None),
        (RetryPolicy(), 1, response(302), None),
        (RetryPolicy(), 1, response(400), None),
        (RetryPolicy(), 1, response(401), None),
        (RetryPolicy(), 1, response(403), None),
        (RetryPolicy(), 1, response(404), None),
        (RetryPolicy(), 1, response(422), None),
        (RetryPolicy(), 1, response(400, {"Retry-After": "1"}), None),
        # The server's wait wins over backoff, but not past max_retry_after.
        (RetryPolicy(), 1, response(429, {"Retry-After": "3"}), 3.0),
        (RetryPolicy(), 2, response(503, {"Retry-After": "0"}), 0.0),
        (RetryPolicy(), 1, response(429, {"retry-after-ms": "1500"}), 1.5),
        (RetryPolicy(), 1, response(429, {"Retry-After": "20"}), 20.0),
        (RetryPolicy(), 1, response(429, {"Retry-After": "60"}), 60.0),
        (RetryPolicy(), 1, response(429, {"Retry-After": "61"}), None),
        (RetryPolicy(), 1, response(429, {"retry-after-ms": "120000"}), None),
        (RetryPolicy(), 1, response(429, {"Retry-After": "99999999999999999999"}), None),
        (RetryPolicy(), 1, response(429, {"retry-after-ms": "9" * 400}), None),
        # Not an HTTP-date (no such day): the server said nothing usable, so back off.
        (RetryPolicy(), 1, response(503, {"Retry-After": "Zun, 01 Dec 2024 07:28:00 GMT"}), 0.5),
        (RetryPolicy(max_retry_after=5), 1, response(503, {"Retry-After": "6"}), None),
        (RetryPolicy(), 3, response(429, {"Retry-After": "1"}), None),
        (RetryPolicy(), 1, response(503, {"Retry-After": "soon"}), 0.5),
        # Network failures are retried; anything else is a bug to surface at once.
        (RetryPolicy(), 1, httpx.ConnectError("refused"), 0.5),
        (RetryPolicy(), 2, httpx.ConnectTimeout("slow"), 1.0),
        (RetryPolicy(), 1, httpx.ReadTimeout("slow"), 0.5),
        (RetryPolicy(), 1, httpx.WriteTimeout("slow"), 0.5),
        (RetryPolicy(), 1, httpx.PoolTimeout("busy"), 0.5),
        (RetryPolicy(), 1, httpx.ReadError("reset"), 0.5),
        (RetryPolicy(), 1, httpx.WriteError("broken pipe"), 0.5),
        (RetryPolicy(), 1, httpx.RemoteProtocolError("peer closed"), 0.5),
        (RetryPolicy(), 3, httpx.ConnectError("refused"), None),
        (RetryPolicy(), 1, httpx.UnsupportedProtocol("ftp"), None),
        (RetryPolicy(), 1, httpx.LocalProtocolError("bad header"), None),
        (RetryPolicy(), 1, ValueError("bug"), None),
        (RetryPolicy(), 1, RuntimeError("bug"), None),
    ],
)
def test_retry_delay(
    policy: RetryPolicy, attempt: int, outcome: httpx.Response | Exception, expected: float | None
) -> None:
    assert retry_delay(policy, attempt, outcome, 0.0) == expected


@pytest.mark.parametrize(
    ("outcome", "expected"),
    [
        # It cannot have been processed: the connection never opened, or the server refused it.
        (httpx.ConnectError("refused"), 0.5),
        (httpx.ConnectTimeout("slow"), 0.5),
        (httpx.PoolTimeout("busy"), 0.5),
        (response(429), 0.5),
        (response(503, {"Retry-After": "2"}), 2.0),
        # It may have been: sent, and then the answer was lost or was a failure.
        (httpx.ReadTimeout("slow"), None),
        (httpx.WriteTimeout("slow"), None),
        (httpx.ReadError("reset"), None),
        (httpx.RemoteProtocolError("peer closed"), None),
        (response(500), None),
        (response(502), None),
        (response(504), None),
        (response(408), None),
        (response(409), None),
    ],
    ids=repr,
)
def test_a_request_that_is_not_idempotent_is_retried_only_if_it_was_not_processed(
    outcome: httpx.Response | Exception, expected: float | None
) -> None:
    assert retry_delay(RetryPolicy(), 1, outcome, 0.0, idempotent=False) == expected
    assert retry_delay(RetryPolicy(), 1, outcome, 0.0, idempotent=True) is not None


@pytest.mark.parametrize(
    ("method", "extensions", "expected"),
    [
        ("GET", {}, True),
        ("HEAD", {}, True),
        ("PUT", {}, True),
        ("DELETE", {}, True),
        ("OPTIONS", {}, True),
        ("POST", {}, False),
        ("PATCH", {}, False),
        # The operation's record decides: names.toml marks publishing idempotent.
        ("POST", {OPERATION_EXTENSION: publish_create.OPERATION}, True),
        (
            "GET",
            {OPERATION_EXTENSION: dataclasses.replace(publish_create.OPERATION, idempotent=False)},
            False,
        ),
    ],
)
def test_idempotence_comes_from_the_operation_record_else_the_method(
    method: str, extensions: dict[str, Any], expected: bool
) -> None:
    assert is_idempotent(httpx.Request(method, URL, extensions=extensions)) is expected


def test_retry_delay_applies_jitter_to_backoff_only() -> None:
    policy = RetryPolicy(jitter=0.5)

    assert retry_delay(policy, 1, response(503), 1.0) == pytest.approx(0.25)
    assert retry_delay(policy, 1, response(503, {"Retry-After": "2"}), 1.0) == 2.0


# ---------------------------------------------------------------------------------------------
# RetryTransport, sync and async through one test body

# A sync client needs no event loop of its own, so it runs once; async runs under both backends.
# Parametrizing anyio_backend directly overrides conftest's fixture for these tests.
MODES = pytest.mark.parametrize(
    ("mode", "anyio_backend"),
    [("sync", "asyncio"), ("async", "asyncio"), ("async", "trio")],
    ids=["sync", "asyncio", "trio"],
)


class Body(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A response body streamed in chunks, that can lose its connection after them."""

    def __init__(self, chunks: Sequence[bytes], *, fail: bool = False) -> None:
        self.chunks = chunks
        self.fail = fail
        self.closed = False

    def __iter__(self) -> Iterator[bytes]:
        yield from self.chunks
        if self.fail:
            raise httpx.ReadError("connection lost mid-body")

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self.chunks:
            yield chunk
        if self.fail:
            raise httpx.ReadError("connection lost mid-body")

    def close(self) -> None:
        self.closed = True

    async def aclose(self) -> None:
        self.closed = True


# A status; a status with headers; a response; or an error (a class is raised fresh each time).
Outcome = int | tuple[int, dict[str, str]] | httpx.Response | Exception | type[Exception]


class Server:
    """A scripted server: attempt n gets ``outcomes[n-1]``."""

    def __init__(self, *outcomes: Outcome) -> None:
        self.outcomes = outcomes
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if len(self.requests) > len(self.outcomes):
            raise AssertionError(f"unexpected attempt {len(self.requests)}")
        outcome = self.outcomes[len(self.requests) - 1]
        if isinstance(outcome, httpx.Response):
            return outcome
        if isinstance(outcome, Exception):
            raise outcome
        if isinstance(outcome, type):
            raise outcome(f"scripted {outcome.__name__}")
        status, headers = outcome if isinstance(outcome, tuple) else (outcome, {})
        return httpx.Response(status, headers=headers, json={"attempt": len(self.requests)})

    @property
    def attempts(self) -> int:
        return len(self.requests)


class Clock:
    """Fake sleeps that record what the transport asked for, split by sync and async."""

    def __init__(self) -> None:
        self.sync_sleeps: list[float] = []
        self.async_sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sync_sleeps.append(seconds)

    async def async_sleep(self, seconds: float) -> None:
        self.async_sleeps.append(seconds)

    def slept(self, mode: str) -> list[float]:
        own, other = (
            (self.sync_sleeps, self.async_sleeps)
            if mode == "sync"
            else (self.async_sleeps, self.sync_sleeps)
        )
        assert other == [], f"a {mode} client slept the other way: {other}"
        return own


def retrying(
    server: Server, clock: Clock, policy: RetryPolicy | None = None, rand: float = 0.0
) -> RetryTransport:
    return RetryTransport(
        httpx.MockTransport(server),
        policy or RetryPolicy(),
        sleep=clock.sleep,
        async_sleep=clock.async_sleep,
        rand=lambda: rand,
    )


def new_request() -> httpx.Request:
    # Publishing: a POST its operation record marks idempotent, so every retry rule applies.
    return httpx.Request(
        "POST",
        URL,
        json={"note": "hello"},
        headers={"Authorization": f"Bearer {SECRET}"},
        extensions={OPERATION_EXTENSION: publish_create.OPERATION},
    )


def send_sync(
    transport: httpx.BaseTransport, request: httpx.Request, stream: bool
) -> httpx.Response:
    with httpx.Client(transport=transport) as client:
        return client.send(request, stream=stream)


async def send(
    mode: str, transport: RetryTransport, request: httpx.Request, *, stream: bool = False
) -> httpx.Response:
    if mode == "sync":
        return send_sync(transport, request, stream)
    async with httpx.AsyncClient(transport=transport) as client:
        return await client.send(request, stream=stream)


@pytest.mark.anyio
@MODES
@pytest.mark.parametrize(
    ("outcomes", "policy", "status", "sleeps"),
    [
        ((200,), RetryPolicy(), 200, []),
        ((503, 503, 200), RetryPolicy(), 200, [0.5, 1.0]),
        ((503, 503, 503), RetryPolicy(), 503, [0.5, 1.0]),
        ((408, 409, 201), RetryPolicy(), 201, [0.5, 1.0]),
        ((520, 599, 200), RetryPolicy(), 200, [0.5, 1.0]),
        ((500,) * 5, RetryPolicy(max_retries=4, max_delay=1.5), 500, [0.5, 1.0, 1.5, 1.5]),
        ((503,), RetryPolicy(max_retries=0), 503, []),
        ((400,), RetryPolicy(), 400, []),
        ((401,), RetryPolicy(), 401, []),
        ((403,), RetryPolicy(), 403, []),
        ((404,), RetryPolicy(), 404, []),
        ((422,), RetryPolicy(), 422, []),
        ((302,), RetryPolicy(), 302, []),
        ((httpx.ConnectError, httpx.ReadTimeout, 200), RetryPolicy(), 200, [0.5, 1.0]),
        ((httpx.RemoteProtocolError, httpx.ReadError, 200), RetryPolicy(), 200, [0.5, 1.0]),
        (((429, {"Retry-After": "2"}), 200), RetryPolicy(), 200, [2.0]),
        (((503, {"Retry-After": "0"}), 200), RetryPolicy(), 200, [0.0]),
        (((503, {"retry-after-ms": "1500", "Retry-After": "9"}), 200), RetryPolicy(), 200, [1.5]),
        (((429, {"Retry-After": "120"}),), RetryPolicy(), 429, []),
        (((429, {"Retry-After": "2"}),) * 3, RetryPolicy(), 429, [2.0, 2.0]),
    ],
)
async def test_transport_retries_until_final_response(
    mode: str,
    outcomes: tuple[Outcome, ...],
    policy: RetryPolicy,
    status: int,
    sleeps: list[float],
) -> None:
    server, clock = Server(*outcomes), Clock()
    request = new_request()

    result = await send(mode, retrying(server, clock, policy), request)

    assert result.status_code == status
    assert server.attempts == len(outcomes)
    assert clock.slept(mode) == sleeps
    assert request.extensions[ATTEMPTS_EXTENSION] == len(outcomes)
    assert result.request.extensions[ATTEMPTS_EXTENSION] == len(outcomes)


@pytest.mark.anyio
@MODES
async def test_transport_resends_the_same_request_body(mode: str) -> None:
    server = Server(503, httpx.ConnectError, 200)
    request = new_request()

    await send(mode, retrying(server, Clock()), request)

    # The bytes httpx encoded, each time (httpx 0.27 and 0.28 space JSON differently).
    assert [r.content for r in server.requests] == [request.content] * 3
    assert json.loads(request.content) == {"note": "hello"}


@pytest.mark.anyio
@MODES
async def test_transport_jitter_shortens_backoff(mode: str) -> None:
    server, clock = Server(503, 503, 200), Clock()

    await send(mode, retrying(server, clock, RetryPolicy(jitter=0.5), rand=0.5), new_request())

    assert clock.slept(mode) == pytest.approx([0.375, 0.75])


@pytest.mark.anyio
@MODES
@pytest.mark.parametrize(
    ("outcomes", "error", "sleeps"),
    [
        ((httpx.ConnectError,) * 3, httpx.ConnectError, [0.5, 1.0]),
        ((httpx.ReadTimeout,) * 3, httpx.ReadTimeout, [0.5, 1.0]),
        ((503, httpx.ConnectTimeout, httpx.PoolTimeout), httpx.PoolTimeout, [0.5, 1.0]),
        ((httpx.UnsupportedProtocol,), httpx.UnsupportedProtocol, []),
        ((httpx.LocalProtocolError,), httpx.LocalProtocolError, []),
        ((503, ValueError), ValueError, [0.5]),
    ],
)
async def test_transport_raises_final_failure(
    mode: str,
    outcomes: tuple[Outcome, ...],
    error: type[Exception],
    sleeps: list[float],
) -> None:
    server, clock = Server(*outcomes), Clock()
    request = new_request()

    with pytest.raises(error):
        await send(mode, retrying(server, clock), request)

    assert server.attempts == len(outcomes)
    assert clock.slept(mode) == sleeps
    assert request.extensions[ATTEMPTS_EXTENSION] == len(outcomes)


@pytest.mark.anyio
@MODES
async def test_transport_never_retries_with_zero_max_retries(mode: str) -> None:
    server, clock = Server(httpx.ConnectError), Clock()

    with pytest.raises(httpx.ConnectError):
        await send(mode, retrying(server, clock, RetryPolicy(max_retries=0)), new_request())

    assert server.attempts == 1
    assert clock.slept(mode) == []


@pytest.mark.anyio
@MODES
async def test_transport_retries_body_lost_mid_read(mode: str) -> None:
    broken = Body([b'{"id": 1, '], fail=True)
    whole = Body([b'{"id": 1, ', b'"is_draft": false}'])
    server = Server(httpx.Response(200, stream=broken), httpx.Response(200, stream=whole))
    clock = Clock()

    result = await send(mode, retrying(server, clock), new_request())

    assert result.json() == {"id": 1, "is_draft": False}
    assert server.attempts == 2
    assert clock.slept(mode) == [0.5]
    assert broken.closed  # the lost connection is released, not leaked from the pool


@pytest.mark.anyio
@MODES
async def test_transport_raises_when_every_body_is_lost(mode: str) -> None:
    server = Server(*(httpx.Response(200, stream=Body([b"{"], fail=True)) for _ in range(3)))
    clock = Clock()

    with pytest.raises(httpx.ReadError):
        await send(mode, retrying(server, clock), new_request())

    assert server.attempts == 3
    assert clock.slept(mode) == [0.5, 1.0]


@pytest.mark.anyio
@MODES
async def test_transport_returns_fully_read_response_and_releases_the_rest(mode: str) -> None:
    discarded = Body([b'{"detail": ', b'"busy"}'])
    final = Body([b"chunk-1 ", b"chunk-2 ", b"chunk-3"])
    server = Server(httpx.Response(503, stream=discarded), httpx.Response(200, stream=final))

    # Even a streaming caller gets the body already read: .content works without read().
    result = await send(mode, retrying(server, Clock()), new_request(), stream=True)

    assert result.content == b"chunk-1 chunk-2 chunk-3"
    assert discarded.closed
    assert final.closed


@pytest.mark.anyio
@MODES
async def test_transport_logs_each_retry_without_credentials(
    mode: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    # A server echoing the key in its request id must not put it in a log line either.
    echoed = httpx.Response(503, headers={"X-Request-Id": f"req-1 {SECRET}"})
    server = Server(echoed, httpx.ConnectError(f"refused for {SECRET}"), 200)

    await send(mode, retrying(server, Clock()), new_request())

    records = [r for r in caplog.records if r.name == "aisquare_studio"]
    retries = [r.getMessage() for r in records if r.levelno == logging.INFO]
    assert len(retries) == 2
    first, second = retries
    assert "HTTP 503" in first
    assert "0.50 s" in first
    assert "ConnectError" in second
    assert "1.00 s" in second
    assert SECRET not in caplog.text


@pytest.mark.anyio
@MODES
async def test_transport_logs_each_attempt_at_debug_with_its_time_and_request_id(
    mode: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    echoed = httpx.Response(503, headers={"X-Request-Id": f"req-1 {SECRET}"})
    server = Server(echoed, httpx.ConnectError("refused"), httpx.Response(200, headers=ID_2))

    await send(mode, retrying(server, Clock()), new_request())

    attempts = [
        r.getMessage()
        for r in caplog.records
        if r.name == "aisquare_studio" and r.levelno == logging.DEBUG
    ]
    took = r"took \d+\.\d{3} s"
    assert len(attempts) == 3
    assert re.search(rf"attempt 1 {took}: HTTP 503, request id req-1 \[REDACTED\]$", attempts[0])
    assert re.search(rf"attempt 2 {took}: ConnectError, request id none$", attempts[1])
    assert re.search(rf"attempt 3 {took}: HTTP 200, request id req-2$", attempts[2])
    assert all(message.startswith("POST /api/v1/videos/1/publish/ ") for message in attempts)
    assert SECRET not in caplog.text


ID_2 = {"X-Request-Id": "req-2"}


@pytest.mark.anyio
@MODES
async def test_transport_logs_nothing_above_debug_without_retries(
    mode: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)

    await send(mode, retrying(Server(404), Clock()), new_request())

    records = [r for r in caplog.records if r.name == "aisquare_studio"]
    assert [r.levelno for r in records] == [logging.DEBUG]
    assert "attempt 1 took" in records[0].getMessage()


class SyncOnly(httpx.BaseTransport):
    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return httpx.Response(200)


class AsyncOnly(httpx.AsyncBaseTransport):
    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return httpx.Response(200)


@pytest.mark.anyio
@MODES
async def test_transport_of_the_wrong_kind_raises_type_error(mode: str) -> None:
    inner = AsyncOnly() if mode == "sync" else SyncOnly()
    transport = RetryTransport(inner, RetryPolicy())

    with pytest.raises(TypeError, match=type(inner).__name__):
        await send(mode, transport, new_request())
