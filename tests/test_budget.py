"""The retry budget: an outage is not amplified, isolated blips are still retried."""

from __future__ import annotations

import httpx
import pytest

from aisquare_studio import InternalServerError, RetryBudget, RetryPolicy, Studio
from aisquare_studio._budget import BudgetState
from aisquare_studio.sandbox import SANDBOX_API_KEY
from tools.reliability import attempts_per_call, blips, outage, outage_without_budget


def test_a_total_outage_costs_at_most_1_2_attempts_per_call() -> None:
    per_call, succeeded = outage()
    assert succeeded == 0
    assert per_call <= 1.2


def test_without_the_budget_an_outage_triples_the_load() -> None:
    per_call, _ = outage_without_budget()
    assert per_call == 3.0


def test_isolated_blips_are_all_retried_to_success() -> None:
    per_call, succeeded = blips()
    assert succeeded == 300
    assert 1.05 < per_call < 1.2  # the blips really happened and were retried


def test_the_budget_recovers_once_the_server_does() -> None:
    # 30 failures drain it; 100 successes refill it; then a blip is retried again.
    def fails(attempt: int) -> bool:
        return attempt <= 30 or attempt == 200

    per_call, succeeded = attempts_per_call(fails, calls=199)
    # Two calls retry until the bucket is half empty (5 attempts); 25 more fail at once. The
    # blip at attempt 200 comes after the bucket refilled, so its call is retried and succeeds.
    assert succeeded == 199 - 27
    assert per_call == (30 + 172 + 1) / 199  # drained calls, one per success, one retry


def test_state_drains_on_failures_and_refills_on_successes() -> None:
    state = BudgetState(RetryBudget(max_tokens=4, token_ratio=0.5))
    assert state.allows_retry()
    state.record(failed=True)
    assert state.tokens == 3
    assert state.allows_retry()
    state.record(failed=True)
    assert not state.allows_retry()  # 2 is not above half of 4
    for _ in range(10):
        state.record(failed=False)
    assert state.tokens == 4  # capped at the bucket's size
    for _ in range(10):
        state.record(failed=True)
    assert state.tokens == 0


@pytest.mark.parametrize("field", ["max_tokens", "token_ratio"])
@pytest.mark.parametrize("value", [0, -1, float("nan"), float("inf"), True])
def test_budget_settings_are_checked(field: str, value: float) -> None:
    with pytest.raises(ValueError, match=field):
        RetryBudget(**{field: value})


def test_the_error_says_when_the_budget_stopped_the_retries() -> None:
    def down(request: httpx.Request) -> httpx.Response:
        return httpx.Response(503, json={"detail": "Service temporarily unavailable."})

    policy = RetryPolicy(initial_delay=0, max_delay=0, budget=RetryBudget(max_tokens=2))
    with (
        Studio(
            api_key=SANDBOX_API_KEY,
            base_url="http://sandbox.localhost",
            transport=httpx.MockTransport(down),
            retry_policy=policy,
        ) as studio,
        pytest.raises(InternalServerError) as caught,
    ):
        studio.videos.publish(101)

    assert caught.value.attempts == 1
    assert caught.value.retries_stopped is not None
    assert "retry budget is exhausted" in caught.value.retries_stopped
    assert "retries stopped: the retry budget is exhausted" in str(caught.value)


def test_with_options_copies_share_the_budget() -> None:
    attempts = 0

    def down(request: httpx.Request) -> httpx.Response:
        nonlocal attempts
        attempts += 1
        return httpx.Response(503)

    with Studio(
        api_key=SANDBOX_API_KEY,
        base_url="http://sandbox.localhost",
        transport=httpx.MockTransport(down),
        retry_policy=RetryPolicy(initial_delay=0, max_delay=0),
    ) as studio:
        for client in (studio, studio.with_options(timeout=5), studio.with_options(max_retries=2)):
            for _ in range(5):
                with pytest.raises(InternalServerError):
                    client.videos.publish(101)

    # One shared bucket of 10 allows 3 retries in all (2 for the first call, 1 for the second),
    # however many copies make the calls; a bucket per copy would have allowed 9.
    assert attempts == 15 + 3
