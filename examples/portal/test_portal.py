"""Starts the portal on a loopback port, logs in, fetches a Qlik token over HTTP and checks it
with ``explain`` against the identity provider's certificate."""

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


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    portal = load_portal()
    signer = qlik_jwt.QlikSigner(
        (KEYS / "rsa4096-privatekey.pem").read_text(), key_id=KEY_ID, issuer=ISSUER
    )
    server = make_server("127.0.0.1", 0, portal.create_app(signer), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


def browser() -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )


def test_logged_in_user_gets_a_valid_qlik_token(base_url: str) -> None:
    client = browser()
    form = urllib.parse.urlencode({"username": "ada"}).encode()
    with client.open(f"{base_url}/login", data=form, timeout=10) as response:
        assert response.status == 200  # redirected to the portal page
        assert "Logged in as ada" in response.read().decode()
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
