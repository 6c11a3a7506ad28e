"""The ``aisquare-studio`` command: in process against the sandbox on loopback (the testing kit's
``studio_sandbox_env``), and as the installed console script in subprocesses."""

from __future__ import annotations

import io
import json
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from aisquare_studio import VideoDetail
from aisquare_studio._cli import main
from aisquare_studio.testing import SANDBOX_API_KEY, Fault, Sandbox

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


# --- publish ---------------------------------------------------------------------------------


@pytest.mark.usefixtures("studio_sandbox_env")
def test_publish_prints_a_line_per_video_in_the_order_given(
    capsys: pytest.CaptureFixture[str], studio_sandbox: Sandbox
) -> None:
    code, out, err = run(["publish", "103", "101", "102"], capsys)

    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "103\tpublished\tOnboarding: Our Expense Policy",
        "101\tpublished\tHow Vaccines Train the Immune System",
        "102\tpublished\tCompound Interest in Five Minutes",
    ]
    assert studio_sandbox.draft_ids == [104, 105, 106, 130]


@pytest.mark.usefixtures("studio_sandbox_env")
def test_a_title_cannot_break_the_line_or_drive_the_terminal(
    capsys: pytest.CaptureFixture[str], studio_sandbox: Sandbox
) -> None:
    document = {**studio_sandbox.video(101), "is_draft": False, "title": "Evil\x1b[2J\nTitle\t"}
    studio_sandbox.inject(Fault.status(200, body=document))

    code, out, _ = run(["publish", "101"], capsys)

    assert code == 0
    assert out == "101\tpublished\tEvil [2J Title \n"


@pytest.mark.usefixtures("studio_sandbox_env")
def test_publish_json_prints_one_object_exactly_as_to_dict_gives_it(
    capsys: pytest.CaptureFixture[str], studio_sandbox: Sandbox
) -> None:
    code, out, err = run(["publish", "130", "--json"], capsys)

    assert (code, err) == (0, "")
    assert out.count("\n") == 1
    assert json.loads(out) == VideoDetail.from_dict(studio_sandbox.video(130)).to_dict()
    assert json.loads(out)["is_draft"] is False


@pytest.mark.usefixtures("studio_sandbox_env")
def test_publish_json_with_several_ids_prints_one_object_per_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(["publish", "--json", "105", "104"], capsys)

    assert code == 0
    assert [json.loads(line)["id"] for line in out.splitlines()] == [105, 104]


@pytest.mark.usefixtures("studio_sandbox_env")
def test_a_failure_among_several_is_one_stderr_line_the_others_still_print(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(["publish", "101", "999", "102"], capsys)

    assert code == 1
    assert [line.split("\t")[0] for line in out.splitlines()] == ["101", "102"]
    [line] = err.splitlines()
    assert line.startswith(
        "aisquare-studio: video 999: NotFoundError: HTTP 404 Not Found: "
        "No Video matches the given query. (request_id=req_"
    )


def test_a_network_error_is_one_line_and_exit_1(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AISQUARE_API_KEY", SANDBOX_API_KEY)
    url = f"http://127.0.0.1:{closed_port()}"

    code, out, err = run(["publish", "101", "--base-url", url, "--max-retries", "0"], capsys)

    assert (code, out) == (1, "")
    [line] = err.splitlines()
    assert line.startswith(
        f"aisquare-studio: video 101: APIConnectionError: POST {url}/api/v1/videos/101/publish/ "
        "failed after 1 attempt: ConnectError:"
    )


@pytest.mark.usefixtures("studio_sandbox_env")
def test_timeout_and_max_retries_reach_the_client(
    capsys: pytest.CaptureFixture[str], studio_sandbox: Sandbox
) -> None:
    studio_sandbox.inject(Fault.delay(2), video_id=101)

    code, _, err = run(["publish", "101", "--timeout", "0.2", "--max-retries", "0"], capsys)

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

    code, out, err = run(["publish", "101", "102", "--json"], capsys)

    assert code == 1
    assert key not in out + err
    assert "video 101: AuthenticationError: HTTP 401 Unauthorized: Invalid token [REDACTED]." in err


@pytest.mark.usefixtures("studio_sandbox_env")
def test_progress_is_a_counter_on_stderr_only_when_it_is_a_terminal(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)

    code = main(["publish", "101", "102", "103"])

    assert code == 0
    shown = terminal.getvalue()
    assert "\rpublished 0/3" in shown
    assert "\rpublished 3/3" in shown
    assert shown.endswith("\r\x1b[K")  # erased at the end: the terminal is left clean
    assert len(capsys.readouterr().out.splitlines()) == 3


@pytest.mark.usefixtures("studio_sandbox_env")
def test_the_progress_counter_never_counts_a_failure_as_published(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)

    code = main(["publish", "101", "999", "102"])

    assert code == 1
    shown = terminal.getvalue()
    assert "\rpublished 2/3, 1 failed" in shown
    assert "published 3/3" not in shown
    assert "video 999: NotFoundError" in shown


# --- usage and configuration errors: exit 2 ----------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([], "the following arguments are required: COMMAND"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
        (["publish"], "the following arguments are required: VIDEO_ID"),
        (["publish", "abc"], "invalid VIDEO_ID 'abc'"),
        (["publish", "101", "0"], "invalid VIDEO_ID '0'"),
        (["publish", "2147483648"], "invalid VIDEO_ID '2147483648'"),
        (["publish", "1.5"], "invalid VIDEO_ID '1.5'"),
        (["publish", "101", "--timeout", "0"], "invalid seconds '0'"),
        (["publish", "101", "--timeout", "nan"], "invalid seconds 'nan'"),
        (["publish", "101", "--timeout", "soon"], "invalid seconds 'soon'"),
        (["publish", "101", "--max-retries", "-1"], "invalid count '-1'"),
        (["publish", "101", "--max-retries", "two"], "invalid count 'two'"),
        (["sandbox", "--port", "70000"], "invalid port '70000'"),
    ],
)
def test_usage_errors_exit_2_with_the_reason(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str], studio_sandbox_env: str
) -> None:
    code, out, err = run(argv, capsys)

    assert (code, out) == (2, "")
    assert message in err
    assert "Traceback" not in err


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

    code, out, err = run(["publish", "101", *argv], capsys)

    assert (code, out) == (2, "")
    assert err == f"aisquare-studio publish: error: {err.split('error: ', 1)[1]}"
    assert message in err
    assert studio_sandbox.requests == []


def test_help_lists_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["--help"], capsys)

    assert code == 0
    assert "publish" in out
    assert "sandbox" in out
    assert "Exit codes" in out


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
                [sys.executable, "-m", "aisquare_studio", "publish", "101", "--json"],
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
        [sys.executable, "-m", "aisquare_studio", "publish", "--json", *ids],
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
