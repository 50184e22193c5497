"""Hostile input: wrong types, absurd values, broken keys and broken tokens for every
entry point of the Python API.

Each case names the exception class and, for qlik-jwt's own exceptions, the stable code it must
raise. After every case a signer still works, and at the end every collected error message is
scanned for key material.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import qlik_jwt as q

KEYS = Path(__file__).resolve().parents[2] / "tests" / "keys"
SECRET = "hostile-input-secret-5e1f0a93"
PASSPHRASE = "wrong-passphrase-77ab"
NOW = 1_700_000_000


def text(name: str) -> str:
    return (KEYS / name).read_text()


def raw(name: str) -> bytes:
    return (KEYS / name).read_bytes()


def b64(data: str | bytes) -> str:
    data = data.encode() if isinstance(data, str) else data
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


RSA = text("rsa2048-private-pkcs8.pem")
EC = text("ec256-private-pkcs8.pem")
GOOD = q.sign({"a": 1}, SECRET, now=NOW)
HEAD, BODY, SIG = GOOD.split(".")
BAD_UTF8_HEADER = b64(b'{"alg":"\xff"}')
# Calls with deliberately wrong types go through an untyped alias (mypy checks the tests).
Q: Any = q
SIGNER: Any = q.QlikSigner(EC, key_id="kid-1", issuer="issuer.example", algorithm="ES256")
USER: dict[str, Any] = {
    "sub": "u1",
    "name": "User One",
    "email": "u1@example.com",
    "email_verified": True,
}


def nested(depth: int) -> dict[str, Any]:
    return functools.reduce(lambda inner, _: {"a": inner}, range(depth), {})


def recursive() -> dict[str, Any]:
    loop: dict[str, Any] = {}
    loop["self"] = loop
    return loop


class Expect:
    """An expected failure: an exception class and, for qlik-jwt's exceptions, a code."""

    def __init__(self, kind: type[BaseException], code: str | None = None) -> None:
        self.kind = kind
        self.code = code

    def __repr__(self) -> str:
        return f"{self.kind.__name__}({self.code})"


def key_err(code: str) -> Expect:
    return Expect(q.InvalidKeyError, code)


def opt_err(code: str = "ERR_INVALID_OPTION") -> Expect:
    return Expect(q.InvalidOptionError, code)


def payload_err(code: str = "ERR_INVALID_PAYLOAD") -> Expect:
    return Expect(q.InvalidPayloadError, code)


def jwt_err(code: str) -> Expect:
    return Expect(q.JsonWebTokenError, code)


TYPE = Expect(TypeError)
VALUE = Expect(ValueError)

Case = tuple[str, Callable[[], Any], Expect]

