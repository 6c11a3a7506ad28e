"""`make contract`: every operation of the spec, four ways, against Steady, an OpenAPI mock.

Steady (``@stdy/cli``, pinned in package.json/package-lock.json) serves the patched spec (below)
on a free loopback port, rejects any request that breaks it with a 400 carrying a ``steady``
diagnostic, and answers valid ones with random spec-valid bodies. Every operation the spec has is
called through the facade, ``studio.<resource>.<method>(...)`` of ``Studio`` and ``AsyncStudio``,
and through its generated ``sync_detailed`` and ``asyncio_detailed``; the operations, resources,
methods and functions are discovered, from the spec and the generated package, never named here.
Each call must be accepted by Steady, be the one request (a ``<method>_all`` one per page) the
innermost transport sees for that operation, and parse to what the operation declares.

Which spec judges the requests: the patched one, ``openapi.yaml`` with ``codegen/overlay.yaml``
and the request-body split of ``codegen/spec.py`` applied, exactly what the SDK was generated
from and ships as ``aisquare_studio_api/openapi.json`` (checked equal here). The published spec
reuses the response schema as the request body, so a body would need every required property,
server-owned ones included (ids, timestamps, counters); the patch marks those read-only and gives
the body its own schema with nothing required, so a partial body (only what the caller gave, as
``publish(1, title="x")`` sends) is judged valid as long as each property it carries is, and a
call without body arguments sends no body at all. ``--unpatched`` serves the spec as published
instead, to see what it would say.

Exit codes: 0 all good; 1 a diagnostic, a parse failure or a setup failure; 0 with a SKIPPED
line on stderr where npm is absent, except under CI (``CI`` set), where that fails too.
"""

from __future__ import annotations

import argparse
import asyncio
import enum
import functools
import importlib
import inspect
import json
import os
import pkgutil
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import types
import typing
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import IO, Any

import httpx
import yaml

from aisquare_studio_api.types import OPERATION_EXTENSION, Operation

ROOT = Path(__file__).resolve().parents[1]
STEADY_VERSION = "0.22.2"
SKIPPED = "SKIPPED: npm not found — Steady contract check not run"
API_KEY = "contract-check-key"  # any string: Steady checks the spec, not credentials
READY_TIMEOUT = 30.0  # seconds for Steady to start listening
CALL_TIMEOUT = 10.0  # seconds per call; Steady answers in milliseconds
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# Integer formats and the range a value of each can hold; no format is taken as int32, what
# the reference page gives for ids.
INTEGER_RANGES = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}
STRING_FORMATS = {
    "date-time": "2026-01-{day:02d}T12:00:00Z",
    "date": "2026-01-{day:02d}",
    "uuid": "00000000-0000-4000-8000-{seed:012d}",
    "uri": "https://example.com/contract/{seed}",
    "email": "contract{seed}@example.com",
}
UNIONS = (typing.Union, types.UnionType)


@dataclass
class Tally:
    """What one run saw: calls made, requests sent, bodies parsed, and every failure."""

    calls: dict[str, int] = field(default_factory=dict)
    parsed: int = 0
    requests: int = 0
    bodies: int = 0
    diagnostics: list[str] = field(default_factory=list)
    parse_failures: list[str] = field(default_factory=list)
    other_failures: list[str] = field(default_factory=list)

    @property
    def total_calls(self) -> int:
        return sum(self.calls.values())

    @property
    def ok(self) -> bool:
        return not (self.diagnostics or self.parse_failures or self.other_failures)

    def summary(self) -> str:
        return (
            f"steady: {self.total_calls} calls, {len(self.diagnostics)} diagnostics, "
            f"{len(self.parse_failures)} parse failures, {len(self.other_failures)} other failures"
            f" ({self.parsed} bodies parsed)"
        )


def steady_diagnostics(body: object) -> list[str]:
    """The diagnostics in a Steady 400 body (``{"steady": {"errors": [...]}}``), one line each."""
    if not isinstance(body, dict):
        return []
    report = body.get("steady")
    errors = report.get("errors") if isinstance(report, dict) else None
    if not isinstance(errors, list):
        return []
    return [_describe_diagnostic(error) for error in errors if isinstance(error, dict)]


