"""The shared pool: it follows the event loop it is used in, and never crosses a fork."""

from __future__ import annotations

import asyncio
import dataclasses
import gc
import json
import logging
import os
import sys
import threading
import warnings
from collections.abc import Callable
from typing import Any

import anyio
import anyio.from_thread
import httpx
import pytest
import trio

from aisquare_studio import AsyncStudio, RetryPolicy, Studio, StudioError
from aisquare_studio._pool import CLOSED, Pool
from aisquare_studio._sockets import Sockets
from aisquare_studio.sandbox import SANDBOX_API_KEY, Sandbox
from tests.clients import KINDS, backend_for_kind, client_options
from tests.relays import SilentServer

# Each client kind with the event loop it runs under (the sync client runs in a worker thread).
EVERY_KIND = pytest.mark.parametrize(
    ("kind", "anyio_backend"), [(kind, backend_for_kind(kind)) for kind in KINDS]
)
# The async kinds: AsyncStudio under asyncio and trio, and on aiohttp's pool (asyncio).
ASYNC_KINDS = pytest.mark.parametrize(
    ("kind", "anyio_backend"),
    [(kind, backend_for_kind(kind)) for kind in KINDS if kind != "sync"],
)
# The SDK's own pools an AsyncStudio under asyncio can build.
ASYNCIO_POOLS = pytest.mark.parametrize("pool", ["httpx", "aiohttp"])


class CountingTransport(httpx.AsyncBaseTransport):
    def __init__(self, opened: list[CountingTransport]) -> None:
        opened.append(self)
        self.closed = False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return httpx.Response(200)

    async def aclose(self) -> None:
        self.closed = True


def make(opened: list[CountingTransport]) -> Pool:
    def build(sockets: Sockets) -> CountingTransport:
        return CountingTransport(opened)

    return Pool(build=build)


async def send(transport: Pool, times: int = 1) -> None:
    for _ in range(times):
        await transport.handle_async_request(httpx.Request("GET", "https://api.example/"))


def test_one_pool_serves_every_call_in_one_loop() -> None:
    opened: list[CountingTransport] = []
    asyncio.run(send(make(opened), times=3))
    assert len(opened) == 1


def test_each_new_loop_gets_a_new_pool_asyncio_or_trio() -> None:
    opened: list[CountingTransport] = []
    transport = make(opened)
    asyncio.run(send(transport))
    trio.run(send, transport)
    asyncio.run(send(transport))
    assert len(opened) == 3


def test_closing_in_the_pools_loop_closes_it() -> None:
    opened: list[CountingTransport] = []
    transport = make(opened)

    async def use_then_close() -> None:
        await send(transport)
        await transport.aclose()

    asyncio.run(use_then_close())
    assert opened[0].closed


def test_closing_from_another_loop_leaves_the_dead_loops_sockets_alone() -> None:
    opened: list[CountingTransport] = []
    transport = make(opened)
    asyncio.run(send(transport))
    asyncio.run(transport.aclose())
    assert not opened[0].closed


# --- forked processes ----------------------------------------------------------------------
#
# Gunicorn with preload, Celery prefork and multiprocessing fork after clients are built. The
# sandbox server's threads make this a multi-threaded fork, as in those servers: Python 3.12+
# warns about it, which is the situation under test, not a defect of it.
forking = pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")


