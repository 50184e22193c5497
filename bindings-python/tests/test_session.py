"""The session client on urllib against the local tenant started from code: log in, REST calls
with cookies and the CSRF header, the websocket URL, and every kind of bad token refused with
Qlik's error fields and the core's hint. Bad tokens are made with PyJWT (the independent
oracle), so the client is not judged by tokens of its own making."""

from __future__ import annotations

import inspect
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import jwt as pyjwt
import pytest

import qlik_jwt

ISSUER = "https://issuer.session-test"
KEY_ID = "session-test-kid"
USER: dict[str, Any] = {
    "sub": "user-1",
    "name": "User One",
    "email": "one@example.com",
    "email_verified": True,
    "groups": ["Sales"],
}


@pytest.fixture(scope="module")
def private_pem(key_text: Callable[[str], str]) -> str:
    return key_text("rsa2048-private-pkcs8.pem")


@pytest.fixture(scope="module")
def certificate(key_text: Callable[[str], str]) -> str:
    return key_text("rsa2048-cert.pem")


@pytest.fixture(scope="module")
def signer(private_pem: str) -> qlik_jwt.QlikSigner:
    return qlik_jwt.QlikSigner(private_pem, key_id=KEY_ID, issuer=ISSUER)


@pytest.fixture
def tenant(certificate: str) -> Iterator[qlik_jwt.LocalTenant]:
    with qlik_jwt.LocalTenant(certificate, issuer=ISSUER, key_id=KEY_ID) as running:
        yield running


def oracle_token(private_pem: str, kid: str = KEY_ID, **changes: Any) -> str:
    """A token from PyJWT with Qlik's claims, ``changes`` applied (``None`` removes one)."""
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": ISSUER,
        "aud": "qlik.api/login/jwt-session",
        "sub": "user-2",
        "subType": "user",
        "name": "User Two",
        "email": "two@example.com",
        "email_verified": True,
        "jti": str(uuid.uuid4()),
        "iat": now,
        "nbf": now - 30,
        "exp": now + 300,
    }
    claims.update(changes)
    claims = {name: value for name, value in claims.items() if value is not None}
    return pyjwt.encode(claims, private_pem, algorithm="RS256", headers={"kid": kid})


def refusal(url: str, token: str, **options: Any) -> qlik_jwt.QlikApiError:
    with pytest.raises(qlik_jwt.QlikApiError) as refused:
        qlik_jwt.login(url, token, **options)
    return refused.value


def test_login_get_and_patch_with_the_csrf_header(
    tenant: qlik_jwt.LocalTenant, signer: qlik_jwt.QlikSigner
) -> None:
    session = qlik_jwt.login(tenant.url, signer.sign(**USER))
    assert session.base_url == tenant.url
    assert sorted(session.cookie_names) == sorted(qlik_jwt.SESSION_COOKIES)
    assert len(session.csrf_token) >= 16

    me = session.get(qlik_jwt.USERS_ME_PATH)
    assert me["subject"] == USER["sub"]
    assert me["name"] == USER["name"]
    assert me["email"] == USER["email"]
    assert [group["name"] for group in me["assignedGroups"]] == USER["groups"]

    # The tenant refuses a PATCH without the CSRF header, so its success shows the header sent.
    bare = urllib.request.Request(
        tenant.url + qlik_jwt.USERS_ME_PATH,
        method="PATCH",
        data=b"[]",
        headers={"Cookie": session.cookie_header, "Content-Type": "application/json"},
    )
    with pytest.raises(urllib.error.HTTPError) as forbidden:
        urllib.request.urlopen(bare, timeout=10)
    assert forbidden.value.code == 403
    assert b"LOCAL-CSRF-TOKEN" in forbidden.value.read()
    forbidden.value.close()

    rename = [{"op": "replace", "path": "/name", "value": "Renamed"}]
    assert session.patch(qlik_jwt.USERS_ME_PATH, rename) is None
    assert session.get(qlik_jwt.USERS_ME_PATH)["name"] == "Renamed"

    raw = session.send("GET", qlik_jwt.USERS_ME_PATH)
    assert raw.status == 200
    assert raw.json()["subject"] == USER["sub"]
    assert "json" in (raw.headers.get("Content-Type") or "")


