"""Shared fixtures: the anyio backends, a fresh sandbox in process or served on loopback, the
spec check on every exchange (tests/spec_checking.py) and the hypothesis profiles."""

from __future__ import annotations

import os
from collections.abc import Generator, Iterator

import pytest
from hypothesis import HealthCheck, settings

from aisquare_studio.sandbox import Sandbox
from tests.installed import INSTALLED, SOURCE_TREE
from tests.spec_checking import LEDGER, MARKER, SpecCheckedSandbox

# Property tests stay bounded by default so `make test` stays fast; CI-sized runs opt in with
# HYPOTHESIS_PROFILE=ci. Generating a whole VideoDetail is slow for hypothesis's taste, hence
# no deadline and no too_slow check. No example database: a run writes nothing into the clone
# (a failure prints the seed and the example to reproduce it).
settings.register_profile(
    "default",
    max_examples=20,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "ci",
    max_examples=300,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(params=["asyncio", "trio"])
def anyio_backend(request: pytest.FixtureRequest) -> str:
    """Run every ``@pytest.mark.anyio`` test under asyncio and under trio."""
    return str(request.param)


@pytest.fixture
def sandbox() -> Sandbox:
    """A fresh sandbox with its seeded drafts; no state is shared between tests.

    Every exchange it serves is checked against the spec (tests/spec_checking.py).
    """
    return SpecCheckedSandbox()


@pytest.fixture
def sandbox_url(sandbox: Sandbox) -> Iterator[str]:
    """Base URL of ``sandbox`` served on a free loopback port for the test's duration."""
    with sandbox.serve() as server:
        yield server.url


# --- the spec check on every exchange ----------------------------------------------------------


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER}(reason): the test breaks the spec on purpose; its violations are expected "
        "and counted, and the test fails if none happens",
    )
    config.addinivalue_line(
        "markers",
        f"{SOURCE_TREE}(reason): a maintainer test that needs the repository, not the installed "
        "package; skipped, with its reason, when the suite tests an installed wheel",
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if not INSTALLED:
        return
    for item in items:
        if (marker := item.get_closest_marker(SOURCE_TREE)) is not None:
            reason = f"maintainer test, needs the repository: {marker.args[0]}"
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Generator[None, None, None]:
    LEDGER.begin(item.nodeid)
    return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, None, None]:
    marker = item.get_closest_marker(MARKER)
    reason = None
    if marker is not None:
        reason = marker.args[0] if marker.args else None
        if not isinstance(reason, str) or not reason.strip():
            pytest.fail(f"@pytest.mark.{MARKER} needs a reason: why this test breaks the spec")
    try:
        result = yield
    except BaseException:
        if violations := LEDGER.violations():
            item.add_report_section("call", "spec violations", "\n".join(violations))
        raise
    if (failure := LEDGER.judge(reason)) is not None:
        pytest.fail(failure, pytrace=False)
    if violations := LEDGER.violations():
        item.add_report_section("call", "expected spec violations", "\n".join(violations))
    return result


def pytest_sessionfinish(session: pytest.Session) -> None:
    # An xdist worker hands its counts to the controller, which sums them (pytest_testnodedown).
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["spec_checking"] = dict(LEDGER.counts)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: object, error: object) -> None:
    LEDGER.merge(getattr(node, "workeroutput", {}).get("spec_checking", {}))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for line in LEDGER.summary():
        terminalreporter.write_line(line)
