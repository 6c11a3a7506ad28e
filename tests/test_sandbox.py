"""The sandbox behaves like the real API, in process and over loopback, faults included."""

from __future__ import annotations

import ast
import dataclasses
import threading
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest

import aisquare_studio.sandbox as sandbox_package
from aisquare_studio.sandbox import SANDBOX_API_KEY, Fault, Sandbox
from tests.spec_checking import SpecCheckedSandbox
from tests.spec_validation import validate_exchange

AUTH = {"Authorization": f"Bearer {SANDBOX_API_KEY}"}
SEEDED_DRAFTS = [101, 102, 103, 104, 105, 106, 130]

# Every exchange with the sandbox is checked against the patched spec (tests/spec_checking.py),
# where publish's body is a VideoDetailRequest with nothing required: partial bodies conform.
# These tests prove the sandbox answers requests the spec does not allow as DRF would, so they
# opt out.
BAD_BODY = pytest.mark.spec_violation("a malformed request body, to get DRF's 400")
OFF_SPEC_ROUTE = pytest.mark.spec_violation("a path or method the spec does not declare")
INT32_ID = pytest.mark.spec_violation("the patched spec's path ids are int32")


def publish_path(video_id: int | str) -> str:
    return f"/api/v1/videos/{video_id}/publish/"


@pytest.fixture(params=["in_process", "loopback"])
def client(request: pytest.FixtureRequest, sandbox: Sandbox) -> Iterator[httpx.Client]:
    """A plain httpx client on ``sandbox``, once through each transport."""
    if request.param == "in_process":
        with httpx.Client(transport=sandbox.transport(), base_url="http://sandbox.test") as c:
            yield c
    else:
        with sandbox.serve() as server, httpx.Client(base_url=server.url) as c:
            yield c


# --- seeded state -------------------------------------------------------------------------


def test_seed_has_six_short_drafts_and_one_thirty_section_course(sandbox: Sandbox) -> None:
    assert sandbox.draft_ids == SEEDED_DRAFTS
    for video_id in SEEDED_DRAFTS[:-1]:
        video = sandbox.video(video_id)
        assert 2 <= len(video["sections"]) <= 5
        assert video["plan"] is not None  # strict validators reject the null DRF could send
        assert all(turn["speaker"] for s in video["sections"] for turn in s["content"])
    assert len(sandbox.video(130)["sections"]) == 30


def test_seed_is_deterministic_and_instances_share_no_state() -> None:
    first, second = SpecCheckedSandbox(), SpecCheckedSandbox()
    assert first.video(101) == second.video(101)
    with httpx.Client(transport=first.transport(), base_url="http://a.test") as other:
        assert other.post(publish_path(101), headers=AUTH).status_code == 200
    assert 101 not in first.draft_ids
    assert 101 in second.draft_ids


def test_video_returns_a_copy(sandbox: Sandbox) -> None:
    sandbox.video(101)["sections"].clear()
    assert len(sandbox.video(101)["sections"]) == 3
    with pytest.raises(KeyError):
        sandbox.video(999)


# --- publish --------------------------------------------------------------------------------


def test_publish_flips_is_draft_and_returns_the_document(
    client: httpx.Client, sandbox: Sandbox
) -> None:
    before = sandbox.video(103)
    response = client.post(publish_path(103), headers=AUTH)
    assert response.status_code == 200
    body = response.json()
    assert body == sandbox.video(103)
    assert (body["id"], body["is_draft"]) == (103, False)
    assert datetime.fromisoformat(body["updated_at"]) > datetime.fromisoformat(before["updated_at"])
    assert sandbox.draft_ids == [i for i in SEEDED_DRAFTS if i != 103]


