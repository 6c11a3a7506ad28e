"""The SDK's client-side cost, side by side with raw httpx and a pydantic-typed httpx call.

Everything runs in one process with interleaved rounds: each round times every variant on the
same body, and the figures are medians of the per-round ratios, so a noisy second hurts all
variants of that round alike instead of one of them. Per-call figures use an in-process
``httpx.MockTransport``; the throughput figure uses the sandbox served on loopback.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import json
import pstats
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx

from aisquare_studio import AsyncStudio, Studio
from aisquare_studio.sandbox import SANDBOX_API_KEY, Sandbox
from bench.pydantic_models import VideoDetail as PydanticVideoDetail

BASE_URL = "http://sandbox.localhost"
HEADERS = {"Authorization": f"Bearer {SANDBOX_API_KEY}"}
# Sandbox drafts: 101 has 3 sections, 130 has 30.
BODIES = {3: 101, 30: 130}
# Both sides of the throughput figure get the same pool and timeouts.
# 16 connections: the sandbox serves each with a thread, and 2 cores gain nothing from more.
LIMITS = httpx.Limits(max_connections=16, max_keepalive_connections=16)
TIMEOUT = 120.0  # generous: 1,000 calls queue for 16 connections on a busy machine


@dataclass(frozen=True)
class Settings:
    rounds: int
    calls: int  # calls per variant per round
    import_runs: int
    concurrent: int  # publishes in flight at once in the throughput figure
    throughput_rounds: int


FULL = Settings(rounds=15, calls=100, import_runs=15, concurrent=1000, throughput_rounds=3)
QUICK = Settings(rounds=3, calls=10, import_runs=3, concurrent=100, throughput_rounds=1)

GOALS: dict[str, tuple[str, float]] = {
    "sdk/raw 3": ("<=", 1.15),
    "sdk/raw 30": ("<=", 1.30),
    "sdk/pydantic": ("<=", 1.00),
    "import": ("<=", 1.20),
    "throughput": (">=", 0.90),
}


def published_body(video_id: int) -> bytes:
    """The JSON body the server answers a publish of ``video_id`` with, as the sandbox sends it."""
    document = Sandbox().video(video_id)
    document["is_draft"] = False
    return json.dumps(document).encode()


def mock_transport(body: bytes) -> httpx.MockTransport:
    headers = {"Content-Type": "application/json", "X-Request-Id": "req_bench"}
    return httpx.MockTransport(lambda request: httpx.Response(200, headers=headers, content=body))


def publish_path(video_id: int) -> str:
    return f"/api/v1/videos/{video_id}/publish/"


# One call of each variant; each returns the typed (or decoded) video so nothing is optimised out.
SyncCall = Callable[[], object]
AsyncCall = Callable[[], Awaitable[object]]


def sync_variants(video_id: int, body: bytes) -> tuple[dict[str, SyncCall], list[Any]]:
    transport = mock_transport(body)
    path = publish_path(video_id)
    raw = httpx.Client(base_url=BASE_URL, headers=HEADERS, transport=transport)
    typed = httpx.Client(base_url=BASE_URL, headers=HEADERS, transport=transport)
    studio = Studio(api_key=SANDBOX_API_KEY, base_url=BASE_URL, transport=transport)
    calls: dict[str, SyncCall] = {
        "raw": lambda: json.loads(raw.post(path).content),
        "pydantic": lambda: PydanticVideoDetail.model_validate_json(typed.post(path).content),
        "sdk": lambda: studio.videos.publish(video_id),
    }
    return calls, [raw, typed, studio]


def async_variants(video_id: int, body: bytes) -> tuple[dict[str, AsyncCall], list[Any]]:
    transport = mock_transport(body)
    path = publish_path(video_id)
    raw = httpx.AsyncClient(base_url=BASE_URL, headers=HEADERS, transport=transport)
    typed = httpx.AsyncClient(base_url=BASE_URL, headers=HEADERS, transport=transport)
    studio = AsyncStudio(api_key=SANDBOX_API_KEY, base_url=BASE_URL, transport=transport)

    async def raw_call() -> object:
        return json.loads((await raw.post(path)).content)

    async def typed_call() -> object:
        return PydanticVideoDetail.model_validate_json((await typed.post(path)).content)

    calls: dict[str, AsyncCall] = {
        "raw": raw_call,
        "pydantic": typed_call,
        "sdk": lambda: studio.videos.publish(video_id),
    }
    return calls, [raw, typed, studio]


def _time_sync(call: SyncCall, n: int) -> float:
    gc.collect()
    started = time.perf_counter()
    for _ in range(n):
        call()
    return (time.perf_counter() - started) / n


async def _time_async(call: AsyncCall, n: int) -> float:
    gc.collect()
    started = time.perf_counter()
    for _ in range(n):
        await call()
    return (time.perf_counter() - started) / n


@dataclass(frozen=True)
class PerCall:
    mode: str
    sections: int
    seconds: dict[str, float]  # median seconds per call, per variant
    sdk_raw: float  # median of per-round ratios
    sdk_pydantic: float


def _summarise(mode: str, sections: int, rounds: list[dict[str, float]]) -> PerCall:
    return PerCall(
        mode=mode,
        sections=sections,
        seconds={name: statistics.median(r[name] for r in rounds) for name in rounds[0]},
        sdk_raw=statistics.median(r["sdk"] / r["raw"] for r in rounds),
        sdk_pydantic=statistics.median(r["sdk"] / r["pydantic"] for r in rounds),
    )


def bench_sync(settings: Settings, sections: int) -> PerCall:
    video_id = BODIES[sections]
    calls, clients = sync_variants(video_id, published_body(video_id))
    names = list(calls)
    rounds = []
    for name in names:  # warm up: first-call costs (imports, caches) are not per-call costs
        _time_sync(calls[name], max(10, settings.calls // 4))
    for index in range(settings.rounds):
        order = names[index % 3 :] + names[: index % 3]  # rotate who goes first
        rounds.append({name: _time_sync(calls[name], settings.calls) for name in order})
    for client in clients:
        client.close()
    return _summarise("sync", sections, rounds)


async def bench_async(settings: Settings, sections: int) -> PerCall:
    video_id = BODIES[sections]
    calls, clients = async_variants(video_id, published_body(video_id))
    names = list(calls)
    rounds = []
    for name in names:
        await _time_async(calls[name], max(10, settings.calls // 4))
    for index in range(settings.rounds):
        order = names[index % 3 :] + names[: index % 3]
        rounds.append({name: await _time_async(calls[name], settings.calls) for name in order})
    for client in clients:
        await client.aclose()
    return _summarise("async", sections, rounds)


@dataclass(frozen=True)
class ImportTime:
    sdk: float  # median seconds for a whole `python -c "import aisquare_studio"`
    httpx: float
    ratio: float  # median of per-pair ratios


def _process_seconds(statement: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", statement], check=True)  # noqa: S603 - our interpreter
    return time.perf_counter() - started


def bench_import(settings: Settings) -> ImportTime:
    pairs = []
    for index in range(settings.import_runs):
        if index % 2:
            sdk = _process_seconds("import aisquare_studio")
            raw = _process_seconds("import httpx")
        else:
            raw = _process_seconds("import httpx")
            sdk = _process_seconds("import aisquare_studio")
        pairs.append((sdk, raw))
    return ImportTime(
        sdk=statistics.median(sdk for sdk, _ in pairs),
        httpx=statistics.median(raw for _, raw in pairs),
        ratio=statistics.median(sdk / raw for sdk, raw in pairs),
    )


@dataclass(frozen=True)
class Throughput:
    sdk: float  # median publishes per second
    raw: float
    ratio: float  # median of per-round ratios


async def _raw_burst(url: str, ids: list[int]) -> float:
    async with httpx.AsyncClient(
        base_url=url, headers=HEADERS, limits=LIMITS, timeout=TIMEOUT
    ) as client:

        async def one(video_id: int) -> object:
            response = await client.post(publish_path(video_id))
            response.raise_for_status()
            return json.loads(response.content)

        started = time.perf_counter()
        await asyncio.gather(*(one(video_id) for video_id in ids))
        return len(ids) / (time.perf_counter() - started)


async def _sdk_burst(url: str, ids: list[int]) -> float:
    transport = httpx.AsyncHTTPTransport(limits=LIMITS)
    async with AsyncStudio(
        api_key=SANDBOX_API_KEY, base_url=url, transport=transport, timeout=TIMEOUT
    ) as studio:
        started = time.perf_counter()
        await asyncio.gather(*(studio.videos.publish(video_id) for video_id in ids))
        return len(ids) / (time.perf_counter() - started)


def bench_throughput(settings: Settings) -> Throughput:
    drafts = sorted(Sandbox().draft_ids)
    ids = [drafts[index % len(drafts)] for index in range(settings.concurrent)]
    rounds = []
    server = subprocess.Popen(
        [sys.executable, "-m", "bench.serve"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        url = server.stdout.readline().strip()
        asyncio.run(_raw_burst(url, ids[:50]))  # warm up both sides' code paths and the server
        asyncio.run(_sdk_burst(url, ids[:50]))
        for index in range(settings.throughput_rounds):
            if index % 2:
                sdk = asyncio.run(_sdk_burst(url, ids))
                raw = asyncio.run(_raw_burst(url, ids))
            else:
                raw = asyncio.run(_raw_burst(url, ids))
                sdk = asyncio.run(_sdk_burst(url, ids))
            rounds.append((sdk, raw))
    finally:
        server.communicate()  # closes its stdin: the server shuts down
    return Throughput(
        sdk=statistics.median(sdk for sdk, _ in rounds),
        raw=statistics.median(raw for _, raw in rounds),
        ratio=statistics.median(sdk / raw for sdk, raw in rounds),
    )


def _verdict(goal: str, value: float) -> str:
    op, limit = GOALS[goal]
    holds = value <= limit if op == "<=" else value >= limit
    return f"goal {op} {limit:.2f}  {'ok' if holds else 'MISSED'}"


def _us(seconds: float) -> str:
    return f"{seconds * 1e6:8.1f}"


def report(
    settings: Settings, per_call: list[PerCall], imports: ImportTime, throughput: Throughput
) -> str:
    lines = [
        "Per publish on httpx.MockTransport (median us per call; ratios: median of per-round)",
        f"{'mode':6} {'sections':>8} {'raw':>8} {'pydantic':>8} {'sdk':>8}"
        f"   {'sdk/raw':>8}  {'':22} {'sdk/pydantic':>12}",
    ]
    for row in per_call:
        raw_goal = "sdk/raw 3" if row.sections == 3 else "sdk/raw 30"
        lines.append(
            f"{row.mode:6} {row.sections:>8} {_us(row.seconds['raw'])} "
            f"{_us(row.seconds['pydantic'])} {_us(row.seconds['sdk'])}"
            f"   {row.sdk_raw:8.3f}  {_verdict(raw_goal, row.sdk_raw):22}"
            f" {row.sdk_pydantic:12.3f}  {_verdict('sdk/pydantic', row.sdk_pydantic)}"
        )
    lines += [
        "",
        "Import, whole process (median ms)",
        f"  python -c 'import httpx'           {imports.httpx * 1e3:8.1f}",
        f"  python -c 'import aisquare_studio' {imports.sdk * 1e3:8.1f}",
        f"  aisquare_studio/httpx              {imports.ratio:8.3f}  "
        f"{_verdict('import', imports.ratio)}",
        "",
        f"{settings.concurrent} concurrent async publishes, sandbox on loopback in another process "
        "(median publishes/s)",
        f"  raw httpx.AsyncClient              {throughput.raw:8.0f}",
        f"  AsyncStudio                        {throughput.sdk:8.0f}",
        f"  sdk/raw                            {throughput.ratio:8.3f}  "
        f"{_verdict('throughput', throughput.ratio)}",
    ]
    return "\n".join(lines)


def profile(sections: int, calls: int) -> None:
    """Print where a sync SDK publish spends its time (cProfile, cumulative)."""
    video_id = BODIES[sections]
    variants, clients = sync_variants(video_id, published_body(video_id))
    sdk = variants["sdk"]
    for _ in range(50):
        sdk()
    profiler = cProfile.Profile()
    profiler.runcall(_time_sync, sdk, calls)
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
    pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
    for client in clients:
        client.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a few seconds: smoke run only")
    parser.add_argument(
        "--profile", type=int, choices=sorted(BODIES), help="profile the sync SDK call instead"
    )
    args = parser.parse_args(argv)
    if args.profile:
        profile(args.profile, 2000)
        return 0
    settings = QUICK if args.quick else FULL
    started = time.perf_counter()
    per_call = [bench_sync(settings, sections) for sections in BODIES]
    per_call += [asyncio.run(bench_async(settings, sections)) for sections in BODIES]
    imports = bench_import(settings)
    throughput = bench_throughput(settings)
    print(f"Python {sys.version.split()[0]}, httpx {httpx.__version__}, {settings}")
    print(report(settings, per_call, imports, throughput))
    print(f"\n(took {time.perf_counter() - started:.0f} s)")
    return 0
