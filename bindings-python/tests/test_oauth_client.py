"""OAuth access tokens on urllib: the whole exchange against the local tenant started from Python
(machine to machine and impersonation, ending with /api/v1/users/me), the cache per grant and
user, one request for many threads (counted at a server), a fresh assertion for every retry, and
refusals that keep Qlik's error body."""

from __future__ import annotations

import base64
import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

import qlik_jwt

CLIENT_ID = "oauth-python-client"
KEY_ID = "oauth-python-key"


@pytest.fixture(scope="module")
def private_pem(key_text: Callable[[str], str]) -> str:
    return key_text("rsa2048-private-pkcs8.pem")


@pytest.fixture(scope="module")
def jwk(key_text: Callable[[str], str]) -> dict[str, Any]:
    public: dict[str, Any] = json.loads(key_text("rsa2048-public.jwk.json"))
    return {**public, "kid": KEY_ID, "alg": "RS256", "use": "sig"}


@pytest.fixture
def tenant(jwk: dict[str, Any]) -> Iterator[qlik_jwt.LocalTenant]:
    with qlik_jwt.LocalTenant(
        oauth_clients=[{"client_id": CLIENT_ID, "jwk": jwk}], known_users=["alice", "bob"]
    ) as running:
        yield running


def client_of(url: str, private_pem: str, **extra: Any) -> qlik_jwt.OAuthClient:
    settings: dict[str, Any] = {"client_id": CLIENT_ID, "key_id": KEY_ID, **extra}
    return qlik_jwt.OAuthClient(url, private_key=private_pem, **settings)