SIGN: list[Case] = [
    ("payload None", lambda: Q.sign(None, SECRET), payload_err()),
    ("payload a set", lambda: Q.sign({1, 2}, SECRET), TYPE),
    ("payload holding object()", lambda: Q.sign({"a": object()}, SECRET), TYPE),
    ("payload with an int key", lambda: Q.sign({1: "a"}, SECRET), TYPE),
    ("payload nested 100000 deep", lambda: Q.sign(nested(100_000), SECRET), payload_err()),
    ("payload that contains itself", lambda: Q.sign(recursive(), SECRET), payload_err()),
    ("payload exp a string", lambda: Q.sign({"exp": "tomorrow"}, SECRET), payload_err()),
    ("payload iat a list", lambda: Q.sign({"iat": []}, SECRET), payload_err()),
    ("key None", lambda: Q.sign({}, None), key_err("ERR_MISSING_KEY")),
    ("key an int", lambda: Q.sign({}, 5), TYPE),
    ("key a list", lambda: Q.sign({}, [1]), TYPE),
    ("key empty", lambda: Q.sign({}, ""), key_err("ERR_MISSING_KEY")),
    (
        "public key to sign",
        lambda: Q.sign({}, text("rsa2048-public-spki.pem"), algorithm="RS256"),
        key_err("ERR_KEY_ALGORITHM_MISMATCH"),
    ),
    (
        "certificate to sign",
        lambda: Q.sign({}, text("rsa2048-cert.pem"), algorithm="RS256"),
        key_err("ERR_KEY_ALGORITHM_MISMATCH"),
    ),
    (
        "1024-bit RSA",
        lambda: Q.sign({}, text("rsa1024-private-pkcs8.pem"), algorithm="RS256"),
        key_err("ERR_KEY_TOO_SMALL"),
    ),
    (
        "encrypted key, no passphrase",
        lambda: Q.sign({}, text("rsa2048-private-pkcs8-encrypted.pem"), algorithm="RS256"),
        key_err("ERR_KEY_ALGORITHM_MISMATCH"),
    ),
    (
        "encrypted key, wrong passphrase",
        lambda: Q.sign(
            {},
            text("rsa2048-private-pkcs8-encrypted.pem"),
            algorithm="RS256",
            passphrase=PASSPHRASE,
        ),
        key_err("ERR_INVALID_KEY"),
    ),
    (
        "legacy encrypted, wrong passphrase",
        lambda: Q.sign(
            {},
            text("rsa2048-private-pkcs1-legacy-encrypted.pem"),
            algorithm="RS256",
            passphrase=PASSPHRASE,
        ),
        key_err("ERR_INVALID_KEY"),
    ),
    (
        "truncated PEM",
        lambda: Q.sign({}, RSA[:300], algorithm="RS256"),
        key_err("ERR_KEY_ALGORITHM_MISMATCH"),
    ),
    (
        "binary garbage key",
        lambda: Q.sign({}, b"\x00\x01\xff\xfe", algorithm="RS256"),
        key_err("ERR_KEY_ALGORITHM_MISMATCH"),
    ),
    (
        "EC key for RS256",
        lambda: Q.sign({}, EC, algorithm="RS256"),
        key_err("ERR_KEY_ALGORITHM_MISMATCH"),
    ),
    (
        "RSA key for ES256",
        lambda: Q.sign({}, RSA, algorithm="ES256"),
        key_err("ERR_KEY_ALGORITHM_MISMATCH"),
    ),
    (
        "P-384 key for ES256",
        lambda: Q.sign({}, text("ec384-private-pkcs8.pem"), algorithm="ES256"),
        key_err("ERR_KEY_ALGORITHM_MISMATCH"),
    ),
    (
        "Ed25519 key for ES256",
        lambda: Q.sign({}, text("ed25519-private-pkcs8.pem"), algorithm="ES256"),
        key_err("ERR_KEY_ALGORITHM_MISMATCH"),
    ),
    (
        "secret for RS256",
        lambda: Q.sign({}, SECRET, algorithm="RS256"),
        key_err("ERR_KEY_ALGORITHM_MISMATCH"),
    ),
    (
        "RSA key as an HMAC secret",
        lambda: Q.sign({}, RSA, algorithm="HS256"),
        key_err("ERR_KEY_ALGORITHM_MISMATCH"),
    ),
    ("algorithm unknown", lambda: Q.sign({}, SECRET, algorithm="HS999"), opt_err()),
    ("algorithm an int", lambda: Q.sign({}, SECRET, algorithm=5), TYPE),
    ("expires_in NaN", lambda: Q.sign({}, SECRET, expires_in=float("nan")), opt_err()),
    ("expires_in infinity", lambda: Q.sign({}, SECRET, expires_in=float("inf")), opt_err()),
    ("expires_in -infinity", lambda: Q.sign({}, SECRET, expires_in=float("-inf")), opt_err()),
    ("expires_in 10**400", lambda: Q.sign({}, SECRET, expires_in=10**400), Expect(OverflowError)),
    (
        "expires_in not a span",
        lambda: Q.sign({}, SECRET, expires_in="soon"),
        opt_err("ERR_INVALID_TIMESPAN"),
    ),
    (
        "expires_in 101 characters",
        lambda: Q.sign({}, SECRET, expires_in="1" * 101),
        opt_err("ERR_INVALID_TIMESPAN"),
    ),
    ("expires_in a list", lambda: Q.sign({}, SECRET, expires_in=[]), TYPE),
    ("not_before a dict", lambda: Q.sign({}, SECRET, not_before={}), TYPE),
    ("now NaN", lambda: Q.sign({}, SECRET, now=float("nan")), VALUE),
    ("now infinity", lambda: Q.sign({}, SECRET, now=float("inf")), VALUE),
    ("now a string", lambda: Q.sign({}, SECRET, now="x"), TYPE),
    ("header a string", lambda: Q.sign({}, SECRET, header="x"), opt_err()),
    ("audience an int", lambda: Q.sign({}, SECRET, audience=5), opt_err()),
    ("no_timestamp a string", lambda: Q.sign({}, SECRET, no_timestamp="yes"), TYPE),
    (
        "expires_in and payload exp",
        lambda: Q.sign({"exp": 1}, SECRET, expires_in=60),
        payload_err("ERR_CLAIM_CONFLICT"),
    ),
]

