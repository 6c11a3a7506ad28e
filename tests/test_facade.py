"""The generated facade, ``studio.<resource>.<method>``: what it sends, what it refuses before
sending, and that the overlay it is attached by names no operation."""

from __future__ import annotations

import ast
import inspect
import json
import re
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
import yaml

import aisquare_studio_api.models
from aisquare_studio import AsyncStudio, Studio, VideoDetail
from aisquare_studio.sandbox import Sandbox
from aisquare_studio_api.api import AsyncResources, SyncResources
from aisquare_studio_api.models import VideoTemplate
from tests.clients import KINDS, backend_for_kind, kind_param

ROOT = Path(__file__).resolve().parent.parent
OVERLAY = ROOT / "overlays" / "aisquare_studio"
SPEC = yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))

kind = pytest.fixture(params=KINDS, name="kind")(kind_param)
anyio_backend = pytest.fixture(name="anyio_backend")(backend_for_kind)


class Recorder:
    """A transport answering every publish with a valid video, keeping what was sent."""

    def __init__(self) -> None:
        self.sent: list[httpx.Request] = []
        self.body = json.dumps(Sandbox().video(101)).encode()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.sent.append(request)
        return httpx.Response(200, content=self.body, headers={"Content-Type": "application/json"})


async def publish(kind: str, *args: Any, **kwargs: Any) -> tuple[VideoDetail, list[httpx.Request]]:
    recorder = Recorder()
    options: dict[str, Any] = {"api_key": "k", "base_url": "http://localhost"}
    if kind == "sync":

        def run() -> VideoDetail:
            with Studio(transport=httpx.MockTransport(recorder), **options) as studio:
                return studio.videos.publish(*args, **kwargs)

        return await anyio.to_thread.run_sync(run), recorder.sent
    async with AsyncStudio(transport=httpx.MockTransport(recorder), **options) as studio:
        return await studio.videos.publish(*args, **kwargs), recorder.sent


@pytest.mark.anyio
async def test_publish_with_fields_sends_exactly_those_fields(kind: str) -> None:
    # The reference page's own example request.
    video, sent = await publish(kind, 1, title="Launch Event Highlights", workspace=42)

    assert isinstance(video, VideoDetail)
    assert [request.url.path for request in sent] == ["/api/v1/videos/1/publish/"]
    assert json.loads(sent[0].content) == {"title": "Launch Event Highlights", "workspace": 42}
    assert sent[0].headers["content-type"] == "application/json"


@pytest.mark.anyio
async def test_publish_without_fields_sends_no_body(kind: str) -> None:
    _, sent = await publish(kind, 1)

    assert sent[0].content == b""
    assert "content-type" not in sent[0].headers


@pytest.mark.anyio
async def test_none_sends_null_where_the_spec_allows_it(kind: str) -> None:
    _, sent = await publish(kind, 1, description=None, is_draft=False)

    assert json.loads(sent[0].content) == {"description": None, "is_draft": False}


@pytest.mark.anyio
async def test_a_nested_model_argument_is_sent_as_its_json(kind: str) -> None:
    template = VideoTemplate.from_dict(Sandbox().video(101)["template"])

    _, sent = await publish(kind, 1, template=template)

    assert json.loads(sent[0].content) == {"template": template.to_dict()}


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("video_id", "error", "message"),
    [
        (True, TypeError, "video_id must be an int, got bool"),
        ("42", TypeError, "video_id must be an int, got str '42'"),
        (4.0, TypeError, "video_id must be an int, got float"),
        (2**31, ValueError, "video_id must be between -2147483648 and 2147483647, got 2147483648"),
        (-(2**31) - 1, ValueError, "between -2147483648 and 2147483647"),
        (10**400, ValueError, "got an integer of 1329 bits"),
    ],
    ids=repr,
)
async def test_a_bad_path_parameter_is_refused_before_sending(
    kind: str, video_id: object, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=re.escape(message)) as caught:
        await publish(kind, video_id, title="x")
    assert len(str(caught.value)) < 120


