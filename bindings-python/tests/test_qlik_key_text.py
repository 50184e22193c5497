"""Keys as Qlik users paste them: QlikSigner and explain read the certificate in the single-line
form of Qlik's console and a private key with escaped line breaks (from JSON or an environment
variable), which the jsonwebtoken-compatible functions, like OpenSSL, refuse."""

from __future__ import annotations

from collections.abc import Callable

import pytest

import qlik_jwt

KEY_ID = "idp-kid-1"
ISSUER = "https://idp.example.com"


def single_line(pem: str) -> str:
    return "".join(pem.splitlines())


def escaped(pem: str) -> str:
    return pem.strip().replace("\n", "\\n")


def test_explain_takes_the_console_single_line_certificate(
    key_text: Callable[[str], str],
) -> None:
    signer = qlik_jwt.QlikSigner(
        key_text("rsa2048-private-pkcs8.pem"), key_id=KEY_ID, issuer=ISSUER
    )
    token = signer.sign(sub="u1", name="User One", email="u1@example.com", email_verified=True)
    certificate = single_line(key_text("rsa2048-cert.pem"))
    problems = qlik_jwt.explain(token, issuer=ISSUER, key_id=KEY_ID, certificate=certificate)
    assert [p for p in problems if p.severity == "error"] == []
    with pytest.raises(qlik_jwt.JsonWebTokenError):
        qlik_jwt.verify(token, certificate)


def test_signer_takes_a_private_key_with_escaped_line_breaks(
    key_text: Callable[[str], str],
) -> None:
    signer = qlik_jwt.QlikSigner(
        escaped(key_text("rsa2048-private-pkcs8.pem")), key_id=KEY_ID, issuer=ISSUER
    )
    token = signer.sign(sub="u1", name="User One", email="u1@example.com", email_verified=True)
    claims = qlik_jwt.verify(token, key_text("rsa2048-cert.pem"), algorithms=["RS256"])
    assert claims["sub"] == "u1"


def test_a_single_line_certificate_of_another_key_is_reported(
    key_text: Callable[[str], str],
) -> None:
    signer = qlik_jwt.QlikSigner(
        key_text("rsa2048-private-pkcs8.pem"), key_id=KEY_ID, issuer=ISSUER
    )
    token = signer.sign(sub="u1", name="User One", email="u1@example.com", email_verified=True)
    other = single_line(key_text("rsa4096-publickey.cer"))
    codes = [
        p.code for p in qlik_jwt.explain(token, issuer=ISSUER, key_id=KEY_ID, certificate=other)
    ]
    assert "QLIK_SIGNATURE_MISMATCH" in codes
