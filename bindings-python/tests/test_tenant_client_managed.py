"""The local client-managed virtual proxy from Python: LocalClientManagedTenant judges Bearer
tokens, hands out the -HTTP session cookie and the CSRF token, and opens the engine websocket
only with the cookie and the token, never with a Bearer header or from a foreign Origin.
Requests are plain http.client; websockets are websocket-client."""

from __future__ import annotations

import http.client
import json
import time
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import quote, urlsplit

import jwt as pyjwt
import pytest
import websocket

import qlik_jwt

PROXY: dict[str, Any] = {
    "user_id_attribute": "userId",
    "user_directory_attribute": "userDirectory",
    "audience": "qlik-sense",
    "attributes": [{"sense_attribute": "group", "jwt_attribute": "groups"}],
}
APP = "/app/00000000-0000-0000-0000-000000000001"
CSWSH = "Cross-Site Websocket Hijacking attack prevention check failed"


@pytest.fixture(scope="module")
def private_pem(key_text: Callable[[str], str]) -> str:
    return key_text("rsa2048-private-pkcs8.pem")


@pytest.fixture(scope="module")
def certificate(key_text: Callable[[str], str]) -> str:
    return key_text("rsa2048-cert.pem")


@pytest.fixture
def tenant(certificate: str) -> Iterator[qlik_jwt.LocalClientManagedTenant]:
    with qlik_jwt.LocalClientManagedTenant(certificate, prefix="jwt", **PROXY) as running:
        yield running


@pytest.fixture(scope="module")
def signer(private_pem: str) -> qlik_jwt.ClientManagedSigner:
    return qlik_jwt.ClientManagedSigner(private_pem, **PROXY)


def token_for(signer: qlik_jwt.ClientManagedSigner, user_id: str) -> str:
    return signer.sign(user_id=user_id, user_directory="CORP", groups=["Sales"])


