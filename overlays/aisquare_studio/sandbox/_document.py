"""The OpenAPI document a sandbox answers: by default the one the SDK was generated from.

The generated package ships its patched spec as ``aisquare_studio_api/openapi.json``
(openapi.yaml with codegen/overlay.yaml applied and request bodies split). Reading that file is
reading data, not code: the sandbox still imports nothing from the SDK, and the SDK and the
sandbox cannot drift apart on which operations exist.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from importlib import resources
from os import PathLike
from pathlib import Path
from typing import Any

SpecSource = Mapping[str, Any] | str | PathLike[str] | None
"""A parsed OpenAPI document, a path to one (JSON, or YAML when PyYAML is installed), or None
for the packaged ``aisquare_studio_api/openapi.json``."""


def load_document(spec: SpecSource = None) -> dict[str, Any]:
    """The document ``spec`` names, as a private deep copy the sandbox may index freely."""
    if spec is None:
        text = (resources.files("aisquare_studio_api") / "openapi.json").read_text("utf-8")
        return dict(json.loads(text))
    if isinstance(spec, Mapping):
        return copy.deepcopy(dict(spec))
    path = Path(spec)
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        return dict(json.loads(text))
    try:
        import yaml  # optional: the SDK does not depend on PyYAML
    except ImportError as exc:  # pragma: no cover - PyYAML is in every dev environment
        raise ValueError(f"reading {path} needs PyYAML; pass a parsed document instead") from exc
    return dict(yaml.safe_load(text))
