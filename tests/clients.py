"""One test body for every client: the sync ``Studio`` (run in a worker thread) and the
``AsyncStudio`` under asyncio and trio. A test module opts in with two fixtures:

    kind = pytest.fixture(params=KINDS, name="kind")(kind_param)
    anyio_backend = pytest.fixture(name="anyio_backend")(backend_for_kind)
"""

from __future__ import annotations

from typing import Any

import anyio
import pytest

from aisquare_studio import AsyncStudio, Studio, VideoDetail

KINDS = ["sync", "asyncio", "trio"]


def kind_param(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def backend_for_kind(kind: str) -> str:
    return "trio" if kind == "trio" else "asyncio"


async def publish_once(kind: str, video_id: Any, **options: Any) -> VideoDetail:
    """Publish ``video_id`` through a fresh client of ``kind`` built with ``options``."""
    if kind == "sync":

        def run() -> VideoDetail:
            with Studio(**options) as studio:
                return studio.videos.publish(video_id)

        return await anyio.to_thread.run_sync(run)
    async with AsyncStudio(**options) as studio:
        return await studio.videos.publish(video_id)
