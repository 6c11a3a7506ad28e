"""Every Python block in the README runs, against a sandbox served on loopback.

A block whose first line names a file is checked instead: ``# test_something.py`` is a test
module, run with pytest as a user would (the testing kit comes from the installed plugin), and
``# examples/...`` must appear verbatim in that file, whose own tests run with the suite.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from aisquare_studio.sandbox import SANDBOX_API_KEY

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(), re.S)
NAMED = re.compile(r"# (?P<path>[\w/]+\.py)\b[^\n]*\n")


def kind_of(source: str) -> str:
    match = NAMED.match(source)
    if match is None:
        return "script"
    return "excerpt" if "/" in match["path"] else "test module"


def test_the_readme_has_examples() -> None:
    kinds = [kind_of(source) for source in BLOCKS]
    assert kinds.count("script") >= 6
    assert kinds.count("test module") >= 1
    assert kinds.count("excerpt") >= 2


@pytest.mark.parametrize("source", BLOCKS, ids=[f"block-{n}" for n in range(len(BLOCKS))])
def test_readme_block_runs(source: str, sandbox_url: str, tmp_path: Path) -> None:
    match = NAMED.match(source)
    if match is not None and "/" in match["path"]:
        excerpt = source[match.end() :]
        assert excerpt in (ROOT / match["path"]).read_text(), f"README differs from {match[1]}"
        return
    env = {**os.environ, "AISQUARE_API_KEY": SANDBOX_API_KEY, "AISQUARE_BASE_URL": sandbox_url}
    if match is None:
        command = [sys.executable, "-c", source]
    else:
        (tmp_path / match["path"]).write_text(source)
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", match["path"]]
    result = subprocess.run(
        command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip(), "every example prints what it shows"
    assert SANDBOX_API_KEY not in result.stdout + result.stderr
