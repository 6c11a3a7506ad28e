"""pytest fixtures for code that uses aisquare-studio: the sandbox, and clients wired to it.

Installing aisquare-studio registers this module through the ``pytest11`` entry point. It is a
package of its own, not ``aisquare_studio.testing``, because importing anything under
``aisquare_studio`` imports the SDK (httpx, the generated models: about a quarter of a second):
here nothing is imported until a test asks for a fixture, so a pytest run that uses none pays
nothing. There are no autouse fixtures, and every name starts with ``studio`` so it cannot
shadow a project's own ``sandbox`` or ``client`` fixtures.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from aisquare_studio import AsyncStudio, RetryPolicy, Studio
    from aisquare_studio.sandbox import Sandbox


@pytest.fixture
def studio_sandbox() -> Sandbox:
    """A fresh sandbox with its seeded drafts (101-106, 130): script faults with ``.inject()``,
    read what arrived in ``.requests``."""
    from aisquare_studio.sandbox import Sandbox

    return Sandbox()


@pytest.fixture
def studio_sandbox_url(studio_sandbox: Sandbox) -> Iterator[str]:
    """``studio_sandbox`` served over real HTTP on a free loopback port, for the test."""
    with studio_sandbox.serve() as server:
        yield server.url


@pytest.fixture
def studio_sandbox_env(studio_sandbox_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """``AISQUARE_API_KEY`` and ``AISQUARE_BASE_URL`` set for the served sandbox, so code that
    builds its own ``AsyncStudio()``/``Studio()`` talks to it; returns the URL."""
    from aisquare_studio.sandbox import SANDBOX_API_KEY

    monkeypatch.setenv("AISQUARE_API_KEY", SANDBOX_API_KEY)
    monkeypatch.setenv("AISQUARE_BASE_URL", studio_sandbox_url)
    return studio_sandbox_url


@pytest.fixture
def studio_retry_policy() -> RetryPolicy:
    """The policy of the ``studio`` and ``async_studio`` clients: ``testing.FAST_RETRIES``.
    Override this fixture to test with another."""
    from aisquare_studio.testing import FAST_RETRIES

    return FAST_RETRIES


@pytest.fixture
def studio(studio_sandbox: Sandbox, studio_retry_policy: RetryPolicy) -> Iterator[Studio]:
    """A ``Studio`` wired to ``studio_sandbox`` in process (no sockets), closed after the test."""
    from aisquare_studio.testing import sandbox_studio

    with sandbox_studio(studio_sandbox, retry_policy=studio_retry_policy) as client:
        yield client


@pytest.fixture
def async_studio(studio_sandbox: Sandbox, studio_retry_policy: RetryPolicy) -> AsyncStudio:
    """An ``AsyncStudio`` wired to ``studio_sandbox`` in process (no sockets), for asyncio or
    trio tests under any plugin (anyio, pytest-asyncio).

    It is a plain fixture so it works whichever plugin runs the test's event loop, which is also
    why it is not closed for you: closing is async. In process there is nothing to release.
    """
    from aisquare_studio.testing import sandbox_async_studio

    return sandbox_async_studio(studio_sandbox, retry_policy=studio_retry_policy)
