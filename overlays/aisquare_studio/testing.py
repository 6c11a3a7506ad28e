"""Test your own code against the sandbox: clients wired to it in process, and fault scripting.

The pytest fixtures built on these (``studio_sandbox``, ``studio``, ``async_studio``, ...) come
with the package through its ``pytest11`` entry point; see the docs' page "The sandbox and the
pytest kit".

PYTEST_DONT_REWRITE: the package's pytest plugin makes pytest rewrite the asserts of every module
in the distribution, and the rewrite adds pytest's helpers to the namespace users import from.
"""

from __future__ import annotations

from typing import Any

from ._client import AsyncStudio, Studio
from ._retry import RetryPolicy
from .sandbox import SANDBOX_API_KEY, Fault, RecordedRequest, Sandbox

SANDBOX_BASE_URL = "http://sandbox.localhost"
"""The base URL of in-process clients: never resolved, since their transport has no sockets."""

FAST_RETRIES = RetryPolicy(initial_delay=0.001, max_delay=0.005)
"""The production retry decisions (which failures, how many retries, which Retry-After values to
honour) with millisecond backoff, so a test of a retried fault takes no noticeable time."""


def sandbox_studio(sandbox: Sandbox, **options: Any) -> Studio:
    """A ``Studio`` that sends to ``sandbox`` in process (no sockets), with the sandbox key and
    ``FAST_RETRIES``; ``options`` are ``Studio``'s arguments and override these."""
    return Studio(**_in_process(sandbox, options))


def sandbox_async_studio(sandbox: Sandbox, **options: Any) -> AsyncStudio:
    """An ``AsyncStudio`` that sends to ``sandbox`` in process (no sockets), under asyncio or
    trio; see ``sandbox_studio`` for the defaults."""
    return AsyncStudio(**_in_process(sandbox, options))


def every_attempt(fault: Fault, retry_policy: RetryPolicy = FAST_RETRIES) -> tuple[Fault, ...]:
    """``fault`` once for each attempt one call makes under ``retry_policy`` (3 by default), so
    retries cannot recover: ``sandbox.inject(*every_attempt(Fault.status(503)), video_id=101)``
    is an outage for video 101."""
    return (fault,) * (retry_policy.max_retries + 1)


def _in_process(sandbox: Sandbox, options: dict[str, Any]) -> dict[str, Any]:
    return {
        "api_key": SANDBOX_API_KEY,
        "base_url": SANDBOX_BASE_URL,
        "transport": sandbox.transport(),
        "retry_policy": FAST_RETRIES,
        **options,
    }


__all__ = [
    "FAST_RETRIES",
    "SANDBOX_API_KEY",
    "SANDBOX_BASE_URL",
    "Fault",
    "RecordedRequest",
    "Sandbox",
    "every_attempt",
    "sandbox_async_studio",
    "sandbox_studio",
]
