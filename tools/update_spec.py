"""`make update-spec SPEC=path`: take a new upstream spec, regenerate, check, and report.

The steps: compare the new spec with ``openapi.yaml`` on the wire, copy it over, ``make generate``,
compare the generated package's Python API before and after (griffe), run ``make check``,
``make test`` and ``make contract``, print the change report with a semver verdict, and append
it to CHANGELOG.md.
The comparisons are pure functions (``wire_changes``, ``api_changes``, ``verdict``,
``changelog_entry``) with table tests in tests/test_update_spec.py.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
GEN_PARENT = Path("generated")
PACKAGE = "aisquare_studio_api"
VERSION_FILE = Path("overlays/aisquare_studio/_version.py")
CHANGELOG = Path("CHANGELOG.md")
CHANGELOG_HEADER = "# Changelog\n"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# Keywords that only document: a change to them alone is a patch.
PROSE = frozenset({"description", "summary", "title", "example", "examples", "externalDocs"})
# Keywords compared by dedicated rules below; any other keyword that changes is flagged for review.
STRUCTURE = frozenset(
    {"type", "format", "$ref", "enum", "properties", "required", "items", "nullable"}
    | {"oneOf", "anyOf", "allOf"}
)
ENUM_NOTE = (
    "safe for SDK users: unknown values are kept as pseudo-members (forward-compatible enums);"
    " code that matches every value should handle the new one"
)


class Level(IntEnum):
    """How much a change matters to SDK users, and so which semver part it bumps."""

    NONE = 0
    PATCH = 1
    MINOR = 2
    MAJOR = 3

    @property
    def label(self) -> str:
        return {
            Level.NONE: "none",
            Level.PATCH: "patch",
            Level.MINOR: "minor",
            Level.MAJOR: "BREAKING",
        }[self]


@dataclass(frozen=True, order=True)
class Change:
    """One difference: where it is, what happened, and how much it matters."""

    where: str
    what: str
    level: Level

    def line(self) -> str:
        return f"{self.level.label:>8}  {self.where}: {self.what}"


# --- the wire: two OpenAPI documents ---------------------------------------------------------


def wire_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    """Every difference between two OpenAPI 3.x documents that a client could notice."""
    changes: list[Change] = []
    old_version = _get(old, "info", "version")
    new_version = _get(new, "info", "version")
    if old_version != new_version:
        changes.append(Change("info.version", f"{old_version} -> {new_version}", Level.PATCH))
    changes += _path_changes(old, new)
    usage = _merge_usage(_schema_usage(old), _schema_usage(new))
    old_schemas: Mapping[str, Any] = _get(old, "components", "schemas") or {}
    new_schemas: Mapping[str, Any] = _get(new, "components", "schemas") or {}
    for name in sorted(old_schemas.keys() - new_schemas.keys()):
        changes.append(Change(name, "schema removed", Level.MAJOR))
    for name in sorted(new_schemas.keys() - old_schemas.keys()):
        changes.append(Change(name, "new schema", Level.MINOR))
    for name in sorted(old_schemas.keys() & new_schemas.keys()):
        contexts = usage.get(name, frozenset({"request", "response"}))
        changes += _schema_changes(old_schemas[name], new_schemas[name], name, contexts)
    return sorted(changes, key=lambda change: (-change.level, change.where, change.what))


def _path_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    changes: list[Change] = []
    old_ops = dict(_operations(old))
    new_ops = dict(_operations(new))
    for key in sorted(old_ops.keys() - new_ops.keys()):
        changes.append(Change(key, "endpoint removed", Level.MAJOR))
    for key in sorted(new_ops.keys() - old_ops.keys()):
        changes.append(Change(key, "new endpoint", Level.MINOR))
    for key in sorted(old_ops.keys() & new_ops.keys()):
        changes += _operation_changes(old_ops[key], new_ops[key], key)
    return changes


def _operations(spec: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any]]]:
    for path, item in (spec.get("paths") or {}).items():
        shared = item.get("parameters") or []
        for method in METHODS:
            if method in item:
                operation = dict(item[method])
                operation["parameters"] = [*shared, *(operation.get("parameters") or [])]
                yield f"{method.upper()} {path}", operation


def _operation_changes(old: Mapping[str, Any], new: Mapping[str, Any], where: str) -> list[Change]:
    changes = _prose_changes(old, new, where, ("summary", "description"))
    for key, meaning in (("operationId", "the generated function's module"), ("tags", "package")):
        if old.get(key) != new.get(key):
            what = f"{key} {old.get(key)!r} -> {new.get(key)!r}: renames {meaning}"
            changes.append(Change(where, what, Level.MAJOR))
    changes += _parameter_changes(old["parameters"], new["parameters"], where)
    changes += _body_changes(old.get("requestBody"), new.get("requestBody"), where)
    old_responses = old.get("responses") or {}
    new_responses = new.get("responses") or {}
    for status in sorted(old_responses.keys() - new_responses.keys(), key=str):
        changes.append(Change(where, f"response {status} removed", Level.MAJOR))
    for status in sorted(new_responses.keys() - old_responses.keys(), key=str):
        changes.append(Change(where, f"new response {status}", Level.MINOR))
    for status in sorted(old_responses.keys() & new_responses.keys(), key=str):
        here = f"{where} response {status}"
        changes += _content_changes(
            old_responses[status], new_responses[status], here, frozenset({"response"})
        )
    return changes


def _parameter_changes(
    old: Sequence[Mapping[str, Any]], new: Sequence[Mapping[str, Any]], where: str
) -> list[Change]:
    changes: list[Change] = []
    old_by_key = {(p.get("in"), p.get("name")): p for p in old}
    new_by_key = {(p.get("in"), p.get("name")): p for p in new}
    for place, name in sorted(old_by_key.keys() - new_by_key.keys(), key=str):
        changes.append(Change(where, f"{place} parameter `{name}` removed", Level.MAJOR))
    for place, name in sorted(new_by_key.keys() - old_by_key.keys(), key=str):
        if new_by_key[place, name].get("required"):
            what = f"new required {place} parameter `{name}`"
            changes.append(Change(where, what, Level.MAJOR))
        else:
            changes.append(Change(where, f"new optional {place} parameter `{name}`", Level.MINOR))
    for key in sorted(old_by_key.keys() & new_by_key.keys(), key=str):
        before, after = old_by_key[key], new_by_key[key]
        here = f"{where} {key[0]} parameter `{key[1]}`"
        if not before.get("required") and after.get("required"):
            changes.append(Change(here, "now required", Level.MAJOR))
        elif before.get("required") and not after.get("required"):
            changes.append(Change(here, "now optional", Level.MINOR))
        changes += _prose_changes(before, after, here, ("description",))
        changes += _schema_changes(
            before.get("schema") or {}, after.get("schema") or {}, here, frozenset({"request"})
        )
    return changes


def _body_changes(
    old: Mapping[str, Any] | None, new: Mapping[str, Any] | None, where: str
) -> list[Change]:
    if old is None and new is None:
        return []
    if new is None:
        return [Change(where, "request body removed", Level.MAJOR)]
    if old is None:
        required = bool(new.get("required"))
        level = Level.MAJOR if required else Level.MINOR
        return [Change(where, f"new {'required' if required else 'optional'} request body", level)]
    changes: list[Change] = []
    if not old.get("required") and new.get("required"):
        changes.append(Change(where, "request body now required", Level.MAJOR))
    here = f"{where} request body"
    return changes + _content_changes(old, new, here, frozenset({"request"}))


def _content_changes(
    old: Mapping[str, Any], new: Mapping[str, Any], where: str, contexts: frozenset[str]
) -> list[Change]:
    changes = _prose_changes(old, new, where, ("description",))
    old_content = old.get("content") or {}
    new_content = new.get("content") or {}
    for media in sorted(old_content.keys() - new_content.keys()):
        changes.append(Change(where, f"media type {media} removed", Level.MAJOR))
    for media in sorted(new_content.keys() - old_content.keys()):
        changes.append(Change(where, f"new media type {media}", Level.MINOR))
    for media in sorted(old_content.keys() & new_content.keys()):
        changes += _schema_changes(
            old_content[media].get("schema") or {},
            new_content[media].get("schema") or {},
            where,
            contexts,
        )
    return changes


def _schema_changes(
    old: Mapping[str, Any], new: Mapping[str, Any], where: str, contexts: frozenset[str]
) -> list[Change]:
    """Differences in one schema; ``contexts`` says whether clients send it, read it, or both."""
    changes = _prose_changes(old, new, where, tuple(PROSE))
    request, response = "request" in contexts, "response" in contexts
    old_shape, new_shape = _shape(old), _shape(new)
    if old_shape != new_shape:
        what = f"type {_describe_shape(old_shape)} -> {_describe_shape(new_shape)}"
        return [*changes, Change(where, what, Level.MAJOR)]
    if not _nullable(old) and _nullable(new):
        if response:
            what = "may now be null: breaking for code that relies on a value"
            changes.append(Change(where, what, Level.MAJOR))
        else:
            changes.append(Change(where, "now accepts null", Level.MINOR))
    elif _nullable(old) and not _nullable(new):
        if request:
            changes.append(Change(where, "no longer accepts null", Level.MAJOR))
        else:
            changes.append(Change(where, "never null now", Level.MINOR))
    old_enum, new_enum = old.get("enum"), new.get("enum")
    if old_enum is not None and new_enum is not None:
        for value in [v for v in old_enum if v not in new_enum]:
            changes.append(Change(where, f"enum value {value!r} removed", Level.MAJOR))
        for value in [v for v in new_enum if v not in old_enum]:
            what = f"new enum value {value!r} ({ENUM_NOTE})"
            changes.append(Change(where, what, Level.MINOR))
    elif old_enum != new_enum:
        what = "values now restricted to an enum" if new_enum else "no longer an enum"
        changes.append(Change(where, what, Level.MAJOR if new_enum else Level.MINOR))
    changes += _property_changes(old, new, where, contexts)
    if "items" in old and "items" in new:
        changes += _schema_changes(old["items"], new["items"], f"{where}[]", contexts)
    for key in ("oneOf", "anyOf", "allOf"):
        before, after = old.get(key) or [], new.get(key) or []
        if len(before) != len(after):
            what = f"{key} now has {len(after)} variants instead of {len(before)}: review"
            changes.append(Change(where, what, Level.MAJOR))
        else:
            for index, (one, two) in enumerate(zip(before, after, strict=True)):
                changes += _schema_changes(one, two, f"{where}.{key}[{index}]", contexts)
    for key in sorted((old.keys() | new.keys()) - PROSE - STRUCTURE):
        if old.get(key) != new.get(key):
            # Constraints (maxLength, pattern, ...) may tighten or loosen: a person decides.
            what = f"`{key}` {old.get(key)!r} -> {new.get(key)!r} (not classified: review)"
            changes.append(Change(where, what, Level.MAJOR))
    return changes


def _property_changes(
    old: Mapping[str, Any], new: Mapping[str, Any], where: str, contexts: frozenset[str]
) -> list[Change]:
    changes: list[Change] = []
    request, response = "request" in contexts, "response" in contexts
    old_props: Mapping[str, Any] = old.get("properties") or {}
    new_props: Mapping[str, Any] = new.get("properties") or {}
    old_required = set(old.get("required") or [])
    new_required = set(new.get("required") or [])
    for name in sorted(old_props.keys() - new_props.keys()):
        changes.append(Change(f"{where}.{name}", "field removed", Level.MAJOR))
    for name in sorted(new_props.keys() - old_props.keys()):
        here = f"{where}.{name}"
        if name in new_required and request:
            changes.append(Change(here, "new field, required in requests", Level.MAJOR))
        elif name in new_required:
            changes.append(Change(here, "new field, always present", Level.MINOR))
        else:
            changes.append(Change(here, "new optional field", Level.MINOR))
    for name in sorted(old_props.keys() & new_props.keys()):
        here = f"{where}.{name}"
        if name in new_required and name not in old_required:
            if request:
                changes.append(Change(here, "now required in requests", Level.MAJOR))
            else:
                changes.append(Change(here, "now always present", Level.MINOR))
        elif name in old_required and name not in new_required:
            if response:
                what = "now optional: may be absent, breaking for code that relies on it"
                changes.append(Change(here, what, Level.MAJOR))
            else:
                changes.append(Change(here, "now optional in requests", Level.MINOR))
        changes += _schema_changes(old_props[name], new_props[name], here, contexts)
    return changes


def _prose_changes(
    old: Mapping[str, Any], new: Mapping[str, Any], where: str, keys: Iterable[str]
) -> list[Change]:
    return [
        Change(where, f"{key} changed", Level.PATCH)
        for key in sorted(keys)
        if old.get(key) != new.get(key)
    ]


def _shape(schema: Mapping[str, Any]) -> tuple[Any, ...]:
    """What a value is, nullability aside: its $ref, or its non-null types and format."""
    if "$ref" in schema:
        return ("ref", schema["$ref"].rsplit("/", 1)[-1])
    declared = schema.get("type")
    types = [declared] if isinstance(declared, str) else list(declared or [])
    return ("type", tuple(sorted(t for t in types if t != "null")), schema.get("format"))


def _describe_shape(shape: tuple[Any, ...]) -> str:
    if shape[0] == "ref":
        return str(shape[1])
    types = "|".join(shape[1]) or "any"
    return f"{types} ({shape[2]})" if shape[2] else types


def _nullable(schema: Mapping[str, Any]) -> bool:
    declared = schema.get("type")
    if declared == "null" or (isinstance(declared, list) and "null" in declared):
        return True
    return bool(schema.get("nullable"))


def _schema_usage(spec: Mapping[str, Any]) -> dict[str, frozenset[str]]:
    """Which component schemas clients send ("request"), read ("response"), or both."""
    schemas: Mapping[str, Any] = _get(spec, "components", "schemas") or {}
    usage: dict[str, set[str]] = {}
    for _, operation in _operations(spec):
        roots = {"request": [operation.get("parameters"), operation.get("requestBody")]}
        roots["response"] = [operation.get("responses")]
        for context, nodes in roots.items():
            for name in _reachable(nodes, schemas):
                usage.setdefault(name, set()).add(context)
    return {name: frozenset(contexts) for name, contexts in usage.items()}


def _merge_usage(*usages: Mapping[str, frozenset[str]]) -> dict[str, frozenset[str]]:
    merged: dict[str, frozenset[str]] = {}
    for usage in usages:
        for name, contexts in usage.items():
            merged[name] = merged.get(name, frozenset()) | contexts
    return merged


def _reachable(node: object, schemas: Mapping[str, Any]) -> set[str]:
    found: set[str] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, Mapping):
            ref = item.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
                name = ref.rsplit("/", 1)[-1]
                if name not in found:
                    found.add(name)
                    stack.append(schemas.get(name))
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def _get(document: Mapping[str, Any], *keys: str) -> Any:
    node: Any = document
    for key in keys:
        node = node.get(key) if isinstance(node, Mapping) else None
    return node


# --- the Python API users import ---------------------------------------------------------------


def api_surface(package_parent: Path, package: str = PACKAGE) -> dict[str, str]:
    """Every public name in a package, with what it is: a function's signature, an attribute's
    annotation and default, an alias's target. Read statically with griffe."""
    import griffe

    root = griffe.load(
        package, search_paths=[str(package_parent)], try_relative_path=False, resolve_aliases=False
    )
    surface: dict[str, str] = {}
    stack: list[Any] = [root]
    while stack:
        obj = stack.pop()
        for name, member in obj.members.items():
            if name.startswith("_"):
                continue
            path = f"{obj.path}.{name}"
            if member.is_alias:
                # Re-exports inside the package are API (models.VideoDetail); imports from
                # elsewhere (typing.cast) are implementation detail.
                if member.target_path.startswith(f"{package}."):
                    surface[path] = f"import of {member.target_path}"
                continue
            surface[path] = _describe_member(member)
            if member.is_module or member.is_class:
                stack.append(member)
    return surface


