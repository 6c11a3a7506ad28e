"""What a fresh process pays before its first publish: ``import`` alone, and import + client +
one publish, each against the same done with httpx by hand.

Each figure is a whole ``python`` process, interpreter start and exit included, as a user's
script or a serverless cold start meets it. The development venv has packages a plain
``pip install aisquare-studio`` lacks, and httpx and httpcore import some of them merely
because they are there (httpx its command line's click, rich and pygments; httpcore and anyio
trio and sniffio), so
every process blocks those first, on both sides, and the report lists anything else that loads
beyond the SDK's own requirements.
"""

from __future__ import annotations

import compileall
import importlib.metadata
import importlib.util
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from packaging.requirements import Requirement

from bench.bodies import API_KEY, BASE_URL, RESPONSE_HEADERS, VIDEO_IDS, published_body
from bench.callgrind import Callgrind


def _dev_only() -> tuple[str, ...]:
    """Packages of the development venv that httpx, httpcore and anyio import if present, less
    those the installed httpx requires (httpx 0.27 needs sniffio)."""
    required = {
        Requirement(line).name
        for line in importlib.metadata.requires("httpx") or []
        if Requirement(line).marker is None
    }
    return tuple(
        name for name in ("click", "rich", "pygments", "trio", "sniffio") if name not in required
    )


DEV_ONLY = _dev_only()
PRELUDE = f"import sys; sys.modules.update(dict.fromkeys({DEV_ONLY!r}))\n"

FIRST_PUBLISH_VIDEO = VIDEO_IDS[3]
# The wheel's own import packages (an editable install does not map them to the distribution).
SDK_MODULES = {"aisquare_studio", "aisquare_studio_api", "aisquare_studio_pytest"}

RAW_FIRST_PUBLISH = """\
import json, sys
import httpx
body = open(sys.argv[1], "rb").read()
transport = httpx.MockTransport(
    lambda request: httpx.Response(200, headers={headers!r}, content=body))
with httpx.Client(base_url={base_url!r}, headers={{"Authorization": "Bearer " + {key!r}}},
                  transport=transport) as client:
    json.loads(client.post("/api/v1/videos/{video}/publish/").content)
"""

SDK_FIRST_PUBLISH = """\
import sys
import httpx
from aisquare_studio import Studio
body = open(sys.argv[1], "rb").read()
transport = httpx.MockTransport(
    lambda request: httpx.Response(200, headers={headers!r}, content=body))
with Studio(api_key={key!r}, base_url={base_url!r}, transport=transport) as studio:
    studio.videos.publish({video})
"""


def _script(template: str) -> str:
    return PRELUDE + template.format(
        headers=RESPONSE_HEADERS, base_url=BASE_URL, key=API_KEY, video=FIRST_PUBLISH_VIDEO
    )


@dataclass(frozen=True)
class Pair:
    """One figure: the SDK's process against its hand-written baseline."""

    name: str
    baseline_name: str
    sdk_name: str
    baseline: str  # a script for python -c
    sdk: str
    goal: float | None


PAIRS = (
    Pair("import", "import httpx", "import aisquare_studio", PRELUDE + "import httpx",
         PRELUDE + "import aisquare_studio", 1.20),
    Pair("first publish", "httpx + json.loads", "Studio", _script(RAW_FIRST_PUBLISH),
         _script(SDK_FIRST_PUBLISH), None),
)  # fmt: skip


@dataclass(frozen=True)
class Figure:
    pair: Pair
    baseline_seconds: float  # medians
    sdk_seconds: float
    ratio: float  # median of per-pair ratios
    baseline_instructions: int | None
    sdk_instructions: int | None

    @property
    def instruction_ratio(self) -> float | None:
        if self.baseline_instructions is None or self.sdk_instructions is None:
            return None
        return self.sdk_instructions / self.baseline_instructions


