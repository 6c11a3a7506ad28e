"""What the generated facade (``studio.<resource>.<method>``) holds for each operation.

The templates ``endpoint_init.py.jinja`` (one facade class pair per tag) and
``api_init.py.jinja`` (the resources a client carries) render it; this module decides the names,
the checks and the shapes, from the patched spec, the generator's own parse of it, and the
reviewed names file ``codegen/names.toml``:

- resource: the tag without ``subpackage_``, in snake_case (``subpackage_gtmStudio`` ->
  ``gtm_studio``); its classes ``<Resource>``/``Async<Resource>`` in CamelCase, with
  a ``Resource`` suffix when a model already has the name (``GtmStudioResource``);
- method: the operationId in snake_case without a leading resource name, singular or plural
  (``gtm-studios-meta-retrieve`` -> ``meta_retrieve``), unless names.toml says otherwise;
- idempotent: GET, HEAD, PUT, DELETE, OPTIONS, and what names.toml marks so;
- path parameters: checked from their schema before anything is sent;
- a JSON object body: its properties become keyword arguments; an optional body is sent only
  when one of them is given;
- a list in DRF page-number pagination also gets ``<method>_all``;
- every method but ``<method>_all`` has a raw-response variant, ``<resource>.with_raw_response
  .<method>``, returning a ``RawResponse`` (an iteration over pages has no one response).

A method named like a builtin (``list``) would hide it from the annotations after it in the
class body; the template writes those ``builtins.list[...]`` (``unshadow``).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openapi_python_client.parser.openapi import Endpoint, GeneratorData
from openapi_python_client.parser.properties import ModelProperty
from openapi_python_client.parser.properties.list_property import ListProperty
from openapi_python_client.strings import snake_case

from .spec import METHODS

NAMES = Path(__file__).resolve().parent / "names.toml"
# Methods safe to repeat (RFC 9110, 9.2.2); a POST or PATCH is so only if names.toml says it is.
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})
PAGE_FIELDS = frozenset({"count", "next", "previous", "results"})
# Builtins a generated annotation may name, and so a facade method must not hide.
BUILTIN_TYPES = frozenset({"list", "dict", "set", "frozenset", "tuple", "type"})
# Names a facade module imports besides the models: a facade class must not take one.
RESERVED = frozenset(
    {"Any", "AsyncIterator", "AuthenticatedClient", "Client", "Iterator", "Operation"}
    | {"PageLimitError", "RawResponse", "Response", "Unset", "UNSET", "cast", "datetime", "errors"}
)
# The attribute of every facade object holding its raw-response variant.
RAW_RESPONSE = "with_raw_response"
# Integer formats and the range a value of each can hold.
INTEGER_RANGES = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}


class FacadeError(Exception):
    """The spec asks for a facade this generator cannot make without losing something."""


@dataclass(frozen=True)
class PathCheck:
    """How a path parameter is checked before a request is sent."""

    name: str
    kind: str  # "int" or "str"
    low: int | None = None
    high: int | None = None


@dataclass(frozen=True)
class Pages:
    """A list in DRF page-number pagination: the type of one of its items, and the page model's
    attributes for ``results`` and ``next`` (the generator renames ``next`` to ``next_``)."""

    item_type: str
    imports: frozenset[str]
    results: str
    next: str


@dataclass(frozen=True)
class Method:
    """One operation as a facade method."""

    endpoint: Endpoint
    operation_id: str
    path: str
    name: str
    idempotent: bool
    path_checks: tuple[PathCheck, ...]
    body: str  # "none", "fields" (an object's properties as keywords) or "whole" (body=)
    body_required: bool
    body_model: ModelProperty | None
    returns: str
    success_responses: tuple[Any, ...]  # the generator's Response objects, one per status
    pages: Pages | None

    @property
    def imports(self) -> list[str]:
        """What the facade module imports to name this method's types."""
        found = set(self.endpoint.relative_imports)
        properties = list(self.success_responses and [r.prop for r in self.success_responses])
        if self.body_model is not None:
            properties += (self.body_model.required_properties or []) + (
                self.body_model.optional_properties or []
            )
        for prop in properties:
            found |= prop.get_imports(prefix="...") | _lazy_imports(prop)
        if self.pages is not None:
            found |= self.pages.imports
        return sorted(found)

    @property
    def documented(self) -> list[Any]:
        """The method's parameters, in signature order, for its docstring's Args."""
        endpoint = self.endpoint
        found = list(endpoint.path_parameters + endpoint.query_parameters)
        found += endpoint.header_parameters + endpoint.cookie_parameters
        if self.body_model is not None:
            found += (self.body_model.required_properties or []) + (
                self.body_model.optional_properties or []
            )
        elif self.body == "whole":
            found.append(endpoint.bodies[0].prop)
        return found

    @property
    def keywords(self) -> bool:
        """Whether the method takes keyword arguments (after a ``*``)."""
        endpoint = self.endpoint
        others = endpoint.query_parameters + endpoint.header_parameters + endpoint.cookie_parameters
        return bool(others) or self.body != "none" or self.pages is not None


