"""The spec check every exchange goes through (spec_checking.py, spec_validation.py) can fail."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from aisquare_studio.sandbox import Sandbox
from tests.spec_checking import Ledger
from tests.spec_validation import check_exchange

PUBLISH = "http://sandbox.test/api/v1/videos/101/publish/"
VIDEO = Sandbox().video(101)


def exchange(
    status: int, body: Any = None, *, content: bytes | None = None, url: str = PUBLISH
) -> tuple[httpx.Request, httpx.Response]:
    request = httpx.Request("POST", url)
    if content is not None:
        return request, httpx.Response(status, content=content, request=request)
    return request, httpx.Response(status, json=body, request=request)


def test_a_seeded_video_conforms() -> None:
    assert check_exchange(*exchange(200, VIDEO)) == ("validated", [])


def test_a_null_plan_conforms_although_strict_one_of_rejects_it() -> None:
    # openapi.yaml's plan is oneOf [{any}, {null}]; the checker reads it as anyOf (documented).
    assert check_exchange(*exchange(200, {**VIDEO, "plan": None})) == ("validated", [])


@pytest.mark.parametrize(
    ("document", "words"),
    [
        ({**VIDEO, "uid": None}, "$.uid: None is not of type 'string'"),
        ({k: v for k, v in VIDEO.items() if k != "title"}, "'title' is a required property"),
        (
            {**VIDEO, "sections": [{**VIDEO["sections"][0], "status": "queued"}]},
            "$.sections[0].status: 'queued' is not one of",
        ),
    ],
    ids=["null-uid", "missing-title", "unknown-section-status"],
)
def test_a_broken_200_is_a_violation_naming_the_path(document: Any, words: str) -> None:
    verdict, problems = check_exchange(*exchange(200, document))
    assert verdict == "validated"
    assert len(problems) == 1
    assert words in problems[0]


@pytest.mark.parametrize(
    ("response", "verdict", "violations"),
    [
        (exchange(404, {"detail": "Not found."}), "error-shape", 0),
        (exchange(400, {"title": ["Not a valid string."]}), "error-shape", 0),
        (exchange(400, ["Invalid data."]), "error-shape", 0),
        (exchange(503, {"error": {"code": 503}}), "error-shape", 1),
        (exchange(502, content=b"<html>Bad gateway</html>"), "unchecked-error-body", 0),
        (exchange(201, VIDEO), "validated", 1),
    ],
    ids=["drf-detail", "drf-fields", "drf-list", "not-drf", "html-502", "undeclared-201"],
)
def test_undeclared_statuses_follow_the_documented_rules(
    response: tuple[httpx.Request, httpx.Response], verdict: str, violations: int
) -> None:
    found, problems = check_exchange(*response)
    assert (found, len(problems)) == (verdict, violations)


@pytest.mark.parametrize(
    "url", ["http://sandbox.test/nowhere/", "http://sandbox.test/api/v1/videos/abc/publish/"]
)
def test_a_request_off_the_spec_is_a_violation_whatever_the_answer(url: str) -> None:
    _, problems = check_exchange(*exchange(404, {"detail": "Not found."}, url=url))
    assert len(problems) == 1
    assert problems[0].startswith("request")


def test_the_ledger_fails_a_violating_test_and_a_stale_opt_out() -> None:
    ledger = Ledger()
    ledger.begin("broken")
    ledger.record(*exchange(200, {**VIDEO, "id": "101"}))
    failure = ledger.judge(None)
    assert failure is not None
    assert "POST /api/v1/videos/101/publish/ -> HTTP 200" in failure
    assert "$.id: '101' is not of type 'integer'" in failure
    assert ledger.judge("deliberate") is None

    ledger.begin("conforming")
    ledger.record(*exchange(200, VIDEO))
    assert ledger.judge(None) is None
    stale = ledger.judge("deliberate")
    assert stale is not None
    assert "remove the marker" in stale
