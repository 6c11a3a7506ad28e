"""Client-bound throughput: 100 publishes in flight against canned servers in other processes.

Under load a client's cost is mostly its connection pool, which a per-call figure never shows.
The servers (``bench/serve.py``) run in separate processes and cost a small share of the
client's CPU, which the figure reports; throughput is judged as publishes per client
CPU-second, which stays fair when the machine is busy with something else. Every variant gets
the same ``httpx.Limits`` (the SDK's default pool), rounds are interleaved, and the ratios are
medians of per-round ratios.

Another client is one more entry in ``variants()``; the ones that need an optional package or a
newer SDK appear by themselves once it is there.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx

from aisquare_studio import AsyncStudio
from aisquare_studio._config import DEFAULT_LIMITS
from bench import parse_path
from bench.bodies import API_KEY, HEADERS, VIDEO_IDS, publish_path

IN_FLIGHT = 100
SERVER_PROCESSES = 2
# The SDK's own default pool (it keeps all 100 connections alive), given to every other client
# too, so no variant wins by reconnecting less.
LIMITS = DEFAULT_LIMITS
TIMEOUT = 60.0
BASELINE = "raw httpx"
RAW_AIOHTTP = "raw httpx on httpx_aiohttp.AiohttpTransport"
SDK_AIOHTTP = 'AsyncStudio(transport="aiohttp")'

Publish = Callable[[int], Awaitable[object]]
# A variant opens a client on the servers' URL and yields its publish function.
Opener = Callable[[str], AbstractAsyncContextManager[Publish]]


@dataclass(frozen=True)
class Variant:
    name: str
    open: Opener
    goal: float | None = None  # publishes per client CPU-second, as a multiple of raw httpx
    sdk: bool = False  # the SDK's bodies: report their parse path


@asynccontextmanager
async def _raw_httpx(url: str) -> Any:
    async with httpx.AsyncClient(
        base_url=url, headers=HEADERS, limits=LIMITS, timeout=TIMEOUT
    ) as client:

        async def publish(video_id: int) -> object:
            response = await client.post(publish_path(video_id))
            response.raise_for_status()
            return json.loads(response.content)

        yield publish


@asynccontextmanager
async def _raw_aiohttp(url: str) -> Any:
    from httpx_aiohttp import AiohttpTransport

    transport = AiohttpTransport(limits=LIMITS)
    async with httpx.AsyncClient(
        base_url=url, headers=HEADERS, transport=transport, timeout=TIMEOUT
    ) as client:

        async def publish(video_id: int) -> object:
            response = await client.post(publish_path(video_id))
            response.raise_for_status()
            return json.loads(response.content)

        yield publish


def _sdk(**options: Any) -> Opener:
    @asynccontextmanager
    async def open_sdk(url: str) -> Any:
        async with AsyncStudio(api_key=API_KEY, base_url=url, timeout=TIMEOUT, **options) as studio:
            yield studio.videos.publish

    return open_sdk


def _has_httpx_aiohttp() -> bool:
    try:
        import httpx_aiohttp  # noqa: F401
    except ImportError:
        return False
    return True


def variants() -> list[Variant]:
    """Raw httpx first: every ratio is against it."""
    found = [
        Variant(BASELINE, _raw_httpx),
        Variant("AsyncStudio", _sdk(), goal=0.90, sdk=True),
    ]
    if _has_httpx_aiohttp():  # the `aiohttp` extra
        found.append(Variant(RAW_AIOHTTP, _raw_aiohttp))
        found.append(Variant(SDK_AIOHTTP, _sdk(transport="aiohttp"), goal=1.20, sdk=True))
    return found


class Servers:
    """The canned servers, each its own process, on one port."""

    def __init__(self, processes: int) -> None:
        self._procs: list[subprocess.Popen[str]] = []
        port = 0
        for _ in range(processes):  # the first picks the port, the others join it
            proc = subprocess.Popen(  # noqa: S603 - our interpreter, our module
                [sys.executable, "-m", "bench.serve", str(port)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            self._procs.append(proc)
            assert proc.stdout is not None
            port = int(proc.stdout.readline())
        self.url = f"http://127.0.0.1:{port}"

    def cpu_seconds(self) -> list[float]:
        """Each server's CPU seconds since it started."""
        seconds = []
        for proc in self._procs:
            assert proc.stdin is not None
            assert proc.stdout is not None
            proc.stdin.write("cpu\n")
            proc.stdin.flush()
            seconds.append(float(proc.stdout.readline()))
        return seconds

    def __enter__(self) -> Servers:
        return self

    def __exit__(self, *exc_info: object) -> None:
        for proc in self._procs:
            proc.communicate()  # closes its stdin: the server shuts down


