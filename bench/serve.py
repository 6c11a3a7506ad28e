"""A canned-response HTTP/1.1 server for the throughput figure, one process of several.

It answers a publish of each benchmark video with that video's canned body over keep-alive
connections and does nothing else, so it costs a small share of what the client spends on the
same request: the figure then measures the client. Several processes listen on one port with
``SO_REUSEPORT`` and the kernel spreads the connections over them.

``python -m bench.serve [PORT]`` prints the port it listens on, then answers ``cpu`` lines on
standard input with its CPU seconds so far, and exits when standard input closes.
"""

from __future__ import annotations

import asyncio
import socket
import sys
import threading
import time

from bench.bodies import RESPONSE_HEADERS, VIDEO_IDS, publish_path, published_body

NOT_FOUND = b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"


def canned_responses() -> dict[bytes, bytes]:
    """Whole responses, status line to body, by request target."""
    responses = {}
    for video_id in VIDEO_IDS.values():
        body = published_body(video_id)
        head = "".join(f"{name}: {value}\r\n" for name, value in RESPONSE_HEADERS.items())
        head = f"HTTP/1.1 200 OK\r\n{head}Content-Length: {len(body)}\r\n\r\n"
        responses[publish_path(video_id).encode()] = head.encode() + body
    return responses


class CannedHTTP(asyncio.Protocol):
    """HTTP/1.1 just far enough for a client's requests: request line, headers, sized body."""

    def __init__(self, responses: dict[bytes, bytes]) -> None:
        self._responses = responses
        self._buffer = b""
        self._transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        while True:
            end = self._buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = self._buffer[:end]
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            if len(self._buffer) < end + 4 + length:
                return
            self._buffer = self._buffer[end + 4 + length :]
            target = head.split(b" ", 2)[1]
            assert self._transport is not None
            self._transport.write(self._responses.get(target, NOT_FOUND))


def listening_socket(port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind(("127.0.0.1", port))
    sock.listen(1024)
    return sock


def _answer_cpu_queries(loop: asyncio.AbstractEventLoop, done: asyncio.Event) -> None:
    # A thread, so the event loop never waits on the pipe; process_time counts every thread.
    for line in sys.stdin:
        if line.strip() == "cpu":
            print(time.process_time(), flush=True)
    loop.call_soon_threadsafe(done.set)


async def serve(port: int) -> None:
    responses = canned_responses()
    sock = listening_socket(port)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: CannedHTTP(responses), sock=sock)
    done = asyncio.Event()
    threading.Thread(target=_answer_cpu_queries, args=(loop, done), daemon=True).start()
    print(sock.getsockname()[1], flush=True)
    await done.wait()
    server.close()


def main() -> None:
    asyncio.run(serve(int(sys.argv[1]) if len(sys.argv) > 1 else 0))


if __name__ == "__main__":
    main()
