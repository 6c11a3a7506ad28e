"""OpenTelemetry spans and metrics for the SDK's calls; imported only by a client built with
``telemetry``, so the package itself never imports OpenTelemetry.

A call (one facade method or generated function) is an INTERNAL span named after its
operation; each HTTP attempt is a CLIENT span under it, following the HTTP client semantic
conventions, so an httpx instrumentation below nests under the attempt it belongs to.
"""

from __future__ import annotations

import time
from types import TracebackType
from typing import TYPE_CHECKING

import httpx
from opentelemetry import context, metrics, trace
from opentelemetry.util.types import AttributeValue

from aisquare_studio_api.types import OPERATION_EXTENSION, Operation

from ._retry import ATTEMPTS_EXTENSION
from ._version import __version__

if TYPE_CHECKING:
    from ._telemetry import Telemetry

SCHEMA_URL = "https://opentelemetry.io/schemas/1.26.0"
# The semantic conventions' advice for http.client.request.duration, in seconds.
DURATION_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10)
# Query parameters the conventions say to redact from url.full (signed URLs); the SDK sends
# its key in a header, so these are the only secrets a query could hold.
_SENSITIVE_QUERY = frozenset({"awsaccesskeyid", "signature", "sig", "x-goog-signature"})
_REDACTED = "REDACTED"


class Instruments:
    """The tracer and the instruments a client's calls report to."""

    def __init__(self, settings: Telemetry) -> None:
        self.tracer = trace.get_tracer(
            "aisquare_studio",
            __version__,
            tracer_provider=settings.tracer_provider,
            schema_url=SCHEMA_URL,
        )
        meter = metrics.get_meter(
            "aisquare_studio",
            __version__,
            meter_provider=settings.meter_provider,
            schema_url=SCHEMA_URL,
        )
        self.request_duration = meter.create_histogram(
            "http.client.request.duration",
            unit="s",
            description="Duration of HTTP client requests.",
            explicit_bucket_boundaries_advisory=list(DURATION_BUCKETS),
        )
        self.call_duration = meter.create_histogram(
            "aisquare_studio.client.call.duration",
            unit="s",
            description="Duration of SDK calls, every attempt and wait included.",
            explicit_bucket_boundaries_advisory=list(DURATION_BUCKETS),
        )
        self.calls = meter.create_counter(
            "aisquare_studio.client.calls", unit="{call}", description="SDK calls made."
        )
        self.attempts = meter.create_counter(
            "aisquare_studio.client.attempts",
            unit="{attempt}",
            description="HTTP attempts the SDK's calls made, retries included.",
        )
        self.retries = meter.create_counter(
            "aisquare_studio.client.retries",
            unit="{retry}",
            description="Attempts that failed and were tried again.",
        )

    def call(self, request: httpx.Request) -> CallSpan:
        """The span of one call: entered around everything the call does."""
        return CallSpan(self, request)

    def start_attempt(self, request: httpx.Request) -> AttemptSpan:
        """Start the span of an attempt of ``request``; it becomes the current span."""
        return AttemptSpan(self, request)


def _operation(request: httpx.Request) -> Operation | None:
    operation = request.extensions.get(OPERATION_EXTENSION)
    return operation if isinstance(operation, Operation) else None


def _server(request: httpx.Request) -> dict[str, AttributeValue]:
    url = request.url
    port = url.port or (443 if url.scheme == "https" else 80)
    return {"server.address": url.host, "server.port": port}


def full_url(url: httpx.URL) -> str:
    """``url`` as ``url.full`` records it: no user or password, signed-URL parameters
    redacted."""
    if url.userinfo:
        url = url.copy_with(username=None, password=None)
    if url.query and any(key.lower() in _SENSITIVE_QUERY for key in url.params):
        params = [
            (key, _REDACTED if key.lower() in _SENSITIVE_QUERY else value)
            for key, value in url.params.multi_items()
        ]
        url = url.copy_with(params=params)
    return str(url)


def error_type(outcome: BaseException | httpx.Response) -> str | None:
    """``error.type``: the status code of a failed response, the exception's class by its
    public name (``aisquare_studio.RateLimitError``, ``httpx.ConnectError``), or None."""
    if isinstance(outcome, httpx.Response):
        return str(outcome.status_code) if outcome.status_code >= 400 else None
    kind = type(outcome)
    module = kind.__module__.split(".")[0]  # every class the SDK raises is re-exported at the top
    return f"{module}.{kind.__qualname__}" if module != "builtins" else kind.__qualname__