def _describe_member(member: Any) -> str:
    kind = str(member.kind.value)
    if member.is_function:
        parameters = []
        for parameter in member.parameters:
            text = f"{parameter.kind.value} {parameter.name}: {parameter.annotation}"
            parameters.append(
                text if parameter.default is None else f"{text} = {parameter.default}"
            )
        return f"function ({', '.join(parameters)}) -> {member.returns}"
    if member.is_attribute:
        annotation = "" if member.annotation is None else f": {member.annotation}"
        value = "" if member.value is None else f" = {member.value}"
        return f"attribute{annotation}{value}"
    return kind


def api_changes(old: Mapping[str, str], new: Mapping[str, str]) -> list[Change]:
    """Differences between two ``api_surface`` results, each judged for users of the package."""
    changes: list[Change] = []
    for path in sorted(old.keys() - new.keys()):
        if _parent(path) in old and _parent(path) not in new:
            continue  # reported once, at the removed parent
        changes.append(Change(path, f"removed ({old[path]})", Level.MAJOR))
    for path in sorted(new.keys() - old.keys()):
        if _parent(path) in new and _parent(path) not in old:
            continue
        if _parent(path) in RESOURCE_CLASSES:
            # A client attribute the client sets itself: a new resource, nothing to pass.
            changes.append(Change(path, f"new resource ({new[path]})", Level.MINOR))
        elif new[path].startswith("attribute") and " = " not in new[path] and _in_class(path, new):
            what = f"new required attribute ({new[path]}): the model's constructor needs it"
            changes.append(Change(path, what, Level.MAJOR))
        else:
            changes.append(Change(path, f"new ({new[path]})", Level.MINOR))
    for path in sorted(old.keys() & new.keys()):
        if old[path] != new[path]:
            level = _changed_level(old[path], new[path])
            functions = old[path].startswith("function (") and new[path].startswith("function (")
            what = (
                _signature_change(old[path], new[path])
                if functions
                else f"{old[path]} -> {new[path]}"
            )
            changes.append(Change(path, what, level))
    return sorted(changes, key=lambda change: (-change.level, change.where))


