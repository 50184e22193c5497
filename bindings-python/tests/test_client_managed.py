"""Client-managed (JWT virtual proxy) tokens from Python: the signer uses the proxy's claim
names, refuses what the proxy would refuse, and explain names each refusal with its code. The
tokens are read back and checked by PyJWT, the independent oracle."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import jwt as pyjwt
import pytest

import qlik_jwt

MAPPING = [{"sense_attribute": "group", "jwt_attribute": "groups", "is_mandatory": True}]
PROXY: dict[str, Any] = {
    "user_id_attribute": "UserID",
    "user_directory_attribute": "UserDir",
    "audience": "qlik-sense",
    "attributes": MAPPING,
}


@pytest.fixture(scope="module")
def private_pem(key_text: Callable[[str], str]) -> str:
    return key_text("rsa2048-private-pkcs8.pem")


@pytest.fixture(scope="module")
def certificate(key_text: Callable[[str], str]) -> str:
    return key_text("rsa2048-cert.pem")


def codes(problems: list[qlik_jwt.Problem]) -> list[str]:
    return [problem.code for problem in problems]


def test_a_token_with_the_proxys_names_verifies_and_explains_clean(
    private_pem: str, certificate: str, key_text: Callable[[str], str]
) -> None:
    signer = qlik_jwt.ClientManagedSigner(private_pem, key_id="k1", **PROXY)
    assert signer.algorithm == "RS256"
    token = signer.sign(user_id="jdoe", user_directory="CORP", name="Jane", groups=["Sales"])
    public_pem = key_text("rsa2048-public-spki.pem")
    claims = pyjwt.decode(token, public_pem, algorithms=["RS256"], audience="qlik-sense")
    assert (claims["UserID"], claims["UserDir"], claims["groups"]) == ("jdoe", "CORP", ["Sales"])
    assert claims["exp"] - claims["nbf"] == 330
    assert pyjwt.get_unverified_header(token)["kid"] == "k1"
    assert qlik_jwt.explain_client_managed(token, certificate=certificate, **PROXY) == []
    late = qlik_jwt.explain_client_managed(token, now=int(time.time()) + 301, **PROXY)
    assert codes(late) == ["QSE_EXPIRED"]


def test_what_the_proxy_refuses_is_refused_when_signing(
    private_pem: str, key_text: Callable[[str], str]
) -> None:
    for key in (key_text("ec256-private-pkcs8.pem"), {"kty": "oct", "k": "c2VjcmV0IHNlY3JldA"}):
        with pytest.raises(qlik_jwt.QlikRuleError, match="RS256, RS384 or RS512"):
            qlik_jwt.ClientManagedSigner(key, **PROXY)
    with pytest.raises(qlik_jwt.QlikRuleError, match="registered JWT claim"):
        qlik_jwt.ClientManagedSigner(
            private_pem, user_id_attribute="sub", user_directory_attribute="dir"
        )
    signer = qlik_jwt.ClientManagedSigner(private_pem, **PROXY)
    with pytest.raises(qlik_jwt.QlikRuleError, match="mandatory"):
        signer.sign(user_id="jdoe", user_directory="CORP")
    with pytest.raises(qlik_jwt.QlikRuleError, match="registered JWT claim"):
        signer.sign(user_id="jdoe", user_directory="CORP", groups=["a"], jti="x")
    with pytest.raises(TypeError, match="user_id"):
        signer.sign(user_id=1, user_directory="CORP", groups=["a"])  # type: ignore[arg-type]


def test_explain_names_each_refusal(private_pem: str, certificate: str) -> None:
    now = int(time.time())
    good: dict[str, Any] = {
        "UserID": "jdoe",
        "UserDir": "CORP",
        "groups": ["Sales"],
        "aud": "qlik-sense",
        "nbf": now - 30,
        "exp": now + 300,
    }

    def explain(
        changes: dict[str, Any], algorithm: str = "RS256", key: str = private_pem
    ) -> list[str]:
        claims = {name: value for name, value in {**good, **changes}.items() if value is not None}
        token = pyjwt.encode(claims, key, algorithm=algorithm)
        return codes(qlik_jwt.explain_client_managed(token, certificate=certificate, **PROXY))

    assert explain({}) == []
    assert explain({"UserDir": None}) == ["QSE_ATTRIBUTE_MISSING"]
    assert explain({"UserID": None, "userid": "jdoe"}) == ["QSE_ATTRIBUTE_CASE"]
    assert explain({"aud": "other"}) == ["QSE_AUDIENCE_MISMATCH"]
    assert explain({"exp": now - 1}) == ["QSE_EXPIRED"]
    assert explain({"nbf": now + 120}) == ["QSE_NOT_YET_VALID"]
    assert explain({}, algorithm="PS256") == ["QSE_ALG_NOT_ALLOWED"]
    assert explain({}, algorithm="HS256", key="a shared secret of 32 bytes!!!!!") == [
        "QSE_ALG_NOT_ALLOWED"
    ]
    other = qlik_jwt.generate_keys("rsa2048").private_key_pem
    assert explain({}, key=other) == ["QSE_SIGNATURE_INVALID"]