def test_body_fields_and_path_parameters_are_typed_keywords_and_positionals() -> None:
    for resources in (SyncResources, AsyncResources):
        method = inspect.signature(resources.videos.publish)
        parameters = list(method.parameters.values())
        assert [p.name for p in parameters[:2]] == ["self", "video_id"]
        assert parameters[1].kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
        keywords = {p.name: p for p in parameters[2:]}
        assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in keywords.values())
        # Writable fields only: what the server owns is not something to send.
        assert {"title", "workspace", "description", "template"} <= set(keywords)
        assert not {"id", "uid", "created_at", "sections"} & set(keywords)
        assert method.return_annotation is VideoDetail


def test_facade_methods_document_the_operation_from_the_spec() -> None:
    operation = SPEC["paths"]["/api/v1/videos/{video_id}/publish/"]["post"]
    for resources in (SyncResources, AsyncResources):
        doc = inspect.getdoc(resources.videos.publish) or ""
        assert doc.startswith(operation["summary"])
        assert operation["description"] in doc
        assert "video_id" in doc


@pytest.mark.source_tree("reads the overlay's sources")
def test_the_overlay_names_no_operation_path_or_model() -> None:
    # Knowledge about an operation is generated; the handwritten layer holds only what is the
    # same for every operation. The sandbox models publishing on purpose, so it is left out.
    operations = [
        (path, operation) for path, item in SPEC["paths"].items() for operation in item.values()
    ]
    # Found inside a word or a string: paths, and operationIds of more than one word (a bare
    # "create" or "list" is every program's word).
    inside = {path for path, _ in operations}
    inside |= {re.sub(r"\{[^}]+\}", "", path).rstrip("/") for path, _ in operations}
    for _, operation in operations:
        if re.search(r"[-_]", operation["operationId"]):
            inside |= {operation["operationId"], operation["operationId"].replace("-", "_")}
    # Found as a whole word: models, resources, path parameters, the reviewed method names.
    whole = set(aisquare_studio_api.models.__all__)
    whole |= {
        re.sub(r"(?<!^)(?=[A-Z])", "_", tag.removeprefix("subpackage_")).lower()
        for _, operation in operations
        for tag in operation.get("tags", [])
    }
    whole |= {p["name"] for _, operation in operations for p in operation.get("parameters", [])}
    whole |= {"publish"}  # codegen/names.toml's
    modules = [*OVERLAY.glob("*.py"), *(OVERLAY.parent / "aisquare_studio_pytest").glob("*.py")]
    for module in sorted(modules):
        words = code_words(module.read_text(encoding="utf-8"))
        found = sorted(
            {name for name in inside if any(name in word for word in words)} | (whole & words)
        )
        assert not found, f"{module.name} names {found}"


def code_words(source: str) -> set[str]:
    """The identifiers and the words of the string literals of ``source``; docstrings, which
    show usage examples, left out."""
    tree = ast.parse(source)
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    words: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            words.add(node.id)
        elif isinstance(node, ast.Attribute):
            words.add(node.attr)
        elif isinstance(node, ast.alias):
            words.update(node.name.split("."))
        elif isinstance(node, ast.arg):
            words.add(node.arg)
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
        ):
            words.update(re.findall(r"[\w/{}.-]+", node.value))
    return words


def test_the_overlay_check_sees_names_in_code_and_strings() -> None:
    source = '"""studio.videos.publish(1)"""\nx = Videos()\ny = "/api/v1/videos/"\nvideos.publish\n'
    words = code_words(source)
    assert {"Videos", "/api/v1/videos/", "videos", "publish"} <= words
    assert "studio.videos.publish" not in "".join(words)  # the docstring


def test_no_resource_hides_an_attribute_of_the_clients() -> None:
    # A tag whose resource name were "timeout" or "close" would shadow the client's own.
    for resources, client in ((SyncResources, Studio), (AsyncResources, AsyncStudio)):
        own = {name for klass in client.__mro__ if klass is not resources for name in vars(klass)}
        names = {name for name in vars(resources) if not name.startswith("_")}
        assert names.isdisjoint(own)
        assert names  # the spec has resources at all


@pytest.mark.anyio
async def test_an_enum_field_takes_its_value_as_a_plain_string(kind: str) -> None:
    _, sent = await publish(kind, 1, visibility="team")

    assert json.loads(sent[0].content) == {"visibility": "team"}


def test_signatures_show_unset_defaults_by_name() -> None:
    signature = str(inspect.signature(SyncResources.videos.publish))

    assert "title: str | aisquare_studio_api.types.Unset = UNSET" in signature
    assert " object at 0x" not in signature
