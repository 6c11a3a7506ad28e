"""tools/update_spec.py: wire and Python API comparisons, the verdict, the changelog, end to end."""

from __future__ import annotations

import copy
import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

import aisquare_studio_api
from tools.update_spec import (
    Change,
    Level,
    api_changes,
    api_surface,
    changelog_entry,
    current_version,
    facade_changes,
    facade_methods,
    next_version,
    prepend_entry,
    verdict,
    wire_changes,
)

ROOT = Path(__file__).resolve().parents[1]
VARIANTS = Path(__file__).parent / "spec_variants"
PUBLISH = "/api/v1/videos/{video_id}/publish/"


BASE = VARIANTS / "base.yaml"  # the spec the variants change: openapi.yaml at 1.0.0


def base_spec() -> dict[str, Any]:
    spec: dict[str, Any] = yaml.safe_load(BASE.read_text(encoding="utf-8"))
    return spec


def edited(*edits: str) -> dict[str, Any]:
    """openapi.yaml with named edits applied: each is one realistic upstream change."""
    spec = copy.deepcopy(base_spec())
    schemas = spec["components"]["schemas"]
    video, operation = schemas["VideoDetail"], spec["paths"][PUBLISH]["post"]
    for edit in edits:
        if edit == "new enum value":
            schemas["GlobalVisibilityEnum"]["enum"].append("unlisted")
        elif edit == "removed enum value":
            schemas["GlobalVisibilityEnum"]["enum"].remove("team")
        elif edit == "new optional field":
            video["properties"]["language"] = {"type": ["string", "null"]}
        elif edit == "new required field":
            video["properties"]["language"] = {"type": "string"}
            video["required"].append("language")
        elif edit == "removed field":
            del video["properties"]["metrics"]
            video["required"].remove("metrics")
        elif edit == "field now required":
            video["required"].append("is_draft")
        elif edit == "field now optional":
            video["required"].remove("title")
        elif edit == "field now nullable":
            video["properties"]["title"]["type"] = ["string", "null"]
        elif edit == "type change":
            video["properties"]["metrics"] = {"type": "object"}
        elif edit == "format change":
            video["properties"]["uid"]["format"] = "uri"
        elif edit == "new endpoint":
            spec["paths"]["/api/v1/videos/{video_id}/"] = {"get": copy.deepcopy(operation)}
        elif edit == "removed endpoint":
            del spec["paths"][PUBLISH]
        elif edit == "new optional parameter":
            operation["parameters"].append({"name": "notify", "in": "query", "schema": {}})
        elif edit == "new required parameter":
            operation["parameters"].append({"name": "notify", "in": "query", "required": True})
        elif edit == "body now required":
            operation["requestBody"]["required"] = True
        elif edit == "constraint":
            video["properties"]["title"]["maxLength"] = 255
        elif edit == "description":
            video["properties"]["is_draft"]["description"] = "True until the video is published"
            operation["summary"] = "Publish a video"
        else:  # pragma: no cover - a typo in a table below
            raise AssertionError(edit)
    return spec


