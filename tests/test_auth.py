"""Tests for _auth.py: the Bearer header, rotating keys, and keys that never leak into errors.

Each behaviour runs through a real ``httpx.Client`` and ``httpx.AsyncClient`` (the auth flow is
what httpx drives), over a MockTransport: no sockets. Sync and async share one test body.
"""

from __future__ import annotations

import gc
import warnings
from collections.abc import Awaitable, Callable, Iterator
from typing import Literal, cast

import httpx
import pytest

from aisquare_studio import StudioError
from aisquare_studio._auth import BearerAuth, check_key
from aisquare_studio.sandbox import Sandbox
from tests.spec_checking import spec_checked

Mode = Literal["sync", "async"]

URL = "https://api.aisquare.studio/api/v1/videos/42/publish/"
# Every exchange is checked against openapi.yaml (spec_checked): the spec's request body and 200
# body are both a whole VideoDetail, so these are one, taken from the sandbox's seed.
VIDEO = Sandbox().video(101)
BODY = VIDEO


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> Mode:
    """Which httpx client drives the auth flow."""
    return cast(Mode, request.param)


class Server:
    """A MockTransport handler recording the Authorization header and body of every request."""

    def __init__(
        self, accept: Callable[[str | None], bool] = lambda _: True, reject_status: int = 401
    ) -> None:
        self.accept = accept
        self.reject_status = reject_status
        self.seen: list[str | None] = []
        self.bodies: list[bytes] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        authorization = request.headers.get("authorization")
        self.seen.append(authorization)
        self.bodies.append(request.read())
        if self.accept(authorization):
            return httpx.Response(200, json=VIDEO)
        return httpx.Response(self.reject_status, json={"detail": "Rejected."})


class Keys:
    """A rotating key source: returns the given keys in turn and counts its calls."""

    def __init__(self, *keys: str) -> None:
        self._keys: Iterator[str] = iter(keys)
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        return next(self._keys)


async def post(mode: Mode, auth: BearerAuth, server: Server, times: int = 1) -> list[int]:
    """Send ``times`` requests through a fresh client; return their final status codes."""
    transport = spec_checked(httpx.MockTransport(server))
    if mode == "sync":
        return _post_sync(transport, auth, times)
    async with httpx.AsyncClient(transport=transport, auth=auth) as client:
        return [(await client.post(URL, json=BODY)).status_code for _ in range(times)]


def _post_sync(transport: httpx.BaseTransport, auth: BearerAuth, times: int) -> list[int]:
    # MockTransport never blocks, so driving the sync client from an async test is harmless.
    with httpx.Client(transport=transport, auth=auth) as client:
        return [client.post(URL, json=BODY).status_code for _ in range(times)]


@pytest.mark.anyio
async def test_static_key_is_sent_as_bearer(mode: Mode) -> None:
    server = Server()

    assert await post(mode, BearerAuth("sk-live-123"), server, times=2) == [200, 200]
    assert server.seen == ["Bearer sk-live-123", "Bearer sk-live-123"]


@pytest.mark.anyio
async def test_callable_key_is_asked_once_per_request(mode: Mode) -> None:
    server = Server()
    keys = Keys("tok-1", "tok-2", "tok-3")

    assert await post(mode, BearerAuth(keys), server, times=3) == [200, 200, 200]
    assert keys.calls == 3
    assert server.seen == ["Bearer tok-1", "Bearer tok-2", "Bearer tok-3"]


@pytest.mark.anyio
async def test_after_401_a_rotating_key_is_asked_again_and_the_request_resent_once(
    mode: Mode,
) -> None:
    server = Server(accept=lambda authorization: authorization == "Bearer tok-new")
    keys = Keys("tok-old", "tok-new")

    assert await post(mode, BearerAuth(keys), server) == [200]
    assert server.seen == ["Bearer tok-old", "Bearer tok-new"]
    assert server.bodies[1] == server.bodies[0] != b""
    assert keys.calls == 2


