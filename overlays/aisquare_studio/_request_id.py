"""The request id a response carries (``X-Request-Id``), cleaned to be shown: in errors, logs,
retry details, spans and raw responses alike."""

from __future__ import annotations

import re

import httpx

from aisquare_studio_api.types import REQUEST_ID_HEADER

MAX_REQUEST_ID_CHARS = 128
# Control characters (C0 and C1: terminals act on both) and every line break splitlines()
# knows: an error prints as one inert line.
UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def request_id_of(
    response: httpx.Response, secrets: tuple[str, ...] = (), request: httpx.Request | None = None
) -> str | None:
    """The response's ``X-Request-Id``, without control characters, bounded, and with every
    secret (the bearer token its request carried, and ``secrets``) replaced: a server echoing
    the key there must not put it in a log line. ``request`` is for a response that does not
    know its request yet (inside a transport)."""
    value = response.headers.get(REQUEST_ID_HEADER)
    if not value:
        return None
    value = UNPRINTABLE.sub("", value)
    sent = bearer_token(request) if request is not None else sent_secrets(response)
    for secret in (*secrets, *sent):
        value = value.replace(secret, "[REDACTED]")
    return value[:MAX_REQUEST_ID_CHARS] or None


def sent_secrets(response: httpx.Response) -> tuple[str, ...]:
    """The bearer token the response's request carried, if any: never to be shown."""
    try:
        request = response.request
    except RuntimeError:  # a response built without a request
        return ()
    return bearer_token(request)


def bearer_token(request: httpx.Request) -> tuple[str, ...]:
    """The bearer token ``request`` carries, if any."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return (token.strip(),) if scheme.lower() == "bearer" and token.strip() else ()
