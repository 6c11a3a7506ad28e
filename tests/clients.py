"""One test body for every client: the sync ``Studio`` (run in a worker thread), the
``AsyncStudio`` under asyncio and trio, and the ``AsyncStudio`` on aiohttp's connection pool
(``transport="aiohttp"``, asyncio only). A test module opts in with two fixtures:

    kind = pytest.fixture(params=KINDS, name="kind")(kind_param)
    anyio_backend = pytest.fixture(name="anyio_backend")(backend_for_kind)
"""

from __future__ import annotations

from typing import Any

import anyio
import pytest

from aisquare_studio import AsyncStudio, Studio, VideoDetail

KINDS = ["sync", "asyncio", "trio", "aiohttp"]


def kind_param(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def backend_for_kind(kind: str) -> str:
    return "trio" if kind == "trio" else "asyncio"


def client_options(kind: str, **options: Any) -> dict[str, Any]:
    """``options`` for a client of ``kind``: the aiohttp kind adds ``transport="aiohttp"``. A
    test that gives its own transport replaces the pool, so aiohttp's has nothing to show."""
    if kind != "aiohttp":
        return options
    if "transport" in options:
        pytest.skip("a transport of the caller's own replaces aiohttp's pool")
    return {"transport": "aiohttp"} | options


async def publish_once(kind: str, video_id: Any, **options: Any) -> VideoDetail:
    """Publish ``video_id`` through a fresh client of ``kind`` built with ``options``."""
    if kind == "sync":

        def run() -> VideoDetail:
            with Studio(**options) as studio:
                return studio.videos.publish(video_id)

        return await anyio.to_thread.run_sync(run)
    async with AsyncStudio(**client_options(kind, **options)) as studio:
        return await studio.videos.publish(video_id)
