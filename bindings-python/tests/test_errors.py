"""Exceptions: the class hierarchy, the stable codes, the time attributes, and that no key
material ever reaches a message."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from datetime import datetime, timezone

import pytest

import qlik_jwt

SECRET = "a shared test secret of enough length"
NOW = 1_700_000_000


def test_hierarchy() -> None:
    assert issubclass(qlik_jwt.QlikJwtError, Exception)
    for token_error in (qlik_jwt.TokenExpiredError, qlik_jwt.NotBeforeError):
        assert issubclass(token_error, qlik_jwt.JsonWebTokenError)
    for error in (
        qlik_jwt.JsonWebTokenError,
        qlik_jwt.InvalidKeyError,
        qlik_jwt.InvalidOptionError,
        qlik_jwt.InvalidPayloadError,
        qlik_jwt.QlikRuleError,
    ):
        assert issubclass(error, qlik_jwt.QlikJwtError)
    assert not issubclass(qlik_jwt.InvalidKeyError, qlik_jwt.JsonWebTokenError)


def test_expired_token_carries_expired_at() -> None:
    token = qlik_jwt.sign({"a": 1}, SECRET, expires_in=10, now=NOW)
    with pytest.raises(qlik_jwt.TokenExpiredError) as caught:
        qlik_jwt.verify(token, SECRET, now=NOW + 11)
    error = caught.value
    assert error.code == "ERR_JWT_EXPIRED"
    assert error.expired_at == datetime.fromtimestamp(NOW + 10, tz=timezone.utc)
    assert error.expired_at.tzinfo is not None
    assert str(error) == error.message == "jwt expired"


def test_not_yet_valid_token_carries_date() -> None:
    token = qlik_jwt.sign({"a": 1}, SECRET, not_before=60, now=NOW)
    with pytest.raises(qlik_jwt.NotBeforeError) as caught:
        qlik_jwt.verify(token, SECRET, now=NOW)
    assert caught.value.code == "ERR_JWT_NOT_ACTIVE"
    assert caught.value.date == datetime.fromtimestamp(NOW + 60, tz=timezone.utc)


def test_token_failures_are_json_web_token_errors() -> None:
    token = qlik_jwt.sign({"a": 1}, SECRET, now=NOW)
    cases: list[tuple[Callable[[], object], str | None]] = [
        (lambda: qlik_jwt.verify(token, "another secret"), "ERR_JWT_INVALID_SIGNATURE"),
        (lambda: qlik_jwt.verify("a.b", SECRET), "ERR_JWT_MALFORMED"),
        (lambda: qlik_jwt.verify(token, SECRET, algorithms=["HS512"]), None),
        (lambda: qlik_jwt.verify(token, SECRET, subject="someone", now=NOW), None),
    ]
    for call, code in cases:
        with pytest.raises(qlik_jwt.JsonWebTokenError) as caught:
            call()
        assert type(caught.value) is qlik_jwt.JsonWebTokenError
        assert caught.value.code.startswith("ERR_")
        if code is not None:
            assert caught.value.code == code


def test_key_errors(key_text: Callable[[str], str]) -> None:
    small = key_text("rsa1024-private-pkcs8.pem")
    with pytest.raises(qlik_jwt.InvalidKeyError) as caught:
        qlik_jwt.sign({"a": 1}, small, algorithm="RS256", now=NOW)
    assert caught.value.code == "ERR_KEY_TOO_SMALL"
    assert qlik_jwt.sign({"a": 1}, small, algorithm="RS256", allow_insecure_key_sizes=True, now=NOW)
    with pytest.raises(qlik_jwt.InvalidKeyError) as caught:
        qlik_jwt.sign({"a": 1}, None, now=NOW)
    assert caught.value.code == "ERR_MISSING_KEY"
    with pytest.raises(qlik_jwt.InvalidKeyError) as caught:
        qlik_jwt.sign({"a": 1}, key_text("rsa2048-private-pkcs8.pem"), algorithm="ES256", now=NOW)
    assert caught.value.code == "ERR_KEY_ALGORITHM_MISMATCH"


def test_option_and_payload_errors() -> None:
    with pytest.raises(qlik_jwt.InvalidOptionError) as caught:
        qlik_jwt.sign({"a": 1}, SECRET, expires_in="5 parsecs", now=NOW)
    assert caught.value.code == "ERR_INVALID_TIMESPAN"
    with pytest.raises(qlik_jwt.InvalidOptionError):
        qlik_jwt.sign({"a": 1}, SECRET, algorithm="HS999", now=NOW)
    with pytest.raises(qlik_jwt.InvalidPayloadError) as conflict:
        qlik_jwt.sign({"exp": NOW + 5}, SECRET, expires_in=10, now=NOW)
    assert conflict.value.code == "ERR_CLAIM_CONFLICT"


def test_errors_pickle_with_their_attributes() -> None:
    token = qlik_jwt.sign({"a": 1}, SECRET, expires_in=1, now=NOW)
    with pytest.raises(qlik_jwt.TokenExpiredError) as caught:
        qlik_jwt.verify(token, SECRET, now=NOW + 5)
    copy = pickle.loads(pickle.dumps(caught.value))
    assert type(copy) is qlik_jwt.TokenExpiredError
    assert (copy.code, copy.message, copy.expired_at) == (
        caught.value.code,
        caught.value.message,
        caught.value.expired_at,
    )


def test_no_key_material_in_messages(key_text: Callable[[str], str]) -> None:
    pem = key_text("rsa2048-private-pkcs8.pem")
    damaged = pem.replace("MII", "MIX", 1)
    body = "".join(pem.splitlines()[1:-1])
    chunks = [body[i : i + 12] for i in range(0, len(body) - 12, 12)]
    attempts: list[Callable[[], object]] = [
        lambda: qlik_jwt.sign({"a": 1}, damaged, algorithm="RS256"),
        lambda: qlik_jwt.sign({"a": 1}, pem, algorithm="ES256"),
        lambda: qlik_jwt.PrivateKey(damaged),
        lambda: qlik_jwt.QlikSigner(damaged, key_id="k", issuer="i"),
        lambda: qlik_jwt.verify(qlik_jwt.sign({"a": 1}, SECRET), damaged),
    ]
    for attempt in attempts:
        with pytest.raises(qlik_jwt.QlikJwtError) as caught:
            attempt()
        message = str(caught.value)
        assert not any(chunk in message for chunk in chunks), message
