"""The connections a client and its ``with_options`` copies share, and their lifetime: the calls
in flight, closing, forked processes and event loops.

Connections belong to one process and one event loop. After ``os.fork()`` a child that kept
using the parent's pooled sockets would share them with the parent, and the two could read each
other's responses; reused under another event loop they fail with "Event loop is closed". A pool
the SDK built from its recipe (``_connections.py``) is simply built again in either case. A
transport the caller gave cannot be rebuilt, so a forked child refuses to use it, and so does a
second event loop if it is httpx's own connection pool.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import os
import threading
import weakref
from collections.abc import Callable, Iterator
from types import TracebackType
from typing import TYPE_CHECKING

import httpx

from ._budget import BudgetState, RetryBudget
from ._errors import StudioError
from ._sockets import Sockets

if TYPE_CHECKING:
    # Imported where an async call needs them: the event loop running it has loaded them.
    import anyio

logger = logging.getLogger("aisquare_studio")

CLOSED = "This client is closed: create a new Studio or AsyncStudio"
FORKED = (
    "This client was given its transport before os.fork(), and the child must not share the "
    "parent's connections: create the client in the child process, or let the SDK build its "
    "own connections (proxy=, verify= and trust_env= configure them)"
)
OTHER_LOOP = (
    "This AsyncStudio's transport holds connections of another event loop, and they cannot "
    "cross loops: create the client inside the loop that uses it, or let the SDK build its own "
    "connections (proxy=, verify= and trust_env= configure them)"
)

# How long close() waits for sync calls in other threads to notice: a thread blocked in
# connect() cannot be woken and ends when its connect timeout does (5 s by default).
_CLOSE_WAIT = 10.0

Transport = httpx.BaseTransport | httpx.AsyncBaseTransport

# An async client's pools kept for loops that cannot tell when they end (trio's tokens).
_MAX_LOOPS = 8

_POOLS: weakref.WeakSet[Pool] = weakref.WeakSet()


def _after_fork_in_child() -> None:
    for pool in list(_POOLS):
        pool._forked()


if hasattr(os, "register_at_fork"):  # not on Windows, which has no fork
    os.register_at_fork(after_in_child=_after_fork_in_child)


class Pool(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """The innermost transport of a client and its copies.

    It holds the SDK's own connections (made by ``build``, and made again after a fork or in a
    new event loop) or the caller's ``transport``; whether it has been closed (closing any copy
    closes it for all); the calls in flight; and the copies' shared retry budgets."""

    def __init__(
        self,
        *,
        build: Callable[[Sockets], Transport] | None = None,
        transport: Transport | None = None,
    ) -> None:
        if (build is None) == (transport is None):
            raise TypeError("a Pool is built from a recipe or from a transport")
        self._build = build
        self._given = transport
        self._given_loop: object = None  # the event loop that first used a given transport
        self._inherited = False  # True in a forked child for a transport the caller gave
        self._sockets = Sockets()
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._closing = threading.Event()  # set on close: wakes sync calls waiting to retry
        self._sync_calls: dict[int, int] = {}  # thread id -> calls in flight on that thread
        # (scope, event loop) of each async attempt or backoff in flight
        self._async_calls: set[tuple[anyio.CancelScope, object]] = set()
        self._async_idle: anyio.Event | None = None
        self._budgets: dict[RetryBudget, BudgetState] = {}
        self.closed = False
        # A sync pool; or, for an async client, the first loop's, built now like the sync one
        # so that settings the environment makes unusable fail at construction.
        self._transport: Transport | None = transport if build is None else self._make()
        self._loops: dict[object, Transport] = {}  # an async client's pools, by event loop
        _POOLS.add(self)

    def budget(self, budget: RetryBudget | None) -> BudgetState | None:
        """The level of ``budget``, shared by every copy of the client that uses the same one."""
        if budget is None:
            return None
        return self._budgets.setdefault(budget, BudgetState(budget))

    def ensure_open(self) -> None:
        if self.closed:
            raise StudioError(CLOSED)

    # --- the transport --------------------------------------------------------------------

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        transport = self._sync_transport()
        if not isinstance(transport, httpx.BaseTransport):
            raise TypeError(f"{type(transport).__name__} is async-only: use AsyncStudio")
        return transport.handle_request(request)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        transport = self._async_transport()
        if not isinstance(transport, httpx.AsyncBaseTransport):
            raise TypeError(f"{type(transport).__name__} is sync-only: use Studio")
        try:
            return await transport.handle_async_request(request)
        except RuntimeError as exc:
            # A caller's transport wrapping httpx's pool, met under a second loop.
            if self._build is None and "Event loop is closed" in str(exc):
                raise StudioError(OTHER_LOOP) from exc
            raise

    def _sync_transport(self) -> Transport:
        self._check_usable()
        transport = self._transport
        if transport is None:  # a forked child's first call
            with self._lock:  # two threads' first calls must not build two pools
                if self._transport is None:
                    self._transport = self._make()
                transport = self._transport
        return transport

    def _async_transport(self) -> Transport:
        self._check_usable()
        loop = current_loop()
        if self._given is not None:
            if self._given_loop is None:
                self._given_loop = loop
            elif loop != self._given_loop and isinstance(self._given, httpx.AsyncHTTPTransport):
                raise StudioError(OTHER_LOOP)
            return self._given
        transport = self._loops.get(loop)
        if transport is None:
            with self._lock:
                transport = self._loops.get(loop)
                if transport is None:
                    if self._loops:
                        logger.debug("New event loop: opening new connections")
                    transport, self._transport = self._transport or self._make(), None
                    self._forget_finished_loops()
                    self._loops[loop] = transport
        return transport

    def _forget_finished_loops(self) -> None:
        # The connections of a loop that has ended cannot be closed any more: the garbage
        # collector releases them (close the client before its loop ends to avoid that).
        for loop in [loop for loop in self._loops if _has_ended(loop)]:
            del self._loops[loop]
        while len(self._loops) >= _MAX_LOOPS:  # loops that never say they ended (trio's)
            del self._loops[next(iter(self._loops))]

    def _make(self) -> Transport:
        assert self._build is not None  # only a pool the SDK builds is ever made here
        try:
            return self._build(self._sockets)
        except (OSError, ValueError, ImportError) as exc:  # ssl.SSLError is an OSError
            raise StudioError(f"The connection settings are not usable: {_describe(exc)}") from exc

    def _check_usable(self) -> None:
        self.ensure_open()
        if self._inherited:
            raise StudioError(FORKED)

    def _forked(self) -> None:
        """In a forked child: forget the parent's connections and anything a parent thread
        may have held at the moment of the fork."""
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._sync_calls = {}
        self._async_calls = set()
        self._async_idle = None
        for state in self._budgets.values():
            state.renew_lock()
        self._sockets.release_after_fork()
        if self._build is None:
            self._inherited = True
        else:  # the next call builds the child's own pool
            for transport in [self._transport, *self._loops.values()]:
                # aiohttp's: its session must outlive the parent's connections here.
                abandon = getattr(transport, "abandon_after_fork", None)
                if abandon is not None:
                    abandon()
            self._transport, self._loops = None, {}

    # --- calls in flight --------------------------------------------------------------------

    @contextlib.contextmanager
    def sync_call(self) -> Iterator[None]:
        """Run one sync call: ``close()`` from another thread wakes it and waits for it."""
        self.ensure_open()
        thread = threading.get_ident()
        with self._lock:
            self._sync_calls[thread] = self._sync_calls.get(thread, 0) + 1
        try:
            yield
        except Exception as exc:
            if self.closed:
                raise StudioError(CLOSED) from exc
            raise
        finally:
            with self._idle:
                left = self._sync_calls.pop(thread) - 1
                if left:
                    self._sync_calls[thread] = left
                self._idle.notify_all()

    def wait_to_retry(self, seconds: float) -> None:
        """Sleep before a sync retry; ``close()`` cuts the wait short."""
        if self._closing.wait(seconds):
            raise StudioError(CLOSED)

    def async_attempt(self, deadline: float) -> _Attempt:
        """Run one async attempt, or one backoff, in a cancel scope ending at ``deadline`` (on
        the event loop's clock) that ``aclose()`` also cancels; then it raises "closed"."""
        self.ensure_open()
        return _Attempt(self, deadline)

    # --- closing ----------------------------------------------------------------------------

    def close(self) -> None:
        """Close: wake and end every call in flight, wait for them, then close the connections."""
        if not self._mark_closed():
            return
        self._sockets.shut_down()
        me = threading.get_ident()
        with self._idle:
            self._idle.wait_for(lambda: not set(self._sync_calls) - {me}, timeout=_CLOSE_WAIT)
        if isinstance(self._transport, httpx.BaseTransport):
            self._transport.close()

    async def aclose(self) -> None:
        """Close: cancel every call in flight in this event loop, wait for them to unwind, then
        close the connections."""
        if not self._mark_closed():
            return
        loop = current_loop()
        own = _CURRENT_SCOPE.get()

        def others() -> bool:
            # A call that closes its own client (from an on_retry hook) must not wait for itself.
            return any(owner == loop and scope is not own for scope, owner in self._async_calls)

        for scope, owner in list(self._async_calls):
            if owner == loop:
                scope.cancel()
        import anyio

        with anyio.CancelScope(shield=True):
            while others():
                self._async_idle = anyio.Event()
                await self._async_idle.wait()
        # This loop's connections, and those built for a loop that never came. Another loop's
        # cannot be touched from here: that loop may have ended, or run in another thread.
        closing = [self._loops.pop(loop, None), self._transport]
        if self._given is not None and self._given_loop in (None, loop):
            closing.append(self._given)
        for transport in closing:
            if isinstance(transport, httpx.AsyncBaseTransport):
                await transport.aclose()
        # And whatever socket is still open, whichever loop's: a connection whose request was
        # cancelled can leave httpcore's pool unclosed (its older versions do), and no call may
        # use one again.
        self._sockets.shut_down()

    def _mark_closed(self) -> bool:
        with self._lock:
            if self.closed:
                return False
            self.closed = True
        self._closing.set()
        return True

    def __repr__(self) -> str:
        return f"<Pool {'closed' if self.closed else 'open'}>"


