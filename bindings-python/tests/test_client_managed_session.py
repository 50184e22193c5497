"""The client-managed session client moves the core's bytes: one Bearer call to the proxy's
``/qps/csrftoken`` opens the session, every later call carries the cookie (and an xrfkey on QRS
paths), never the token. Judged by what a scripted proxy receives."""

from __future__ import annotations

import http.server
import json
import re
import socket
import threading
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

import qlik_jwt


class ScriptedProxy(http.server.ThreadingHTTPServer):
    """A proxy under ``/jwt`` that answers by path and token, and records each request."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, dict[str, str]]] = []
        super().__init__(("127.0.0.1", 0), _Handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/jwt"


class _Handler(http.server.BaseHTTPRequestHandler):
    server: ScriptedProxy

    def do_GET(self) -> None:
        headers = {name.lower(): value for name, value in self.headers.items()}
        self.server.seen.append((f"{self.command} {self.path}", headers))
        path = self.path.split("?")[0]
        bearer = headers.get("authorization", "").removeprefix("Bearer ") or None
        extra: list[tuple[str, str]] = []
        body = b""
        if path == "/jwt/qps/csrftoken" and bearer == "full":
            status = 403
            body = json.dumps(
                {"errors": [{"code": "LOCAL-MAX-PARALLEL-SESSIONS", "title": "Access denied"}]}
            ).encode()
        elif path == "/jwt/qps/csrftoken" and bearer == "bad":
            status = 401
        elif path == "/jwt/qps/csrftoken" and bearer:
            status = 200
            extra = [
                ("Set-Cookie", "X-Qlik-Session-jwt-HTTP=sess-1; Path=/; HttpOnly"),
                ("qlik-csrf-token", "csrf+1"),
            ]
        elif path == "/jwt/qrs/about" and not bearer:
            status = 200
            extra = [("Content-Type", "application/json")]
            body = b'{"buildVersion":"x"}'
        else:
            status, body = 403, b"Forbidden"
        self.send_response(status)
        for name, value in extra:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture
def proxy() -> Iterator[ScriptedProxy]:
    server = ScriptedProxy()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_one_bearer_call_then_the_cookie_and_a_fresh_xrfkey(proxy: ScriptedProxy) -> None:
    session = qlik_jwt.login_client_managed(proxy.url + "/", "signed.jwt.token")
    assert isinstance(session, qlik_jwt.ClientManagedSession)
    origin = "http://" + urlsplit(proxy.url).netloc
    assert session.base_url == proxy.url
    assert session.origin == origin
    assert (session.cookie_name, session.cookie_value) == ("X-Qlik-Session-jwt-HTTP", "sess-1")
    assert session.cookie_header == "X-Qlik-Session-jwt-HTTP=sess-1"
    assert session.csrf_token == "csrf+1"
    assert session.websocket_url("my app") == (
        f"ws://{urlsplit(proxy.url).netloc}/jwt/app/my%20app?qlik-csrf-token=csrf%2B1"
    )
    assert session.websocket_headers() == {
        "Cookie": "X-Qlik-Session-jwt-HTTP=sess-1",
        "Origin": origin,
    }
    assert "X-Qlik-Session-jwt-HTTP" in repr(session) and "sess-1" not in repr(session)

    for _ in range(3):
        assert session.get("/qrs/about") == {"buildVersion": "x"}
    assert (
        session.send("GET", "/qrs/about", headers={"Authorization": "Bearer again"}).status == 200
    )

    logins = [line for line, headers in proxy.seen if "authorization" in headers]
    assert logins == ["GET /jwt/qps/csrftoken"], "one Bearer call opens one proxy session"
    calls = [(line, headers) for line, headers in proxy.seen if "/qrs/about" in line]
    assert len(calls) == 4
    keys = set()
    for line, headers in calls:
        key = headers["x-qlik-xrfkey"]
        assert re.fullmatch(r"[0-9A-Za-z]{16}", key)
        assert line == f"GET /jwt/qrs/about?xrfkey={key}"
        assert headers["cookie"] == "X-Qlik-Session-jwt-HTTP=sess-1"
        keys.add(key)
    assert len(keys) == 4, "a fresh xrfkey per call"


def test_refusals_carry_the_core_hint(proxy: ScriptedProxy) -> None:
    with pytest.raises(qlik_jwt.QlikApiError) as full:
        qlik_jwt.login_client_managed(proxy.url, "full")
    assert (full.value.status, full.value.code) == (403, "LOCAL-MAX-PARALLEL-SESSIONS")
    assert full.value.hint and full.value.hint.startswith("QSE_SESSION_LIMIT")
    assert "5 parallel sessions" in full.value.hint
    assert len(proxy.seen) == 1, "a 403 is not retried"
    with pytest.raises(qlik_jwt.QlikApiError) as bad:
        qlik_jwt.login_client_managed(proxy.url, "bad")
    assert bad.value.status == 401
    assert bad.value.hint and bad.value.hint.startswith("QSE_MALFORMED_TOKEN")
    session = qlik_jwt.login_client_managed(proxy.url, "t")
    with pytest.raises(qlik_jwt.QlikApiError) as forbidden:
        session.get("/hub")
    assert forbidden.value.hint and forbidden.value.hint.startswith("QSE_HOST_NOT_ALLOWED")
    with pytest.raises(TypeError, match="adds a fresh one"):
        session.get("/qrs/app?xrfkey=abcdefghijklmnop")
    with pytest.raises(ValueError, match="prefix"):
        qlik_jwt.login_client_managed(proxy.url.removesuffix("/jwt"), "t")
    with pytest.raises(TypeError, match="token is empty"):
        qlik_jwt.login_client_managed(proxy.url, "")
    with pytest.raises(TypeError, match="timeout"):
        qlik_jwt.login_client_managed(proxy.url, "t", timeout=-1)


def test_an_unreachable_proxy_raises_the_transport_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(OSError):
        qlik_jwt.login_client_managed(f"http://127.0.0.1:{port}/jwt", "t", retries=1, retry_delay=0)
