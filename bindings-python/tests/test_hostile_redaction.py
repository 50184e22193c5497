"""Keys never show: repr and str of keys and signers, and the errors about broken or
locked keys, hold no key material, secret or passphrase."""

from __future__ import annotations

import base64
import pickle
import re
from pathlib import Path
from typing import Any

import pytest

import qlik_jwt as q

KEYS = Path(__file__).resolve().parents[2] / "tests" / "keys"
SECRET = "redaction-secret-77f0e1"
PASSPHRASE = "wrong-passphrase-c3d4"
FRAGMENT = 24


def fragments() -> set[str]:
    found: set[str] = set()
    for path in KEYS.iterdir():
        if path.suffix not in (".pem", ".der", ".cer"):
            continue
        data = path.read_bytes()
        if path.suffix != ".der":
            body = re.search(rb"-----BEGIN [^-]+-----(.*?)-----END", data, re.S)
            if body is None:
                continue
            data = base64.b64decode(
                b"".join(x for x in body.group(1).split(b"\n") if b":" not in x)
            )
        for text in (
            base64.b64encode(data).decode(),
            base64.urlsafe_b64encode(data).decode(),
            data.hex(),
        ):
            found.update(
                text[i : i + FRAGMENT] for i in range(0, len(text) - FRAGMENT, FRAGMENT // 2)
            )
    return found


FRAGMENTS = fragments()


def assert_clean(text: str) -> None:
    assert SECRET not in text and PASSPHRASE not in text, text
    assert "BEGIN" not in text, text
    assert not re.search(r"[A-Za-z0-9+/_-]{48,}", text), text
    windows = {text[i : i + FRAGMENT] for i in range(len(text) - FRAGMENT + 1)}
    assert not windows & FRAGMENTS, text


def test_keys_and_signers_print_redacted() -> None:
    shown: list[str] = []
    parsed = 0
    for path in sorted(KEYS.iterdir()):
        passphrase = "qlik-jwt-test" if "encrypted" in path.name else None
        try:
            if path.suffix == ".json":
                key = q.PrivateKey.from_jwk(path.read_text())
            else:
                key = q.PrivateKey(path.read_bytes(), passphrase=passphrase)
        except q.QlikJwtError:
            continue
        parsed += 1
        shown += [repr(key), str(key), repr(key.public_key()), key.kind]
        try:
            signer = q.QlikSigner(key, key_id="kid", issuer="iss")
        except q.QlikJwtError:
            continue
        shown += [
            repr(signer),
            str(signer),
            repr(vars(signer)) if hasattr(signer, "__dict__") else "",
        ]
    shown += [repr(q.PrivateKey.from_secret(SECRET)), repr(q.PublicKey.from_secret(SECRET))]
    assert parsed >= 20
    for text in shown:
        assert_clean(text)


def test_keys_and_signers_cannot_be_pickled() -> None:
    # A pickle would be a copy of the key bytes outside the zeroized core.
    key: Any = q.PrivateKey.from_secret(SECRET)
    with pytest.raises(TypeError):
        pickle.dumps(key)


def test_errors_about_broken_or_locked_keys_never_quote_them() -> None:
    pem = (KEYS / "rsa2048-private-pkcs8.pem").read_text()
    encrypted = (KEYS / "rsa2048-private-pkcs8-encrypted.pem").read_bytes()
    token = q.sign({}, SECRET)
    messages: list[str] = []
    attempts: list[Any] = [
        lambda: q.PrivateKey(pem.replace("MII", "M!I")),
        lambda: q.PrivateKey(pem[:400]),
        lambda: q.PrivateKey(encrypted, passphrase=PASSPHRASE),
        lambda: q.PublicKey(pem[:400]),
        lambda: q.PrivateKey.from_jwk({"kty": "RSA", "n": SECRET, "e": "AQAB", "d": SECRET}),
        lambda: q.sign({}, pem[:400], algorithm="RS256"),
        lambda: q.sign({}, encrypted, algorithm="RS256", passphrase=PASSPHRASE),
        lambda: q.verify(token, pem.replace("MII", "M!I"), algorithms=["RS256"]),
        lambda: q.QlikSigner(pem[:400], key_id="k", issuer="i"),
        lambda: q.QlikSigner(encrypted, key_id="k", issuer="i", passphrase=PASSPHRASE),
        lambda: q.explain(token, certificate=pem[:400]),
    ]
    for attempt in attempts:
        with pytest.raises(Exception) as caught:
            attempt()
        messages += [str(caught.value), repr(caught.value), repr(vars(caught.value))]
    for message in messages:
        assert_clean(message)
