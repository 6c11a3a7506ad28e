"""Tests for _config.py: arguments and environment variables become checked settings."""

from __future__ import annotations

import math
import platform

import httpx
import pytest

from aisquare_studio import StudioError, __version__
from aisquare_studio._config import (
    USER_AGENT,
    resolve_base_url,
    resolve_headers,
    resolve_key,
    resolve_timeout,
)

PRODUCTION = "https://api.aisquare.studio"


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No AISQUARE_* variable from the machine running the tests leaks into them."""
    monkeypatch.delenv("AISQUARE_BASE_URL", raising=False)
    monkeypatch.delenv("AISQUARE_API_KEY", raising=False)
    return monkeypatch


# --- base URL ------------------------------------------------------------------------------------


def test_base_url_defaults_to_production(clean_env: pytest.MonkeyPatch) -> None:
    assert resolve_base_url(None) == PRODUCTION


def test_base_url_comes_from_the_environment(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("AISQUARE_BASE_URL", "https://sandbox.aisquare.studio/")

    assert resolve_base_url(None) == "https://sandbox.aisquare.studio"


def test_empty_base_url_variable_means_production(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("AISQUARE_BASE_URL", "")

    assert resolve_base_url(None) == PRODUCTION


def test_base_url_argument_wins_over_the_environment(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("AISQUARE_BASE_URL", "https://sandbox.aisquare.studio")

    assert resolve_base_url("https://eu.aisquare.studio") == "https://eu.aisquare.studio"


def test_base_url_from_the_environment_is_checked_too(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("AISQUARE_BASE_URL", "http://example.com")

    with pytest.raises(StudioError, match="clear text"):
        resolve_base_url(None)


@pytest.mark.parametrize(
    ("given", "resolved"),
    [
        ("https://api.aisquare.studio", PRODUCTION),
        ("https://api.aisquare.studio/", PRODUCTION),
        ("https://api.aisquare.studio//", PRODUCTION),
        ("https://gateway.example.com/studio/", "https://gateway.example.com/studio"),
        ("https://api.aisquare.studio:8443/", "https://api.aisquare.studio:8443"),
        ("http://127.0.0.1:4010", "http://127.0.0.1:4010"),
        ("http://127.0.0.1:4010/", "http://127.0.0.1:4010"),
        ("http://[::1]:4010/", "http://[::1]:4010"),
        ("http://localhost:4010/", "http://localhost:4010"),
        ("http://localhost", "http://localhost"),
        ("http://sandbox.localhost:8000", "http://sandbox.localhost:8000"),
    ],
)
def test_base_url_accepted(given: str, resolved: str) -> None:
    assert resolve_base_url(given) == resolved


@pytest.mark.parametrize(
    "given",
    [
        "http://example.com",
        "http://api.aisquare.studio",
        "http://10.0.0.1:8000",
        "http://192.168.1.20",
        "http://localhost.example.com",
        "http://127.0.0.1.example.com",
    ],
)
def test_plain_http_to_a_remote_host_is_refused(given: str) -> None:
    # The API key would cross the network readable by anyone on the path.
    with pytest.raises(StudioError, match="clear text"):
        resolve_base_url(given)


@pytest.mark.parametrize(
    "given",
    [
        "ftp://api.aisquare.studio",
        "ws://api.aisquare.studio",
        "not a url",
        "api.aisquare.studio",
        "https://",
        "https:///api/v1",
        "https://api.aisquare.studio/?region=eu",
        "https://api.aisquare.studio/#top",
        "https://user@api.aisquare.studio",
        "",
    ],
)
def test_malformed_base_url_is_refused(given: str) -> None:
    with pytest.raises(StudioError):
        resolve_base_url(given)


def test_credentials_in_base_url_are_not_repeated_in_the_error() -> None:
    with pytest.raises(StudioError) as excinfo:
        resolve_base_url("https://alice:s3cret-pw@api.aisquare.studio")

    assert "s3cret-pw" not in str(excinfo.value)


@pytest.mark.parametrize("given", [42, b"https://api.aisquare.studio", ["https://x"]], ids=repr)
def test_base_url_not_a_str_is_a_type_error(given: object) -> None:
    with pytest.raises(TypeError, match="base_url must be a str"):
        resolve_base_url(given)  # type: ignore[arg-type]  # the wrong type is the point


@pytest.mark.parametrize(
    ("given", "words"),
    [
        ("https://api.example.com ", "base_url ends with whitespace (' '): remove it"),
        ("https://api.example.com\t", "base_url ends with whitespace ('\\t')"),
        ("https://api.example.com\r\n", "base_url ends with whitespace ('\\n')"),
        (" https://api.example.com", "base_url starts with whitespace (' '): remove it"),
        ("\nhttps://api.example.com", "base_url starts with whitespace ('\\n')"),
        ("   ", "base_url starts with whitespace"),
        ("https://api .example.com", "base_url has ' ' at character 12: a URL cannot contain"),
        ("https://api.example.com/v 1", "base_url has ' ' at character 26"),
        ("https://api.example.com/\x00", "base_url has '\\x00' at character 25"),
        ("https://api.example.com\x7f", "base_url has '\\x7f' at character 24"),
        ("\ufeffhttps://api.example.com", "base_url has '\\ufeff' at character 1"),
        ("https://api.example.com\u00a0", "base_url ends with whitespace ('\\xa0')"),
        ("https://api.example.com/\u2028", "base_url ends with whitespace ('\\u2028')"),
    ],
    ids=repr,
)
def test_whitespace_or_control_characters_in_base_url_are_refused_not_stripped(
    given: str, words: str
) -> None:
    # httpx would percent-encode them: a host "api.example.com%20", then a DNS error per call.
    with pytest.raises(StudioError) as caught:
        resolve_base_url(given)

    assert words in str(caught.value)
    assert len(str(caught.value).splitlines()) == 1


def test_whitespace_in_the_base_url_variable_names_the_variable(
    clean_env: pytest.MonkeyPatch,
) -> None:
    clean_env.setenv("AISQUARE_BASE_URL", "https://sandbox.aisquare.studio\r")  # a CRLF .env file

    with pytest.raises(StudioError, match=r"^AISQUARE_BASE_URL ends with whitespace \('\\r'\)"):
        resolve_base_url(None)


def test_whitespace_in_a_base_url_with_credentials_does_not_repeat_them() -> None:
    with pytest.raises(StudioError) as caught:
        resolve_base_url("https://alice:s3cret-pw@api.aisquare.studio ")

    assert "s3cret-pw" not in str(caught.value)


# --- default headers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        None,
        {},
        {"X-Trace-Id": "abc-123"},
        {"Authorization": "Bearer aisq_live_0123"},
        {"X-Empty": ""},
        {"X-Spaced": "a b\tc"},
        {"X!#$%&'*+-.^_`|~09az": '!"#~'},
        httpx.Headers({"X-From-Httpx": "1"}),
    ],
    ids=repr,
)
def test_valid_default_headers_are_kept_as_a_copy(headers: dict[str, str] | None) -> None:
    resolved = resolve_headers(headers)

    assert resolved == dict(headers or {})
    assert resolved is not headers


SECRET = "aisq_live_0123456789abcdef"


@pytest.mark.parametrize(
    ("headers", "words"),
    [
        (
            {"X-Trace": "a\r\nX-Injected: 1"},
            "default_headers['X-Trace'] has a line break (CR or LF)",
        ),
        ({"X-Trace": "a\nb"}, "default_headers['X-Trace'] has a line break"),
        ({"X-Trace": "a\rb"}, "default_headers['X-Trace'] has a line break"),
        ({"X-Trace": "caf\u00e9"}, "default_headers['X-Trace'] has a non-ASCII character"),
        ({"X-Trace": "\u2028"}, "default_headers['X-Trace'] has a non-ASCII character"),
        ({"X-Trace": "a\x00b"}, "default_headers['X-Trace'] has a control character"),
        ({"X-Trace": "a\x7fb"}, "default_headers['X-Trace'] has a control character"),
        ({"X-Trace": "a\x1bb"}, "default_headers['X-Trace'] has a control character"),
        (
            {"X-Trace": " trace-value"},
            "default_headers['X-Trace'] has whitespace at the start or end",
        ),
        ({"X-Trace": "a\t"}, "default_headers['X-Trace'] has whitespace at the start or end"),
        ({"X Trace": "trace-value"}, "default_headers: 'X Trace' is not a valid header name"),
        ({"X-Trace:": "trace-value"}, "default_headers: 'X-Trace:' is not a valid header name"),
        (
            {"X-Trace\r\n": "trace-value"},
            "default_headers: 'X-Trace\\r\\n' is not a valid header name",
        ),
        ({"": "trace-value"}, "default_headers: '' is not a valid header name"),
        ({"X-Tr\u00e4ce": "trace-value"}, "is not a valid header name"),
        # A secret in a bad value: the header is named, the value never shown.
        ({"Authorization": f"Bearer {SECRET}\r\n"}, "default_headers['Authorization'] has a"),
        ({"Authorization": f"Bearer {SECRET}\u00e9"}, "default_headers['Authorization'] has a"),
        ({"Authorization": f"Bearer {SECRET}\x00"}, "default_headers['Authorization'] has a"),
        ({"Authorization": f" Bearer {SECRET}"}, "default_headers['Authorization'] has"),
    ],
    ids=repr,
)
def test_a_bad_default_header_is_refused_by_name_never_by_value(
    headers: dict[str, str], words: str
) -> None:
    with pytest.raises(StudioError) as caught:
        resolve_headers(headers)

    message = str(caught.value)
    assert words in message
    assert len(message.splitlines()) == 1
    for value in headers.values():
        assert value not in message
    assert SECRET not in message


@pytest.mark.parametrize(
    ("headers", "words"),
    [
        ({"X-Trace": 1}, "default_headers['X-Trace'] must be a str, got int"),
        ({"Authorization": b"Bearer " + SECRET.encode()}, "must be a str, got bytes"),
        ({"X-Trace": None}, "must be a str, got NoneType"),
        ({1: "x"}, "default_headers names must be str, got int"),
        ([("X-Trace", "1")], "default_headers must be a mapping of str to str, got list"),
        ("X-Trace: 1", "default_headers must be a mapping of str to str, got str"),
    ],
    ids=repr,
)
def test_default_headers_of_the_wrong_type_are_a_type_error(headers: object, words: str) -> None:
    with pytest.raises(TypeError) as caught:
        resolve_headers(headers)  # type: ignore[arg-type]  # the wrong type is the point

    assert words in str(caught.value)
    assert SECRET not in str(caught.value)


# --- API key -------------------------------------------------------------------------------------


def test_given_key_wins_over_the_environment(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("AISQUARE_API_KEY", "sk-from-env")

    assert resolve_key("sk-given") == "sk-given"


def test_key_comes_from_the_environment_when_not_given(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("AISQUARE_API_KEY", "sk-from-env")

    assert resolve_key(None) == "sk-from-env"


def test_a_callable_key_is_kept_as_given(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("AISQUARE_API_KEY", "sk-from-env")

    def current_token() -> str:
        return "tok"

    assert resolve_key(current_token) is current_token


@pytest.mark.parametrize("env_value", [None, ""], ids=["unset", "empty"])
def test_no_key_anywhere_names_the_variable(
    clean_env: pytest.MonkeyPatch, env_value: str | None
) -> None:
    if env_value is not None:
        clean_env.setenv("AISQUARE_API_KEY", env_value)

    with pytest.raises(StudioError, match="AISQUARE_API_KEY"):
        resolve_key(None)


# --- timeout -------------------------------------------------------------------------------------


def test_timeout_in_seconds_bounds_every_phase_and_connects_within_five() -> None:
    timeout = resolve_timeout(60)

    assert isinstance(timeout, httpx.Timeout)
    assert (timeout.connect, timeout.read, timeout.write, timeout.pool) == (5.0, 60, 60, 60)


@pytest.mark.parametrize(("seconds", "connect"), [(2, 2), (0.5, 0.5), (5, 5), (7.5, 5)])
def test_short_timeout_also_caps_connect(seconds: float, connect: float) -> None:
    timeout = resolve_timeout(seconds)

    assert timeout.connect == connect
    assert timeout.read == seconds


def test_a_complete_httpx_timeout_is_used_as_given() -> None:
    given = httpx.Timeout(30, connect=1)

    assert resolve_timeout(given) is given


@pytest.mark.parametrize(
    ("timeout", "error"),
    [
        (None, TypeError),
        (True, TypeError),
        (False, TypeError),
        ("60", TypeError),
        (0, ValueError),
        (0.0, ValueError),
        (-1, ValueError),
        (math.nan, ValueError),
        (math.inf, ValueError),
        (-math.inf, ValueError),
    ],
    ids=repr,
)
def test_timeout_that_could_hang_or_is_not_seconds_is_refused(
    timeout: object, error: type[Exception]
) -> None:
    with pytest.raises(error):
        resolve_timeout(timeout)  # type: ignore[arg-type]  # the wrong type is the point


@pytest.mark.parametrize(
    "timeout",
    [
        httpx.Timeout(None),
        httpx.Timeout(10, connect=None),
        httpx.Timeout(10, read=None),
        httpx.Timeout(10, write=None),
        httpx.Timeout(10, pool=None),
    ],
    ids=["all-none", "connect-none", "read-none", "write-none", "pool-none"],
)
def test_httpx_timeout_with_a_missing_part_is_refused(timeout: httpx.Timeout) -> None:
    with pytest.raises(ValueError, match="never time out"):
        resolve_timeout(timeout)


# --- User-Agent ----------------------------------------------------------------------------------


def test_user_agent_names_the_sdk_version_python_and_httpx() -> None:
    assert USER_AGENT.startswith(f"aisquare-studio/{__version__} ")
    assert f"python/{platform.python_version()}" in USER_AGENT
    assert f"httpx/{httpx.__version__}" in USER_AGENT


def test_user_agent_is_a_valid_header_value() -> None:
    request = httpx.Request("GET", PRODUCTION, headers={"User-Agent": USER_AGENT})

    assert request.headers["user-agent"] == USER_AGENT
    assert USER_AGENT.isascii()
    assert USER_AGENT.isprintable()


@pytest.mark.parametrize(
    "base_url",
    [
        "ftp://user:s3cret@api.example",
        "http://user:s3cret@api.example",
        "https://user:s3cret@api.example:99999",
        "https://user:s3cret@",
    ],
)
def test_a_base_url_error_never_shows_its_credentials(base_url: str) -> None:
    with pytest.raises(StudioError) as caught:
        resolve_base_url(base_url)
    assert "s3cret" not in str(caught.value)