def log_diagnostics(lines: Iterable[str]) -> tuple[int, list[str]]:
    """Requests Steady logged, and every diagnostic in its NDJSON log (spec or request)."""
    requests = 0
    found: list[str] = []
    for line in lines:
        try:
            event = json.loads(line)
        except ValueError:
            continue  # Steady prints a few plain lines around the JSON events
        if not isinstance(event, dict):
            continue
        if event.get("type") == "request":
            requests += 1
        where = "spec" if event.get("type") == "startup" else "request"
        for diagnostic in event.get("diagnostics") or []:
            if isinstance(diagnostic, dict):
                found.append(f"{where}: {_describe_diagnostic(diagnostic)}")
    return requests, found


def _describe_diagnostic(diagnostic: dict[str, Any]) -> str:
    where = diagnostic.get("path") or diagnostic.get("requestPath") or "?"
    return (
        f"{diagnostic.get('code', '?')} [{diagnostic.get('severity', '?')}] "
        f"{where}: {diagnostic.get('message', '')}"
    )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def install_steady() -> Path:
    """``npm ci`` from the committed lockfile; returns the steady executable."""
    subprocess.run(
        # --ignore-scripts: the native binary comes inside a registry package, nothing to fetch.
        ["npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"],
        cwd=ROOT,
        check=True,
    )
    steady = ROOT / "node_modules" / ".bin" / "steady"
    version = subprocess.run(
        [str(steady), "--version"], capture_output=True, text=True, check=True
    ).stdout.split()
    if version[-1:] != [STEADY_VERSION]:
        raise SystemExit(f"contract: expected steady {STEADY_VERSION}, got {' '.join(version)}")
    return steady


@contextmanager
def running_steady(steady: Path, spec: Path, log: IO[str]) -> Iterator[str]:
    """Steady on a free loopback port for the block's duration; always stopped afterwards."""
    port = free_port()
    command = [str(steady), "-p", str(port), "--host", "127.0.0.1", "--log-format", "json"]
    process = subprocess.Popen(
        [*command, "--no-color", str(spec)],
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: the node wrapper and the binary
        env={**os.environ, "NO_COLOR": "1"},
    )
    try:
        _wait_ready(process, port)
        yield f"http://127.0.0.1:{port}"
    finally:
        _stop(process)


def _wait_ready(process: subprocess.Popen[bytes], port: int) -> None:
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"contract: steady exited with {process.returncode} before listening")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"contract: steady did not listen on port {port} within {READY_TIMEOUT} s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=5)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


# --- what the spec says: operations, and values valid for their schemas ------------------------


@dataclass(frozen=True)
class SpecOperation:
    """One operation of the patched spec, as Steady judges it."""

    operation_id: str
    path_parameters: tuple[tuple[str, dict[str, Any]], ...]  # (name, schema), in spec order
    required_parameters: tuple[tuple[str, str, dict[str, Any]], ...]  # (in, name, schema)
    body: dict[str, Any] | None  # the JSON request body's schema, references resolved
    body_required: bool


