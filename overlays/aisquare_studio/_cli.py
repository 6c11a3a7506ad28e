"""The ``aisquare-studio`` command: every operation of the API, or the sandbox.

``aisquare-studio <resource> <method> ARG... [--field VALUE ...] [--json OBJECT]`` calls
``studio.<resource>.<method>(...)`` of an ``AsyncStudio``. Nothing here names an operation: the
resources, methods, their arguments and their help come from the generated facade
(``AsyncResources``). The positional arguments are the method's path arguments, converted from
its annotations (int, str) and checked by the generated facade before anything is sent; a method
with one of them takes several, one call each (``videos publish 101 102``), run concurrently, the
results printed in the order given, one JSON object per line. ``--field VALUE`` gives a keyword
argument (the body's fields), ``--json '{...}'`` several at once.

Exit codes: 0 success; 1 an API or network error (one line per failure on stderr); 2 the command
could not start: bad arguments, no API key, or a base URL the SDK refuses. 130 after Ctrl-C,
for calls and ``sandbox`` alike (SIGTERM stops the sandbox with 0: it is how a supervisor asks
it to stop). 141 when the reader of stdout or stderr goes away, as in
``aisquare-studio videos publish ... | head -1``: the command stops quietly, calls not yet sent
are not sent, and the status is the one a shell reports for a tool killed by SIGPIPE
(128 + 13), so ``set -o pipefail`` scripts see what they would see from ``cat`` or ``grep``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime
import enum
import inspect
import json
import math
import os
import re
import signal
import sys
import textwrap
import threading
import types
import typing
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import FrameType
from typing import Any, TextIO

from aisquare_studio_api.api import AsyncResources, SyncResources
from aisquare_studio_api.types import File, Unset, parse_datetime

from ._client import AsyncStudio
from ._config import API_KEY_ENV, BASE_URL_ENV, DEFAULT_TIMEOUT
from ._errors import StudioError
from ._retry import RetryPolicy
from ._version import __version__

PROG = "aisquare-studio"
# Enough to overlap network waits without hammering the API when given hundreds of arguments.
MAX_CONCURRENT_CALLS = 8
EXIT_INTERRUPTED = 130  # 128 + SIGINT
EXIT_PIPE_CLOSED = 141  # 128 + SIGPIPE
# The client's own options, on every method's command; a keyword of the same name is --json only.
_CLIENT_OPTIONS = frozenset({"base_url", "timeout", "max_retries", "json", "help"})
_UNIONS = (typing.Union, types.UnionType)
_INTEGER = re.compile(r"[+-]?[0-9]+")


class UsageError(Exception):
    """The command cannot start as asked: exit 2 with this one line."""


# --- what the generated facade offers ------------------------------------------------------------


@dataclass(frozen=True)
class Command:
    """One facade method as a command: ``<resource> <method>``."""

    resource: str
    name: str
    method: Callable[..., Any]  # the async facade's, unbound
    check: Callable[..., Any]  # the sync facade's, unbound: its checks, run before any request
    positional: tuple[inspect.Parameter, ...]  # the path arguments
    keywords: tuple[inspect.Parameter, ...]

    @property
    def summary(self) -> str:
        """The first line of the method's docstring."""
        return (inspect.getdoc(self.method) or "").strip().partition("\n")[0]

    def argument_help(self, parameter: inspect.Parameter) -> str:
        """What the argument takes, then the first line the docstring's ``Args:`` gives for it."""
        members = _members(parameter.annotation)
        simple = all(_is_simple(m) for m in members)
        takes = _expected(members) if simple else "JSON"
        found = re.search(rf"^\s*{re.escape(parameter.name)} \([^)]*\):(.*)$", self.doc, re.M)
        described = found.group(1).strip() if found else ""
        # An enum's docstring lists its members, which ``takes`` has named already.
        return f"{takes}: {described}" if described and not described.startswith("*") else takes

    @property
    def doc(self) -> str:
        return inspect.getdoc(self.method) or ""


def _resources(resources: type) -> dict[str, Any]:
    """The facade class of each resource: read on the class, a resource attribute is its
    class (the generated ``_Resource`` descriptor), loaded then."""
    return {name: getattr(resources, name) for name in vars(resources) if not name.startswith("_")}


