"""Turns constructor arguments and environment variables into checked settings."""

from __future__ import annotations

import ipaddress
import math
import os
import re
import ssl
import sys
from collections.abc import Callable, Mapping

import httpx

from ._errors import StudioError
from ._version import __version__

API_KEY_ENV = "AISQUARE_API_KEY"
BASE_URL_ENV = "AISQUARE_BASE_URL"
DEFAULT_BASE_URL = "https://api.aisquare.studio"
DEFAULT_TIMEOUT = 60.0
# Connecting should be quick; a long connect usually means the host is unreachable.
CONNECT_TIMEOUT = 5.0
# What ``proxy=`` and ``verify=`` take (_connections.py builds with them).
ProxySetting = str | httpx.URL | httpx.Proxy
VerifySetting = ssl.SSLContext | bool
# platform.python_version(), read as it reads it: the platform module costs more to import
# than everything else this module does.
_PYTHON_VERSION = sys.version.split()[0]
USER_AGENT = f"aisquare-studio/{__version__} python/{_PYTHON_VERSION} httpx/{httpx.__version__}"
# One pool of up to 100 connections, all kept alive between bursts: httpx's default keeps only
# 20, so a burst of concurrent publishes would reconnect (and re-handshake TLS) each time.
DEFAULT_LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=100)


def resolve_key(api_key: object) -> str | Callable[[], object]:
    """The key as given, else from ``AISQUARE_API_KEY``; a StudioError says how to provide one."""
    if api_key is None:
        api_key = os.environ.get(API_KEY_ENV) or None
    if api_key is None:
        raise StudioError(f"No API key: pass api_key=... or set the {API_KEY_ENV} variable")
    if not (isinstance(api_key, str) or callable(api_key)):
        # A SecretStr, bytes or a number: say so now, not as a puzzling failure on the first call.
        raise StudioError(
            f"api_key must be a str or a callable returning one, got {type(api_key).__name__}"
        )
    return api_key


def resolve_base_url(base_url: str | None) -> str:
    """The API's root URL: the argument, else ``AISQUARE_BASE_URL``, else production.

    Plain http is allowed only to loopback hosts, where the key does not cross a network.
    Whitespace or control characters anywhere, surrounding whitespace included, are refused
    rather than stripped: httpx would send them percent-encoded, to a host such as
    ``api.aisquare.studio%20``.
    """
    source = "base_url"
    if base_url is None:
        from_env = os.environ.get(BASE_URL_ENV)
        if from_env:
            source = BASE_URL_ENV
        base_url = from_env or DEFAULT_BASE_URL
    if not isinstance(base_url, str):
        raise TypeError(f"base_url must be a str, got {type(base_url).__name__}")
    _check_url_characters(base_url, source)
    shown = _without_credentials(base_url)
    try:
        url = httpx.URL(base_url)
    except httpx.InvalidURL as exc:
        detail = _without_credentials(str(exc))
        raise StudioError(f"{source} {shown!r} is not a valid URL: {detail}") from None
    if url.scheme not in ("http", "https") or not url.host:
        raise StudioError(f"{source} must be an http(s) URL with a host, got {shown!r}")
    if url.query or url.fragment or url.userinfo:
        raise StudioError(f"{source} must not carry a query, fragment or credentials")
    if url.scheme == "http" and not _is_loopback(url.host):
        raise StudioError(
            f"{source} {shown!r} is plain http to a non-loopback host: the API key would travel "
            "in clear text. Use https://"
        )
    return str(url).rstrip("/")


def _without_credentials(text: str) -> str:
    """``text`` with any ``user:password@`` after a ``//`` masked: errors quote URLs."""
    return _USERINFO.sub("[credentials]@", text)


_USERINFO = re.compile(r"(?<=//)[^/@\s]*@")


def _check_url_characters(url: str, source: str) -> None:
    # Only the offending character is shown, not the URL: it may carry credentials.
    if url[:1].isspace() or url[-1:].isspace():
        end, char = ("starts", url[0]) if url[:1].isspace() else ("ends", url[-1])
        raise StudioError(f"{source} {end} with whitespace ({char!r}): remove it")
    for index, char in enumerate(url):
        if char.isspace() or not char.isprintable():
            raise StudioError(
                f"{source} has {char!r} at character {index + 1}: a URL cannot contain "
                "whitespace or control characters"
            )


# RFC 9110 section 5.6.2: a field name is a token.
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
# RFC 9110 section 5.5, without obs-text: visible ASCII, with spaces and tabs inside only (httpx's
# HTTP/1.1 layer refuses a value that starts or ends with one).
_FIELD_VALUE = re.compile(r"([!-~]([ \t!-~]*[!-~])?)?")


