"""Tests for ``_errors``: the error tree, status mapping, and what an error tells its reader."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from aisquare_studio._errors import (
    MAX_BODY_BYTES,
    MAX_MESSAGE_CHARS,
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ResponseValidationError,
    StudioError,
    UnprocessableEntityError,
    connection_error,
    decode_body,
    drf_field_errors,
    drf_message,
    redact,
    status_error,
)
from aisquare_studio._request_id import request_id_of
from aisquare_studio._retry import ATTEMPTS_EXTENSION

URL = "https://api.example/api/v1/videos/1/publish/"
SECRET = "sk-live-0123456789abcdef"


def make_request(attempts: int | None = None, url: str = URL) -> httpx.Request:
    request = httpx.Request("POST", url)
    if attempts is not None:
        request.extensions[ATTEMPTS_EXTENSION] = attempts
    return request


def make_response(
    status: int,
    *,
    json: Any = None,
    content: bytes | str | None = None,
    headers: dict[str, str] | None = None,
    attempts: int | None = None,
) -> httpx.Response:
    return httpx.Response(
        status, json=json, content=content, headers=headers, request=make_request(attempts)
    )


# ---------------------------------------------------------------------------------------------
# The tree and the status table

STATUS_CLASSES = [
    BadRequestError,
    AuthenticationError,
    PermissionDeniedError,
    NotFoundError,
    ConflictError,
    UnprocessableEntityError,
    RateLimitError,
    InternalServerError,
]


@pytest.mark.parametrize("cls", STATUS_CLASSES)
def test_status_errors_share_one_root(cls: type[APIStatusError]) -> None:
    assert issubclass(cls, APIStatusError)
    assert issubclass(cls, StudioError)


@pytest.mark.parametrize(
    "cls",
    [*STATUS_CLASSES, APIStatusError, APIConnectionError, APITimeoutError, ResponseValidationError],
)
def test_errors_do_not_leak_outside_the_tree(cls: type[StudioError]) -> None:
    # A user catching StudioError catches everything; nothing is also a ValueError or httpx error.
    assert issubclass(cls, StudioError)
    assert not issubclass(cls, ValueError | TypeError | httpx.HTTPError)


def test_timeout_is_a_connection_error() -> None:
    assert issubclass(APITimeoutError, APIConnectionError)
    assert issubclass(APIConnectionError, StudioError)
    assert not issubclass(APIConnectionError, APIStatusError)


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (422, UnprocessableEntityError),
        (429, RateLimitError),
        (500, InternalServerError),
        (502, InternalServerError),
        (503, InternalServerError),
        (504, InternalServerError),
        (520, InternalServerError),
        (599, InternalServerError),
        (302, APIStatusError),
        (405, APIStatusError),
        (408, APIStatusError),
        (418, APIStatusError),
    ],
)
def test_status_error_class(status: int, cls: type[APIStatusError]) -> None:
    error = status_error(make_response(status))

    assert type(error) is cls
    assert error.status_code == status


# ---------------------------------------------------------------------------------------------
# What the error says: message, body, request id, attempts


@pytest.mark.parametrize(
    ("status", "body", "message"),
    [
        (404, {"detail": "No Video matches the given query."}, "No Video matches the given query."),
        (409, {"detail": "  Already published.  "}, "Already published."),
        (401, {"detail": "Invalid token.", "code": "token_not_valid"}, "Invalid token."),
        (404, None, "HTTP 404 Not Found"),
        (503, None, "HTTP 503 Service Unavailable"),
        (500, None, "HTTP 500 Internal Server Error"),
        (520, None, "HTTP 520"),
        (599, None, "HTTP 599"),
        (418, None, "HTTP 418 I'm a teapot"),
        (403, {"detail": ""}, "HTTP 403 Forbidden"),
        (403, {"detail": "   "}, "HTTP 403 Forbidden"),
        (500, {"detail": {"code": "boom"}}, "HTTP 500 Internal Server Error"),
        (500, {"error": "not DRF"}, "HTTP 500 Internal Server Error"),
        (500, [1, 2, 3], "HTTP 500 Internal Server Error"),
        (400, {"title": ["This field is required."]}, "title: This field is required."),
    ],
)
def test_message_from_json(status: int, body: Any, message: str) -> None:
    error = status_error(make_response(status, json=body))

    assert error.message == message


def test_message_summarises_every_field_error() -> None:
    body = {"title": ["This field is required."], "slug": ["Too long.", "Bad characters."]}

    error = status_error(make_response(400, json=body))

    for field, messages in body.items():
        assert field in error.message
        for text in messages:
            assert text in error.message


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("upstream request timeout", "upstream request timeout"),
        ("  service down \n", "service down"),
        ("", "HTTP 502 Bad Gateway"),
        ("   \n", "HTTP 502 Bad Gateway"),
        (
            "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n"
            "<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body>"
            "\r\n</html>\r\n",
            "HTTP 502 Bad Gateway",
        ),
        ("\n<!DOCTYPE html><html><body><p>Oops</p></body></html>", "HTTP 502 Bad Gateway"),
        ("\ufeff<html><body>Oops</body></html>", "HTTP 502 Bad Gateway"),
    ],
)
def test_message_from_text(content: str, message: str) -> None:
    error = status_error(make_response(502, content=content, headers={"Content-Type": "text/html"}))

    assert error.message == message


@pytest.mark.parametrize(
    ("response", "body"),
    [
        (make_response(404, json={"detail": "Not found."}), {"detail": "Not found."}),
        (make_response(400, json={"title": ["Bad."]}), {"title": ["Bad."]}),
        (make_response(500, json=[1, "two"]), [1, "two"]),
        (make_response(502, content="Bad gateway"), "Bad gateway"),
        (make_response(502, content="{not json"), "{not json"),
        (make_response(502, content=b"caf\xe9"), "caf\ufffd"),
        (make_response(503), None),
        (make_response(503, content=" \r\n"), None),
    ],
)
def test_body_is_decoded_json_or_text(response: httpx.Response, body: object) -> None:
    assert status_error(response).body == body


@pytest.mark.parametrize(
    ("headers", "request_id"),
    [
        ({}, None),
        ({"X-Request-Id": ""}, None),
        ({"X-Request-Id": "req_01HZX"}, "req_01HZX"),
        ({"x-request-id": "req_lower"}, "req_lower"),
        ({"X-Request-Id": "req_\x1b[31mred\x1b[0m"}, "req_[31mred[0m"),
        ({"X-Request-Id": "req_a\tb\x00c\x7fd"}, "req_abcd"),
        ({"X-Request-Id": "\x01\x02"}, None),
        ({"X-Request-Id": "r" * 5000}, "r" * 128),
    ],
)
def test_request_id(headers: dict[str, str], request_id: str | None) -> None:
    response = make_response(500, headers=headers)

    assert status_error(response).request_id == request_id
    assert request_id_of(response) == request_id


@pytest.mark.parametrize(("attempts", "expected"), [(None, 1), (1, 1), (3, 3)])
def test_attempts_come_from_the_request(attempts: int | None, expected: int) -> None:
    error = status_error(make_response(503, attempts=attempts))

    assert error.attempts == expected


def test_error_keeps_the_response() -> None:
    response = make_response(404, json={"detail": "Not found."})

    assert status_error(response).response is response


def test_str_names_status_message_and_request_id() -> None:
    error = status_error(
        make_response(
            422,
            json={"detail": "Video has no sections."},
            headers={"X-Request-Id": "req_42"},
        )
    )

    assert str(error) == (
        "HTTP 422 Unprocessable Entity: Video has no sections. (request_id=req_42)"
    )


@pytest.mark.parametrize(
    ("response", "expected"),
    [
        (make_response(404), "HTTP 404 Not Found"),
        (make_response(520), "HTTP 520"),
        (make_response(503, headers={"X-Request-Id": "r1"}), "HTTP 503 Service Unavailable"),
    ],
)
def test_str_does_not_repeat_the_status(response: httpx.Response, expected: str) -> None:
    assert str(status_error(response)).startswith(expected)
    assert str(status_error(response)).count(expected) == 1


@pytest.mark.parametrize(
    "response",
    [
        make_response(409, json={"detail": "Video is locked.\nTry again later."}),
        make_response(409, json={"detail": "Video is locked.\r\nTry again later.\r\n"}),
        make_response(409, json={"detail": "locked\rTry\x0bagain\x0clater"}),
        make_response(502, content="upstream\nerror\n\nline three"),
        make_response(400, json={"title": ["Too long.\nShorten it."]}),
        make_response(400, json={"title\nslug": ["Required."]}),
        make_response(503, headers={"X-Request-Id": "req\r\n1"}),
        make_response(409, json={"detail": "locked\u2028try\x85again\u2029later"}),
    ],
)
def test_str_is_one_line(response: httpx.Response) -> None:
    text = str(status_error(response))

    assert "\n" not in text
    assert "\r" not in text
    assert len(text.splitlines()) == 1


# ---------------------------------------------------------------------------------------------
# Subclass extras: field_errors, retry_after


@pytest.mark.parametrize(
    ("body", "field_errors"),
    [
        (
            {"title": ["This field is required."], "slug": ["Too long.", "Bad."]},
            {"title": ["This field is required."], "slug": ["Too long.", "Bad."]},
        ),
        (
            {"non_field_errors": ["Title and slug clash."]},
            {"non_field_errors": ["Title and slug clash."]},
        ),
        ({"detail": "Bad request."}, {}),
        ({"detail": ["Bad request."]}, {}),
        ({"title": []}, {}),
        ({"title": "not a list"}, {}),
        # Nested errors, as DRF sends them for list items and nested objects, by their path.
        (
            {"sections": [{"uid": ["Invalid."]}], "title": ["Bad."]},
            {"sections[0].uid": ["Invalid."], "title": ["Bad."]},
        ),
        (
            {"tags": {"1": ["A valid integer is required."]}},
            {"tags[1]": ["A valid integer is required."]},
        ),
        ({"sections": [{}, {"order": ["Bad."]}]}, {"sections[1].order": ["Bad."]}),
        (
            {"owner": {"email": ["Enter a valid email address."]}},
            {"owner.email": ["Enter a valid email address."]},
        ),
        ({"a": {"b": {"c": [{"d": ["Deep."]}]}}}, {"a.b.c[0].d": ["Deep."]}),
        (["This field is required."], {}),
        (None, {}),
    ],
)
def test_bad_request_field_errors(body: Any, field_errors: dict[str, list[str]]) -> None:
    error = status_error(make_response(400, json=body))

    assert isinstance(error, BadRequestError)
    assert error.field_errors == field_errors


def test_bad_request_field_errors_of_a_body_nested_without_end_are_bounded() -> None:
    body: Any = ["Bad."]
    for _ in range(500):
        body = {"x": body}

    error = status_error(make_response(400, json=body))

    assert isinstance(error, BadRequestError)
    assert error.field_errors == {}


def test_a_nested_validation_error_is_the_message() -> None:
    error = status_error(make_response(400, json={"tags": {"1": ["A valid integer is required."]}}))

    assert "tags[1]: A valid integer is required." in str(error)


def test_bad_request_field_errors_from_text_body() -> None:
    error = status_error(make_response(400, content="Bad Request"))

    assert isinstance(error, BadRequestError)
    assert error.field_errors == {}


@pytest.mark.parametrize(
    ("headers", "retry_after"),
    [
        ({}, None),
        ({"Retry-After": "7"}, 7.0),
        ({"Retry-After": "0.5"}, 0.5),
        ({"retry-after-ms": "1500"}, 1.5),
        ({"retry-after-ms": "250", "Retry-After": "9"}, 0.25),
        ({"Retry-After": "soon"}, None),
        ({"Retry-After": "-3"}, None),
    ],
)
def test_rate_limit_retry_after(headers: dict[str, str], retry_after: float | None) -> None:
    error = status_error(make_response(429, json={"detail": "Slow down."}, headers=headers))

    assert isinstance(error, RateLimitError)
    assert error.retry_after == retry_after
    assert error.message == "Slow down."


# ---------------------------------------------------------------------------------------------
# Hostile bodies: huge, markup, deeply nested

MEGABYTE = 1024 * 1024


@pytest.mark.parametrize(
    "response",
    [
        make_response(500, content="x" * MEGABYTE),
        make_response(500, content="é" * MEGABYTE),
        make_response(500, json={"detail": "x" * MEGABYTE}),
        make_response(400, json={"title": ["y" * MEGABYTE]}),
        make_response(400, json={f"field{i}": ["Bad."] for i in range(MEGABYTE // 16)}),
    ],
)
def test_huge_body_is_bounded(response: httpx.Response) -> None:
    error = status_error(response, secrets=(SECRET,))

    assert len(error.message) <= MAX_MESSAGE_CHARS
    assert isinstance(error.body, str)
    assert 0 < len(error.body) <= MAX_BODY_BYTES
    assert len(str(error)) <= MAX_MESSAGE_CHARS + 100


def test_small_detail_is_kept_whole() -> None:
    detail = "d" * MAX_MESSAGE_CHARS

    assert status_error(make_response(409, json={"detail": detail})).message == detail


@pytest.mark.parametrize("depth", [100, 700, 30_000, 100_000])
@pytest.mark.parametrize("secrets", [(), (SECRET,)], ids=["no-secrets", "secrets"])
@pytest.mark.parametrize("shape", ["list", "dict"])
def test_deeply_nested_json_does_not_crash(
    depth: int, secrets: tuple[str, ...], shape: str
) -> None:
    # Depth 700 parses (under 64 KiB, within json's limit) but is deeper than a naive walk allows.
    opener, closer = ("[", "]") if shape == "list" else ('{"a":', "}")
    content = opener * depth + f'"{SECRET}"' + closer * depth

    error = status_error(make_response(500, content=content), secrets=secrets)

    assert isinstance(error, InternalServerError)
    assert len(error.message) <= MAX_MESSAGE_CHARS
    assert "\n" not in str(error)
    if secrets:
        assert SECRET not in str(error)
        assert SECRET not in error.message
        assert SECRET not in repr(error.body)


# ---------------------------------------------------------------------------------------------
# Secrets the request sent never come back out through an error


def _leaks(error: APIStatusError, secret: str) -> list[str]:
    places = {"str": str(error), "message": error.message, "body": repr(error.body)}
    return [place for place, text in places.items() if secret in text]


@pytest.mark.parametrize(
    ("response", "kept"),
    [
        (
            make_response(401, json={"detail": f"Invalid token {SECRET} for this project."}),
            "Invalid token",
        ),
        (make_response(400, json={"api_key": [f"{SECRET} is revoked."]}), "is revoked."),
        (make_response(400, json={SECRET: ["Unknown field."]}), "Unknown field."),
        (make_response(500, json={"echo": {"headers": [f"Bearer {SECRET}"]}}), "HTTP 500"),
        (
            make_response(502, content=f"upstream rejected Authorization: Bearer {SECRET}"),
            "upstream rejected",
        ),
        (make_response(502, content=f"<html><body>Bearer {SECRET}</body></html>"), "HTTP 502"),
        (make_response(500, content=SECRET * 100_000), "HTTP 500"),
        (make_response(500, content="{" + f'"detail": "{SECRET}"' * 5000), "HTTP 500"),
    ],
)
def test_secret_never_appears_in_error(response: httpx.Response, kept: str) -> None:
    error = status_error(response, secrets=(SECRET,))

    assert _leaks(error, SECRET) == []
    assert kept in str(error)


def test_every_secret_is_redacted() -> None:
    other = "sk-test-fedcba9876543210"
    response = make_response(403, json={"detail": f"{SECRET} and {other} are both revoked."})

    error = status_error(response, secrets=(SECRET, other))

    assert _leaks(error, SECRET) == []
    assert _leaks(error, other) == []
    assert "are both revoked." in error.message


def test_secret_echoed_as_request_id_is_not_shown() -> None:
    response = make_response(500, headers={"X-Request-Id": SECRET})

    error = status_error(response, secrets=(SECRET,))

    assert SECRET not in str(error)


def test_bearer_token_of_the_request_is_redacted_without_being_passed() -> None:
    request = httpx.Request("POST", URL, headers={"Authorization": f"Bearer {SECRET}"})
    response = httpx.Response(
        401,
        json={"detail": f"Invalid token {SECRET}."},
        headers={"X-Request-Id": f"req-{SECRET}"},
        request=request,
    )

    error = status_error(response)

    assert _leaks(error, SECRET) == []
    assert SECRET not in (error.request_id or "")
    assert "Invalid token" in error.message


def test_without_secrets_the_text_is_untouched() -> None:
    error = status_error(make_response(401, json={"detail": f"Invalid token {SECRET}."}))

    assert error.message == f"Invalid token {SECRET}."


# ---------------------------------------------------------------------------------------------
# The pure helpers behind status_error


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("a sk b", "a [REDACTED] b"),
        ({"sk": ["sk", 1, None, True]}, {"[REDACTED]": ["[REDACTED]", 1, None, True]}),
        ([{"k": "xskx"}], [{"k": "x[REDACTED]x"}]),
        (42, 42),
        (None, None),
    ],
)
def test_redact(value: Any, expected: Any) -> None:
    assert redact(value, ("sk",)) == expected


def test_redact_without_secrets_returns_value_unchanged() -> None:
    value = {"detail": "sk"}

    assert redact(value, ()) is value


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"detail": "Not found."}, "Not found."),
        ({"detail": "a\nb\tc"}, "a b c"),
        ({"detail": "Nope.", "title": ["Bad."]}, "Nope."),
        ({"title": ["Bad."]}, "title: Bad."),
        ({}, None),
        ("plain text", "plain text"),
        ("<html></html>", None),
        ("", None),
        (None, None),
        ([1], None),
    ],
)
def test_drf_message(body: object, message: str | None) -> None:
    assert drf_message(body) == message


@pytest.mark.parametrize(
    ("body", "field_errors"),
    [
        ({"a": ["x"], "b": ["y", "z"]}, {"a": ["x"], "b": ["y", "z"]}),
        ({"a": ["x", 1]}, {}),
        ({"detail": ["x"]}, {}),
        ("text", {}),
        (None, {}),
    ],
)
def test_drf_field_errors(body: object, field_errors: dict[str, list[str]]) -> None:
    assert drf_field_errors(body) == field_errors


@pytest.mark.parametrize(
    ("content", "body"),
    [
        (b"", None),
        (b"  \n", None),
        (b'{"a": 1}', {"a": 1}),
        (b"null", None),
        (b"[1]", [1]),
        (b"oops", "oops"),
    ],
)
def test_decode_body(content: bytes, body: object) -> None:
    assert decode_body(make_response(500, content=content)) == body


def test_decode_body_keeps_a_bounded_prefix_of_huge_json() -> None:
    content = json.dumps({"detail": "x" * MEGABYTE}).encode()

    body = decode_body(make_response(500, content=content))

    assert isinstance(body, str)
    assert body == content[:MAX_BODY_BYTES].decode()


# ---------------------------------------------------------------------------------------------
# Failures without a response


@pytest.mark.parametrize(
    ("exc", "cls"),
    [
        (httpx.ConnectTimeout("connect timed out"), APITimeoutError),
        (httpx.ReadTimeout("read timed out"), APITimeoutError),
        (httpx.WriteTimeout("write timed out"), APITimeoutError),
        (httpx.PoolTimeout("no free connection"), APITimeoutError),
        (httpx.ConnectError("[Errno 111] Connection refused"), APIConnectionError),
        (httpx.ReadError("connection reset"), APIConnectionError),
        (httpx.WriteError("broken pipe"), APIConnectionError),
        (httpx.RemoteProtocolError("peer closed connection"), APIConnectionError),
        (httpx.UnsupportedProtocol("Request URL has an unsupported protocol"), APIConnectionError),
        (httpx.ProxyError("proxy refused"), APIConnectionError),
        (httpx.DecodingError("bad gzip"), StudioError),
        (httpx.TooManyRedirects("too many"), StudioError),
        # InvalidURL is not an httpx.HTTPError, yet it is what httpx raises for a bad URL.
        (httpx.InvalidURL("Invalid port"), StudioError),
    ],
)
def test_connection_error_class(exc: Exception, cls: type[StudioError]) -> None:
    error = connection_error(exc, make_request(attempts=3))  # type: ignore[arg-type]  # InvalidURL is no HTTPError

    assert type(error) is cls


@pytest.mark.parametrize(
    ("attempts", "tried"), [(None, "after 1 attempt"), (3, "after 3 attempts")]
)
@pytest.mark.parametrize(
    "exc", [httpx.ConnectError("refused"), httpx.ReadTimeout("slow")], ids=["connect", "timeout"]
)
def test_connection_error_says_what_failed_and_how_often(
    exc: httpx.HTTPError, attempts: int | None, tried: str
) -> None:
    request = make_request(attempts, url=URL + "?token=query-secret")

    error = connection_error(exc, request)

    assert isinstance(error, APIConnectionError)
    assert error.request is request
    assert error.attempts == (attempts or 1)
    assert f"POST {URL}" in str(error)
    assert tried in str(error)
    assert type(exc).__name__ in str(error)
    assert "query-secret" not in str(error)


def test_connection_error_is_one_line() -> None:
    exc = httpx.ConnectError("line one\nline two\r\n")

    error = connection_error(exc, make_request())

    assert "\n" not in str(error)
    assert "line one" in str(error)


# ---------------------------------------------------------------------------------------------
# ResponseValidationError


def test_response_validation_error_names_field_and_request_id() -> None:
    response = httpx.Response(
        200,
        json={"sections": [{"uid": 5}]},
        headers={"X-Request-Id": "req_7"},
        request=make_request(),
    )

    error = ResponseValidationError(
        "VideoDetail.sections[0].uid: expected a string", field="sections[0].uid", response=response
    )

    assert error.field == "sections[0].uid"
    assert error.status_code == 200
    assert error.request_id == "req_7"
    assert str(error) == (
        "Invalid response: VideoDetail.sections[0].uid: expected a string (request_id=req_7)"
    )


def test_terminal_control_sequences_from_the_server_are_made_inert() -> None:
    # ESC and the C1 CSI (0x9b) start terminal escape sequences: a CLI printing the error must
    # not let the server recolour or rewrite the user's terminal.
    error = status_error(make_response(409, json={"detail": "locked \x1b[2J\x9b31m now"}))
    assert "\x1b" not in str(error)
    assert "\x9b" not in str(error)
    assert error.message == "locked  [2J 31m now"
