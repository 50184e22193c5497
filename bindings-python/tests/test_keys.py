"""PrivateKey and PublicKey: parsed once, usable wherever a key goes, never printed."""

from __future__ import annotations

import json
from collections.abc import Callable

import jwt as pyjwt
import pytest

import qlik_jwt

NOW = 1_700_000_000


@pytest.mark.parametrize(
    ("file", "passphrase", "kind"),
    [
        ("rsa2048-private-pkcs8.pem", None, "a 2048-bit RSA key"),
        ("rsa2048-private-pkcs1.pem", None, "a 2048-bit RSA key"),
        ("rsa2048-private-pkcs8-encrypted.pem", "qlik-jwt-test", "a 2048-bit RSA key"),
        ("ec256-private-sec1-params.pem", None, "an EC key on P-256"),
        ("ec384-private-pkcs8.pem", None, "an EC key on P-384"),
        ("ec521-private-sec1.pem", None, "an EC key on P-521"),
    ],
)
def test_private_key_forms(
    file: str, passphrase: str | None, kind: str, key_text: Callable[[str], str]
) -> None:
    key = qlik_jwt.PrivateKey(key_text(file), passphrase=passphrase)
    assert key.kind == kind
    assert kind in repr(key)


def test_der_and_jwk_keys(
    key_bytes: Callable[[str], bytes], key_text: Callable[[str], str]
) -> None:
    der = qlik_jwt.PrivateKey(key_bytes("ec256-private-pkcs8.der"))
    jwk = qlik_jwt.PrivateKey.from_jwk(json.loads(key_text("ec256-private.jwk.json")))
    from_text = qlik_jwt.PrivateKey.from_jwk(key_text("ec256-private.jwk.json"))
    public = qlik_jwt.PublicKey.from_jwk(json.loads(key_text("ec256-public.jwk.json")))
    for key in (der, jwk, from_text):
        token = qlik_jwt.sign({"a": 1}, key, algorithm="ES256", now=NOW)
        assert pyjwt.decode(token, key_text("ec256-public-spki.pem"), algorithms=["ES256"])
        assert qlik_jwt.verify(token, public, now=NOW) == {"a": 1, "iat": NOW}


def test_public_key_from_certificate_and_private_half(key_text: Callable[[str], str]) -> None:
    private = qlik_jwt.PrivateKey(key_text("rsa2048-private-pkcs8.pem"))
    token = qlik_jwt.sign({"a": 1}, private, algorithm="RS256", now=NOW)
    for public in (
        qlik_jwt.PublicKey(key_text("rsa2048-cert.pem")),
        qlik_jwt.PublicKey(key_text("rsa2048-public-pkcs1.pem")),
        private.public_key(),
    ):
        assert public.kind == "a 2048-bit RSA key"
        assert qlik_jwt.verify(token, public, now=NOW)["a"] == 1


def test_secrets_as_key_objects() -> None:
    token = qlik_jwt.sign({"a": 1}, qlik_jwt.PrivateKey.from_secret(b"s3cret"), now=NOW)
    assert qlik_jwt.verify(token, qlik_jwt.PublicKey.from_secret("s3cret"), now=NOW)
    assert qlik_jwt.PrivateKey.from_secret(b"123456").kind == "a shared secret"


def test_the_kind_is_the_core_s_wording_of_the_key(key_text: Callable[[str], str]) -> None:
    # The core names a key the same way in its messages: one description, not a binding's own.
    key = qlik_jwt.PrivateKey(key_text("ec256-private-pkcs8.pem"))
    with pytest.raises(qlik_jwt.QlikJwtError) as caught:
        qlik_jwt.QlikSigner(key, key_id="k", issuer="i", algorithm="ES384")
    assert str(caught.value).endswith(f"but the key is {key.kind}")


def test_bad_keys(key_text: Callable[[str], str]) -> None:
    with pytest.raises(qlik_jwt.InvalidKeyError):
        qlik_jwt.PrivateKey("not a key")
    with pytest.raises(qlik_jwt.InvalidKeyError):
        qlik_jwt.PrivateKey(key_text("rsa2048-public-spki.pem"))
    with pytest.raises(qlik_jwt.InvalidKeyError):
        qlik_jwt.PrivateKey(key_text("rsa2048-private-pkcs8-encrypted.pem"), passphrase="nope")
    with pytest.raises(TypeError, match="data"):
        qlik_jwt.PrivateKey(42)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="jwk"):
        qlik_jwt.PublicKey.from_jwk(["n", "e"])  # type: ignore[arg-type]


def test_repr_never_shows_key_material(key_text: Callable[[str], str]) -> None:
    pem = key_text("rsa2048-private-pkcs8.pem")
    body = "".join(pem.splitlines()[1:-1])
    chunks = [body[i : i + 12] for i in range(0, len(body) - 12, 12)]
    for shown in (repr(qlik_jwt.PrivateKey(pem)), repr(qlik_jwt.PrivateKey.from_secret(body))):
        assert not any(chunk in shown for chunk in chunks), shown
