"""The API's rules as Django REST Framework applies them: routing, auth, validation, publish."""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any
from urllib.parse import unquote

from ._exchange import RecordedRequest, Reply
from ._seed import Document, timestamp

SANDBOX_API_KEY = "aisq_sandbox_0123456789abcdef"
"""The only key the sandbox accepts, sent as ``Authorization: Bearer <key>``."""

INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1
_TITLE_MAX = 255
_PUBLISH_PATH = re.compile(r"/api/v1/videos/(?P<video_id>[^/]+)/publish/")
_CHALLENGE = (("WWW-Authenticate", 'Bearer realm="api"'),)
_METADATA = {
    "name": "Publish Create",
    "description": "Publish video by setting is_draft to False.",
    "renders": ["application/json"],
    "parses": ["application/json", "application/x-www-form-urlencoded", "multipart/form-data"],
}


def json_reply(status: int, payload: Any, headers: tuple[tuple[str, str], ...] = ()) -> Reply:
    """A reply whose body is ``payload`` as JSON."""
    return Reply(status, json.dumps(payload).encode(), headers)


def _detail(status: int, message: str, headers: tuple[tuple[str, str], ...] = ()) -> Reply:
    return json_reply(status, {"detail": message}, headers)


def video_id_of(path: str) -> int | None:
    """The video id in a publish path, or None if the path has none Django's ``<int:>`` takes."""
    match = _PUBLISH_PATH.fullmatch(unquote(path))
    if match is None or not re.fullmatch(r"[0-9]+", match["video_id"]):
        return None
    video_id = int(match["video_id"])
    # The column is int32: a bigger id cannot name a row, so it is simply not found.
    return video_id if video_id <= INT32_MAX else None


def _authenticate(header: str | None) -> Reply | None:
    # Mirrors DRF's TokenAuthentication with keyword "Bearer", message for message.
    parts = (header or "").split()
    if not parts or parts[0].lower() != "bearer":
        message = "Authentication credentials were not provided."
    elif len(parts) == 1:
        message = "Invalid token header. No credentials provided."
    elif len(parts) > 2:
        message = "Invalid token header. Token string should not contain spaces."
    elif parts[1] != SANDBOX_API_KEY:
        message = "Invalid token."
    else:
        return None
    return _detail(401, message, _CHALLENGE)


def _field_errors(data: dict[str, Any]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if "title" in data:
        title = data["title"]
        if title is None:
            errors["title"] = ["This field may not be null."]
        elif not isinstance(title, str):
            errors["title"] = ["Not a valid string."]
        elif len(title) > _TITLE_MAX:
            errors["title"] = [f"Ensure this field has no more than {_TITLE_MAX} characters."]
    if "workspace" in data:
        workspace = data["workspace"]
        if workspace is None:
            errors["workspace"] = ["This field may not be null."]
        elif not isinstance(workspace, int) or isinstance(workspace, bool):
            errors["workspace"] = ["A valid integer is required."]
        elif workspace > INT32_MAX:
            errors["workspace"] = [f"Ensure this value is less than or equal to {INT32_MAX}."]
        elif workspace < INT32_MIN:
            errors["workspace"] = [f"Ensure this value is greater than or equal to {INT32_MIN}."]
    return errors


def _validate_body(body: bytes) -> Reply | None:
    # The body is optional; when present it is validated like the serializer would, then
    # ignored: publishing only flips is_draft, and read-only fields are dropped by DRF anyway.
    if not body.strip():
        return None
    try:
        data = json.loads(body)
    except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError alike
        return _detail(400, f"JSON parse error - {exc}")
    if not isinstance(data, dict):
        kind = "NoneType" if data is None else type(data).__name__
        message = f"Invalid data. Expected a dictionary, but got {kind}."
        return json_reply(400, {"non_field_errors": [message]})
    errors = _field_errors(data)
    return json_reply(400, errors) if errors else None


def respond(videos: dict[int, Document], request: RecordedRequest, now: datetime) -> Reply:
    """Answer ``request`` as the real server would, publishing in ``videos`` when asked to.

    The order is DRF's: URL resolution, authentication, method, object lookup, body.
    """
    if _PUBLISH_PATH.fullmatch(unquote(request.path)) is None:
        return _detail(404, "Not found.")
    if (denied := _authenticate(request.headers.get("authorization"))) is not None:
        return denied
    allow = (("Allow", "POST, OPTIONS"),)
    if request.method == "OPTIONS":
        return json_reply(200, _METADATA, allow)
    if request.method != "POST":
        return _detail(405, f'Method "{request.method}" not allowed.', allow)
    video = videos.get(request.video_id) if request.video_id is not None else None
    if video is None:
        return _detail(404, "No Video matches the given query.")
    if (invalid := _validate_body(request.body)) is not None:
        return invalid
    # Django's auto_now bumps updated_at on every save, so a repeated publish bumps it too.
    video["is_draft"] = False
    video["updated_at"] = timestamp(now)
    return json_reply(200, video)
