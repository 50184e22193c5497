"""Qlik setup from Python: generated keys and certificates checked with openssl (the oracle),
the single-line PEM and the identity-provider body against the certificate they came from."""

from __future__ import annotations

import base64
import subprocess
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

import qlik_jwt


def openssl(*args: str) -> str:
    return subprocess.run(
        ["openssl", *args], check=True, capture_output=True, text=True, timeout=60
    ).stdout


@pytest.mark.parametrize(
    ("key_type", "algorithm", "size_text"),
    [
        ("rsa2048", "RS256", "Public-Key: (2048 bit)"),
        ("p256", "ES256", "Public-Key: (256 bit)"),
        ("p384", "ES384", "Public-Key: (384 bit)"),
    ],
)
def test_generated_files_read_by_openssl_and_belong_together(
    tmp_path: Path, key_type: str, algorithm: str, size_text: str
) -> None:
    keys = qlik_jwt.generate_keys(key_type, common_name="setup-test", days=30, directory=tmp_path)
    assert keys.key_type == key_type
    assert keys.algorithm == algorithm
    assert keys.private_key_path == tmp_path / "privatekey.pem"
    assert keys.certificate_path == tmp_path / "publickey.cer"
    assert keys.private_key_path.read_text() == keys.private_key_pem
    assert keys.certificate_path.read_text() == keys.certificate_pem
    assert keys.private_key_path.stat().st_mode & 0o777 == 0o600
    assert keys.private_key_pem.startswith("-----BEGIN PRIVATE KEY-----\n")

    text = openssl("x509", "-in", str(keys.certificate_path), "-noout", "-text")
    assert size_text in text
    assert "setup-test" in openssl("x509", "-in", str(keys.certificate_path), "-noout", "-subject")
    from_key = openssl("pkey", "-in", str(keys.private_key_path), "-pubout")
    from_cert = openssl("x509", "-in", str(keys.certificate_path), "-noout", "-pubkey")
    assert from_key == from_cert
    assert qlik_jwt.key_matches(keys.private_key_pem, keys.certificate_pem)


def test_default_is_rsa_4096_in_memory() -> None:
    keys = qlik_jwt.generate_keys()
    assert (keys.key_type, keys.algorithm) == ("rsa4096", "RS256")
    assert keys.private_key_path is None
    assert keys.certificate_path is None
    text = subprocess.run(
        ["openssl", "x509", "-noout", "-text"],
        input=keys.certificate_pem,
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    assert "Public-Key: (4096 bit)" in text


def test_repr_hides_the_private_key() -> None:
    keys = qlik_jwt.generate_keys("p256")
    body = keys.private_key_pem.splitlines()[1]
    assert body not in repr(keys)
    assert "redacted" in repr(keys)


def test_existing_files_are_kept_unless_overwrite(tmp_path: Path) -> None:
    first = qlik_jwt.generate_keys("p256", directory=str(tmp_path))
    with pytest.raises(qlik_jwt.QlikJwtError) as refused:
        qlik_jwt.generate_keys("p256", directory=tmp_path)
    assert refused.value.code == "ERR_IO"
    assert "privatekey.pem exists already" in str(refused.value)
    assert (tmp_path / "privatekey.pem").read_text() == first.private_key_pem
    second = qlik_jwt.generate_keys("p256", directory=tmp_path, overwrite=True)
    assert second.private_key_pem != first.private_key_pem
    assert (tmp_path / "privatekey.pem").read_text() == second.private_key_pem


def test_unknown_key_type_names_the_choices() -> None:
    with pytest.raises(qlik_jwt.InvalidOptionError, match="expected one of rsa2048"):
        qlik_jwt.generate_keys("dsa")
    with pytest.raises(TypeError, match="key_type"):
        qlik_jwt.generate_keys(2048)  # type: ignore[arg-type]


def test_single_line_pem_is_the_same_certificate(repo: Path) -> None:
    certificate_file = repo / "tests" / "keys" / "rsa2048-cert.pem"
    certificate = certificate_file.read_text()
    line = qlik_jwt.single_line_pem(certificate)
    assert "\n" not in line
    begin, end = "-----BEGIN CERTIFICATE-----", "-----END CERTIFICATE-----"
    assert line.startswith(begin + "MII")
    assert line.endswith(end)
    body = line[len(begin) : -len(end)]
    assert not any(c.isspace() for c in body)
    rewrapped = f"{begin}\n" + "\n".join(textwrap.wrap(body, 64)) + f"\n{end}\n"
    assert base64.b64decode(body) == base64.b64decode("".join(certificate.splitlines()[1:-1]))
    fingerprint = subprocess.run(
        ["openssl", "x509", "-noout", "-fingerprint", "-sha256"],
        input=rewrapped,
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    assert fingerprint == openssl(
        "x509", "-noout", "-fingerprint", "-sha256", "-in", str(certificate_file)
    )
    assert qlik_jwt.single_line_pem(line) == line
    assert qlik_jwt.single_line_pem(certificate.encode()) == line


def test_single_line_pem_refuses_a_private_key(key_text: Callable[[str], str]) -> None:
    with pytest.raises(qlik_jwt.InvalidKeyError, match="must never leave your server") as refused:
        qlik_jwt.single_line_pem(key_text("rsa2048-private-pkcs8.pem"))
    assert refused.value.code == "ERR_INVALID_KEY"


def test_identity_provider_body(key_text: Callable[[str], str]) -> None:
    certificate = key_text("rsa2048-cert.pem")
    body = qlik_jwt.identity_provider_config(
        issuer="https://issuer.example",
        key_id="kid-1",
        certificate=certificate,
        description="test provider",
        clock_tolerance=5,
    )
    assert body == {
        "protocol": "jwtAuth",
        "provider": "external",
        "description": "test provider",
        "options": {
            "issuer": "https://issuer.example",
            "staticKeys": [{"kid": "kid-1", "pem": qlik_jwt.single_line_pem(certificate)}],
        },
        "clockToleranceSec": 5,
    }
    minimal = qlik_jwt.identity_provider_config(issuer="i", key_id="k", certificate=certificate)
    assert "clockToleranceSec" not in minimal
    assert "description" not in minimal
    # The core's rule and words, as in Node.
    with pytest.raises(qlik_jwt.InvalidOptionError, match="clockToleranceSec takes zero or more"):
        qlik_jwt.identity_provider_config(
            issuer="i", key_id="k", certificate=certificate, clock_tolerance=-1
        )


def test_key_matches_in_every_form(key_text: Callable[[str], str]) -> None:
    private_pem = key_text("rsa2048-private-pkcs8.pem")
    certificate = key_text("rsa2048-cert.pem")
    assert qlik_jwt.key_matches(private_pem, certificate)
    assert qlik_jwt.key_matches(qlik_jwt.PrivateKey(private_pem), qlik_jwt.PublicKey(certificate))
    assert qlik_jwt.key_matches(private_pem, qlik_jwt.single_line_pem(certificate))
    other = qlik_jwt.generate_keys("rsa2048")
    assert not qlik_jwt.key_matches(other.private_key_pem, certificate)
    assert not qlik_jwt.key_matches(private_pem, other.certificate_pem)
    with pytest.raises(TypeError, match="certificate"):
        qlik_jwt.key_matches(private_pem, 42)  # type: ignore[arg-type]
