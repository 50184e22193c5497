"""The whole client-managed flow on the Python client against the local virtual proxy: sign →
``login_client_managed`` (csrftoken) → the engine websocket refused without the CSRF token →
accepted with the session's URL and headers → ``EngineVersion`` answered, over one session."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import websocket

import qlik_jwt

PROXY: dict[str, Any] = {"user_id_attribute": "userId", "user_directory_attribute": "userDirectory"}


@pytest.fixture
def proxy(key_text: Callable[[str], str]) -> Iterator[qlik_jwt.LocalClientManagedTenant]:
    certificate = key_text("rsa2048-cert.pem")
    with qlik_jwt.LocalClientManagedTenant(certificate, prefix="jwt", **PROXY) as running:
        yield running


@pytest.fixture
def token_for(key_text: Callable[[str], str]) -> Callable[[str], str]:
    signer = qlik_jwt.ClientManagedSigner(key_text("rsa2048-private-pkcs8.pem"), **PROXY)
    return lambda user_id: signer.sign(user_id=user_id, user_directory="CORP")


def upgrade(url: str, headers: dict[str, str]) -> websocket.WebSocket:
    return websocket.create_connection(
        url, header=[f"{name}: {value}" for name, value in headers.items()], timeout=10
    )


def refused_status(url: str, headers: dict[str, str]) -> int:
    with pytest.raises(websocket.WebSocketBadStatusException) as refused:
        upgrade(url, headers)
    return refused.value.status_code


def test_sign_login_websocket_refused_then_accepted_engine_version(
    proxy: qlik_jwt.LocalClientManagedTenant, token_for: Callable[[str], str]
) -> None:
    session = qlik_jwt.login_client_managed(proxy.url, token_for("jdoe"))
    assert session.cookie_name == proxy.cookie_name
    assert session.origin == proxy.origin

    url = session.websocket_url("my-app")
    assert refused_status(url.split("?")[0], session.websocket_headers()) == 403

    socket = upgrade(url, session.websocket_headers())
    try:
        assert json.loads(socket.recv())["method"] == "OnConnected"
        ask = {"jsonrpc": "2.0", "id": 1, "handle": -1, "method": "EngineVersion", "params": {}}
        socket.send(json.dumps(ask))
        version = json.loads(socket.recv())
    finally:
        socket.close()
    assert version["id"] == 1
    assert isinstance(version["result"]["qVersion"]["qComponentVersion"], str)

    # The same session serves QRS: the proxy checks the xrfkey the session adds.
    assert isinstance(session.get("/qrs/about")["buildVersion"], str)


def test_the_websocket_needs_the_cookie_and_refuses_a_bearer_header(
    proxy: qlik_jwt.LocalClientManagedTenant, token_for: Callable[[str], str]
) -> None:
    session = qlik_jwt.login_client_managed(proxy.url, token_for("jdoe"))
    url = session.websocket_url("my-app")
    assert refused_status(url, {"Origin": session.origin}) == 403
    bearer = {**session.websocket_headers(), "Authorization": f"Bearer {token_for('jdoe')}"}
    assert refused_status(url, bearer) == 403


def test_one_session_is_reused_and_the_sixth_is_refused_with_the_reason(
    proxy: qlik_jwt.LocalClientManagedTenant, token_for: Callable[[str], str]
) -> None:
    session = qlik_jwt.login_client_managed(proxy.url, token_for("busy"))
    for _ in range(6):
        session.get("/qrs/about")
    for _ in range(4):
        qlik_jwt.login_client_managed(proxy.url, token_for("busy"))
    with pytest.raises(qlik_jwt.QlikApiError) as refused:
        qlik_jwt.login_client_managed(proxy.url, token_for("busy"))
    assert refused.value.status == 403
    assert refused.value.hint and refused.value.hint.startswith("QSE_SESSION_LIMIT")
    session.get("/qrs/about")
