"""The canned answers every figure uses: the sandbox's published videos, 3 and 30 sections.

The per-call, throughput and first-publish figures all parse these same bytes, so their ratios
compare clients, never bodies.
"""

from __future__ import annotations

import json

import httpx

from aisquare_studio.sandbox import SANDBOX_API_KEY, Sandbox

BASE_URL = "http://sandbox.localhost"
API_KEY = SANDBOX_API_KEY
HEADERS = {"Authorization": f"Bearer {API_KEY}"}
# Sandbox drafts: 101 has 3 sections (5.6 kB published), 130 has 30 (38 kB).
VIDEO_IDS = {3: 101, 30: 130}
SECTIONS = sorted(VIDEO_IDS)
RESPONSE_HEADERS = {"Content-Type": "application/json", "X-Request-Id": "req_bench"}


def published_body(video_id: int) -> bytes:
    """The JSON body the server answers a publish of ``video_id`` with, as the sandbox sends it."""
    document = Sandbox().video(video_id)
    document["is_draft"] = False
    return json.dumps(document).encode()


def publish_path(video_id: int) -> str:
    return f"/api/v1/videos/{video_id}/publish/"


def mock_transport(body: bytes) -> httpx.MockTransport:
    """An in-process transport answering every request with ``body``: no sockets, no server."""
    return httpx.MockTransport(
        lambda request: httpx.Response(200, headers=RESPONSE_HEADERS, content=body)
    )
