"""The connections the SDK builds: proxies from the environment exactly as httpx.Client() takes
them, an explicit proxy=, certificates from SSL_CERT_FILE/SSL_CERT_DIR or an ssl.SSLContext, and
a certificate that fails verification ending the call at once."""

from __future__ import annotations

import shutil
import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest

from aisquare_studio import APIConnectionError, AsyncStudio, RetryPolicy, Studio, StudioError
from aisquare_studio._connections import proxy_for
from aisquare_studio._retry import is_certificate_failure
from aisquare_studio.sandbox import SANDBOX_API_KEY, Sandbox, SandboxServer
from tests.clients import KINDS, backend_for_kind, kind_param, publish_once
from tests.relays import RecordingProxy, TLSFront

kind = pytest.fixture(params=KINDS, name="kind")(kind_param)
anyio_backend = pytest.fixture(name="anyio_backend")(backend_for_kind)

PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")
CERT_VARIABLES = ("SSL_CERT_FILE", "SSL_CERT_DIR")
FAST = RetryPolicy(initial_delay=0, max_delay=0, budget=None)


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in PROXY_VARIABLES + tuple(v.lower() for v in PROXY_VARIABLES) + CERT_VARIABLES:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def server(sandbox: Sandbox) -> Iterator[SandboxServer]:
    with sandbox.serve() as served:
        yield served


@pytest.fixture
def https(server: SandboxServer) -> Iterator[TLSFront]:
    """The sandbox over https, with a certificate from a throwaway authority."""
    port = int(server.url.rsplit(":", 1)[1])
    with TLSFront(port) as front:
        yield front


@pytest.fixture
def proxy() -> Iterator[RecordingProxy]:
    with RecordingProxy() as recording:
        yield recording


async def publish(kind: str, base_url: str, **options: Any) -> int:
    options = {"api_key": SANDBOX_API_KEY, "base_url": base_url, "retry_policy": FAST} | options
    with anyio.fail_after(30):
        return (await publish_once(kind, 101, **options)).id