def in_child(work: Callable[[], object]) -> object:
    """Run ``work`` in a forked child and return what it returned (or raise what it raised,
    as a RuntimeError naming it). The child never returns into pytest."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child process
        os.close(read_end)
        try:
            outcome = {"ok": work()}
        except BaseException as exc:  # noqa: BLE001 - everything, reported to the parent
            outcome = {"error": f"{type(exc).__name__}: {exc}"}
        with os.fdopen(write_end, "w") as pipe:
            json.dump(outcome, pipe)
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        report = json.load(pipe)
    os.waitpid(pid, 0)
    if "error" in report:
        raise RuntimeError(report["error"])
    return report["ok"]


@forking
def test_a_forked_child_never_shares_the_parents_connection(sandbox: Sandbox) -> None:
    with sandbox.serve() as server, Studio(api_key=SANDBOX_API_KEY, base_url=server.url) as studio:
        assert studio.videos.publish(101).id == 101
        assert server.connections_accepted == 1  # one pooled keep-alive connection

        def child() -> list[int]:
            return [studio.videos.publish(video_id).id for video_id in (102, 103, 104)]

        assert in_child(child) == [102, 103, 104]
        assert server.connections_accepted == 2  # the child opened its own
        assert [studio.videos.publish(video_id).id for video_id in (105, 106)] == [105, 106]
        assert server.connections_accepted == 2  # the parent kept its connection


@forking
def test_parent_and_child_publishing_at_once_each_get_their_own_answers(
    sandbox: Sandbox,
) -> None:
    ids = sandbox.draft_ids
    with sandbox.serve() as server, Studio(api_key=SANDBOX_API_KEY, base_url=server.url) as studio:
        studio.videos.publish(ids[0])

        def child() -> list[bool]:
            return [studio.videos.publish(ids[n % 2]).id == ids[n % 2] for n in range(40)]

        done: list[bool] = []
        thread = threading.Thread(
            target=lambda: done.extend(
                studio.videos.publish(ids[2 + n % 2]).id == ids[2 + n % 2] for n in range(40)
            )
        )
        thread.start()
        assert in_child(child) == [True] * 40
        thread.join()
        assert done == [True] * 40


@forking
@ASYNCIO_POOLS
def test_a_forked_async_client_opens_its_own_connections(sandbox: Sandbox, pool: str) -> None:
    with sandbox.serve() as server:
        studio = AsyncStudio(api_key=SANDBOX_API_KEY, base_url=server.url, transport=pool)  # type: ignore[arg-type]

        async def publish(video_id: int) -> int:
            return (await studio.videos.publish(video_id)).id

        async def publish_and_close(video_id: int) -> int:
            try:
                return await publish(video_id)
            finally:
                await studio.aclose()

        with anyio.from_thread.start_blocking_portal() as portal:
            assert portal.call(publish, 101) == 101
            assert in_child(lambda: anyio.run(publish_and_close, 102)) == 102
            assert server.connections_accepted == 2
            assert portal.call(publish_and_close, 103) == 103
        assert server.connections_accepted == 2


@forking
def test_a_forked_child_leaves_the_parents_aiohttp_session_alone(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Collected in the child, the parent's session would be closed through the parent's event
    # loop, and every forked worker would warn and log "Unclosed client session".
    logged: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: logged.append(record.getMessage())  # type: ignore[method-assign]
    monkeypatch.setattr(sys, "unraisablehook", lambda raised: logged.append(str(raised.exc_value)))
    with sandbox.serve() as server:
        studio = AsyncStudio(api_key=SANDBOX_API_KEY, base_url=server.url, transport="aiohttp")

        async def publish(video_id: int) -> int:
            return (await studio.videos.publish(video_id)).id

        async def publish_and_close(video_id: int) -> int:
            try:
                return await publish(video_id)
            finally:
                await studio.aclose()

        def child() -> list[object]:
            published = anyio.run(publish_and_close, 102)
            gc.collect()
            return [published, logged]

        logging.getLogger("asyncio").addHandler(handler)
        try:
            with warnings.catch_warnings(), anyio.from_thread.start_blocking_portal() as portal:
                warnings.simplefilter("error", ResourceWarning)
                assert portal.call(publish, 101) == 101
                assert in_child(child) == [102, []]
                assert portal.call(publish_and_close, 103) == 103
        finally:
            logging.getLogger("asyncio").removeHandler(handler)
        assert server.connections_accepted == 2


@forking
def test_a_forked_child_refuses_a_transport_it_was_given(sandbox: Sandbox) -> None:
    given = sandbox.transport()
    studio = Studio(api_key=SANDBOX_API_KEY, base_url="http://sandbox.localhost", transport=given)
    async_studio = AsyncStudio(
        api_key=SANDBOX_API_KEY, base_url="http://sandbox.localhost", transport=given
    )

    def child() -> list[str]:
        refusals = []
        try:
            studio.videos.publish(101)
        except StudioError as error:
            refusals.append(str(error))
        try:
            anyio.run(async_studio.videos.publish, 101)
        except StudioError as error:
            refusals.append(str(error))
        return refusals

    refusals = in_child(child)
    assert isinstance(refusals, list)
    assert len(refusals) == 2
    assert all("before os.fork()" in refusal and "in the child" in refusal for refusal in refusals)
    assert sandbox.requests == []
    assert studio.videos.publish(101).id == 101  # the parent goes on with it


# --- closing with calls in flight ----------------------------------------------------------


@pytest.mark.anyio
@ASYNC_KINDS
async def test_aclose_ends_every_call_in_flight_before_it_returns(kind: str) -> None:
    with SilentServer() as server:
        studio = AsyncStudio(**client_options(kind, api_key=SANDBOX_API_KEY, base_url=server.url))
        outcomes: list[BaseException] = []

        async def publish() -> None:
            try:
                await studio.videos.publish(101)
            except StudioError as error:
                outcomes.append(error)

        async with anyio.create_task_group() as group:
            for _ in range(100):
                group.start_soon(publish)
            await anyio.to_thread.run_sync(server.wait_for, 100)  # all 100 waiting for answers
            await studio.aclose()
            # Every call was cancelled and its connection closed before aclose() returned.
            await anyio.to_thread.run_sync(lambda: server.wait_for(100, hung_up=100))

    assert {str(outcome) for outcome in outcomes} == {CLOSED}
    assert {type(outcome) for outcome in outcomes} == {StudioError}


def test_close_ends_sync_calls_in_other_threads_before_it_returns() -> None:
    with SilentServer() as server:
        studio = Studio(api_key=SANDBOX_API_KEY, base_url=server.url)
        outcomes: list[BaseException] = []

        def publish() -> None:
            try:
                studio.videos.publish(101)
            except StudioError as error:
                outcomes.append(error)

        threads = [threading.Thread(target=publish) for _ in range(8)]
        for thread in threads:
            thread.start()
        server.wait_for(8)
        studio.close()
        server.wait_for(8, hung_up=8)  # every connection closed by the time close() returned
        for thread in threads:
            thread.join(timeout=5)  # each call, woken, raises at once
        assert not any(thread.is_alive() for thread in threads)

    assert [str(outcome) for outcome in outcomes] == [CLOSED] * 8


@pytest.mark.anyio
@EVERY_KIND
async def test_closing_cuts_short_a_call_waiting_to_retry(kind: str) -> None:
    with SilentServer() as server:
        waiting = threading.Event()
        policy = RetryPolicy(initial_delay=60, max_delay=60, jitter=0, budget=None)
        policy = dataclasses.replace(policy, on_retry=lambda details: waiting.set())
        options: dict[str, Any] = {
            "api_key": SANDBOX_API_KEY,
            "base_url": server.url,
            "retry_policy": policy,
        }
        outcome: list[BaseException] = []
        with anyio.fail_after(30):  # the backoff is 60 s: only the close can end the call
            if kind == "sync":
                studio = Studio(timeout=0.2, **options)

                def publish() -> None:
                    try:
                        studio.videos.publish(101)
                    except StudioError as error:
                        outcome.append(error)

                thread = threading.Thread(target=publish)
                thread.start()
                await anyio.to_thread.run_sync(waiting.wait)
                studio.close()
                thread.join(timeout=10)  # far short of the 60 s backoff
                assert not thread.is_alive()
            else:
                async_studio = AsyncStudio(**client_options(kind, timeout=0.2, **options))

                async def publish_async() -> None:
                    try:
                        await async_studio.videos.publish(101)
                    except StudioError as error:
                        outcome.append(error)

                async with anyio.create_task_group() as group:
                    group.start_soon(publish_async)
                    await anyio.to_thread.run_sync(waiting.wait)
                    await async_studio.aclose()
                    assert outcome
        assert server.accepted == 1  # no retry went out after the close
    assert [str(error) for error in outcome] == [CLOSED]


# --- what the public API may not do to the shared pool -------------------------------------


def test_leaving_with_api_client_leaves_the_studio_open(sandbox: Sandbox, sandbox_url: str) -> None:
    with Studio(api_key=SANDBOX_API_KEY, base_url=sandbox_url) as studio:
        with studio.api_client as api_client:
            assert api_client is studio.api_client
        studio.api_client.get_httpx_client().close()
        assert not studio.is_closed
        assert studio.videos.publish(101).id == 101
        with pytest.raises(StudioError, match="another httpx client"):
            studio.api_client.set_httpx_client(httpx.Client())
    assert studio.is_closed


@pytest.mark.anyio
async def test_leaving_async_with_api_client_leaves_the_studio_open(
    sandbox: Sandbox, sandbox_url: str
) -> None:
    async with AsyncStudio(api_key=SANDBOX_API_KEY, base_url=sandbox_url) as studio:
        async with studio.api_client:
            pass
        await studio.api_client.get_async_httpx_client().aclose()
        assert not studio.is_closed
        assert (await studio.videos.publish(101)).id == 101
        with pytest.raises(StudioError, match="another httpx client"):
            studio.api_client.set_async_httpx_client(httpx.AsyncClient())


def test_an_httpx_pool_given_to_async_studio_refuses_a_second_event_loop(
    sandbox: Sandbox, sandbox_url: str
) -> None:
    transport = httpx.AsyncHTTPTransport()
    studio = AsyncStudio(api_key=SANDBOX_API_KEY, base_url=sandbox_url, transport=transport)

    async def publish_then_close() -> int:
        video = await studio.videos.publish(101)
        await transport.aclose()  # the caller's transport: the caller closes it
        return video.id

    assert asyncio.run(publish_then_close()) == 101
    with pytest.raises(StudioError, match="holds connections of another event loop"):
        asyncio.run(studio.videos.publish(102))
    assert len(sandbox.requests) == 1


# The first loop ends with its idle connection in the user's pool; when the garbage collector
# reaches it is a matter of allocation timing, so its ResourceWarning may surface here.
@pytest.mark.filterwarnings("ignore::ResourceWarning")
def test_a_wrapped_httpx_pool_under_a_second_event_loop_says_so(
    sandbox: Sandbox, sandbox_url: str
) -> None:
    class Logging(httpx.AsyncBaseTransport):
        def __init__(self) -> None:
            self.inner = httpx.AsyncHTTPTransport()

        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            return await self.inner.handle_async_request(request)

    studio = AsyncStudio(api_key=SANDBOX_API_KEY, base_url=sandbox_url, transport=Logging())
    assert asyncio.run(studio.videos.publish(101)).id == 101
    with pytest.raises(StudioError, match="holds connections of another event loop"):
        asyncio.run(studio.videos.publish(102))


def publish_from_four_loops_at_once(base_url: str, pool: str) -> list[list[int]]:
    """Four threads, each running its own event loop, publishing through one AsyncStudio."""
    studio = AsyncStudio(api_key=SANDBOX_API_KEY, base_url=base_url, transport=pool)  # type: ignore[arg-type]
    all_started = threading.Barrier(4)

    async def publish_many() -> list[int]:
        all_started.wait(timeout=30)  # the four loops run at the same time
        return [(await studio.videos.publish(101 + n % 6)).id for n in range(12)]

    results: list[list[int]] = []
    threads = [
        threading.Thread(target=lambda: results.append(asyncio.run(publish_many())))
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.mark.filterwarnings("ignore::ResourceWarning")  # each loop ends with its idle connection
@ASYNCIO_POOLS
def test_event_loops_running_at_once_in_threads_keep_a_pool_each(
    sandbox: Sandbox, pool: str
) -> None:
    with sandbox.serve() as server:
        results = publish_from_four_loops_at_once(server.url, pool)
        assert len(results) == 4
        assert all(ids == [101 + n % 6 for n in range(12)] for ids in results)
        assert server.connections_accepted == 4  # one per loop: none dropped for another's
    # The loops have ended with their idle connections: the garbage collector releases them
    # (with a ResourceWarning, filtered above), here rather than in some later test.
    gc.collect()
