"""Every GTM studio facade method end to end over loopback, with one kind of client:
``python -m tests.spec_growth.drive sync|asyncio|trio``, in an interpreter whose first
sys.path entry holds the package generated from tests/spec_variants/studios.yaml (its folder
is in $AISQUARE_STUDIO_VARIANT). Prints one line per scenario; exits non-zero on the first
failure."""

from __future__ import annotations

import contextlib
import functools
import io
import json
import os
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import anyio
import anyio.to_thread

import aisquare_studio_api
from aisquare_studio import (
    APITimeoutError,
    AsyncStudio,
    GtmStudio,
    InternalServerError,
    NotFoundError,
    PageLimitError,
    PaginatedGtmStudioList,
    PermissionDeniedError,
    ResponseValidationError,
    RetryPolicy,
    Studio,
    StudioError,
)
from tests import studioserver as srv
from tests.faultserver import respond, stall
from tests.spec_growth import studios_user

NO_WAIT = RetryPolicy(initial_delay=0, max_delay=0, jitter=0, budget=None)


class Client:
    """One ``Studio`` (its calls in a worker thread) or ``AsyncStudio``, one interface."""

    def __init__(self, kind: str, url: str, **options: Any) -> None:
        options = {"api_key": "sk_test_growth", "base_url": url, "trust_env": False} | options
        self.kind = kind
        self.studio: Any = (Studio if kind == "sync" else AsyncStudio)(
            retry_policy=NO_WAIT, **options
        )

    async def call(self, method_name: str, /, *args: Any, **kwargs: Any) -> Any:
        method = getattr(self.studio.gtm_studio, method_name)
        if self.kind == "sync":
            if method_name.endswith("_all"):
                return await anyio.to_thread.run_sync(lambda: list(method(*args, **kwargs)))
            return await anyio.to_thread.run_sync(functools.partial(method, *args, **kwargs))
        if method_name.endswith("_all"):
            return [item async for item in method(*args, **kwargs)]
        return await method(*args, **kwargs)

    async def call_raw(self, method_name: str, /, *args: Any, **kwargs: Any) -> Any:
        method = getattr(self.studio.gtm_studio.with_raw_response, method_name)
        if self.kind == "sync":
            return await anyio.to_thread.run_sync(functools.partial(method, *args, **kwargs))
        return await method(*args, **kwargs)

    async def browse(self, uid: str) -> studios_user.Browsed:
        if self.kind == "sync":
            return await anyio.to_thread.run_sync(studios_user.browse, self.studio, uid)
        return await studios_user.abrowse(self.studio, uid)

    async def close(self) -> None:
        if self.kind == "sync":
            await anyio.to_thread.run_sync(self.studio.close)
        else:
            await self.studio.aclose()


async def raises(kind: type[BaseException], call: Awaitable[Any]) -> Any:
    try:
        await call
    except kind as error:
        return error
    raise AssertionError(f"{kind.__name__} not raised")


async def typed_results(client: Client, server: srv.StudioServer) -> None:
    page, everything, one, made = await client.browse("gs_3")
    assert isinstance(page, PaginatedGtmStudioList), page
    assert page.count == 6
    assert page.next_ == f"{server.url}/api/v1/gtm-studios/?page=2"
    assert all(isinstance(item, GtmStudio) for item in [*page.results, *everything, one, made])
    wanted = [uid for number in range(1, srv.PAGES + 1) for uid in srv.page_uids(number)]
    assert [item.uid for item in everything] == wanted, everything
    assert one.uid == "gs_3"
    assert made.name == "Launch"
    lists = [r.query for r in server.requests if r.route == srv.LIST]
    wanted_query = {"page": ["1"], "page_size": ["2"], "search": ["launch"]}
    assert lists[0] == wanted_query | {"status": ["active", "draft"]}, lists
    assert lists[1:] == [{"page": [str(n)], "page_size": ["2"]} for n in (1, 2, 3)], lists
    (created,) = [r for r in server.requests if r.route == srv.CREATE]
    # Only what was given is sent: the optional fields left UNSET are not in the body.
    sent = {"name": "Launch", "website": "https://example.com/launch", "tags": [4]}
    assert json.loads(created.body) == sent, created.body
    assert made.tags == [4]


async def broken_body(client: Client, server: srv.StudioServer) -> None:
    page = srv.studios_answer(srv.Request("GET", srv.LIST[1], {}, b""), server.url)[1]
    assert isinstance(page, dict)
    page["results"][1]["workspace"] = "seven"
    server.script(srv.LIST, respond(200, json.dumps(page).encode()))
    error = await raises(ResponseValidationError, client.call("list"))
    assert error.field == "results[1].workspace", error.field
    server.script(srv.RETRIEVE, respond(200, json.dumps(srv.studio("gs_1", status=3)).encode()))
    error = await raises(ResponseValidationError, client.call("retrieve", "gs_1"))
    assert error.field == "status", error.field


async def declared_errors(client: Client, server: srv.StudioServer) -> None:
    error = await raises(NotFoundError, client.call("retrieve", srv.MISSING_UID))
    assert error.body == srv.NOT_FOUND, error.body
    assert error.attempts == 1  # a 404 is not retried
    error = await raises(PermissionDeniedError, client.call("retrieve", srv.FORBIDDEN_UID))
    assert error.body == srv.FORBIDDEN, error.body
    assert error.status_code == 403


