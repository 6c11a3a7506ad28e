"""``AsyncStudio(transport="aiohttp")``: how it is chosen and what it refuses. Every guarantee
of the transport itself runs in the shared tests, whose ``kind`` includes ``aiohttp``
(tests/clients.py)."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from typing import Any

import httpx
import pytest
import trio

from aisquare_studio import AsyncStudio, Studio, StudioError
from aisquare_studio._config import DEFAULT_LIMITS
from aisquare_studio._connections import Connections
from aisquare_studio._sockets import Sockets
from aisquare_studio.sandbox import SANDBOX_API_KEY, Sandbox
from tests.relays import SilentServer

KEY = SANDBOX_API_KEY


def test_the_sync_client_says_aiohttp_is_async_only() -> None:
    with pytest.raises(StudioError, match=r"for AsyncStudio only: aiohttp has no sync client"):
        Studio(api_key=KEY, transport="aiohttp")  # type: ignore[arg-type]


def test_the_sync_client_takes_httpx_by_name(sandbox_url: str) -> None:
    with Studio(api_key=KEY, base_url=sandbox_url, transport="httpx") as studio:
        assert studio.videos.publish(101).id == 101


def test_without_the_extra_the_error_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "aiohttp", None)  # import aiohttp raises ImportError
    monkeypatch.delitem(sys.modules, "aisquare_studio._aiohttp", raising=False)
    with pytest.raises(StudioError, match=r"pip install 'aisquare-studio\[aiohttp\]'"):
        AsyncStudio(api_key=KEY, transport="aiohttp")


def test_aiohttp_is_imported_only_when_chosen() -> None:
    script = (
        "import sys\n"
        "from aisquare_studio import AsyncStudio\n"
        "AsyncStudio(api_key='k')\n"
        "before = 'aiohttp' in sys.modules\n"
        "AsyncStudio(api_key='k', transport='aiohttp')\n"
        "print(before, 'aiohttp' in sys.modules)\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert run.stdout.split() == ["False", "True"]


def test_built_under_trio_it_is_refused_at_once() -> None:
    async def build() -> None:
        AsyncStudio(api_key=KEY, transport="aiohttp")

    with pytest.raises(StudioError, match="runs on asyncio only"):
        trio.run(build)


def test_called_under_trio_it_fails_clearly_and_sends_nothing(sandbox: Sandbox) -> None:
    studio = AsyncStudio(api_key=KEY, base_url="http://127.0.0.1:9", transport="aiohttp")
    with pytest.raises(StudioError, match="runs on asyncio only"):
        trio.run(studio.videos.publish, 101)


def test_the_environment_chooses_the_transport(
    monkeypatch: pytest.MonkeyPatch, sandbox_url: str
) -> None:
    monkeypatch.setenv("AISQUARE_TRANSPORT", "aiohttp")
    studio = AsyncStudio(api_key=KEY, base_url=sandbox_url)
    with pytest.raises(StudioError, match="runs on asyncio only"):  # aiohttp's, then
        trio.run(studio.videos.publish, 101)
    # The sync client has no other pool: the variable is the async client's.
    with Studio(api_key=KEY, base_url=sandbox_url) as sync_studio:
        assert sync_studio.videos.publish(101).id == 101

    # An argument wins over the variable.
    async def publish() -> int:
        async with AsyncStudio(api_key=KEY, base_url=sandbox_url, transport="httpx") as studio:
            return (await studio.videos.publish(102)).id

    assert trio.run(publish) == 102


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"transport": "requests"}, r"transport must be 'httpx' or 'aiohttp'"),
        ({"transport": "aiohttp", "proxy": "socks5://127.0.0.1:1080"}, r"cannot use a socks5"),
    ],
)
def test_unusable_choices_are_refused_at_construction(
    options: dict[str, Any], message: str
) -> None:
    with pytest.raises(StudioError, match=message):
        AsyncStudio(api_key=KEY, **options)


def test_a_bad_variable_is_refused_naming_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AISQUARE_TRANSPORT", "aiohttp2")
    with pytest.raises(StudioError, match=r"AISQUARE_TRANSPORT must be 'httpx' or 'aiohttp'"):
        AsyncStudio(api_key=KEY)


def test_a_connection_opening_after_close_is_refused_unsent() -> None:
    # aclose() shuts the sockets down; a call already past its checks must not open a new one.
    connections = Connections.build(
        "http://127.0.0.1", DEFAULT_LIMITS, proxy=None, verify=True, trust_env=False
    )
    sockets = Sockets()
    transport = connections.aiohttp_transport(sockets)
    sockets.shut_down()

    async def send(url: str) -> None:
        try:
            async with asyncio.timeout(30):  # a connection that opened would wait for ever
                await transport.handle_async_request(httpx.Request("GET", url))
        finally:
            await transport.aclose()

    with SilentServer() as server:
        with pytest.raises(httpx.ConnectError):
            asyncio.run(send(server.url))
        assert server.accepted == 0
