"""The SDK's one error tree, and the single place that turns responses and httpx failures into it.

StudioError
├── APIConnectionError              network failure after retries (cause chained)
│   └── APITimeoutError
├── APIStatusError                  .status_code .message .body .request_id .response .attempts
│   ├── BadRequestError      400    .field_errors
│   ├── AuthenticationError  401
│   ├── PermissionDeniedError 403
│   ├── NotFoundError        404
│   ├── ConflictError        409
│   ├── UnprocessableEntityError 422
│   ├── RateLimitError       429    .retry_after
│   └── InternalServerError  >= 500
├── ResponseValidationError         2xx whose body is not what the spec promises; names the field
└── ResponseTooLargeError           a body past max_response_bytes, or inflating like a bomb
"""

from __future__ import annotations

import json
from typing import Any

import httpx

from aisquare_studio_api import types as _generated

from ._request_id import UNPRINTABLE, request_id_of, sent_secrets
from ._retry import (
    ATTEMPTS_EXTENSION,
    STOPPED_EXTENSION,
    TIMEOUT_EXTENSION,
    certificate_failure,
    parse_retry_after,
)

# What we keep of a server's text: enough to debug, bounded so a hostile body cannot bloat errors.
MAX_MESSAGE_CHARS = 500
MAX_BODY_BYTES = 64 * 1024
_UNPRINTABLE = UNPRINTABLE


class StudioError(Exception):
    """Root of every error the SDK raises on purpose."""


class APIConnectionError(StudioError):
    """The request never got an HTTP response, after every retry. The httpx error is `__cause__`.

    Attributes:
        request: the ``httpx.Request`` that was sent.
        attempts: how many HTTP attempts were made, retries included.
        retries_stopped: why retrying ended before ``max_retries``, or None.
    """

    request: httpx.Request
    attempts: int
    retries_stopped: str | None

    def __init__(self, message: str, *, request: httpx.Request, attempts: int) -> None:
        super().__init__(message)
        self.request = request
        self.attempts = attempts
        self.retries_stopped = retries_stopped_of(request)


class APITimeoutError(APIConnectionError):
    """An attempt ran past its timeout, and so did every retry."""


class APIStatusError(StudioError):
    """The server answered with a status that is not a success.

    Attributes:
        status_code: the HTTP status, standard or not (e.g. 520).
        message: DRF's ``detail`` when the body has one, else a summary of the body or status.
        body: the decoded JSON body, or its text (64 KiB at most) if not JSON; None if empty.
        request_id: the ``X-Request-Id`` response header, for support requests.
        response: the final ``httpx.Response``.
        attempts: how many HTTP attempts were made, retries included.
        retries_stopped: why retrying ended before ``max_retries`` (the retry budget or the
            call's deadline), or None.
    """

    status_code: int
    message: str
    body: object
    request_id: str | None
    response: httpx.Response
    attempts: int
    retries_stopped: str | None

    def __init__(
        self,
        message: str,
        *,
        response: httpx.Response,
        body: object,
        request_id: str | None,
        attempts: int,
    ) -> None:
        self.status_code = response.status_code
        self.message = message
        self.body = body
        self.request_id = request_id
        self.response = response
        self.attempts = attempts
        self.retries_stopped = retries_stopped_of(response.request)
        text = message if self.retries_stopped is None else f"{message}; {self.retries_stopped}"
        super().__init__(_one_line(_status_text(response.status_code), text, request_id))


class BadRequestError(APIStatusError):
    """400: the request was rejected. ``field_errors`` maps each field to DRF's messages."""

    @property
    def field_errors(self) -> dict[str, list[str]]:
        return drf_field_errors(self.body)


class AuthenticationError(APIStatusError):
    """401: the API key is missing, wrong or expired."""


class PermissionDeniedError(APIStatusError):
    """403: the key is valid but may not do this."""


class NotFoundError(APIStatusError):
    """404: no such resource (or not one this key may see)."""


class ConflictError(APIStatusError):
    """409: the video is in a state that conflicts with the request."""


class UnprocessableEntityError(APIStatusError):
    """422: the request was understood but cannot be processed."""