def commands() -> dict[str, dict[str, Command]]:
    """Every method of every resource a client carries, by resource and method name."""
    sync = _resources(SyncResources)
    found: dict[str, dict[str, Command]] = {}
    for resource, cls in _resources(AsyncResources).items():
        methods = found.setdefault(resource, {})
        for name, method in inspect.getmembers(cls, inspect.isfunction):
            if name.startswith("_"):
                continue
            parameters = list(inspect.signature(method, eval_str=True).parameters.values())[1:]
            methods[name] = Command(
                resource=resource,
                name=name,
                method=method,
                check=getattr(sync[resource], name),
                positional=tuple(p for p in parameters if p.kind is p.POSITIONAL_OR_KEYWORD),
                keywords=tuple(p for p in parameters if p.kind is p.KEYWORD_ONLY),
            )
    return found


def _members(annotation: Any) -> list[Any]:
    """The types an annotation allows, without ``Unset`` and ``None``."""
    members = typing.get_args(annotation) if typing.get_origin(annotation) in _UNIONS else ()
    return [m for m in members or (annotation,) if m not in (Unset, type(None))]


def convert(text: str, annotation: Any, name: str) -> Any:
    """A command line word as the facade takes it for ``annotation``; a UsageError if it is not.
    ``null`` is None where the annotation allows it, as JSON's null would be."""
    members = _members(annotation)
    if text == "null" and type(None) in typing.get_args(annotation):
        return None
    if File in members:
        raise UsageError(f"{name} is a file: the command line does not send files")
    for member in members:
        if member is int and _INTEGER.fullmatch(text):
            return int(text)
        if member is str:
            return text
        if member is bool and text in ("true", "false"):
            return text == "true"
        if member is float:
            with contextlib.suppress(ValueError):
                return float(text)
        if member is datetime.datetime:  # a date alone is refused, not taken as midnight
            with contextlib.suppress(TypeError, ValueError):
                return parse_datetime(text)
        if isinstance(member, type) and issubclass(member, enum.Enum):
            with contextlib.suppress(ValueError):
                return member(text)
    if all(_is_simple(m) for m in members):
        raise UsageError(f"invalid {name} {text!r}: expected {_expected(members)}")
    try:  # a list, an object or anything else: JSON
        value = json.loads(text)
    except ValueError:
        raise UsageError(f"invalid {name} {text!r}: expected JSON") from None
    return from_json(value, annotation, name)


def from_json(value: Any, annotation: Any, name: str) -> Any:
    """A JSON value as the facade takes it: an enum member, a model, or the value itself;
    a UsageError for a scalar of the wrong JSON type, as the option would give."""
    members = _members(annotation)
    if value is None and type(None) in typing.get_args(annotation):
        return None
    if (
        members
        and all(m in _SCALARS for m in members)
        and not any(_is_json_of(value, m) for m in members)
    ):
        raise UsageError(f"invalid {name} {json.dumps(value)[:40]}: expected {_expected(members)}")
    for member in members:
        if _is_enum(member):
            with contextlib.suppress(ValueError):
                return member(value)
        elif member is datetime.datetime and isinstance(value, str):
            with contextlib.suppress(TypeError, ValueError):
                return parse_datetime(value)
        elif isinstance(value, dict) and hasattr(member, "from_dict"):
            try:
                return member.from_dict(value)
            except (TypeError, ValueError, KeyError) as error:
                raise UsageError(f"invalid {name}: {error}") from None
    return value


_SCALARS = (int, float, bool, str)


def _is_json_of(value: object, member: type) -> bool:
    # JSON true is a boolean, never a number, although Python's bool is an int.
    if member is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, member) and (member is bool) == isinstance(value, bool)


def _is_simple(member: Any) -> bool:
    # What one command line word gives without JSON.
    return member in (int, str, bool, float, datetime.datetime) or _is_enum(member)


def _is_enum(member: Any) -> bool:
    return isinstance(member, type) and issubclass(member, enum.Enum)


_NAMES = {
    int: "an int",
    str: "a string",
    bool: "true or false",
    datetime.datetime: "an ISO 8601 date-time",
}


def _expected(members: list[Any]) -> str:
    names = []
    for member in members:
        if _is_enum(member):
            names.append("one of " + ", ".join(str(m.value) for m in member))
        else:
            names.append(_NAMES.get(member, "a number"))
    return " or ".join(names)