def users_me(tenant: qlik_jwt.LocalTenant, token: qlik_jwt.AccessToken) -> tuple[int, Any]:
    request = urllib.request.Request(
        f"{tenant.url}/api/v1/users/me", headers={"Authorization": token.authorization}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as refused:
        with refused:
            return refused.code, json.loads(refused.read())


def test_a_machine_to_machine_token_acts_as_the_oauth_client(
    tenant: qlik_jwt.LocalTenant, private_pem: str
) -> None:
    token = client_of(tenant.url, private_pem).access_token()
    assert token.token_type == "bearer"
    assert token.expires_in == 3600
    assert token.scope == "user_default"
    assert abs(token.expires_at - (time.time() + 3600)) < 120
    status, me = users_me(tenant, token)
    assert status == 200, me
    assert me["subject"] == CLIENT_ID


def test_an_impersonation_token_acts_as_the_user(
    tenant: qlik_jwt.LocalTenant, private_pem: str
) -> None:
    client = client_of(tenant.url, private_pem, scope="user_default")
    assert users_me(tenant, client.impersonate("alice"))[1]["subject"] == "alice"
    assert users_me(tenant, client.access_token(impersonate="bob"))[1]["subject"] == "bob"
    with pytest.raises(qlik_jwt.QlikApiError) as refused:
        client.impersonate("mallory")
    assert refused.value.status == 400
    assert refused.value.code == "LOCAL-OAUTH-USER"
    assert refused.value.detail is not None and "mallory" in refused.value.detail
    assert refused.value.trace_id is not None and len(refused.value.trace_id) == 32


def test_tokens_are_cached_per_grant_and_user(
    tenant: qlik_jwt.LocalTenant, private_pem: str, jwk: dict[str, Any]
) -> None:
    client = client_of(tenant.url, private_pem)
    m2m = client.access_token()
    assert client.access_token() == m2m
    alice = client.impersonate("alice")
    assert alice.access_token != m2m.access_token
    assert client.impersonate("alice") == alice
    assert client.impersonate("bob").access_token != alice.access_token
    client.clear_cache()
    assert client.access_token().access_token != m2m.access_token
    assert qlik_jwt.TOKEN_REFRESH_MARGIN_SECS == 60

    # A token shorter than twice the margin is reused for half its life: with 0 s, never.
    with qlik_jwt.LocalTenant(
        oauth_clients=[{"client_id": CLIENT_ID, "jwk": json.dumps(jwk)}], access_token_lifetime=0
    ) as brief:
        brief_client = client_of(brief.url, private_pem)
        first = brief_client.access_token()
        assert brief_client.access_token().access_token != first.access_token
        status, body = users_me(brief, first)
        assert status == 401
        assert body["errors"][0]["code"] == "LOCAL-OAUTH-ACCESS-TOKEN"


class _HeldServer:
    """A token server that records each request and answers 200s only when released."""

    def __init__(self, answers: list[tuple[int, dict[str, Any]]]) -> None:
        self.seen: list[dict[str, Any]] = []
        self.arrived = threading.Condition()
        self.released = threading.Event()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", "0"))
                body = json.loads(self.rfile.read(length))
                with outer.arrived:
                    outer.seen.append(body)
                    status, answer = answers[min(len(outer.seen), len(answers)) - 1]
                    outer.arrived.notify_all()
                if status == 200:
                    outer.released.wait(30)
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *_args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait_for(self, count: int) -> None:
        with self.arrived:
            assert self.arrived.wait_for(lambda: len(self.seen) >= count, timeout=30)

    def close(self) -> None:
        self.released.set()
        self.server.shutdown()
        self.server.server_close()


def test_concurrent_threads_share_one_request(private_pem: str) -> None:
    fake = _HeldServer(
        [(200, {"access_token": "shared", "token_type": "bearer", "expires_in": 600})]
    )
    try:
        client = client_of(fake.url, private_pem)
        results: list[str] = []
        started = threading.Barrier(11)

        def ask(subject: str) -> None:
            started.wait()
            results.append(client.impersonate(subject).access_token)

        threads = [threading.Thread(target=ask, args=("alice",)) for _ in range(10)]
        threads.append(threading.Thread(target=ask, args=("bob",)))
        for thread in threads:
            thread.start()
        fake.wait_for(2)
        # Every thread has asked, or is waiting at its key's gate: alice's request is held
        # at the server, so the other nine cannot have a token yet.
        assert results == []
        fake.released.set()
        for thread in threads:
            thread.join(30)
        assert len(results) == 11 and set(results) == {"shared"}
        assert sorted(body["user_lookup"]["value"] for body in fake.seen) == ["alice", "bob"]
        client.impersonate("alice")
        assert len(fake.seen) == 2
        assert client._gates == {}, "no gate is kept once nobody waits"
    finally:
        fake.close()


def test_a_retry_signs_a_fresh_assertion(private_pem: str) -> None:
    fake = _HeldServer(
        [
            (503, {"errors": [{"code": "DOWN", "title": "down"}]}),
            (200, {"access_token": "late", "token_type": "bearer", "expires_in": 600}),
        ]
    )
    fake.released.set()
    try:
        client = client_of(fake.url, private_pem, retries=1, retry_delay=0.001)
        assert client.access_token().access_token == "late"
        payloads = [
            json.loads(base64.urlsafe_b64decode(body["client_assertion"].split(".")[1] + "=="))
            for body in fake.seen
        ]
        assert len({payload["jti"] for payload in payloads}) == 2
        assert fake.seen[0]["grant_type"] == "client_credentials"
        assert (
            fake.seen[0]["client_assertion_type"]
            == "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
        )
    finally:
        fake.close()


def test_refusals_keep_the_body_and_nothing_secret_is_shown(
    tenant: qlik_jwt.LocalTenant, private_pem: str, key_text: Callable[[str], str]
) -> None:
    stranger = qlik_jwt.OAuthClient(
        tenant.url, client_id="nobody", private_key=private_pem, key_id=KEY_ID
    )
    with pytest.raises(qlik_jwt.QlikApiError) as refused:
        stranger.access_token()
    assert (refused.value.status, refused.value.code) == (401, "LOCAL-OAUTH-CLIENT")
    assert refused.value.title == "Unknown client"
    with pytest.raises(qlik_jwt.QlikApiError) as kid:
        client_of(tenant.url, private_pem, key_id="other-kid").access_token()
    assert kid.value.code == "OAUTH_KID_MISMATCH"

    with pytest.raises(qlik_jwt.QlikJwtError):
        client_of("https://acme.eu.qlikcloud.com/path", private_pem)
    with pytest.raises(qlik_jwt.InvalidKeyError, match="2048"):
        client_of(tenant.url, key_text("rsa1024-private-pkcs8.pem"))
    with pytest.raises(TypeError):
        client_of(tenant.url, private_pem).access_token(impersonate=42)  # type: ignore[arg-type]

    client = client_of(tenant.url, private_pem)
    token = client.access_token()
    shown = repr(client) + repr(token) + repr(client._core)
    assert token.access_token not in shown
    assert "PRIVATE KEY" not in shown
    assert "<redacted>" in repr(token)
    assert token.as_dict()["access_token"] == token.access_token