def compile_sdk() -> None:
    """Write the SDK's bytecode, as pip does when it installs the wheel: in a checkout (or with
    ``PYTHONDONTWRITEBYTECODE`` set) a changed module would otherwise be compiled again in every
    measured process, which no installed user pays, while httpx's was compiled at install."""
    for package in ("aisquare_studio", "aisquare_studio_api"):
        spec = importlib.util.find_spec(package)
        assert spec is not None
        assert spec.submodule_search_locations is not None
        for folder in spec.submodule_search_locations:
            compileall.compile_dir(folder, quiet=1)


def _seconds(script: str, body: Path) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", script, str(body)], check=True)  # noqa: S603
    return time.perf_counter() - started


def wall_clock(runs: int) -> list[tuple[Pair, float, float, float]]:
    """Per pair: median seconds of the baseline and the SDK, and the median per-run ratio."""
    compile_sdk()
    results = []
    with tempfile.TemporaryDirectory() as directory:
        body = Path(directory) / "body.json"
        body.write_bytes(published_body(FIRST_PUBLISH_VIDEO))
        for pair in PAIRS:
            _seconds(pair.baseline, body)  # the first run of each fills the OS's file cache
            _seconds(pair.sdk, body)
            runs_ = []
            for index in range(runs):  # alternate who goes first
                if index % 2:
                    sdk = _seconds(pair.sdk, body)
                    raw = _seconds(pair.baseline, body)
                else:
                    raw = _seconds(pair.baseline, body)
                    sdk = _seconds(pair.sdk, body)
                runs_.append((raw, sdk))
            results.append(
                (
                    pair,
                    statistics.median(raw for raw, _ in runs_),
                    statistics.median(sdk for _, sdk in runs_),
                    statistics.median(sdk / raw for raw, sdk in runs_),
                )
            )
    return results


def instructions(callgrind: Callgrind) -> dict[str, tuple[int, int]]:
    """Per pair name: the instructions of the baseline's whole process and the SDK's."""
    compile_sdk()
    found = {}
    with tempfile.TemporaryDirectory() as directory:
        body = Path(directory) / "body.json"
        body.write_bytes(published_body(FIRST_PUBLISH_VIDEO))
        for pair in PAIRS:
            raw, sdk = (
                callgrind.whole_process([sys.executable, "-c", script, str(body)])
                for script in (pair.baseline, pair.sdk)
            )
            found[pair.name] = (raw, sdk)
    return found


def _runtime_modules() -> set[str]:
    """Top-level modules of aisquare-studio's own requirements, extras left out, and their
    requirements in turn: what a plain install has."""
    wanted, seen = ["aisquare-studio"], set()
    while wanted:
        name = wanted.pop()
        key = name.lower().replace("_", "-")
        if key in seen:
            continue
        seen.add(key)
        for line in importlib.metadata.requires(name) or []:
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                wanted.append(requirement.name)
    return {
        module
        for module, dists in importlib.metadata.packages_distributions().items()
        if any(d.lower().replace("_", "-") in seen for d in dists)
    }


def beyond_plain_install() -> list[str]:
    """Third-party modules the SDK's processes load that a plain install would not have."""
    listing = "\nprint(*sorted({m.partition('.')[0] for m, v in sys.modules.items() if v}))"
    with tempfile.TemporaryDirectory() as directory:
        body = Path(directory) / "body.json"
        body.write_bytes(published_body(FIRST_PUBLISH_VIDEO))
        loaded: set[str] = set()
        for pair in PAIRS:
            done = subprocess.run(  # noqa: S603 - our interpreter
                [sys.executable, "-c", pair.sdk + listing, str(body)],
                check=True,
                capture_output=True,
                text=True,
            )
            loaded |= set(done.stdout.split())
    allowed = _runtime_modules() | set(sys.stdlib_module_names) | SDK_MODULES
    # setuptools' .pth hook loads _distutils_hack in every venv that has setuptools.
    allowed |= {"_distutils_hack", "__main__"}
    return sorted(m for m in loaded if m not in allowed and not m.startswith("_"))