@dataclass
class Resource:
    """One tag: ``studio.<attribute>``, an instance of ``<class_name>``/``Async<class_name>``."""

    tag: str
    attribute: str
    class_name: str
    methods: dict[str, Method] = field(default_factory=dict)

    @property
    def shadowed(self) -> list[str]:
        """Builtins a method of the facade class is named like (``list``)."""
        names = set(self.methods) | {f"{name}_all" for name, m in self.methods.items() if m.pages}
        return sorted(names & BUILTIN_TYPES)


def unshadow(code: str, shadowed: list[str]) -> str:
    """``code`` (a facade class body) with each annotation naming a builtin in ``shadowed``
    written ``builtins.<name>``: in a class body, a method called ``list`` is what ``list[int]``
    would mean, at run time and for mypy. Docstrings, which write ``(list[int] | Unset)``, keep
    the short name."""
    if not shadowed:
        return code
    pattern = re.compile(rf"(?<![\w.(])({'|'.join(map(re.escape, shadowed))})\[")
    return pattern.sub(r"builtins.\1[", code)


def load_names(path: Path = NAMES) -> dict[str, dict[str, Any]]:
    """names.toml's entries, by operationId."""
    return dict(tomllib.loads(path.read_text(encoding="utf-8")).get("operations", {}))


def plan(
    openapi: GeneratorData, document: Mapping[str, Any], names: Mapping[str, Mapping[str, Any]]
) -> dict[str, Resource]:
    """The facade's resources by the generator's tag (its ``api/<tag>/`` folder)."""
    raw = _raw_operations(document)
    unused = set(names) - {spec_operation.operation_id for spec_operation in raw.values()}
    if unused:
        raise FacadeError(f"codegen/names.toml names operations the spec lacks: {sorted(unused)}")
    resources: dict[str, Resource] = {}
    taken = RESERVED | {str(m.class_info.name) for m in [*openapi.models, *openapi.enums]}
    for tag, collection in openapi.endpoint_collections_by_tag.items():
        attribute = snake_case(tag.removeprefix("subpackage_"))
        resource = Resource(tag, attribute, _class_name(attribute, taken))
        for endpoint in collection.endpoints:
            spec_operation = raw[(endpoint.method.lower(), route(path_of(endpoint)))]
            method = _method(endpoint, spec_operation, attribute, names)
            if method.name in resource.methods or f"{method.name}_all" in resource.methods:
                raise FacadeError(f"two operations of {tag} are both {attribute}.{method.name}")
            resource.methods[method.name] = method
        resources[tag] = resource
    attributes = [resource.attribute for resource in resources.values()]
    if len(set(attributes)) != len(attributes):
        raise FacadeError(f"two tags give the same resource name: {sorted(attributes)}")
    return resources