def _changed_level(old: str, new: str) -> Level:
    if old.startswith("function (") and new.startswith("function ("):
        return _signature_level(old, new)
    return Level.MAJOR  # a type, default or kind changed under the same name


def _signature_level(old: str, new: str) -> Level:
    """A function only gained keyword arguments with defaults: minor; anything else: major."""
    before = _parameters(old)
    after = _parameters(new)
    if old.rsplit(" -> ", 1)[1] != new.rsplit(" -> ", 1)[1]:
        return Level.MAJOR
    if [p for p in after if p in before] != before:
        return Level.MAJOR
    added = [p for p in after if p not in before]
    ok = all(p.startswith("keyword-only ") and " = " in p for p in added)
    return Level.MINOR if ok else Level.MAJOR


def _signature_change(old: str, new: str) -> str:
    """What changed between two function descriptions: the parameters added (+) and removed
    (-), and the return type; a whole signature of 25 keywords would hide the one that moved."""
    before, after = _parameters(old), _parameters(new)
    parts = [f"+ {p}" for p in after if p not in before]
    parts += [f"- {p}" for p in before if p not in after]
    returns = old.rsplit(" -> ", 1)[1], new.rsplit(" -> ", 1)[1]
    if returns[0] != returns[1]:
        parts.append(f"returns {returns[0]} -> {returns[1]}")
    return f"signature changed: {'; '.join(parts) or 'parameters reordered'}"


