"""The service's tests, written with the aisquare-studio testing kit: no real API, and no sockets
except in the last test, which goes over real HTTP on loopback as production would."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest
from fastapi import FastAPI

from aisquare_studio import AsyncStudio
from aisquare_studio.testing import SANDBOX_API_KEY, Fault, Sandbox, every_attempt

from .app import create_app

pytestmark = pytest.mark.anyio


@asynccontextmanager
async def serve(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client for ``app``, in process, while its lifespan runs."""
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://service") as client,
    ):
        yield client


@pytest.fixture
async def service(async_studio: AsyncStudio) -> AsyncIterator[httpx.AsyncClient]:
    """The app with the kit's in-process AsyncStudio, which its lifespan opens and closes."""
    async with serve(create_app(lambda: async_studio)) as client:
        yield client


async def test_publish_returns_the_published_video(
    service: httpx.AsyncClient, studio_sandbox: Sandbox
) -> None:
    response = await service.post("/videos/101/publish")

    assert response.status_code == 200
    assert response.json() == {
        "id": 101,
        "title": "How Vaccines Train the Immune System",
        "is_draft": False,
    }
    assert studio_sandbox.video(101)["is_draft"] is False
    [sent] = studio_sandbox.requests
    assert sent.path == "/api/v1/videos/101/publish/"
    assert sent.headers["authorization"] == f"Bearer {SANDBOX_API_KEY}"


async def test_unknown_video_is_our_404(service: httpx.AsyncClient) -> None:
    response = await service.post("/videos/999/publish")

    assert response.status_code == 404
    assert response.json() == {"detail": "no video 999"}


async def test_a_long_upstream_throttle_is_a_503_with_retry_after(
    service: httpx.AsyncClient, studio_sandbox: Sandbox
) -> None:
    # A wait longer than the SDK will sleep (60 s) is not taken: RateLimitError comes at once.
    studio_sandbox.inject(Fault.rate_limit("120"), video_id=102)

    response = await service.post("/videos/102/publish")

    assert response.status_code == 503
    assert response.headers["retry-after"] == "120"
    assert len(studio_sandbox.requests) == 1
    assert studio_sandbox.video(102)["is_draft"] is True


async def test_an_upstream_outage_is_a_502_after_the_sdk_retried(
    service: httpx.AsyncClient, studio_sandbox: Sandbox
) -> None:
    studio_sandbox.inject(*every_attempt(Fault.status(503)), video_id=103)

    response = await service.post("/videos/103/publish")

    assert response.status_code == 502
    assert response.json() == {"detail": "upstream failed: InternalServerError"}
    assert len(studio_sandbox.requests) == 3  # the first attempt and two retries


async def test_a_dropped_connection_is_retried_and_the_caller_never_knows(
    service: httpx.AsyncClient, studio_sandbox: Sandbox
) -> None:
    studio_sandbox.inject(Fault.drop(), Fault.rate_limit("0"), video_id=104)

    response = await service.post("/videos/104/publish")

    assert response.status_code == 200
    assert len(studio_sandbox.requests) == 3


async def test_the_default_app_reads_its_key_and_url_from_the_environment(
    studio_sandbox_env: str, studio_sandbox: Sandbox
) -> None:
    # Real HTTP on loopback: the client the app builds itself, as in production.
    async with serve(create_app()) as client:
        response = await client.post("/videos/105/publish")

    assert response.status_code == 200
    assert studio_sandbox.requests[0].headers["host"] == studio_sandbox_env.removeprefix("http://")