@pytest.mark.parametrize(
    ("edit", "level", "where", "says"),
    [
        ("new enum value", Level.MINOR, "GlobalVisibilityEnum", "forward-compatible enums"),
        ("new optional field", Level.MINOR, "VideoDetail.language", "new optional field"),
        ("new endpoint", Level.MINOR, "GET /api/v1/videos/{video_id}/", "new endpoint"),
        ("new optional parameter", Level.MINOR, f"POST {PUBLISH}", "optional query parameter"),
        ("description", Level.PATCH, "VideoDetail.is_draft", "description changed"),
        ("removed enum value", Level.MAJOR, "GlobalVisibilityEnum", "'team' removed"),
        ("removed field", Level.MAJOR, "VideoDetail.metrics", "field removed"),
        ("removed endpoint", Level.MAJOR, f"POST {PUBLISH}", "endpoint removed"),
        ("new required field", Level.MAJOR, "VideoDetail.language", "required in requests"),
        ("field now required", Level.MAJOR, "VideoDetail.is_draft", "now required in requests"),
        ("field now optional", Level.MAJOR, "VideoDetail.title", "relies on it"),
        ("field now nullable", Level.MAJOR, "VideoDetail.title", "may now be null"),
        ("type change", Level.MAJOR, "VideoDetail.metrics", "type string -> object"),
        ("format change", Level.MAJOR, "VideoDetail.uid", "string (uuid) -> string (uri)"),
        ("new required parameter", Level.MAJOR, f"POST {PUBLISH}", "required query parameter"),
        ("body now required", Level.MAJOR, f"POST {PUBLISH}", "request body now required"),
        ("constraint", Level.MAJOR, "VideoDetail.title", "`maxLength` None -> 255"),
    ],
)
def test_each_wire_change_is_found_and_judged(
    edit: str, level: Level, where: str, says: str
) -> None:
    changes = wire_changes(base_spec(), edited(edit))
    matching = [c for c in changes if c.where == where and says in c.what]
    assert matching, changes
    assert verdict(changes) is level


def test_identical_specs_have_no_changes() -> None:
    assert wire_changes(base_spec(), base_spec()) == []
    assert verdict([]) is Level.NONE


def test_the_realistic_update_is_minor_and_lists_each_change() -> None:
    changes = wire_changes(
        base_spec(), edited("new enum value", "new optional field", "new endpoint")
    )
    assert [c.level for c in changes] == [Level.MINOR] * 3
    assert verdict(changes) is Level.MINOR


def test_a_response_only_schema_may_gain_required_fields() -> None:
    # A schema clients only read: a new always-present field cannot break them, an absent one can.
    old = edited()
    old["paths"][PUBLISH]["post"].pop("requestBody")
    new = copy.deepcopy(old)
    new["components"]["schemas"]["VideoDetail"]["properties"]["language"] = {"type": "string"}
    new["components"]["schemas"]["VideoDetail"]["required"].append("language")
    assert verdict(wire_changes(old, new)) is Level.MINOR
    assert verdict(wire_changes(new, old)) is Level.MAJOR


def test_a_request_only_schema_may_become_nullable() -> None:
    old = edited()
    old["paths"][PUBLISH]["post"]["responses"]["200"]["content"]["application/json"] = {
        "schema": {"type": "object"}
    }
    new = copy.deepcopy(old)
    new["components"]["schemas"]["VideoDetail"]["properties"]["title"]["type"] = [
        "string",
        "null",
    ]
    assert [c.what for c in wire_changes(old, new)] == ["now accepts null"]
    assert verdict(wire_changes(new, old)) is Level.MAJOR  # no longer accepts null


FUNCTION = "function (positional or keyword video_id: int, keyword-only client: Client) -> R"


@pytest.mark.parametrize(
    ("old", "new", "level", "says"),
    [
        (
            {},
            {"m.Video": "class", "m.Video.x": "attribute: str | Unset = UNSET"},
            Level.MINOR,
            "new",
        ),
        (
            {"m.Video": "class"},
            {"m.Video": "class", "m.Video.x": "attribute: str"},
            Level.MAJOR,
            "constructor needs it",
        ),
        (  # the clients carry a new resource: nothing for a user to pass
            {"aisquare_studio_api.api.SyncResources": "class"},
            {
                "aisquare_studio_api.api.SyncResources": "class",
                "aisquare_studio_api.api.SyncResources.publications": "attribute: Publications",
            },
            Level.MINOR,
            "new resource",
        ),
        (
            {"m.Video": "class", "m.Video.x": "attribute: str"},
            {"m.Video": "class"},
            Level.MAJOR,
            "removed",
        ),
        (
            {"m.Video": "class", "m.Video.x": "attribute: bool | Unset = UNSET"},
            {"m.Video": "class", "m.Video.x": "attribute: bool"},
            Level.MAJOR,
            "-> attribute: bool",
        ),
        (
            {"m.E": "class"},
            {"m.E": "class", "m.E.QUEUED": "attribute = 'queued'"},
            Level.MINOR,
            "new",
        ),
        (
            {"m.f": FUNCTION},
            {"m.f": FUNCTION.replace(") ->", ", keyword-only notify: bool = UNSET) ->")},
            Level.MINOR,
            "notify",
        ),
        (
            {"m.f": FUNCTION},
            {"m.f": FUNCTION.replace(") ->", ", keyword-only notify: bool) ->")},
            Level.MAJOR,
            "notify",
        ),
        ({"m.f": FUNCTION}, {"m.f": FUNCTION.replace("-> R", "-> S")}, Level.MAJOR, "-> S"),
        (
            {"m.f": FUNCTION},
            {"m.f": FUNCTION.replace("video_id: int", "video_id: str")},
            Level.MAJOR,
            "video_id: str",
        ),
    ],
)
def test_python_api_changes_are_judged(
    old: dict[str, str], new: dict[str, str], level: Level, says: str
) -> None:
    changes = api_changes(old, new)
    assert verdict(changes) is level
    assert any(says in change.what for change in changes), changes