class CallSpan:
    """One call's span, its duration and its count: a context manager around the call."""

    def __init__(self, instruments: Instruments, request: httpx.Request) -> None:
        self.instruments = instruments
        self.request = request
        operation = _operation(request)
        self.attributes: dict[str, AttributeValue] = {
            "http.request.method": request.method,
            **_server(request),
        }
        if operation is not None:
            self.attributes["aisquare_studio.operation"] = operation.operation_id
        self.name = request.method if operation is None else operation.operation_id
        self.span_attributes: dict[str, AttributeValue] = dict(self.attributes)
        if operation is not None:
            self.span_attributes["url.template"] = operation.path
        self.status_code: int | None = None

    def __enter__(self) -> CallSpan:
        self.started = time.perf_counter()
        self.span = self.instruments.tracer.start_span(
            self.name, kind=trace.SpanKind.INTERNAL, attributes=self.span_attributes
        )
        self.token = context.attach(trace.set_span_in_context(self.span))
        return self

    def succeeded(self, response: httpx.Response) -> None:
        self.status_code = response.status_code

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        context.detach(self.token)
        span, attributes = self.span, dict(self.attributes)
        attempts = int(self.request.extensions.get(ATTEMPTS_EXTENSION, 0))
        span.set_attribute("aisquare_studio.attempts", attempts)
        status = self.status_code
        if exc is not None:
            status = getattr(exc, "status_code", None)
            kind = error_type(exc)
            if kind is not None:
                attributes["error.type"] = kind
                span.set_attribute("error.type", kind)
            span.record_exception(exc)
            span.set_status(trace.StatusCode.ERROR, str(exc)[:500])
        if isinstance(status, int):
            attributes["http.response.status_code"] = status
            span.set_attribute("http.response.status_code", status)
        span.end()
        self.instruments.calls.add(1, attributes)
        self.instruments.call_duration.record(time.perf_counter() - self.started, attributes)


class AttemptSpan:
    """One HTTP attempt's span, current while the attempt runs, and its measurements."""

    def __init__(self, instruments: Instruments, request: httpx.Request) -> None:
        self.instruments = instruments
        self.started = time.perf_counter()
        operation = _operation(request)
        self.attributes: dict[str, AttributeValue] = {
            "http.request.method": request.method,
            **_server(request),
        }
        attributes: dict[str, AttributeValue] = {
            **self.attributes,
            "url.full": full_url(request.url),
        }
        name = request.method
        if operation is not None:
            attributes["url.template"] = operation.path
            name = f"{request.method} {operation.path}"
        # Counted on the request, so auth's re-send after a 401 is a resend too.
        resends = int(request.extensions.get(ATTEMPTS_EXTENSION, 1)) - 1
        if resends:
            attributes["http.request.resend_count"] = resends
        self.span = instruments.tracer.start_span(
            name, kind=trace.SpanKind.CLIENT, attributes=attributes
        )
        self.token = context.attach(trace.set_span_in_context(self.span))

    def end(
        self, outcome: httpx.Response | Exception, delay: float | None, request_id: str | None
    ) -> None:
        """End the attempt with its outcome; ``delay`` is the wait before the next one, if any."""
        context.detach(self.token)
        span, attributes = self.span, self.attributes
        if isinstance(outcome, httpx.Response):
            attributes["http.response.status_code"] = outcome.status_code
            span.set_attribute("http.response.status_code", outcome.status_code)
        kind = error_type(outcome)
        if kind is not None:
            attributes["error.type"] = kind
            span.set_attribute("error.type", kind)
            # No exception event: a transport's message is not the SDK's, so not known to be
            # free of secrets; the call's span records the SDK's error, which is.
            span.set_status(trace.StatusCode.ERROR)
        if request_id is not None:
            span.set_attribute("aisquare_studio.request_id", request_id)
        if delay is not None:
            span.set_attribute("aisquare_studio.retry.delay", delay)
        span.end()
        self.instruments.attempts.add(1, attributes)
        self.instruments.request_duration.record(time.perf_counter() - self.started, attributes)
        if delay is not None:
            self.instruments.retries.add(1, attributes)

    def abandon(self) -> None:
        """End an attempt cut short (cancelled, or the client closed under it)."""
        context.detach(self.token)
        self.attributes["error.type"] = "cancelled"
        self.span.set_attribute("error.type", "cancelled")
        self.span.set_status(trace.StatusCode.ERROR, "the attempt was cancelled")
        self.span.end()
        self.instruments.attempts.add(1, self.attributes)
        self.instruments.request_duration.record(
            time.perf_counter() - self.started, self.attributes
        )
