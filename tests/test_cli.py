"""The ``aisquare-studio`` command: in process against the sandbox on loopback (the testing kit's
``studio_sandbox_env``), and as the installed console script in subprocesses."""

from __future__ import annotations

import inspect
import io
import json
import re
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from aisquare_studio import VideoDetail
from aisquare_studio._cli import main
from aisquare_studio.testing import SANDBOX_API_KEY, Fault, Sandbox
from aisquare_studio_api.api import AsyncResources

CONSOLE_SCRIPT = Path(sys.executable).with_name("aisquare-studio")
# Nothing inherited: no AISQUARE_BASE_URL from the developer's shell.
ENV = {"PATH": "/usr/bin:/bin", "AISQUARE_API_KEY": SANDBOX_API_KEY}


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


class Terminal(io.StringIO):
    """A stderr that says it is a terminal, so the progress counter draws on it."""

    def isatty(self) -> bool:
        return True


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# --- calls: `<resource> <method> ARG...`, from the generated facade ---------------------------


def published(out: str) -> list[tuple[int, bool, str]]:
    return [(v["id"], v["is_draft"], v["title"]) for v in map(json.loads, out.splitlines())]


@pytest.mark.usefixtures("studio_sandbox_env")
def test_a_call_per_argument_one_json_line_each_in_the_order_given(
    capsys: pytest.CaptureFixture[str], studio_sandbox: Sandbox
) -> None:
    code, out, err = run(["videos", "publish", "103", "101", "102"], capsys)

    assert (code, err) == (0, "")
    assert published(out) == [
        (103, False, "Onboarding: Our Expense Policy"),
        (101, False, "How Vaccines Train the Immune System"),
        (102, False, "Compound Interest in Five Minutes"),
    ]
    assert studio_sandbox.draft_ids == [104, 105, 106, 130]
    assert [request.body for request in studio_sandbox.requests] == [b""] * 3  # no arguments


@pytest.mark.usefixtures("studio_sandbox_env")
def test_each_line_is_the_result_exactly_as_to_dict_gives_it(
    capsys: pytest.CaptureFixture[str], studio_sandbox: Sandbox
) -> None:
    code, out, err = run(["videos", "publish", "130"], capsys)

    assert (code, err) == (0, "")
    assert out.count("\n") == 1
    assert json.loads(out) == VideoDetail.from_dict(studio_sandbox.video(130)).to_dict()
    assert json.loads(out)["is_draft"] is False


@pytest.mark.usefixtures("studio_sandbox_env")
def test_a_title_cannot_break_the_line_or_drive_the_terminal(
    capsys: pytest.CaptureFixture[str], studio_sandbox: Sandbox
) -> None:
    document = {**studio_sandbox.video(101), "is_draft": False, "title": "Evil\x1b[2J\nTitle\t"}
    studio_sandbox.inject(Fault.status(200, body=document))

    code, out, _ = run(["videos", "publish", "101"], capsys)

    assert code == 0
    assert out.count("\n") == 1
    assert "\x1b" not in out
    assert json.loads(out)["title"] == "Evil\x1b[2J\nTitle\t"


@pytest.mark.usefixtures("studio_sandbox_env")
def test_keyword_options_and_json_become_the_body_of_every_call(
    capsys: pytest.CaptureFixture[str], studio_sandbox: Sandbox
) -> None:
    argv = ["videos", "publish", "104", "105", "--title", "New", "--json", '{"workspace": 42}']

    code, out, err = run([*argv, "--is-draft", "false", "--visibility", "team"], capsys)

    assert (code, err) == (0, "")
    assert [video[0] for video in published(out)] == [104, 105]
    sent = {"title": "New", "workspace": 42, "is_draft": False, "visibility": "team"}
    assert [json.loads(request.body) for request in studio_sandbox.requests] == [sent, sent]


@pytest.mark.usefixtures("studio_sandbox_env")
def test_an_option_wins_over_the_same_name_in_json(
    capsys: pytest.CaptureFixture[str], studio_sandbox: Sandbox
) -> None:
    argv = ["videos", "publish", "106", "--json", '{"title": "a", "tags": [1, 2]}', "--title", "b"]

    code, _, err = run(argv, capsys)

    assert (code, err) == (0, "")
    [request] = studio_sandbox.requests
    assert json.loads(request.body) == {"title": "b", "tags": [1, 2]}


