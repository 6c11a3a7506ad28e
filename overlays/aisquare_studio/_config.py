"""Turns constructor arguments and environment variables into checked settings."""

from __future__ import annotations

import ipaddress
import math
import os
import platform
from collections.abc import Callable

import httpx

from ._errors import StudioError
from ._version import __version__

API_KEY_ENV = "AISQUARE_API_KEY"
BASE_URL_ENV = "AISQUARE_BASE_URL"
DEFAULT_BASE_URL = "https://api.aisquare.studio"
DEFAULT_TIMEOUT = 60.0
# Connecting should be quick; a long connect usually means the host is unreachable.
CONNECT_TIMEOUT = 5.0
USER_AGENT = (
    f"aisquare-studio/{__version__} python/{platform.python_version()} httpx/{httpx.__version__}"
)
# One pool of up to 100 connections, all kept alive between bursts: httpx's default keeps only
# 20, so a burst of concurrent publishes would reconnect (and re-handshake TLS) each time.
DEFAULT_LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=100)
# The spec's integers are int32 on the server (the published reference page says so).
MAX_VIDEO_ID = 2**31 - 1


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
    """
    if base_url is None:
        base_url = os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL
    if not isinstance(base_url, str):
        raise TypeError(f"base_url must be a str, got {type(base_url).__name__}")
    try:
        url = httpx.URL(base_url)
    except httpx.InvalidURL as exc:
        raise StudioError(f"base_url {base_url!r} is not a valid URL: {exc}") from None
    if url.scheme not in ("http", "https") or not url.host:
        raise StudioError(f"base_url must be an http(s) URL with a host, got {base_url!r}")
    if url.query or url.fragment or url.userinfo:
        raise StudioError("base_url must not carry a query, fragment or credentials")
    if url.scheme == "http" and not _is_loopback(url.host):
        raise StudioError(
            f"base_url {base_url!r} is plain http to a non-loopback host: the API key would travel "
            "in clear text. Use https://"
        )
    return str(url).rstrip("/")


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


def check_video_id(video_id: object) -> int:
    """A video id is a positive int32; anything else is refused before a request is sent."""
    if isinstance(video_id, bool) or not isinstance(video_id, int):
        raise TypeError(f"video_id must be an int, got {type(video_id).__name__} {video_id!r:.40}")
    if not 0 < video_id <= MAX_VIDEO_ID:
        raise ValueError(f"video_id must be between 1 and {MAX_VIDEO_ID}, got {video_id}")
    return video_id