VERIFY: list[Case] = [
    ("token None", lambda: Q.verify(None, SECRET), TYPE),
    ("token an int", lambda: Q.verify(5, SECRET), TYPE),
    ("token bytes", lambda: Q.verify(GOOD.encode(), SECRET), TYPE),
    ("token empty", lambda: Q.verify("", SECRET), jwt_err("ERR_JWT_MALFORMED")),
    (
        "token with one dot",
        lambda: Q.verify(f"{HEAD}.{BODY}", SECRET),
        jwt_err("ERR_JWT_MALFORMED"),
    ),
    ("token with an extra dot", lambda: Q.verify(GOOD + ".", SECRET), jwt_err("ERR_JWT_MALFORMED")),
    ("token of dots", lambda: Q.verify("....", SECRET), jwt_err("ERR_JWT_MALFORMED")),
    (
        "header bad base64",
        lambda: Q.verify(f"!!!.{BODY}.{SIG}", SECRET),
        jwt_err("ERR_JWT_MALFORMED"),
    ),
    (
        "header not JSON",
        lambda: Q.verify(f"{b64('nope')}.{BODY}.{SIG}", SECRET),
        jwt_err("ERR_JWT_MALFORMED"),
    ),
    (
        "header invalid UTF-8",
        lambda: Q.verify(f"{BAD_UTF8_HEADER}.{BODY}.{SIG}", SECRET),
        jwt_err("ERR_JWT_ALGORITHM_NOT_ALLOWED"),
    ),
    (
        "payload bad base64",
        lambda: Q.verify(f"{HEAD}.%%%.{SIG}", SECRET),
        jwt_err("ERR_JWT_MALFORMED"),
    ),
    ("lone surrogates", lambda: Q.verify("\ud800.\udfff.x", SECRET), VALUE),
    (
        "oversized header (1 MB)",
        lambda: Q.verify(
            f"{b64(json.dumps({'alg': 'HS256', 'x': 'a' * (1 << 20)}))}.{BODY}.{SIG}", SECRET
        ),
        jwt_err("ERR_JWT_INVALID_SIGNATURE"),
    ),
    ("key None", lambda: Q.verify(GOOD, None), jwt_err("ERR_MISSING_KEY")),
    ("key an int", lambda: Q.verify(GOOD, 5), TYPE),
    ("key empty", lambda: Q.verify(GOOD, ""), jwt_err("ERR_MISSING_KEY")),
    ("leeway NaN", lambda: Q.verify(GOOD, SECRET, leeway=float("nan"), now=NOW), VALUE),
    ("leeway a string", lambda: Q.verify(GOOD, SECRET, leeway="x"), TYPE),
    ("algorithms a string", lambda: Q.verify(GOOD, SECRET, algorithms="HS256"), TYPE),
    ("now NaN", lambda: Q.verify(GOOD, SECRET, now=float("nan")), VALUE),
    ("now -infinity", lambda: Q.verify(GOOD, SECRET, now=float("-inf")), VALUE),
    (
        "max_age not a span",
        lambda: Q.verify(GOOD, SECRET, max_age="soon", now=NOW),
        jwt_err("ERR_INVALID_TIMESPAN"),
    ),
    (
        "RSA public key for HS256",
        lambda: Q.verify(GOOD, text("rsa2048-public-spki.pem"), algorithms=["HS256"]),
        jwt_err("ERR_KEY_ALGORITHM_MISMATCH"),
    ),
    (
        "far-future nbf",
        lambda: Q.verify(q.sign({"nbf": 10**12}, SECRET), SECRET, now=NOW),
        Expect(q.NotBeforeError, "ERR_JWT_NOT_ACTIVE"),
    ),
    (
        "exp 1e300 in the past",
        lambda: Q.verify(q.sign({"exp": -1e300}, SECRET), SECRET, now=NOW),
        Expect(q.TokenExpiredError, "ERR_JWT_EXPIRED"),
    ),
]

