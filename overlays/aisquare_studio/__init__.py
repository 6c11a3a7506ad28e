"""Python SDK for the AISquare Studio API: async-first, typed, retried, with a local sandbox.

async with AsyncStudio() as studio:          # key from AISQUARE_API_KEY
    video = await studio.videos.publish(42)  # the video, published

PYTEST_DONT_REWRITE: the package's pytest plugin makes pytest rewrite the asserts of every module
in the distribution, and the rewrite adds pytest's helpers to the namespace users import from.
"""

import importlib as _importlib
import typing as _typing

from aisquare_studio_api import models
from aisquare_studio_api.types import UNSET, RawResponse, Unset

from ._budget import RetryBudget
from ._client import AsyncStudio, Studio
from ._errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PageLimitError,
    PermissionDeniedError,
    RateLimitError,
    ResponseTooLargeError,
    ResponseValidationError,
    StudioError,
    UnprocessableEntityError,
)
from ._retry import RetryDetails, RetryPolicy
from ._version import __version__

if _typing.TYPE_CHECKING:
    # Every model of the spec, by name; at run time each loads on first touch (__getattr__).
    from aisquare_studio_api.models import *  # noqa: F403

    from ._parsing import ParseCounts, parse_counts
    from ._telemetry import Telemetry

# Loaded on first touch too: what only some programs use (__getattr__).
_ON_FIRST_USE = {
    "ParseCounts": "_parsing",
    "parse_counts": "_parsing",
    "Telemetry": "_telemetry",
}

__all__ = [
    "UNSET",
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncStudio",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "InternalServerError",
    "NotFoundError",
    "PageLimitError",
    "ParseCounts",
    "PermissionDeniedError",
    "RateLimitError",
    "RawResponse",
    "ResponseTooLargeError",
    "ResponseValidationError",
    "RetryBudget",
    "RetryDetails",
    "RetryPolicy",
    "Studio",
    "StudioError",
    "Telemetry",
    "UnprocessableEntityError",
    "Unset",
    "__version__",
    "parse_counts",
]
__all__ += models.__all__


def __getattr__(name: str) -> _typing.Any:
    # The models (and attrs, which they are made with) load on first touch, not at import.
    if name in models.__all__:
        value = getattr(models, name)
        globals()[name] = value
        return value
    if name in _ON_FIRST_USE:
        module = _importlib.import_module(f"{__name__}.{_ON_FIRST_USE[name]}")
        value = getattr(module, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