def patched_spec(spec: Path) -> dict[str, Any]:
    """The document the SDK was generated from: ``spec`` with codegen/overlay.yaml applied and
    the request bodies split from the response schemas they reuse (codegen/spec.py)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from codegen.spec import patched

    return patched(spec)


def packaged_spec() -> dict[str, Any]:
    """The patched spec the generated package ships, ``aisquare_studio_api/openapi.json``."""
    from importlib.resources import files

    text = (files("aisquare_studio_api") / "openapi.json").read_text(encoding="utf-8")
    return dict(json.loads(text))


def resolve(document: dict[str, Any], schema: Any) -> dict[str, Any]:
    """``schema`` with its ``$ref`` (local ones, the only kind the spec uses) followed."""
    while isinstance(schema, dict) and "$ref" in schema:
        node: Any = document
        for part in str(schema["$ref"]).removeprefix("#/").split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        schema = node
    return dict(schema) if isinstance(schema, dict) else {}


def spec_operations(document: dict[str, Any]) -> dict[str, SpecOperation]:
    """Every operation of ``document`` by operationId."""
    found: dict[str, SpecOperation] = {}
    for item in document.get("paths", {}).values():
        for method in HTTP_METHODS:
            if method not in item:
                continue
            operation = item[method]
            parameters = [resolve(document, p) for p in item.get("parameters", [])]
            parameters += [resolve(document, p) for p in operation.get("parameters", [])]
            body = resolve(document, operation.get("requestBody"))
            media = body.get("content", {}).get("application/json")
            found[str(operation["operationId"])] = SpecOperation(
                operation_id=str(operation["operationId"]),
                path_parameters=tuple(
                    (str(p["name"]), resolve(document, p.get("schema")))
                    for p in parameters
                    if p.get("in") == "path"
                ),
                required_parameters=tuple(
                    (str(p["in"]), str(p["name"]), resolve(document, p.get("schema")))
                    for p in parameters
                    if p.get("in") != "path" and p.get("required")
                ),
                body=_resolved_object(document, media["schema"]) if media else None,
                body_required=bool(body.get("required")),
            )
    return found


def _resolved_object(document: dict[str, Any], schema: Any) -> dict[str, Any]:
    resolved = resolve(document, schema)
    properties = {
        name: resolve(document, value) for name, value in resolved.get("properties", {}).items()
    }
    return {**resolved, "properties": properties}


class NoValue(Exception):
    """No value is drawn for this schema here (a pattern, a nested object): leave it out."""


def value_for(schema: dict[str, Any], seed: int, *, positive: bool = False) -> Any:
    """A JSON value valid for ``schema``, reproducible from ``seed``; ``positive`` for an id."""
    if "enum" in schema:
        members = [member for member in schema["enum"] if member is not None]
        if not members:
            raise NoValue("an enum of null only")
        return members[seed % len(members)]
    branches = [b for b in schema.get("oneOf", schema.get("anyOf", [])) if b.get("type") != "null"]
    if branches:
        return value_for(branches[seed % len(branches)], seed, positive=positive)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), None)
    if kind == "integer":
        low, high = INTEGER_RANGES.get(str(schema.get("format")), INTEGER_RANGES["int32"])
        low = max(low, int(schema.get("minimum", low)), 1 if positive else low)
        high = min(high, int(schema.get("maximum", high)))
        if "exclusiveMinimum" in schema:
            low = max(low, int(schema["exclusiveMinimum"]) + 1)
        if "exclusiveMaximum" in schema:
            high = min(high, int(schema["exclusiveMaximum"]) - 1)
        return low + (seed * 2_654_435_761) % (high - low + 1)
    if kind == "boolean":
        return seed % 2 == 0
    if kind == "string" and "pattern" not in schema:
        if schema.get("format") in STRING_FORMATS:
            return STRING_FORMATS[str(schema["format"])].format(seed=seed, day=seed % 28 + 1)
        if "format" in schema:
            raise NoValue(f"a string of format {schema['format']}")
        text = f"contract {seed}"
        return text.ljust(int(schema.get("minLength", 0)), "x")[: schema.get("maxLength")]
    raise NoValue(f"a {kind or 'schema without a type'}")


def simple_properties(body: dict[str, Any]) -> list[str]:
    """The body's optional properties a value is drawn for, in the schema's order."""
    required = set(body.get("required", []))
    simple = []
    for name, schema in body.get("properties", {}).items():
        try:
            value_for(schema, 0)
        except NoValue:
            continue
        if name not in required and not schema.get("readOnly"):
            simple.append(name)
    return simple


def body_fields(operation: SpecOperation, seed: int) -> dict[str, Any]:
    """What a caller gives of the body on call ``seed``: every other call nothing at all (the
    facade then sends no body), the others two of the optional properties, in turn. The
    required properties always."""
    body = operation.body
    if body is None:
        return {}
    properties = body["properties"]
    given = [name for name in body.get("required", []) if name in properties]
    simple = simple_properties(body)
    if seed % 2 and simple:
        given += dict.fromkeys(simple[(seed // 2 + i) % len(simple)] for i in range(2))
    elif not given and not operation.body_required:
        return {}
    return {name: value_for(properties[name], seed) for name in given}


# --- what the generated package offers: the facade and the endpoint modules ---------------------


@dataclass(frozen=True)
class Target:
    """One way to call one operation: a facade method or a generated function."""

    label: str  # "Studio.<resource>.<method>", "<module>.sync_detailed", ...
    operation_id: str
    facade: bool
    is_async: bool
    resource: str = ""
    name: str = ""
    function: Callable[..., Any] | None = None  # the generated function


@functools.cache
def endpoint_modules() -> dict[str, ModuleType]:
    """Every generated endpoint module (one holding ``OPERATION``), by its operationId."""
    import aisquare_studio_api.api as api

    found: dict[str, ModuleType] = {}
    for tag in pkgutil.iter_modules(api.__path__, api.__name__ + "."):
        package = importlib.import_module(tag.name)
        for info in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
            module = importlib.import_module(info.name)
            operation = getattr(module, "OPERATION", None)
            if isinstance(operation, Operation):
                found[operation.operation_id] = module
    return found


def facades(resources: type) -> dict[str, Any]:
    """The facade class of each resource a client carries: read on the class, a resource
    attribute is its class."""
    return {name: getattr(resources, name) for name in vars(resources) if not name.startswith("_")}


def facade_targets(is_async: bool) -> list[Target]:
    """Every method of every facade resource a client carries (``SyncResources`` or
    ``AsyncResources`` attributes), with the operation the method's code sends."""
    from aisquare_studio_api.api import AsyncResources, SyncResources

    owner = AsyncResources if is_async else SyncResources
    client = "AsyncStudio" if is_async else "Studio"
    targets = []
    for resource, cls in facades(owner).items():
        facade_module = sys.modules[cls.__module__]
        for name, method in inspect.getmembers(cls, inspect.isfunction):
            if name.startswith("_"):
                continue
            # The endpoint module the method's code names: the one it sends through.
            sent = {
                module.OPERATION.operation_id
                for module in map(facade_module.__dict__.get, method.__code__.co_names)
                if isinstance(module, ModuleType)
                and isinstance(getattr(module, "OPERATION", None), Operation)
            }
            if len(sent) != 1:
                raise SystemExit(f"contract: {client}.{resource}.{name} sends {sorted(sent)}")
            label = f"{client}.{resource}.{name}"
            targets.append(Target(label, sent.pop(), True, is_async, resource, name))
    return targets


