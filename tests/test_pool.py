"""The async pool follows the event loop it is used in."""

from __future__ import annotations

import asyncio

import httpx
import trio

from aisquare_studio._pool import Pool
from aisquare_studio._sockets import Sockets


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