OTHER: list[Case] = [
    ("decode None", lambda: Q.decode(None), TYPE),
    ("decode a lone surrogate", lambda: Q.decode("\ud800.x.y"), VALUE),
    ("explain a lone surrogate", lambda: Q.explain("\ud800.x.y"), VALUE),
    ("explain None", lambda: Q.explain(None), TYPE),
    ("explain certificate an int", lambda: Q.explain(GOOD, certificate=5), TYPE),
    (
        "explain certificate garbage",
        lambda: Q.explain(GOOD, certificate="garbage"),
        key_err("ERR_INVALID_KEY"),
    ),
    ("PrivateKey of garbage bytes", lambda: Q.PrivateKey(b"\x00\x01"), key_err("ERR_INVALID_KEY")),
    (
        "PrivateKey of a public key",
        lambda: Q.PrivateKey(text("ec256-public-spki.pem")),
        key_err("ERR_INVALID_KEY"),
    ),
    (
        "PrivateKey, wrong passphrase",
        lambda: Q.PrivateKey(text("ec256-private-pkcs8-encrypted.pem"), passphrase=PASSPHRASE),
        key_err("ERR_INVALID_KEY"),
    ),
    ("PublicKey of text", lambda: Q.PublicKey("nope"), key_err("ERR_INVALID_KEY")),
    (
        "PrivateKey.from_jwk incomplete",
        lambda: Q.PrivateKey.from_jwk({"kty": "RSA"}),
        key_err("ERR_INVALID_KEY"),
    ),
    (
        "PrivateKey.from_jwk broken JSON",
        lambda: Q.PrivateKey.from_jwk("{"),
        key_err("ERR_INVALID_KEY"),
    ),
    (
        "QlikSigner with a public key",
        lambda: Q.QlikSigner(text("ec256-public-spki.pem"), key_id="k", issuer="i"),
        key_err("ERR_INVALID_KEY"),
    ),
    ("QlikSigner with None", lambda: Q.QlikSigner(None, key_id="k", issuer="i"), TYPE),
    (
        "QlikSigner with HS256",
        lambda: Q.QlikSigner(EC, key_id="k", issuer="i", algorithm="HS256"),
        Expect(q.QlikRuleError, "ERR_QLIK_RULE"),
    ),
    (
        "QlikSigner with 1024-bit RSA",
        lambda: Q.QlikSigner(text("rsa1024-private-pkcs8.pem"), key_id="k", issuer="i"),
        key_err("ERR_KEY_TOO_SMALL"),
    ),
    (
        "QlikSigner lifetime negative",
        lambda: Q.QlikSigner(EC, key_id="k", issuer="i", lifetime=-5),
        Expect(q.QlikRuleError, "ERR_QLIK_RULE"),
    ),
    (
        "QlikSigner lifetime 10**30",
        lambda: Q.QlikSigner(EC, key_id="k", issuer="i", lifetime=10**30),
        Expect(OverflowError),
    ),
    (
        "QlikSigner key_id empty",
        lambda: Q.QlikSigner(EC, key_id="", issuer="i"),
        Expect(q.QlikRuleError, "ERR_QLIK_RULE"),
    ),
    ("QlikSigner.sign groups a string", lambda: SIGNER.sign(**USER, groups="admins"), TYPE),
    ("QlikSigner.sign sub an int", lambda: SIGNER.sign(**{**USER, "sub": 5}), TYPE),
    (
        "QlikSigner.sign group of 257",
        lambda: SIGNER.sign(**USER, groups=["g" * 257]),
        Expect(q.QlikRuleError, "ERR_QLIK_RULE"),
    ),
    (
        "QlikSigner.sign name empty",
        lambda: SIGNER.sign(**{**USER, "name": ""}),
        Expect(q.QlikRuleError, "ERR_QLIK_RULE"),
    ),
    ("QlikSigner.sign now NaN", lambda: SIGNER.sign(**USER, now=float("nan")), VALUE),
]

MESSAGES: list[str] = []


def still_works() -> None:
    token = q.sign({"n": 1}, SECRET)
    assert q.verify(token, SECRET)["n"] == 1
    assert q.decode(SIGNER.sign(**USER))["sub"] == "u1"


