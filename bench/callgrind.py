"""Instruction counts under ``valgrind --tool=callgrind``: stable where wall-clock time is not.

A per-call figure is (Ir(2N) - Ir(N)) / N: the instructions of 2N calls minus those of N calls,
so whatever a run pays once (warming caches, starting the loop) cancels out. Starting Python and
importing everything under full instrumentation costs far more than the calls themselves, so
the measuring process starts uninstrumented and switches callgrind on, zeroes and dumps its
counters itself, through callgrind's client requests. Python cannot issue those, so a four-line
C shim (``callgrind.h`` is installed with valgrind) is compiled once per run with the system C
compiler. Whole-process figures (imports, first publish) run instrumented from the start.

``python -m bench.callgrind MODE N`` is the measuring process; run.py never calls it directly.
"""

from __future__ import annotations

import asyncio
import ctypes
import gc
import itertools
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

SHIM_ENV = "BENCH_CALLGRIND_SHIM"
SHIM_SOURCE = """\
#include <valgrind/callgrind.h>
int bench_on_valgrind(void) { return RUNNING_ON_VALGRIND; }
void bench_start(void) { CALLGRIND_START_INSTRUMENTATION; }
void bench_zero(void) { CALLGRIND_ZERO_STATS; }
void bench_dump(const char *label) { CALLGRIND_DUMP_STATS_AT(label); }
"""
# Hash randomisation changes which dict slots collide, and so the instruction counts.
CHILD_ENV = {"PYTHONHASHSEED": "0"}

# (sections, variant) -> instructions per call
PerCall = dict[tuple[int, str], float]


class Unavailable(Exception):
    """Callgrind figures cannot be taken on this machine; the message says why."""


class Callgrind:
    """A working directory with the compiled shim; ``with Callgrind() as cg: ...``."""

    def __init__(self) -> None:
        valgrind = shutil.which("valgrind")
        compiler = shutil.which("cc") or shutil.which("gcc")
        if valgrind is None or compiler is None:
            missing = "valgrind" if valgrind is None else "a C compiler (cc)"
            raise Unavailable(f"needs {missing} on PATH")
        self.valgrind = valgrind
        self._directory = tempfile.TemporaryDirectory(prefix="bench-callgrind-")
        self.root = Path(self._directory.name)
        source = self.root / "shim.c"
        source.write_text(SHIM_SOURCE)
        self.shim = self.root / "shim.so"
        built = subprocess.run(  # noqa: S603 - the system compiler on our own source
            [compiler, "-shared", "-fPIC", "-O2", "-o", str(self.shim), str(source)],
            capture_output=True,
            text=True,
        )
        if built.returncode:
            self.close()
            raise Unavailable(f"cannot build the client-request shim: {built.stderr.strip()}")
        self._runs = itertools.count(1)  # next() is atomic: runs may go in parallel threads

    def __enter__(self) -> Callgrind:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._directory.cleanup()

    def _run(self, argv: Sequence[str], *, instrument_at_start: bool) -> Path:
        out = self.root / f"run{next(self._runs)}" / "callgrind.out"
        out.parent.mkdir()
        command = [
            self.valgrind,
            "--tool=callgrind",
            f"--callgrind-out-file={out}",
            f"--instr-atstart={'yes' if instrument_at_start else 'no'}",
            "--dump-line=no",  # only the totals are read: keep each dump small
            *argv,
        ]
        env = {**os.environ, **CHILD_ENV, SHIM_ENV: str(self.shim)}
        done = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603
        if done.returncode:
            raise RuntimeError(f"{' '.join(argv)} failed under callgrind:\n{done.stderr[-2000:]}")
        return out

    def per_call(self, mode: str, n: int) -> PerCall:
        """Instructions per call of every per-call variant in ``mode`` ("sync" or "async")."""
        out = self._run(
            [sys.executable, "-m", "bench.callgrind", mode, str(n)], instrument_at_start=False
        )
        dumps = {label: total for label, total in _dumps(out.parent)}
        figures: PerCall = {}
        for label, once in dumps.items():
            sections, variant, calls = label.split()
            if int(calls) == n:
                twice = dumps[f"{sections} {variant} {2 * n}"]
                figures[int(sections), variant] = (twice - once) / n
        return figures

    def whole_process(self, argv: Sequence[str]) -> int:
        """The instructions of running ``argv`` (a Python command line) from start to exit."""
        out = self._run(argv, instrument_at_start=True)
        return _total(out.read_text())


_DESC = re.compile(r"^desc: Trigger: Client Request: (.*)$", re.M)
_TOTAL = re.compile(r"^(?:summary|totals): (\d+)", re.M)


def _total(dump: str) -> int:
    found = _TOTAL.search(dump)
    if found is None:
        raise RuntimeError("a callgrind dump without totals")
    return int(found.group(1))


def _dumps(directory: Path) -> list[tuple[str, int]]:
    found = []
    for path in directory.glob("callgrind.out.*"):
        text = path.read_text()
        label = _DESC.search(text)
        if label is not None:
            found.append((label.group(1).strip(), _total(text)))
    return found


# The measuring process.


class _Shim:
    def __init__(self) -> None:
        self._lib = ctypes.CDLL(os.environ[SHIM_ENV])
        if not self._lib.bench_on_valgrind():
            raise SystemExit("python -m bench.callgrind runs under callgrind only")
        self._lib.bench_dump.argtypes = [ctypes.c_char_p]

    def start(self) -> None:
        self._lib.bench_start()

    def zero(self) -> None:
        self._lib.bench_zero()

    def dump(self, label: str) -> None:
        self._lib.bench_dump(label.encode())


WARMUP_CALLS = 20


def _measure_sync(shim: _Shim, n: int) -> None:
    from bench import percall
    from bench.bodies import VIDEO_IDS, published_body

    built = {s: percall.sync_variants(i, published_body(i)) for s, i in VIDEO_IDS.items()}
    # Every variant warm before counting starts: the first calls fill caches they all share.
    for variants, _ in built.values():
        for call in variants.values():
            percall.run_sync(call, WARMUP_CALLS)
    shim.start()
    for sections, (variants, _) in built.items():
        for name, call in variants.items():
            for calls in (n, 2 * n):
                gc.collect()  # both runs start from the same heap, as the wall-clock ones do
                shim.zero()
                percall.run_sync(call, calls)
                shim.dump(f"{sections} {name} {calls}")


async def _measure_async(shim: _Shim, n: int) -> None:
    from bench import percall
    from bench.bodies import VIDEO_IDS, published_body

    built = {s: percall.async_variants(i, published_body(i)) for s, i in VIDEO_IDS.items()}
    for variants, _ in built.values():
        for call in variants.values():
            await percall.run_async(call, WARMUP_CALLS)
    shim.start()
    for sections, (variants, _) in built.items():
        for name, call in variants.items():
            for calls in (n, 2 * n):
                gc.collect()  # both runs start from the same heap, as the wall-clock ones do
                shim.zero()
                await percall.run_async(call, calls)
                shim.dump(f"{sections} {name} {calls}")


def main(argv: list[str]) -> None:
    mode, n = argv[0], int(argv[1])
    shim = _Shim()
    if mode == "sync":
        _measure_sync(shim, n)
    else:
        asyncio.run(_measure_async(shim, n))
    sys.stdout.flush()
    # The counters are dumped; tearing the interpreter down under instrumentation would only
    # cost time.
    os._exit(0)


if __name__ == "__main__":
    main(sys.argv[1:])
