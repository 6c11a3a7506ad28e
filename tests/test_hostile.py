"""Fuzzing what the server controls: headers, error bodies and success bodies. Whatever comes
back, the SDK returns a video or raises from its own tree, keeps its text on one bounded line,
never echoes the key, and bounds what it keeps of a huge body."""

from __future__ import annotations

import json
from typing import Any

import httpx
from hypothesis import given
from hypothesis import strategies as st

from aisquare_studio import APIStatusError, RetryPolicy, Studio, StudioError, VideoDetail
from aisquare_studio._errors import MAX_BODY_BYTES, MAX_MESSAGE_CHARS
from aisquare_studio._request_id import MAX_REQUEST_ID_CHARS

KEY = "aisq_live_hostile-input-key-must-not-echo"
# Retries without waiting: a hostile Retry-After above 10 ms is refused, not slept.
POLICY = RetryPolicy(initial_delay=0, max_delay=0, max_retry_after=0.01, max_retries=1)

# Header values as a server may send them: any Latin-1 text, control characters included.
header_text = st.text(
    alphabet=st.characters(min_codepoint=0x09, max_codepoint=0xFF, exclude_characters="\r\n"),
    max_size=300,
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=50),
    lambda inner: (
        st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=10), inner, max_size=5)
    ),
    max_leaves=40,
)


def _nested(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


bodies = st.one_of(
    json_values.map(lambda value: json.dumps(value).encode()),
    st.binary(max_size=2000),
    st.builds(lambda v: json.dumps({"detail": f"{v} Bearer {KEY}"}).encode(), st.text(max_size=20)),
    st.builds(lambda n: b"x" * n, st.integers(MAX_BODY_BYTES, MAX_BODY_BYTES * 3)),
    st.builds(_nested, st.integers(100, 5000)),
)
statuses = st.sampled_from(
    [200, 201, 204, 301, 400, 401, 403, 404, 409, 418, 422, 429, 500, 502, 503, 520, 599]
)


def publish_against(status: int, body: bytes, headers: dict[str, str]) -> VideoDetail | StudioError:
    raw = [(name.encode(), value.encode("latin-1")) for name, value in headers.items()]

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, content=body, headers=raw)

    with Studio(
        api_key=KEY,
        base_url="http://sandbox.localhost",
        transport=httpx.MockTransport(answer),
        retry_policy=POLICY,
    ) as studio:
        try:
            return studio.videos.publish(101)
        except StudioError as error:  # anything else escaping fails the test
            return error


def check(outcome: VideoDetail | StudioError) -> None:
    if isinstance(outcome, VideoDetail):
        return
    text = str(outcome)
    assert len(text.splitlines()) == 1
    assert len(text) < MAX_MESSAGE_CHARS + MAX_REQUEST_ID_CHARS + 300
    assert KEY not in text
    assert KEY not in repr(outcome)
    if isinstance(outcome, APIStatusError):
        assert KEY not in repr(outcome.body)
        assert outcome.request_id is None or len(outcome.request_id) <= MAX_REQUEST_ID_CHARS
        if isinstance(outcome.body, str):
            assert len(outcome.body) <= MAX_BODY_BYTES


@given(
    status=statuses,
    body=bodies,
    retry_after=header_text,
    retry_after_ms=header_text,
    request_id=header_text,
    content_type=header_text,
)
def test_any_response_ends_in_a_video_or_an_error_from_the_tree(
    status: int,
    body: bytes,
    retry_after: str,
    retry_after_ms: str,
    request_id: str,
    content_type: str,
) -> None:
    headers = {
        "Retry-After": retry_after,
        "retry-after-ms": retry_after_ms,
        "X-Request-Id": f"{request_id}{KEY}",
        "Content-Type": content_type,
    }
    check(publish_against(status, body, headers))


@given(document=st.dictionaries(st.text(max_size=15), json_values, max_size=30))
def test_any_json_object_as_a_success_body_is_parsed_or_named(document: dict[str, Any]) -> None:
    outcome = publish_against(200, json.dumps(document).encode(), {})
    assert not isinstance(outcome, VideoDetail)  # a random object is never a whole video
    check(outcome)
    assert "VideoDetail" in str(outcome)