@dataclass(frozen=True)
class Burst:
    publishes: int
    wall: float  # seconds
    client_cpu: float  # CPU seconds of this (the client's) process
    server_cpu: list[float]  # CPU seconds of each server process
    parsed: parse_path.ParseCounts | None

    @property
    def per_cpu_second(self) -> float:
        return self.publishes / self.client_cpu


async def _burst(variant: Variant, servers: Servers, ids: list[int], per_worker: int) -> Burst:
    async with variant.open(servers.url) as publish:

        async def worker(count: int) -> None:
            for index in range(count):
                await publish(ids[index % len(ids)])

        # Warm: every connection open and every code path run before the clock starts.
        await asyncio.gather(*(worker(len(ids)) for _ in range(IN_FLIGHT)))
        before = parse_path.snapshot()
        server_before = servers.cpu_seconds()
        cpu, wall = time.process_time(), time.perf_counter()
        await asyncio.gather(*(worker(per_worker) for _ in range(IN_FLIGHT)))
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        server_after = servers.cpu_seconds()
        parsed = parse_path.since(before) if variant.sdk else None
    return Burst(
        publishes=IN_FLIGHT * per_worker,
        wall=wall,
        client_cpu=cpu,
        server_cpu=[a - b for a, b in zip(server_after, server_before, strict=True)],
        parsed=parsed,
    )


@dataclass
class Row:
    """One variant at one body size, over every round."""

    variant: Variant
    sections: int
    bursts: list[Burst] = field(default_factory=list)
    ratios: list[float] = field(default_factory=list)  # per round, against raw httpx

    @property
    def per_cpu_second(self) -> float:
        return statistics.median(b.per_cpu_second for b in self.bursts)

    @property
    def per_second(self) -> float:
        return statistics.median(b.publishes / b.wall for b in self.bursts)

    @property
    def ratio(self) -> float:
        return statistics.median(self.ratios)

    @property
    def client_share(self) -> float:
        """How busy the client's one thread was: near 1, the client is what limits."""
        return statistics.median(b.client_cpu / b.wall for b in self.bursts)

    @property
    def busiest_server_share(self) -> float:
        return statistics.median(max(b.server_cpu) / b.wall for b in self.bursts)

    @property
    def server_per_client(self) -> float:
        """All servers' CPU over the client's: what the same work costs the other side."""
        return statistics.median(sum(b.server_cpu) / b.client_cpu for b in self.bursts)

    @property
    def parsed(self) -> parse_path.ParseCounts | None:
        counts = [b.parsed for b in self.bursts]
        if not counts or any(c is None for c in counts):
            return None
        return parse_path.ParseCounts(
            sum(c.fast for c in counts if c), sum(c.checked for c in counts if c)
        )


def throughput(rounds: int, publishes: int) -> list[Row]:
    """Every variant at 3 and 30 sections; ``publishes`` per variant per round."""
    found = variants()
    per_worker = max(1, publishes // IN_FLIGHT)
    rows = [Row(v, sections) for sections in VIDEO_IDS for v in found]
    with Servers(SERVER_PROCESSES) as servers:
        for sections, video_id in VIDEO_IDS.items():
            mine = [row for row in rows if row.sections == sections]
            for index in range(rounds):
                order = mine[index % len(mine) :] + mine[: index % len(mine)]
                bursts = {}
                for row in order:
                    burst = asyncio.run(_burst(row.variant, servers, [video_id], per_worker))
                    bursts[row.variant.name] = burst
                    row.bursts.append(burst)
                baseline = bursts[BASELINE].per_cpu_second
                for row in mine:
                    row.ratios.append(bursts[row.variant.name].per_cpu_second / baseline)
    return rows