def get(
    tenant: qlik_jwt.LocalClientManagedTenant, path: str, headers: dict[str, str]
) -> tuple[int, dict[str, str], Any]:
    """One GET below the proxy URL: status, headers (lower-case names), JSON body or None."""
    parts = urlsplit(tenant.url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    try:
        connection.request("GET", f"{parts.path}{path}", headers=headers)
        response = connection.getresponse()
        body = response.read()
        names = {name.lower(): value for name, value in response.getheaders()}
        return response.status, names, json.loads(body) if body else None
    finally:
        connection.close()


def login(tenant: qlik_jwt.LocalClientManagedTenant, token: str) -> tuple[str, str]:
    """A Bearer GET of /qps/csrftoken: the session cookie (``name=value``) and the CSRF token."""
    status, headers, body = get(tenant, "/qps/csrftoken", {"Authorization": f"Bearer {token}"})
    assert status == 200, body
    cookie = headers["set-cookie"].split(";")[0]
    assert cookie.startswith(f"{tenant.cookie_name}="), cookie
    return cookie, headers["qlik-csrf-token"]


def refused_upgrade(
    tenant: qlik_jwt.LocalClientManagedTenant, query: str, headers: dict[str, str]
) -> tuple[int, str]:
    """A websocket upgrade as raw HTTP, its refusal read whole: the status and first code."""
    upgrade = {
        "Upgrade": "websocket",
        "Connection": "Upgrade",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
        **headers,
    }
    status, _, body = get(tenant, f"{APP}{query}", upgrade)
    assert status != 101
    if status == 403:
        assert body["errors"][0]["title"] == CSWSH
    return status, body["errors"][0]["code"]


def open_engine(
    tenant: qlik_jwt.LocalClientManagedTenant, query: str, headers: list[str]
) -> websocket.WebSocket:
    url = tenant.url.replace("http:", "ws:", 1) + APP + query
    return websocket.create_connection(url, header=headers, timeout=10)


def test_the_whole_flow_sign_csrftoken_websocket_refused_then_accepted_engine_version(
    tenant: qlik_jwt.LocalClientManagedTenant, signer: qlik_jwt.ClientManagedSigner
) -> None:
    assert tenant.url.endswith("/jwt")
    assert tenant.cookie_name == "X-Qlik-Session-jwt-HTTP"
    cookie, csrf = login(tenant, token_for(signer, "jdoe"))

    with pytest.raises(websocket.WebSocketBadStatusException) as refused:
        open_engine(tenant, "", [f"Cookie: {cookie}"])
    assert refused.value.status_code == 403
    assert refused_upgrade(tenant, "", {"Cookie": cookie}) == (403, "LOCAL-WEBSOCKET-CSRF")

    socket = open_engine(tenant, f"?qlik-csrf-token={quote(csrf)}", [f"Cookie: {cookie}"])
    try:
        assert json.loads(socket.recv()) == {
            "jsonrpc": "2.0",
            "method": "OnConnected",
            "params": {"qSessionState": "SESSION_CREATED"},
        }
        ask = {"jsonrpc": "2.0", "id": 1, "handle": -1, "method": "EngineVersion", "params": {}}
        socket.send(json.dumps(ask))
        version = json.loads(socket.recv())
        assert version["id"] == 1
        assert isinstance(version["result"]["qVersion"]["qComponentVersion"], str)
        socket.send(json.dumps({"jsonrpc": "2.0", "id": 2, "handle": -1, "method": "OpenDoc"}))
        unknown = json.loads(socket.recv())
        assert (unknown["id"], unknown["error"]["code"]) == (2, -32601)
    finally:
        socket.close()


def test_the_upgrade_is_refused_without_cookie_csrf_with_bearer_or_from_a_foreign_origin(
    tenant: qlik_jwt.LocalClientManagedTenant, signer: qlik_jwt.ClientManagedSigner
) -> None:
    token = token_for(signer, "jdoe")
    cookie, csrf = login(tenant, token)
    query = f"?qlik-csrf-token={quote(csrf)}"
    cases: list[tuple[str, str, dict[str, str]]] = [
        ("LOCAL-WEBSOCKET-SESSION", query, {}),
        ("LOCAL-WEBSOCKET-CSRF", "", {"Cookie": cookie}),
        ("LOCAL-WEBSOCKET-CSRF", "?qlik-csrf-token=wrong", {"Cookie": cookie}),
        ("LOCAL-WEBSOCKET-AUTHORIZATION", query, {"Authorization": f"Bearer {token}"}),
        ("LOCAL-WEBSOCKET-ORIGIN", query, {"Cookie": cookie, "Origin": "https://evil.example"}),
    ]
    for code, case_query, headers in cases:
        assert refused_upgrade(tenant, case_query, headers) == (403, code), (case_query, headers)
    # websocket-client sends the proxy's own origin by default: allowed.
    socket = open_engine(tenant, query, [f"Cookie: {cookie}"])
    try:
        assert json.loads(socket.recv())["method"] == "OnConnected"
    finally:
        socket.close()


def test_bad_tokens_are_refused_with_401_and_the_explain_code(
    tenant: qlik_jwt.LocalClientManagedTenant,
    private_pem: str,
    signer: qlik_jwt.ClientManagedSigner,
    key_text: Callable[[str], str],
) -> None:
    now = int(time.time())
    claims: dict[str, Any] = {"userId": "jdoe", "userDirectory": "CORP", "aud": "qlik-sense"}
    claims |= {"nbf": now - 30, "exp": now + 300}

    def rs256(payload: dict[str, Any]) -> str:
        return pyjwt.encode(payload, private_pem, algorithm="RS256")

    mis_cased = {k: v for k, v in claims.items() if k != "userId"} | {"userid": "jdoe"}
    cases = [
        (pyjwt.encode(claims, "a shared secret of 32 bytes long!", "HS256"), "QSE_ALG_NOT_ALLOWED"),
        (rs256(mis_cased), "QSE_ATTRIBUTE_CASE"),
        (rs256(claims | {"aud": "another-proxy"}), "QSE_AUDIENCE_MISMATCH"),
        (rs256(claims | {"nbf": now - 4000, "exp": now - 3600}), "QSE_EXPIRED"),
    ]
    for token, code in cases:
        status, headers, body = get(tenant, "/qps/csrftoken", {"Authorization": f"Bearer {token}"})
        assert (status, body["errors"][0]["code"]) == (401, code), body
        assert "set-cookie" not in headers
    other_key = key_text("rsa4096-public-spki.pem")
    with qlik_jwt.LocalClientManagedTenant(other_key, prefix="jwt", **PROXY) as other:
        bearer = {"Authorization": f"Bearer {token_for(signer, 'jdoe')}"}
        status, _, body = get(other, "/qps/csrftoken", bearer)
        assert (status, body["errors"][0]["code"]) == (401, "QSE_SIGNATURE_INVALID")


def test_the_sixth_parallel_session_of_a_user_is_refused_with_403(
    tenant: qlik_jwt.LocalClientManagedTenant, signer: qlik_jwt.ClientManagedSigner
) -> None:
    for _ in range(5):
        login(tenant, token_for(signer, "jdoe"))
    bearer = {"Authorization": f"Bearer {token_for(signer, 'jdoe')}"}
    status, headers, body = get(tenant, "/qps/csrftoken", bearer)
    assert (status, body["errors"][0]["code"]) == (403, "LOCAL-MAX-PARALLEL-SESSIONS")
    assert body["errors"][0]["title"] == "Access denied"
    assert "set-cookie" not in headers
    login(tenant, token_for(signer, "asmith"))


def test_qrs_calls_need_the_xrfkey_and_the_session_shows_its_user(
    tenant: qlik_jwt.LocalClientManagedTenant, signer: qlik_jwt.ClientManagedSigner
) -> None:
    cookie, _ = login(tenant, token_for(signer, "jdoe"))
    key = "abcdefghijklmnop"
    status, _, _ = get(tenant, f"/qrs/about?xrfkey={key}", {"Cookie": cookie, "X-Qlik-Xrfkey": key})
    assert status == 200
    status, _, body = get(tenant, f"/qrs/about?xrfkey={key}", {"Cookie": cookie})
    assert (status, body["errors"][0]["code"]) == (403, "LOCAL-XRFKEY")
    status, _, me = get(tenant, "/qps/user", {"Cookie": cookie})
    assert (me["userDirectory"], me["userId"], me["attributes"]) == (
        "CORP",
        "jdoe",
        [{"group": ["Sales"]}],
    )


def test_settings_the_proxy_cannot_run_with_are_refused_with_the_core_message(
    certificate: str,
) -> None:
    with pytest.raises(qlik_jwt.InvalidOptionError, match=r'^prefix is "a/b"'):
        qlik_jwt.LocalClientManagedTenant(certificate, prefix="a/b", **PROXY)
    with pytest.raises(qlik_jwt.QlikRuleError, match='user_id_attribute is "sub"'):
        qlik_jwt.LocalClientManagedTenant(
            certificate, prefix="jwt", **(PROXY | {"user_id_attribute": "sub"})
        )
    closed = qlik_jwt.LocalClientManagedTenant(certificate, prefix="jwt", **PROXY)
    assert closed.running
    closed.close()
    closed.close()
    assert not closed.running
    assert repr(closed).startswith("LocalClientManagedTenant(url='http://127.0.0.1:")
