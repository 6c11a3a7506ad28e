"""A loopback HTTP/1.1 server that misbehaves as scripted: resets, truncations, stalls.

The sandbox answers like the real service; this one breaks the wire in the ways networks and
proxies do, one scripted action per request, then answers well once the script runs out.
"""

from __future__ import annotations

import contextlib
import json
import socket
import struct
import time
from collections import deque
from collections.abc import Callable, Iterator

from aisquare_studio.sandbox import Sandbox
from tests.relays import Relay

Action = Callable[[socket.socket], bool]  # sends what it sends; True keeps the connection open

GOOD_BODY = json.dumps(Sandbox().video(101) | {"is_draft": False}).encode()


def _head(status: int, headers: dict[str, str], length: int) -> bytes:
    lines = [f"HTTP/1.1 {status} Scripted"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    lines.append(f"Content-Length: {length}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def respond(status: int = 200, body: bytes = GOOD_BODY, **headers: str) -> Action:
    """A well-formed response; header names use underscores for dashes."""
    named = {"Content-Type": "application/json", "X-Request-Id": "req_fault"}
    named |= {name.replace("_", "-"): value for name, value in headers.items()}

    def act(conn: socket.socket) -> bool:
        conn.sendall(_head(status, named, len(body)) + body)
        return True

    return act


def reset(after: bytes = b"") -> Action:
    """Send ``after`` (maybe nothing), then reset the connection (TCP RST)."""

    def act(conn: socket.socket) -> bool:
        if after:
            conn.sendall(after)
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        return False

    return act


def reset_mid_body() -> Action:
    return reset(_head(200, {"Content-Type": "application/json"}, len(GOOD_BODY)) + GOOD_BODY[:50])


def truncate() -> Action:
    """Promise the whole body, send half, close cleanly (FIN)."""

    def act(conn: socket.socket) -> bool:
        conn.sendall(_head(200, {}, len(GOOD_BODY)) + GOOD_BODY[: len(GOOD_BODY) // 2])
        return False

    return act


def stall(after_headers: bool = False) -> Action:
    """Say nothing (or only the headers) until the client hangs up."""

    def act(conn: socket.socket) -> bool:
        if after_headers:
            conn.sendall(_head(200, {"Content-Type": "application/json"}, len(GOOD_BODY)))
        while conn.recv(65536):  # b"" once the client closes; OSError once the server stops
            pass
        return False

    return act


def drip(every: float, *, headers_too: bool = False) -> Action:
    """Send the response a byte at a time, one every ``every`` seconds, until the client hangs
    up: each read gets a byte quickly, so only a limit on the whole attempt stops it."""

    def act(conn: socket.socket) -> bool:
        head = _head(200, {"Content-Type": "application/json"}, len(GOOD_BODY))
        if not headers_too:
            conn.sendall(head)
            head = b""
        for byte in head + GOOD_BODY:
            time.sleep(every)  # the server's own pace, not a test waiting for something
            conn.sendall(bytes([byte]))
        return False

    return act


class FaultServer(Relay):
    """Serves on 127.0.0.1 until the ``with`` block ends; ``attempts`` counts requests."""

    def __init__(self, *script: Action) -> None:
        super().__init__()
        self._script = deque(script)
        self.attempts = 0
        self.url = f"http://127.0.0.1:{self.port}"

    def _serve(self, conn: socket.socket) -> None:
        with conn, contextlib.suppress(OSError):
            for _ in self._requests(conn):
                with self._lock:
                    self.attempts += 1
                    action = self._script.popleft() if self._script else respond()
                if not action(conn):
                    return

    @staticmethod
    def _requests(conn: socket.socket) -> Iterator[bytes]:
        buffer = b""
        while True:
            while b"\r\n\r\n" not in buffer:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                buffer += chunk
            head, _, buffer = buffer.partition(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            while len(buffer) < length:
                buffer += conn.recv(65536)
            buffer = buffer[length:]
            yield head


def closed_port() -> int:
    """A loopback port nothing listens on: connecting to it is refused."""
    with socket.create_server(("127.0.0.1", 0)) as probe:
        return int(probe.getsockname()[1])
