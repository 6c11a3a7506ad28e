"""A FastAPI service whose lifespan owns one AsyncStudio, with an endpoint that publishes.

Run it with ``AISQUARE_API_KEY=... uvicorn examples.fastapi_service.app:app``.
"""

from __future__ import annotations

import math
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, Request
from pydantic import BaseModel

from aisquare_studio import AsyncStudio, NotFoundError, RateLimitError, StudioError


class Published(BaseModel):
    id: int
    title: str
    is_draft: bool


def create_app(make_studio: Callable[[], AsyncStudio] = AsyncStudio) -> FastAPI:
    """The service; ``make_studio`` builds its one client (from the environment by default)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with make_studio() as studio:  # one connection pool for every request
            app.state.studio = studio
            yield

    app = FastAPI(lifespan=lifespan)

    @app.post("/videos/{video_id}/publish")
    async def publish(video_id: int, studio: Annotated[AsyncStudio, Depends(_studio)]) -> Published:
        try:
            video = await studio.videos.publish(video_id)
        except NotFoundError:
            raise HTTPException(404, f"no video {video_id}") from None
        except RateLimitError as error:  # the SDK already retried; tell our caller when to
            wait = str(math.ceil(error.retry_after or 1))
            raise HTTPException(503, "throttled upstream", {"Retry-After": wait}) from None
        except StudioError as error:  # outage, network, bad response: not our caller's fault
            raise HTTPException(502, f"upstream failed: {type(error).__name__}") from None
        # is_draft is optional in the spec; an absent one reads as False, as after a publish.
        return Published(id=video.id, title=video.title, is_draft=bool(video.is_draft))

    return app


def _studio(request: Request) -> AsyncStudio:
    studio: AsyncStudio = request.app.state.studio
    return studio


app = create_app()
