"""URL resolution the way Django's URLconf does it, built from the paths of an OpenAPI document.

Each path template becomes a route; ``{name}`` matches one non-empty segment. A route also
knows how Django would convert its parameters (``<int:>`` takes digits only, and an id beyond
the int32 column cannot name a row) and which methods its view implements, for DRF's 405.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from ._schema import integer_range, non_null_type, resolve

METHODS = ("get", "post", "put", "patch", "delete", "head", "options", "trace")
"""Django's ``View.http_method_names``, in its order: the order of DRF's ``Allow`` header."""


@dataclass(frozen=True)
class Route:
    """One path template of the document and the operations declared on it."""

    template: str
    pattern: re.Pattern[str]
    operations: dict[str, dict[str, Any]]  # lower-case method -> operation object
    parameters: dict[str, dict[str, Any]]  # path parameter name -> resolved schema

    def allowed(self) -> list[str]:
        """The methods DRF lists in ``Allow``: those declared, HEAD with GET, and OPTIONS."""
        declared = set(self.operations) | {"options"}
        if "get" in declared:
            declared.add("head")
        return [method.upper() for method in METHODS if method in declared]

    def convert(self, raw: dict[str, str]) -> dict[str, Any] | None:
        """The path parameters as Django's converters give them, or None: the URL is a 404."""
        values: dict[str, Any] = {}
        for name, text in raw.items():
            schema = self.parameters.get(name, {})
            if non_null_type(schema) == "integer":
                if not re.fullmatch(r"[0-9]+", text):
                    return None
                value = int(text)
                if value > integer_range(schema)[1]:
                    return None
                values[name] = value
            else:
                values[name] = text  # Django's <str:>: any non-empty segment without "/"
        return values


def compile_routes(document: dict[str, Any]) -> list[Route]:
    """One route per path of ``document``, in document order (Django tries them in order)."""
    routes = []
    for template, item in document.get("paths", {}).items():
        operations = {m: op for m, op in item.items() if m in METHODS and isinstance(op, dict)}
        parameters: dict[str, dict[str, Any]] = {}
        # Path-level parameters first, then each operation's: the first declaration wins,
        # as one Django URL pattern has one converter per name whatever the method.
        for owner in [item, *operations.values()]:
            for parameter in owner.get("parameters", []):
                parameter = resolve(document, parameter)
                if parameter.get("in") == "path":
                    schema = resolve(document, parameter.get("schema", {}))
                    parameters.setdefault(str(parameter["name"]), schema)
        routes.append(Route(template, _pattern(template), operations, parameters))
    return routes


def match(routes: list[Route], path: str) -> tuple[Route, dict[str, str]] | None:
    """The first route whose template matches ``path``, with the raw parameter texts."""
    decoded = unquote(path)
    for route in routes:
        found = route.pattern.fullmatch(decoded)
        if found is not None:
            return route, found.groupdict()
    return None


def _pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"\{([^{}]+)\}", template)
    regex = "".join(
        re.escape(part) if index % 2 == 0 else f"(?P<{_group(part)}>[^/]+)"
        for index, part in enumerate(parts)
    )
    return re.compile(regex)


def _group(name: str) -> str:
    if not name.isidentifier():
        raise ValueError(f"path parameter {name!r} is not usable as a route group name")
    return name
