"""Shared fixtures: the anyio backends, and a fresh sandbox in process or served on loopback."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from aisquare_studio.sandbox import Sandbox


@pytest.fixture(params=["asyncio", "trio"])
def anyio_backend(request: pytest.FixtureRequest) -> str:
    """Run every ``@pytest.mark.anyio`` test under asyncio and under trio."""
    return str(request.param)


@pytest.fixture
def sandbox() -> Sandbox:
    """A fresh sandbox with its seeded drafts; no state is shared between tests."""
    return Sandbox()


@pytest.fixture
def sandbox_url(sandbox: Sandbox) -> Iterator[str]:
    """Base URL of ``sandbox`` served on a free loopback port for the test's duration."""
    with sandbox.serve() as server:
        yield server.url