def test_publish_is_idempotent(client: httpx.Client, sandbox: Sandbox) -> None:
    first = client.post(publish_path(101), headers=AUTH)
    second = client.post(publish_path(101), headers=AUTH)
    assert (first.status_code, second.status_code) == (200, 200)
    assert first.json()["is_draft"] is second.json()["is_draft"] is False
    assert first.json()["updated_at"] <= second.json()["updated_at"]
    assert 101 not in sandbox.draft_ids


def test_every_seeded_video_validates_against_the_spec(
    client: httpx.Client, sandbox: Sandbox
) -> None:
    for video_id in sandbox.draft_ids:
        response = client.post(publish_path(video_id), headers=AUTH)
        assert response.status_code == 200
        validate_exchange(response.request, response)
    assert sandbox.draft_ids == []


def test_spec_validation_names_the_failing_path(client: httpx.Client) -> None:
    response = client.post(publish_path(104), headers=AUTH)
    document = response.json()
    document["sections"][1]["status"] = "queued"
    broken = httpx.Response(200, json=document, request=response.request)
    with pytest.raises(AssertionError, match=r"\$\.sections\[1\]\.status: 'queued'"):
        validate_exchange(response.request, broken)


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"{}",
        b'{"title": "Vaccines, explained", "workspace": 42}',
        b'{"id": 5, "uid": "not-a-uuid", "is_draft": true, "sections": []}',  # read-only: ignored
    ],
)
def test_publish_accepts_an_empty_or_valid_body(
    client: httpx.Client, sandbox: Sandbox, content: bytes
) -> None:
    headers = {**AUTH, "Content-Type": "application/json"}
    response = client.post(publish_path(102), headers=headers, content=content)
    assert response.status_code == 200
    assert (response.json()["id"], response.json()["is_draft"]) == (102, False)
    assert len(sandbox.video(102)["sections"]) == 2


# The column limits (title 255, workspace int32) are the server's: the spec lost them, so those
# two bodies conform to it and still get DRF's 400.
@pytest.mark.parametrize(
    ("content", "expected"),
    [
        pytest.param(
            b'{"title": "x"',
            {"detail": "JSON parse error - Expecting ',' delimiter: line 1 column 14 (char 13)"},
            marks=BAD_BODY,
        ),
        pytest.param(
            b"[1, 2]",
            {"non_field_errors": ["Invalid data. Expected a dictionary, but got list."]},
            marks=BAD_BODY,
        ),
        pytest.param(b'{"title": 7}', {"title": ["Not a valid string."]}, marks=BAD_BODY),
        pytest.param(
            b'{"title": null}', {"title": ["This field may not be null."]}, marks=BAD_BODY
        ),
        (
            b'{"title": "' + b"x" * 256 + b'"}',
            {"title": ["Ensure this field has no more than 255 characters."]},
        ),
        pytest.param(
            b'{"workspace": "42"}', {"workspace": ["A valid integer is required."]}, marks=BAD_BODY
        ),
        pytest.param(
            b'{"workspace": true}', {"workspace": ["A valid integer is required."]}, marks=BAD_BODY
        ),
        (
            b'{"workspace": 2147483648}',
            {"workspace": ["Ensure this value is less than or equal to 2147483647."]},
        ),
        pytest.param(
            b'{"title": [], "workspace": 1.5}',
            {"title": ["Not a valid string."], "workspace": ["A valid integer is required."]},
            marks=BAD_BODY,
        ),
    ],
)
def test_publish_rejects_a_bad_body_with_drf_field_errors(
    client: httpx.Client, sandbox: Sandbox, content: bytes, expected: dict[str, Any]
) -> None:
    headers = {**AUTH, "Content-Type": "application/json"}
    response = client.post(publish_path(105), headers=headers, content=content)
    assert (response.status_code, response.json()) == (400, expected)
    assert 105 in sandbox.draft_ids


def test_a_title_of_exactly_255_characters_is_accepted(client: httpx.Client) -> None:
    response = client.post(publish_path(105), headers=AUTH, json={"title": "x" * 255})
    assert response.status_code == 200


