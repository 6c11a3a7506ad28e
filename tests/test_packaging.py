"""What a user installs: which copy the suite tests, the distribution's metadata and license, the
plugin's effect on a user's own pytest run, the lowest versions allowed, and the sdist."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import tarfile
import textwrap
from importlib import metadata
from pathlib import Path
from types import ModuleType

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

import aisquare_studio
import aisquare_studio_api
import aisquare_studio_pytest
from tests.installed import INSTALLED, LOWEST

ROOT = Path(__file__).resolve().parent.parent
DISTRIBUTION = "aisquare-studio"
PACKAGES = [aisquare_studio, aisquare_studio_api, aisquare_studio_pytest]


def package_dir(package: ModuleType) -> Path:
    assert package.__file__ is not None
    return Path(package.__file__).resolve().parent


def test_the_suite_tests_the_copy_it_says_it_tests() -> None:
    found = {package.__name__: package_dir(package) for package in PACKAGES}
    if INSTALLED:
        site_packages = Path(sysconfig.get_paths()["purelib"]).resolve()
        expected = {name: site_packages / name for name in found}
    else:
        expected = {
            "aisquare_studio": ROOT / "overlays" / "aisquare_studio",
            "aisquare_studio_api": ROOT / "generated" / "aisquare_studio_api",
            "aisquare_studio_pytest": ROOT / "overlays" / "aisquare_studio_pytest",
        }
    assert found == expected, "set AISQUARE_STUDIO_TEST_INSTALLED=1 to test an installed wheel"


def test_the_metadata_says_what_a_release_needs() -> None:
    meta = metadata.metadata(DISTRIBUTION)
    classifiers = meta.get_all("Classifier") or []
    assert meta["License-Expression"] == "MIT"
    assert "Typing :: Typed" in classifiers
    for version in ("3.11", "3.12", "3.13"):
        assert f"Programming Language :: Python :: {version}" in classifiers
    assert meta["Requires-Python"] == ">=3.11"
    assert "Documentation, https://docs.aisquare.studio" in (meta.get_all("Project-URL") or [])
    # Development tools are dependency groups: no extra imposes exact-pinned tools on users.
    assert meta.get_all("Provides-Extra") == ["aiohttp", "fast", "otel"]
    requirements = [Requirement(line) for line in metadata.requires(DISTRIBUTION) or []]
    always = {requirement.name for requirement in requirements if requirement.marker is None}
    assert always == {"httpx", "attrs", "anyio", "msgspec"}
    by_extra = {
        extra: {r.name for r in requirements if r.marker and r.marker.evaluate({"extra": extra})}
        for extra in ("aiohttp", "fast", "otel")
    }
    # `fast` stays so requirement lines naming it install; the default install is the fast one.
    assert by_extra == {
        "aiohttp": {"httpx-aiohttp", "aiohttp"},
        "fast": set(),
        "otel": {"opentelemetry-api"},
    }


def test_the_mit_license_comes_with_the_distribution() -> None:
    meta = metadata.metadata(DISTRIBUTION)
    assert meta.get_all("License-File") == ["LICENSE"]
    text = metadata.distribution(DISTRIBUTION).read_text("licenses/LICENSE")
    assert text is not None
    assert text.startswith("MIT License\n")


def test_a_users_pytest_run_leaves_the_sdk_namespaces_as_written(tmp_path: Path) -> None:
    # pytest marks every module of a distribution with a pytest11 plugin for assertion rewriting,
    # which adds `@py_builtins` and `@pytest_ar` to each namespace it rewrites. A user's own run
    # loads the plugin from the installed wheel (an editable install marks only the plugin).
    (tmp_path / "test_user.py").write_text(
        textwrap.dedent(
            """
            import aisquare_studio
            import aisquare_studio.sandbox
            import aisquare_studio.testing


            def test_namespaces():
                modules = [aisquare_studio, aisquare_studio.sandbox, aisquare_studio.testing]
                leaked = {m.__name__: [n for n in vars(m) if n.startswith("@")] for m in modules}
                assert leaked == {m.__name__: [] for m in modules}
            """
        )
    )
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_user.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout


@pytest.mark.skipif(not LOWEST, reason="checks the versions installed by make test-lowest")
def test_the_lowest_run_installs_the_lowest_versions_allowed() -> None:
    floors = {}
    for line in metadata.requires(DISTRIBUTION) or []:
        requirement = Requirement(line)
        if requirement.marker is None:  # the extras are optional
            lowest = [spec.version for spec in requirement.specifier if spec.operator == ">="]
            floors[requirement.name] = Version(lowest[0])
    installed = {name: Version(metadata.version(name)) for name in floors}
    assert installed == floors
    assert set(floors) == {"httpx", "attrs", "anyio", "msgspec"}


@pytest.mark.source_tree("builds the sdist from the repository")
def test_the_sdist_carries_what_a_distributor_needs_to_run_the_tests(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "build", "--sdist", "--no-isolation", "--outdir", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        check=True,
        timeout=120,
    )
    [sdist] = tmp_path.glob("*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = {name.partition("/")[2] for name in archive.getnames()}
    needed = {
        "LICENSE",
        "README.md",
        "CONTRIBUTING.md",
        "docs/testing.md",
        "mkdocs.yml",
        "pyproject.toml",
        "openapi.yaml",
        "requirements/test.txt",
        "tests/conftest.py",
        "tests/spec_variants/minor.yaml",
        "tests/fixtures/publish-create-reference-page.txt",
        "examples/demo.py",
        "examples/fastapi_service/test_app.py",
        "tools/update_spec.py",
        "bench/run.py",
        "overlays/aisquare_studio/py.typed",
    }
    assert needed <= names, sorted(needed - names)
    assert not {name for name in names if name.startswith((".ci/", ".venv/", ".installed/"))}