@pytest.mark.anyio
async def test_https_proxy_from_the_environment_tunnels_with_connect(
    kind: str, https: TLSFront, proxy: RecordingProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", proxy.url)
    assert await publish(kind, https.url, verify=https.client_context()) == 101
    assert proxy.asked == [f"CONNECT 127.0.0.1:{https.port}"]


@pytest.mark.anyio
async def test_http_proxy_from_the_environment_carries_plain_requests(
    kind: str, server: SandboxServer, proxy: RecordingProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    assert await publish(kind, server.url) == 101
    assert proxy.asked == [f"POST {server.url}/api/v1/videos/101/publish/"]


@pytest.mark.anyio
@pytest.mark.parametrize("no_proxy", ["127.0.0.1", "*", "localhost,127.0.0.1"])
async def test_no_proxy_sends_directly(
    kind: str,
    server: SandboxServer,
    proxy: RecordingProxy,
    monkeypatch: pytest.MonkeyPatch,
    no_proxy: str,
) -> None:
    monkeypatch.setenv("ALL_PROXY", proxy.url)
    monkeypatch.setenv("NO_PROXY", no_proxy)
    assert await publish(kind, server.url) == 101
    assert proxy.asked == []


@pytest.mark.anyio
async def test_trust_env_false_ignores_the_proxy_variables(
    kind: str, server: SandboxServer, proxy: RecordingProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    assert await publish(kind, server.url, trust_env=False) == 101
    assert proxy.asked == []


@pytest.mark.anyio
async def test_an_explicit_proxy_wins_over_no_proxy(
    kind: str, https: TLSFront, proxy: RecordingProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_PROXY", "*")
    assert await publish(kind, https.url, proxy=proxy.url, verify=https.client_context()) == 101
    assert proxy.asked == [f"CONNECT 127.0.0.1:{https.port}"]


@pytest.mark.parametrize(
    ("environment", "url", "expected"),
    [
        ({"HTTPS_PROXY": "http://p:3128"}, "https://api.aisquare.studio", "http://p:3128"),
        ({"HTTPS_PROXY": "p:3128"}, "https://api.aisquare.studio", "http://p:3128"),
        ({"HTTP_PROXY": "http://p:3128"}, "https://api.aisquare.studio", None),
        ({"ALL_PROXY": "http://p:3128"}, "https://api.aisquare.studio", "http://p:3128"),
        (
            {"ALL_PROXY": "http://p:3128", "NO_PROXY": ".aisquare.studio"},
            "https://api.aisquare.studio",
            None,
        ),
        (
            {"ALL_PROXY": "http://p:3128", "NO_PROXY": "aisquare.studio"},
            "https://api.aisquare.studio",
            None,
        ),
        (
            {"ALL_PROXY": "http://p:3128", "NO_PROXY": "other.studio"},
            "https://api.aisquare.studio",
            "http://p:3128",
        ),
    ],
)
def test_the_proxy_is_the_one_httpx_client_would_choose(
    monkeypatch: pytest.MonkeyPatch, environment: dict[str, str], url: str, expected: str | None
) -> None:
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    chosen = proxy_for(httpx.URL(url), None, trust_env=True)
    assert (None if chosen is None else str(chosen.url)) == expected
    # httpx.Client() itself, for comparison: the transport it would route the URL through.
    with httpx.Client() as client:
        routed = client._transport_for_url(httpx.URL(url))
        assert (routed is client._transport) == (expected is None)


@pytest.mark.anyio
async def test_ssl_cert_file_is_honoured(
    kind: str, https: TLSFront, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", https.ca_file)
    assert await publish(kind, https.url) == 101


@pytest.fixture
def cert_dir(https: TLSFront, tmp_path: Path) -> Path:
    """A certificate directory trusting ``https``: found by subject-hash file names, which
    `openssl rehash` makes."""
    openssl = shutil.which("openssl")
    assert openssl is not None, "the openssl command builds the hashed certificate directory"
    shutil.copy(https.ca_file, tmp_path / "throwaway-ca.pem")
    subprocess.run([openssl, "rehash", str(tmp_path)], check=True, capture_output=True)
    return tmp_path


@pytest.mark.anyio
async def test_ssl_cert_dir_is_honoured(
    kind: str, https: TLSFront, monkeypatch: pytest.MonkeyPatch, cert_dir: Path
) -> None:
    monkeypatch.setenv("SSL_CERT_DIR", str(cert_dir))
    assert await publish(kind, https.url) == 101


@pytest.mark.anyio
async def test_an_untrusted_certificate_fails_at_once_without_retrying(
    kind: str, https: TLSFront, server: SandboxServer
) -> None:
    with anyio.fail_after(30), pytest.raises(APIConnectionError) as caught:
        await publish_once(kind, 101, api_key=SANDBOX_API_KEY, base_url=https.url)
    assert caught.value.attempts == 1
    assert "CERTIFICATE_VERIFY_FAILED" in str(caught.value)
    assert is_certificate_failure(caught.value)
    assert server.connections_accepted == 0  # the TLS front refused it before the sandbox


def test_verify_false_and_a_context_are_taken_as_httpx_takes_them(https: TLSFront) -> None:
    context = https.client_context()
    for verify in (context, False):
        with Studio(api_key=SANDBOX_API_KEY, base_url=https.url, verify=verify) as studio:
            assert studio.videos.publish(101).id == 101


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"verify": "/etc/ssl/certs"}, "verify must be True, False or an ssl.SSLContext"),
        ({"proxy": 3128}, "proxy must be a URL or an httpx.Proxy"),
    ],
)
def test_bad_connection_settings_are_refused_at_construction(
    options: dict[str, Any], message: str
) -> None:
    with pytest.raises(TypeError, match=message):
        Studio(api_key="k", base_url="http://127.0.0.1:9", **options)


def test_proxy_and_verify_are_refused_beside_a_transport(sandbox: Sandbox) -> None:
    for options in ({"proxy": "http://127.0.0.1:3128"}, {"verify": ssl.create_default_context()}):
        with pytest.raises(StudioError, match="configure them on the transport"):
            Studio(
                api_key="k",
                base_url="http://sandbox.localhost",
                transport=sandbox.transport(),
                **options,
            )


@pytest.mark.parametrize(
    ("name", "value", "words"),
    [
        ("SSL_CERT_FILE", "/nonexistent/ca.pem", "not usable: FileNotFoundError"),
        ("HTTPS_PROXY", "ftp://proxy.internal:21", "Unknown scheme for proxy URL"),
        ("NO_PROXY", "[::1]", "the proxy variables"),
    ],
)
@pytest.mark.parametrize("client", [Studio, AsyncStudio])
def test_environment_settings_httpx_refuses_fail_at_construction(
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    value: str,
    words: str,
    client: type[Studio] | type[AsyncStudio],
) -> None:
    monkeypatch.setenv("HTTPS_PROXY" if name == "NO_PROXY" else "ALL_PROXY", "http://p:3128")
    monkeypatch.setenv(name, value)
    if not httpx_client_refuses_the_environment():  # httpx 0.27 ignores a missing cert file
        client(api_key="k", base_url="https://api.example")  # builds, as httpx.Client() did
        return
    with pytest.raises(StudioError, match=words):
        client(api_key="k", base_url="https://api.example")


def httpx_client_refuses_the_environment() -> bool:
    """Whether ``httpx.Client()`` fails to build in this environment: the SDK must then say so
    in its own tree, and otherwise build as httpx does."""
    try:
        httpx.Client().close()
    except Exception:  # noqa: BLE001 - whatever httpx raises
        return True
    return False
