"""How many bodies the SDK took through its fast parse path and how many through the checking one.

A body the fast path refuses still parses, only slower, so a figure can degrade silently (a
server adding one field sends every call to the checking path). The SDK counts both, through
``aisquare_studio.parse_counts()``; versions without that counter report "n/a".
"""

from __future__ import annotations

from dataclasses import dataclass

import aisquare_studio


@dataclass(frozen=True)
class ParseCounts:
    fast: int
    checked: int

    def __sub__(self, other: ParseCounts) -> ParseCounts:
        return ParseCounts(self.fast - other.fast, self.checked - other.checked)

    def __str__(self) -> str:
        return f"{self.fast} fast, {self.checked} checked"


def snapshot() -> ParseCounts | None:
    """The SDK's counters now (process-wide, since import), or None if it has none."""
    counts = getattr(aisquare_studio, "parse_counts", None)
    if counts is None:
        return None
    now = counts()
    return ParseCounts(int(now.fast), int(now.checked))


def since(before: ParseCounts | None) -> ParseCounts | None:
    """The bodies parsed since ``before`` was taken."""
    now = snapshot()
    return None if now is None or before is None else now - before


def describe(counts: ParseCounts | None) -> str:
    return "n/a" if counts is None else str(counts)
