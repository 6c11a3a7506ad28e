"""Upstream grows a resource: the package generated from tests/spec_variants/studios.yaml (a new
tag with a paginated list, a retrieve by string uid with declared 403/404, a create with a
required body) gets a typed, validated, retried facade, ``studio.gtm_studio``, without any
change to the overlay.

The package is generated into a temporary folder and driven in fresh interpreters with it first
on sys.path: tests/spec_growth/drive.py over loopback (tests/studioserver.py), once per client
kind, and ``mypy --strict`` on the user module tests/spec_growth/studios_user.py.
"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
VARIANT = ROOT / "tests" / "spec_variants" / "studios.yaml"
PACKAGE = "aisquare_studio_api"

pytestmark = pytest.mark.source_tree("generates a package from a spec variant with codegen/")


@pytest.fixture(scope="module")
def variant(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder holding the package generated from the variant."""
    parent = tmp_path_factory.mktemp("studios")
    bin_dir = str(Path(sys.executable).parent)  # the generator's post-hooks run the pinned ruff
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    command = [sys.executable, "-m", "codegen.generate", "--spec", str(VARIANT)]
    generated = subprocess.run(
        [*command, "--output", str(parent / PACKAGE)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert generated.returncode == 0, generated.stdout + generated.stderr
    return parent


def _env(variant: Path) -> dict[str, str]:
    # The variant before the editable install's generated/; the repository for tests.*.
    path = os.pathsep.join([str(variant), str(ROOT)])
    return {**os.environ, "PYTHONPATH": path, "AISQUARE_STUDIO_VARIANT": str(variant)}


@pytest.mark.parametrize("kind", ["sync", "asyncio", "trio"])
def test_the_new_resource_works_end_to_end(variant: Path, kind: str) -> None:
    driven = subprocess.run(
        [sys.executable, "-m", "tests.spec_growth.drive", kind],
        cwd=ROOT,
        env=_env(variant),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert driven.returncode == 0, driven.stdout + driven.stderr
    scenarios = ["typed_results", "broken_body", "declared_errors", "string_ids", "retries"]
    scenarios.append("raw_responses")
    scenarios += ["page_limit", "read_timeout", *(["command_line"] if kind == "sync" else [])]
    for scenario in scenarios:
        assert f"{kind}: {scenario} ok" in driven.stdout, driven.stdout


def test_user_code_calling_the_new_methods_type_checks(variant: Path, tmp_path: Path) -> None:
    (tmp_path / "studios_user.py").write_bytes(
        (ROOT / "tests" / "spec_growth" / "studios_user.py").read_bytes()
    )
    (tmp_path / "mypy.ini").write_text(
        "[mypy]\nstrict = True\nwarn_unreachable = True\n"
        "[mypy-studios_user]\ndisallow_any_expr = True\n",
        encoding="utf-8",
    )
    env = {**os.environ, "MYPYPATH": os.pathsep.join([str(variant), str(ROOT / "overlays")])}
    checked = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--config-file=mypy.ini",
            "--cache-dir=cache",
            "studios_user.py",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_annotations_name_a_builtin_that_a_method_hides() -> None:
    # codegen/ needs the generator, a maintainer dependency, and is not type-checked.
    unshadow = importlib.import_module("codegen.facade").unshadow

    body = (
        "    def list(self, *, status: list[str] | Unset = UNSET) -> Page:\n"
        "        status (list[str] | Unset): the statuses\n"
        "    def create(self, *, tags: dict[str, list[int]]) -> Studio:\n"
    )
    assert unshadow(body, ["list"]) == (
        "    def list(self, *, status: builtins.list[str] | Unset = UNSET) -> Page:\n"
        "        status (list[str] | Unset): the statuses\n"
        "    def create(self, *, tags: dict[str, builtins.list[int]]) -> Studio:\n"
    )
    assert unshadow(body, []) == body