def resolve_headers(default_headers: Mapping[str, str] | None) -> dict[str, str]:
    """``default_headers`` checked and copied: names are RFC 9110 tokens, values visible ASCII
    with inner spaces and tabs. A bad one is a StudioError now, not a failure on the first call.

    Errors name the header, never its value, which may be a secret (an ``Authorization``).
    Anything but a mapping of str to str is a TypeError.
    """
    if default_headers is None:
        return {}
    if not isinstance(default_headers, Mapping):
        raise TypeError(
            f"default_headers must be a mapping of str to str, got {type(default_headers).__name__}"
        )
    headers: dict[str, str] = {}
    for name, value in default_headers.items():
        if not isinstance(name, str):
            raise TypeError(f"default_headers names must be str, got {type(name).__name__}")
        if not _TOKEN.fullmatch(name):
            raise StudioError(
                f"default_headers: {name!r:.60} is not a valid header name (RFC 9110 allows "
                "letters, digits and !#$%&'*+-.^_`|~)"
            )
        if not isinstance(value, str):
            raise TypeError(f"default_headers[{name!r}] must be a str, got {type(value).__name__}")
        if not _FIELD_VALUE.fullmatch(value):
            raise StudioError(f"default_headers[{name!r}] {_value_problem(value)}")
        headers[name] = value
    return headers


def _value_problem(value: str) -> str:
    if "\r" in value or "\n" in value:
        return "has a line break (CR or LF) in its value: it would end the header"
    if not value.isascii():
        return "has a non-ASCII character in its value: header values must be ASCII"
    if value.strip(" \t") != value:
        return "has whitespace at the start or end of its value: remove it"
    return "has a control character in its value: header values must be visible ASCII"


def _is_loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def resolve_timeout(timeout: float | httpx.Timeout) -> httpx.Timeout:
    """Per-attempt timeout; None anywhere is refused, since a call must never hang forever."""
    if isinstance(timeout, httpx.Timeout):
        parts = (timeout.connect, timeout.read, timeout.write, timeout.pool)
        if any(part is None for part in parts):
            raise ValueError(
                "every part of the httpx.Timeout must be set: None would never time out"
            )
        return timeout
    if isinstance(timeout, bool) or not isinstance(timeout, int | float):
        raise TypeError(f"timeout must be seconds (a number) or an httpx.Timeout, got {timeout!r}")
    if not (math.isfinite(timeout) and timeout > 0):
        raise ValueError(f"timeout must be a finite number of seconds > 0, got {timeout!r}")
    return httpx.Timeout(timeout, connect=min(CONNECT_TIMEOUT, timeout))


def attempt_seconds(timeout: httpx.Timeout) -> float:
    """How long one attempt may take in all: the largest of its phases' timeouts."""
    parts = (timeout.connect, timeout.read, timeout.write, timeout.pool)
    return max(part for part in parts if part is not None)


def resolve_max_response_bytes(max_bytes: object) -> int:
    """The largest response body a client accepts: a positive int of bytes."""
    if isinstance(max_bytes, bool) or not isinstance(max_bytes, int):
        raise TypeError(f"max_response_bytes must be an int, got {type(max_bytes).__name__}")
    if max_bytes <= 0:
        raise ValueError(f"max_response_bytes must be > 0, got {max_bytes}")
    return max_bytes


TRANSPORT_ENV = "AISQUARE_TRANSPORT"
TRANSPORTS = ("httpx", "aiohttp")
ASYNCIO_ONLY = (
    "transport='aiohttp' runs on asyncio only (aiohttp has no trio support): under trio, "
    "use the default transport='httpx'"
)
AIOHTTP_MISSING = (
    "transport='aiohttp' needs the aiohttp extra: install the package with it, e.g. "
    "pip install 'aisquare-studio[aiohttp]' (from a checkout: pip install '.[aiohttp]')"
)


def resolve_transport(transport: str | None) -> str:
    """Which connection pool an ``AsyncStudio`` builds: the argument, else
    ``AISQUARE_TRANSPORT``, else httpx's. aiohttp's must be installed, and is imported here
    only when chosen."""
    source = "transport"
    if transport is None:
        from_env = os.environ.get(TRANSPORT_ENV)
        if from_env:
            source = TRANSPORT_ENV
        transport = from_env or "httpx"
    if transport not in TRANSPORTS:
        # Only the argument can also be a transport object; the variable holds a name.
        also = " (or an httpx transport)" if source == "transport" else ""
        raise StudioError(f"{source} must be 'httpx' or 'aiohttp'{also}, got {transport!r:.60}")
    if transport == "aiohttp":
        _refuse_under_trio()
        try:
            from . import _aiohttp  # noqa: F401 - imported to learn whether aiohttp is there
        except ImportError as exc:
            raise StudioError(f"{AIOHTTP_MISSING} ({exc})") from None
    return transport


def _refuse_under_trio() -> None:
    # aiohttp needs asyncio; a client built inside trio.run() would fail on its first call.
    trio = sys.modules.get("trio")
    if trio is None:
        return
    try:
        trio.lowlevel.current_trio_token()
    except RuntimeError:
        return
    raise StudioError(ASYNCIO_ONLY)
