"""The document the generator reads: ``openapi.yaml`` as upstream publishes it, patched.

Two steps, both applied at generation time and never written back to ``openapi.yaml``:

1. ``codegen/overlay.yaml``, an OpenAPI Overlay 1.0 document: what the rendered reference page
   says and the flattened spec lost (the server-owned properties are ``readOnly``, ids are int32).
   An action whose target matches nothing fails generation, so a spec change that moves what a
   patch is about is noticed instead of silently unpatched.
2. Request bodies split from the response schemas they reuse. drf-spectacular documents a
   serializer as the body whether or not the view reads it, response-only fields and all. So a
   request body whose schema has ``readOnly`` properties gets its own component,
   ``<Name>Request``, without them (OpenAPI: a read-only property is not sent), and without them
   in ``required``. A request body the overlay marks ``x-partial: true`` is read partially by the
   server, as DRF's partial updates are: nothing in it is required, and the SDK sends only what
   the caller gives.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonpath
import yaml

CODEGEN = Path(__file__).resolve().parent
OVERLAY = CODEGEN / "overlay.yaml"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_SCHEMAS = "#/components/schemas/"
PARTIAL = "x-partial"
"""The mark an overlay puts on a request body the server reads partially."""


class PatchError(Exception):
    """The overlay does not apply to this spec."""


def patched(spec: Path, overlay: Path | None = OVERLAY) -> dict[str, Any]:
    """The spec at ``spec`` with the overlay (if any) applied and request bodies split."""
    document: dict[str, Any] = yaml.safe_load(spec.read_text(encoding="utf-8"))
    if overlay is not None:
        apply_overlay(document, yaml.safe_load(overlay.read_text(encoding="utf-8")))
    split_request_bodies(document)
    return document


def apply_overlay(document: dict[str, Any], overlay: dict[str, Any]) -> None:
    """Apply an OpenAPI Overlay 1.0 document's actions to ``document``, in order, in place."""
    if not str(overlay.get("overlay", "")).startswith("1."):
        raise PatchError(f"not an OpenAPI Overlay 1.x document: overlay={overlay.get('overlay')!r}")
    for action in overlay.get("actions", []):
        target = action["target"]
        nodes = list(jsonpath.finditer(target, document))
        if not nodes:
            about = action.get("description", "").strip().splitlines()[0:1]
            raise PatchError(f"overlay target {target} matches nothing in the spec {about}")
        if action.get("remove"):
            # From the last, so removing one list item does not shift the others' indexes.
            for node in reversed(nodes):
                del node.parent.value[node.parts[-1]]  # type: ignore[union-attr]
        elif "update" in action:
            for node in nodes:
                _merge(node.value, action["update"], target)


def _merge(target: Any, update: Any, where: str) -> None:
    # Overlay 1.0: an object's properties are merged recursively, an array gets the update
    # appended; a primitive cannot be updated in place (its parent is the target to use).
    if isinstance(target, dict) and isinstance(update, dict):
        for key, value in update.items():
            if isinstance(target.get(key), dict | list) and isinstance(value, dict | list):
                _merge(target[key], value, where)
            else:
                target[key] = copy.deepcopy(value)
    elif isinstance(target, list):
        target.extend(copy.deepcopy(update) if isinstance(update, list) else [update])
    else:
        raise PatchError(f"overlay target {where} is a {type(target).__name__}: target its parent")


def split_request_bodies(document: dict[str, Any]) -> None:
    """Give each request body that reuses a schema with read-only properties its own schema."""
    schemas = document.get("components", {}).get("schemas", {})
    for operation in operations(document):
        for media in operation.get("requestBody", {}).get("content", {}).values():
            name = _component(media.get("schema"))
            if name is None or not _read_only(schemas[name]):
                continue
            partial = operation["requestBody"].get(PARTIAL) is True
            request_name = f"{name}Request"
            request = _request_schema(schemas[name], partial)
            if schemas.setdefault(request_name, request) != request:
                raise PatchError(
                    f"the request schema split from {name} would be {request_name}, which the "
                    "spec already has as another schema (or another operation reads it "
                    "partially and this one does not)"
                )
            media["schema"] = {"$ref": _SCHEMAS + request_name}


def operations(document: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every operation object of the document, in path order."""
    for item in document.get("paths", {}).values():
        for method in METHODS:
            if method in item:
                yield item[method]


def _request_schema(schema: dict[str, Any], partial: bool) -> dict[str, Any]:
    read_only = _read_only(schema)
    request = {
        key: copy.deepcopy(value) for key, value in schema.items() if key not in ("required",)
    }
    request["properties"] = {
        name: copy.deepcopy(value)
        for name, value in schema.get("properties", {}).items()
        if name not in read_only
    }
    required = [] if partial else [n for n in schema.get("required", []) if n not in read_only]
    if required:
        request["required"] = required
    if "title" in request:
        request["title"] = f"{request['title']}Request"
    return request


def _read_only(schema: dict[str, Any]) -> set[str]:
    return {
        name
        for name, value in schema.get("properties", {}).items()
        if isinstance(value, dict) and value.get("readOnly") is True
    }


def _component(schema: object) -> str | None:
    if isinstance(schema, dict) and str(schema.get("$ref", "")).startswith(_SCHEMAS):
        return str(schema["$ref"]).removeprefix(_SCHEMAS)
    return None