@pytest.mark.anyio
async def test_static_key_is_not_resent_after_401(mode: Mode) -> None:
    server = Server(accept=lambda _: False)

    assert await post(mode, BearerAuth("sk-revoked"), server) == [401]
    assert server.seen == ["Bearer sk-revoked"]


@pytest.mark.anyio
async def test_second_401_after_rotation_is_returned_not_looped(mode: Mode) -> None:
    server = Server(accept=lambda _: False)
    keys = Keys("tok-1", "tok-2", "tok-3", "tok-4")

    assert await post(mode, BearerAuth(keys), server) == [401]
    assert server.seen == ["Bearer tok-1", "Bearer tok-2"]
    assert keys.calls == 2


@pytest.mark.anyio
@pytest.mark.parametrize("status", [403, 407, 429, 500])
async def test_other_failures_are_not_resent_with_a_new_key(mode: Mode, status: int) -> None:
    server = Server(accept=lambda _: False, reject_status=status)
    keys = Keys("tok-1", "tok-2")

    assert await post(mode, BearerAuth(keys), server) == [status]
    assert server.seen == ["Bearer tok-1"]
    assert keys.calls == 1


@pytest.mark.anyio
async def test_async_callable_key_works_with_the_async_client() -> None:
    calls: list[str] = []

    async def current_token() -> str:
        calls.append("called")
        return f"tok-async-{len(calls)}"

    server = Server(accept=lambda authorization: authorization == "Bearer tok-async-2")

    assert await post("async", BearerAuth(current_token), server) == [200]
    assert server.seen == ["Bearer tok-async-1", "Bearer tok-async-2"]
    assert len(calls) == 2


def test_async_callable_key_with_a_sync_client_is_a_clear_error() -> None:
    async def current_token() -> str:
        return "tok-async"

    server = Server()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with (
            httpx.Client(
                transport=spec_checked(httpx.MockTransport(server)),
                auth=BearerAuth(current_token),
            ) as client,
            pytest.raises(StudioError, match="async") as excinfo,
        ):
            client.post(URL)
        del excinfo  # its traceback holds the frames that held the coroutine
        gc.collect()

    assert server.seen == []
    assert [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)] == []


class VaultDownError(Exception):
    pass


@pytest.mark.anyio
async def test_key_callable_that_raises_is_a_studio_error_with_the_cause(mode: Mode) -> None:
    original = VaultDownError("refresh of sk-live-expired-999 failed")

    def current_token() -> str:
        raise original

    server = Server()
    with pytest.raises(StudioError) as excinfo:
        await post(mode, BearerAuth(current_token), server)

    assert excinfo.value.__cause__ is original
    assert "sk-live-expired-999" not in str(excinfo.value)
    assert server.seen == []


@pytest.mark.anyio
async def test_async_key_callable_that_raises_is_a_studio_error_with_the_cause() -> None:
    original = VaultDownError("refresh of sk-live-expired-999 failed")

    async def current_token() -> str:
        raise original

    server = Server()
    with pytest.raises(StudioError) as excinfo:
        await post("async", BearerAuth(current_token), server)

    assert excinfo.value.__cause__ is original
    assert "sk-live-expired-999" not in str(excinfo.value)
    assert server.seen == []


@pytest.mark.anyio
async def test_key_callable_that_fails_on_rotation_is_a_studio_error(mode: Mode) -> None:
    calls: list[str] = []

    def current_token() -> str:
        calls.append("called")
        if len(calls) > 1:
            raise VaultDownError("vault sealed")
        return "tok-old"

    server = Server(accept=lambda _: False)
    with pytest.raises(StudioError) as excinfo:
        await post(mode, BearerAuth(current_token), server)

    assert isinstance(excinfo.value.__cause__, VaultDownError)
    assert server.seen == ["Bearer tok-old"]


