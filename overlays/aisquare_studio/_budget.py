"""The retry budget: a token bucket that stops retries while most attempts are failing.

The scheme gRPC and the AWS SDKs use. Every failed attempt takes a token, every success gives
back a fraction of one, and retries are allowed only while the bucket is more than half full.
Isolated failures barely dent it; an outage drains it within a few calls, after which each call
makes one attempt instead of ``1 + max_retries``, so the SDK does not multiply the load on a
server that is already down.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass


def _positive(name: str, value: float) -> None:
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if not (number and math.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be a finite number > 0, got {value!r}")


# A dataclass rather than attrs (as the models are): the SDK's import needs this class, and
# attrs would add most of what that import costs past httpx's.
@dataclass(frozen=True, slots=True)
class RetryBudget:
    """How much retrying a client's calls may do together.

    Attributes:
        max_tokens: the bucket's size (default 10). Retries stop below half of it.
        token_ratio: tokens a successful attempt gives back (default 0.1): with the defaults,
            retries keep flowing while fewer than one attempt in ten fails.
    """

    max_tokens: float = 10.0
    token_ratio: float = 0.1

    def __post_init__(self) -> None:
        _positive("max_tokens", self.max_tokens)
        _positive("token_ratio", self.token_ratio)


class BudgetState:
    """The bucket's level, shared by every call of a client; safe across threads."""

    def __init__(self, budget: RetryBudget) -> None:
        self.budget = budget
        self._tokens = budget.max_tokens
        self._lock = threading.Lock()

    @property
    def tokens(self) -> float:
        return self._tokens

    def renew_lock(self) -> None:
        """In a forked child: a lock another thread of the parent held at the fork stays held."""
        self._lock = threading.Lock()

    def record(self, *, failed: bool) -> None:
        with self._lock:
            if failed:
                self._tokens = max(0.0, self._tokens - 1.0)
            else:
                self._tokens = min(self.budget.max_tokens, self._tokens + self.budget.token_ratio)

    def allows_retry(self) -> bool:
        return self._tokens > self.budget.max_tokens / 2
