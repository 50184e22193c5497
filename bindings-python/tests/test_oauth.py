"""Qlik Cloud OAuth client assertions from Python: keys and JWK from generate_oauth_keys, the
signer's assertions verified by PyJWT (an independent library, the one Qlik's tutorial names)
against that JWK, the shared vector replayed byte for byte, the refusals with their codes, and
explain_client_assertion."""

from __future__ import annotations

import json
import re
import stat
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jwt as pyjwt
import pytest

import qlik_jwt
from qlik_jwt import _native

TENANT = "https://acme.eu.qlikcloud.com"
AUDIENCE = "https://acme.eu.qlikcloud.com/oauth/token"
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def verified_by_pyjwt(assertion: str, jwk: dict[str, Any], client_id: str) -> dict[str, Any]:
    """The claims of `assertion`, verified by PyJWT against `jwk` as Qlik would check them."""
    key = pyjwt.PyJWK(jwk)
    claims: dict[str, Any] = pyjwt.decode(
        assertion,
        key,
        algorithms=[jwk["alg"]],
        audience=AUDIENCE,
        issuer=client_id,
        options={"require": ["iss", "sub", "aud", "jti", "iat", "exp"]},
    )
    assert claims["sub"] == client_id
    return claims


def codes(problems: list[qlik_jwt.Problem]) -> list[str]:
    return [problem.code for problem in problems]


def test_an_ec_key_signs_es384_assertions_pyjwt_verifies_with_its_jwk() -> None:
    keys = qlik_jwt.generate_oauth_keys("ec", key_id="ec-key-1")
    jwk = keys.public_jwk
    assert list(jwk) == ["kty", "crv", "x", "y", "kid", "alg", "use"]
    assert (keys.key_type, keys.algorithm, jwk["crv"], jwk["kid"], jwk["use"]) == (
        "ec",
        "ES384",
        "P-384",
        "ec-key-1",
        "sig",
    )
    signer = qlik_jwt.ClientAssertionSigner(
        keys.private_key_pem, key_id="ec-key-1", client_id="client-ec", tenant_url=TENANT + "/"
    )
    assert (signer.algorithm, signer.audience, signer.lifetime) == ("ES384", AUDIENCE, 240)
    assertion = signer.sign()
    assert pyjwt.get_unverified_header(assertion) == {"alg": "ES384", "kid": "ec-key-1"}
    claims = verified_by_pyjwt(assertion, jwk, "client-ec")
    assert list(claims) == ["iss", "sub", "aud", "jti", "iat", "exp"]
    assert UUID.match(claims["jti"])
    assert claims["exp"] - claims["iat"] == 240
    assert verified_by_pyjwt(signer.sign(), jwk, "client-ec")["jti"] != claims["jti"]


def test_an_rsa_4096_key_signs_rs256_and_rs512_on_request() -> None:
    keys = qlik_jwt.generate_oauth_keys(key_id="rsa-key-1")
    jwk = keys.public_jwk
    assert (keys.key_type, keys.algorithm, jwk["kty"]) == ("rsa", "RS256", "RSA")
    assert "d" not in jwk
    signer = qlik_jwt.ClientAssertionSigner(
        keys.private_key_pem, key_id="rsa-key-1", client_id="c", tenant_url=TENANT, lifetime=300
    )
    now = int(time.time())
    claims = verified_by_pyjwt(signer.sign(now=now), jwk, "c")
    assert (claims["iat"], claims["exp"]) == (now, now + 300)
    rs512 = qlik_jwt.ClientAssertionSigner(
        keys.private_key_pem,
        key_id="rsa-key-1",
        client_id="c",
        tenant_url=TENANT,
        algorithm="RS512",
    )
    verified_by_pyjwt(rs512.sign(), {**jwk, "alg": "RS512"}, "c")