def function_targets(modules: dict[str, ModuleType]) -> list[Target]:
    """``sync_detailed`` and ``asyncio_detailed`` of every endpoint module."""
    targets = []
    for operation_id, module in modules.items():
        short = module.__name__.rsplit(".", 1)[1]
        for name, is_async in (("sync_detailed", False), ("asyncio_detailed", True)):
            function = getattr(module, name)
            targets.append(
                Target(f"{short}.{name}", operation_id, False, is_async, function=function)
            )
    return targets


def _members(annotation: Any) -> list[Any]:
    """The types of an annotation, without ``Unset`` and ``None``."""
    from aisquare_studio_api.types import Unset

    members = typing.get_args(annotation) if typing.get_origin(annotation) in UNIONS else ()
    return [m for m in members or (annotation,) if m not in (Unset, type(None))]


def as_python(value: Any, annotation: Any) -> Any:
    """A JSON value as the generated code takes it for ``annotation``: an enum member, a model."""
    for member in _members(annotation):
        if isinstance(member, type) and issubclass(member, enum.Enum):
            return member(value)
        if isinstance(value, dict) and hasattr(member, "from_dict"):
            return member.from_dict(value)
    return value


def _key(name: str) -> str:
    # A spec name as the generated code spells it, compared loosely: videoId, video_id, video-id.
    return "".join(char for char in name.lower() if char.isalnum())