def _parameters(signature: str) -> list[str]:
    inside = signature[len("function (") :].rsplit(") -> ", 1)[0]
    return [part for part in re.split(r", (?=(?:positional|keyword|variadic))", inside) if part]


def _parent(path: str) -> str:
    return path.rsplit(".", 1)[0]


def _in_class(path: str, surface: Mapping[str, str]) -> bool:
    return surface.get(_parent(path)) == "class"


# --- the facade: studio.<resource>.<method> -------------------------------------------------

RESOURCES = f"{PACKAGE}.api.SyncResources."
RESOURCE_CLASSES = frozenset({f"{PACKAGE}.api.SyncResources", f"{PACKAGE}.api.AsyncResources"})
# griffe's parameter kinds, as _describe_member writes them.
PARAMETER_KINDS = (
    "positional-only",
    "positional or keyword",
    "keyword-only",
    "variadic positional",
    "variadic keyword",
)


def facade_methods(surface: Mapping[str, str]) -> dict[str, str]:
    """``studio.<resource>.<method>`` of the sync client, from an ``api_surface`` result: each
    facade method (``videos.publish``) with its signature. ``SyncResources`` names each
    resource's class; the async twins mirror it."""
    classes = {
        path.rsplit(".", 1)[-1]: path
        for path, kind in surface.items()
        if kind == "class" and path.startswith(f"{PACKAGE}.api.") and path.count(".") == 3
    }
    methods: dict[str, str] = {}
    for path, kind in surface.items():
        if not path.startswith(RESOURCES) or not kind.startswith("attribute: "):
            continue
        resource = path.removeprefix(RESOURCES)
        owner = classes.get(kind.removeprefix("attribute: ").strip())
        for member, described in surface.items():
            if owner and _parent(member) == owner and described.startswith("function ("):
                methods[f"{resource}.{member.rsplit('.', 1)[-1]}"] = described
    return dict(sorted(methods.items()))