def test_the_shared_vectors_come_out_as_jose_made_them(repo: Path) -> None:
    vectors = json.loads((repo / "tests" / "vectors" / "oauth-assertion.json").read_text("utf-8"))
    assert len(vectors) == 3, "the fixture lost its cases"
    for vector in vectors:
        signer = qlik_jwt.ClientAssertionSigner(
            (repo / vector["key_file"]).read_text("utf-8"),
            key_id=vector["key_id"],
            client_id=vector["client_id"],
            tenant_url=vector["tenant_url"],
            algorithm=vector["algorithm"],
            lifetime=vector["lifetime"],
        )
        token = _native._oauth_sign_with_jti(signer, vector["now"], vector["jti"])
        if vector["token"] is not None:
            assert token == vector["token"], vector["name"]
        else:
            assert pyjwt.get_unverified_header(token) == vector["header"], vector["name"]
            claims = pyjwt.decode(token, options={"verify_signature": False})
            assert claims == vector["payload"], vector["name"]
        pyjwt.decode(
            token,
            pyjwt.PyJWK(vector["public_jwk"]),
            algorithms=[vector["public_jwk"]["alg"]],
            audience=vector["payload"]["aud"],
            options={"verify_exp": False, "verify_iat": False},
        )
        problems = qlik_jwt.explain_client_assertion(
            token,
            client_id=vector["client_id"],
            tenant_url=vector["tenant_url"],
            public_key=vector["public_jwk"],
            now=vector["now"],
        )
        assert problems == [], vector["name"]


@pytest.mark.parametrize(
    ("key_name", "error", "code", "hint"),
    [
        ("ec256-private-pkcs8.pem", qlik_jwt.InvalidKeyError, "ERR_OAUTH_KEY_NOT_ALLOWED", "P-384"),
        ("ec521-private-pkcs8.pem", qlik_jwt.InvalidKeyError, "ERR_OAUTH_KEY_NOT_ALLOWED", "ES512"),
        (
            "rsapss2048-private-pkcs8.pem",
            qlik_jwt.InvalidKeyError,
            "ERR_OAUTH_KEY_NOT_ALLOWED",
            "RSA-PSS",
        ),
        ("rsa1024-private-pkcs8.pem", qlik_jwt.InvalidKeyError, "ERR_KEY_TOO_SMALL", "2048 bits"),
    ],
)
def test_keys_qlik_would_not_take_are_refused(
    key_text: Callable[[str], str], key_name: str, error: type[Exception], code: str, hint: str
) -> None:
    with pytest.raises(error, match=hint) as raised:
        qlik_jwt.ClientAssertionSigner(
            key_text(key_name), key_id="k", client_id="c", tenant_url=TENANT
        )
    assert getattr(raised.value, "code", None) == code


def test_tenants_algorithms_and_lifetimes_qlik_would_not_take_are_refused(
    key_text: Callable[[str], str],
) -> None:
    pem = key_text("rsa2048-private-pkcs8.pem")

    def make(**changes: Any) -> qlik_jwt.ClientAssertionSigner:
        settings: dict[str, Any] = {"key_id": "k", "client_id": "c", "tenant_url": TENANT}
        settings.update(changes)
        return qlik_jwt.ClientAssertionSigner(pem, **settings)

    for tenant in (TENANT + "/oauth/token", TENANT + "?x=1", "http://acme.eu.qlikcloud.com"):
        with pytest.raises(qlik_jwt.InvalidOptionError) as raised:
            make(tenant_url=tenant)
        assert raised.value.code == "ERR_OAUTH_TENANT_URL"
    with pytest.raises(qlik_jwt.InvalidKeyError) as not_allowed:
        make(algorithm="PS256")
    assert not_allowed.value.code == "ERR_OAUTH_KEY_NOT_ALLOWED"
    with pytest.raises(qlik_jwt.InvalidOptionError, match="300"):
        make(lifetime=301)
    with pytest.raises(qlik_jwt.InvalidOptionError):
        make(key_id="")
    with pytest.raises(qlik_jwt.InvalidOptionError):
        qlik_jwt.generate_oauth_keys("p256", key_id="k")  # type: ignore[arg-type]