def test_rest_refusals_are_qlik_api_errors(
    tenant: qlik_jwt.LocalTenant, signer: qlik_jwt.QlikSigner
) -> None:
    session = qlik_jwt.login(tenant.url, signer.sign(**USER))
    with pytest.raises(qlik_jwt.QlikApiError) as missing:
        session.get("/api/v1/no-such-thing")
    assert missing.value.status == 404
    assert missing.value.code == "LOCAL-NOT-FOUND"
    assert missing.value.hint is None
    assert isinstance(missing.value, qlik_jwt.QlikJwtError)
    with pytest.raises(ValueError, match="must start with /"):
        session.get("users/me")


def test_websocket_url_and_headers(
    tenant: qlik_jwt.LocalTenant, signer: qlik_jwt.QlikSigner
) -> None:
    session = qlik_jwt.login(tenant.url, signer.sign(**USER))
    url = urllib.parse.urlsplit(session.websocket_url("app/1 2"))
    assert url.scheme == "ws"
    assert url.netloc == urllib.parse.urlsplit(tenant.url).netloc
    assert url.path == "/app/app%2F1%202"
    assert urllib.parse.parse_qs(url.query)[qlik_jwt.CSRF_HEADER] == [session.csrf_token]
    assert session.websocket_headers() == {"Cookie": session.cookie_header}
    for name in qlik_jwt.SESSION_COOKIES:
        assert f"{name}=" in session.cookie_header
    assert session.csrf_token not in repr(session)


def test_web_integration_id_is_sent(certificate: str, signer: qlik_jwt.QlikSigner) -> None:
    with qlik_jwt.LocalTenant(
        certificate, issuer=ISSUER, key_id=KEY_ID, web_integration_id="web-int-1"
    ) as tenant:
        refused = refusal(tenant.url, signer.sign(**USER))
        assert (refused.status, refused.code) == (400, "LOCAL-WEB-INTEGRATION-ID")
        session = qlik_jwt.login(tenant.url, signer.sign(**USER), web_integration_id="web-int-1")
        assert session.get(qlik_jwt.USERS_ME_PATH)["subject"] == USER["sub"]
        assert "qlik-web-integration-id=web-int-1" in session.websocket_url("a")


def _now() -> int:
    return int(time.time())


BAD_TOKENS: list[tuple[str, dict[str, Any], int, str, str | None]] = [
    ("missing nbf", {"nbf": None}, 400, "INTERNAL-TOKEN-1", "QLIK_CLAIM_MISSING"),
    (
        "wrong aud",
        {"aud": "qlik.api/jwt-login-session"},
        401,
        "LOCAL-TOKEN-INVALID",
        "QLIK_AUD_TYPO",
    ),
    ("window", {"exp": "+7200"}, 401, "LOCAL-TOKEN-INVALID", "QLIK_WINDOW_TOO_LONG"),
    ("expired", {"exp": "-600"}, 401, "LOCAL-TOKEN-INVALID", "QLIK_EXPIRED"),
    ("unknown kid", {"kid": "another-kid"}, 401, "LOCAL-TOKEN-SIGNATURE", None),
]


@pytest.mark.parametrize(
    ("kind", "changes", "status", "code", "hint"), BAD_TOKENS, ids=[b[0] for b in BAD_TOKENS]
)
def test_bad_tokens_are_refused_with_qlik_fields(
    tenant: qlik_jwt.LocalTenant,
    private_pem: str,
    kind: str,
    changes: dict[str, Any],
    status: int,
    code: str,
    hint: str | None,
) -> None:
    changes = dict(changes)
    kid = changes.pop("kid", KEY_ID)
    for claim in ("exp",):
        if isinstance(changes.get(claim), str):
            changes[claim] = _now() + int(changes[claim])
            if changes[claim] < _now():
                changes["iat"] = changes["nbf"] = _now() - 900
    error = refusal(tenant.url, oracle_token(private_pem, kid, **changes))
    assert error.status == status
    assert error.code == code
    assert error.detail
    assert error.trace_id is not None and len(error.trace_id) == 32
    assert f"HTTP {status} {code}" in str(error)
    if hint is None:
        assert error.hint is None
    else:
        assert error.hint is not None and hint in error.hint
        assert error.hint in str(error)
    if kind == "missing nbf":
        assert error.title == "Missing required claim: nbf"


def test_bad_signature_is_refused_without_a_hint(tenant: qlik_jwt.LocalTenant) -> None:
    other_key = qlik_jwt.generate_keys("rsa2048").private_key_pem
    error = refusal(tenant.url, oracle_token(other_key))
    assert (error.status, error.code, error.hint) == (401, "LOCAL-TOKEN-SIGNATURE", None)


