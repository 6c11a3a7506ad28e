"""OpenTelemetry (``telemetry=``): a span per call with its attempts under it, and metrics, read
from the SDK's in-memory exporters, over loopback, sync and async (asyncio and trio)."""

from __future__ import annotations

import socket
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from typing import Any

import anyio
import httpx
import pytest
from opentelemetry import trace
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from aisquare_studio import (
    AsyncStudio,
    NotFoundError,
    RetryPolicy,
    Studio,
    StudioError,
    Telemetry,
    VideoDetail,
)
from aisquare_studio._otel import error_type, full_url
from aisquare_studio.sandbox import SANDBOX_API_KEY, Fault, Sandbox
from tests.clients import KINDS, backend_for_kind, kind_param
from tests.faultserver import FaultServer, reset, stall

kind = pytest.fixture(params=KINDS, name="kind")(kind_param)
anyio_backend = pytest.fixture(name="anyio_backend")(backend_for_kind)

FAST = RetryPolicy(initial_delay=0.001, max_delay=0.005)
PUBLISH = "POST /api/v1/videos/{video_id}/publish/"


class Collected:
    """Fresh SDK providers with in-memory exporters: each test reads only its own telemetry."""

    def __init__(self) -> None:
        self.exporter = InMemorySpanExporter()
        self.tracer_provider = TracerProvider()
        self.tracer_provider.add_span_processor(SimpleSpanProcessor(self.exporter))
        self.reader = InMemoryMetricReader()
        self.meter_provider = MeterProvider(metric_readers=[self.reader])
        self.telemetry = Telemetry(self.tracer_provider, self.meter_provider)

    def spans(self) -> list[ReadableSpan]:
        return list(self.exporter.get_finished_spans())

    def children(self, parent: ReadableSpan) -> list[ReadableSpan]:
        return [
            span
            for span in self.spans()
            if span.parent is not None and span.parent.span_id == parent.context.span_id
        ]

    def metrics(self) -> dict[str, list[Any]]:
        """Each metric's data points, by name."""
        found: dict[str, list[Any]] = {}
        data = self.reader.get_metrics_data()
        assert data is not None
        for resource in data.resource_metrics:
            for scope in resource.scope_metrics:
                for metric in scope.metrics:
                    found.setdefault(metric.name, []).extend(metric.data.data_points)
        return found


@pytest.fixture
def collected() -> Iterator[Collected]:
    found = Collected()
    yield found
    found.tracer_provider.shutdown()
    found.meter_provider.shutdown()


async def publish(kind: str, video_id: int, **options: Any) -> VideoDetail:
    """One publish through a fresh client of ``kind``."""
    if kind == "sync":

        def run() -> VideoDetail:
            with Studio(**options) as studio:
                return studio.videos.publish(video_id)

        return await anyio.to_thread.run_sync(run)
    async with AsyncStudio(**options) as studio:
        return await studio.videos.publish(video_id)


def only(spans: list[ReadableSpan], name: str) -> ReadableSpan:
    named = [span for span in spans if span.name == name]
    assert len(named) == 1, [span.name for span in spans]
    return named[0]