# --- the command line --------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command with ``argv`` (default ``sys.argv[1:]``) and return its exit code."""
    found = commands()
    try:
        args = _parser(found).parse_args(argv)
    except SystemExit as done:  # argparse has printed the usage error (2) or the help (0)
        return done.code if isinstance(done.code, int) else 2
    where = args.command if args.command == "sandbox" else f"{args.command} {args.method}"
    try:
        if args.command == "sandbox":
            return _serve_sandbox(args.port)
        return _call(found[args.command][args.method], args)
    except UsageError as error:
        print(f"{PROG} {where}: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # `aisquare-studio videos publish ... | head -1`: the reader left
        _discard_output()
        return EXIT_PIPE_CLOSED


def _discard_output() -> None:
    # Python flushes stdout and stderr at exit, and would fail again on the closed pipe with an
    # "Exception ignored" message on stderr: point both descriptors at /dev/null first. Either may
    # be the closed one (`2>&1 | head -1`), and nothing more is to be said on them.
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(AttributeError, OSError, ValueError):  # not a file (tests)
                os.dup2(devnull, stream.fileno())
    finally:
        os.close(devnull)


def _parser(found: dict[str, dict[str, Command]]) -> argparse.ArgumentParser:
    width = max((len(r) + len(m) for r in found for m in found[r]), default=0) + 4
    listing = "\n".join(
        f"  {f'{resource} {name}':<{width}}{command.summary}"
        for resource, methods in found.items()
        for name, command in methods.items()
    )
    parser = argparse.ArgumentParser(
        prog=PROG,
        description=f"Command line for the AISquare Studio API.\n\noperations:\n{listing}",
        epilog=textwrap.fill(
            f"The API key comes from {API_KEY_ENV}. Exit codes: 0 success, 1 an API or "
            "network error, 2 a usage or configuration error, 130 interrupted (Ctrl-C), 141 the "
            "output's reader went away."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subcommands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    client = _client_options()
    for resource, methods in found.items():
        resource_parser = subcommands.add_parser(
            resource,
            help=f"the {resource} operations: {', '.join(methods)}",
            description=f"The {resource} operations.",
        )
        method_parsers = resource_parser.add_subparsers(
            dest="method", required=True, metavar="METHOD"
        )
        for command in methods.values():
            _add_method(method_parsers, command, client)

    sandbox = subcommands.add_parser(
        "sandbox",
        help="serve the local sandbox API on loopback until Ctrl-C",
        description="Serve the sandbox (seeded data, the sandbox key) on 127.0.0.1.",
    )
    sandbox.add_argument(
        "--port", type=_port, default=0, metavar="P", help="TCP port (default: a free one)"
    )
    return parser


def _add_method(method_parsers: Any, command: Command, client: argparse.ArgumentParser) -> None:
    paths = [p.name.upper() for p in command.positional]
    several = " (several: one call each, concurrently)" if len(paths) == 1 else ""
    parser = method_parsers.add_parser(
        command.name,
        help=command.summary,
        description=f"{command.summary}: studio.{command.resource}.{command.name}(...){several}."
        " Prints each result as one JSON object per line, in the order given.",
        parents=[client],
    )
    if paths:
        group = " ".join(paths)
        parser.add_argument(
            "arguments",
            nargs="+",
            metavar=group,
            help="; ".join(command.argument_help(p) for p in command.positional),
        )
    keywords = parser.add_argument_group("keyword arguments")
    for parameter in command.keywords:
        if parameter.name in _CLIENT_OPTIONS:
            continue
        required = parameter.default is inspect.Parameter.empty
        keywords.add_argument(
            f"--{parameter.name.replace('_', '-')}",
            dest=f"keyword_{parameter.name}",
            metavar="VALUE",
            help=command.argument_help(parameter) + (" (required)" if required else ""),
        )
    keywords.add_argument(
        "--json",
        dest="keywords_json",
        metavar="OBJECT",
        help='keyword arguments as one JSON object, {"name": value, ...}; --NAME VALUE wins',
    )


def _client_options() -> argparse.ArgumentParser:
    client = argparse.ArgumentParser(add_help=False)
    options = client.add_argument_group("client options")
    options.add_argument(
        "--base-url", metavar="URL", help=f"API root (default: {BASE_URL_ENV}, else production)"
    )
    options.add_argument(
        "--timeout",
        type=_seconds,
        default=DEFAULT_TIMEOUT,
        metavar="S",
        help=f"seconds per attempt ({DEFAULT_TIMEOUT:g})",
    )
    options.add_argument(
        "--max-retries",
        type=_retries,
        metavar="N",
        help=f"retries after the first attempt ({RetryPolicy().max_retries})",
    )
    return client


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"invalid seconds {text!r}: expected a number > 0")
    return value


def _retries(text: str) -> int:
    if not text.isascii() or not text.isdigit():
        raise argparse.ArgumentTypeError(f"invalid count {text!r}: expected a whole number >= 0")
    return int(text)


def _port(text: str) -> int:
    if not text.isascii() or not text.isdigit() or not 0 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"invalid port {text!r}: expected 0 to 65535")
    return int(text)


# --- a call --------------------------------------------------------------------------------------


class _Checked(Exception):
    """The facade's checks passed and it asked for a connection: nothing is sent."""


class _CheckingClient:
    """What the sync facade is given to run its checks only: it stops at the first send."""

    def get_httpx_client(self) -> Any:
        raise _Checked


def _calls(command: Command, args: argparse.Namespace) -> tuple[list[list[Any]], dict[str, Any]]:
    """The positional arguments of each call, and the keywords of all, converted and checked."""
    keywords: dict[str, Any] = {}
    by_key = {_key(p.name): p for p in command.keywords}
    if args.keywords_json is not None:
        try:
            given = json.loads(args.keywords_json)
        except ValueError as error:
            raise UsageError(f"--json is not JSON: {error}") from None
        if not isinstance(given, dict):
            raise UsageError("--json must be a JSON object of keyword arguments")
        for name, value in given.items():
            parameter = by_key.get(_key(str(name)))
            if parameter is None:
                raise UsageError(f"--json: {command.name} takes no argument {name!r}")
            keywords[parameter.name] = from_json(value, parameter.annotation, parameter.name)
    for parameter in command.keywords:
        text = getattr(args, f"keyword_{parameter.name}", None)
        if text is not None:
            keywords[parameter.name] = convert(text, parameter.annotation, parameter.name)
    missing = [
        f"--{p.name.replace('_', '-')}"
        for p in command.keywords
        if p.default is inspect.Parameter.empty and p.name not in keywords
    ]
    if missing:
        raise UsageError(f"{command.name} needs {' and '.join(missing)} (or them in --json)")
    words = list(getattr(args, "arguments", None) or [])
    size = len(command.positional)
    if size > 1 and len(words) % size:
        names = " ".join(p.name.upper() for p in command.positional)
        raise UsageError(f"expected {names} in groups of {size}, got {len(words)} arguments")
    groups = [words[i : i + size] for i in range(0, len(words), size)] if size else [[]]
    calls = [
        [convert(w, p.annotation, p.name) for w, p in zip(group, command.positional, strict=True)]
        for group in groups
    ]
    for positional in calls:
        # The generated facade's own checks (an id's range, a keyword's type), nothing sent.
        try:
            result = command.check(_facade(command), *positional, **keywords)
            if inspect.isgenerator(result):
                next(result)
        except _Checked:
            continue
        except (TypeError, ValueError) as error:
            raise UsageError(str(error)) from None
    return calls, keywords


def _facade(command: Command) -> Any:
    owner = _resources(SyncResources)[command.resource]
    return owner(_CheckingClient())


def _key(name: str) -> str:
    return "".join(char for char in name.lower() if char.isalnum())


def _call(command: Command, args: argparse.Namespace) -> int:
    calls, keywords = _calls(command, args)
    # Checked here as well as by the SDK: its message speaks of api_key=..., which a command
    # line user cannot pass.
    if not os.environ.get(API_KEY_ENV):
        raise UsageError(f"no API key: set the {API_KEY_ENV} environment variable")
    try:  # the SDK's own checks of the key and the base URL, before any work starts
        studio = AsyncStudio(
            base_url=args.base_url, timeout=args.timeout, max_retries=args.max_retries
        )
    except StudioError as error:
        raise UsageError(str(error)) from None
    failures = asyncio.run(_call_all(studio, command, calls, keywords))
    return 1 if failures else 0


async def _call_all(
    studio: AsyncStudio, command: Command, calls: list[list[Any]], keywords: dict[str, Any]
) -> int:
    """Call concurrently, print in input order as results become available; failures count."""
    label = f"{command.resource} {command.name}"
    progress = _Progress(label, len(calls), sys.stderr)
    slots = asyncio.Semaphore(MAX_CONCURRENT_CALLS)

    async def one(positional: list[Any]) -> list[Any] | StudioError:
        async with slots:
            method = getattr(getattr(studio, command.resource), command.name)
            try:
                result = method(*positional, **keywords)
                if inspect.isawaitable(result):
                    results = [await result]
                else:  # a <method>_all: an async iterator of the items of every page
                    results = [item async for item in result]
            except StudioError as error:
                progress.advance(failed=True)
                return error
            progress.advance(failed=False)
            return results

    failures = 0
    reader_gone = False
    # A task group: should one call fail outside the error tree (a bug), the others stop too.
    async with studio, asyncio.TaskGroup() as group:
        tasks = [group.create_task(one(positional)) for positional in calls]
        try:
            for positional, task in zip(calls, tasks, strict=True):
                result = await task
                with progress.hidden():
                    if isinstance(result, StudioError):
                        failures += 1
                        called = " ".join([label, *map(str, positional)])
                        print(f"{PROG}: {called}: {_describe(result)}", file=sys.stderr)
                    else:
                        for item in result:
                            # JSON escapes control characters: one line, no terminal escapes.
                            print(json.dumps(_jsonable(item)), flush=True)
        except BrokenPipeError:
            # No one reads the results any more: stop, as a tool killed by SIGPIPE would. Raised
            # here, the error would reach main() wrapped in the task group's ExceptionGroup.
            reader_gone = True
            for task in tasks:
                task.cancel()
    progress.finish()
    if reader_gone:
        raise BrokenPipeError
    return failures


def _jsonable(value: Any) -> Any:
    """A result as JSON: a model exactly as its ``to_dict()`` gives it."""
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):
        return to_dict()
    if isinstance(value, list):
        return [_jsonable(item) for item in value]
    if isinstance(value, enum.Enum):
        return value.value
    return value