def test_a_replayed_jti_is_refused(tenant: qlik_jwt.LocalTenant, private_pem: str) -> None:
    token = oracle_token(private_pem)
    qlik_jwt.login(tenant.url, token)
    error = refusal(tenant.url, token)
    assert (error.status, error.code, error.hint) == (401, "LOCAL-TOKEN-REPLAYED", None)


class RecordingSigner:
    """Signs with the real signer and remembers every jti."""

    def __init__(self, signer: qlik_jwt.QlikSigner) -> None:
        self.signer = signer
        self.jtis: list[str] = []

    def sign(self, **user: Any) -> str:
        token = self.signer.sign(**user)
        self.jtis.append(pyjwt.decode(token, options={"verify_signature": False})["jti"])
        return token


def test_login_with_signs_a_fresh_token_per_attempt(
    certificate: str, signer: qlik_jwt.QlikSigner, private_pem: str
) -> None:
    recording = RecordingSigner(signer)
    with qlik_jwt.LocalTenant(
        certificate, issuer=ISSUER, key_id=KEY_ID, logins_per_minute=1
    ) as tenant:
        session = qlik_jwt.login_with(tenant.url, recording, USER, retry_delay=0.001)  # type: ignore[arg-type]
        assert session.get(qlik_jwt.USERS_ME_PATH)["subject"] == USER["sub"]
        assert len(recording.jtis) == 1
        with pytest.raises(qlik_jwt.QlikApiError) as limited:
            qlik_jwt.login_with(tenant.url, recording, USER, retries=2, retry_delay=0.001)  # type: ignore[arg-type]
        assert (limited.value.status, limited.value.code) == (429, "LOCAL-RATE-LIMITED")
        assert len(recording.jtis) == 4
        assert len(set(recording.jtis)) == 4

    class BadSigner:
        calls = 0

        def sign(self, **user: Any) -> str:
            BadSigner.calls += 1
            return oracle_token(private_pem, nbf=None)

    with qlik_jwt.LocalTenant(certificate, issuer=ISSUER, key_id=KEY_ID) as tenant:
        with pytest.raises(qlik_jwt.QlikApiError) as refused:
            qlik_jwt.login_with(tenant.url, BadSigner(), USER, retry_delay=0.001)  # type: ignore[arg-type]
        assert refused.value.status == 400
        assert BadSigner.calls == 1


def test_login_checks_its_arguments() -> None:
    with pytest.raises(ValueError, match="https://"):
        qlik_jwt.login("acme.eu.qlikcloud.com", "x.y.z")
    with pytest.raises(ValueError, match="address alone"):
        qlik_jwt.login("https://acme.eu.qlikcloud.com/some/path", "x.y.z")
    with pytest.raises(TypeError, match="a signed Qlik JWT"):
        qlik_jwt.login("https://acme.eu.qlikcloud.com", "")


def test_the_session_client_s_defaults_are_the_core_s() -> None:
    # The same words and defaults as the Node client and the Rust one: read from the core.
    with pytest.raises(ValueError, match=r"is not an https:// \(or http://\) URL"):
        qlik_jwt.login("acme.eu.qlikcloud.com", "x.y.z")
    defaults = inspect.signature(qlik_jwt.login_with).parameters
    assert defaults["timeout"].default == 30.0
    assert defaults["retries"].default == 2
    assert defaults["retry_delay"].default == 1.0
    assert inspect.signature(qlik_jwt.login).parameters["timeout"].default == 30.0


def test_local_tenant_settings_and_close(certificate: str) -> None:
    with pytest.raises(qlik_jwt.InvalidKeyError):
        qlik_jwt.LocalTenant("not a key", issuer="i", key_id="k")
    with pytest.raises(TypeError, match="issuer"):
        qlik_jwt.LocalTenant(certificate, issuer=1, key_id="k")  # type: ignore[arg-type]
    # The core's rule and words for a port, as in Node.
    for port in (-1, 65536):
        with pytest.raises(qlik_jwt.InvalidOptionError, match=f"port {port} is not a port"):
            qlik_jwt.LocalTenant(certificate, issuer="i", key_id="k", port=port)
    tenant = qlik_jwt.LocalTenant(
        qlik_jwt.single_line_pem(certificate), issuer="i", key_id="k", logins_per_minute=None
    )
    assert tenant.running
    assert tenant.url.startswith("http://127.0.0.1:")
    assert repr(tenant) == f"LocalTenant(url={tenant.url!r})"
    tenant.close()
    tenant.close()
    assert not tenant.running
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(tenant.url + qlik_jwt.USERS_ME_PATH, timeout=5)
