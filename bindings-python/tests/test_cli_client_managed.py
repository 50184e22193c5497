"""The client-managed forms of the wheel's ``qlik-jwt`` command, as a subprocess: a PFX key
signs a token (checked by PyJWT against the export's certificate), explain exits 1 on a
mis-cased attribute, and virtual-proxy-config prints the QRS body."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jwt as pyjwt
from cryptography import x509

KEYS = Path(__file__).resolve().parents[2] / "tests" / "keys"
SCRIPT = Path(sys.executable).with_name("qlik-jwt")


def exported(name: str) -> str:
    """A file of the test certificate export, by Qlik's file name."""
    return str(KEYS / f"qlik-export-{name}")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    command = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "qlik_jwt._cli"]
    env = {**os.environ, "QLIK_JWT_TEST_PFX": "qlik-jwt-test"}
    return subprocess.run(
        [*command, *args], capture_output=True, text=True, timeout=60, env=env, check=False
    )


def test_sign_with_a_pfx_key_and_explain_by_the_proxy_names() -> None:
    signed = run(
        "sign",
        "--profile",
        "client-managed",
        "--key",
        exported("client-aes256.pfx"),
        "--passphrase-env",
        "QLIK_JWT_TEST_PFX",
        "--user-id",
        "ann",
        "--user-directory",
        "CORP",
        "--token-only",
    )
    assert signed.returncode == 0, signed.stderr
    token = signed.stdout.strip()
    certificate = x509.load_pem_x509_certificate(Path(exported("client.pem")).read_bytes())
    claims = pyjwt.decode(token, certificate.public_key(), algorithms=["RS256"])  # type: ignore[arg-type]
    assert (claims["userId"], claims["userDirectory"]) == ("ann", "CORP")
    base = ["explain", "--json", "--profile", "client-managed", "--cert", exported("client.pem")]
    accepted = run(
        *base, "--user-id-attribute", "userId", "--user-directory-attribute", "userDirectory", token
    )
    assert accepted.returncode == 0, accepted.stdout
    refused = run(
        *base, "--user-id-attribute", "userId", "--user-directory-attribute", "UserDirectory", token
    )
    assert refused.returncode == 1, refused.stdout
    codes = [problem["code"] for problem in json.loads(refused.stdout)["problems"]]
    assert codes == ["QSE_ATTRIBUTE_CASE"]


def test_virtual_proxy_config_prints_the_qrs_body() -> None:
    result = run(
        "virtual-proxy-config", "--json", "--prefix", "jwt", "--cert", exported("client.pem")
    )
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)["body"]
    assert body["authenticationMethod"] == 4
    assert body["sessionCookieHeaderName"] == "X-Qlik-Session-jwt"
    wrong_key = run(
        "virtual-proxy-config",
        "--prefix",
        "jwt",
        "--cert",
        exported("client.pem"),
        "--key",
        exported("client.pfx"),
    )
    assert wrong_key.returncode == 1
    assert "password is wrong" in wrong_key.stderr