def _describe(error: StudioError) -> str:
    # str(error) is already one line with the status, the message and the request id, and the
    # SDK has redacted the key from it; the class name says which branch of the tree it is.
    return f"{type(error).__name__}: {error}"


class _Progress:
    """A one-line counter on stderr, drawn only when stderr is a terminal and there are several
    calls: "videos publish: 3/10", then "videos publish: 7/10, 1 failed" once a call has failed:
    the count is of calls that succeeded."""

    def __init__(self, label: str, total: int, stream: TextIO) -> None:
        self._label = label
        self._total = total
        self._succeeded = 0
        self._failed = 0
        self._stream = stream
        self._enabled = total > 1 and stream.isatty()
        self._draw()

    def advance(self, *, failed: bool) -> None:
        """Count one finished call, succeeded or failed."""
        if failed:
            self._failed += 1
        else:
            self._succeeded += 1
        self._draw()

    def hidden(self) -> _Hidden:
        """Erase the counter while a result line prints, then draw it again."""
        return _Hidden(self)

    def finish(self) -> None:
        self._erase()
        self._enabled = False

    def _draw(self) -> None:
        if self._enabled:
            # The text only grows (counts rise, the failure count appears once), so each
            # drawing covers the one before without erasing it.
            failed = f", {self._failed} failed" if self._failed else ""
            self._stream.write(f"\r{self._label}: {self._succeeded}/{self._total}{failed}")
            self._stream.flush()

    def _erase(self) -> None:
        if self._enabled:
            self._stream.write("\r\x1b[K")
            self._stream.flush()


