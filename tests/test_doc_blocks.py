"""Every Python block of the README, CONTRIBUTING.md and the docs site runs, against a sandbox
served on loopback; see ``tools/doc_blocks.py`` for the kinds of block and their markers.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from aisquare_studio.sandbox import SANDBOX_API_KEY
from tools.doc_blocks import ROOT, Block, all_blocks, blocks_of, documents

BLOCKS = all_blocks()
RUN = [block for block in BLOCKS if block.kind in ("script", "test module")]
ENV = ("AISQUARE_API_KEY", "AISQUARE_BASE_URL")


def run(block: Block, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    if block.kind == "script":
        command = [sys.executable, "-c", block.source]
    else:
        assert block.path is not None
        (cwd / block.path).write_text(block.source)
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", block.path]
    return subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=60, check=False
    )


def test_the_docs_have_examples() -> None:
    readme = [block.kind for block in blocks_of(ROOT / "README.md")]
    assert readme.count("script") >= 5
    assert readme.count("test module") >= 1
    pages = {block.document for block in RUN}
    assert len(pages) >= 8, sorted(map(str, pages))
    assert any(block.kind == "include" for block in BLOCKS)


@pytest.mark.parametrize("block", RUN, ids=[block.id for block in RUN])
def test_block_runs(block: Block, sandbox_url: str, tmp_path: Path) -> None:
    env = {**os.environ, "AISQUARE_API_KEY": SANDBOX_API_KEY, "AISQUARE_BASE_URL": sandbox_url}
    result = run(block, env, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip(), "every example prints what it shows"
    assert SANDBOX_API_KEY not in result.stdout + result.stderr


def test_the_readmes_first_call_needs_no_key(tmp_path: Path) -> None:
    first = next(block for block in blocks_of(ROOT / "README.md") if block.kind == "script")
    env = {name: value for name, value in os.environ.items() if name not in ENV}
    result = run(first, env, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip()


INCLUDES = [block for block in BLOCKS if block.kind == "include"]


@pytest.mark.parametrize("block", INCLUDES, ids=[block.id for block in INCLUDES])
def test_an_included_file_exists_and_is_tested(block: Block) -> None:
    assert block.path is not None
    path = ROOT / block.path
    assert path.is_file(), f"{block.id} includes {block.path}, which does not exist"
    # examples/ and tests/ are the suite's test paths: what is included there is run there.
    assert block.path.startswith(("examples/", "tests/")), f"{block.id}: {block.path} is not tested"


NOT_RUN = [block for block in BLOCKS if block.kind == "not run"]


@pytest.mark.parametrize("block", NOT_RUN, ids=[block.id for block in NOT_RUN])
def test_a_block_that_does_not_run_says_why(block: Block) -> None:
    reason = block.source.splitlines()[0].removeprefix("# not run:").strip()
    assert len(reason.split()) >= 3, f"{block.id}: say why it does not run"


@pytest.mark.parametrize("name", ["README.md", "CONTRIBUTING.md"])
def test_a_relative_link_leads_to_a_file(name: str) -> None:
    # The site's own links are checked by `mkdocs build --strict`; these two are not in the site.
    text = (ROOT / name).read_text()
    targets = re.findall(r"\]\(((?!https?:|#)[^)#\s]+)", text)
    assert targets or name == "CONTRIBUTING.md"
    missing = [target for target in targets if not (ROOT / target).exists()]
    assert not missing, f"{name} links to files that do not exist: {missing}"


def test_every_python_block_is_fenced_as_python() -> None:
    # Only ```python blocks are run: another spelling would be shown and silently never tried.
    for document in documents():
        text = document.read_text()
        other = re.findall(r"^ *```\s*(py|py3|python3|pycon|ipython)\b", text, re.M | re.I)
        assert not other, f"{document.name}: fence as ```python (or mark it # not run: ...)"
        assert text.count("```python") == len(blocks_of(document)), document.name
