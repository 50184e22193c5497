"""The session client keeps cookies as a browser would: ``Path`` scopes them, a past ``Expires``
and ``Max-Age=0`` delete them, and ``Secure`` ones go back over loopback http. Judged by what a
scripted server receives, and against the local tenant with Secure cookies."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Callable, Iterator

import pytest

import qlik_jwt

ANSWERS: dict[str, tuple[int, list[tuple[str, str]]]] = {
    "/login/jwt-session": (
        200,
        [
            ("Set-Cookie", "eas.sid=s1; Path=/; HttpOnly; Secure"),
            ("Set-Cookie", "scoped=v2; Path=/api/v2"),
            ("Set-Cookie", "stale=x; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT"),
            ("Set-Cookie", "gone=y; Path=/; Max-Age=0"),
        ],
    ),
    "/api/v1/csrf-token": (204, [("qlik-csrf-token", "csrf-1")]),
    "/api/v1/logout": (200, [("Set-Cookie", "eas.sid=; Path=/; Max-Age=0")]),
}


class ScriptedTenant(http.server.ThreadingHTTPServer):
    """Answers by path and records each request's method, path and ``Cookie`` header."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str | None]] = []
        super().__init__(("127.0.0.1", 0), _Handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def cookie_of(self, line: str) -> str | None:
        found = [cookie for seen, cookie in self.seen if seen == line]
        assert found, f"no {line} among {self.seen}"
        return found[-1]


class _Handler(http.server.BaseHTTPRequestHandler):
    server: ScriptedTenant

    def _answer(self) -> None:
        self.server.seen.append((f"{self.command} {self.path}", self.headers.get("Cookie")))
        status, headers = ANSWERS.get(self.path, (200, []))
        body = b"" if status == 204 else b"{}"
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture
def scripted() -> Iterator[ScriptedTenant]:
    server = ScriptedTenant()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_path_expires_and_max_age_zero_rule_the_cookies(scripted: ScriptedTenant) -> None:
    session = qlik_jwt.login(scripted.url, "a.b.c")
    # Expired at birth: never kept. The /api/v2 cookie is kept, and sent on its path only.
    assert session.cookie_names == ["eas.sid", "scoped"]
    assert scripted.cookie_of("GET /api/v1/csrf-token") == "eas.sid=s1"
    session.get("/api/v2/apps")
    assert scripted.cookie_of("GET /api/v2/apps") == "scoped=v2; eas.sid=s1"
    # An answer's Max-Age=0 deletes the cookie: neither listed nor sent any more.
    session.post("/api/v1/logout")
    assert session.cookie_names == ["scoped"]
    session.get("/api/v1/users/me")
    assert scripted.cookie_of("GET /api/v1/users/me") is None


def test_secure_cookies_go_back_over_loopback_http(key_text: Callable[[str], str]) -> None:
    issuer, key_id = "https://issuer.cookie-test", "cookie-test-kid"
    signer = qlik_jwt.QlikSigner(
        key_text("rsa2048-private-pkcs8.pem"), key_id=key_id, issuer=issuer
    )
    with qlik_jwt.LocalTenant(
        key_text("rsa2048-cert.pem"), issuer=issuer, key_id=key_id, secure_cookies=True
    ) as tenant:
        token = signer.sign(sub="user-1", name="One", email="one@example.com", email_verified=True)
        session = qlik_jwt.login(tenant.url, token)
        assert session.get(qlik_jwt.USERS_ME_PATH)["subject"] == "user-1"