def facade_changes(old: Mapping[str, str], new: Mapping[str, str]) -> list[Change]:
    """New, removed and changed facade methods (``facade_methods`` results)."""
    changes = [Change(name, "method removed", Level.MAJOR) for name in old.keys() - new.keys()]
    for name in new.keys() - old.keys():
        changes.append(Change(name, f"new method: {_call_text(name, new[name])}", Level.MINOR))
    for name in old.keys() & new.keys():
        if old[name] != new[name]:
            what = _signature_change(old[name], new[name])
            changes.append(Change(name, what, _signature_level(old[name], new[name])))
    return sorted(changes, key=lambda change: (-change.level, change.where))


def _call_text(name: str, signature: str) -> str:
    # "function (positional or keyword self: None, keyword-only x: int = 1) -> T" as Python
    # writes it: "studio.r.m(*, x: int = 1) -> T"; a long signature shows its first arguments.
    shown: list[str] = []
    for parameter in _parameters(signature):
        kind = next(k for k in PARAMETER_KINDS if parameter.startswith(k))
        text = parameter.removeprefix(kind).strip()
        if text.startswith("self:"):
            continue
        if kind == "keyword-only" and "*" not in shown:
            shown.append("*")
        shown.append({"variadic positional": "*", "variadic keyword": "**"}.get(kind, "") + text)
    arguments = ", ".join(shown[:4]) + (", ..." if len(shown) > 4 else "")
    return f"studio.{name}({arguments}) -> {signature.rsplit(' -> ', 1)[1]}"