def arguments(
    target: Target, operation: SpecOperation, seed: int, previous: dict[str, Any] | None
) -> tuple[list[Any], dict[str, Any]]:
    """Positional path arguments and keywords for one call, from the spec and the signature."""
    function = target.function
    if function is None:
        function = getattr(_FACADES[target.is_async][target.resource], target.name)
    signature = inspect.signature(function, eval_str=True)
    parameters = {_key(name): p for name, p in signature.parameters.items()}
    positional = []
    for name, schema in operation.path_parameters:
        parameter = parameters[_key(name)]
        value = value_for(schema, seed, positive=True)
        positional.append(as_python(value, parameter.annotation))
    keywords: dict[str, Any] = {}
    for _where, name, schema in operation.required_parameters:
        parameter = parameters[_key(name)]
        keywords[parameter.name] = as_python(value_for(schema, seed), parameter.annotation)
    fields = body_fields(operation, seed)
    if target.facade:
        for name, value in fields.items():
            parameter = parameters[_key(name)]
            keywords[parameter.name] = as_python(value, parameter.annotation)
        if target.name.endswith("_all") and "maxpages" in parameters:
            keywords[parameters["maxpages"].name] = 2
    elif "body" in parameters and operation.body is not None:
        if seed % 3 == 2 and previous is not None:
            # The last response sent back, as far as the request body has its properties: the
            # request side of the models must satisfy the spec with server-made values too.
            fields = {k: v for k, v in previous.items() if k in operation.body["properties"]}
        if fields:
            keywords["body"] = as_python(fields, parameters["body"].annotation)
    return positional, keywords


_FACADES: dict[bool, dict[str, type]] = {}


# --- the calls ---------------------------------------------------------------------------------


class Recorder:
    """The innermost transport's view: the operation each request that reaches it is made for."""

    def __init__(self) -> None:
        self.sent: list[str] = []
        self.bodies = 0  # requests that carried a body

    def note(self, request: httpx.Request) -> None:
        operation = request.extensions.get(OPERATION_EXTENSION)
        self.sent.append(operation.operation_id if isinstance(operation, Operation) else "?")
        self.bodies += bool(request.content)


class RecordingTransport(httpx.HTTPTransport):
    def __init__(self, recorder: Recorder) -> None:
        super().__init__()
        self._recorder = recorder

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self._recorder.note(request)
        return super().handle_request(request)


class AsyncRecordingTransport(httpx.AsyncHTTPTransport):
    def __init__(self, recorder: Recorder) -> None:
        super().__init__()
        self._recorder = recorder

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self._recorder.note(request)
        return await super().handle_async_request(request)


def plan_targets() -> list[Target]:
    """Every operation four ways: sync and async facade, sync and async generated function."""
    from aisquare_studio_api.api import AsyncResources, SyncResources

    for is_async, owner in ((False, SyncResources), (True, AsyncResources)):
        _FACADES[is_async] = facades(owner)
    modules = endpoint_modules()
    return facade_targets(False) + facade_targets(True) + function_targets(modules)


def coverage_failures(operations: dict[str, SpecOperation], targets: list[Target]) -> list[str]:
    """Each spec operation must be reachable each of the four ways, and nothing else."""
    failures = []
    for kind in ("Studio.", "AsyncStudio.", ".sync_detailed", ".asyncio_detailed"):
        ids = [t.operation_id for t in targets if kind in t.label]
        covered = set(ids)
        missing = sorted(set(operations) - covered)
        extra = sorted(covered - set(operations))
        if missing:
            failures.append(f"no {kind.strip('.')} call for {missing}")
        if extra:
            failures.append(f"{kind.strip('.')} calls operations the spec lacks: {extra}")
    return failures


