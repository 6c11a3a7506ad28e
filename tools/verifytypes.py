"""``pyright --verifytypes`` on installed packages: how much of each public API has a known type.

Prints each package's score and the symbols that make it less than 100%, and fails when a score
drops below its floor. Types that come from other packages (httpx's) are not counted against
ours (``--ignoreexternal``). pyright finds the packages through the ``python`` first on PATH.

    python tools/verifytypes.py PYRIGHT PACKAGE=FLOOR [PACKAGE=FLOOR ...]
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

USAGE = "usage: python tools/verifytypes.py PYRIGHT PACKAGE=FLOOR [PACKAGE=FLOOR ...]"


def verify(pyright: str, package: str) -> dict[str, Any]:
    """pyright's typeCompleteness report for ``package`` (pyright exits 1 below 100%)."""
    result = subprocess.run(
        [pyright, "--verifytypes", package, "--ignoreexternal", "--outputjson"],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    if result.returncode not in (0, 1) or not result.stdout:
        raise SystemExit(f"pyright failed on {package}:\n{result.stdout}{result.stderr}")
    report: dict[str, Any] = json.loads(result.stdout)["typeCompleteness"]
    if not report.get("pyTypedPath"):
        report["completenessScore"] = 0.0  # no py.typed: pyright reads nothing of the package
    return report


def describe(package: str, report: dict[str, Any], floor: float) -> list[str]:
    counts = report.get("exportedSymbolCounts", {})
    score = 100 * report["completenessScore"]
    lines = [
        f"{package}: {score:.1f}% of the public API has a known type "
        f"({counts.get('withKnownType', 0)} exported symbols known, "
        f"{counts.get('withAmbiguousType', 0)} ambiguous, "
        f"{counts.get('withUnknownType', 0)} unknown; floor {floor:g}%)"
    ]
    if not report.get("pyTypedPath"):
        lines.append("  no py.typed marker")
    for symbol in report.get("symbols", []):
        for diagnostic in symbol.get("diagnostics", []):
            if diagnostic.get("severity") == "error":
                message = diagnostic["message"].splitlines()[0]
                lines.append(f"  {symbol['name']}: {message}")
    return lines


def main(argv: list[str]) -> int:
    if len(argv) < 2 or not all("=" in arg for arg in argv[1:]):
        print(USAGE, file=sys.stderr)
        return 2
    pyright, failed = argv[0], []
    for arg in argv[1:]:
        package, _, floor_text = arg.partition("=")
        floor = float(floor_text)
        report = verify(pyright, package)
        print("\n".join(describe(package, report, floor)))
        if 100 * report["completenessScore"] < floor:
            failed.append(package)
    if failed:
        print(f"verifytypes: below the floor: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
