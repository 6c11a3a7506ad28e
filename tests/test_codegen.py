"""The committed spec is the published one, and the generated package is what it promises."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from types import ModuleType

import pytest
import yaml

import aisquare_studio
import aisquare_studio_api
import aisquare_studio_api.models
import aisquare_studio_pytest
from aisquare_studio_api.api.subpackage_videos import publish_create

ROOT = Path(__file__).resolve().parent.parent
# The imported package: generated/ in the source tree, site-packages under make test-installed.
GENERATED = Path(aisquare_studio_api.__file__).parent
REFERENCE_PAGE = Path(__file__).parent / "fixtures" / "publish-create-reference-page.txt"


def test_openapi_yaml_is_the_published_spec_word_for_word() -> None:
    # The reference page publishes the YAML with all whitespace collapsed; restoring structure
    # may add only whitespace, so collapsing ours must give the page's text back exactly.
    page = REFERENCE_PAGE.read_text()
    published = re.search(r"```yaml (.*?) ```", page, re.S)
    assert published is not None
    ours = " ".join((ROOT / "openapi.yaml").read_text().split())
    version = yaml.safe_load((ROOT / "openapi.yaml").read_text())["info"]["version"]
    if f" version: {version} " not in published.group(1):
        # `make update-spec` took a newer spec: the fixture is the page of the one before.
        pytest.skip(f"openapi.yaml is upstream {version}; save its reference page as the fixture")
    assert ours == published.group(1)


def test_openapi_yaml_keeps_structure_the_flattened_page_lost() -> None:
    spec = yaml.safe_load((ROOT / "openapi.yaml").read_text())
    detail = spec["components"]["schemas"]["VideoDetail"]
    assert len(detail["required"]) == 16
    assert detail["properties"]["deleted_at"]["type"] == ["string", "null"]
    assert detail["properties"]["plan"]["oneOf"] == [{"description": "Any type"}, {"type": "null"}]
    enum = spec["components"]["schemas"]["InternalStatusEnum"]
    assert enum["description"].splitlines()[0] == "* `planning` - Planning Structure"
    operation = spec["paths"]["/api/v1/videos/{video_id}/publish/"]["post"]
    assert operation["operationId"] == "publish-create"
    assert "required" not in operation["requestBody"]


def test_generated_package_has_sync_and_async_publish_create() -> None:
    for name in ("sync", "sync_detailed", "asyncio", "asyncio_detailed"):
        assert callable(getattr(publish_create, name))


@pytest.mark.parametrize("package", [aisquare_studio, aisquare_studio_api, aisquare_studio_pytest])
def test_every_package_is_marked_typed(package: ModuleType) -> None:
    # PEP 561: without the marker, mypy reports import-untyped and every SDK value is Any.
    assert package.__file__ is not None
    assert (Path(package.__file__).parent / "py.typed").is_file()


def test_generated_code_never_imports_the_overlay() -> None:
    # Dependencies run one way: overlay -> generated.
    for path in GENERATED.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for name in names:
                assert name.split(".")[0] != "aisquare_studio", f"{path} imports {name}"


def test_public_surface_is_explicit_and_sorted() -> None:
    exported = aisquare_studio.__all__
    own = [name for name in exported if name not in aisquare_studio_api.models.__all__]
    # Sorted as ruff sorts __all__ (RUF022): constants, then classes and functions.
    assert own == sorted(own, key=lambda name: (not name.isupper(), name))
    assert set(exported) >= set(aisquare_studio_api.models.__all__)  # every model, by name
    for name in exported:
        assert hasattr(aisquare_studio, name), name
    public = {name for name in vars(aisquare_studio) if not name.startswith("_")}
    # Submodules imported on use, and the generated models module the models come from.
    assert public - set(exported) <= {"sandbox", "testing", "models"}