class _Attempt:
    """``Pool.async_attempt``: a class rather than a generator, since every async call enters
    one."""

    def __init__(self, pool: Pool, deadline: float) -> None:
        self._pool = pool
        import anyio

        self._scope = anyio.CancelScope(deadline=deadline)
        self._entry = (self._scope, current_loop())

    def __enter__(self) -> anyio.CancelScope:
        self._pool._async_calls.add(self._entry)
        self._mine = _CURRENT_SCOPE.set(self._scope)
        return self._scope.__enter__()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> bool:
        pool = self._pool
        try:
            swallowed = self._scope.__exit__(exc_type, exc, tb)
        finally:
            _CURRENT_SCOPE.reset(self._mine)
            pool._async_calls.discard(self._entry)
            if pool._async_idle is not None:
                pool._async_idle.set()
        if pool.closed and (swallowed or isinstance(exc, Exception)):
            raise StudioError(CLOSED) from exc
        return bool(swallowed)


# The cancel scope of the async attempt in progress in this task, if any.
_CURRENT_SCOPE: contextvars.ContextVar[anyio.CancelScope | None] = contextvars.ContextVar(
    "aisquare_studio.current_scope", default=None
)


def current_loop() -> object:
    """The running event loop: asyncio's, asked directly (it is on every call's path), else
    anyio's token for it (trio's)."""
    import asyncio

    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        import anyio.lowlevel

        return anyio.lowlevel.current_token()


def _has_ended(loop: object) -> bool:
    is_closed = getattr(loop, "is_closed", None)  # an asyncio loop; trio's token cannot say
    return bool(is_closed()) if callable(is_closed) else False


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