@pytest.mark.usefixtures("studio_sandbox_env")
def test_a_failure_among_several_is_one_stderr_line_the_others_still_print(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(["videos", "publish", "101", "999", "102"], capsys)

    assert code == 1
    assert [video[0] for video in published(out)] == [101, 102]
    [line] = err.splitlines()
    assert line.startswith(
        "aisquare-studio: videos publish 999: NotFoundError: HTTP 404 Not Found: "
        "No Video matches the given query. (request_id=req_"
    )


def test_a_network_error_is_one_line_and_exit_1(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AISQUARE_API_KEY", SANDBOX_API_KEY)
    url = f"http://127.0.0.1:{closed_port()}"

    argv = ["videos", "publish", "101", "--base-url", url, "--max-retries", "0"]
    code, out, err = run(argv, capsys)

    assert (code, out) == (1, "")
    [line] = err.splitlines()
    assert line.startswith(
        f"aisquare-studio: videos publish 101: APIConnectionError: POST "
        f"{url}/api/v1/videos/101/publish/ failed after 1 attempt: ConnectError:"
    )


@pytest.mark.usefixtures("studio_sandbox_env")
def test_timeout_and_max_retries_reach_the_client(
    capsys: pytest.CaptureFixture[str], studio_sandbox: Sandbox
) -> None:
    studio_sandbox.inject(Fault.delay(2), video_id=101)

    argv = ["videos", "publish", "101", "--timeout", "0.2", "--max-retries", "0"]
    code, _, err = run(argv, capsys)

    assert code == 1
    assert "APITimeoutError: POST " in err
    assert "timed out after 1 attempt" in err
    assert len(studio_sandbox.requests) == 1


@pytest.mark.parametrize("key", ["not-the-key-0123", SANDBOX_API_KEY])
def test_the_key_never_appears_even_when_the_server_echoes_it(
    key: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    studio_sandbox: Sandbox,
    studio_sandbox_env: str,
) -> None:
    monkeypatch.setenv("AISQUARE_API_KEY", key)
    echo = Fault.status(401, body={"detail": f"Invalid token {key}."})
    studio_sandbox.inject(echo, video_id=101)  # a key from the environment is not asked again

    code, out, err = run(["videos", "publish", "101", "102"], capsys)

    assert code == 1
    assert key not in out + err
    assert (
        "videos publish 101: AuthenticationError: HTTP 401 Unauthorized: Invalid token [REDACTED]."
        in err
    )


@pytest.mark.usefixtures("studio_sandbox_env")
def test_progress_is_a_counter_on_stderr_only_when_it_is_a_terminal(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)

    code = main(["videos", "publish", "101", "102", "103"])

    assert code == 0
    shown = terminal.getvalue()
    assert "\rvideos publish: 0/3" in shown
    assert "\rvideos publish: 3/3" in shown
    assert shown.endswith("\r\x1b[K")  # erased at the end: the terminal is left clean
    assert len(capsys.readouterr().out.splitlines()) == 3


@pytest.mark.usefixtures("studio_sandbox_env")
def test_the_progress_counter_never_counts_a_failure_as_a_success(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)

    code = main(["videos", "publish", "101", "999", "102"])

    assert code == 1
    shown = terminal.getvalue()
    assert "\rvideos publish: 2/3, 1 failed" in shown
    assert "videos publish: 3/3" not in shown
    assert "videos publish 999: NotFoundError" in shown


# --- usage and configuration errors: exit 2 ----------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([], "the following arguments are required: COMMAND"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
        (["publish", "101"], "invalid choice: 'publish'"),  # the resource comes first now
        (["videos"], "the following arguments are required: METHOD"),
        (["videos", "frobnicate"], "invalid choice: 'frobnicate'"),
        (["videos", "publish"], "the following arguments are required: VIDEO_ID"),
        (["videos", "publish", "abc"], "invalid video_id 'abc': expected an int"),
        (["videos", "publish", "1.5"], "invalid video_id '1.5': expected an int"),
        # The generated facade's own check, before anything is sent: the id is an int32.
        (
            ["videos", "publish", "101", "2147483648"],
            "video_id must be between -2147483648 and 2147483647, got 2147483648",
        ),
        (["videos", "publish", "101", "--is-draft", "maybe"], "invalid is_draft 'maybe'"),
        (
            ["videos", "publish", "101", "--workspace", "w"],
            "invalid workspace 'w': expected an int",
        ),
        (["videos", "publish", "101", "--tags", "[1,"], "invalid tags '[1,': expected JSON"),
        (["videos", "publish", "101", "--json", "{"], "--json is not JSON"),
        (["videos", "publish", "101", "--json", "[1]"], "--json must be a JSON object"),
        (["videos", "publish", "101", "--json", '{"x": 1}'], "publish takes no argument 'x'"),
        (["videos", "publish", "101", "--timeout", "0"], "invalid seconds '0'"),
        (["videos", "publish", "101", "--timeout", "nan"], "invalid seconds 'nan'"),
        (["videos", "publish", "101", "--timeout", "soon"], "invalid seconds 'soon'"),
        (["videos", "publish", "101", "--max-retries", "-1"], "invalid count '-1'"),
        (["videos", "publish", "101", "--max-retries", "two"], "invalid count 'two'"),
        (["sandbox", "--port", "70000"], "invalid port '70000'"),
    ],
)
def test_usage_errors_exit_2_with_the_reason_before_any_request(
    argv: list[str],
    message: str,
    capsys: pytest.CaptureFixture[str],
    studio_sandbox: Sandbox,
    studio_sandbox_env: str,
) -> None:
    code, out, err = run(argv, capsys)

    assert (code, out) == (2, "")
    assert message in err
    assert "Traceback" not in err
    assert studio_sandbox.requests == []


