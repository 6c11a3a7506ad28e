"""The ``aisquare-studio`` command: publish videos, or serve the sandbox for local development.

Exit codes: 0 success; 1 an API or network error (one line per failure on stderr); 2 the command
could not start: bad arguments, no API key, or a base URL the SDK refuses. 130 after Ctrl-C,
for ``publish`` and ``sandbox`` alike (SIGTERM stops the sandbox with 0: it is how a supervisor
asks it to stop). 141 when the reader of stdout or stderr goes away, as in
``aisquare-studio publish ... | head -1``: the command stops quietly, publishes not yet sent are
not sent, and the status is the one a shell reports for a tool killed by SIGPIPE (128 + 13), so
``set -o pipefail`` scripts see what they would see from ``cat`` or ``grep``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import re
import signal
import sys
import threading
from collections.abc import Sequence
from types import FrameType
from typing import TextIO

from aisquare_studio_api.models import VideoDetail

from ._client import AsyncStudio
from ._config import API_KEY_ENV, BASE_URL_ENV, DEFAULT_TIMEOUT, MAX_VIDEO_ID
from ._errors import StudioError
from ._retry import RetryPolicy
from ._version import __version__

PROG = "aisquare-studio"
# Enough to overlap network waits without hammering the API when given hundreds of ids.
MAX_CONCURRENT_PUBLISHES = 8
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
EXIT_INTERRUPTED = 130  # 128 + SIGINT
EXIT_PIPE_CLOSED = 141  # 128 + SIGPIPE


class UsageError(Exception):
    """The command cannot start as asked: exit 2 with this one line."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command with ``argv`` (default ``sys.argv[1:]``) and return its exit code."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as done:  # argparse has printed the usage error (2) or the help (0)
        return done.code if isinstance(done.code, int) else 2
    try:
        if args.command == "publish":
            return _publish(args)
        return _serve_sandbox(args.port)
    except UsageError as error:
        print(f"{PROG} {args.command}: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # `aisquare-studio publish ... | head -1`: the reader left
        _discard_output()
        return EXIT_PIPE_CLOSED


def _discard_output() -> None:
    # Python flushes stdout and stderr at exit, and would fail again on the closed pipe with an
    # "Exception ignored" message on stderr: point both descriptors at /dev/null first. Either may
    # be the closed one (`2>&1 | head -1`), and nothing more is to be said on them.
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(AttributeError, OSError, ValueError):  # not a file (tests)
                os.dup2(devnull, stream.fileno())
    finally:
        os.close(devnull)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Command line for the AISquare Studio API.",
        epilog=f"The API key comes from {API_KEY_ENV}. Exit codes: 0 success, 1 an API or "
        "network error, 2 a usage or configuration error, 130 interrupted (Ctrl-C), 141 the "
        "output's reader went away.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    publish = commands.add_parser(
        "publish",
        help="publish draft videos and print each one",
        description="Publish draft videos concurrently; results print in the order of the ids.",
    )
    publish.add_argument("video_ids", nargs="+", type=_video_id, metavar="VIDEO_ID")
    publish.add_argument(
        "--json",
        action="store_true",
        help="print each video as JSON, exactly as VideoDetail.to_dict() gives it, one per line",
    )
    publish.add_argument(
        "--base-url", metavar="URL", help=f"API root (default: {BASE_URL_ENV}, else production)"
    )
    publish.add_argument(
        "--timeout",
        type=_seconds,
        default=DEFAULT_TIMEOUT,
        metavar="S",
        help=f"seconds per attempt ({DEFAULT_TIMEOUT:g})",
    )
    publish.add_argument(
        "--max-retries",
        type=_retries,
        metavar="N",
        help=f"retries after the first attempt ({RetryPolicy().max_retries})",
    )

    sandbox = commands.add_parser(
        "sandbox",
        help="serve the local sandbox API on loopback until Ctrl-C",
        description="Serve the sandbox (seeded drafts, the sandbox key) on 127.0.0.1.",
    )
    sandbox.add_argument(
        "--port", type=_port, default=0, metavar="P", help="TCP port (default: a free one)"
    )
    return parser


def _video_id(text: str) -> int:
    if not text.isascii() or not text.isdigit() or not 0 < int(text) <= MAX_VIDEO_ID:
        raise argparse.ArgumentTypeError(
            f"invalid VIDEO_ID {text!r}: expected a whole number from 1 to {MAX_VIDEO_ID}"
        )
    return int(text)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"invalid seconds {text!r}: expected a number > 0")
    return value


def _retries(text: str) -> int:
    if not text.isascii() or not text.isdigit():
        raise argparse.ArgumentTypeError(f"invalid count {text!r}: expected a whole number >= 0")
    return int(text)


def _port(text: str) -> int:
    if not text.isascii() or not text.isdigit() or not 0 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"invalid port {text!r}: expected 0 to 65535")
    return int(text)


# --- publish ---------------------------------------------------------------------------------


