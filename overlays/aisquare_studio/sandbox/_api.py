"""The API's rules as Django REST Framework applies them: routing, auth, methods, publish.

Every operation of the document is routed. Publish is the one the sandbox models with state
(the seeded videos); every other operation is answered from its success schema (_generated.py).
"""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

from ._document import SpecSource, load_document
from ._exchange import RecordedRequest, Reply
from ._fields import field_errors, json_reply, parse_datetime, parse_object
from ._generated import answer, metadata
from ._routes import Route, compile_routes, match
from ._schema import non_null_type, resolve
from ._seed import Document, timestamp

SANDBOX_API_KEY = "aisq_sandbox_0123456789abcdef"
"""The only key the sandbox accepts, sent as ``Authorization: Bearer <key>``."""

PUBLISH_OPERATION_ID = "publish-create"
"""The one operation the sandbox keeps state for; it finds it in the document by this id."""

_TITLE_MAX = 255  # Video.title's column; the flattened spec lost the maxLength
_CHALLENGE = (("WWW-Authenticate", 'Bearer realm="api"'),)


def _detail(status: int, message: str, headers: tuple[tuple[str, str], ...] = ()) -> Reply:
    return json_reply(status, {"detail": message}, headers)


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


class Api:
    """The routes of one OpenAPI document, answered as the real server would."""

    def __init__(self, spec: SpecSource = None) -> None:
        self.document = load_document(spec)
        self._routes = compile_routes(self.document)
        self._publish: tuple[Route, dict[str, Any]] | None = None
        for route in self._routes:
            for operation in route.operations.values():
                if operation.get("operationId") == PUBLISH_OPERATION_ID:
                    self._publish = route, operation
        self._publish_body = self._publish_schema()

    def video_id_of(self, path: str) -> int | None:
        """The video id in a publish path, or None if the path has none Django's ``<int:>``
        takes (or an id beyond the int32 column, which cannot name a row)."""
        found = match(self._routes, path)
        if self._publish is None or found is None or found[0] is not self._publish[0]:
            return None
        params = found[0].convert(found[1])
        return None if not params else next(iter(params.values()))

    def respond(
        self, videos: dict[int, Document], request: RecordedRequest, now: datetime
    ) -> Reply:
        """Answer ``request``, publishing in ``videos`` when asked to.

        The order is DRF's: URL resolution, authentication, method, object lookup, body.
        """
        found = match(self._routes, request.path)
        if found is None:
            return _detail(404, "Not found.")
        route, raw = found
        stateful = self._publish is not None and route is self._publish[0]
        # Django's converters reject a bad id before any view runs; the publish view is kept
        # as it always answered: its own 404 for any id that names no video.
        if route.convert(raw) is None and not stateful:
            return _detail(404, "Not found.")
        if (denied := _authenticate(request.headers.get("authorization"))) is not None:
            return denied
        method = request.method.lower()
        allowed = route.allowed()
        if method == "options" and "options" not in route.operations:
            return metadata(next(iter(route.operations.values()), {}), allowed)
        get_for_head = method == "head" and "head" not in route.operations
        operation = route.operations.get("get" if get_for_head else method)
        if operation is None:
            return _detail(
                405, f'Method "{request.method}" not allowed.', (("Allow", ", ".join(allowed)),)
            )
        if self._publish is not None and operation is self._publish[1]:
            return self._publish_video(videos, request, now)
        reply = answer(self.document, operation, request)
        return Reply(reply.status, b"", reply.headers) if get_for_head else reply

    def _publish_schema(self) -> dict[str, Any]:
        """Publish's request schema as the view reads it: nothing required (a partial update),
        and the title's column length, which the flattened spec lost."""
        if self._publish is None:
            return {}
        content = resolve(self.document, self._publish[1].get("requestBody")).get("content", {})
        schema = copy.deepcopy(
            resolve(self.document, content.get("application/json", {}).get("schema"))
        )
        schema.pop("required", None)
        title = schema.get("properties", {}).get("title")
        if isinstance(title, dict) and "$ref" not in title:
            title.setdefault("maxLength", _TITLE_MAX)
        return schema

    def _publish_video(
        self, videos: dict[int, Document], request: RecordedRequest, now: datetime
    ) -> Reply:
        video = videos.get(request.video_id) if request.video_id is not None else None
        if video is None:
            return _detail(404, "No Video matches the given query.")
        data = parse_object(request.body)
        if isinstance(data, Reply):
            return data
        if errors := field_errors(self.document, self._publish_body, data):
            return json_reply(400, errors)
        video.update(self._writable(data))
        # Django's auto_now bumps updated_at on every save, so a repeated publish bumps it too.
        video["is_draft"] = False
        video["updated_at"] = timestamp(now)
        return json_reply(200, video)

    def _writable(self, data: dict[str, Any]) -> dict[str, Any]:
        """The given fields a partial update writes: declared, not read-only, not nested.

        DRF's nested serializers are read-only unless the view saves them, so objects (the
        owner, the template) are validated but not written.
        """
        properties = self._publish_body.get("properties", {})
        written = {}
        for name, value in data.items():
            prop = resolve(self.document, properties.get(name))
            if not prop or prop.get("readOnly") is True or non_null_type(prop) == "object":
                continue
            moment = parse_datetime(value) if prop.get("format") == "date-time" and value else None
            if moment is not None:
                value = timestamp(moment)  # stored and rendered back as DRF does: UTC, with Z
            written[name] = value
        return written
