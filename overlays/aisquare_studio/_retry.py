"""Retries: a frozen policy, the pure decisions it drives, and the transport that applies them.

The transport sits below httpx's auth and the generated code, so every call through the SDK's
clients is retried the same way. Sync and async differ only in how they send and sleep.
"""

from __future__ import annotations

import contextlib
import inspect
import logging
import math
import random
import re
import ssl
import time
from collections.abc import Awaitable, Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Protocol

import httpx

from aisquare_studio_api.types import IDEMPOTENT_METHODS, OPERATION_EXTENSION, Operation

from ._awaitables import close_unawaited
from ._body import DEFAULT_MAX_RESPONSE_BYTES, aread_body, read_body
from ._budget import BudgetState, RetryBudget
from ._request_id import request_id_of
from ._sockets import ATTEMPT_END

if TYPE_CHECKING:
    import anyio

    from ._otel import AttemptSpan, Instruments  # only a client with telemetry imports it

logger = logging.getLogger("aisquare_studio")

# Counts HTTP attempts on the request itself, so the count survives auth's re-sends after a 401.
ATTEMPTS_EXTENSION = "aisquare_studio.attempts"
# Why retrying ended before max_retries (the budget or the deadline), for the error to say so.
STOPPED_EXTENSION = "aisquare_studio.retries_stopped"

# Failures where the request may not have reached the server, or the answer was lost on the way.
_RETRYABLE_EXCEPTIONS = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


def _non_negative(name: str, value: float) -> None:
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if not (number and math.isfinite(value) and value >= 0):
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")


