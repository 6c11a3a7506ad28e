"""``make bench``: this SDK's client-side cost against raw httpx and a pydantic-typed httpx call,
printed as ratios from one run, each beside the goal it is held to.

- per call (``percall.py``): wall-clock medians, and instructions under callgrind
  (``callgrind.py``), which stay stable on a busy machine;
- client-bound throughput at 100 in flight against canned servers in other processes
  (``throughput.py``, ``serve.py``);
- a fresh process: import, and time to first publish (``imports.py``).

Wall-clock figures are taken first, with nothing else of the benchmark running; the callgrind
runs follow, two at a time. ``docs/performance.md`` explains how to read every table.
"""

from __future__ import annotations

import argparse
import cProfile
import platform
import pstats
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import httpx

import aisquare_studio
from bench import imports, parse_path, percall, throughput
from bench.bodies import SECTIONS, VIDEO_IDS, published_body
from bench.callgrind import Callgrind, PerCall, Unavailable


@dataclass(frozen=True)
class Settings:
    rounds: int  # per-call wall-clock rounds
    calls: int  # calls per variant per round
    callgrind_n: int  # N in (Ir(2N) - Ir(N)) / N
    import_runs: int  # fresh-process pairs per figure
    whole_process_instructions: bool  # the import and first-publish processes under callgrind
    throughput_rounds: int
    throughput_publishes: int  # per variant per round


FULL = Settings(
    rounds=15,
    calls=100,
    callgrind_n=40,
    import_runs=11,
    whole_process_instructions=True,
    throughput_rounds=3,
    throughput_publishes=600,
)
# Every table and row, with too few samples to trust: a smoke run, under a minute.
QUICK = Settings(
    rounds=3,
    calls=10,
    callgrind_n=4,
    import_runs=1,
    whole_process_instructions=False,
    throughput_rounds=1,
    throughput_publishes=100,
)

PER_CALL_GOALS = {"sdk/pydantic": 1.00, "sdk/raw 3": 1.15, "sdk/raw 30": 1.30}


def verdict(value: float | None, goal: float | None, *, at_least: bool = False) -> str:
    """``<= 1.15 met`` or ``>= 0.90 missed``: the goal beside its figure."""
    if goal is None:
        return ""
    sign = ">=" if at_least else "<="
    if value is None:
        return f"{sign} {goal:.2f} n/a"
    met = value >= goal if at_least else value <= goal
    return f"{sign} {goal:.2f} {'met' if met else 'MISSED'}"


def _ratio(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}x"


@dataclass
class Results:
    wall: list[percall.WallClock]
    instructions: dict[str, PerCall] | None  # by mode; None without callgrind
    callgrind_note: str
    flows: list[throughput.Row]
    fresh: list[imports.Figure]
    beyond_plain_install: list[str]


def _progress(step: str) -> None:
    # stderr: the tables on stdout stay exactly the report
    print(f"bench: {step}", file=sys.stderr, flush=True)


def measure(settings: Settings) -> Results:
    _progress("per call, wall clock")
    wall = percall.wall_clock(settings.rounds, settings.calls)
    _progress("fresh processes, wall clock")
    fresh_wall = imports.wall_clock(settings.import_runs)
    _progress("throughput")
    flows = throughput.throughput(settings.throughput_rounds, settings.throughput_publishes)
    beyond = imports.beyond_plain_install()
    _progress("instructions under callgrind")

    instructions: dict[str, PerCall] | None = None
    fresh_instructions: dict[str, tuple[int, int]] = {}
    note = f"N = {settings.callgrind_n}"
    try:
        with Callgrind() as callgrind, ThreadPoolExecutor(max_workers=2) as pool:
            n = settings.callgrind_n
            modes = {mode: pool.submit(callgrind.per_call, mode, n) for mode in percall.MODES}
            whole = (
                pool.submit(imports.instructions, callgrind)
                if settings.whole_process_instructions
                else None
            )
            instructions = {mode: job.result() for mode, job in modes.items()}
            if whole is not None:
                fresh_instructions = whole.result()
    except Unavailable as exc:
        note = f"n/a: callgrind {exc}"

    fresh = [
        imports.Figure(
            pair,
            baseline_seconds,
            sdk_seconds,
            ratio,
            *fresh_instructions.get(pair.name, (None, None)),
        )
        for pair, baseline_seconds, sdk_seconds, ratio in fresh_wall
    ]
    return Results(wall, instructions, note, flows, fresh, beyond)


