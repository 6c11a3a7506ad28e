"""The benchmark's code paths, run once for correctness: every variant returns the same video."""

from __future__ import annotations

import asyncio
import json

import pytest

from aisquare_studio_api.models import VideoDetail
from bench.pydantic_models import VideoDetail as PydanticVideoDetail
from bench.run import BODIES, async_variants, published_body, sync_variants


@pytest.mark.parametrize("sections", sorted(BODIES))
def test_the_bodies_are_published_videos_with_the_promised_sections(sections: int) -> None:
    document = json.loads(published_body(BODIES[sections]))

    assert len(document["sections"]) == sections
    assert document["is_draft"] is False


def _same_video(raw: object, typed: object, sdk: object) -> None:
    assert isinstance(raw, dict)
    assert isinstance(typed, PydanticVideoDetail)
    assert isinstance(sdk, VideoDetail)
    assert sdk == VideoDetail.from_dict(raw)
    assert typed.model_dump(mode="json", exclude_unset=True)["uid"] == raw["uid"] == str(sdk.uid)
    assert len(typed.sections) == len(sdk.sections)


@pytest.mark.parametrize("sections", sorted(BODIES))
def test_sync_variants_return_the_same_video(sections: int) -> None:
    video_id = BODIES[sections]
    calls, clients = sync_variants(video_id, published_body(video_id))
    try:
        _same_video(calls["raw"](), calls["pydantic"](), calls["sdk"]())
    finally:
        for client in clients:
            client.close()


@pytest.mark.parametrize("sections", sorted(BODIES))
def test_async_variants_return_the_same_video(sections: int) -> None:
    async def main() -> None:
        video_id = BODIES[sections]
        calls, clients = async_variants(video_id, published_body(video_id))
        try:
            _same_video(await calls["raw"](), await calls["pydantic"](), await calls["sdk"]())
        finally:
            for client in clients:
                await client.aclose()

    asyncio.run(main())