@pytest.mark.anyio
async def test_a_retried_publish_is_one_call_span_with_its_attempts_under_it(
    kind: str, sandbox: Sandbox, sandbox_url: str, collected: Collected
) -> None:
    sandbox.inject(Fault.status(503))
    video_id = sandbox.draft_ids[0]

    await publish(
        kind,
        video_id,
        api_key=SANDBOX_API_KEY,
        base_url=sandbox_url,
        retry_policy=FAST,
        telemetry=collected.telemetry,
    )

    call = only(collected.spans(), "publish-create")
    assert call.parent is None
    assert call.kind is trace.SpanKind.INTERNAL
    assert call.attributes is not None
    assert call.attributes["aisquare_studio.operation"] == "publish-create"
    assert call.attributes["aisquare_studio.attempts"] == 2
    assert call.attributes["http.response.status_code"] == 200
    assert call.status.status_code is trace.StatusCode.UNSET
    first, second = sorted(collected.children(call), key=lambda span: span.start_time or 0)
    assert len(collected.spans()) == 3
    port = int(sandbox_url.rsplit(":", 1)[1])
    for attempt in (first, second):
        assert attempt.name == PUBLISH
        assert attempt.kind is trace.SpanKind.CLIENT
        assert attempt.context.trace_id == call.context.trace_id
        attributes = dict(attempt.attributes or {})
        assert attributes["http.request.method"] == "POST"
        assert attributes["url.full"] == f"{sandbox_url}/api/v1/videos/{video_id}/publish/"
        assert attributes["url.template"] == "/api/v1/videos/{video_id}/publish/"
        assert (attributes["server.address"], attributes["server.port"]) == ("127.0.0.1", port)
        assert str(attributes["aisquare_studio.request_id"]).startswith("req_")
    one, two = dict(first.attributes or {}), dict(second.attributes or {})
    assert one["http.response.status_code"] == 503
    assert one["error.type"] == "503"
    assert float(one["aisquare_studio.retry.delay"]) > 0  # type: ignore[arg-type]
    assert "http.request.resend_count" not in one
    assert first.status.status_code is trace.StatusCode.ERROR
    assert two["http.response.status_code"] == 200
    assert two["http.request.resend_count"] == 1
    assert "error.type" not in two
    assert "aisquare_studio.retry.delay" not in two
    assert one["aisquare_studio.request_id"] != two["aisquare_studio.request_id"]


@pytest.mark.anyio
async def test_calls_attempts_retries_and_durations_are_metrics(
    kind: str, sandbox: Sandbox, sandbox_url: str, collected: Collected
) -> None:
    sandbox.inject(Fault.status(502))
    options: dict[str, Any] = {
        "api_key": SANDBOX_API_KEY,
        "base_url": sandbox_url,
        "retry_policy": FAST,
        "telemetry": collected.telemetry,
    }

    await publish(kind, sandbox.draft_ids[0], **options)
    with pytest.raises(NotFoundError):
        await publish(kind, 999_999, **options)

    metrics = collected.metrics()
    calls = {
        p.attributes.get("error.type"): p.value for p in metrics["aisquare_studio.client.calls"]
    }
    assert calls == {None: 1, "aisquare_studio.NotFoundError": 1}
    attempts = {
        p.attributes["http.response.status_code"]: p.value
        for p in metrics["aisquare_studio.client.attempts"]
    }
    assert attempts == {502: 1, 200: 1, 404: 1}
    retries = metrics["aisquare_studio.client.retries"]
    assert [(p.attributes["http.response.status_code"], p.value) for p in retries] == [(502, 1)]
    durations = metrics["http.client.request.duration"]
    assert sorted(p.attributes["http.response.status_code"] for p in durations) == [200, 404, 502]
    assert all(p.count == 1 and p.sum >= 0 for p in durations)
    assert all(p.attributes["http.request.method"] == "POST" for p in durations)
    # The semantic conventions' bucket boundaries, in seconds.
    assert list(durations[0].explicit_bounds)[:3] == [0.005, 0.01, 0.025]
    call_durations = metrics["aisquare_studio.client.call.duration"]
    assert sum(p.count for p in call_durations) == 2


@pytest.mark.anyio
async def test_a_failed_call_says_why_on_its_span(
    kind: str, sandbox_url: str, collected: Collected
) -> None:
    with pytest.raises(NotFoundError):
        await publish(
            kind,
            999_999,
            api_key=SANDBOX_API_KEY,
            base_url=sandbox_url,
            telemetry=collected.telemetry,
        )

    call = only(collected.spans(), "publish-create")
    assert call.status.status_code is trace.StatusCode.ERROR
    assert (call.attributes or {})["error.type"] == "aisquare_studio.NotFoundError"
    assert (call.attributes or {})["http.response.status_code"] == 404
    assert [event.name for event in call.events] == ["exception"]
    (attempt,) = collected.children(call)
    assert (attempt.attributes or {})["error.type"] == "404"


