"""Starts the portal on a loopback port, logs in, fetches a Qlik token over HTTP and checks it
with ``explain`` against the identity provider's certificate; then the portal with an OAuth
client, against a local tenant that has the client registered with the public JWK of a key made
by ``qlik_jwt.generate_oauth_keys``: the logged-in user's access token makes the tenant's
``/api/v1/users/me`` answer as that user, and the second request is answered from the cache."""

from __future__ import annotations

import http.cookiejar
import json
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from importlib import util
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from werkzeug.serving import make_server

import qlik_jwt

HERE = Path(__file__).resolve().parent
KEYS = HERE.parents[1] / "tests" / "keys"
KEY_ID = "portal-kid"
ISSUER = "https://portal.example.com"


def load_portal() -> ModuleType:
    spec = util.spec_from_file_location("portal_app", HERE / "app.py")
    assert spec is not None and spec.loader is not None
    module = util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def serve(app: Any) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    portal = load_portal()
    signer = qlik_jwt.QlikSigner(
        (KEYS / "rsa4096-privatekey.pem").read_text(), key_id=KEY_ID, issuer=ISSUER
    )
    yield from serve(portal.create_app(signer))


def browser() -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )


def log_in(client: urllib.request.OpenerDirector, base_url: str, username: str) -> str:
    form = urllib.parse.urlencode({"username": username}).encode()
    with client.open(f"{base_url}/login", data=form, timeout=10) as response:
        assert response.status == 200  # redirected to the portal page
        page: str = response.read().decode()
    assert f"Logged in as {username}" in page
    return page


def test_logged_in_user_gets_a_valid_qlik_token(base_url: str) -> None:
    client = browser()
    log_in(client, base_url, "ada")
    with client.open(f"{base_url}/api/qlik-token", timeout=10) as response:
        token = json.load(response)["token"]

    certificate = (KEYS / "rsa4096-publickey.cer").read_text()
    problems = qlik_jwt.explain(token, issuer=ISSUER, key_id=KEY_ID, certificate=certificate)
    assert problems == []
    claims = qlik_jwt.verify(
        token, certificate, audience=qlik_jwt.QLIK_AUDIENCE, issuer=ISSUER, algorithms=["RS256"]
    )
    assert (claims["sub"], claims["name"], claims["email"]) == (
        "ada-1815",
        "Ada Lovelace",
        "ada@example.com",
    )
    assert claims["groups"] == ["Analysts", "Administrators"]


def test_anonymous_visitor_gets_no_token(base_url: str) -> None:
    with pytest.raises(urllib.error.HTTPError) as caught:
        browser().open(f"{base_url}/api/qlik-token", timeout=10)
    assert caught.value.code == 401


def test_unknown_user_cannot_log_in(base_url: str) -> None:
    form = urllib.parse.urlencode({"username": "mallory"}).encode()
    with pytest.raises(urllib.error.HTTPError) as caught:
        browser().open(f"{base_url}/login", data=form, timeout=10)
    assert caught.value.code == 403


OAUTH_CLIENT_ID = "portal-oauth-client"
OAUTH_KEY_ID = "portal-oauth-key"


@pytest.fixture(scope="module")
def oauth_keys() -> tuple[str, dict[str, Any]]:
    """The OAuth client's private key and the public JWK to register."""
    keys = qlik_jwt.generate_oauth_keys("ec", key_id=OAUTH_KEY_ID)
    return keys.private_key_pem, dict(keys.public_jwk)


@pytest.fixture(scope="module")
def tenant(oauth_keys: tuple[str, dict[str, Any]]) -> Iterator[qlik_jwt.LocalTenant]:
    # Ada exists in the tenant; Harry is the portal's user but has no Qlik user yet.
    _, jwk = oauth_keys
    with qlik_jwt.LocalTenant(
        oauth_clients=[{"client_id": OAUTH_CLIENT_ID, "jwk": jwk}], known_users=["ada-1815"]
    ) as running:
        yield running


def oauth_client(tenant: qlik_jwt.LocalTenant, private_key: str) -> qlik_jwt.OAuthClient:
    return qlik_jwt.OAuthClient(
        tenant.url,
        client_id=OAUTH_CLIENT_ID,
        private_key=private_key,
        key_id=OAUTH_KEY_ID,
        scope="user_default",
    )


@pytest.fixture(scope="module")
def oauth_portal(
    tenant: qlik_jwt.LocalTenant, oauth_keys: tuple[str, dict[str, Any]]
) -> Iterator[str]:
    portal = load_portal()
    client = oauth_client(tenant, oauth_keys[0])
    app = portal.create_app(None, oauth_client=client, embed={"app_id": "embedded-app"})
    yield from serve(app)


def access_token(client: urllib.request.OpenerDirector, base_url: str) -> str:
    request = urllib.request.Request(f"{base_url}/api/qlik-access-token", method="POST")
    with client.open(request, timeout=10) as response:
        assert response.headers["Content-Type"].startswith("text/plain")
        assert response.headers["Cache-Control"] == "no-store"
        token: str = response.read().decode()
    return token


def users_me(tenant: qlik_jwt.LocalTenant, token: str) -> dict[str, Any]:
    request = urllib.request.Request(
        f"{tenant.url}/api/v1/users/me", headers={"Authorization": f"Bearer {token}"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        me: dict[str, Any] = json.load(response)
    return me


def test_logged_in_user_gets_an_impersonation_token_for_qlik_embed(
    oauth_portal: str, tenant: qlik_jwt.LocalTenant, oauth_keys: tuple[str, dict[str, Any]]
) -> None:
    client = browser()
    page = log_in(client, oauth_portal, "ada")
    assert 'data-auth-type="Oauth2"' in page
    assert 'data-get-access-token="getAccessToken"' in page
    assert f'data-host="{tenant.url}" data-client-id="{OAUTH_CLIENT_ID}"' in page
    assert 'app-id="embedded-app"' in page

    token = access_token(client, oauth_portal)
    assert users_me(tenant, token)["subject"] == "ada-1815"

    # From the OAuth client's cache: the same token, although the tenant issues a new one for
    # every exchange (as a second client of the same key shows).
    assert access_token(client, oauth_portal) == token
    assert oauth_client(tenant, oauth_keys[0]).impersonate("ada-1815").access_token != token

    # The portal's JWT route is not configured here.
    with pytest.raises(urllib.error.HTTPError) as caught:
        client.open(f"{oauth_portal}/api/qlik-token", timeout=10)
    assert caught.value.code == 404

    with client.open(f"{oauth_portal}/logout", data=b"", timeout=10) as response:
        assert "Not logged in" in response.read().decode()
    with pytest.raises(urllib.error.HTTPError) as caught:
        access_token(client, oauth_portal)
    assert caught.value.code == 401


def test_anonymous_visitor_gets_no_access_token(oauth_portal: str) -> None:
    client = browser()
    with client.open(f"{oauth_portal}/", timeout=10) as response:
        assert "data-get-access-token" not in response.read().decode()
    with pytest.raises(urllib.error.HTTPError) as caught:
        access_token(client, oauth_portal)
    assert caught.value.code == 401
    assert json.load(caught.value) == {"error": "log in first"}


def test_user_missing_in_the_tenant_gets_qliks_refusal(oauth_portal: str) -> None:
    client = browser()
    log_in(client, oauth_portal, "harry")
    with pytest.raises(urllib.error.HTTPError) as caught:
        access_token(client, oauth_portal)
    assert caught.value.code == 502
    body: dict[str, Any] = json.load(caught.value)
    assert body["code"] == "LOCAL-OAUTH-USER"
    assert "SomeSampleSeedValue" in body["error"]
