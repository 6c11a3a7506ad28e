"""What ``import aisquare_studio`` loads: the clients and errors, not the models, attrs, anyio,
httpcore, asyncio or msgspec, which load on first use; and first use from two threads at once,
or in a forked child, works. Each check runs in a fresh interpreter, where nothing is loaded yet."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from typing import Any

import pytest

from aisquare_studio.sandbox import SANDBOX_API_KEY

# Loaded on first use, never by the import: a module, or a package and its submodules.
LAZY = [
    "aisquare_studio_api.models.video_detail",
    "aisquare_studio_api.client",
    "aisquare_studio_api.api.subpackage_videos",
    "attr",
    "attrs",
    "anyio",
    "asyncio",
    "httpcore",
    "msgspec",
]

PRELUDE = """
import json, sys
LAZY = {lazy!r}
URL = {url!r}
KEY = {key!r}

def loaded():
    return sorted(
        name for name in LAZY
        if any(module == name or module.startswith(name + ".") for module in sys.modules)
    )

# What httpx itself loads is not the SDK's doing (httpx 0.27 loads httpcore, anyio and attrs).
import httpx
BY_HTTPX = loaded()

def report(stage, **facts):
    fresh = [name for name in loaded() if name not in BY_HTTPX]
    print(json.dumps({{"stage": stage, "loaded": fresh, "by_httpx": BY_HTTPX, **facts}}))
    sys.stdout.flush()
"""


def expected(stage: dict[str, Any], names: list[str]) -> list[str]:
    """``names``, less those ``import httpx`` had loaded already in that interpreter."""
    return [name for name in names if name not in stage["by_httpx"]]


def run(url: str, body: str) -> dict[str, dict[str, Any]]:
    """Run ``body`` in a fresh interpreter; its ``report(stage, ...)`` lines, by stage."""
    code = PRELUDE.format(lazy=LAZY, url=url, key=SANDBOX_API_KEY) + textwrap.dedent(body)
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    stages = [json.loads(line) for line in done.stdout.splitlines()]
    return {str(stage.pop("stage")): stage for stage in stages}


def test_the_import_loads_none_of_what_first_use_loads(sandbox_url: str) -> None:
    stages = run(
        sandbox_url,
        """
        import aisquare_studio
        report("import", all=len(aisquare_studio.__all__))
        model = aisquare_studio.VideoDetail
        from aisquare_studio_api.models.video_detail import VideoDetail
        report("model", same=model is VideoDetail)
        with aisquare_studio.Studio(api_key=KEY, base_url=URL) as studio:
            video = studio.videos.publish(101)
        report("sync", parsed=isinstance(video, VideoDetail))

        import asyncio

        async def publish():
            async with aisquare_studio.AsyncStudio(api_key=KEY, base_url=URL) as studio:
                return await studio.videos.publish(102)

        report("async", parsed=isinstance(asyncio.run(publish()), VideoDetail))
        """,
    )
    assert stages["import"]["loaded"] == []
    assert stages["import"]["all"] == len(__import__("aisquare_studio").__all__)
    model = stages["model"]
    assert model["loaded"] == expected(
        model, ["aisquare_studio_api.models.video_detail", "attr", "attrs"]
    )
    assert model["same"] is True
    sync, async_ = stages["sync"], stages["async"]
    assert sync["parsed"] is True
    assert set(expected(sync, ["aisquare_studio_api.client", "httpcore"])) <= set(sync["loaded"])
    assert async_["parsed"] is True
    assert set(expected(async_, ["anyio", "asyncio"])) <= set(async_["loaded"])


def test_two_threads_first_touching_at_once_share_what_loads(sandbox_url: str) -> None:
    stages = run(
        sandbox_url,
        """
        import threading
        import aisquare_studio

        studio = aisquare_studio.Studio(api_key=KEY, base_url=URL)
        start = threading.Barrier(2)
        seen = []

        def first_use(video_id):
            start.wait()
            model = aisquare_studio.VideoDetail
            videos = studio.videos
            seen.append((model, videos, isinstance(videos.publish(video_id), model)))

        threads = [threading.Thread(target=first_use, args=(video_id,)) for video_id in (101, 102)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        studio.close()
        report(
            "threads",
            calls=len(seen),
            models=len({model for model, _, _ in seen}),
            resources=len({id(videos) for _, videos, _ in seen}),
            parsed=all(parsed for _, _, parsed in seen),
        )
        """,
    )
    threads = stages["threads"]
    assert threads["loaded"] == expected(
        threads,
        [
            "aisquare_studio_api.api.subpackage_videos",
            "aisquare_studio_api.client",
            "aisquare_studio_api.models.video_detail",
            "anyio",
            "attr",
            "attrs",
            "httpcore",
            "msgspec",  # the first body parsed
        ],
    )
    facts = {key: threads[key] for key in ("calls", "models", "resources", "parsed")}
    assert facts == {"calls": 2, "models": 1, "resources": 1, "parsed": True}


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no os.fork on this platform")
def test_a_forked_child_loads_on_first_use(sandbox_url: str) -> None:
    stages = run(
        sandbox_url,
        """
        import os
        import aisquare_studio

        studio = aisquare_studio.Studio(api_key=KEY, base_url=URL)
        pid = os.fork()
        if pid == 0:  # the child: the models were not loaded before the fork
            ok = False
            try:
                ok = isinstance(studio.videos.publish(101), aisquare_studio.VideoDetail)
            finally:
                os._exit(0 if ok else 1)
        _, status = os.waitpid(pid, 0)
        report("fork", child=os.waitstatus_to_exitcode(status))
        report("parent", parsed=isinstance(studio.videos.publish(102), aisquare_studio.VideoDetail))
        studio.close()
        """,
    )
    assert stages["fork"]["child"] == 0
    assert "aisquare_studio_api.models.video_detail" not in stages["fork"]["loaded"]
    assert stages["parent"]["parsed"] is True