class RateLimitError(APIStatusError):
    """429: throttled.

    ``retry_after``: seconds the server asked to wait (``retry-after-ms``, else ``Retry-After``),
    as many as it said: ``math.inf`` for a number beyond a float's range; None when it sent no
    usable value (none, garbage, a negative number, or a date not in an RFC 9110 form).
    """

    retry_after: float | None

    def __init__(
        self,
        message: str,
        *,
        response: httpx.Response,
        body: object,
        request_id: str | None,
        attempts: int,
    ) -> None:
        super().__init__(
            message, response=response, body=body, request_id=request_id, attempts=attempts
        )
        self.retry_after = parse_retry_after(self.response.headers)


class InternalServerError(APIStatusError):
    """5xx, standard or not: the server failed, and retries did not help."""


class ResponseValidationError(StudioError):
    """A success response whose body is not what the spec promises.

    Attributes:
        field: the path of the offending field, such as ``sections[0].uid``; None when the body
            as a whole is wrong (not JSON, not an object, unexpected status).
        response: the ``httpx.Response``.
        request_id: the ``X-Request-Id`` response header.
    """

    field: str | None
    response: httpx.Response
    status_code: int
    request_id: str | None

    def __init__(self, message: str, *, field: str | None, response: httpx.Response) -> None:
        self.field = field
        self.response = response
        self.status_code = response.status_code
        self.request_id = request_id_of(response)
        # The message quotes the body, and a server may echo the key in it.
        message = redact(message, sent_secrets(response))
        super().__init__(_one_line("Invalid response", message, self.request_id))


class ResponseTooLargeError(StudioError):
    """A response body larger than ``max_response_bytes``, one that inflates far beyond its
    size on the wire (a decompression bomb), or one encoded in a way that could (stacked content
    encodings, or one the SDK did not ask for). The connection is dropped and nothing is
    retried: the server would send the same again.

    Attributes:
        limit: the ``max_response_bytes`` in force.
        status_code: the response's HTTP status.
        request_id: the ``X-Request-Id`` response header.
    """

    limit: int
    status_code: int
    request_id: str | None

    def __init__(self, message: str, *, response: httpx.Response, limit: int) -> None:
        self.limit = limit
        self.status_code = response.status_code
        self.request_id = request_id_of(response)
        super().__init__(
            _one_line(f"Response too large (HTTP {response.status_code})", message, self.request_id)
        )


class PageLimitError(StudioError, _generated.PageLimitError):
    """A ``<method>_all`` iteration fetched its ``max_pages`` pages and the server had more:
    raised rather than stopping as if the list had ended.

    Attributes:
        operation_id: the list operation, as the spec names it.
        max_pages: the bound that was reached.
    """


_STATUS_ERRORS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def status_error(response: httpx.Response, *, secrets: tuple[str, ...] = ()) -> APIStatusError:
    """Build the error for a non-success ``response``. The bearer token the request carried, and
    any other ``secrets``, are redacted from everything the error shows."""
    secrets = (*secrets, *sent_secrets(response))
    body = decode_body(response)
    try:
        body = redact(body, secrets)
    except RecursionError:  # JSON nested too deeply to walk: keep it as redacted text
        body = redact(response.content[:MAX_BODY_BYTES].decode("utf-8", errors="replace"), secrets)
    message = redact(drf_message(body) or _status_text(response.status_code), secrets)
    cls = _STATUS_ERRORS.get(response.status_code)
    if cls is None:
        cls = InternalServerError if response.status_code >= 500 else APIStatusError
    return cls(
        _truncate(_UNPRINTABLE.sub(" ", message)),
        response=response,
        body=body,
        request_id=request_id_of(response, secrets),
        attempts=attempts_of(response.request),
    )


def connection_error(
    exc: httpx.HTTPError | httpx.InvalidURL, request: httpx.Request
) -> StudioError:
    """Translate an httpx failure that left no response; the caller chains ``exc``."""
    attempts = attempts_of(request)
    tried = f"after {attempts} attempt{'s' if attempts != 1 else ''}"
    stopped = retries_stopped_of(request)
    tail = f"; {stopped}" if stopped else ""
    detail = _truncate(_UNPRINTABLE.sub(" ", str(exc)) or type(exc).__name__)
    target = f"{request.method} {request.url.copy_with(query=None)}"
    if isinstance(exc, httpx.TimeoutException):
        limit = request.extensions.get(TIMEOUT_EXTENSION)
        kind = type(exc).__name__
        reason = f"{limit} was reached ({kind})" if limit else kind
        return APITimeoutError(
            f"{target} timed out {tried}: {reason}{tail}",
            request=request,
            attempts=attempts,
        )
    if (certificate := certificate_failure(exc)) is not None:
        reason = certificate.verify_message or certificate.reason or "verification failed"
        return APIConnectionError(
            f"{target} failed {tried}: the server's TLS certificate is not trusted "
            f"(CERTIFICATE_VERIFY_FAILED: {reason}); retrying cannot help. Pass verify= an "
            "ssl.SSLContext that trusts it, or set SSL_CERT_FILE",
            request=request,
            attempts=attempts,
        )
    if isinstance(exc, httpx.TransportError):
        return APIConnectionError(
            f"{target} failed {tried}: {type(exc).__name__}: {detail}{tail}",
            request=request,
            attempts=attempts,
        )
    return StudioError(f"{target} failed: {type(exc).__name__}: {detail}")