# --- auth, routing, methods ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("authorization", "detail"),
    [
        (None, "Authentication credentials were not provided."),
        ("Token " + SANDBOX_API_KEY, "Authentication credentials were not provided."),
        ("Bearer aisq_sandbox_wrong", "Invalid token."),
        ("bearer " + SANDBOX_API_KEY.upper(), "Invalid token."),
        ("Bearer", "Invalid token header. No credentials provided."),
        ("Bearer a b", "Invalid token header. Token string should not contain spaces."),
    ],
)
def test_publish_without_the_sandbox_key_is_401(
    client: httpx.Client, sandbox: Sandbox, authorization: str | None, detail: str
) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    response = client.post(publish_path(101), headers=headers)
    assert (response.status_code, response.json()) == (401, {"detail": detail})
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="api"'
    assert 101 in sandbox.draft_ids


def test_the_bearer_keyword_is_case_insensitive(client: httpx.Client) -> None:
    headers = {"Authorization": f"bearer {SANDBOX_API_KEY}"}
    assert client.post(publish_path(101), headers=headers).status_code == 200


@pytest.mark.parametrize(
    "video_id",
    [
        "999",
        pytest.param("2147483648", marks=INT32_ID),
        pytest.param("99999999999999999999", marks=INT32_ID),
        pytest.param("abc", marks=pytest.mark.spec_violation("video_id is an integer in the spec")),
        "-1",
    ],
)
def test_publish_of_an_unknown_video_is_404(client: httpx.Client, video_id: str) -> None:
    response = client.post(publish_path(video_id), headers=AUTH)
    assert (response.status_code, response.json()) == (
        404,
        {"detail": "No Video matches the given query."},
    )


@pytest.mark.parametrize(
    "path", ["/", "/api/v1/videos/", "/api/v1/videos/101/publish", "/api/v2/videos/101/publish/"]
)
@OFF_SPEC_ROUTE
def test_an_unknown_path_is_404_even_without_auth(client: httpx.Client, path: str) -> None:
    response = client.post(path)
    assert (response.status_code, response.json()) == (404, {"detail": "Not found."})


@pytest.mark.parametrize("method", ["GET", "PUT", "PATCH", "DELETE"])
@OFF_SPEC_ROUTE
def test_other_methods_are_405_with_allow(
    client: httpx.Client, sandbox: Sandbox, method: str
) -> None:
    response = client.request(method, publish_path(101), headers=AUTH)
    assert (response.status_code, response.json()) == (
        405,
        {"detail": f'Method "{method}" not allowed.'},
    )
    assert response.headers["Allow"] == "POST, OPTIONS"
    assert 101 in sandbox.draft_ids


@OFF_SPEC_ROUTE
def test_auth_is_checked_before_the_method_as_in_drf(client: httpx.Client) -> None:
    assert client.get(publish_path(101)).status_code == 401


@OFF_SPEC_ROUTE
def test_options_describes_the_endpoint(client: httpx.Client) -> None:
    response = client.options(publish_path(101), headers=AUTH)
    assert response.status_code == 200
    assert response.json()["name"] == "Publish Create"
    assert response.headers["Allow"] == "POST, OPTIONS"


@OFF_SPEC_ROUTE
def test_every_response_is_json_with_a_unique_request_id(
    client: httpx.Client, sandbox: Sandbox
) -> None:
    sandbox.inject(Fault.status(500), Fault.rate_limit())
    responses = [
        client.post(publish_path(101), headers=AUTH),  # fault: 500
        client.post(publish_path(101), headers=AUTH),  # fault: 429
        client.post(publish_path(101), headers=AUTH),
        client.post(publish_path(101)),
        client.post(publish_path(999), headers=AUTH),
        client.get(publish_path(101), headers=AUTH),
        client.post("/nowhere/"),
    ]
    assert [r.status_code for r in responses] == [500, 429, 200, 401, 404, 405, 404]
    assert all(r.headers["Content-Type"] == "application/json" for r in responses)
    request_ids = [r.headers["X-Request-Id"] for r in responses]
    assert all(rid.startswith("req_") and len(rid) == 36 for rid in request_ids)
    assert len(set(request_ids)) == len(responses)