@pytest.mark.parametrize(
    ("name", "call", "expected"),
    SIGN + VERIFY + OTHER,
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_hostile_input_fails_cleanly(name: str, call: Callable[[], Any], expected: Expect) -> None:
    with pytest.raises(BaseException) as caught:
        call()
    error = caught.value
    MESSAGES.append(str(error))
    assert isinstance(error, Exception), f"{name}: {type(error).__name__} is not an Exception"
    assert isinstance(error, expected.kind), f"{name}: {type(error).__name__}: {error}"
    if expected.code is not None:
        assert isinstance(error, q.QlikJwtError)
        assert error.code == expected.code, f"{name}: {error}"
    else:
        assert not isinstance(error, q.QlikJwtError), "a Python argument error, not a core one"
    assert str(error), "a message for people"
    still_works()


def test_at_least_sixty_hostile_cases() -> None:
    assert len(SIGN + VERIFY + OTHER) >= 60


def test_ten_megabyte_payload_signs_and_verifies() -> None:
    blob = "x" * (10 * 1024 * 1024)
    token = q.sign({"blob": blob}, SECRET)
    assert len(q.verify(token, SECRET)["blob"]) == len(blob)
    still_works()


LONE_SURROGATE = "is not valid text: it holds a lone surrogate, which UTF-8 cannot encode"


@pytest.mark.parametrize(
    ("payload", "place"),
    [
        ({"s": "\ud800"}, "payload['s']"),
        ({"s": "ok \udfff"}, "payload['s']"),
        ({"\udbff": 1}, "payload"),
        ({"a": ["x", {"b": "\ud800"}]}, "payload['a'][1]['b']"),
    ],
    ids=["value", "value-low", "key", "nested"],
)
def test_a_lone_surrogate_is_refused_naming_where_it_is(payload: Any, place: str) -> None:
    # A Python str may hold a lone surrogate (a "surrogateescape" decoding, a "\ud800" escape),
    # which UTF-8 cannot encode: Python refuses it as str.encode does, with a ValueError that
    # names the place. Node signs U+FFFD in its place instead (hostile-input.test.js): a
    # JavaScript string can hold a lone surrogate and reaches the core so.
    with pytest.raises(ValueError) as caught:
        q.sign(payload, SECRET)
    assert type(caught.value) is ValueError
    assert str(caught.value) == f"{place} {LONE_SURROGATE}"
    still_works()


def test_a_bytes_payload_that_is_not_utf8_is_signed_as_jsonwebtoken_signs_a_buffer() -> None:
    # jsonwebtoken reads a Buffer payload as UTF-8 text, each invalid byte as U+FFFD, adds no
    # claims to it, and its header has no typ.
    token = q.sign(b"\xff\xfe\x00", SECRET)
    text = "\ufffd\ufffd\x00"
    header = '{"alg":"HS256"}'
    signing_input = f"{b64(header)}.{b64(text)}"
    mac = hmac.new(SECRET.encode(), signing_input.encode(), hashlib.sha256).digest()
    assert token == f"{signing_input}.{b64(mac)}"
    assert q.decode(token) == text
    still_works()


@pytest.mark.parametrize(
    "token",
    ["", "a.b.c", "....", "ä" * 10, "." * (1 << 20), f"{b64('[1]')}.{BODY}.{SIG}"],
    ids=["empty", "abc", "dots", "multibyte", "megabyte-dots", "array-header"],
)
def test_decode_and_explain_never_crash_on_garbage(token: str) -> None:
    assert q.decode(token) is None or isinstance(q.decode(token), (dict, str))
    problems = q.explain(token)
    assert problems, "a broken token has problems"
    MESSAGES.extend(problem.message for problem in problems)
    still_works()


def _key_fragments() -> set[str]:
    fragments: set[str] = set()
    for path in KEYS.iterdir():
        if path.suffix not in (".pem", ".der", ".cer"):
            continue
        data = path.read_bytes()
        if path.suffix != ".der":
            body = re.search(rb"-----BEGIN [^-]+-----(.*?)-----END", data, re.S)
            if body is None:
                continue
            lines = [line for line in body.group(1).split(b"\n") if b":" not in line]
            data = base64.b64decode(b"".join(lines))
        for encoded in (base64.b64encode(data).decode(), b64(data), data.hex()):
            fragments.update(encoded[i : i + 24] for i in range(0, len(encoded) - 24, 12))
    return fragments


def test_no_error_message_holds_key_material() -> None:
    # Runs last in this module (pytest keeps definition order): MESSAGES holds every message above.
    assert len(MESSAGES) >= 60, len(MESSAGES)
    fragments = _key_fragments()
    assert len(fragments) > 1000
    for message in MESSAGES:
        assert SECRET not in message and PASSPHRASE not in message, message
        assert not re.search(r"[A-Za-z0-9+/_-]{48,}", message), message
        windows = {message[i : i + 24] for i in range(len(message) - 23)}
        assert not windows & fragments, message