@pytest.mark.parametrize(
    ("env", "argv", "message"),
    [
        ({"AISQUARE_API_KEY": ""}, [], "no API key: set the AISQUARE_API_KEY environment variable"),
        ({}, ["--base-url", "http://api.example.com"], "plain http to a non-loopback host"),
        ({"AISQUARE_BASE_URL": "ftp://127.0.0.1"}, [], "must be an http(s) URL with a host"),
        ({"AISQUARE_API_KEY": "two words"}, [], "The API key has spaces"),
    ],
)
def test_configuration_errors_exit_2_before_any_request(
    env: dict[str, str],
    argv: list[str],
    message: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    studio_sandbox: Sandbox,
    studio_sandbox_env: str,
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)

    code, out, err = run(["videos", "publish", "101", *argv], capsys)

    assert (code, out) == (2, "")
    assert err == f"aisquare-studio videos publish: error: {err.split('error: ', 1)[1]}"
    assert message in err
    assert studio_sandbox.requests == []


def test_help_lists_every_resource_and_method_with_its_summary(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(["--help"], capsys)

    assert code == 0
    for resource, cls in inspect.get_annotations(AsyncResources, eval_str=True).items():
        for name, method in inspect.getmembers(cls, inspect.isfunction):
            if not name.startswith("_"):
                summary = (inspect.getdoc(method) or "").splitlines()[0]
                assert re.search(rf"^  {resource} {name} +{re.escape(summary)}$", out, re.M)
    assert re.search(r"^  videos publish +Publish Create$", out, re.M)
    assert "sandbox" in out
    assert "Exit codes" in out


def test_a_method_s_help_names_its_arguments_and_what_they_take(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(["videos", "publish", "--help"], capsys)

    assert code == 0
    assert "VIDEO_ID [VIDEO_ID ...]" in out
    assert re.search(r"--title VALUE +a string", out)
    assert re.search(r"--visibility VALUE +one of org, private, public, team", out)
    assert "--json OBJECT" in out


def test_sandbox_on_a_busy_port_is_one_line_and_exit_1(
    capsys: pytest.CaptureFixture[str], studio_sandbox_url: str
) -> None:
    port = studio_sandbox_url.rsplit(":", 1)[1]

    code, _, err = run(["sandbox", "--port", port], capsys)

    assert code == 1
    assert err.startswith(f"aisquare-studio sandbox: error: cannot listen on port {port}: ")


# --- the installed command, in subprocesses ----------------------------------------------------


def test_the_console_script_serves_the_sandbox_and_publishes_against_it() -> None:
    with subprocess.Popen(
        [str(CONSOLE_SCRIPT), "sandbox"], stdout=subprocess.PIPE, text=True, env=ENV
    ) as server:
        try:
            url = read_banner(server)
            published = subprocess.run(
                [sys.executable, "-m", "aisquare_studio", "videos", "publish", "101"],
                env={**ENV, "AISQUARE_BASE_URL": url},
                capture_output=True,
                text=True,
                timeout=30,
                check=False,
            )
            assert (published.returncode, published.stderr) == (0, "")
            assert json.loads(published.stdout)["id"] == 101

            server.send_signal(signal.SIGTERM)
            assert server.wait(timeout=10) == 0
            assert server.stdout is not None
            assert server.stdout.read() == "Sandbox stopped after 1 requests.\n"
        finally:
            server.kill()


def test_ctrl_c_stops_the_sandbox_cleanly() -> None:
    with subprocess.Popen(
        [sys.executable, "-m", "aisquare_studio", "sandbox"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=ENV,
    ) as server:
        try:
            read_banner(server)
            server.send_signal(signal.SIGINT)
            assert server.wait(timeout=10) == 130  # as the README's table of exit codes says
            assert server.stdout is not None
            assert server.stderr is not None
            assert server.stdout.read() == "Sandbox stopped after 0 requests.\n"
            assert server.stderr.read() == ""  # no KeyboardInterrupt traceback
        finally:
            server.kill()


def test_a_reader_that_leaves_ends_publish_quietly_with_the_sigpipe_status(
    studio_sandbox_url: str,
) -> None:
    # Video 130 prints 38 kB of JSON: 30 of them are more than a pipe holds (64 KiB by default,
    # 1 MiB at most without privileges), so the command is still writing when the reader leaves.
    ids = ["101", *["130"] * 30]
    with subprocess.Popen(
        [sys.executable, "-m", "aisquare_studio", "videos", "publish", *ids],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**ENV, "AISQUARE_BASE_URL": studio_sandbox_url},
    ) as command:
        try:
            assert command.stdout is not None
            assert command.stderr is not None
            first = command.stdout.readline()
            command.stdout.close()  # what `| head -1` does after its line
            assert command.wait(timeout=30) == 141  # 128 + SIGPIPE, as a shell reports `cat`
            assert command.stderr.read() == b""  # no BrokenPipeError traceback
        finally:
            command.kill()
    assert json.loads(first)["id"] == 101


def read_banner(server: subprocess.Popen[str]) -> str:
    """The URL the sandbox command prints, once it has printed all four lines of its banner."""
    assert server.stdout is not None
    lines = [server.stdout.readline() for _ in range(4)]
    assert lines[0].startswith("Sandbox serving the AISquare Studio API at http://127.0.0.1:")
    assert lines[2] == f"  export AISQUARE_API_KEY={SANDBOX_API_KEY}\n"
    assert lines[3].startswith("Draft videos: 101 102 103 104 105 106 130.")
    return lines[0].rsplit(" ", 1)[1].strip()


@pytest.mark.usefixtures("studio_sandbox_env")
def test_null_sends_null_where_the_field_allows_it_and_is_text_elsewhere(
    capsys: pytest.CaptureFixture[str], studio_sandbox: Sandbox
) -> None:
    code, _, err = run(
        ["videos", "publish", "101", "--description", "null", "--title", "null"], capsys
    )

    assert (code, err) == (0, "")
    [request] = studio_sandbox.requests
    # description is "string or null"; title is a string, so "null" is its text.
    assert json.loads(request.body) == {"description": None, "title": "null"}


@pytest.mark.usefixtures("studio_sandbox_env")
def test_a_date_alone_is_not_taken_for_a_date_time(
    capsys: pytest.CaptureFixture[str], studio_sandbox: Sandbox
) -> None:
    code, _, err = run(["videos", "publish", "101", "--deleted-at", "2020-01-01"], capsys)

    assert code == 2
    assert "invalid deleted_at '2020-01-01': expected an ISO 8601 date-time" in err
    assert studio_sandbox.requests == []


@pytest.mark.usefixtures("studio_sandbox_env")
@pytest.mark.parametrize(
    ("given", "said"),
    [
        ('{"workspace": true}', "invalid workspace true: expected an int"),
        ('{"title": 7}', "invalid title 7"),
        ('{"is_draft": "no"}', 'invalid is_draft "no"'),
    ],
)
def test_json_keywords_of_the_wrong_type_are_usage_errors_before_sending(
    capsys: pytest.CaptureFixture[str], studio_sandbox: Sandbox, given: str, said: str
) -> None:
    code, _, err = run(["videos", "publish", "101", "--json", given], capsys)

    assert code == 2
    assert said in err
    assert studio_sandbox.requests == []
