"""Response bodies are read within bounds: a huge body or a decompression bomb ends the call
with ResponseTooLargeError, drops the connection, and costs bounded memory."""

from __future__ import annotations

import functools
import gzip
import json
import tracemalloc
import zlib

import anyio
import pytest

from aisquare_studio import ResponseTooLargeError, RetryPolicy, Studio, StudioError
from aisquare_studio._body import DEFAULT_MAX_RESPONSE_BYTES
from aisquare_studio.sandbox import SANDBOX_API_KEY, Sandbox
from tests.clients import KINDS, backend_for_kind, kind_param, publish_once
from tests.faultserver import GOOD_BODY, FaultServer, respond

KEY = "aisq_test_key_for_bodies"
kind = pytest.fixture(params=KINDS, name="kind")(kind_param)
anyio_backend = pytest.fixture(name="anyio_backend")(backend_for_kind)
RETRYING = RetryPolicy(initial_delay=0, max_delay=0, budget=None)


@functools.cache
def bomb() -> bytes:
    """300 MB of JSON whitespace, gzipped to about 300 kB, built without holding the 300 MB."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: a gzip container
    spaces = b" " * 1_000_000
    return b"".join([packer.compress(b"{"), *(packer.compress(spaces) for _ in range(300))]) + (
        packer.compress(b"}") + packer.flush()
    )


async def publish_against(kind: str, server: FaultServer, **options: object) -> StudioError:
    with anyio.fail_after(30), pytest.raises(StudioError) as caught:
        await publish_once(
            kind, 101, api_key=KEY, base_url=server.url, retry_policy=RETRYING, **options
        )
    return caught.value


@pytest.mark.anyio
@pytest.mark.parametrize("status", [200, 503])
async def test_a_body_past_max_response_bytes_is_refused_and_not_retried(
    kind: str, status: int
) -> None:
    big = json.dumps({"detail": "x" * 200_000}).encode()
    with FaultServer(respond(status, body=big), respond()) as server:
        error = await publish_against(kind, server, max_response_bytes=100_000)
        assert server.attempts == 1
    assert isinstance(error, ResponseTooLargeError)
    assert error.limit == 100_000
    assert error.status_code == status
    assert "max_response_bytes (100000 bytes)" in str(error)


@pytest.mark.anyio
async def test_a_decompression_bomb_is_refused_with_bounded_memory(kind: str) -> None:
    assert len(bomb()) < 400_000
    with FaultServer(respond(200, body=bomb(), Content_Encoding="gzip")) as server:
        tracemalloc.start()
        try:
            error = await publish_against(kind, server)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert server.attempts == 1
    assert isinstance(error, ResponseTooLargeError)
    assert "inflates more than 100 times" in str(error)
    assert peak < 64 * 1024 * 1024  # the inflated body would be 300 MB


@pytest.mark.anyio
async def test_a_compressed_video_within_the_limits_is_read(kind: str) -> None:
    with FaultServer(
        respond(200, body=gzip.compress(GOOD_BODY), Content_Encoding="gzip")
    ) as server:
        with anyio.fail_after(30):
            video = await publish_once(
                kind, 101, api_key=KEY, base_url=server.url, retry_policy=RETRYING
            )
    assert video.id == 101


def test_the_default_limit_is_far_above_any_video() -> None:
    # A VideoDetail with 30 sections is about 38 kB.
    assert DEFAULT_MAX_RESPONSE_BYTES >= 400 * 38_000


@pytest.mark.parametrize("bad", [0, -1, 1.5, True, "1000"])
def test_max_response_bytes_is_checked_at_construction(bad: object) -> None:
    with pytest.raises((TypeError, ValueError), match="max_response_bytes"):
        Studio(api_key=KEY, base_url="http://127.0.0.1:9", max_response_bytes=bad)  # type: ignore[arg-type]


def test_with_options_sets_the_limit_for_a_copy_only() -> None:
    big = json.dumps({"detail": "x" * 200_000}).encode()
    with FaultServer(respond(503, body=big), respond(503, body=big)) as server:
        studio = Studio(api_key=KEY, base_url=server.url, max_retries=0)
        with pytest.raises(ResponseTooLargeError, match="100000 bytes"):
            studio.with_options(max_response_bytes=100_000).videos.publish(101)
        with pytest.raises(StudioError) as caught:
            studio.videos.publish(101)
        assert not isinstance(caught.value, ResponseTooLargeError)  # 200 kB is within 16 MiB
        studio.close()


@pytest.mark.anyio
@pytest.mark.parametrize("encoding", ["gzip, gzip", "gzip,deflate", "br", "zstd"])
async def test_a_body_encoded_in_layers_or_unasked_ways_is_refused_unread(
    kind: str, encoding: str
) -> None:
    # Two gzip layers inflate a million times: 823 bytes on the wire can become 800 MB.
    body = gzip.compress(gzip.compress(b"{" + b" " * 10_000_000 + b"}"))
    with FaultServer(respond(200, body=body, Content_Encoding=encoding)) as server:
        tracemalloc.start()
        try:
            error = await publish_against(kind, server)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert isinstance(error, ResponseTooLargeError)
    assert "one layer of gzip or deflate" in str(error)
    assert peak < 8 * 1024 * 1024


def test_the_sdk_asks_only_for_encodings_it_can_bound(sandbox_url: str, sandbox: Sandbox) -> None:
    with Studio(api_key=SANDBOX_API_KEY, base_url=sandbox_url) as studio:
        studio.videos.publish(101)
    assert sandbox.requests[0].headers["accept-encoding"] == "gzip, deflate"