@dataclass(frozen=True)
class SpecOperation:
    """An operation as the spec writes it: the generator renames paths and parameters."""

    operation_id: str
    path: str
    operation: Mapping[str, Any]
    parameters: Mapping[tuple[str, str], Mapping[str, Any]]  # (in, name) -> parameter, resolved


def route(path: str) -> str:
    """A path template with its parameters' names left out: the generator rewrites them
    (``{eventId}`` becomes ``{event_id}``), and this is what stays the same."""
    return re.sub(r"\{[^}]*\}", "{}", path)


def _raw_operations(document: Mapping[str, Any]) -> dict[tuple[str, str], SpecOperation]:
    found = {}
    for path, item in document.get("paths", {}).items():
        for method in METHODS:
            if method in item:
                operation = item[method]
                # Parameters of the path item apply to each operation, which may override them.
                parameters = {
                    (str(p.get("in")), str(p.get("name"))): p
                    for p in (_resolved(document, p) for p in item.get("parameters", []))
                }
                parameters |= {
                    (str(p.get("in")), str(p.get("name"))): p
                    for p in (_resolved(document, p) for p in operation.get("parameters", []))
                }
                # An operation without an operationId is known as "GET /path/", in names.toml
                # and in errors alike.
                operation_id = str(operation.get("operationId") or f"{method.upper()} {path}")
                found[(method, route(path))] = SpecOperation(
                    operation_id, path, operation, parameters
                )
    return found


