"""`make contract`: run the SDK's publish paths against Steady, an independent OpenAPI mock.

Steady (``@stdy/cli``, pinned in package.json/package-lock.json) serves ``openapi.yaml`` on a
free loopback port, rejects any request that breaks the spec with a 400 carrying a ``steady``
diagnostic, and answers valid ones with random spec-valid bodies. Every call here must be
accepted by Steady and every body it sends must parse; anything else fails the run.

Exit codes: 0 all good; 1 a diagnostic, a parse failure or a setup failure; 0 with a SKIPPED
line on stderr where npm is absent, except under CI (``CI`` set), where that fails too.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parents[1]
STEADY_VERSION = "0.22.2"
SKIPPED = "SKIPPED: npm not found — Steady contract check not run"
API_KEY = "contract-check-key"  # any string: Steady checks the spec, not credentials
READY_TIMEOUT = 30.0  # seconds for Steady to start listening
CALL_TIMEOUT = 10.0  # seconds per call; Steady answers in milliseconds
INT32_MAX = 2_147_483_647


@dataclass
class Tally:
    """What one run saw: calls made, bodies parsed, and every failure with its path."""

    calls: dict[str, int] = field(default_factory=dict)
    parsed: int = 0
    diagnostics: list[str] = field(default_factory=list)
    parse_failures: list[str] = field(default_factory=list)
    other_failures: list[str] = field(default_factory=list)

    @property
    def total_calls(self) -> int:
        return sum(self.calls.values())

    @property
    def ok(self) -> bool:
        return not (self.diagnostics or self.parse_failures or self.other_failures)

    def summary(self) -> str:
        return (
            f"steady: {self.total_calls} calls, {len(self.diagnostics)} diagnostics, "
            f"{len(self.parse_failures)} parse failures, {len(self.other_failures)} other failures"
            f" ({self.parsed} bodies parsed)"
        )


def video_id_for(seed: int) -> int:
    """A spread of positive int32 ids, reproducible from the seed."""
    return 1 + (seed * 2_654_435_761) % (INT32_MAX - 1)


def steady_diagnostics(body: object) -> list[str]:
    """The diagnostics in a Steady 400 body (``{"steady": {"errors": [...]}}``), one line each."""
    if not isinstance(body, dict):
        return []
    report = body.get("steady")
    errors = report.get("errors") if isinstance(report, dict) else None
    if not isinstance(errors, list):
        return []
    return [_describe_diagnostic(error) for error in errors if isinstance(error, dict)]


def log_diagnostics(lines: Iterable[str]) -> tuple[int, list[str]]:
    """Requests Steady logged, and every diagnostic in its NDJSON log (spec or request)."""
    requests = 0
    found: list[str] = []
    for line in lines:
        try:
            event = json.loads(line)
        except ValueError:
            continue  # Steady prints a few plain lines around the JSON events
        if not isinstance(event, dict):
            continue
        if event.get("type") == "request":
            requests += 1
        where = "spec" if event.get("type") == "startup" else "request"
        for diagnostic in event.get("diagnostics") or []:
            if isinstance(diagnostic, dict):
                found.append(f"{where}: {_describe_diagnostic(diagnostic)}")
    return requests, found


def _describe_diagnostic(diagnostic: dict[str, Any]) -> str:
    where = diagnostic.get("path") or diagnostic.get("requestPath") or "?"
    return (
        f"{diagnostic.get('code', '?')} [{diagnostic.get('severity', '?')}] "
        f"{where}: {diagnostic.get('message', '')}"
    )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def install_steady() -> Path:
    """``npm ci`` from the committed lockfile; returns the steady executable."""
    subprocess.run(
        # --ignore-scripts: the native binary comes inside a registry package, nothing to fetch.
        ["npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"],
        cwd=ROOT,
        check=True,
    )
    steady = ROOT / "node_modules" / ".bin" / "steady"
    version = subprocess.run(
        [str(steady), "--version"], capture_output=True, text=True, check=True
    ).stdout.split()
    if version[-1:] != [STEADY_VERSION]:
        raise SystemExit(f"contract: expected steady {STEADY_VERSION}, got {' '.join(version)}")
    return steady


@contextmanager
def running_steady(steady: Path, spec: Path, log: IO[str]) -> Iterator[str]:
    """Steady on a free loopback port for the block's duration; always stopped afterwards."""
    port = free_port()
    command = [str(steady), "-p", str(port), "--host", "127.0.0.1", "--log-format", "json"]
    process = subprocess.Popen(
        [*command, "--no-color", str(spec)],
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: the node wrapper and the binary
        env={**os.environ, "NO_COLOR": "1"},
    )
    try:
        _wait_ready(process, port)
        yield f"http://127.0.0.1:{port}"
    finally:
        _stop(process)


