"""Load and lifecycle: many concurrent calls, cancellation at any point, no leaks."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Literal

import anyio
import httpx
import pytest

from aisquare_studio import AsyncStudio, RetryPolicy, Studio, StudioError
from aisquare_studio._config import DEFAULT_LIMITS
from aisquare_studio.sandbox import SANDBOX_API_KEY, Fault, Sandbox, SandboxServer
from tools.reliability import memory_growth

asyncio_only = pytest.mark.parametrize("anyio_backend", ["asyncio"])


@pytest.fixture
def server(sandbox: Sandbox) -> Iterator[SandboxServer]:
    with sandbox.serve() as served:
        yield served


@asyncio_only
@pytest.mark.anyio
@pytest.mark.parametrize("pool", ["httpx", "aiohttp"])
async def test_concurrent_publishes_all_succeed_through_a_bounded_pool(
    sandbox: Sandbox, server: SandboxServer, pool: Literal["httpx", "aiohttp"]
) -> None:
    ids = sandbox.draft_ids
    async with AsyncStudio(api_key=SANDBOX_API_KEY, base_url=server.url, transport=pool) as studio:
        results = await asyncio.gather(
            *(studio.videos.publish(ids[n % len(ids)]) for n in range(150)),
            return_exceptions=True,
        )

    assert [r for r in results if isinstance(r, BaseException)] == []
    assert len(sandbox.requests) == 150
    assert server.peak_connections <= 100 == DEFAULT_LIMITS.max_connections


def one_connection() -> httpx.AsyncHTTPTransport:
    # With a single connection, a call that failed to give it back would starve the next one.
    return httpx.AsyncHTTPTransport(limits=httpx.Limits(max_connections=1))


@pytest.mark.anyio
@pytest.mark.parametrize("where", ["mid-request", "mid-backoff"])
async def test_a_cancelled_call_gives_its_connection_back(
    sandbox: Sandbox, sandbox_url: str, where: str
) -> None:
    policy = RetryPolicy(initial_delay=5.0, max_delay=5.0, budget=None)
    async with AsyncStudio(
        api_key=SANDBOX_API_KEY,
        base_url=sandbox_url,
        transport=one_connection(),
        retry_policy=policy,
        timeout=10,
    ) as studio:
        for _ in range(5):
            sandbox.inject(Fault.delay(5.0) if where == "mid-request" else Fault.status(503))
            with anyio.move_on_after(0.1) as scope:
                await studio.videos.publish(101)
            assert scope.cancelled_caught
        with anyio.fail_after(5):
            video = await studio.videos.publish(102)

    assert video.is_draft is False
    assert len(sandbox.requests) == 6  # a cancelled backoff never sends its retry


@asyncio_only
@pytest.mark.anyio
async def test_asyncio_task_cancel_and_wait_for_end_calls_cleanly(
    sandbox: Sandbox, sandbox_url: str
) -> None:
    async with AsyncStudio(
        api_key=SANDBOX_API_KEY, base_url=sandbox_url, transport=one_connection()
    ) as studio:
        sandbox.inject(Fault.delay(5.0))
        task = asyncio.ensure_future(studio.videos.publish(101))
        await asyncio.sleep(0.1)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

        sandbox.inject(Fault.delay(5.0))
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(studio.videos.publish(101), timeout=0.1)

        video = await asyncio.wait_for(studio.videos.publish(103), timeout=5)
    assert video.is_draft is False


@pytest.mark.anyio
async def test_a_cancel_scope_ends_a_call_under_either_backend(
    sandbox: Sandbox, sandbox_url: str
) -> None:
    async with AsyncStudio(
        api_key=SANDBOX_API_KEY, base_url=sandbox_url, transport=one_connection()
    ) as studio:
        sandbox.inject(Fault.delay(5.0))
        with anyio.CancelScope() as scope:
            async with anyio.create_task_group() as group:
                group.start_soon(studio.videos.publish, 101)
                await anyio.sleep(0.1)
                scope.cancel()
        with anyio.fail_after(5):
            assert (await studio.videos.publish(104)).is_draft is False


def test_sequential_calls_with_failures_reuse_connections(
    sandbox: Sandbox, server: SandboxServer
) -> None:
    policy = RetryPolicy(initial_delay=0.001, max_delay=0.001, budget=None)
    ids = sandbox.draft_ids
    with Studio(api_key=SANDBOX_API_KEY, base_url=server.url, retry_policy=policy) as studio:
        for n in range(200):
            if n % 10 == 0:
                sandbox.inject(Fault.status(503))
            if n % 50 == 0:
                sandbox.inject(Fault.drop())
            studio.videos.publish(ids[n % len(ids)])
        assert server.open_connections == 1

    assert len(sandbox.requests) == 200 + 20 + 4
    # One connection, plus one more after each of the 4 drops: nothing piles up.
    assert server.connections_accepted <= 1 + 4
    assert server.peak_connections <= 2


def test_memory_is_flat_over_calls_with_failures_and_no_resource_warning() -> None:
    # `make reliability` runs the same measure over 2,000 calls for docs/retries.md.
    grown, resource_warnings = memory_growth(800)
    assert resource_warnings == 0
    assert grown < 64 * 1024  # bytes kept after warm-up, over 600 more calls


def test_the_default_pool_is_bounded() -> None:
    assert DEFAULT_LIMITS.max_connections == 100
    studio = Studio(api_key="k", base_url="http://127.0.0.1:9")
    studio.close()
    with pytest.raises(StudioError, match="closed"):
        studio.videos.publish(1)