def attempts_of(request: httpx.Request) -> int:
    return int(request.extensions.get(ATTEMPTS_EXTENSION, 1))


def retries_stopped_of(request: httpx.Request) -> str | None:
    reason = request.extensions.get(STOPPED_EXTENSION)
    if reason is None:
        return None
    return f"retries stopped: {reason}"


def decode_body(response: httpx.Response) -> object:
    """The body as JSON if it parses, else as text; bounded; None when empty."""
    content = response.content[:MAX_BODY_BYTES]
    if not content.strip():
        return None
    if len(response.content) <= MAX_BODY_BYTES:
        try:
            return json.loads(content)
        except (ValueError, RecursionError):
            pass
    return content.decode("utf-8", errors="replace")


def drf_message(body: object) -> str | None:
    """DRF's human message: ``{"detail": ...}``, else field errors as ``field: message``."""
    if isinstance(body, dict):
        detail = body.get("detail")
        if isinstance(detail, str) and detail.strip():
            return _UNPRINTABLE.sub(" ", detail).strip()
        errors = drf_field_errors(body)
        if errors:
            return "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in errors.items())
    if isinstance(body, str):
        text = _UNPRINTABLE.sub(" ", body).strip().lstrip("\ufeff")
        # An HTML error page from a proxy says nothing useful in its markup.
        return None if text.startswith("<") else text or None
    return None


def drf_field_errors(body: object) -> dict[str, list[str]]:
    """DRF validation errors, ``{"field": ["message", ...]}``, nested ones flattened to the
    field's path: ``{"tags": {"1": [...]}}`` is ``tags[1]``, ``{"owner": {"email": [...]}}``
    ``owner.email``. Other entries are skipped."""
    found: dict[str, list[str]] = {}
    if isinstance(body, dict):
        for key, value in body.items():
            if key != "detail":
                _collect(str(key), value, found, depth=0)
    return found


def _collect(path: str, value: object, found: dict[str, list[str]], depth: int) -> None:
    if depth > 16:  # a hostile body may nest without end
        return
    if isinstance(value, list) and value and all(isinstance(m, str) for m in value):
        found[path] = [str(m) for m in value]
    elif isinstance(value, list):  # a list field: an error object per item, {} for a good one
        for index, item in enumerate(value):
            _collect(f"{path}[{index}]", item, found, depth + 1)
    elif isinstance(value, dict):
        for key, item in value.items():
            # DRF keys a list item's errors by its index ("1"), a nested field's by its name.
            inner = f"{path}[{key}]" if str(key).isdigit() else f"{path}.{key}"
            _collect(inner, item, found, depth + 1)


def redact(value: Any, secrets: tuple[str, ...]) -> Any:
    """Replace every secret inside strings of ``value`` (JSON-like) with ``[REDACTED]``."""
    if not secrets:
        return value
    if isinstance(value, str):
        for secret in secrets:
            value = value.replace(secret, "[REDACTED]")
        return value
    if isinstance(value, dict):
        return {redact(k, secrets): redact(v, secrets) for k, v in value.items()}
    if isinstance(value, list):
        return [redact(v, secrets) for v in value]
    return value


def _status_text(status_code: int) -> str:
    try:
        reason = httpx.codes.get_reason_phrase(status_code)
    except ValueError:
        reason = ""
    return f"HTTP {status_code} {reason}".rstrip()


def _truncate(text: str) -> str:
    return text if len(text) <= MAX_MESSAGE_CHARS else text[: MAX_MESSAGE_CHARS - 1] + "…"


def _one_line(head: str, message: str, request_id: str | None) -> str:
    text = f"{head}: {message}" if message and message != head else head
    return f"{text} (request_id={request_id})" if request_id else text