def test_a_removed_module_is_reported_once() -> None:
    old = {"api.retrieve": "module", "api.retrieve.sync": FUNCTION}
    assert [c.where for c in api_changes(old, {})] == ["api.retrieve"]


def test_the_generated_package_surface_is_read_statically() -> None:
    # generated/ in the source tree; site-packages when the suite tests the installed wheel.
    surface = api_surface(Path(aisquare_studio_api.__file__).parent.parent)
    video = "aisquare_studio_api.models.video_detail.VideoDetail"
    assert surface[video] == "class"
    assert surface[f"{video}.title"] == "attribute: str"
    assert surface["aisquare_studio_api.models.VideoDetail"] == f"import of {video}"
    sync = surface["aisquare_studio_api.api.subpackage_videos.publish_create.sync_detailed"]
    assert sync.startswith("function (positional or keyword video_id: int, keyword-only client")
    assert not any(".cast" in path or "._" in path for path in surface)


@pytest.mark.parametrize(
    ("current", "level", "expected"),
    [
        ("0.1.0", Level.MAJOR, "1.0.0"),
        ("0.1.0", Level.MINOR, "0.2.0"),
        ("0.1.3", Level.PATCH, "0.1.4"),
        ("1.4.2", Level.MINOR, "1.5.0"),
        ("1.4.2", Level.NONE, "1.4.2"),
    ],
)
def test_next_version(current: str, level: Level, expected: str) -> None:
    assert next_version(current, level) == expected


def test_changelog_entry_comes_first_and_says_why() -> None:
    wire = [Change("VideoDetail.metrics", "field removed", Level.MAJOR)]
    api = [Change("m.VideoDetail.metrics", "removed (attribute: str)", Level.MAJOR)]
    entry = changelog_entry(wire, api, "0.1.0", ("1.0.0", "2.0.0"), dt.date(2026, 11, 26))
    assert entry.splitlines()[0] == "## 1.0.0 - 2026-11-26"
    assert "BREAKING for SDK users: major release, 0.1.0 -> 1.0.0" in entry
    assert "- **BREAKING** `VideoDetail.metrics`: field removed" in entry
    old = "# Changelog\n\n## 0.1.0 - 2026-11-20\n\nFirst release.\n"
    updated = prepend_entry(old, entry)
    assert updated.startswith("# Changelog\n\n## 1.0.0 - 2026-11-26\n")
    assert updated.endswith("## 0.1.0 - 2026-11-20\n\nFirst release.\n")


# --- end to end: the whole command on a copy of the repository -------------------------------

COPIED = [
    "Makefile",
    "openapi.yaml",
    "generator-config.yml",
    "pyproject.toml",
    "requirements",
    "CHANGELOG.md",
    "codegen",
    "generated",
    "overlays",
    "tests",
]


API = "aisquare_studio_api.api"
SIGNATURE = "function (positional or keyword self: None, positional or keyword video_id: int)"


