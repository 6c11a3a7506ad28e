"""Every exchange the tests make is checked against the spec; conftest.py wires this in.

The spec is the patched one the SDK ships (tests/spec_validation.py says why).

Two doors lead every exchange here: the ``sandbox`` fixture is a ``SpecCheckedSandbox`` (its
``handle()`` sees every request and answer, in process and over loopback), and unit tests wrap
the transport they put under the SDK in ``spec_checked(...)``. The rules of what counts as a
violation are ``check_exchange``'s, in spec_validation.py. A violation fails the test that made
it, naming the path in the document. A test that breaks the spec on purpose says so with
``@pytest.mark.spec_violation("why")``: its violations are expected, counted and shown, and the
marker fails the test if nothing broke the spec (a stale opt-out hides nothing).
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Mapping
from typing import Any

import httpx
from openapi_core import OpenAPI

from aisquare_studio.sandbox import Sandbox
from aisquare_studio.sandbox._exchange import Dropped, Outcome
from tests.spec_validation import check_exchange, openapi_for

MARKER = "spec_violation"
# Requests reaching the sandbox carry only a target; the validator needs some origin.
_SANDBOX_ORIGIN = "http://sandbox.test"
# Summary lines, in print order: counter key -> what it counts.
COUNTS = {
    "validated": "validated against a response the spec declares",
    "error-shape": "undeclared error statuses checked as DRF error bodies",
    "unchecked-error-body": "undeclared error statuses with a non-JSON body, left unchecked",
    "no-response": "dropped or timed out: request checked, no response",
}


class Ledger:
    """Session counts, and the violations of the test running now. Thread-safe: the loopback
    sandbox answers from server threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.counts: Counter[str] = Counter()
        self._test: str | None = None
        self._violations: list[str] = []
        self._exchanges = 0

    def begin(self, nodeid: str) -> None:
        with self._lock:
            self._test, self._violations, self._exchanges = nodeid, [], 0

    def record(
        self,
        request: httpx.Request,
        response: httpx.Response | None,
        openapi: OpenAPI | None = None,
    ) -> None:
        verdict, problems = check_exchange(request, response, openapi)
        status = "no response" if response is None else f"HTTP {response.status_code}"
        with self._lock:
            self.counts[verdict] += 1
            self._exchanges += 1
            self._violations += [
                f"{request.method} {request.url.raw_path.decode()} -> {status}: {problem}"
                for problem in problems
            ]

    def add(self, key: str, amount: int = 1) -> None:
        with self._lock:
            self.counts[key] += amount

    def merge(self, counts: Mapping[str, int]) -> None:
        with self._lock:
            self.counts.update(counts)

    def violations(self) -> list[str]:
        with self._lock:
            return list(self._violations)

    def judge(self, expected_reason: str | None) -> str | None:
        """Why the current test fails on spec grounds, or None."""
        with self._lock:
            violations, exchanges = list(self._violations), self._exchanges
            if expected_reason is not None:
                self.counts["expected violations"] += len(violations)
                self.counts["spec_violation tests"] += 1
        if expected_reason is None and violations:
            return "exchanges break the spec:\n" + "\n".join(violations)
        if expected_reason is not None and not violations:
            return (
                f"marked spec_violation({expected_reason!r}), but all {exchanges} exchanges "
                "conform to the spec: remove the marker"
            )
        return None

    def summary(self) -> list[str]:
        with self._lock:
            counts = Counter(self.counts)
        total = sum(counts[key] for key in COUNTS)
        lines = [f"spec-validated exchanges: {total}"]
        lines += [f"  {counts[key]:>6}  {meaning}" for key, meaning in COUNTS.items()]
        lines.append(
            f"  {counts['expected violations']:>6}  expected violations, in "
            f"{counts['spec_violation tests']} tests marked spec_violation"
        )
        if counts["generated bodies"]:
            lines.append(f"generated VideoDetail bodies parsed: {counts['generated bodies']}")
        return lines


LEDGER = Ledger()


class SpecCheckedSandbox(Sandbox):
    """A sandbox whose every exchange, through either transport, is checked against the spec.

    With ``spec``, the sandbox answers that document and is checked against it too.
    """

    def __init__(self, spec: Any = None) -> None:
        super().__init__(spec)
        self._openapi = None if spec is None else openapi_for(self.spec)

    def handle(self, method: str, target: str, headers: dict[str, str], body: bytes) -> Outcome:
        outcome = super().handle(method, target, headers, body)
        request = httpx.Request(method, _SANDBOX_ORIGIN + target, headers=headers, content=body)
        response = None
        if not isinstance(outcome, Dropped):
            response = httpx.Response(
                outcome.status, headers=list(outcome.headers), content=outcome.body
            )
        LEDGER.record(request, response, self._openapi)
        return outcome


class SpecChecked(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Wraps a transport (sync, async or both) and checks each exchange through it."""

    def __init__(self, inner: httpx.BaseTransport | httpx.AsyncBaseTransport) -> None:
        self.inner = inner

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        assert isinstance(self.inner, httpx.BaseTransport), "a sync client needs a sync transport"
        request.read()
        try:
            response = self.inner.handle_request(request)
        except httpx.TransportError:
            LEDGER.record(request, None)
            raise
        response.read()
        LEDGER.record(request, response)
        return response

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        assert isinstance(self.inner, httpx.AsyncBaseTransport), "async clients need async ones"
        await request.aread()
        try:
            response = await self.inner.handle_async_request(request)
        except httpx.TransportError:
            LEDGER.record(request, None)
            raise
        await response.aread()
        LEDGER.record(request, response)
        return response

    def close(self) -> None:
        if isinstance(self.inner, httpx.BaseTransport):
            self.inner.close()

    async def aclose(self) -> None:
        if isinstance(self.inner, httpx.AsyncBaseTransport):
            await self.inner.aclose()


def spec_checked(transport: httpx.BaseTransport | httpx.AsyncBaseTransport) -> SpecChecked:
    """``transport``, with every exchange through it checked against the spec."""
    return SpecChecked(transport)
