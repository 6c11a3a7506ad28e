"""The sandbox: seeded videos, queued faults and the request log behind one lock, with no I/O."""

from __future__ import annotations

import copy
import threading
import uuid
from collections import deque
from datetime import UTC, datetime
from typing import Any

from ._api import Api
from ._document import SpecSource
from ._exchange import Dropped, Outcome, RecordedRequest, Reply
from ._faults import Fault
from ._seed import seed_videos
from ._server import SandboxServer
from ._transport import SandboxTransport


class Sandbox:
    """A local stand-in for the AISquare Studio API with its own seeded, mutable state.

    ``spec`` is the OpenAPI document it answers: a parsed document, a path to one (JSON, or
    YAML with PyYAML installed), or None for the spec the SDK was generated from (the packaged
    ``aisquare_studio_api/openapi.json``). Publish is served from the seeded videos; every
    other operation of the document gets a deterministic body drawn from its success schema,
    marked ``X-Sandbox-Generated: schema``.

    Instances share nothing. Every method is thread-safe.
    """

    def __init__(self, spec: SpecSource = None) -> None:
        self._api = Api(spec)
        self._lock = threading.Lock()
        self._videos = seed_videos()
        self._faults: deque[tuple[int | None, Fault]] = deque()
        self._requests: list[RecordedRequest] = []

    @property
    def draft_ids(self) -> list[int]:
        """Ids of the videos still in draft, sorted."""
        with self._lock:
            return sorted(i for i, video in self._videos.items() if video["is_draft"])

    def summary(self) -> str:
        """What this sandbox holds, in a line for people: ``Draft videos: 101 102.``"""
        return f"Draft videos: {' '.join(map(str, self.draft_ids))}."

    @property
    def spec(self) -> dict[str, Any]:
        """The OpenAPI document this sandbox answers (a copy)."""
        return copy.deepcopy(self._api.document)

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request that arrived so far, oldest first (a copy)."""
        with self._lock:
            return list(self._requests)

    def video(self, video_id: int) -> dict[str, Any]:
        """The current JSON document of video ``video_id`` (a copy); KeyError if unknown."""
        with self._lock:
            return copy.deepcopy(self._videos[video_id])

    def inject(self, *faults: Fault, video_id: int | None = None) -> None:
        """Queue ``faults`` for the next matching requests, one per request, in order.

        With ``video_id`` only requests for that video consume them; None matches any request.
        """
        with self._lock:
            self._faults.extend((video_id, fault) for fault in faults)

    def handle(self, method: str, target: str, headers: dict[str, str], body: bytes) -> Outcome:
        """Record one request and decide its outcome; transports call this.

        ``target`` is the request target (path and optional query); ``headers`` have
        lower-cased names.
        """
        path, _, query = target.partition("?")
        video_id = self._api.video_id_of(path)
        request = RecordedRequest(method.upper(), path, headers, body, video_id, query)
        with self._lock:
            self._requests.append(request)
            # Faults come before auth and routing: they are the network or server misbehaving.
            fault = self._take_fault(request.video_id)
            if fault is None or fault.kind == "delay":
                reply = self._api.respond(self._videos, request, datetime.now(UTC))
            elif fault.kind == "respond":
                reply = Reply(fault.code, fault.body, fault.headers)
            else:
                return Dropped()
        delay = fault.seconds if fault is not None else 0.0
        return Reply(reply.status, reply.body, _with_defaults(reply.headers), delay)

    def transport(self) -> SandboxTransport:
        """An in-process httpx transport (sync and async) answering from this sandbox."""
        return SandboxTransport(self.handle)

    def serve(self, host: str = "127.0.0.1", port: int = 0) -> SandboxServer:
        """A real HTTP/1.1 server for this sandbox on loopback; use it as a context manager.

        ``port`` 0 picks a free port. A host that is not loopback raises ValueError.
        """
        return SandboxServer(self.handle, host, port)

    def _take_fault(self, video_id: int | None) -> Fault | None:
        for index, (scope, fault) in enumerate(self._faults):
            if scope is None or scope == video_id:
                del self._faults[index]
                return fault
        return None


def _with_defaults(headers: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    given = {name.lower() for name, _ in headers}
    defaults = (("Content-Type", "application/json"), ("X-Request-Id", f"req_{uuid.uuid4().hex}"))
    return tuple(d for d in defaults if d[0].lower() not in given) + headers