# Values a key source might return that must never reach an Authorization header. ``shown`` is
# the part that would reveal the key if an error message repeated it.
BAD_STR_KEYS = [
    pytest.param("", None, id="empty"),
    pytest.param("   ", None, id="blank"),
    pytest.param(" sk-live-lead", "sk-live-lead", id="leading-space"),
    pytest.param("sk-live-trail ", "sk-live-trail", id="trailing-space"),
    pytest.param("sk-li\nve-newline", "sk-li", id="newline"),
    pytest.param("sk-li\r\nX-Injected: 1", "X-Injected", id="header-injection"),
    pytest.param("sk-live-tab\t", "sk-live-tab", id="tab"),
    pytest.param("sk-live-nul\x00", "sk-live-nul", id="nul"),
    pytest.param("sk-lïve-accent", "sk-lïve-accent", id="non-ascii"),
    pytest.param("ключ-секрет", "ключ-секрет", id="cyrillic"),
]
BAD_KEYS = [
    pytest.param(12345678, "12345678", id="int"),
    pytest.param(None, None, id="none"),
    pytest.param(b"sk-live-bytes", "sk-live-bytes", id="bytes"),
    *BAD_STR_KEYS,
]


@pytest.mark.anyio
@pytest.mark.parametrize(("key", "shown"), BAD_KEYS)
async def test_bad_key_from_a_callable_is_refused_without_showing_it(
    mode: Mode, key: object, shown: str | None
) -> None:
    server = Server()
    # The callable breaks its declared return type on purpose: that is what is under test.
    source = cast(Callable[[], str], lambda: key)

    with pytest.raises(StudioError) as excinfo:
        await post(mode, BearerAuth(source), server)

    if shown is not None:
        assert shown not in str(excinfo.value)
    assert server.seen == []


@pytest.mark.anyio
@pytest.mark.parametrize(("key", "shown"), BAD_KEYS)
async def test_bad_key_from_an_async_callable_is_refused_without_showing_it(
    key: object, shown: str | None
) -> None:
    server = Server()

    async def current_token() -> object:
        return key

    source = cast(Callable[[], Awaitable[str]], current_token)
    with pytest.raises(StudioError) as excinfo:
        await post("async", BearerAuth(source), server)

    if shown is not None:
        assert shown not in str(excinfo.value)
    assert server.seen == []


@pytest.mark.parametrize(("key", "shown"), BAD_STR_KEYS)
def test_bad_static_key_is_refused_when_the_client_is_built(key: str, shown: str | None) -> None:
    with pytest.raises(StudioError) as excinfo:
        BearerAuth(key)

    if shown is not None:
        assert shown not in str(excinfo.value)


@pytest.mark.parametrize(("key", "shown"), BAD_KEYS)
def test_check_key_refuses_without_showing_the_key(key: object, shown: str | None) -> None:
    with pytest.raises(StudioError) as excinfo:
        check_key(key)

    if shown is not None:
        assert shown not in str(excinfo.value)


def test_key_with_an_inner_space_is_refused() -> None:
    # A Bearer token (RFC 6750) has no spaces, and the error text promises they are refused;
    # sent anyway, the server sees a malformed header and answers a puzzling 401.
    with pytest.raises(StudioError, match="spaces"):
        check_key("sk-live-in ner")


@pytest.mark.parametrize("key", ["sk-live-123", "eyJhbGciOiJIUzI1NiJ9.e30.sig_-=", "a"])
def test_check_key_accepts_a_header_safe_key(key: str) -> None:
    assert check_key(key) == key


def test_empty_key_error_says_how_to_provide_one() -> None:
    with pytest.raises(StudioError, match="AISQUARE_API_KEY"):
        BearerAuth("")


def test_repr_does_not_show_the_key() -> None:
    auth = BearerAuth("sk-secret")

    assert "sk-secret" not in repr(auth)
    assert "sk-secret" not in str(auth)
    assert "BearerAuth" in repr(auth)