def _publish(args: argparse.Namespace) -> int:
    # Checked here as well as by the SDK: its message speaks of api_key=..., which a command
    # line user cannot pass.
    if not os.environ.get(API_KEY_ENV):
        raise UsageError(f"no API key: set the {API_KEY_ENV} environment variable")
    try:  # the SDK's own checks of the key and the base URL, before any work starts
        studio = AsyncStudio(
            base_url=args.base_url, timeout=args.timeout, max_retries=args.max_retries
        )
    except StudioError as error:
        raise UsageError(str(error)) from None
    failures = asyncio.run(_publish_all(studio, args.video_ids, as_json=args.json))
    return 1 if failures else 0


async def _publish_all(studio: AsyncStudio, video_ids: list[int], *, as_json: bool) -> int:
    """Publish concurrently, print in input order as results become available; failures count."""
    progress = _Progress(len(video_ids), sys.stderr)
    slots = asyncio.Semaphore(MAX_CONCURRENT_PUBLISHES)

    async def one(video_id: int) -> VideoDetail | StudioError:
        async with slots:
            try:
                video = await studio.videos.publish(video_id)
            except StudioError as error:
                progress.advance(failed=True)
                return error
            progress.advance(failed=False)
            return video

    failures = 0
    reader_gone = False
    # A task group: should one call fail outside the error tree (a bug), the others stop too.
    async with studio, asyncio.TaskGroup() as group:
        tasks = [group.create_task(one(video_id)) for video_id in video_ids]
        try:
            for video_id, task in zip(video_ids, tasks, strict=True):
                result = await task
                with progress.hidden():
                    if isinstance(result, StudioError):
                        failures += 1
                        print(f"{PROG}: video {video_id}: {_describe(result)}", file=sys.stderr)
                    elif as_json:
                        print(json.dumps(result.to_dict()), flush=True)
                    else:
                        state = "draft" if result.is_draft else "published"
                        title = _CONTROL.sub(" ", result.title)  # one line, no terminal escapes
                        print(f"{result.id}\t{state}\t{title}", flush=True)
        except BrokenPipeError:
            # No one reads the results any more: stop, as a tool killed by SIGPIPE would. Raised
            # here, the error would reach main() wrapped in the task group's ExceptionGroup.
            reader_gone = True
            for task in tasks:
                task.cancel()
    progress.finish()
    if reader_gone:
        raise BrokenPipeError
    return failures


def _describe(error: StudioError) -> str:
    # str(error) is already one line with the status, the message and the request id, and the
    # SDK has redacted the key from it; the class name says which branch of the tree it is.
    return f"{type(error).__name__}: {error}"


class _Progress:
    """A one-line counter on stderr, drawn only when stderr is a terminal: "published 3/10",
    then "published 7/10, 1 failed" once a video has failed."""

    def __init__(self, total: int, stream: TextIO) -> None:
        self._total = total
        self._published = 0
        self._failed = 0
        self._stream = stream
        self._enabled = total > 1 and stream.isatty()
        self._draw()

    def advance(self, *, failed: bool) -> None:
        """Count one finished video, published or failed."""
        if failed:
            self._failed += 1
        else:
            self._published += 1
        self._draw()

    def hidden(self) -> _Hidden:
        """Erase the counter while a result line prints, then draw it again."""
        return _Hidden(self)

    def finish(self) -> None:
        self._erase()
        self._enabled = False

    def _draw(self) -> None:
        if self._enabled:
            # The text only grows (counts rise, the failure count appears once), so each
            # drawing covers the one before without erasing it.
            failed = f", {self._failed} failed" if self._failed else ""
            self._stream.write(f"\rpublished {self._published}/{self._total}{failed}")
            self._stream.flush()

    def _erase(self) -> None:
        if self._enabled:
            self._stream.write("\r\x1b[K")
            self._stream.flush()


class _Hidden:
    def __init__(self, progress: _Progress) -> None:
        self._progress = progress

    def __enter__(self) -> None:
        self._progress._erase()

    def __exit__(self, *exc: object) -> None:
        self._progress._draw()


# --- sandbox ---------------------------------------------------------------------------------


def _serve_sandbox(port: int) -> int:
    from .sandbox import SANDBOX_API_KEY, Sandbox

    sandbox = Sandbox()
    stop = threading.Event()
    stopped_by: list[int] = []

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stopped_by.append(signum)
        stop.set()

    handlers = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        try:
            server = sandbox.serve(port=port).start()
        except OSError as error:
            print(f"{PROG} sandbox: error: cannot listen on port {port}: {error}", file=sys.stderr)
            return 1
        try:
            print(f"Sandbox serving the AISquare Studio API at {server.url}")
            print(f"  export {BASE_URL_ENV}={server.url}")
            print(f"  export {API_KEY_ENV}={SANDBOX_API_KEY}")
            drafts = " ".join(map(str, sandbox.draft_ids))
            print(f"Draft videos: {drafts}. Press Ctrl-C to stop.", flush=True)
            stop.wait()
        finally:
            server.close()
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
    print(f"Sandbox stopped after {len(sandbox.requests)} requests.", flush=True)
    # Ctrl-C is an interruption, reported as 130 like every other one; SIGTERM is the normal way
    # to stop a server (a supervisor, a test harness), so it is a success.
    return EXIT_INTERRUPTED if stopped_by[:1] == [signal.SIGINT] else 0