def _per_call_goal(sections: int) -> float:
    return PER_CALL_GOALS[f"sdk/raw {sections}"]


def report_per_call(settings: Settings, results: Results) -> list[str]:
    header = (
        f"{'mode':6} {'sections':>8} {'raw':>9} {'pydantic':>9} {'sdk':>9}"
        f"  {'sdk/raw':>7}  {'goal':15}  {'sdk/pydantic':>12}  {'goal':15}"
    )
    lines = [
        "PER PUBLISH: in-process transport (httpx.MockTransport), the same canned VideoDetail",
        "bodies (3 sections: 5.6 kB, 30 sections: 38 kB)",
        "",
        f"Instructions per call, callgrind, (Ir(2N) - Ir(N)) / N, {results.callgrind_note}",
        header,
    ]
    for row in results.wall:
        counts = None if results.instructions is None else results.instructions[row.mode]
        figures = {
            name: None if counts is None else counts[row.sections, name]
            for name in percall.VARIANTS
        }
        raw, pyd, sdk = (figures[name] for name in percall.VARIANTS)
        sdk_raw = None if sdk is None or raw is None else sdk / raw
        sdk_pyd = None if sdk is None or pyd is None else sdk / pyd
        cells = " ".join(
            f"{'n/a':>9}" if value is None else f"{value / 1e6:7.2f} M"
            for value in figures.values()
        )
        lines.append(
            f"{row.mode:6} {row.sections:>8} {cells}  {_ratio(sdk_raw):>7}  "
            f"{verdict(sdk_raw, _per_call_goal(row.sections)):15}  {_ratio(sdk_pyd):>12}  "
            f"{verdict(sdk_pyd, PER_CALL_GOALS['sdk/pydantic']):15}"
        )
    lines += [
        "",
        f"Wall clock, median us per call; ratios are medians of per-round ratios "
        f"({settings.rounds} interleaved rounds x {settings.calls} calls)",
        header + "  sdk bodies by parse path",
    ]
    for row in results.wall:
        cells = " ".join(f"{row.seconds[name] * 1e6:6.1f} us" for name in percall.VARIANTS)
        lines.append(
            f"{row.mode:6} {row.sections:>8} {cells}  {_ratio(row.sdk_raw):>7}  "
            f"{verdict(row.sdk_raw, _per_call_goal(row.sections)):15}  "
            f"{_ratio(row.sdk_pydantic):>12}  "
            f"{verdict(row.sdk_pydantic, PER_CALL_GOALS['sdk/pydantic']):15}  "
            f"{parse_path.describe(row.parsed)}"
        )
    return lines


def report_throughput(settings: Settings, results: Results) -> list[str]:
    limits = throughput.LIMITS
    lines = [
        f"CLIENT-BOUND THROUGHPUT: {throughput.IN_FLIGHT} publishes in flight against "
        f"{throughput.SERVER_PROCESSES} canned-server processes on loopback;",
        f"every client: httpx.Limits(max_connections={limits.max_connections}, "
        f"max_keepalive_connections={limits.max_keepalive_connections}); "
        f"{settings.throughput_rounds} interleaved rounds x "
        f"{settings.throughput_publishes} publishes; ratio = publishes per client CPU-second",
        "against raw httpx, median of per-round ratios. CPU shares: of one core, over the burst.",
        f"{'sections':>8}  {'client':44} {'/cpu-s':>7} {'/s':>7} {'ratio':>6}  {'goal':15} "
        f"{'client':>6} {'server':>6} {'srv/cli':>7}  sdk bodies by parse path",
    ]
    busiest = 0.0
    for row in results.flows:
        busiest = max(busiest, row.busiest_server_share)
        parsed = parse_path.describe(row.parsed) if row.variant.sdk else ""
        lines.append(
            f"{row.sections:>8}  {row.variant.name:44} {row.per_cpu_second:7.0f} "
            f"{row.per_second:7.0f} {_ratio(row.ratio):>6}  "
            f"{verdict(row.ratio, row.variant.goal, at_least=True):15} "
            f"{row.client_share:6.0%} {row.busiest_server_share:6.0%} "
            f"{row.server_per_client:7.0%}  {parsed}"
        )
    bound = "yes" if busiest < 0.5 else "NO"
    lines.append(
        f"client-bound: {bound} (the busiest server process used at most {busiest:.0%} of a core; "
        "a client below 100% was waiting for the machine's other work, not for the servers)"
    )
    missing = [
        name
        for name in (throughput.RAW_AIOHTTP, throughput.SDK_AIOHTTP)
        if name not in {row.variant.name for row in results.flows}
    ]
    if missing:
        lines.append(f"not measured (not installed, or not in this SDK yet): {', '.join(missing)}")
    return lines