@pytest.mark.anyio
async def test_an_attempt_that_lost_its_connection_names_the_error(
    kind: str, collected: Collected
) -> None:
    with FaultServer(reset()) as server:
        await publish(
            kind,
            101,
            api_key=SANDBOX_API_KEY,
            base_url=server.url,
            retry_policy=FAST,
            telemetry=collected.telemetry,
        )

    call = only(collected.spans(), "publish-create")
    first, second = sorted(collected.children(call), key=lambda span: span.start_time or 0)
    lost = dict(first.attributes or {})
    assert str(lost["error.type"]).startswith("httpx.")
    assert "http.response.status_code" not in lost
    assert "aisquare_studio.request_id" not in lost
    assert (second.attributes or {})["http.response.status_code"] == 200


class Instrumented(httpx.AsyncBaseTransport, httpx.BaseTransport):
    """What an httpx instrumentation does below the SDK: a span around each request it sends."""

    def __init__(self, inner: Any, tracer: trace.Tracer) -> None:
        self.inner = inner
        self.tracer = tracer

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        with self.tracer.start_as_current_span("httpx", kind=trace.SpanKind.CLIENT):
            response: httpx.Response = self.inner.handle_request(request)
            return response

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        with self.tracer.start_as_current_span("httpx", kind=trace.SpanKind.CLIENT):
            response: httpx.Response = await self.inner.handle_async_request(request)
            return response


@pytest.mark.anyio
async def test_an_application_span_holds_the_call_and_instrumentation_below_nests(
    kind: str, sandbox: Sandbox, collected: Collected
) -> None:
    sandbox.inject(Fault.status(503))
    tracer = collected.tracer_provider.get_tracer("app")
    transport = Instrumented(sandbox.transport(), tracer)
    options: dict[str, Any] = {
        "api_key": SANDBOX_API_KEY,
        "base_url": "http://sandbox.localhost",
        "retry_policy": FAST,
        "telemetry": collected.telemetry,
        "transport": transport,
    }

    if kind == "sync":

        def run() -> None:
            with tracer.start_as_current_span("handler"), Studio(**options) as studio:
                studio.videos.publish(sandbox.draft_ids[0])

        await anyio.to_thread.run_sync(run)
    else:
        with tracer.start_as_current_span("handler"):
            async with AsyncStudio(**options) as studio:
                await studio.videos.publish(sandbox.draft_ids[0])

    handler = only(collected.spans(), "handler")
    (call,) = collected.children(handler)
    assert call.name == "publish-create"
    attempts = collected.children(call)
    assert [span.name for span in attempts] == [PUBLISH, PUBLISH]
    # Each of the instrumentation's spans is under the attempt it belongs to, not a new root.
    assert [[span.name for span in collected.children(a)] for a in attempts] == [["httpx"]] * 2


@pytest.mark.anyio
async def test_no_span_or_metric_holds_the_key(
    kind: str, sandbox: Sandbox, sandbox_url: str, collected: Collected
) -> None:
    sandbox.inject(Fault.status(503, headers={"X-Request-Id": f"echo {SANDBOX_API_KEY}"}))

    await publish(
        kind,
        sandbox.draft_ids[0],
        api_key=SANDBOX_API_KEY,
        base_url=sandbox_url,
        retry_policy=FAST,
        telemetry=collected.telemetry,
    )

    spans = collected.spans()
    assert len(spans) == 3
    recorded = [span.to_json() for span in spans] + [repr(collected.metrics())]
    assert not [text for text in recorded if SANDBOX_API_KEY in text]
    assert not [text for text in recorded if "authorization" in text.lower()]


def test_url_full_has_no_credentials_or_signatures() -> None:
    url = httpx.URL("https://user:pw@api.example/v1/x?page=2&Signature=abc&sig=def")

    assert full_url(url) == "https://api.example/v1/x?page=2&Signature=REDACTED&sig=REDACTED"
    assert full_url(httpx.URL("https://api.example/v1/x?page=2")) == (
        "https://api.example/v1/x?page=2"
    )


