"""Write the README's runnable Python blocks to files, for ``make typecheck-user`` to check.

The blocks are those ``tests/test_readme.py`` runs: a script, or a test module when its first
line names one (``# test_publishing.py``). A block that quotes a file (``# examples/...``) is
skipped here, since that file is type-checked where it lives.

    python tools/readme_blocks.py README.md OUT_DIR
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

BLOCK = re.compile(r"```python\n(.*?)```", re.S)
NAMED = re.compile(r"# (?P<path>[\w/]+\.py)\b[^\n]*\n")


def write_blocks(readme: Path, out: Path) -> list[Path]:
    """Each runnable block as its own module in ``out``; returns the files written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for number, source in enumerate(BLOCK.findall(readme.read_text(encoding="utf-8"))):
        match = NAMED.match(source)
        if match is not None and "/" in match["path"]:
            continue
        name = match["path"] if match is not None else f"readme_block_{number}.py"
        path = out / name
        path.write_text(source, encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python tools/readme_blocks.py README.md OUT_DIR", file=sys.stderr)
        return 2
    for path in write_blocks(Path(argv[0]), Path(argv[1])):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
