"""The testing kit: its pytest plugin (loaded by entry point, costing nothing until used) and
the in-process clients, asserted the way a user's own tests would use them."""

from __future__ import annotations

import socket
import subprocess
import sys
import textwrap

import pytest

import aisquare_studio_pytest
from aisquare_studio import (
    APIConnectionError,
    AsyncStudio,
    InternalServerError,
    RateLimitError,
    RetryPolicy,
    Studio,
)
from aisquare_studio.testing import (
    FAST_RETRIES,
    SANDBOX_API_KEY,
    Fault,
    Sandbox,
    every_attempt,
    sandbox_studio,
)

pytest_plugins = ["pytester"]


@pytest.fixture
def no_sockets(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to connect a socket fails the test (event loops' own socketpairs still work)."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("an in-process client tried to connect a socket")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)


def test_the_plugin_comes_with_the_package(pytestconfig: pytest.Config) -> None:
    assert pytestconfig.pluginmanager.get_plugin("aisquare_studio") is aisquare_studio_pytest


def test_loading_the_plugin_imports_nothing_of_the_sdk() -> None:
    # A pytest run that uses no fixture of the kit must not pay for importing httpx and the SDK.
    check = (
        "import sys, aisquare_studio_pytest; "
        "print(sorted(m for m in sys.modules if m.startswith(('aisquare_studio.', 'httpx'))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, timeout=30, check=True
    )
    assert result.stdout == "[]\n"


@pytest.mark.usefixtures("no_sockets")
def test_studio_publishes_in_process_without_sockets(
    studio: Studio, studio_sandbox: Sandbox
) -> None:
    video = studio.videos.publish(101)

    assert video.is_draft is False
    assert studio_sandbox.video(101)["is_draft"] is False
    [sent] = studio_sandbox.requests
    assert (sent.method, sent.path) == ("POST", "/api/v1/videos/101/publish/")
    assert sent.headers["authorization"] == f"Bearer {SANDBOX_API_KEY}"
    assert studio.retry_policy == FAST_RETRIES


@pytest.mark.anyio
@pytest.mark.usefixtures("no_sockets")
async def test_async_studio_sees_a_scripted_outage_quickly(
    async_studio: AsyncStudio, studio_sandbox: Sandbox
) -> None:
    studio_sandbox.inject(*every_attempt(Fault.status(503)), video_id=102)

    with pytest.raises(InternalServerError) as caught:
        await async_studio.videos.publish(102)

    assert caught.value.attempts == 3
    assert [request.video_id for request in studio_sandbox.requests] == [102, 102, 102]
    assert (await async_studio.videos.publish(102)).is_draft is False  # the outage is over


@pytest.mark.anyio
async def test_async_studio_recovers_from_a_drop_and_a_short_throttle(
    async_studio: AsyncStudio, studio_sandbox: Sandbox
) -> None:
    studio_sandbox.inject(Fault.drop(), Fault.rate_limit("0"))

    video = await async_studio.videos.publish(103)

    assert video.id == 103
    assert len(studio_sandbox.requests) == 3


def test_a_throttle_longer_than_the_sdk_waits_raises_at_once(
    studio: Studio, studio_sandbox: Sandbox
) -> None:
    studio_sandbox.inject(Fault.rate_limit("120"))

    with pytest.raises(RateLimitError) as caught:
        studio.videos.publish(104)

    assert caught.value.retry_after == 120
    assert len(studio_sandbox.requests) == 1


def test_every_attempt_follows_the_policy() -> None:
    drop = Fault.drop()
    assert every_attempt(drop) == (drop, drop, drop)
    assert every_attempt(drop, RetryPolicy(max_retries=0)) == (drop,)


def test_sandbox_studio_takes_the_client_options() -> None:
    sandbox = Sandbox()
    sandbox.inject(Fault.drop())
    with (
        sandbox_studio(sandbox, max_retries=0) as studio,
        pytest.raises(APIConnectionError),
    ):
        studio.videos.publish(101)
    assert len(sandbox.requests) == 1


def test_a_users_project_gets_the_fixtures_and_can_override_the_policy(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(
        textwrap.dedent(
            """
            import pytest

            from aisquare_studio import APIConnectionError, RetryPolicy
            from aisquare_studio.testing import Fault


            @pytest.fixture
            def studio_retry_policy():
                return RetryPolicy(max_retries=0)


            def test_no_retries(studio, studio_sandbox):
                studio_sandbox.inject(Fault.drop())
                with pytest.raises(APIConnectionError):
                    studio.videos.publish(101)


            def test_env_points_at_the_served_sandbox(studio_sandbox_env, studio_sandbox_url):
                import os

                assert os.environ["AISQUARE_BASE_URL"] == studio_sandbox_url == studio_sandbox_env
            """
        )
    )

    result = pytester.runpytest("-p", "no:cacheprovider")

    result.assert_outcomes(passed=2)
