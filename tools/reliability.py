"""Reliability figures for docs/retries.md: how the SDK behaves in an outage, under blips, and under
load. ``make reliability`` prints them; tests/test_reliability.py asserts the goals on the same
functions, so the figures in the docs are the ones CI checks."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import multiprocessing
import sys
import time
import tracemalloc
import warnings
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection

import httpx

from aisquare_studio import AsyncStudio, RetryPolicy, Studio, StudioError
from aisquare_studio.sandbox import SANDBOX_API_KEY, Sandbox

# No waiting between attempts: these figures count attempts, not seconds.
NO_WAIT = RetryPolicy(initial_delay=0, max_delay=0)


class _Canned(httpx.BaseTransport):
    """Answers 503 where ``fails(n)`` says so for the n-th attempt, else a fixed VideoDetail:
    unlike the sandbox, it keeps no record of requests, so memory can be measured."""

    def __init__(self, fails: Callable[[int], bool]) -> None:
        self.attempts = 0
        self._fails = fails
        self._body = json.dumps(Sandbox().video(101)).encode()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.attempts += 1
        if self._fails(self.attempts):
            return httpx.Response(503, json={"detail": "Service temporarily unavailable."})
        headers = {"Content-Type": "application/json", "X-Request-Id": f"req_{self.attempts}"}
        return httpx.Response(200, content=self._body, headers=headers)


class _Failing(httpx.BaseTransport):
    """Answers 503 where ``fails(n)`` says so for the n-th attempt, else asks the sandbox."""

    def __init__(self, fails: Callable[[int], bool]) -> None:
        self.attempts = 0
        self._fails = fails
        self._sandbox = Sandbox().transport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.attempts += 1
        if self._fails(self.attempts):
            return httpx.Response(503, json={"detail": "Service temporarily unavailable."})
        return self._sandbox.handle_request(request)


def attempts_per_call(
    fails: Callable[[int], bool], calls: int = 300, policy: RetryPolicy = NO_WAIT
) -> tuple[float, int]:
    """Average attempts per call, and how many calls succeeded, over ``calls`` publishes."""
    transport = _Failing(fails)
    succeeded = 0
    with Studio(
        api_key=SANDBOX_API_KEY,
        base_url="http://sandbox.localhost",
        transport=transport,
        retry_policy=policy,
    ) as studio:
        for _ in range(calls):
            try:
                studio.videos.publish(101)
            except StudioError:
                continue
            succeeded += 1
    return transport.attempts / calls, succeeded


def outage() -> tuple[float, int]:
    return attempts_per_call(lambda attempt: True)


def outage_without_budget() -> tuple[float, int]:
    return attempts_per_call(
        lambda attempt: True, policy=RetryPolicy(initial_delay=0, max_delay=0, budget=None)
    )


def blips() -> tuple[float, int]:
    return attempts_per_call(lambda attempt: attempt % 10 == 0)


def _serve_sandbox(channel: Connection) -> None:
    """In a child process: serve a sandbox, send its URL, and its connection counts when told."""
    with Sandbox().serve() as server:
        channel.send(server.url)
        channel.recv()
        channel.send((server.connections_accepted, server.peak_connections))


@contextlib.contextmanager
def sandbox_process() -> Iterator[tuple[str, Callable[[], tuple[int, int]]]]:
    """A sandbox served by another process, so its threads do not compete with the client for
    this process's GIL: yields its URL and a function returning (accepted, peak) connections."""
    ours, theirs = multiprocessing.get_context("spawn").Pipe()
    child = multiprocessing.get_context("spawn").Process(target=_serve_sandbox, args=(theirs,))
    child.start()
    try:
        url = ours.recv()

        def connections() -> tuple[int, int]:
            ours.send("stop")
            counts: tuple[int, int] = ours.recv()
            return counts

        yield url, connections
    finally:
        child.join(timeout=10)
        if child.is_alive():
            child.kill()
            child.join()


async def concurrent_publishes(count: int = 1000) -> tuple[int, int, int, int, float]:
    """``count`` concurrent publishes through one AsyncStudio over loopback: (succeeded,
    failed, connections the server accepted, most open at once, seconds)."""
    ids = Sandbox().draft_ids
    with sandbox_process() as (url, connections):
        async with AsyncStudio(api_key=SANDBOX_API_KEY, base_url=url) as studio:
            started = time.perf_counter()
            results = await asyncio.gather(
                *(studio.videos.publish(ids[n % len(ids)]) for n in range(count)),
                return_exceptions=True,
            )
            elapsed = time.perf_counter() - started
        accepted, peak = connections()
    failed = sum(isinstance(result, BaseException) for result in results)
    return count - failed, failed, accepted, peak, elapsed


def memory_growth(calls: int = 2000) -> tuple[int, int]:
    """Bytes still allocated after ``calls`` publishes (a quarter of attempts failing, so some
    calls retry and some fail) beyond what the first quarter left, and ResourceWarnings seen."""
    transport = _Canned(lambda attempt: attempt % 8 in (1, 2))
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always", ResourceWarning)
        tracemalloc.start()
        try:
            with Studio(
                api_key=SANDBOX_API_KEY,
                base_url="http://sandbox.localhost",
                transport=transport,
                retry_policy=RetryPolicy(initial_delay=0, max_delay=0, max_retries=1, budget=None),
            ) as studio:
                baseline = 0
                for n in range(calls):
                    if n == calls // 4:
                        gc.collect()
                        baseline = tracemalloc.get_traced_memory()[0]
                    with contextlib.suppress(StudioError):
                        studio.videos.publish(101)
                gc.collect()
                grown = tracemalloc.get_traced_memory()[0] - baseline
        finally:
            tracemalloc.stop()
        gc.collect()
    return grown, sum(issubclass(w.category, ResourceWarning) for w in seen)


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")


def main() -> int:
    per_call, ok = outage()
    _say(f"total outage, 300 calls:        {per_call:.2f} attempts per call, {ok} succeeded")
    per_call, ok = outage_without_budget()
    _say(f"  same, retry budget off:       {per_call:.2f} attempts per call")
    per_call, ok = blips()
    _say(f"one attempt in ten fails:       {ok}/300 calls succeeded, {per_call:.2f} attempts/call")
    succeeded, failed, accepted, peak, elapsed = asyncio.run(concurrent_publishes())
    _say(
        f"1,000 concurrent publishes:     {succeeded} succeeded, {failed} failed, "
        f"{accepted} connections opened, at most {peak} at once, {elapsed:.2f} s"
    )
    grown, resource_warnings = memory_growth()
    _say(
        f"2,000 calls with failures:      memory grew {grown / 1024:.1f} KiB after warm-up, "
        f"{resource_warnings} ResourceWarnings"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