# --- the verdict and the changelog -------------------------------------------------------------


def verdict(changes: Iterable[Change]) -> Level:
    """The semver part to bump: the most any one change needs."""
    return max((change.level for change in changes), default=Level.NONE)


def next_version(current: str, level: Level) -> str:
    major, minor, patch = (int(part) for part in current.split(".")[:3])
    if level is Level.MAJOR:
        return f"{major + 1}.0.0"
    if level is Level.MINOR:
        return f"{major}.{minor + 1}.0"
    if level is Level.PATCH:
        return f"{major}.{minor}.{patch + 1}"
    return current


def verdict_text(level: Level, current: str) -> str:
    if level is Level.NONE:
        return f"no change for SDK users: no release needed (stays {current})"
    bump = {Level.MAJOR: "major", Level.MINOR: "minor", Level.PATCH: "patch"}[level]
    breaking = "BREAKING for SDK users" if level is Level.MAJOR else "not breaking for SDK users"
    return f"{breaking}: {bump} release, {current} -> {next_version(current, level)}"


def report(
    wire: Sequence[Change],
    api: Sequence[Change],
    current: str,
    versions: tuple[str, str],
    facade: Sequence[Change] = (),
) -> str:
    lines = [f"Spec update: upstream {versions[0]} -> {versions[1]}", ""]
    sections = (
        ("Wire", wire),
        ("Python API (aisquare_studio_api)", api),
        ("Facade (studio.<resource>.<method>)", facade),
    )
    for title, changes in sections:
        lines.append(f"{title}: {len(changes)} change{'s' * (len(changes) != 1)}")
        lines += [f"  {change.line()}" for change in changes] or ["  (none)"]
        lines.append("")
    lines.append(f"Verdict: {verdict_text(verdict([*wire, *api, *facade]), current)}")
    return "\n".join(lines)


def changelog_entry(
    wire: Sequence[Change],
    api: Sequence[Change],
    current: str,
    versions: tuple[str, str],
    date: dt.date,
    facade: Sequence[Change] = (),
) -> str:
    level = verdict([*wire, *api, *facade])
    lines = [
        f"## {next_version(current, level)} - {date.isoformat()}",
        "",
        f"Upstream spec {versions[0]} -> {versions[1]}: {verdict_text(level, current)}.",
        "",
    ]
    sections = (("On the wire", wire), ("In the Python API", api), ("In the facade", facade))
    for title, changes in sections:
        if changes:
            lines += [f"### {title}", ""]
            lines += [f"- **{c.level.label}** `{c.where}`: {c.what}" for c in changes]
            lines.append("")
    return "\n".join(lines)


def prepend_entry(changelog: str, entry: str) -> str:
    """The changelog with ``entry`` first under its title: newest first."""
    body = changelog.removeprefix(CHANGELOG_HEADER).lstrip("\n")
    return f"{CHANGELOG_HEADER}\n{entry}\n{body}".rstrip("\n") + "\n"


def current_version(root: Path) -> str:
    text = (root / VERSION_FILE).read_text(encoding="utf-8")
    match = re.search(r'__version__\s*=\s*"([^"]+)"', text)
    if match is None:
        raise SystemExit(f"update-spec: no __version__ in {VERSION_FILE}")
    return str(match.group(1))