def test_facade_methods_follow_the_resources_a_client_carries() -> None:
    surface = {
        f"{API}.SyncResources": "class",
        f"{API}.SyncResources.videos": "attribute: Videos",
        f"{API}.AsyncResources.videos": "attribute: AsyncVideos",
        f"{API}.subpackage_videos.Videos": "class",
        f"{API}.subpackage_videos.Videos.publish": f"{SIGNATURE} -> VideoDetail",
        f"{API}.subpackage_videos.AsyncVideos": "class",
        f"{API}.subpackage_videos.AsyncVideos.publish": f"{SIGNATURE} -> VideoDetail",
        f"{API}.subpackage_videos.publish_create.sync": f"{SIGNATURE} -> VideoDetail",
    }
    assert facade_methods(surface) == {"videos.publish": f"{SIGNATURE} -> VideoDetail"}
    # The package this suite imports: its facade, read statically.
    real = facade_methods(api_surface(Path(aisquare_studio_api.__file__).parents[1]))
    assert real["videos.publish"].endswith(" -> VideoDetail")


def test_facade_changes_name_new_removed_and_changed_methods() -> None:
    old = {"videos.publish": f"{SIGNATURE} -> VideoDetail", "videos.gone": f"{SIGNATURE} -> None"}
    new = {
        "videos.publish": f"{SIGNATURE[:-1]}, keyword-only notify: bool = False) -> VideoDetail",
        "videos.retrieve": f"{SIGNATURE} -> VideoDetail",
    }
    assert [change.line() for change in facade_changes(old, new)] == [
        "BREAKING  videos.gone: method removed",
        "   minor  videos.publish: signature changed: + keyword-only notify: bool = False",
        "   minor  videos.retrieve: new method: studio.videos.retrieve(video_id: int)"
        " -> VideoDetail",
    ]
    renamed = {"videos.publish": f"{SIGNATURE} -> VideoSummary"}
    (change,) = facade_changes({"videos.publish": f"{SIGNATURE} -> VideoDetail"}, renamed)
    assert change.level is Level.MAJOR
    assert change.what == "signature changed: returns VideoDetail -> VideoSummary"


# The end-to-end tests regenerate the package in a copy of the repository.
END_TO_END = pytest.mark.source_tree("regenerates generated/ in a copy of the repository")


@pytest.fixture
def repo_copy(tmp_path: Path) -> Path:
    """The parts of the repository that generation and the tests read; nothing is shared."""
    root = tmp_path / "repo"
    root.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, root / name, ignore=ignore)
        elif source.exists():
            shutil.copy2(source, root / name)
    # After a real `make update-spec` this checkout holds a newer spec: start the copy from the
    # one the variants change, with its package.
    base = "".join(
        line
        for line in BASE.read_text(encoding="utf-8").splitlines(keepends=True)
        if not line.startswith("#")
    )
    if (root / "openapi.yaml").read_text(encoding="utf-8") != base:
        (root / "openapi.yaml").write_text(base, encoding="utf-8")
        make = ["make", "-s", "-o", ".venv/.installed", f"BIN={Path(sys.executable).parent}"]
        subprocess.run([*make, "generate"], cwd=root, check=True, capture_output=True)
    return root


def update_spec(root: Path, variant: str, *tests: str) -> subprocess.CompletedProcess[str]:
    """Run the tool on ``root`` with ``variant``, checking with pytest on ``tests``."""
    pytest_run = f"{sys.executable} -m pytest -q -p no:xdist -p no:cacheprovider {' '.join(tests)}"
    return run_update_spec(root, variant, check=pytest_run)


def run_update_spec(root: Path, variant: str, *, check: str) -> subprocess.CompletedProcess[str]:
    venv_bin = Path(sys.executable).parent
    # The shared venv installs this checkout in editable mode: put the copy's packages first,
    # and tell make the venv is ready (-o) so it neither rebuilds it nor touches this checkout.
    env = {**os.environ, "PYTHONPATH": f"{root / 'overlays'}{os.pathsep}{root / 'generated'}"}
    command = [
        sys.executable,
        str(ROOT / "tools" / "update_spec.py"),
        str(VARIANTS / variant),
        "--root",
        str(root),
        "--make",
        f"make -s -o .venv/.installed BIN={venv_bin}",
        "--check",
        check,
    ]
    return subprocess.run(
        command, cwd=root, env=env, capture_output=True, text=True, timeout=300, check=False
    )


