"""The connection pool a client and its ``with_options`` copies share, and its lifetime."""

from __future__ import annotations

import logging
from collections.abc import Callable

import anyio.lowlevel
import httpx

from ._budget import BudgetState, RetryBudget
from ._errors import StudioError

logger = logging.getLogger("aisquare_studio")

CLOSED = "This client is closed: create a new Studio or AsyncStudio"


class Pool:
    """The innermost transport, shared by a client and its ``with_options`` copies, whether it
    has been closed (closing any of them closes it for all), and their retry budget."""

    def __init__(self, transport: httpx.BaseTransport | httpx.AsyncBaseTransport) -> None:
        self.transport = transport
        self.closed = False
        self._budgets: dict[RetryBudget, BudgetState] = {}

    def budget(self, budget: RetryBudget | None) -> BudgetState | None:
        """The level of ``budget``, shared by every copy of the client that uses the same one."""
        if budget is None:
            return None
        return self._budgets.setdefault(budget, BudgetState(budget))

    def ensure_open(self) -> None:
        if self.closed:
            raise StudioError(CLOSED)


class LoopBoundTransport(httpx.AsyncBaseTransport):
    """An async connection pool per event loop.

    Connections belong to the loop that opened them; reused under another loop (a second
    ``asyncio.run()``, say) they fail with "Event loop is closed". So when calls arrive from a new
    loop, a fresh pool serves them. The old loop's connections cannot be closed once that loop
    is gone: close the client before its loop ends (``async with``) to release them.
    """

    def __init__(self, factory: Callable[[], httpx.AsyncBaseTransport]) -> None:
        self._factory = factory
        self._loop: object = None
        self._transport: httpx.AsyncBaseTransport | None = None
        self._closed = False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self._current().handle_async_request(request)

    def _current(self) -> httpx.AsyncBaseTransport:
        if self._closed:
            raise StudioError(CLOSED)
        loop = anyio.lowlevel.current_token()
        if self._transport is None or loop != self._loop:
            if self._transport is not None:
                logger.debug("New event loop: opening a new connection pool")
            self._transport, self._loop = self._factory(), loop
        return self._transport

    async def aclose(self) -> None:
        self._closed = True
        transport, self._transport = self._transport, None
        # Closing a pool from another loop would touch sockets of a loop that may be closed.
        if transport is not None and anyio.lowlevel.current_token() == self._loop:
            await transport.aclose()
