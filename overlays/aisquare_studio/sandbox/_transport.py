"""An in-process httpx transport, sync and async, that answers from a sandbox without sockets."""

from __future__ import annotations

import time

import anyio
import httpx

from ._exchange import Dropped, Handler, Outcome, Reply


class SandboxTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Serves requests from a sandbox in the calling thread or task.

    A delay longer than the request's read timeout waits out the timeout and raises
    ``httpx.ReadTimeout``, as a socket would; a drop raises ``httpx.RemoteProtocolError``.
    """

    def __init__(self, handle: Handler) -> None:
        self._handle = handle

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        outcome = self._outcome(request, request.read())
        wait, timed_out = _schedule(outcome, request)
        time.sleep(wait)
        return _deliver(outcome, request, timed_out)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        outcome = self._outcome(request, await request.aread())
        wait, timed_out = _schedule(outcome, request)
        await anyio.sleep(wait)
        return _deliver(outcome, request, timed_out)

    def _outcome(self, request: httpx.Request, body: bytes) -> Outcome:
        headers: dict[str, str] = {}
        for name, value in request.headers.multi_items():
            key = name.lower()
            headers[key] = f"{headers[key]}, {value}" if key in headers else value
        return self._handle(request.method, request.url.raw_path.decode("ascii"), headers, body)


def _schedule(outcome: Outcome, request: httpx.Request) -> tuple[float, bool]:
    """Seconds to wait before answering, and whether the read timeout runs out first."""
    delay = outcome.delay if isinstance(outcome, Reply) else 0.0
    timeout: float | None = request.extensions.get("timeout", {}).get("read")
    if timeout is not None and delay > timeout:
        return timeout, True
    return delay, False


def _deliver(outcome: Outcome, request: httpx.Request, timed_out: bool) -> httpx.Response:
    if timed_out:
        raise httpx.ReadTimeout("timed out", request=request)
    if isinstance(outcome, Dropped):
        raise httpx.RemoteProtocolError(
            "Server disconnected without sending a response.", request=request
        )
    return httpx.Response(
        outcome.status, headers=list(outcome.headers), content=outcome.body, request=request
    )
