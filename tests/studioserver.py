"""A loopback server for the GTM studio operations of tests/spec_variants/studios.yaml.

It answers every request from ``answer`` (by default ``studios_answer``: deterministic bodies,
three pages of studios, 403 and 404 for two known uids) unless the route has a scripted fault
left (tests/faultserver.py's actions: a status, a stall, a reset), and records what it was
asked. When the sandbox answers every operation of a spec (``Sandbox(spec=...)``), ``answer``
is the one thing to swap; the scripted faults stay here.
"""

from __future__ import annotations

import contextlib
import json
import socket
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from tests.faultserver import Action, respond
from tests.relays import Relay

LIST = ("GET", "/api/v1/gtm-studios/")
CREATE = ("POST", "/api/v1/gtm-studios/")
RETRIEVE = ("GET", "/api/v1/gtm-studios/{studio_uid}/")
PAGES = 3
PER_PAGE = 2
FORBIDDEN_UID = "gs_secret"
MISSING_UID = "gs_missing"
NOT_FOUND = {"detail": "No GtmStudio matches the given query."}
FORBIDDEN = {"detail": "You do not have permission to perform this action."}


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    body: bytes

    @property
    def route(self) -> tuple[str, str]:
        if self.path.startswith("/api/v1/gtm-studios/") and self.path != LIST[1]:
            return (self.method, RETRIEVE[1])
        return (self.method, self.path)


Answer = Callable[[Request, str], tuple[int, object]]


def studio(uid: str, name: str | None = None, **fields: object) -> dict[str, object]:
    """A GtmStudio as the service returns it."""
    return {
        "uid": uid,
        "name": name or f"Studio {uid}",
        "description": None,
        "status": "active",
        "workspace": 7,
        "website": f"https://example.com/{uid}",
        "created_at": "2026-11-30T09:00:00Z",
        "updated_at": "2026-11-30T09:30:00Z",
        **fields,
    }


def page_uids(page: int) -> list[str]:
    return [f"gs_{(page - 1) * PER_PAGE + index + 1}" for index in range(PER_PAGE)]


def studios_answer(request: Request, base_url: str) -> tuple[int, object]:
    """What the service answers, deterministically."""
    if request.route == LIST:
        page = int(request.query.get("page", ["1"])[0])
        if not 1 <= page <= PAGES:
            return 404, {"detail": "Invalid page."}
        link = f"{base_url}{LIST[1]}?page="
        return 200, {
            "count": PAGES * PER_PAGE,
            "next": f"{link}{page + 1}" if page < PAGES else None,
            "previous": f"{link}{page - 1}" if page > 1 else None,
            "results": [studio(uid) for uid in page_uids(page)],
        }
    if request.route == RETRIEVE:
        uid = request.path.rstrip("/").rsplit("/", 1)[-1]
        if uid == MISSING_UID:
            return 404, NOT_FOUND
        if uid == FORBIDDEN_UID:
            return 403, FORBIDDEN
        return 200, studio(uid)
    if request.route == CREATE:
        sent = json.loads(request.body)
        return 201, studio("gs_new", **sent)
    return 404, {"detail": "Not found."}


class StudioServer(Relay):
    """Serves on 127.0.0.1 until the ``with`` block ends."""

    def __init__(self, answer: Answer = studios_answer) -> None:
        super().__init__()
        self.url = f"http://127.0.0.1:{self.port}"
        self.requests: list[Request] = []
        self._answer = answer
        self._faults: dict[tuple[str, str], deque[Action]] = {}

    def script(self, route: tuple[str, str], *actions: Action) -> None:
        """The next requests of ``route`` get these actions, then ``answer`` again."""
        with self._lock:
            self._faults.setdefault(route, deque()).extend(actions)

    def attempts(self, route: tuple[str, str]) -> int:
        with self._lock:
            return sum(1 for request in self.requests if request.route == route)

    def clear(self) -> None:
        with self._lock:
            self.requests.clear()
            self._faults.clear()

    def _serve(self, conn: socket.socket) -> None:
        with conn, contextlib.suppress(OSError):
            for request in _requests(conn):
                with self._lock:
                    self.requests.append(request)
                    faults = self._faults.get(request.route)
                    action = faults.popleft() if faults else None
                if action is None:
                    status, body = self._answer(request, self.url)
                    action = respond(status, json.dumps(body).encode())
                if not action(conn):
                    return


def _requests(conn: socket.socket) -> Iterator[Request]:
    buffer = b""
    while True:
        while b"\r\n\r\n" not in buffer:
            chunk = conn.recv(65536)
            if not chunk:
                return
            buffer += chunk
        head, _, buffer = buffer.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        method, target, _ = lines[0].split(" ", 2)
        length = 0
        for line in lines[1:]:
            name, _, value = line.partition(":")
            if name.strip().lower() == "content-length":
                length = int(value)
        while len(buffer) < length:
            chunk = conn.recv(65536)
            if not chunk:
                return
            buffer += chunk
        body, buffer = buffer[:length], buffer[length:]
        url = urlsplit(target)
        yield Request(method, url.path, parse_qs(url.query), body)