@pytest.mark.spec_violation("an unknown path and a partial body, recorded as they arrived")
def test_requests_are_recorded_as_they_arrived(client: httpx.Client, sandbox: Sandbox) -> None:
    client.post(publish_path(106) + "?trace=1", headers={**AUTH, "X-Trace": "t1"}, json={})
    client.post("/elsewhere/", content=b"raw")
    first, second = sandbox.requests
    assert (first.method, first.path, first.video_id, first.body) == (
        "POST",
        publish_path(106),
        106,
        b"{}",
    )
    assert first.headers["authorization"] == AUTH["Authorization"]
    assert first.headers["x-trace"] == "t1"
    assert (second.path, second.video_id, second.body) == ("/elsewhere/", None, b"raw")
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.method = "GET"  # type: ignore[misc]  # proving the record is frozen


# --- faults ---------------------------------------------------------------------------------


def test_a_status_fault_answers_once_before_auth(client: httpx.Client, sandbox: Sandbox) -> None:
    sandbox.inject(Fault.status(503))
    response = client.post(publish_path(101))  # no key: the fault still comes first
    assert (response.status_code, response.json()) == (
        503,
        {"detail": "Service temporarily unavailable, try again later."},
    )
    assert 101 in sandbox.draft_ids
    assert client.post(publish_path(101), headers=AUTH).status_code == 200


@pytest.mark.spec_violation("a fault answers 200 with a body that is not a VideoDetail")
def test_a_status_fault_can_be_non_iana_with_any_body_and_headers(
    client: httpx.Client, sandbox: Sandbox
) -> None:
    sandbox.inject(
        Fault.status(520),
        Fault.status(502, body=b"<html>Bad gateway</html>", headers={"Content-Type": "text/html"}),
        Fault.status(200, body={"unexpected": True}),
    )
    first = client.post(publish_path(101), headers=AUTH)
    assert (first.status_code, first.json()) == (520, {"detail": "Unknown error."})
    second = client.post(publish_path(101), headers=AUTH)
    assert (second.status_code, second.text) == (502, "<html>Bad gateway</html>")
    assert second.headers["Content-Type"] == "text/html"
    third = client.post(publish_path(101), headers=AUTH)
    assert (third.status_code, third.json()) == (200, {"unexpected": True})


def test_faults_are_consumed_in_order_one_per_request(
    client: httpx.Client, sandbox: Sandbox
) -> None:
    sandbox.inject(Fault.status(500), Fault.status(502))
    sandbox.inject(Fault.status(504))
    statuses = [client.post(publish_path(101), headers=AUTH).status_code for _ in range(4)]
    assert statuses == [500, 502, 504, 200]


@OFF_SPEC_ROUTE
def test_a_fault_for_one_video_does_not_hit_other_requests(
    client: httpx.Client, sandbox: Sandbox
) -> None:
    sandbox.inject(Fault.status(503), video_id=102)
    assert client.post(publish_path(101), headers=AUTH).status_code == 200
    assert client.post("/unknown/", headers=AUTH).status_code == 404
    assert client.post(publish_path(102), headers=AUTH).status_code == 503
    assert client.post(publish_path(102), headers=AUTH).status_code == 200


def test_rate_limit_answers_429_with_retry_after(client: httpx.Client, sandbox: Sandbox) -> None:
    sandbox.inject(Fault.rate_limit(), Fault.rate_limit("3"))
    sandbox.inject(Fault.rate_limit("250", header="retry-after-ms"))
    first, second, third = (client.post(publish_path(101), headers=AUTH) for _ in range(3))
    assert (first.status_code, first.headers["Retry-After"], first.json()) == (
        429,
        "1",
        {"detail": "Request was throttled. Expected available in 1 second."},
    )
    assert second.json()["detail"] == "Request was throttled. Expected available in 3 seconds."
    assert (third.headers["retry-after-ms"], third.json()) == (
        "250",
        {"detail": "Request was throttled."},
    )
    assert "Retry-After" not in third.headers


