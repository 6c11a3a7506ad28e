"""``make demo`` runs examples/demo.py: it must keep working and keep telling the truth."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

DEMO = Path(__file__).resolve().parent.parent / "examples" / "demo.py"


def test_demo_publishes_the_drafts_retries_one_and_reports_the_missing_id() -> None:
    result = subprocess.run(
        [sys.executable, str(DEMO)], capture_output=True, text=True, timeout=60, check=False
    )

    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.count("  ok     ") == 5
    assert "published  (2 attempts)" in out
    assert "Retrying POST /api/v1/videos/" in out
    assert "after HTTP 503" in out
    assert "NotFoundError: HTTP 404 Not Found: No Video matches the given query." in out
    assert "5 published, 1 failed, 7 HTTP requests" in out
    assert result.stderr == ""