def run_calls(
    base_url: str,
    iterations: int,
    operations: dict[str, SpecOperation],
    targets: list[Target],
    tally: Tally,
) -> None:
    """Each target ``iterations`` times; seeds make every response reproducible."""
    from aisquare_studio import AsyncStudio, Studio

    recorder = Recorder()
    previous: dict[str, dict[str, Any]] = {}  # the last body parsed, by operationId

    def headers(seed: int) -> dict[str, str]:
        # One Steady seed per call: varied random bodies that a failure report can replay.
        return {"X-Steady-Seed": str(seed), "X-Steady-Array-Max": "3"}

    def prepare(target: Target, seed: int) -> tuple[list[Any], dict[str, Any]] | None:
        tally.calls[target.label] = tally.calls.get(target.label, 0) + 1
        try:
            return arguments(
                target, operations[target.operation_id], seed, previous.get(target.operation_id)
            )
        except Exception as error:  # noqa: BLE001  # a plan that cannot be followed is reported
            tally.other_failures.append(f"{target.label} seed={seed}: arguments: {error!r}")
            return None

    def planned(
        is_async: bool, seed: int
    ) -> Iterator[tuple[int, Target, list[Any], dict[str, Any]]]:
        # The calls of one kind of client, sync or async, each with its seed and arguments.
        for target in (t for t in targets if t.is_async == is_async):
            for _ in range(iterations):
                seed += 1
                call = prepare(target, seed)
                if call is not None:
                    yield seed, target, *call

    # No retries: each call is exactly one request (a <method>_all one per page), so Steady's
    # log count must match the transport's.
    with Studio(
        API_KEY,
        base_url=base_url,
        timeout=CALL_TIMEOUT,
        max_retries=0,
        transport=RecordingTransport(recorder),
    ) as studio:
        for seed, target, positional, keywords in planned(is_async=False, seed=0):
            client = studio.with_options(default_headers=headers(seed))
            before = len(recorder.sent)
            with recording(tally, target, seed, recorder, before, previous) as record:
                if target.facade:
                    method = getattr(getattr(client, target.resource), target.name)
                    result = method(*positional, **keywords)
                    record(list(result) if target.name.endswith("_all") else result)
                else:
                    assert target.function is not None
                    record(target.function(*positional, client=client.api_client, **keywords))

    async def run_async(first: int) -> None:
        async with AsyncStudio(
            API_KEY,
            base_url=base_url,
            timeout=CALL_TIMEOUT,
            max_retries=0,
            transport=AsyncRecordingTransport(recorder),
        ) as studio:
            for seed, target, positional, keywords in planned(is_async=True, seed=first):
                client = studio.with_options(default_headers=headers(seed))
                before = len(recorder.sent)
                with recording(tally, target, seed, recorder, before, previous) as record:
                    if target.facade:
                        method = getattr(getattr(client, target.resource), target.name)
                        if target.name.endswith("_all"):
                            record([item async for item in method(*positional, **keywords)])
                        else:
                            record(await method(*positional, **keywords))
                    else:
                        assert target.function is not None
                        response = await target.function(
                            *positional, client=client.api_client, **keywords
                        )
                        record(response)

    # The async calls' seeds follow the sync ones'.
    asyncio.run(run_async(iterations * sum(not t.is_async for t in targets)))
    tally.requests += len(recorder.sent)
    tally.bodies += recorder.bodies


@contextmanager
def recording(
    tally: Tally,
    target: Target,
    seed: int,
    recorder: Recorder,
    before: int,
    previous: dict[str, dict[str, Any]],
) -> Iterator[Callable[[object], None]]:
    """One call: the block hands its result to ``record``, which checks what it parsed to and
    that the requests it made were for the target's operation."""
    from aisquare_studio_api.types import PageLimitError, Response

    operation: Operation = endpoint_modules()[target.operation_id].OPERATION
    where = f"{target.label} seed={seed}"

    def check(parsed: object, status: int | None) -> None:
        successes = operation.success
        expected = (
            {successes[status].type_name}
            if status is not None and status in successes
            else {s.type_name for s in successes.values()}
        )
        if parsed is None and any(s.parse is None for s in successes.values()):
            tally.parsed += 1
            return
        if type(parsed).__name__ in expected or not all(n.isidentifier() for n in expected):
            tally.parsed += 1
            to_dict = getattr(parsed, "to_dict", None)
            if callable(to_dict):
                previous[target.operation_id] = to_dict()
            return
        tally.parse_failures.append(
            f"{where}: got {type(parsed).__name__}, expected {' or '.join(sorted(expected))}"
        )

    def record(result: object) -> None:
        if isinstance(result, Response):
            if int(result.status_code) not in operation.success:
                tally.parse_failures.append(f"{where}: status {int(result.status_code)}")
                return
            check(result.parsed, int(result.status_code))
        elif isinstance(result, list) and target.name.endswith("_all"):
            tally.parsed += 1  # the items were parsed page by page
        else:
            check(result, None)

    try:
        yield record
    except PageLimitError:
        tally.parsed += 1  # a <method>_all stopped at max_pages: Steady's next is random
    except Exception as error:  # noqa: BLE001  # every failure is recorded, then reported
        _record(tally, where, error)
    sent = recorder.sent[before:]
    if not sent or set(sent) != {target.operation_id}:
        tally.other_failures.append(f"{where}: sent requests for {sent}, not {target.operation_id}")


