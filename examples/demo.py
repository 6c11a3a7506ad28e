"""Publish a batch of draft videos concurrently against the local sandbox, and report.

One draft meets a scripted 503 and is retried; one id does not exist. Run with ``make demo``.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import time
from collections import Counter

from aisquare_studio import AsyncStudio, StudioError, VideoDetail
from aisquare_studio.sandbox import SANDBOX_API_KEY, Fault, Sandbox

MISSING_ID = 999


async def publish_all(studio: AsyncStudio, ids: list[int]) -> list[VideoDetail | StudioError]:
    async def one(video_id: int) -> VideoDetail | StudioError:
        try:
            return await studio.videos.publish(video_id)
        except StudioError as error:
            return error

    return await asyncio.gather(*(one(video_id) for video_id in ids))


def main() -> int:
    logging.basicConfig(stream=sys.stdout, format="  [%(name)s] %(message)s")
    logging.getLogger("aisquare_studio").setLevel(logging.INFO)  # shows each retry

    sandbox = Sandbox()
    drafts = sandbox.draft_ids[:5]
    ids = [*drafts, MISSING_ID]
    sandbox.inject(Fault.status(503), video_id=drafts[1])

    with sandbox.serve() as server:
        print(f"Sandbox serving the AISquare Studio API at {server.url}")
        print(f"Publishing {len(ids)} videos concurrently with AsyncStudio:")
        started = time.perf_counter()
        results = asyncio.run(run(server.url, ids))
        elapsed = time.perf_counter() - started

    attempts = Counter(request.video_id for request in sandbox.requests)
    print()
    for video_id, result in zip(ids, results, strict=True):
        tries = attempts[video_id]
        if isinstance(result, VideoDetail):
            state = "draft" if result.is_draft else "published"
            note = f"  ({tries} attempts)" if tries > 1 else ""
            print(f"  ok     {video_id:>4}  {result.title!r:42} {state}{note}")
        else:
            print(f"  error  {video_id:>4}  {type(result).__name__}: {result}")

    published = sum(isinstance(result, VideoDetail) for result in results)
    print()
    print(
        f"{published} published, {len(ids) - published} failed, "
        f"{len(sandbox.requests)} HTTP requests in {elapsed:.2f} s"
    )
    return 0 if published == len(drafts) else 1


async def run(base_url: str, ids: list[int]) -> list[VideoDetail | StudioError]:
    async with AsyncStudio(api_key=SANDBOX_API_KEY, base_url=base_url) as studio:
        return await publish_all(studio, ids)


if __name__ == "__main__":
    sys.exit(main())
