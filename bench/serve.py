"""Serve a fresh sandbox on loopback in its own process until standard input closes.

The throughput figure runs the server here rather than in threads of the benchmark's process:
there, 64 server threads and the client's event loop would fight over one GIL, and the figure
would measure that fight instead of the client.
"""

from __future__ import annotations

import sys

from aisquare_studio.sandbox import Sandbox


def main() -> None:
    with Sandbox().serve() as server:
        print(server.url, flush=True)
        sys.stdin.read()  # until the benchmark closes our stdin


if __name__ == "__main__":
    main()
