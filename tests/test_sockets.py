"""An attempt's timeout and a call's deadline hold whatever the server does: a response dripped
a byte at a time trips no per-read timeout, so only a bound on the whole attempt stops it."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import anyio
import httpcore
import httpx
import pytest

from aisquare_studio import APITimeoutError, RetryPolicy
from aisquare_studio._backends import AsyncTrackedBackend, TrackedBackend
from aisquare_studio._config import DEFAULT_LIMITS
from aisquare_studio._connections import Connections
from aisquare_studio._sockets import Sockets
from tests.clients import KINDS, backend_for_kind, kind_param, publish_once
from tests.faultserver import FaultServer, drip, respond
from tests.relays import SilentServer

KEY = "aisq_test_key_for_sockets"
kind = pytest.fixture(params=KINDS, name="kind")(kind_param)
anyio_backend = pytest.fixture(name="anyio_backend")(backend_for_kind)

# The 3 kB body at this pace takes minutes; a bound on the attempt ends it within a second.
PACE = 0.02
NO_RETRY = RetryPolicy(max_retries=0, budget=None)


async def publish_through(kind: str, server: FaultServer, **options: Any) -> APITimeoutError:
    options = {"api_key": KEY, "base_url": server.url, "retry_policy": NO_RETRY} | options
    with anyio.fail_after(30), pytest.raises(APITimeoutError) as caught:
        await publish_once(kind, 101, **options)
    return caught.value


@pytest.mark.anyio
@pytest.mark.parametrize("headers_too", [False, True], ids=["body", "headers-and-body"])
async def test_a_dripped_response_ends_at_the_attempt_timeout(kind: str, headers_too: bool) -> None:
    with FaultServer(drip(PACE, headers_too=headers_too)) as server:
        error = await publish_through(kind, server, timeout=0.5)
    assert "the 0.5 s timeout per attempt was reached" in str(error)
    assert error.attempts == 1


@pytest.mark.anyio
async def test_a_dripped_response_ends_at_the_calls_deadline(kind: str) -> None:
    policy = RetryPolicy(deadline=1.0, initial_delay=0, max_delay=0, budget=None)
    with FaultServer(drip(PACE), drip(PACE), drip(PACE)) as server:
        error = await publish_through(kind, server, timeout=60, retry_policy=policy)
    assert "the call's 1 s deadline was reached" in str(error)


@pytest.mark.anyio
async def test_each_retry_gets_a_whole_attempt_timeout(kind: str) -> None:
    policy = RetryPolicy(max_retries=1, initial_delay=0, max_delay=0, budget=None)
    with FaultServer(drip(PACE), respond()) as server:
        with anyio.fail_after(30):
            video = await publish_once(
                kind, 101, api_key=KEY, base_url=server.url, retry_policy=policy, timeout=0.5
            )
        assert server.attempts == 2
    assert video.id == 101


class DrippingTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """A caller's transport whose body drips: the SDK's sockets are not involved."""

    def _response(self, stream: Any) -> httpx.Response:
        return httpx.Response(200, headers={"Content-Type": "application/json"}, stream=stream)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        class Body(httpx.SyncByteStream):
            def __iter__(self) -> Iterator[bytes]:
                for _ in range(10_000):
                    time.sleep(PACE)  # the server's pace
                    yield b" "

        return self._response(Body())

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        class Body(httpx.AsyncByteStream):
            async def __aiter__(self) -> AsyncIterator[bytes]:
                for _ in range(10_000):
                    await anyio.sleep(PACE)
                    yield b" "

        return self._response(Body())


@pytest.mark.anyio
async def test_a_callers_transport_is_bounded_by_the_attempt_timeout_too(kind: str) -> None:
    transport = DrippingTransport()
    with anyio.fail_after(30), pytest.raises(APITimeoutError, match=r"0\.5 s timeout per attempt"):
        await publish_once(
            kind,
            101,
            api_key=KEY,
            base_url="http://sandbox.localhost",
            transport=transport,
            retry_policy=NO_RETRY,
            timeout=0.5,
        )


def test_the_sdks_own_pools_send_through_tracked_sockets() -> None:
    # httpx offers no public way to hand httpcore a network backend; this fails if the private
    # place the SDK puts it (transport._pool._network_backend) moves in a new httpx.
    connections = Connections.build(
        "https://api.example", DEFAULT_LIMITS, proxy=None, verify=True, trust_env=False
    )
    sync = connections.sync_transport(Sockets())
    assert isinstance(sync._pool._network_backend, TrackedBackend)
    async_ = connections.async_transport(Sockets())
    assert isinstance(async_._pool._network_backend, AsyncTrackedBackend)


def test_a_connection_opened_after_close_is_closed_not_used() -> None:
    # A sync call can be inside connect() when close() runs: nothing can wake it, so the
    # connection it gets is closed at once instead of carrying the request.
    sockets = Sockets()
    backend = TrackedBackend(httpcore.SyncBackend(), sockets)
    sockets.shut_down()
    with SilentServer() as server:
        with pytest.raises(httpcore.ConnectError, match="closed while this connection"):
            backend.connect_tcp("127.0.0.1", server.port, timeout=5)
        server.wait_for(accepted=1, hung_up=1)


@pytest.mark.anyio
async def test_an_async_connection_opened_after_close_is_closed_not_used() -> None:
    sockets = Sockets()
    backend = AsyncTrackedBackend(httpcore.AnyIOBackend(), sockets)
    sockets.shut_down()
    with SilentServer() as server:
        with pytest.raises(httpcore.ConnectError, match="closed while this connection"):
            await backend.connect_tcp("127.0.0.1", server.port, timeout=5)
        await anyio.to_thread.run_sync(lambda: server.wait_for(accepted=1, hung_up=1))