def _retry_count(name: str, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{name} must be an int >= 0, got {value!r}")


def _fraction(name: str, value: float) -> None:
    _non_negative(name, value)
    if value > 1:
        raise ValueError(f"{name} must be between 0 and 1, got {value!r}")


def _optional_positive(name: str, value: float | None) -> None:
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if value is not None and not (number and math.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be None or a finite number > 0, got {value!r}")


# Dataclasses rather than attrs (as the models are): the SDK's import needs these classes, and
# attrs would add most of what that import costs past httpx's.
@dataclass(frozen=True, slots=True)
class RetryDetails:
    """What ``RetryPolicy.on_retry`` hears about each retry, before its wait.

    Attributes:
        attempt: the attempt that failed, 1-based.
        delay: seconds the SDK will wait before the next attempt.
        status_code: the failed attempt's HTTP status, or None if it got no response.
        exception: the network error or timeout that ended the attempt, or None.
        method: the request's HTTP method.
        path: the request's URL path (never its headers, so never the key).
        elapsed: seconds since the call's first attempt began, up to the end of this one
            (default 0.0).
        request_id: the failed attempt's ``X-Request-Id`` response header, for the server's
            operators; None if it got no response or the response had none.
    """

    attempt: int
    delay: float
    status_code: int | None
    exception: Exception | None
    method: str
    path: str
    elapsed: float = 0.0
    request_id: str | None = None


RetryHook = Callable[[RetryDetails], None] | Callable[[RetryDetails], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """When and how long to wait before trying a request again. Immutable: build another one,
    or use ``studio.with_options(max_retries=..., deadline=...)`` for a variant
    (``dataclasses.replace(policy, max_retries=5)`` makes one and checks it again).

    Retried: connection errors, timeouts, 408, 409, 429 and every status >= 500. Never retried:
    any other status. A request that is not idempotent (a POST or PATCH the spec's operation
    does not mark so) is retried only when it cannot have been processed: the connection was
    never made, or the server answered 429 or 503. The n-th retry waits
    ``min(initial_delay * 2**(n-1), max_delay)`` seconds, less up to ``jitter`` of it at random,
    unless the server says how long with ``retry-after-ms`` or ``Retry-After``; a wait longer
    than ``max_retry_after`` is not taken and the response is returned (a 429 becomes
    ``RateLimitError`` with ``retry_after``).

    Attributes:
        max_retries: retries after the first attempt (default 2: three attempts at most).
        initial_delay: seconds before the first retry (default 0.5).
        max_delay: cap on the computed backoff, seconds (default 8).
        jitter: fraction of the backoff removed at random, 0..1 (default 0.25).
        max_retry_after: longest server-requested wait the SDK will sleep, seconds (default 60).
        deadline: seconds one call may take over all its attempts and waits (default None: only
            the per-attempt timeout applies). Each attempt's timeout shrinks to the time left,
            and a wait that would cross the deadline is not taken.
        budget: the retry budget the client's calls share (default ``RetryBudget()``); None
            turns it off, so every call may retry ``max_retries`` times even in an outage.
        on_retry: called (or awaited, for an async function with ``AsyncStudio``) with a
            ``RetryDetails`` before each retry's wait; an exception it raises is logged, not
            raised, so metrics cannot break a call.
    """

    max_retries: int = 2
    initial_delay: float = 0.5
    max_delay: float = 8.0
    jitter: float = 0.25
    max_retry_after: float = 60.0
    deadline: float | None = None
    budget: RetryBudget | None = field(default_factory=RetryBudget)
    on_retry: RetryHook | None = None

    def __post_init__(self) -> None:
        _retry_count("max_retries", self.max_retries)
        _non_negative("initial_delay", self.initial_delay)
        _non_negative("max_delay", self.max_delay)
        _fraction("jitter", self.jitter)
        _non_negative("max_retry_after", self.max_retry_after)
        _optional_positive("deadline", self.deadline)
        if self.budget is not None and not isinstance(self.budget, RetryBudget):
            raise TypeError(
                f"budget must be a RetryBudget or None, got {type(self.budget).__name__}"
            )
        if self.on_retry is not None and not callable(self.on_retry):
            raise TypeError(
                f"on_retry must be callable or None, got {type(self.on_retry).__name__}"
            )


def is_retryable_status(status_code: int) -> bool:
    return status_code in (408, 409, 429) or status_code >= 500


def backoff_delay(policy: RetryPolicy, retry_number: int, rand: float) -> float:
    """Seconds before retry number ``retry_number`` (1-based); ``rand`` is uniform in [0, 1)."""
    exponent = min(retry_number - 1, 64)  # beyond this the cap has long applied
    base = min(policy.initial_delay * 2.0**exponent, policy.max_delay)
    return base * (1.0 - policy.jitter * rand)


def parse_retry_after(headers: Mapping[str, str], now: datetime | None = None) -> float | None:
    """Seconds the server asks to wait: ``retry-after-ms``, else ``Retry-After`` as seconds or an
    HTTP-date (RFC 9110: IMF-fixdate, obsolete RFC 850 or asctime; a past date means now).

    A number of seconds is taken as given, however large: one beyond a float's range is
    ``math.inf``, so a policy's ``max_retry_after`` refuses it like any other long wait. Garbage,
    negative numbers and dates in any other form mean the server said nothing usable: None.
    """
    millis = _delay_seconds(headers.get("retry-after-ms"))
    if millis is not None:
        return millis / 1000.0
    value = headers.get("retry-after")
    if value is None:
        return None
    seconds = _delay_seconds(value)
    if seconds is not None:
        return seconds
    now = now or datetime.now(UTC)
    when = _http_date(value.strip(_OWS), now)
    if when is None:
        return None
    return max(0.0, (when - now).total_seconds())


# Optional whitespace around a field value (RFC 9110 section 5.6.3): not part of the value.
_OWS = " \t"
# Plain decimal digits only: float() would also take "1_000", "1e3", "inf" and "nan". A fraction
# is not in RFC 9110's delay-seconds, but retry-after-ms values carry one and it is harmless.
_DECIMAL = re.compile(r"[0-9]+(\.[0-9]+)?")


def _delay_seconds(value: str | None) -> float | None:
    if value is None:
        return None
    text = value.strip(_OWS)
    if not _DECIMAL.fullmatch(text):
        return None
    # Any digit string is a number to float(): "99999999999999999999" is 1e20, and one past a
    # float's range is inf. Either is a wait too long to take, which is what the server meant.
    return float(text)


# RFC 9110 section 5.6.7: the three forms of an HTTP-date, case-sensitive, always in GMT. Left
# for re's cache to compile on first use: compiling them cost more than the rest of the import.
_WEEKDAY = "(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)"
_WEEKDAY_LONG = "(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTH = f"({'|'.join(_MONTHS)})"
_TIME = "([0-9]{2}):([0-9]{2}):([0-9]{2})"
# Sun, 06 Nov 1994 08:49:37 GMT
_IMF_FIXDATE = f"{_WEEKDAY}, ([0-9]{{2}}) {_MONTH} ([0-9]{{4}}) {_TIME} GMT"
# Sunday, 06-Nov-94 08:49:37 GMT
_RFC850_DATE = f"{_WEEKDAY_LONG}, ([0-9]{{2}})-{_MONTH}-([0-9]{{2}}) {_TIME} GMT"
# Sun Nov  6 08:49:37 1994
_ASCTIME_DATE = f"{_WEEKDAY} {_MONTH} ([0-9]{{2}}| [0-9]) {_TIME} ([0-9]{{4}})"


def _http_date(text: str, now: datetime) -> datetime | None:
    """The moment an HTTP-date names, or None if ``text`` is not one (a bad name, month or day).

    The weekday is checked as a name only: it is redundant with the date, and the date decides.
    """
    if match := re.fullmatch(_IMF_FIXDATE, text):
        day, month, year, hour, minute, second = match.groups()
        full_year = int(year)
    elif match := re.fullmatch(_RFC850_DATE, text):
        day, month, year, hour, minute, second = match.groups()
        # RFC 9110: a two-digit year more than 50 years ahead is the latest such year past.
        full_year = now.year // 100 * 100 + int(year)
        if full_year > now.year + 50:
            full_year -= 100
    elif match := re.fullmatch(_ASCTIME_DATE, text):
        month, day, hour, minute, second, year = match.groups()
        full_year = int(year)
    else:
        return None
    try:
        return datetime(
            full_year,
            _MONTHS.index(month) + 1,
            int(day),
            int(hour),
            int(minute),
            min(int(second), 59),  # RFC 9110 allows 60 for a leap second; datetime does not
            tzinfo=UTC,
        )
    except ValueError:  # 31 Feb, hour 24, year 0000
        return None


def retry_delay(
    policy: RetryPolicy,
    attempt: int,
    outcome: httpx.Response | Exception,
    rand: float,
    *,
    idempotent: bool = True,
) -> float | None:
    """Seconds to wait before another try after ``attempt`` (1-based) ended in ``outcome``,
    or None when the outcome is final. A request that is not ``idempotent`` is tried again
    only when it cannot have been processed (``unprocessed``)."""
    if attempt > policy.max_retries:
        return None
    if not idempotent and not unprocessed(outcome):
        return None
    if isinstance(outcome, httpx.Response):
        if not is_retryable_status(outcome.status_code):
            return None
        asked = parse_retry_after(outcome.headers)
        if asked is not None:
            return asked if asked <= policy.max_retry_after else None
    elif not isinstance(outcome, _RETRYABLE_EXCEPTIONS) or is_certificate_failure(outcome):
        return None
    return backoff_delay(policy, attempt, rand)


def unprocessed(outcome: httpx.Response | Exception) -> bool:
    """Whether the server cannot have acted on the request: no connection was made (the request
    never left), or it answered 429 (throttled before processing) or 503 (not serving)."""
    if isinstance(outcome, httpx.Response):
        return outcome.status_code in (429, 503)
    return isinstance(outcome, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)


def is_idempotent(request: httpx.Request) -> bool:
    """Whether sending ``request`` twice does what sending it once does: as its generated
    operation's record says, else by its method."""
    operation = request.extensions.get(OPERATION_EXTENSION)
    if isinstance(operation, Operation):
        return operation.idempotent
    return request.method in IDEMPOTENT_METHODS


def certificate_failure(exc: BaseException) -> ssl.SSLCertVerificationError | None:
    """The certificate verification failure behind ``exc``, if that is what it comes from:
    trying again meets the same certificate."""
    seen: BaseException | None = exc
    for _ in range(16):  # httpx wraps httpcore's error, which wraps the ssl module's
        if seen is None or isinstance(seen, ssl.SSLCertVerificationError):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def is_certificate_failure(exc: BaseException) -> bool:
    return certificate_failure(exc) is not None


def _loop_clock() -> float:
    # anyio.current_time(), without its backend lookup for asyncio: every async call asks.
    # asyncio and anyio are imported here, not at the SDK's import: a running loop has
    # imported them already.
    import asyncio

    try:
        return asyncio.get_running_loop().time()
    except RuntimeError:
        import anyio

        return anyio.current_time()


async def _anyio_sleep(seconds: float) -> None:
    import anyio  # in an event loop: loaded already

    await anyio.sleep(seconds)


def _describe(outcome: httpx.Response | Exception) -> str:
    if isinstance(outcome, httpx.Response):
        return f"HTTP {outcome.status_code}"
    return type(outcome).__name__


class Lifetime(Protocol):
    """What the retry layer needs of the pool it sends through: see ``Pool``."""

    def sync_call(self) -> AbstractContextManager[None]: ...
    def async_attempt(self, deadline: float) -> AbstractContextManager[anyio.CancelScope]: ...
    def wait_to_retry(self, seconds: float) -> None: ...
    def ensure_open(self) -> None: ...


class _Unmanaged:
    """The lifetime of a ``RetryTransport`` used on its own: nothing ever closes it."""

    def sync_call(self) -> AbstractContextManager[None]:
        return contextlib.nullcontext()

    def async_attempt(self, deadline: float) -> AbstractContextManager[anyio.CancelScope]:
        import anyio  # in an event loop: loaded already

        return anyio.CancelScope(deadline=deadline)

    def wait_to_retry(self, seconds: float) -> None:
        time.sleep(seconds)

    def ensure_open(self) -> None:
        pass


class RetryTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Retries requests on ``inner`` (a sync or async transport) as ``policy`` says.

    Each attempt, body included, ends by ``attempt_timeout`` seconds and by the policy's
    deadline, and its body may not exceed ``max_response_bytes``. Bodies are read inside the
    loop, so a connection lost mid-body is retried like any other, and the caller always gets a
    fully read response. The decisions are in ``_Call``; the two loops below differ only in how
    they send, sleep, call the hook and stop an attempt that runs out of time.
    """

    def __init__(
        self,
        inner: httpx.BaseTransport | httpx.AsyncBaseTransport,
        policy: RetryPolicy,
        *,
        budget: BudgetState | None = None,
        lifetime: Lifetime | None = None,
        attempt_timeout: float | None = None,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        telemetry: Instruments | None = None,
        sleep: Callable[[float], None] | None = None,
        async_sleep: Callable[[float], Awaitable[None]] | None = None,
        clock: Callable[[], float] = time.monotonic,
        rand: Callable[[], float] = random.random,
    ) -> None:
        self.inner = inner
        self.policy = policy
        if budget is None and policy.budget is not None:
            budget = BudgetState(policy.budget)
        self.budget = budget if policy.budget is not None else None
        self.lifetime: Lifetime = lifetime or _Unmanaged()
        self.attempt_timeout = attempt_timeout
        self.max_response_bytes = max_response_bytes
        self.telemetry = telemetry
        self._sleep = sleep or self.lifetime.wait_to_retry
        self._async_sleep = async_sleep or _anyio_sleep
        self.clock = clock
        self.rand = rand

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if not isinstance(self.inner, httpx.BaseTransport):
            raise TypeError(f"{type(self.inner).__name__} is async-only: use AsyncStudio")
        call = _Call(self, request)
        with self.lifetime.sync_call():
            while True:
                ends_at = call.begin_attempt()
                bound = ATTEMPT_END.set(self._monotonic(ends_at))
                try:
                    response = self.inner.handle_request(request)
                    try:
                        read_body(request, response, self.max_response_bytes, ends_at, self.clock)
                    finally:
                        response.close()
                except Exception as exc:
                    if (details := call.retry_after(exc)) is None:
                        raise
                else:
                    if (details := call.retry_after(response)) is None:
                        return response
                finally:
                    ATTEMPT_END.reset(bound)
                    if call.span is not None:  # ended by something else than an outcome
                        call.abandon_attempt()
                if self.policy.on_retry is not None:
                    _call_hook_sync(self.policy.on_retry, details)
                self._sleep(details.delay)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if not isinstance(self.inner, httpx.AsyncBaseTransport):
            raise TypeError(f"{type(self.inner).__name__} is sync-only: use Studio")
        call = _Call(self, request)
        while True:
            ends_at = call.begin_attempt()
            bound = ATTEMPT_END.set(self._monotonic(ends_at))
            try:
                # The SDK's own sockets stop at the attempt's end by themselves; the scope stops
                # any other transport too, and is how aclose() ends the attempt.
                with self.lifetime.async_attempt(self._loop_time(ends_at)) as attempt:
                    response = await self.inner.handle_async_request(request)
                    try:
                        await aread_body(
                            request, response, self.max_response_bytes, ends_at, self.clock
                        )
                    finally:
                        await response.aclose()
                if attempt.cancelled_caught:
                    raise httpx.ReadTimeout("the attempt's time ran out", request=request)
            except Exception as exc:
                if (details := call.retry_after(exc)) is None:
                    raise
            else:
                if (details := call.retry_after(response)) is None:
                    return response
            finally:
                ATTEMPT_END.reset(bound)
                if call.span is not None:  # cancelled: the attempt ends with the call
                    call.abandon_attempt()
            if self.policy.on_retry is not None:
                await _call_hook_async(self.policy.on_retry, details)
            with self.lifetime.async_attempt(math.inf):  # aclose() cuts the wait short
                await self._async_sleep(details.delay)

    def _monotonic(self, ends_at: float | None) -> float | None:
        # The sockets read time.monotonic(); ``clock`` may be a test's.
        return None if ends_at is None else time.monotonic() + (ends_at - self.clock())

    def _loop_time(self, ends_at: float | None) -> float:
        # A cancel scope's deadline is on the event loop's clock, which trio keeps apart. It
        # comes a moment after the sockets' own bound, which names the phase that ran out.
        if ends_at is None:
            return math.inf
        return _loop_clock() + (ends_at - self.clock()) + _SCOPE_GRACE

    def close(self) -> None:
        """Nothing to do: the connections belong to the client's pool, closed by the client."""

    async def aclose(self) -> None:
        """Nothing to do: the connections belong to the client's pool, closed by the client."""


class _Call:
    """One request's way through its attempts: the count, the budget and the time limits."""

    def __init__(self, transport: RetryTransport, request: httpx.Request) -> None:
        self.policy = transport.policy
        self.budget = transport.budget
        self.clock = transport.clock
        self.rand = transport.rand
        self.ensure_open = transport.lifetime.ensure_open
        self.attempt_timeout = transport.attempt_timeout
        self.telemetry = transport.telemetry
        self.span: AttemptSpan | None = None  # the attempt's span, while it runs
        self.started = 0.0  # clock time the first attempt began
        self.attempt_started = 0.0
        self.request = request
        self.idempotent = is_idempotent(request)
        self.attempt = 0
        self.ends_at: float | None = None
        self.limit = ""
        # Kept on the request, so auth's re-send after a 401 stays within the same deadline.
        self.timeouts: dict[str, float | None] = request.extensions.setdefault(
            _TIMEOUTS_EXTENSION, dict(request.extensions.get("timeout", {}))
        )
        deadline = self.policy.deadline
        self.deadline_at: float | None = (
            None
            if deadline is None
            else request.extensions.setdefault(_DEADLINE_EXTENSION, self.clock() + deadline)
        )

    def begin_attempt(self) -> float | None:
        """Start an attempt; return the clock time by which it must be over, if any."""
        if self.attempt:
            self.ensure_open()  # the client was closed while this call waited to retry
        self.attempt += 1
        _count_attempt(self.request)
        now = self.clock()
        self.attempt_started = now
        if self.attempt == 1:
            self.started = now
        if self.telemetry is not None:
            self.span = self.telemetry.start_attempt(self.request)
        self.ends_at, self.limit = attempt_window(
            now, self.attempt_timeout, self.deadline_at, self.policy.deadline
        )
        if self.ends_at is not None:
            # httpx reads each attempt's timeouts from the request: cap them at the time left.
            left = max(self.ends_at - now, 0.001)
            self.request.extensions["timeout"] = {
                name: left if value is None else min(value, left)
                for name, value in (self.timeouts or dict.fromkeys(_TIMEOUT_NAMES)).items()
            }
        return self.ends_at

    def retry_after(self, outcome: httpx.Response | Exception) -> RetryDetails | None:
        """What to do after this attempt: the retry's details, or None to stop here. The
        attempt is logged (DEBUG) and its span ended here, whatever comes next."""
        delay = self._delay(outcome)
        debug = logger.isEnabledFor(logging.DEBUG)
        if delay is None and self.span is None and not debug:
            return None  # the common case, a final outcome nobody observes: nothing to measure
        now = self.clock()
        response = outcome if isinstance(outcome, httpx.Response) else None
        request_id = None if response is None else request_id_of(response, request=self.request)
        if debug:
            logger.debug(
                "%s %s attempt %d took %.3f s: %s, request id %s",
                self.request.method,
                self.request.url.path,
                self.request.extensions.get(ATTEMPTS_EXTENSION, self.attempt),
                now - self.attempt_started,
                _describe(outcome),
                request_id or "none",
            )
        if self.span is not None:
            span, self.span = self.span, None
            span.end(outcome, delay, request_id)
        if delay is None:
            return None
        logger.info(
            "Retrying %s %s after %s: attempt %d of %d in %.2f s",
            self.request.method,
            self.request.url.path,
            _describe(outcome),
            self.attempt + 1,
            self.policy.max_retries + 1,
            delay,
        )
        return RetryDetails(
            attempt=self.attempt,
            delay=delay,
            status_code=None if response is None else response.status_code,
            exception=None if isinstance(outcome, httpx.Response) else outcome,
            method=self.request.method,
            path=self.request.url.path,
            elapsed=now - self.started,
            request_id=request_id,
        )

    def abandon_attempt(self) -> None:
        """End the attempt's span when the attempt ended without an outcome (cancelled)."""
        span, self.span = self.span, None
        if span is not None:
            span.abandon()

    def _delay(self, outcome: httpx.Response | Exception) -> float | None:
        """Seconds to wait before the next attempt, or None to stop after this one."""
        if isinstance(outcome, httpx.TimeoutException):
            self.request.extensions[TIMEOUT_EXTENSION] = self._timeout_reason(outcome)
        failed = _is_failure(outcome)
        if self.budget is not None and (failed or isinstance(outcome, httpx.Response)):
            self.budget.record(failed=failed)
        delay = retry_delay(
            self.policy, self.attempt, outcome, self.rand(), idempotent=self.idempotent
        )
        if delay is None:
            return None
        if self.budget is not None and not self.budget.allows_retry():
            self._stop("the retry budget is exhausted (most recent attempts failed)")
            return None
        if self.deadline_at is not None and self.clock() + delay >= self.deadline_at:
            self._stop(f"the {self.policy.deadline:g} s deadline was reached")
            return None
        return delay

    def _timeout_reason(self, exc: httpx.TimeoutException) -> str | None:
        # 10 ms of slack: the socket that gave up may have looked at the clock a moment early.
        if self.ends_at is not None and self.clock() >= self.ends_at - 0.01:
            return self.limit
        phase = _TIMEOUT_PHASES.get(type(exc))
        seconds = self.request.extensions.get("timeout", {}).get(phase or "")
        if phase is None or seconds is None:
            return None
        return f"the {seconds:g} s {phase} timeout"

    def _stop(self, reason: str) -> None:
        attempts = self.request.extensions.get(ATTEMPTS_EXTENSION, self.attempt)
        self.request.extensions[STOPPED_EXTENSION] = reason
        logger.info(
            "Not retrying %s %s after %d attempt%s: %s",
            self.request.method,
            self.request.url.path,
            attempts,
            "" if attempts == 1 else "s",
            reason,
        )


def attempt_window(
    now: float, attempt_timeout: float | None, deadline_at: float | None, deadline: float | None
) -> tuple[float | None, str]:
    """When an attempt starting at ``now`` must be over, and the limit that says so: its own
    timeout, or the call's deadline if that comes first."""
    windows: list[tuple[float, str]] = []
    if attempt_timeout is not None:
        windows.append((now + attempt_timeout, f"the {attempt_timeout:g} s timeout per attempt"))
    if deadline_at is not None and deadline is not None:
        windows.append((deadline_at, f"the call's {deadline:g} s deadline"))
    if not windows:
        return None, ""
    return min(windows)


_TIMEOUT_PHASES: dict[type[Exception], str] = {
    httpx.ConnectTimeout: "connect",
    httpx.ReadTimeout: "read",
    httpx.WriteTimeout: "write",
    httpx.PoolTimeout: "pool",
}


_TIMEOUT_NAMES = ("connect", "read", "write", "pool")
# Seconds an async attempt's cancel scope waits past the attempt's end for the socket to say
# which phase ran out; a caller's own transport is stopped by the scope.
_SCOPE_GRACE = 0.05
# Which limit ended the last attempt that timed out, for the error to say so.
TIMEOUT_EXTENSION = "aisquare_studio.timeout"
_TIMEOUTS_EXTENSION = "aisquare_studio.timeouts"
_DEADLINE_EXTENSION = "aisquare_studio.deadline_at"


def _is_failure(outcome: httpx.Response | Exception) -> bool:
    if isinstance(outcome, httpx.Response):
        return is_retryable_status(outcome.status_code)
    return isinstance(outcome, _RETRYABLE_EXCEPTIONS)


def _call_hook_sync(hook: RetryHook, details: RetryDetails) -> None:
    try:
        result = hook(details)
        if inspect.isawaitable(result):
            close_unawaited(result)
            raise TypeError("an async on_retry hook needs AsyncStudio")
    except Exception:
        logger.exception("on_retry hook failed; the call goes on")


async def _call_hook_async(hook: RetryHook, details: RetryDetails) -> None:
    try:
        result = hook(details)
        if inspect.isawaitable(result):
            await result
    except Exception:
        logger.exception("on_retry hook failed; the call goes on")


def _count_attempt(request: httpx.Request) -> None:
    """Count every attempt of this request, across auth re-sends, for ``.attempts`` on errors."""
    request.extensions[ATTEMPTS_EXTENSION] = int(request.extensions.get(ATTEMPTS_EXTENSION, 0)) + 1