class _Hidden:
    def __init__(self, progress: _Progress) -> None:
        self._progress = progress

    def __enter__(self) -> None:
        self._progress._erase()

    def __exit__(self, *exc: object) -> None:
        self._progress._draw()


# --- sandbox ---------------------------------------------------------------------------------


def _serve_sandbox(port: int) -> int:
    from .sandbox import SANDBOX_API_KEY, Sandbox

    sandbox = Sandbox()
    stop = threading.Event()
    stopped_by: list[int] = []

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stopped_by.append(signum)
        stop.set()

    handlers = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        try:
            server = sandbox.serve(port=port).start()
        except OSError as error:
            print(f"{PROG} sandbox: error: cannot listen on port {port}: {error}", file=sys.stderr)
            return 1
        try:
            print(f"Sandbox serving the AISquare Studio API at {server.url}")
            print(f"  export {BASE_URL_ENV}={server.url}")
            print(f"  export {API_KEY_ENV}={SANDBOX_API_KEY}")
            print(f"{sandbox.summary()} Press Ctrl-C to stop.", flush=True)
            stop.wait()
        finally:
            server.close()
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
    print(f"Sandbox stopped after {len(sandbox.requests)} requests.", flush=True)
    # Ctrl-C is an interruption, reported as 130 like every other one; SIGTERM is the normal way
    # to stop a server (a supervisor, a test harness), so it is a success.
    return EXIT_INTERRUPTED if stopped_by[:1] == [signal.SIGINT] else 0