def test_a_private_jwk_is_taken_as_a_dict_or_its_text(key_text: Callable[[str], str]) -> None:
    jwk_text = key_text("rsa2048-private.jwk.json")
    for private_key in (json.loads(jwk_text), jwk_text, jwk_text.encode()):
        signer = qlik_jwt.ClientAssertionSigner(
            private_key, key_id="k", client_id="c", tenant_url=TENANT
        )
        problems = qlik_jwt.explain_client_assertion(
            signer.sign(),
            client_id="c",
            tenant_url=TENANT,
            public_key=key_text("rsa2048-public-spki.pem"),
            key_id="k",
        )
        assert problems == []


def test_an_encrypted_key_takes_its_passphrase(key_text: Callable[[str], str]) -> None:
    signer = qlik_jwt.ClientAssertionSigner(
        key_text("rsa2048-private-pkcs8-encrypted-aes128.pem"),
        passphrase="qlik-jwt-test",
        key_id="k",
        client_id="c",
        tenant_url=TENANT,
    )
    problems = qlik_jwt.explain_client_assertion(
        signer.sign(),
        client_id="c",
        tenant_url=TENANT,
        public_key=key_text("rsa2048-public-spki.pem"),
        key_id="k",
    )
    assert problems == []


def test_explain_names_what_qlik_refuses_against_a_jwk_its_text_or_a_key() -> None:
    keys = qlik_jwt.generate_oauth_keys("ec", key_id="kid-x")
    signer = qlik_jwt.ClientAssertionSigner(
        keys.private_key_pem, key_id="kid-x", client_id="client", tenant_url=TENANT
    )
    assertion = signer.sign()
    public = qlik_jwt.PrivateKey(keys.private_key_pem)
    for public_key in (keys.public_jwk, keys.public_jwk_json, public):
        problems = qlik_jwt.explain_client_assertion(
            assertion, client_id="client", tenant_url=TENANT, public_key=public_key
        )
        assert problems == []
    late = int(time.time()) + 3600
    problems = qlik_jwt.explain_client_assertion(
        assertion, client_id="other", tenant_url=TENANT, public_key=keys.public_jwk, now=late
    )
    assert codes(problems) == ["OAUTH_ISS_MISMATCH", "OAUTH_SUB_MISMATCH", "OAUTH_EXPIRED"]
    assert all(problem.severity == "error" for problem in problems)
    other = qlik_jwt.generate_oauth_keys("ec", key_id="kid-x").public_jwk
    assert codes(
        qlik_jwt.explain_client_assertion(
            assertion, client_id="client", tenant_url=TENANT, public_key=other
        )
    ) == ["OAUTH_SIGNATURE_INVALID"]
    assert codes(qlik_jwt.explain_client_assertion("x", client_id="c", tenant_url=TENANT)) == [
        "OAUTH_MALFORMED_ASSERTION"
    ]
    with pytest.raises(qlik_jwt.InvalidKeyError, match="private key"):
        qlik_jwt.explain_client_assertion(
            assertion, client_id="c", tenant_url=TENANT, public_key={**keys.public_jwk, "d": "AQAB"}
        )


def test_keys_are_written_0600_and_never_shown(tmp_path: Path) -> None:
    keys = qlik_jwt.generate_oauth_keys("ec", key_id="k", directory=tmp_path)
    assert keys.private_key_path == tmp_path / "privatekey.pem"
    assert keys.public_jwk_path == tmp_path / "publickey.jwk.json"
    assert json.loads(keys.public_jwk_path.read_text("utf-8")) == keys.public_jwk
    if sys.platform != "win32":
        assert stat.S_IMODE(keys.private_key_path.stat().st_mode) == 0o600
    with pytest.raises(qlik_jwt.QlikJwtError) as raised:
        qlik_jwt.generate_oauth_keys("ec", key_id="k", directory=tmp_path)
    assert raised.value.code == "ERR_IO"
    assert "PRIVATE" not in repr(keys)
    signer = qlik_jwt.ClientAssertionSigner(
        keys.private_key_pem, key_id="k", client_id="c", tenant_url=TENANT
    )
    assert "PRIVATE" not in repr(signer)
    assert repr(signer).startswith("ClientAssertionSigner(")
    assert (
        qlik_jwt.CLIENT_ASSERTION_TYPE == "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
    )
