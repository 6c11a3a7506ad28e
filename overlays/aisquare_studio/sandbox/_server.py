"""A real HTTP/1.1 server on loopback that answers from a sandbox, one thread per connection."""

from __future__ import annotations

import contextlib
import ipaddress
import itertools
import socket
import sys
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

from ._exchange import Dropped, Handler, Reply

_POLL_INTERVAL = 0.05  # seconds; bounds how long shutdown waits for the accept loop


class SandboxServer:
    """A sandbox served over real sockets at ``url`` while the ``with`` block runs.

    Connections are kept alive; leaving the block closes every connection and joins
    every thread it started.
    """

    def __init__(self, handle: Handler, host: str = "127.0.0.1", port: int = 0) -> None:
        self._host, self._family = _loopback(host)
        self._port = port
        self._handle = handle
        self._running: tuple[_Server, threading.Thread] | None = None
        self._served: _Server | None = None
        self._url: str | None = None

    @property
    def url(self) -> str:
        """Base URL, e.g. ``http://127.0.0.1:54321``, once started (kept after ``close()``)."""
        if self._url is None:
            raise RuntimeError("the sandbox server has not started; use it in a `with` block")
        return self._url

    @property
    def connections_accepted(self) -> int:
        """TCP connections accepted so far: with keep-alive, far fewer than requests."""
        return 0 if self._served is None else self._served.accepted

    @property
    def open_connections(self) -> int:
        """Connections open right now."""
        return 0 if self._served is None else self._served.open_count()

    @property
    def peak_connections(self) -> int:
        """The most connections open at once so far: how large the client's pool grew."""
        return 0 if self._served is None else self._served.peak

    def start(self) -> SandboxServer:
        """Bind, listen and serve in background threads; ``close()`` undoes it."""
        if self._running is not None:
            raise RuntimeError("the sandbox server is already running")
        server = _Server((self._host, self._port), self._family, self._handle)
        thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": _POLL_INTERVAL},
            name="aisquare-sandbox-server",
            daemon=True,
        )
        thread.start()
        self._running = server, thread
        self._served = server
        host, port = server.server_address[:2]
        host = f"[{host!s}]" if self._family == socket.AF_INET6 else str(host)
        self._url = f"http://{host}:{port}"
        return self

    def close(self) -> None:
        """Stop accepting, close every connection and join every thread. Idempotent."""
        if self._running is None:
            return
        server, thread = self._running
        self._running = None
        server.shutdown()
        server.close_connections()
        server.server_close()
        thread.join()

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def _loopback(host: str) -> tuple[str, socket.AddressFamily]:
    # A sandbox accepts a published key and changes state: it must never face a network.
    try:
        address = ipaddress.ip_address("127.0.0.1" if host == "localhost" else host)
    except ValueError:
        address = None
    if address is None or not address.is_loopback:
        raise ValueError(f"the sandbox serves on loopback only, not on {host!r}")
    return str(address), socket.AF_INET6 if address.version == 6 else socket.AF_INET


class _Server(ThreadingHTTPServer):
    request_queue_size = 128  # the stdlib's 5 drops SYNs under a burst: 1 s client stalls

    def __init__(
        self, address: tuple[str, int], family: socket.AddressFamily, handle: Handler
    ) -> None:
        self.address_family = family
        self.handle_exchange = handle
        self.closing = threading.Event()
        self._lock = threading.Lock()
        self._connections: dict[Any, threading.Thread] = {}
        self._numbers = itertools.count(1)
        self.accepted = 0
        self.peak = 0
        super().__init__(address, _RequestHandler)

    def process_request(self, request: Any, client_address: Any) -> None:
        # Our own threads, because ThreadingMixIn never joins the daemon threads it starts.
        thread = threading.Thread(
            target=self.process_request_thread,
            args=(request, client_address),
            name=f"aisquare-sandbox-connection-{next(self._numbers)}",
            daemon=True,
        )
        with self._lock:
            self._connections[request] = thread
            self.accepted += 1
            self.peak = max(self.peak, len(self._connections))
        thread.start()

    def open_count(self) -> int:
        with self._lock:
            return len(self._connections)

    def shutdown_request(self, request: Any) -> None:
        with self._lock:
            self._connections.pop(request, None)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """Wake and end every connection thread, idle keep-alive ones included."""
        self.closing.set()
        with self._lock:
            connections = list(self._connections.items())
        for connection, _ in connections:
            with contextlib.suppress(OSError):  # already closed by its own thread
                connection.shutdown(socket.SHUT_RDWR)
        for _, thread in connections:
            thread.join()

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client hanging up mid-exchange (a timeout, a closed pool) is not a server error.
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "aisquare-sandbox"
    sys_version = ""
    disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms stalls
    server: _Server

    def _exchange(self) -> None:
        body = self._read_body()
        headers: dict[str, str] = {}
        for name, value in self.headers.items():
            key = name.lower()
            headers[key] = f"{headers[key]}, {value}" if key in headers else value
        outcome = self.server.handle_exchange(self.command, self.path, headers, body)
        if isinstance(outcome, Reply) and outcome.delay and self.server.closing.wait(outcome.delay):
            outcome = Dropped()  # shutting down: a pending delay must not hold the exit
        if isinstance(outcome, Dropped):
            self.close_connection = True  # nothing written: the client sees the socket close
            return
        self.send_response(outcome.status, _reason(outcome.status))
        for name, value in outcome.headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(outcome.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(outcome.body)

    do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = _exchange

    def _read_body(self) -> bytes:
        if "chunked" not in self.headers.get("Transfer-Encoding", "").lower():
            return self.rfile.read(int(self.headers.get("Content-Length") or 0))
        chunks = []
        while size := int(self.rfile.readline().split(b";")[0], 16):
            chunks.append(self.rfile.read(size))
            self.rfile.readline()
        while self.rfile.readline().strip():  # trailers, up to the blank line
            pass
        return b"".join(chunks)

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet: the terminal belongs to the tests or the demo."""


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:  # non-IANA codes such as 520 still need a reason phrase on the wire
        return "Unknown"