def _record(tally: Tally, where: str, error: Exception) -> None:
    from aisquare_studio import BadRequestError, ResponseValidationError

    if isinstance(error, BadRequestError):
        found = steady_diagnostics(error.body) or [str(error)]
        tally.diagnostics.extend(f"{where}: {line}" for line in found)
    elif isinstance(error, ResponseValidationError):
        body = error.response.text[:2000]
        tally.parse_failures.append(f"{where}: {error} (field {error.field}); body: {body}")
    else:
        tally.other_failures.append(f"{where}: {type(error).__name__}: {error}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--iterations", type=int, default=50, help="calls per way (default 50)")
    parser.add_argument("--spec", type=Path, default=ROOT / "openapi.yaml")
    parser.add_argument(
        "--unpatched", action="store_true", help="serve the spec as published, not patched"
    )
    args = parser.parse_args(argv)

    if shutil.which("npm") is None or shutil.which("node") is None:
        print(SKIPPED, file=sys.stderr)
        if os.environ.get("CI"):
            print("contract: npm is required in CI (CI is set)", file=sys.stderr)
            return 1
        return 0

    tally = Tally()
    document = patched_spec(args.spec)
    if args.spec.resolve() == (ROOT / "openapi.yaml").resolve() and document != packaged_spec():
        tally.other_failures.append(
            "aisquare_studio_api/openapi.json is not the patched openapi.yaml: run make generate"
        )
    operations = spec_operations(document)
    targets = plan_targets()
    tally.other_failures.extend(coverage_failures(operations, targets))
    served = yaml.safe_load(args.spec.read_text(encoding="utf-8")) if args.unpatched else document

    steady = install_steady()
    with tempfile.TemporaryDirectory() as scratch, tempfile.TemporaryFile("w+") as log:
        spec = Path(scratch) / "openapi.json"
        spec.write_text(json.dumps(served), encoding="utf-8")
        with running_steady(steady, spec, log) as base_url:
            run_calls(base_url, args.iterations, operations, targets, tally)
        log.seek(0)
        logged, server_diagnostics = log_diagnostics(log)
    tally.diagnostics.extend(d for d in server_diagnostics if d.startswith("spec:"))
    if logged != tally.requests:
        tally.other_failures.append(f"steady logged {logged} requests, we sent {tally.requests}")
    # Steady's own log must agree: a request diagnostic not seen by the client is still a failure.
    request_diagnostics = [d for d in server_diagnostics if d.startswith("request:")]
    if len(request_diagnostics) > len(tally.diagnostics):
        tally.diagnostics.extend(request_diagnostics[len(tally.diagnostics) :])

    for line in tally.diagnostics + tally.parse_failures + tally.other_failures:
        print(f"contract: {line}", file=sys.stderr)
    for label, count in sorted(tally.calls.items()):
        print(f"  {label}: {count} calls")
    print(
        f"{len(operations)} operations, {len(targets)} ways to call them: {tally.requests} "
        f"requests, {tally.bodies} with a body"
    )
    print(tally.summary())
    return 0 if tally.ok else 1


if __name__ == "__main__":
    sys.exit(main())