@END_TO_END
def test_a_realistic_spec_update_is_minor_and_the_overlay_still_passes(repo_copy: Path) -> None:
    current = current_version(repo_copy)
    result = update_spec(
        repo_copy, "minor.yaml", "tests/test_client.py", "tests/test_validation.py"
    )
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-5000:]
    assert f"not breaking for SDK users: minor release, {current} -> " in result.stdout
    assert "VideoDetail.language: new optional field" in result.stdout
    assert "GET /api/v1/videos/{video_id}/: new endpoint" in result.stdout
    assert "new enum value 'cancelled'" in result.stdout
    facade = "videos.retrieve: new method: studio.videos.retrieve(video_id: int) -> VideoDetail"
    assert f"   minor  {facade}" in result.stdout
    assert " passed" in result.stdout  # the overlay's tests ran against the regenerated package
    assert (repo_copy / "openapi.yaml").read_bytes() == (VARIANTS / "minor.yaml").read_bytes()
    changelog = (repo_copy / "CHANGELOG.md").read_text(encoding="utf-8")
    assert changelog.startswith(f"# Changelog\n\n## {next_version(current, Level.MINOR)} - ")

    imports = (
        "from aisquare_studio_api.api.subpackage_videos import retrieve\n"
        "from aisquare_studio_api.models import GlobalCreationStatusEnum, VideoDetail\n"
        "assert GlobalCreationStatusEnum('cancelled').value == 'cancelled'\n"
        "assert 'language' in VideoDetail.__annotations__\n"
        "print(retrieve.__file__)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(repo_copy / "generated")}
    imported = subprocess.run(
        [sys.executable, "-c", imports], env=env, capture_output=True, text=True, check=True
    )
    assert imported.stdout.startswith(str(repo_copy))


@END_TO_END
def test_a_removed_field_and_a_newly_required_request_field_are_breaking(
    repo_copy: Path,
) -> None:
    current = current_version(repo_copy)
    result = update_spec(repo_copy, "breaking.yaml", "tests/test_validation.py")
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-5000:]
    assert f"BREAKING for SDK users: major release, {current} -> " in result.stdout
    assert "BREAKING  VideoDetail.metrics: field removed" in result.stdout
    assert "BREAKING  VideoDetail.is_draft: now required in requests" in result.stdout
    assert "VideoDetail.metrics: removed (attribute: str)" in result.stdout
    changelog = (repo_copy / "CHANGELOG.md").read_text(encoding="utf-8")
    assert changelog.startswith(f"# Changelog\n\n## {next_version(current, Level.MAJOR)} - ")


@END_TO_END
def test_a_rerun_after_failed_checks_still_reports_against_the_committed_spec(
    repo_copy: Path,
) -> None:
    git = ["git", "-c", "user.name=Maintainer", "-c", "user.email=m@example.com"]
    for step in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "release"]):
        subprocess.run([*git, *step], cwd=repo_copy, check=True, capture_output=True)

    def run(check: str) -> subprocess.CompletedProcess[str]:
        return run_update_spec(repo_copy, "minor.yaml", check=check)

    before = (repo_copy / "CHANGELOG.md").read_text(encoding="utf-8")
    failed = run("false")
    assert failed.returncode == 1
    assert (repo_copy / "CHANGELOG.md").read_text(encoding="utf-8") == before

    passed = run("true")  # the maintainer fixed the overlay; the working tree has the new spec
    assert passed.returncode == 0, passed.stdout[-3000:] + passed.stderr[-3000:]
    assert "VideoDetail.language: new optional field" in passed.stdout
    assert (repo_copy / "CHANGELOG.md").read_text(encoding="utf-8") != before
