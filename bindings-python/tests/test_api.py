"""sign, verify and decode through the Python API, checked against PyJWT (an independent JWT
implementation) and against the relations the options promise."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

import jwt as pyjwt
import pytest

import qlik_jwt

SECRET = "a shared test secret of enough length"
untyped: Any = qlik_jwt  # for calls with wrong argument types on purpose
NOW = 1_700_000_000


def test_hs256_token_verifies_with_pyjwt_and_back() -> None:
    payload = {"sub": "user-1", "name": "Jane", "admin": True, "n": 1.5, "list": [1, "a", None]}
    token = qlik_jwt.sign(payload, SECRET, now=NOW)
    decoded = pyjwt.decode(token, SECRET, algorithms=["HS256"], options={"verify_iat": False})
    assert decoded == {**payload, "iat": NOW}
    assert pyjwt.get_unverified_header(token) == {"alg": "HS256", "typ": "JWT"}

    theirs = pyjwt.encode({"sub": "user-2", "exp": NOW + 60}, SECRET, algorithm="HS256")
    assert qlik_jwt.verify(theirs, SECRET, now=NOW) == {"sub": "user-2", "exp": NOW + 60}


@pytest.mark.parametrize(
    ("algorithm", "private", "public"),
    [
        ("RS256", "rsa2048-private-pkcs8.pem", "rsa2048-public-spki.pem"),
        ("PS384", "rsa2048-private-pkcs1.pem", "rsa2048-public-spki.pem"),
        ("ES256", "ec256-private-sec1.pem", "ec256-public-spki.pem"),
        ("ES384", "ec384-private-pkcs8.pem", "ec384-public-spki.pem"),
        ("ES512", "ec521-private-pkcs8.pem", "ec521-public-spki.pem"),
    ],
)
def test_asymmetric_tokens_verify_with_pyjwt(
    algorithm: str, private: str, public: str, key_text: Callable[[str], str]
) -> None:
    token = qlik_jwt.sign({"sub": "x"}, key_text(private), algorithm=algorithm, now=NOW)
    claims = pyjwt.decode(token, key_text(public), algorithms=[algorithm])
    assert claims == {"sub": "x", "iat": NOW}
    assert qlik_jwt.verify(token, key_text(public), now=NOW) == claims

    theirs = pyjwt.encode({"sub": "y"}, key_text(private), algorithm=algorithm)
    assert qlik_jwt.verify(theirs, key_text(public), algorithms=[algorithm]) == {"sub": "y"}


def test_pem_bytes_der_key_and_jwk_dict_sign_the_same_rs256_token(
    key_text: Callable[[str], str], key_bytes: Callable[[str], bytes]
) -> None:
    import json

    pem = qlik_jwt.sign({"a": 1}, key_text("rsa2048-private-pkcs8.pem"), algorithm="RS256", now=NOW)
    pem_bytes = qlik_jwt.sign(
        {"a": 1}, key_bytes("rsa2048-private-pkcs8.pem"), algorithm="RS256", now=NOW
    )
    # Raw bytes follow jsonwebtoken (PEM, or else an HMAC secret); DER goes through PrivateKey.
    der_key = qlik_jwt.PrivateKey(key_bytes("rsa2048-private-pkcs8.der"))
    der = qlik_jwt.sign({"a": 1}, der_key, algorithm="RS256", now=NOW)
    jwk = json.loads(key_text("rsa2048-private.jwk.json"))
    from_jwk = qlik_jwt.sign({"a": 1}, jwk, algorithm="RS256", now=NOW)
    assert pem == pem_bytes == der == from_jwk


def test_encrypted_key_needs_its_passphrase(key_text: Callable[[str], str]) -> None:
    encrypted = key_text("rsa2048-private-pkcs8-encrypted.pem")
    plain = key_text("rsa2048-private-pkcs8.pem")
    token = qlik_jwt.sign(
        {"a": 1}, encrypted, passphrase="qlik-jwt-test", algorithm="RS256", now=NOW
    )
    assert token == qlik_jwt.sign({"a": 1}, plain, algorithm="RS256", now=NOW)
    with pytest.raises(qlik_jwt.QlikJwtError):
        qlik_jwt.sign({"a": 1}, encrypted, passphrase="wrong", algorithm="RS256", now=NOW)


@pytest.mark.parametrize("span", [300, 300.0, "5m", "5 minutes", timedelta(minutes=5)])
def test_expires_in_forms_agree(span: float | str | timedelta) -> None:
    token = qlik_jwt.sign({"a": 1}, SECRET, expires_in=span, now=NOW)
    assert qlik_jwt.decode(token) == {"a": 1, "iat": NOW, "exp": NOW + 300}


@pytest.mark.parametrize("span", [-30, "-30s", timedelta(seconds=-30)])
def test_not_before_forms_agree(span: int | str | timedelta) -> None:
    token = qlik_jwt.sign({"a": 1}, SECRET, not_before=span, now=NOW)
    assert qlik_jwt.decode(token) == {"a": 1, "iat": NOW, "nbf": NOW - 30}


def test_datetime_claims_become_numeric_dates() -> None:
    expiry = datetime(2030, 1, 2, 3, 4, 5, 678_000, tzinfo=timezone.utc)
    start = datetime(2029, 12, 31, 23, 0, 0, tzinfo=timezone(timedelta(hours=2)))
    issued = datetime(2029, 12, 31, 20, 0, 0)  # naive: taken as UTC
    token = qlik_jwt.sign({"exp": expiry, "nbf": start, "iat": issued}, SECRET, now=NOW)
    claims = qlik_jwt.decode(token)
    assert claims == {
        "exp": int(expiry.timestamp()),
        "nbf": int(start.timestamp()),
        "iat": int(issued.replace(tzinfo=timezone.utc).timestamp()),
    }


def test_now_as_datetime_equals_now_as_seconds() -> None:
    moment = datetime.fromtimestamp(NOW, tz=timezone.utc)
    assert qlik_jwt.sign({"a": 1}, SECRET, now=moment) == qlik_jwt.sign({"a": 1}, SECRET, now=NOW)


def test_default_clock_is_the_system_clock() -> None:
    import time

    before = int(time.time())
    iat = qlik_jwt.decode(qlik_jwt.sign({"a": 1}, SECRET))["iat"]
    assert before <= iat <= int(time.time())


def test_registered_claim_options_land_in_the_token() -> None:
    token = qlik_jwt.sign(
        {"a": 1},
        SECRET,
        algorithm="HS384",
        audience=["urn:a", "urn:b"],
        issuer="iss",
        subject="sub",
        jwtid="jti",
        keyid="kid",
        header={"x5t": "thumb"},
        now=NOW,
    )
    decoded = qlik_jwt.decode(token, complete=True)
    assert decoded["header"] == {"alg": "HS384", "typ": "JWT", "kid": "kid", "x5t": "thumb"}
    assert decoded["payload"] == {
        "a": 1,
        "iat": NOW,
        "aud": ["urn:a", "urn:b"],
        "iss": "iss",
        "sub": "sub",
        "jti": "jti",
    }
    assert decoded["signature"] == token.split(".")[2]


def test_no_timestamp_leaves_iat_out() -> None:
    token = qlik_jwt.sign({"a": 1}, SECRET, no_timestamp=True, now=NOW)
    assert qlik_jwt.decode(token) == {"a": 1}


def test_string_and_bytes_payloads_are_signed_as_is() -> None:
    for payload in ("plain text", b"\x00\x01 raw bytes"):
        token = qlik_jwt.sign(payload, SECRET, now=NOW)
        assert pyjwt.get_unverified_header(token) == {"alg": "HS256"}
        raw = pyjwt.api_jws.decode(token, SECRET, algorithms=["HS256"])
        assert raw == (payload.encode() if isinstance(payload, str) else payload)


def test_decode_returns_none_for_garbage() -> None:
    assert qlik_jwt.decode("not a token") is None
    assert qlik_jwt.decode("") is None


def test_integral_numbers_come_back_as_int() -> None:
    token = qlik_jwt.sign({"i": 3, "f": 2.5, "big": 2**53}, SECRET, now=NOW)
    claims = qlik_jwt.decode(token)
    assert type(claims["i"]) is int and type(claims["big"]) is int
    assert claims["f"] == 2.5


def test_verify_options() -> None:
    token = qlik_jwt.sign(
        {"nonce": "n-1"},
        SECRET,
        audience="urn:portal",
        issuer="iss",
        subject="sub",
        jwtid="j",
        expires_in=60,
        now=NOW,
    )
    claims = qlik_jwt.verify(
        token,
        SECRET,
        algorithms=["HS256"],
        audience=re.compile("^URN:", re.IGNORECASE),
        issuer=["other", "iss"],
        subject="sub",
        jwtid="j",
        nonce="n-1",
        now=NOW,
    )
    assert claims["aud"] == "urn:portal"
    # leeway stretches exp; max_age bounds iat; ignore_expiration skips exp.
    assert qlik_jwt.verify(token, SECRET, leeway=30, now=NOW + 80)["sub"] == "sub"
    assert qlik_jwt.verify(token, SECRET, leeway=timedelta(seconds=30), now=NOW + 80)
    assert qlik_jwt.verify(token, SECRET, ignore_expiration=True, now=NOW + 10_000)
    with pytest.raises(qlik_jwt.TokenExpiredError):
        qlik_jwt.verify(token, SECRET, max_age="10s", now=NOW + 20)
    with pytest.raises(qlik_jwt.JsonWebTokenError):
        qlik_jwt.verify(token, SECRET, algorithms=["HS512"], now=NOW)
    with pytest.raises(qlik_jwt.JsonWebTokenError):
        qlik_jwt.verify(token, SECRET, audience="urn:other", now=NOW)
    complete = qlik_jwt.verify(token, SECRET, complete=True, now=NOW)
    assert set(complete) == {"header", "payload", "signature"}


@pytest.mark.parametrize(
    ("call", "parameter"),
    [
        (lambda: untyped.sign({1: "a"}, SECRET), "payload"),
        (lambda: untyped.sign({"a": {"b": object()}}, SECRET), "payload['a']['b']"),
        (lambda: untyped.sign({"a": [1, {2}]}, SECRET), "payload['a'][1]"),
        (lambda: untyped.sign({"when": datetime.now()}, SECRET), "payload['when']"),
        (lambda: untyped.sign({"a": 1}, 3), "key"),
        (lambda: untyped.sign({"a": 1}, SECRET, expires_in=[5]), "expires_in"),
        (lambda: untyped.sign({"a": 1}, SECRET, not_before=True), "not_before"),
        (lambda: untyped.sign({"a": 1}, SECRET, issuer=5), "issuer"),
        (lambda: untyped.sign({"a": 1}, SECRET, header={"x": {1, 2}}), "header"),
        (lambda: untyped.sign({"a": 1}, SECRET, passphrase=5), "passphrase"),
        (lambda: untyped.sign({"a": 1}, SECRET, now="today"), "now"),
        (lambda: untyped.verify(5, SECRET), "token"),
        (lambda: untyped.verify("a.b.c", SECRET, algorithms="HS256"), "algorithms"),
        (lambda: untyped.verify("a.b.c", SECRET, leeway="5s"), "leeway"),
        (lambda: untyped.verify("a.b.c", SECRET, max_age=b"5"), "max_age"),
        (lambda: untyped.decode(None), "token"),
    ],
)
def test_wrong_argument_types_raise_type_error_naming_the_parameter(
    call: Callable[[], object], parameter: str
) -> None:
    with pytest.raises(TypeError) as caught:
        call()
    assert parameter in str(caught.value)