def test_a_delay_holds_the_answer_back(client: httpx.Client, sandbox: Sandbox) -> None:
    sandbox.inject(Fault.delay(0.2))
    started = time.monotonic()
    response = client.post(publish_path(101), headers=AUTH, timeout=5)
    assert time.monotonic() - started >= 0.2
    assert response.status_code == 200


def test_a_delay_beyond_the_read_timeout_is_a_read_timeout(
    client: httpx.Client, sandbox: Sandbox
) -> None:
    sandbox.inject(Fault.delay(0.3))
    started = time.monotonic()
    with pytest.raises(httpx.ReadTimeout):
        client.post(publish_path(101), headers=AUTH, timeout=0.05)
    assert time.monotonic() - started < 0.25
    # The request took effect on arrival; only its answer was late, as when a reply is lost.
    assert 101 not in sandbox.draft_ids


def test_a_drop_closes_the_connection_without_a_response(
    client: httpx.Client, sandbox: Sandbox
) -> None:
    sandbox.inject(Fault.drop())
    with pytest.raises(httpx.RemoteProtocolError, match="without sending a response"):
        client.post(publish_path(101), headers=AUTH)
    assert 101 in sandbox.draft_ids
    assert client.post(publish_path(101), headers=AUTH).status_code == 200


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Fault.status(99), "200..599"),
        (lambda: Fault.status(600), "200..599"),
        (lambda: Fault.delay(-0.1), ">= 0"),
    ],
)
def test_impossible_faults_are_refused(build: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        build()


# --- async, both event loops ----------------------------------------------------------------


@pytest.mark.anyio
async def test_async_in_process_publish_delay_and_drop(sandbox: Sandbox) -> None:
    transport = sandbox.transport()
    async with httpx.AsyncClient(transport=transport, base_url="http://sandbox.test") as client:
        sandbox.inject(Fault.delay(0.1), Fault.drop())
        started = time.monotonic()
        response = await client.post(publish_path(104), headers=AUTH)
        assert time.monotonic() - started >= 0.1
        assert (response.status_code, response.json()["is_draft"]) == (200, False)
        with pytest.raises(httpx.RemoteProtocolError):
            await client.post(publish_path(104), headers=AUTH)
        sandbox.inject(Fault.delay(0.3))
        with pytest.raises(httpx.ReadTimeout):
            await client.post(publish_path(104), headers=AUTH, timeout=0.05)


@pytest.mark.anyio
async def test_fifty_concurrent_requests_over_loopback_all_succeed(
    sandbox: Sandbox, sandbox_url: str
) -> None:
    responses: list[httpx.Response] = []

    async def publish(client: httpx.AsyncClient, video_id: int) -> None:
        responses.append(await client.post(publish_path(video_id), headers=AUTH))

    client = httpx.AsyncClient(base_url=sandbox_url, timeout=10)
    async with client, anyio.create_task_group() as tasks:
        for n in range(50):
            tasks.start_soon(publish, client, SEEDED_DRAFTS[n % len(SEEDED_DRAFTS)])
    assert [r.status_code for r in responses] == [200] * 50
    assert len({r.headers["X-Request-Id"] for r in responses}) == 50
    assert sandbox.draft_ids == []
    assert len(sandbox.requests) == 50


@pytest.mark.anyio
async def test_connections_are_kept_alive_under_concurrency(sandbox_url: str) -> None:
    ports: set[int] = set()

    async def publish(client: httpx.AsyncClient) -> None:
        response = await client.post(publish_path(101), headers=AUTH)
        assert response.status_code == 200
        ports.add(response.extensions["network_stream"].get_extra_info("client_addr")[1])

    limits = httpx.Limits(max_connections=5)
    client = httpx.AsyncClient(base_url=sandbox_url, limits=limits, timeout=10)
    async with client, anyio.create_task_group() as tasks:
        for _ in range(30):
            tasks.start_soon(publish, client)
    assert 1 <= len(ports) <= 5  # 30 answers over at most 5 reused connections


# --- the server's lifetime ------------------------------------------------------------------


# S104 flags binding to all interfaces: refusing exactly that is what this test proves.
@pytest.mark.parametrize("host", ["0.0.0.0", "192.0.2.10", "::", "example.com", ""])  # noqa: S104
def test_serve_refuses_a_host_that_is_not_loopback(sandbox: Sandbox, host: str) -> None:
    with pytest.raises(ValueError, match="loopback"):
        sandbox.serve(host=host)


def test_serve_accepts_localhost_and_reports_its_url(sandbox: Sandbox) -> None:
    server = sandbox.serve(host="localhost")
    with pytest.raises(RuntimeError):
        _ = server.url
    with server:
        assert server.url.startswith("http://127.0.0.1:")
        assert httpx.post(server.url + publish_path(101), headers=AUTH).status_code == 200
    with pytest.raises(httpx.ConnectError):  # the address outlives the server, for messages
        httpx.post(server.url + publish_path(102), headers=AUTH)


def test_leaving_serve_ends_every_thread_even_with_idle_keep_alive(sandbox: Sandbox) -> None:
    threads_before = set(threading.enumerate())
    with httpx.Client() as client:
        with sandbox.serve() as server:
            for video_id in SEEDED_DRAFTS:
                response = client.post(server.url + publish_path(video_id), headers=AUTH)
                assert response.status_code == 200
            assert len(set(threading.enumerate()) - threads_before) == 2  # accept + 1 connection
            started = time.monotonic()
        assert time.monotonic() - started < 1
        assert set(threading.enumerate()) == threads_before
        with pytest.raises(httpx.TransportError):
            client.post(server.url + publish_path(101), headers=AUTH)


def test_leaving_serve_cuts_a_pending_delay_short(sandbox: Sandbox) -> None:
    threads_before = set(threading.enumerate())
    sandbox.inject(Fault.delay(30))
    errors: list[Exception] = []

    def call(url: str) -> None:
        try:
            httpx.post(url + publish_path(101), headers=AUTH, timeout=30)
        except httpx.TransportError as exc:
            errors.append(exc)

    with sandbox.serve() as server:
        caller = threading.Thread(target=call, args=(server.url,))
        caller.start()
        deadline = time.monotonic() + 5
        while not sandbox.requests and time.monotonic() < deadline:
            time.sleep(0.01)
        started = time.monotonic()
    assert time.monotonic() - started < 1
    caller.join()
    assert len(errors) == 1
    assert set(threading.enumerate()) == threads_before


# --- the package's surface ------------------------------------------------------------------


def test_public_surface_is_sorted_and_complete() -> None:
    # ruff's RUF022 order: constants first, then classes, each alphabetical.
    exported = sandbox_package.__all__
    assert exported == sorted(exported, key=lambda name: (not name.isupper(), name))
    assert {"Fault", "SANDBOX_API_KEY", "Sandbox"} <= set(exported)
    assert all(hasattr(sandbox_package, name) for name in exported)


def test_the_sandbox_imports_nothing_from_the_sdk() -> None:
    # Independent of the SDK, so a bug there cannot hide behind the same bug here.
    for module in Path(sandbox_package.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert not name.startswith("aisquare_studio_api"), (module.name, name)
                assert not name.startswith("aisquare_studio") or name.startswith(
                    "aisquare_studio.sandbox"
                ), (module.name, name)
