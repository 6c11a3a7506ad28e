"""Awaitables the SDK receives from user callbacks but will not await."""

from __future__ import annotations


def close_unawaited(awaitable: object) -> None:
    """Close a coroutine that will never be awaited, so Python does not warn it never was."""
    close = getattr(awaitable, "close", None)
    if callable(close):
        close()