def test_error_type_is_the_status_or_the_public_class_name() -> None:
    assert error_type(httpx.Response(503)) == "503"
    assert error_type(httpx.Response(200)) is None
    assert error_type(httpx.ConnectError("refused")) == "httpx.ConnectError"
    assert error_type(StudioError("closed")) == "aisquare_studio.StudioError"
    assert error_type(ValueError("x")) == "ValueError"


def test_telemetry_takes_true_false_or_a_telemetry() -> None:
    with pytest.raises(TypeError, match="telemetry must be True, False or a Telemetry"):
        Studio(api_key="k", telemetry="yes")  # type: ignore[arg-type]


def _run(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_opentelemetry_is_imported_only_by_a_client_with_telemetry() -> None:
    out = _run(
        """
        import sys
        import aisquare_studio
        from aisquare_studio import AsyncStudio, Studio
        Studio(api_key="k").close()
        AsyncStudio(api_key="k")
        print(any(name.startswith("opentelemetry") for name in sys.modules))
        Studio(api_key="k", telemetry=True).close()
        print("opentelemetry.trace" in sys.modules)
        """
    )
    assert out.split() == ["False", "True"]


def test_telemetry_without_opentelemetry_says_which_extra_to_install() -> None:
    out = _run(
        """
        import sys
        sys.modules["opentelemetry"] = None  # as if the otel extra were not installed
        from aisquare_studio import Studio, StudioError
        try:
            Studio(api_key="k", telemetry=True)
        except StudioError as exc:
            print(exc)
        """
    )
    assert "pip install 'aisquare-studio[otel]'" in out


@pytest.mark.anyio
async def test_telemetry_on_the_global_providers_reaches_spans_set_later() -> None:
    # A fresh process: the global tracer provider can be set once per process.
    out = await anyio.to_thread.run_sync(
        _run,
        """
        from opentelemetry import trace
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import SimpleSpanProcessor
        from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
        from aisquare_studio import Studio
        from aisquare_studio.sandbox import SANDBOX_API_KEY, Sandbox

        sandbox = Sandbox()
        studio = Studio(
            api_key=SANDBOX_API_KEY,
            base_url="http://sandbox.localhost",
            transport=sandbox.transport(),
            telemetry=True,
        )
        exporter = InMemorySpanExporter()
        provider = TracerProvider()
        provider.add_span_processor(SimpleSpanProcessor(exporter))
        trace.set_tracer_provider(provider)  # after the client was built
        with studio:
            studio.videos.publish(sandbox.draft_ids[0])
        print(sorted(span.name for span in exporter.get_finished_spans()))
        """,
    )
    assert out == "['POST /api/v1/videos/{video_id}/publish/', 'publish-create']"


@pytest.mark.parametrize("anyio_backend", ["asyncio", "trio"])
@pytest.mark.anyio
async def test_a_cancelled_call_ends_its_spans(collected: Collected) -> None:
    arrived = threading.Event()

    def stall_once_arrived(conn: socket.socket) -> bool:
        arrived.set()
        return stall()(conn)

    with FaultServer(stall_once_arrived) as server:
        async with AsyncStudio(
            api_key=SANDBOX_API_KEY, base_url=server.url, telemetry=collected.telemetry
        ) as studio:
            with anyio.CancelScope() as scope:

                async def cancel_once_sent() -> None:
                    assert await anyio.to_thread.run_sync(arrived.wait, 30)
                    scope.cancel()

                async with anyio.create_task_group() as group:
                    group.start_soon(cancel_once_sent)
                    await studio.videos.publish(101)
            assert scope.cancelled_caught

    call = only(collected.spans(), "publish-create")
    assert call.status.status_code is trace.StatusCode.ERROR
    (attempt,) = collected.children(call)
    assert (attempt.attributes or {})["error.type"] == "cancelled"
    assert attempt.end_time is not None