def _wait_ready(process: subprocess.Popen[bytes], port: int) -> None:
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"contract: steady exited with {process.returncode} before listening")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"contract: steady did not listen on port {port} within {READY_TIMEOUT} s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=5)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def run_calls(base_url: str, iterations: int, tally: Tally) -> None:
    """Each publish path ``iterations`` times; seeds make every response reproducible."""
    from aisquare_studio import AsyncStudio, Studio, VideoDetail, VideoDetailRequest
    from aisquare_studio_api.api.subpackage_videos import publish_create
    from aisquare_studio_api.types import UNSET, Unset

    def headers(seed: int) -> dict[str, str]:
        # One Steady seed per call: varied random bodies that a failure report can replay.
        return {"X-Steady-Seed": str(seed), "X-Steady-Array-Max": "3"}

    def body_for(seed: int, previous: VideoDetail | None) -> VideoDetailRequest | Unset:
        # Every other generated call sends the last video back, as the request model: the
        # request side of the models must satisfy the spec too.
        if seed % 2 and previous is not None:
            return VideoDetailRequest.from_dict(previous.to_dict())
        return UNSET

    # No retries: each call is exactly one request, so Steady's log count must match ours.
    with Studio(API_KEY, base_url=base_url, timeout=CALL_TIMEOUT, max_retries=0) as studio:
        previous: VideoDetail | None = None
        for seed in range(iterations):
            client = studio.with_options(default_headers=headers(seed))
            with recording(tally, "Studio.videos.publish", seed) as record:
                record(client.videos.publish(video_id_for(seed)))
            with recording(tally, "publish_create.sync_detailed", seed) as record:
                response = publish_create.sync_detailed(
                    video_id_for(seed), client=client.api_client, body=body_for(seed, previous)
                )
                previous = record(response.parsed) or previous

    async def run_async() -> None:
        async with AsyncStudio(
            API_KEY, base_url=base_url, timeout=CALL_TIMEOUT, max_retries=0
        ) as studio:
            previous: VideoDetail | None = None
            for seed in range(iterations, 2 * iterations):
                client = studio.with_options(default_headers=headers(seed))
                with recording(tally, "AsyncStudio.videos.publish", seed) as record:
                    record(await client.videos.publish(video_id_for(seed)))
                with recording(tally, "publish_create.asyncio_detailed", seed) as record:
                    response = await publish_create.asyncio_detailed(
                        video_id_for(seed), client=client.api_client, body=body_for(seed, previous)
                    )
                    previous = record(response.parsed) or previous

    asyncio.run(run_async())


@contextmanager
def recording(tally: Tally, path: str, seed: int) -> Iterator[Callable[[object], Any]]:
    """Count one call; the block hands its result to ``record``, which checks it parsed."""
    from aisquare_studio import VideoDetail

    tally.calls[path] = tally.calls.get(path, 0) + 1

    def record(result: object) -> Any:
        if isinstance(result, VideoDetail):
            tally.parsed += 1
            return result
        tally.parse_failures.append(f"{path} seed={seed}: got {type(result).__name__}, no video")
        return None

    try:
        yield record
    except Exception as error:  # noqa: BLE001  # every failure is recorded, then reported
        _record(tally, path, seed, error)


def _record(tally: Tally, path: str, seed: int, error: Exception) -> None:
    from aisquare_studio import BadRequestError, ResponseValidationError

    where = f"{path} seed={seed}"
    if isinstance(error, BadRequestError):
        found = steady_diagnostics(error.body) or [str(error)]
        tally.diagnostics.extend(f"{where}: {line}" for line in found)
    elif isinstance(error, ResponseValidationError):
        body = error.response.text[:2000]
        tally.parse_failures.append(f"{where}: {error} (field {error.field}); body: {body}")
    else:
        tally.other_failures.append(f"{where}: {type(error).__name__}: {error}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--iterations", type=int, default=50, help="calls per path (default 50)")
    parser.add_argument("--spec", type=Path, default=ROOT / "openapi.yaml")
    args = parser.parse_args(argv)

    if shutil.which("npm") is None or shutil.which("node") is None:
        print(SKIPPED, file=sys.stderr)
        if os.environ.get("CI"):
            print("contract: npm is required in CI (CI is set)", file=sys.stderr)
            return 1
        return 0

    steady = install_steady()
    tally = Tally()
    with tempfile.TemporaryFile("w+", encoding="utf-8") as log:
        with running_steady(steady, args.spec.resolve(), log) as base_url:
            run_calls(base_url, args.iterations, tally)
        log.seek(0)
        logged, server_diagnostics = log_diagnostics(log)
    tally.diagnostics.extend(d for d in server_diagnostics if d.startswith("spec:"))
    if logged != tally.total_calls:
        tally.other_failures.append(f"steady logged {logged} requests, we made {tally.total_calls}")
    # Steady's own log must agree: a request diagnostic not seen by the client is still a failure.
    request_diagnostics = [d for d in server_diagnostics if d.startswith("request:")]
    if len(request_diagnostics) > len(tally.diagnostics):
        tally.diagnostics.extend(request_diagnostics[len(tally.diagnostics) :])

    for line in tally.diagnostics + tally.parse_failures + tally.other_failures:
        print(f"contract: {line}", file=sys.stderr)
    for path, count in sorted(tally.calls.items()):
        print(f"  {path}: {count} calls")
    print(tally.summary())
    return 0 if tally.ok else 1


if __name__ == "__main__":
    sys.exit(main())
