"""tools/contract.py: reading Steady's diagnostics, the summary, and the skip without npm.

`make contract` itself runs Steady; these tests pin the decisions around it.
"""

from __future__ import annotations

import json

import pytest

from tools import contract
from tools.contract import (
    Tally,
    arguments,
    body_fields,
    coverage_failures,
    log_diagnostics,
    packaged_spec,
    patched_spec,
    plan_targets,
    spec_operations,
    steady_diagnostics,
    value_for,
)

MISSING_ID = {
    "code": "E3007",
    "severity": "error",
    "path": "body",
    "requestPath": "body",
    "message": "Missing required property: id",
}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            {"error": "Validation failed", "steady": {"valid": False, "errors": [MISSING_ID]}},
            ["E3007 [error] body: Missing required property: id"],
        ),
        ({"detail": "Not found."}, []),  # a DRF error, not Steady's
        ({"steady": {"errors": "garbled"}}, []),
        ("plain text", []),
        (None, []),
    ],
)
def test_steady_diagnostics_from_a_400_body(body: object, expected: list[str]) -> None:
    assert steady_diagnostics(body) == expected


def test_log_diagnostics_counts_requests_and_keeps_every_diagnostic() -> None:
    lines = [
        "Steady listening",  # plain text lines are skipped
        json.dumps({"type": "startup", "diagnostics": [{**MISSING_ID, "severity": "warning"}]}),
        json.dumps({"type": "request", "diagnostics": []}),
        json.dumps({"type": "request", "diagnostics": [MISSING_ID]}),
        json.dumps(["not", "an", "event"]),
    ]
    requests, found = log_diagnostics(lines)
    assert requests == 2
    assert found == [
        "spec: E3007 [warning] body: Missing required property: id",
        "request: E3007 [error] body: Missing required property: id",
    ]


def test_the_summary_counts_calls_and_every_kind_of_failure() -> None:
    tally = Tally(calls={"Studio.videos.publish": 3, "publish_create.sync_detailed": 2}, parsed=4)
    assert tally.ok
    tally.parse_failures.append("publish_create.sync_detailed seed=1: VideoDetail.id")
    assert not tally.ok
    assert tally.summary() == (
        "steady: 5 calls, 0 diagnostics, 1 parse failures, 0 other failures (4 bodies parsed)"
    )


@pytest.mark.parametrize("seed", [0, 1, 49, 99, 10**6])
def test_path_ids_are_positive_and_within_their_format(seed: int) -> None:
    assert 1 <= value_for({"type": "integer", "format": "int32"}, seed, positive=True) <= 2**31 - 1
    assert 5 <= value_for({"type": "integer", "minimum": 5, "maximum": 9}, seed) <= 9


@pytest.mark.source_tree("patches openapi.yaml with codegen/, which needs the generator's tools")
def test_the_spec_it_serves_is_the_one_the_package_ships() -> None:
    assert patched_spec(contract.ROOT / "openapi.yaml") == packaged_spec()


def test_every_operation_is_called_four_ways_through_what_the_package_offers() -> None:
    operations = spec_operations(packaged_spec())
    targets = plan_targets()

    assert operations
    assert coverage_failures(operations, targets) == []
    # Four ways each (the sync and async facade, the sync and async generated function), and a
    # paginated list's <method>_all beside its facade method.
    assert len([t for t in targets if not t.name.endswith("_all")]) == 4 * len(operations)
    assert coverage_failures({**operations, "other": operations[targets[0].operation_id]}, targets)


def test_every_other_call_gives_two_body_fields_and_the_facade_takes_them_as_keywords() -> None:
    operations = spec_operations(packaged_spec())
    with_body = [o for o in operations.values() if o.body is not None and not o.body_required]
    assert with_body
    operation = with_body[0]
    assert body_fields(operation, 0) == {}
    assert len(body_fields(operation, 1)) == 2
    facade = next(
        t for t in plan_targets() if t.facade and t.operation_id == operation.operation_id
    )

    positional, keywords = arguments(facade, operation, 1, None)

    assert len(positional) == len(operation.path_parameters)
    assert set(keywords) == set(body_fields(operation, 1))


@pytest.mark.parametrize(("ci", "code"), [(None, 0), ("true", 1)])
def test_without_npm_it_says_skipped_and_fails_only_in_ci(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], ci: str | None, code: int
) -> None:
    monkeypatch.setattr("shutil.which", lambda name: None)
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    assert contract.main([]) == code
    assert "SKIPPED: npm not found — Steady contract check not run" in capsys.readouterr().err