async def string_ids(client: Client, server: srv.StudioServer) -> None:
    error = await raises(ValueError, client.call("retrieve", ""))
    assert "studio_uid" in str(error), error
    await raises(TypeError, client.call("retrieve", 3))
    for dots in (".", ".."):  # a URL parser drops such a segment: another path would be asked
        error = await raises(ValueError, client.call("retrieve", dots))
        assert "another path" in str(error), error
    assert server.requests == [], server.requests  # refused before anything was sent
    await client.call("retrieve", "gs/1 ?#")  # quoted into one path segment
    assert server.requests[-1].path == "/api/v1/gtm-studios/gs%2F1%20%3F%23/", server.requests


async def raw_responses(client: Client, server: srv.StudioServer) -> None:
    # The new resource has its raw variants too, retried like the rest.
    answer = respond(200, json.dumps(srv.studio("gs_1")).encode(), X_Request_Id="req_raw")
    server.script(srv.RETRIEVE, respond(502, b"{}"), answer)
    raw = await client.call_raw("retrieve", "gs_1")
    assert (raw.status_code, raw.request_id) == (200, "req_raw"), raw
    assert isinstance(raw.parse(), GtmStudio), raw.parsed
    assert raw.parsed.uid == "gs_1", raw.parsed
    page = await client.call_raw("list", page=2)
    assert [item.uid for item in page.parse().results] == srv.page_uids(2)
    error = await raises(NotFoundError, client.call_raw("retrieve", srv.MISSING_UID))
    assert error.status_code == 404
    assert not hasattr(client.studio.gtm_studio.with_raw_response, "list_all")


async def retries(client: Client, server: srv.StudioServer) -> None:
    # A POST that may have been processed is not repeated...
    server.script(srv.CREATE, respond(500, b'{"detail": "boom"}'))
    await raises(InternalServerError, client.call("create", name="Once"))
    assert server.attempts(srv.CREATE) == 1
    # ...but one the server refused before processing it (429, 503) is.
    server.script(srv.CREATE, respond(503, b"{}"), respond(429, b"{}", Retry_After="0"))
    made = await client.call("create", name="Thrice")
    assert made.name == "Thrice"
    assert server.attempts(srv.CREATE) == 4
    # The GETs are idempotent: retried after a 500.
    server.script(srv.LIST, respond(500, b"{}"))
    page = await client.call("list", page=2)
    assert [item.uid for item in page.results] == srv.page_uids(2)
    assert server.attempts(srv.LIST) == 2
    server.script(srv.RETRIEVE, respond(502, b"{}"), respond(500, b"{}"))
    assert (await client.call("retrieve", "gs_2")).uid == "gs_2"
    assert server.attempts(srv.RETRIEVE) == 3


async def read_timeout(kind: str, server: srv.StudioServer) -> None:
    # The server took the POST and says nothing: it may be creating the studio, so no retry.
    client = Client(kind, server.url, timeout=0.3)
    try:
        server.script(srv.CREATE, stall())
        error = await raises(APITimeoutError, client.call("create", name="Slow"))
        assert error.attempts == 1
        assert server.attempts(srv.CREATE) == 1
        server.script(srv.LIST, stall())
        page = await client.call("list")  # a GET is retried after a timeout
        assert page.count == 6
        assert server.attempts(srv.LIST) == 2
    finally:
        await client.close()


async def page_limit(client: Client, server: srv.StudioServer) -> None:
    # Three pages on the server, two allowed: an error from the tree, not a silent end.
    error = await raises(PageLimitError, client.call("list_all", page_size=2, max_pages=2))
    assert isinstance(error, StudioError), type(error).__mro__
    assert (error.operation_id, error.max_pages) == ("gtm-studios-list", 2), error
    assert [r.query["page"] for r in server.requests if r.route == srv.LIST] == [["1"], ["2"]]
    await raises(ValueError, client.call("list_all", max_pages=0))


def command_line() -> None:
    # The CLI is derived from the same facade: a required body field is a required option.
    from aisquare_studio._cli import main as cli

    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr):
        code = cli(["gtm_studio", "create"])
    assert code == 2, (code, stderr.getvalue())
    assert "create needs --name" in stderr.getvalue(), stderr.getvalue()


Scenario = Callable[[Client, srv.StudioServer], Awaitable[None]]
SCENARIOS: list[Scenario] = [
    typed_results,
    broken_body,
    declared_errors,
    string_ids,
    retries,
    raw_responses,
    page_limit,
]


async def main(kind: str) -> None:
    with srv.StudioServer() as server:
        client = Client(kind, server.url)
        try:
            for scenario in SCENARIOS:
                server.clear()
                await scenario(client, server)
                print(f"{kind}: {scenario.__name__} ok", flush=True)  # noqa: T201  (the report)
        finally:
            await client.close()
        server.clear()
        await read_timeout(kind, server)
        print(f"{kind}: read_timeout ok", flush=True)  # noqa: T201
    if kind == "sync":
        command_line()
        print(f"{kind}: command_line ok", flush=True)  # noqa: T201


if __name__ == "__main__":
    variant = Path(os.environ["AISQUARE_STUDIO_VARIANT"]).resolve()
    assert Path(aisquare_studio_api.__file__).resolve().is_relative_to(variant)
    chosen = sys.argv[1]
    anyio.run(main, chosen, backend="trio" if chosen == "trio" else "asyncio")