def _resolved(document: Mapping[str, Any], node: Mapping[str, Any]) -> Mapping[str, Any]:
    # A "$ref" to a component (#/components/parameters/VideoId), followed to what it names.
    seen = 0
    while "$ref" in node and seen < 20:
        target: Any = document
        for part in str(node["$ref"]).removeprefix("#/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node, seen = target, seen + 1
    return node


def _method(
    endpoint: Endpoint,
    spec_operation: SpecOperation,
    resource: str,
    names: Mapping[str, Mapping[str, Any]],
) -> Method:
    operation_id, operation = spec_operation.operation_id, spec_operation.operation
    entry = names.get(operation_id, {})
    name = str(entry.get("method") or _method_name(str(endpoint.name), resource))
    if not name.isidentifier() or name.startswith("_") or name == RAW_RESPONSE:
        raise FacadeError(f"{operation_id}: {name!r} cannot be a method name")
    body, body_model, body_required = _body(endpoint, operation)
    successes = [
        response
        for response in endpoint.responses.patterns
        if response.status_code.range is not None and 200 <= response.status_code.range[0] < 300
    ]
    if not successes:
        raise FacadeError(f"{operation_id} declares no success response")
    returns = " | ".join(dict.fromkeys(_returned(response) for response in successes))
    for response in successes:
        low, high = response.status_code.range or (0, 0)
        if low != high:
            raise FacadeError(
                f"{operation_id}: a success status range ({low}-{high}) is not supported"
            )
    method = Method(
        endpoint=endpoint,
        operation_id=operation_id,
        path=spec_operation.path,
        name=name,
        idempotent=bool(entry.get("idempotent", endpoint.method.upper() in IDEMPOTENT_METHODS)),
        path_checks=tuple(
            _path_check(
                str(prop.python_name), spec_operation.parameters[("path", _wire_name(prop))]
            )
            for prop in endpoint.path_parameters
        ),
        body=body,
        body_required=body_required,
        body_model=body_model,
        returns=returns,
        success_responses=tuple(successes),
        pages=_pages(endpoint, successes),
    )
    _check_keywords(method)
    return method


def _returned(response: Any) -> str:
    # A response without content (204) returns None, whatever type the generator gives it.
    if response.source["attribute"] == "None":
        return "None"
    return str(response.prop.get_type_string().as_unembedded_code())


def path_of(endpoint: Endpoint) -> str:
    """The endpoint's path template, as the generator has it (parameters renamed)."""
    return endpoint.path.get_untrusted_value()


def _method_name(operation: str, resource: str) -> str:
    # The operationId without the resource's name in front, singular or plural.
    for prefix in (resource, resource + "s", resource + "es", resource.removesuffix("s")):
        if prefix and operation.startswith(prefix + "_") and len(operation) > len(prefix) + 1:
            return operation[len(prefix) + 1 :]
    return operation


def _class_name(attribute: str, taken: frozenset[str] | set[str]) -> str:
    # The facade module imports the models it names: a facade class called like one of them
    # (tag gtmStudio, model GtmStudio) would hide it, so it takes a suffix.
    name = "".join(word.capitalize() for word in attribute.split("_"))
    generated = {name, f"Async{name}", f"{name}WithRawResponse", f"Async{name}WithRawResponse"}
    return f"{name}Resource" if generated & taken else name


def _path_check(name: str, parameter: Mapping[str, Any]) -> PathCheck:
    schema = parameter.get("schema", {})
    if schema.get("type") == "integer":
        low, high = INTEGER_RANGES.get(str(schema.get("format")), (None, None))
        if "minimum" in schema:
            low = int(schema["minimum"]) if low is None else max(low, int(schema["minimum"]))
        if "maximum" in schema:
            high = int(schema["maximum"]) if high is None else min(high, int(schema["maximum"]))
        return PathCheck(name, "int", low, high)
    if schema.get("type", "string") == "string":
        return PathCheck(name, "str")
    raise FacadeError(f"path parameter {name}: no check for a {schema.get('type')} path parameter")


def _body(
    endpoint: Endpoint, operation: Mapping[str, Any]
) -> tuple[str, ModelProperty | None, bool]:
    required = bool(operation.get("requestBody", {}).get("required"))
    if not endpoint.bodies:
        return "none", None, False
    if len(endpoint.bodies) > 1:
        raise FacadeError(f"{endpoint.name}: a facade for several body types is not generated")
    prop = endpoint.bodies[0].prop
    if endpoint.bodies[0].body_type == "json" and isinstance(prop, ModelProperty):
        return "fields", prop, required
    return "whole", None, required


def _pages(endpoint: Endpoint, successes: list[Any]) -> Pages | None:
    query = {_wire_name(parameter) for parameter in endpoint.query_parameters}
    if endpoint.method.lower() != "get" or "page" not in query or len(successes) != 1:
        return None
    prop = successes[0].prop
    if not isinstance(prop, ModelProperty):
        return None
    fields = {
        _wire_name(p): p
        for p in (prop.required_properties or []) + (prop.optional_properties or [])
    }
    results = fields.get("results")
    if not set(fields) >= PAGE_FIELDS or not isinstance(results, ListProperty):
        return None
    inner = results.inner_property
    return Pages(
        str(inner.get_type_string(no_optional=True).as_unembedded_code()),
        frozenset(inner.get_imports(prefix="...") | _lazy_imports(inner)),
        results=str(fields["results"].python_name),
        next=str(fields["next"].python_name),
    )


def _wire_name(prop: Any) -> str:
    # The name as the spec writes it; the generator keeps it as an UntrustedString, whose str()
    # is not the name.
    name = prop.name
    return str(name.get_untrusted_value() if hasattr(name, "get_untrusted_value") else name)


def _lazy_imports(prop: Any) -> set[str]:
    # The generator imports models lazily inside functions; a facade signature names them.
    lazy = getattr(prop, "get_lazy_imports", None)
    return set(lazy(prefix="...")) if lazy is not None else set()


def _check_keywords(method: Method) -> None:
    # Path, query, header and cookie parameters and body properties share one signature (a
    # whole body is its property named "body").
    names = [str(p.python_name) for p in method.documented]
    if method.pages is not None:
        names.append("max_pages")
    clashes = sorted({name for name in names if names.count(name) > 1} | ({"self"} & set(names)))
    if clashes:
        raise FacadeError(f"{method.operation_id}: parameters with the same name: {clashes}")
