"""Loopback servers for tests, on one accept-and-serve base (``Relay``): an HTTP proxy that
records what it was asked to reach (plain requests and CONNECT tunnels), a TLS front that serves
a sandbox over https with a throwaway certificate authority, and a listener that accepts
connections and never answers."""

from __future__ import annotations

import contextlib
import socket
import ssl
import threading
from collections.abc import Callable
from types import TracebackType
from typing import Self

import trustme


class Relay:
    """Accepts on 127.0.0.1 in a thread, one thread per connection, until the block ends."""

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self._listener.getsockname()[1])
        self._threads: list[threading.Thread] = []
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()

    def __enter__(self) -> Self:
        self._spawn(self._accept)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked in accept()
        self._listener.close()
        with self._lock:
            for sock in self._sockets:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
        for thread in self._threads:
            thread.join(timeout=5)
        for sock in self._sockets:
            sock.close()

    def _spawn(self, target: Callable[..., None], *args: object) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)
        with self._lock:
            self._threads.append(thread)
        thread.start()

    def _keep(self, sock: socket.socket) -> socket.socket:
        with self._lock:
            self._sockets.append(sock)
        return sock

    def _accept(self) -> None:
        with contextlib.suppress(OSError):
            while True:
                conn, _ = self._listener.accept()
                self._spawn(self._serve, self._keep(conn))

    def _serve(self, conn: socket.socket) -> None:
        raise NotImplementedError

    def _pipe(self, a: socket.socket, b: socket.socket) -> None:
        """Copy bytes both ways until either side hangs up."""

        def copy(source: socket.socket, sink: socket.socket) -> None:
            with contextlib.suppress(OSError):
                while chunk := source.recv(65536):
                    sink.sendall(chunk)
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

        self._spawn(copy, b, a)
        copy(a, b)


def _read_head(conn: socket.socket) -> tuple[bytes, bytes]:
    buffer = b""
    while b"\r\n\r\n" not in buffer:
        chunk = conn.recv(65536)
        if not chunk:
            raise ConnectionError("the client hung up before its request was whole")
        buffer += chunk
    head, _, rest = buffer.partition(b"\r\n\r\n")
    return head, rest


class RecordingProxy(Relay):
    """An HTTP proxy on loopback: ``asked`` lists each ``"CONNECT host:port"`` tunnel and each
    ``"METHOD absolute-url"`` request, in order. A plain request is forwarded on a connection
    of its own, which closes after the answer."""

    def __init__(self) -> None:
        super().__init__()
        self.url = f"http://127.0.0.1:{self.port}"
        self.asked: list[str] = []

    def _serve(self, conn: socket.socket) -> None:
        with contextlib.suppress(OSError, ConnectionError):
            head, rest = _read_head(conn)
            method, target, version = head.split(b"\r\n", 1)[0].decode("latin-1").split(" ")
            with self._lock:
                self.asked.append(f"{method} {target}")
            if method == "CONNECT":
                host, _, port = target.rpartition(":")
                upstream = self._keep(socket.create_connection((host, int(port))))
                conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n" + b"")
                if rest:
                    upstream.sendall(rest)
                self._pipe(conn, upstream)
                return
            _, _, after = target.partition("://")
            hostport, _, path = after.partition("/")
            host, _, port = hostport.rpartition(":")
            lines = head.split(b"\r\n")[1:]
            kept = [line for line in lines if not line.lower().startswith(b"connection:")]
            request = b"\r\n".join(
                [f"{method} /{path} {version}".encode(), *kept, b"Connection: close"]
            )
            upstream = self._keep(socket.create_connection((host, int(port or 80))))
            upstream.sendall(request + b"\r\n\r\n" + rest)
            self._pipe(conn, upstream)


class TLSFront(Relay):
    """Serves ``upstream_port`` (a plain-HTTP sandbox on loopback) over https at ``url``, with
    a certificate for 127.0.0.1 from a throwaway authority: ``ca_file`` trusts it."""

    def __init__(self, upstream_port: int, ca: trustme.CA | None = None) -> None:
        super().__init__()
        self.url = f"https://127.0.0.1:{self.port}"
        self.ca = ca or trustme.CA()
        self._upstream_port = upstream_port
        self._context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.ca.issue_cert("127.0.0.1").configure_cert(self._context)
        self._ca_file = self.ca.cert_pem.tempfile()
        self.ca_file = self._ca_file.__enter__()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        super().__exit__(exc_type, exc, tb)
        self._ca_file.__exit__(None, None, None)

    def client_context(self) -> ssl.SSLContext:
        """An ``ssl.SSLContext`` that trusts this front's certificate."""
        context = ssl.create_default_context()
        self.ca.configure_trust(context)
        return context

    def _serve(self, conn: socket.socket) -> None:
        with contextlib.suppress(OSError):
            secure = self._keep(self._context.wrap_socket(conn, server_side=True))
            upstream = self._keep(socket.create_connection(("127.0.0.1", self._upstream_port)))
            self._pipe(secure, upstream)


class SilentServer(Relay):
    """Accepts connections, reads whatever arrives, never answers. ``wait_for(n)`` returns once
    ``n`` connections have been accepted; ``hung_up`` counts those the client has closed."""

    def __init__(self) -> None:
        super().__init__()
        self.url = f"http://127.0.0.1:{self.port}"
        self.accepted = 0
        self.hung_up = 0
        self._changed = threading.Condition(self._lock)

    def wait_for(self, accepted: int = 0, hung_up: int = 0, timeout: float = 30) -> None:
        with self._changed:
            if not self._changed.wait_for(
                lambda: self.accepted >= accepted and self.hung_up >= hung_up, timeout
            ):
                raise TimeoutError(f"accepted {self.accepted}, hung up {self.hung_up}")

    def _serve(self, conn: socket.socket) -> None:
        with self._changed:
            self.accepted += 1
            self._changed.notify_all()
        with contextlib.suppress(OSError):
            while conn.recv(65536):
                pass
        with self._changed:
            self.hung_up += 1
            self._changed.notify_all()
