"""The Python blocks of the written docs (README.md, CONTRIBUTING.md, docs/), as ``make test``
runs them and ``make typecheck-user`` checks them.

A block's first line says what it is:

- nothing special: a script, run against a sandbox with ``AISQUARE_API_KEY`` and
  ``AISQUARE_BASE_URL`` set for it;
- ``# test_something.py``: a test module, run with pytest as a user would;
- ``# not run: <reason>``: shown only, never run; the reason is required;

and a block that is only ``--8<-- "path"`` includes that file when the site is built
(pymdownx.snippets), so it cannot drift from it.

    python tools/doc_blocks.py OUT_DIR    # write the scripts and test modules to OUT_DIR
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FENCE = re.compile(r"^```python\n(.*?)^```", re.S | re.M)
NAMED = re.compile(r"# (?P<path>test_\w+\.py)\b[^\n]*\n")
NOT_RUN = re.compile(r"# not run: (?P<reason>\S[^\n]*)\n")
INCLUDE = re.compile(r'--8<-- "(?P<path>[^"]+)"')


@dataclass(frozen=True)
class Block:
    """One fenced Python block: where it is, what kind, and its text."""

    document: Path  # relative to the repository
    line: int  # of the opening fence, 1-based
    kind: str  # "script", "test module", "include" or "not run"
    source: str
    path: str | None = None  # the file a test module or an include names

    @property
    def id(self) -> str:
        return f"{self.document}:{self.line}"


def documents(root: Path = ROOT) -> list[Path]:
    """The written docs whose blocks run: the README, CONTRIBUTING.md and every page of the site."""
    pages = sorted((root / "docs").rglob("*.md"))
    return [root / "README.md", root / "CONTRIBUTING.md", *pages]


def blocks_of(document: Path, root: Path = ROOT) -> list[Block]:
    """The Python blocks of ``document``, in order."""
    text = document.read_text(encoding="utf-8")
    relative = document.relative_to(root)
    found = []
    for fence in FENCE.finditer(text):
        source = fence[1]
        line = text.count("\n", 0, fence.start()) + 1
        if (include := INCLUDE.fullmatch(source.strip())) is not None:
            found.append(Block(relative, line, "include", source, include["path"]))
        elif NOT_RUN.match(source) is not None:
            found.append(Block(relative, line, "not run", source))
        elif (named := NAMED.match(source)) is not None:
            found.append(Block(relative, line, "test module", source, named["path"]))
        else:
            found.append(Block(relative, line, "script", source))
    return found


def all_blocks(root: Path = ROOT) -> list[Block]:
    """Every Python block of every document, in order."""
    return [block for document in documents(root) for block in blocks_of(document, root)]


def write_blocks(out: Path, root: Path = ROOT) -> list[Path]:
    """Each script and test module as its own module in ``out``; returns the files written."""
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for block in all_blocks(root):
        if block.kind == "test module":
            assert block.path is not None
            name = block.path
        elif block.kind == "script":
            stem = re.sub(r"\W", "_", str(block.document.with_suffix("")))
            name = f"{stem}_line_{block.line}.py".lower()
        else:
            continue
        path = out / name
        if path in written:
            raise SystemExit(f"{block.id}: a second test module named {name}")
        path.write_text(block.source, encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python tools/doc_blocks.py OUT_DIR", file=sys.stderr)
        return 2
    for path in write_blocks(Path(argv[0])):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
