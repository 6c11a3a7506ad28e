"""The benchmark's code paths, for correctness only: every variant returns the same video, the
canned servers speak HTTP well enough for the SDK, and ``--quick`` prints every row.

No figure is checked against a goal here: speed is measured only by ``make bench``.
"""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import subprocess
import sys
import types
from pathlib import Path

import httpx
import pytest

import aisquare_studio
from aisquare_studio import AsyncStudio
from aisquare_studio_api.models import VideoDetail
from bench import parse_path, throughput
from bench.bodies import API_KEY, SECTIONS, VIDEO_IDS, publish_path, published_body
from bench.percall import MODES, async_variants, sync_variants
from bench.pydantic_models import VideoDetail as PydanticVideoDetail

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("sections", SECTIONS)
def test_the_bodies_are_published_videos_with_the_promised_sections(sections: int) -> None:
    document = json.loads(published_body(VIDEO_IDS[sections]))

    assert len(document["sections"]) == sections
    assert document["is_draft"] is False


def _same_video(raw: object, typed: object, sdk: object) -> None:
    assert isinstance(raw, dict)
    assert isinstance(typed, PydanticVideoDetail)
    assert isinstance(sdk, VideoDetail)
    assert sdk == VideoDetail.from_dict(raw)
    assert typed.model_dump(mode="json", exclude_unset=True)["uid"] == raw["uid"] == str(sdk.uid)
    assert len(typed.sections) == len(sdk.sections)


@pytest.mark.parametrize("sections", SECTIONS)
def test_sync_variants_return_the_same_video(sections: int) -> None:
    video_id = VIDEO_IDS[sections]
    calls, clients = sync_variants(video_id, published_body(video_id))
    try:
        _same_video(calls["raw"](), calls["pydantic"](), calls["sdk"]())
    finally:
        for client in clients:
            client.close()


@pytest.mark.parametrize("sections", SECTIONS)
def test_async_variants_return_the_same_video(sections: int) -> None:
    async def main() -> None:
        video_id = VIDEO_IDS[sections]
        calls, clients = async_variants(video_id, published_body(video_id))
        try:
            _same_video(await calls["raw"](), await calls["pydantic"](), await calls["sdk"]())
        finally:
            for client in clients:
                await client.aclose()

    asyncio.run(main())


def test_the_canned_servers_answer_every_publish_over_kept_alive_connections() -> None:
    async def main(url: str) -> None:
        async with AsyncStudio(api_key=API_KEY, base_url=url) as studio:
            for video_id in list(VIDEO_IDS.values()) * 3:
                video = await studio.videos.publish(video_id)
                assert video.id == video_id
        async with httpx.AsyncClient(base_url=url) as client:
            assert (await client.post(publish_path(999))).status_code == 404
            first = await client.post(publish_path(101), content=b'{"title": "x"}')
            again = await client.post(publish_path(101))
            assert first.content == again.content == published_body(101)
            assert first.extensions["network_stream"] is again.extensions["network_stream"]

    with throughput.Servers(2) as servers:
        asyncio.run(main(servers.url))
        assert all(seconds > 0 for seconds in servers.cpu_seconds())


def test_every_throughput_variant_publishes_through_the_servers() -> None:
    async def main(url: str) -> None:
        for variant in throughput.variants():
            async with variant.open(url) as publish:
                video = await publish(VIDEO_IDS[3])
            document = video.to_dict() if isinstance(video, VideoDetail) else video
            assert isinstance(document, dict)
            assert document["uid"] == json.loads(published_body(VIDEO_IDS[3]))["uid"]

    with throughput.Servers(1) as servers:
        asyncio.run(main(servers.url))


class _Counts:
    def __init__(self, fast: int, checked: int) -> None:
        self.fast, self.checked = fast, checked


def test_the_parse_path_counts_are_reported_when_the_sdk_has_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # An SDK without the counter (the package loads parse_counts on first touch, so stand in
    # a namespace without it rather than deleting it).
    monkeypatch.setattr(parse_path, "aisquare_studio", types.SimpleNamespace())
    assert parse_path.describe(parse_path.since(parse_path.snapshot())) == "n/a"
    monkeypatch.undo()

    counts = iter([_Counts(5, 1), _Counts(12, 4)])
    monkeypatch.setattr(aisquare_studio, "parse_counts", lambda: next(counts), raising=False)
    assert parse_path.describe(parse_path.since(parse_path.snapshot())) == "7 fast, 3 checked"


def test_the_quick_bench_prints_every_row() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--quick"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,  # a smoke run, generous for a loaded machine: nothing here is timed
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()

    per_call = [line for line in lines if re.match(r"(sync|async) +(3|30) ", line)]
    # Two tables (instructions, wall clock), each with every mode at every size.
    assert [line.split()[:2] for line in per_call] == [
        [mode, str(sections)] for mode in MODES for sections in SECTIONS
    ] * 2
    if shutil.which("valgrind") and (shutil.which("cc") or shutil.which("gcc")):
        assert not any("n/a" in line for line in per_call[:4]), per_call[:4]
        assert all(line.count(" M ") == 3 for line in per_call[:4]), per_call[:4]
    names = [variant.name for variant in throughput.variants()]
    for sections in SECTIONS:
        for name in names:
            assert any(re.match(rf" +{sections}  {re.escape(name)} +\d", line) for line in lines)
    assert any(line.startswith("client-bound: ") for line in lines)
    assert any(line.startswith("import ") and "import aisquare_studio" in line for line in lines)
    assert any(line.startswith("first publish ") for line in lines)
    assert any(line.startswith("parse path counts: ") for line in lines)
