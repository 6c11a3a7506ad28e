"""One publish, client side only: raw httpx + ``json.loads``, httpx + pydantic, and this SDK.

Every variant posts through an in-process ``httpx.MockTransport`` that answers the same canned
body, so the figures are the clients' own cost: no sockets, no server. Wall-clock rounds are
interleaved (each round times every variant, rotating who goes first) and the figures are
medians of the per-round ratios, so a noisy second hurts all variants of that round alike.
``bench/callgrind.py`` counts the instructions of the same calls.
"""

from __future__ import annotations

import asyncio
import gc
import json
import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx

from aisquare_studio import AsyncStudio, Studio
from bench import parse_path
from bench.bodies import (
    API_KEY,
    BASE_URL,
    HEADERS,
    VIDEO_IDS,
    mock_transport,
    publish_path,
    published_body,
)
from bench.pydantic_models import VideoDetail as PydanticVideoDetail

MODES = ("sync", "async")
VARIANTS = ("raw", "pydantic", "sdk")

# One call of each variant; each returns the typed (or decoded) video so nothing is optimised out.
SyncCall = Callable[[], object]
AsyncCall = Callable[[], Awaitable[object]]


def sync_variants(video_id: int, body: bytes) -> tuple[dict[str, SyncCall], list[Any]]:
    """The three variants as sync calls, and the clients to close afterwards."""
    transport = mock_transport(body)
    path = publish_path(video_id)
    raw = httpx.Client(base_url=BASE_URL, headers=HEADERS, transport=transport)
    typed = httpx.Client(base_url=BASE_URL, headers=HEADERS, transport=transport)
    studio = Studio(api_key=API_KEY, base_url=BASE_URL, transport=transport)
    calls: dict[str, SyncCall] = {
        "raw": lambda: json.loads(raw.post(path).content),
        "pydantic": lambda: PydanticVideoDetail.model_validate_json(typed.post(path).content),
        "sdk": lambda: studio.videos.publish(video_id),
    }
    return calls, [raw, typed, studio]


def async_variants(video_id: int, body: bytes) -> tuple[dict[str, AsyncCall], list[Any]]:
    """The three variants as coroutine functions, and the clients to close afterwards."""
    transport = mock_transport(body)
    path = publish_path(video_id)
    raw = httpx.AsyncClient(base_url=BASE_URL, headers=HEADERS, transport=transport)
    typed = httpx.AsyncClient(base_url=BASE_URL, headers=HEADERS, transport=transport)
    studio = AsyncStudio(api_key=API_KEY, base_url=BASE_URL, transport=transport)

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


def run_sync(call: SyncCall, n: int) -> None:
    for _ in range(n):
        call()


async def run_async(call: AsyncCall, n: int) -> None:
    for _ in range(n):
        await call()


def _time_sync(call: SyncCall, n: int) -> float:
    gc.collect()
    started = time.perf_counter()
    run_sync(call, n)
    return (time.perf_counter() - started) / n


async def _time_async(call: AsyncCall, n: int) -> float:
    gc.collect()
    started = time.perf_counter()
    await run_async(call, n)
    return (time.perf_counter() - started) / n


@dataclass(frozen=True)
class WallClock:
    """One row of the per-call table, in wall-clock time."""

    mode: str
    sections: int
    seconds: dict[str, float]  # median seconds per call, per variant
    sdk_raw: float  # median of per-round ratios
    sdk_pydantic: float
    parsed: parse_path.ParseCounts | None  # the SDK's bodies, by parse path


def _summarise(
    mode: str, sections: int, rounds: list[dict[str, float]], parsed: parse_path.ParseCounts | None
) -> WallClock:
    return WallClock(
        mode=mode,
        sections=sections,
        seconds={name: statistics.median(r[name] for r in rounds) for name in VARIANTS},
        sdk_raw=statistics.median(r["sdk"] / r["raw"] for r in rounds),
        sdk_pydantic=statistics.median(r["sdk"] / r["pydantic"] for r in rounds),
        parsed=parsed,
    )


def _orders(rounds: int) -> list[list[str]]:
    names = list(VARIANTS)
    return [names[i % len(names) :] + names[: i % len(names)] for i in range(rounds)]


def wall_sync(sections: int, rounds: int, calls: int) -> WallClock:
    video_id = VIDEO_IDS[sections]
    variants, clients = sync_variants(video_id, published_body(video_id))
    for name in VARIANTS:  # warm up: first-call costs (imports, caches) are not per-call costs
        _time_sync(variants[name], max(10, calls // 4))
    before = parse_path.snapshot()
    timed = [
        {name: _time_sync(variants[name], calls) for name in order} for order in _orders(rounds)
    ]
    parsed = parse_path.since(before)
    for client in clients:
        client.close()
    return _summarise("sync", sections, timed, parsed)


async def wall_async(sections: int, rounds: int, calls: int) -> WallClock:
    video_id = VIDEO_IDS[sections]
    variants, clients = async_variants(video_id, published_body(video_id))
    for name in VARIANTS:
        await _time_async(variants[name], max(10, calls // 4))
    before = parse_path.snapshot()
    timed = []
    for order in _orders(rounds):
        timed.append({name: await _time_async(variants[name], calls) for name in order})
    parsed = parse_path.since(before)
    for client in clients:
        await client.aclose()
    return _summarise("async", sections, timed, parsed)


def wall_clock(rounds: int, calls: int) -> list[WallClock]:
    """Every row: sync then async, 3 then 30 sections."""
    rows = [wall_sync(sections, rounds, calls) for sections in VIDEO_IDS]
    rows += [asyncio.run(wall_async(sections, rounds, calls)) for sections in VIDEO_IDS]
    return rows
