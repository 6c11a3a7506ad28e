"""A success body becomes its model once, here: at C speed when it can, by the checking parser
when it must, with the same result either way.

Each declared success has two parsers (``aisquare_studio_api.types.Success``): ``decode``, which
msgspec runs on the body's bytes into a strict mirror of the model, and ``parse``, the generated
``from_dict``, which checks every value of the decoded JSON and names the one that does not fit.
``decode`` refuses whatever ``parse`` might judge differently (an unknown key, a value of another
JSON type, a date-time ``fromisoformat`` refuses, ...), so it only ever speeds up a body that
``parse`` would turn into the same model; everything else goes to ``parse``, which accepts it or
raises its ``DocumentError``. A refusal is not an error, but a server that adds a field sends
every body of that type the slow way: ``parse_counts()`` counts both ways, and the first refusal
of each type is logged at DEBUG with msgspec's reason.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from dataclasses import dataclass
from typing import Any

import httpx

from aisquare_studio_api.types import DocumentError, Success

from ._errors import ResponseValidationError

logger = logging.getLogger("aisquare_studio")


@dataclass(frozen=True)
class ParseCounts:
    """How this process's success bodies were parsed, since it started (a forked child starts
    from its parent's counts)."""

    fast: int
    """Bodies msgspec took straight into the model."""
    checked: int
    """Bodies the checking parser took: those msgspec refused, and those of types without a fast
    path. A share that grows says the server sends what the spec does not describe."""


class _Counter:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.fast = 0
        self.checked = 0
        self.refused_types: set[str] = set()

    def count_fast(self) -> None:
        with self.lock:
            self.fast += 1

    def count_checked(self, type_name: str, reason: BaseException | None) -> None:
        with self.lock:
            self.checked += 1
            first = reason is not None and type_name not in self.refused_types
            if first:
                self.refused_types.add(type_name)
        if first:
            logger.debug(
                "%s: the fast parser refused a body (%s); it and any like it are parsed by the"
                " checking parser, about twice as slow (parse_counts() counts them). A server"
                " sending fields the spec lacks is the usual cause: regenerate from its spec.",
                type_name,
                _printable(str(reason) or type(reason).__name__),
            )


_counter = _Counter()


def _renew_lock() -> None:
    # A thread of the parent may have held the lock at the fork: the child's copy would stay held.
    _counter.lock = threading.Lock()


os.register_at_fork(after_in_child=_renew_lock)


def parse_counts() -> ParseCounts:
    """How many success bodies this process parsed the fast way and the checking way.

    Every model the SDK returns is the same either way; only the cost differs. The checking share
    is worth a look when it grows: the first body of each type the fast parser refused is logged at
    DEBUG on the ``aisquare_studio`` logger with the reason (an unknown field, most often).
    """
    with _counter.lock:
        return ParseCounts(fast=_counter.fast, checked=_counter.checked)


def parse_success(success: Success, response: httpx.Response) -> Any:
    """The model of ``response``'s body as ``success`` declares it, or ``ResponseValidationError``
    saying what does not fit. ``success.parse`` must not be None."""
    content = response.content
    refusal: BaseException | None = None
    if success.decode is not None:
        try:
            parsed = success.decode(content)
        except (ValueError, TypeError, RecursionError, ImportError) as error:
            refusal = error
        else:
            _counter.count_fast()
            return parsed
    _counter.count_checked(success.type_name, refusal)
    return _parse_checked(success, response)


def _parse_checked(success: Success, response: httpx.Response) -> Any:
    name = success.type_name
    assert success.parse is not None
    try:
        document = decode_json(response.content)
    except (ValueError, RecursionError):
        preview = response.content[:60].decode("utf-8", errors="replace")
        raise ResponseValidationError(
            f"expected a JSON {name}, got {content_type(response)} body starting {preview!r}",
            field=None,
            response=response,
        ) from None
    try:
        return success.parse(document)
    except DocumentError as error:  # names the field and says what is wrong
        where = f"{name}.{error}" if error.path else f"{name}: {error}"
        raise ResponseValidationError(where, field=error.path or None, response=response) from None
    except (TypeError, ValueError, KeyError, AttributeError, RecursionError):
        # A body the generator's own parser refuses (only a list or another shape that is not a
        # model has one): it does not say where.
        raise ResponseValidationError(
            f"{name}: the document does not fit", field=None, response=response
        ) from None


def decode_json(content: bytes) -> Any:
    """``json.loads(content)``, through msgspec's untyped decoder first (about twice as fast, and
    the same objects for every document it accepts: exact big integers, the last of duplicate
    keys). What it refuses (a lone surrogate escape, UTF-16, NaN, deep nesting) goes to
    ``json.loads``, so which bodies are accepted does not depend on msgspec."""
    try:
        # Imported on first use: import time is every user's.
        from msgspec import MsgspecError
        from msgspec.json import decode
    except ImportError:
        return json.loads(content)
    try:
        return decode(content)
    except (MsgspecError, ValueError, RecursionError):  # a ValueError in later msgspecs only
        return json.loads(content)


def content_type(response: httpx.Response) -> str:
    """The response's media type, safe to show in an error: a hostile header may hold any byte."""
    text = (response.headers.get("content-type") or "untyped").split(";")[0].strip()[:60]
    return _printable(text)


def _printable(text: str) -> str:
    return "".join(char if char.isprintable() else "?" for char in text[:200])