# --- the command -------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Take a new upstream spec and report the change.")
    parser.add_argument("spec", type=Path, help="the new OpenAPI document (YAML or JSON)")
    parser.add_argument("--root", type=Path, default=ROOT, help="the repository (default: here)")
    parser.add_argument("--make", default="make", help="make command, e.g. 'make -s'")
    parser.add_argument(
        "--check",
        action="append",
        help="a check to run after regenerating (repeatable; default: make check, test, contract)",
    )
    args = parser.parse_args(argv)
    root: Path = args.root.resolve()
    make = shlex.split(args.make)
    default_checks = [[*make, "check"], [*make, "test"], [*make, "contract"]]
    checks = [shlex.split(c) for c in args.check] if args.check else default_checks

    spec_path = root / "openapi.yaml"
    new_text = args.spec.read_text(encoding="utf-8")
    old_text = spec_path.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix="update-spec-baseline-") as baseline:
        # Compare with what users have: the spec and package committed at HEAD. After a run
        # whose checks failed, the working tree already holds the new spec, and comparing the
        # new spec with itself would report nothing and never write the CHANGELOG entry.
        committed = _committed(root, Path(baseline))
        base_text = committed[0] if committed else old_text
        old_api = api_surface(committed[1] if committed else root / GEN_PARENT)
    old_spec, new_spec = yaml.safe_load(base_text), yaml.safe_load(new_text)
    wire = wire_changes(old_spec, new_spec)
    versions = (str(_get(old_spec, "info", "version")), str(_get(new_spec, "info", "version")))

    with tempfile.TemporaryDirectory(prefix="update-spec-") as backup:
        saved = Path(backup) / PACKAGE
        shutil.copytree(root / GEN_PARENT / PACKAGE, saved)
        spec_path.write_text(new_text, encoding="utf-8")
        if _run([*make, "generate"], root) != 0:
            spec_path.write_text(old_text, encoding="utf-8")
            shutil.rmtree(root / GEN_PARENT / PACKAGE, ignore_errors=True)
            shutil.copytree(saved, root / GEN_PARENT / PACKAGE)
            print(
                "update-spec: generation failed; openapi.yaml and generated/ restored",
                file=sys.stderr,
            )
            return 1
    new_api = api_surface(root / GEN_PARENT)
    api = api_changes(old_api, new_api)
    facade = facade_changes(facade_methods(old_api), facade_methods(new_api))
    failed = [" ".join(check) for check in checks if _run(check, root) != 0]

    current = current_version(root)
    print()
    print(report(wire, api, current, versions, facade))
    if failed:
        print(f"\nChecks failed: {', '.join(failed)}. openapi.yaml and generated/ are updated;")
        print("fix the overlay and run the checks again. CHANGELOG.md is not updated.")
        return 1
    level = verdict([*wire, *api, *facade])
    if level is Level.NONE:
        print("\nNothing changed for SDK users: CHANGELOG.md not updated.")
        return 0
    today = dt.datetime.now(dt.UTC).date()
    entry = changelog_entry(wire, api, current, versions, today, facade)
    changelog = root / CHANGELOG
    existing = changelog.read_text(encoding="utf-8") if changelog.exists() else CHANGELOG_HEADER
    changelog.write_text(prepend_entry(existing, entry), encoding="utf-8")
    print(f"\nChecks passed. CHANGELOG.md has a {next_version(current, level)} entry;")
    print(f"set __version__ in {VERSION_FILE} when you release it.")
    return 0


def _committed(root: Path, into: Path) -> tuple[str, Path] | None:
    """openapi.yaml and the generated package as committed at HEAD (the package extracted under
    ``into``), or None outside a git checkout."""
    spec = subprocess.run(
        ["git", "show", "HEAD:openapi.yaml"], cwd=root, capture_output=True, text=True, check=False
    )
    if spec.returncode != 0:
        return None
    archive = subprocess.run(
        ["git", "archive", "HEAD", str(GEN_PARENT / PACKAGE)],
        cwd=root,
        capture_output=True,
        check=False,
    )
    if archive.returncode != 0:
        return None
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    return spec.stdout, into / GEN_PARENT


def _run(command: Sequence[str], root: Path) -> int:
    print(f"update-spec: $ {' '.join(command)}", flush=True)
    return subprocess.run(command, cwd=root, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
