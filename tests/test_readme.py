"""Every Python block in the README runs, against a sandbox served on loopback."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from aisquare_studio.sandbox import SANDBOX_API_KEY

README = Path(__file__).resolve().parent.parent / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(), re.S)


def test_the_readme_has_examples() -> None:
    assert len(BLOCKS) >= 6


@pytest.mark.parametrize("source", BLOCKS, ids=[f"block-{n}" for n in range(len(BLOCKS))])
def test_readme_block_runs(source: str, sandbox_url: str) -> None:
    env = {**os.environ, "AISQUARE_API_KEY": SANDBOX_API_KEY, "AISQUARE_BASE_URL": sandbox_url}
    result = subprocess.run(
        [sys.executable, "-c", source],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip(), "every example prints what it shows"
    assert SANDBOX_API_KEY not in result.stdout + result.stderr