def report_fresh(settings: Settings, results: Results) -> list[str]:
    lines = [
        f"FRESH PROCESS: whole `python -c ...` processes, median of {settings.import_runs} "
        "interleaved pairs; instructions: one run each under callgrind",
        "(blocked on both sides: dev-only packages httpx, httpcore and anyio import if present, "
        f"{', '.join(imports.DEV_ONLY)})",
        f"{'figure':14} {'baseline':22} {'sdk':22} {'ms':>7} {'ms':>7} {'ratio':>6}  {'goal':15}"
        f" {'instr':>8} {'instr':>8} {'ratio':>6}  {'goal':15}",
    ]
    for figure in results.fresh:
        pair = figure.pair
        if figure.baseline_instructions is None or figure.sdk_instructions is None:
            ir = f"{'n/a':>8} {'n/a':>8} {'n/a':>6}"
            note = "full run only" if not settings.whole_process_instructions else "n/a"
            ir_verdict = note if pair.goal is None else f"{verdict(None, pair.goal)} ({note})"
        else:
            ir = (
                f"{figure.baseline_instructions / 1e6:6.0f} M "
                f"{figure.sdk_instructions / 1e6:6.0f} M {_ratio(figure.instruction_ratio):>6}"
            )
            ir_verdict = verdict(figure.instruction_ratio, pair.goal)
        lines.append(
            f"{pair.name:14} {pair.baseline_name:22} {pair.sdk_name:22} "
            f"{figure.baseline_seconds * 1e3:7.1f} {figure.sdk_seconds * 1e3:7.1f} "
            f"{_ratio(figure.ratio):>6}  {verdict(figure.ratio, pair.goal):15} {ir}  {ir_verdict}"
        )
    beyond = ", ".join(results.beyond_plain_install) or "none"
    lines.append(f"loaded beyond a plain `pip install aisquare-studio`: {beyond}")
    return lines


def _git_commit() -> str:
    done = subprocess.run(
        ["git", "describe", "--always", "--dirty"],  # noqa: S607 - the developer's git
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip() or "unknown"


def report(settings: Settings, results: Results, commit: str) -> str:
    counts = "n/a" if parse_path.snapshot() is None else "aisquare_studio.parse_counts()"
    lines = [
        f"aisquare-studio {aisquare_studio.__version__} at {commit}, "
        f"Python {platform.python_version()}, httpx {httpx.__version__}, "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        f"parse path counts: {counts}",
        "",
        *report_per_call(settings, results),
        "",
        *report_throughput(settings, results),
        "",
        *report_fresh(settings, results),
    ]
    return "\n".join(lines)


def profile(sections: int, calls: int) -> None:
    """Print where a sync SDK publish spends its time (cProfile, cumulative and own time)."""
    video_id = VIDEO_IDS[sections]
    variants, clients = percall.sync_variants(video_id, published_body(video_id))
    percall.run_sync(variants["sdk"], 50)
    profiler = cProfile.Profile()
    profiler.runcall(percall.run_sync, variants["sdk"], calls)
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
    pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
    for client in clients:
        client.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--quick", action="store_true", help="every table, few samples: a smoke run under a minute"
    )
    parser.add_argument(
        "--profile", type=int, choices=SECTIONS, help="profile the sync SDK call instead"
    )
    args = parser.parse_args(argv)
    if args.profile:
        profile(args.profile, 2000)
        return 0
    settings = QUICK if args.quick else FULL
    started = time.perf_counter()
    commit = _git_commit()  # before measuring: the code that runs is the code at the start
    results = measure(settings)
    print(report(settings, results, commit))
    print(f"\n(took {time.perf_counter() - started:.0f} s; {settings})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
