"""Known JWT attacks against the Python API: each forged token is refused with the
expected code, and PyJWT (an independent implementation) refuses it too."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from pathlib import Path
from typing import Any

import jwt as pyjwt
import pytest

import qlik_jwt as q

KEYS = Path(__file__).resolve().parents[2] / "tests" / "keys"
SECRET = "attacks-secret-c41d9e"
NOW = 1_700_000_000
ALGORITHMS = [f"{family}{bits}" for family in ("HS", "RS", "PS", "ES") for bits in (256, 384, 512)]
EC_FILES = {"ES256": "ec256", "ES384": "ec384", "ES512": "ec521"}
CURVE_ORDER = {
    "ES256": "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551",
    "ES384": "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf"
    "581a0db248b0a77aecec196accc52973",
    "ES512": "01"
    + "ff" * 32
    + "fa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409",
}


def text(name: str) -> str:
    return (KEYS / name).read_text()


def b64(data: str | bytes) -> str:
    data = data.encode() if isinstance(data, str) else data
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def keys_for(alg: str) -> tuple[str, str]:
    if alg.startswith("HS"):
        return SECRET, SECRET
    if alg.startswith("ES"):
        name = EC_FILES[alg]
        return text(f"{name}-private-pkcs8.pem"), text(f"{name}-public-spki.pem")
    return text("rsa2048-private-pkcs8.pem"), text("rsa2048-public-spki.pem")


def token_for(alg: str, payload: dict[str, Any] | None = None) -> str:
    private, _ = keys_for(alg)
    claims = {"sub": "alice", "admin": False} if payload is None else payload
    return q.sign(claims, private, algorithm=alg, keyid="kid-1", now=NOW)


def reheader(token: str, **changes: Any) -> str:
    header, payload, signature = token.split(".")
    fields = {**json.loads(unb64(header)), **changes}
    fields = {k: v for k, v in fields.items() if v is not None}
    return ".".join([b64(json.dumps(fields)), payload, signature])


def refused(token: str, key: Any, code: str, **options: Any) -> q.QlikJwtError:
    """Asserts that verify refuses `token` with `code`: a JsonWebTokenError, except that an
    asymmetric key that does not fit the algorithm may be an InvalidKeyError (jsonwebtoken throws
    a plain Error there, and a JsonWebTokenError for an asymmetric key given for HS*)."""
    expected: Any = q.JsonWebTokenError
    if code == "ERR_KEY_ALGORITHM_MISMATCH":
        expected = (q.InvalidKeyError, q.JsonWebTokenError)
    with pytest.raises(q.QlikJwtError) as caught:
        q.verify(token, key, now=NOW, **options)
    assert isinstance(caught.value, expected), repr(caught.value)
    error: q.QlikJwtError = caught.value
    assert error.code == code, str(error)
    return error


def pyjwt_refuses(token: str, key: Any, algorithms: list[str]) -> None:
    with pytest.raises(pyjwt.PyJWTError):
        pyjwt.decode(token, key, algorithms=algorithms, options={"verify_exp": False})


def test_alg_none_is_refused_unless_explicitly_allowed() -> None:
    header = b64('{"alg":"none","typ":"JWT"}')
    unsigned = f"{header}.{b64(json.dumps({'sub': 'alice'}))}."
    refused(unsigned, SECRET, "ERR_JWT_INVALID_SIGNATURE")
    refused(unsigned, SECRET, "ERR_JWT_INVALID_SIGNATURE", algorithms=["none"])
    refused(unsigned, text("rsa2048-public-spki.pem"), "ERR_JWT_INVALID_SIGNATURE")
    for alg in ("none", "None", "NONE", "nOnE"):
        forged = reheader(token_for("HS256"), alg=alg).rsplit(".", 1)[0] + "."
        refused(forged, SECRET, "ERR_JWT_INVALID_SIGNATURE")
        pyjwt_refuses(forged, SECRET, ["HS256"])


def test_cve_2022_23541_rsa_public_key_or_certificate_as_hmac_secret() -> None:
    for name in ("rsa2048-public-spki.pem", "rsa2048-public-pkcs1.pem", "rsa2048-cert.pem"):
        public = text(name)
        for alg in ("HS256", "HS384", "HS512"):
            signing_input = f"{b64(json.dumps({'alg': alg}))}.{b64(json.dumps({'sub': 'admin'}))}"
            digest = getattr(hashlib, f"sha{alg[2:]}")
            mac = hmac.new(public.encode(), signing_input.encode(), digest).digest()
            forged = f"{signing_input}.{b64(mac)}"
            refused(forged, public, "ERR_JWT_ALGORITHM_NOT_ALLOWED")
            refused(forged, public, "ERR_KEY_ALGORITHM_MISMATCH", algorithms=[alg])
            refused(
                forged, q.PublicKey(public), "ERR_KEY_ALGORITHM_MISMATCH", algorithms=[alg, "RS256"]
            )
            pyjwt_refuses(forged, public, [alg])


@pytest.mark.parametrize(
    ("alg", "key_file", "algorithms", "code"),
    [
        ("ES256", "rsa2048-public-spki.pem", ["ES256"], "ERR_KEY_ALGORITHM_MISMATCH"),
        ("RS256", "ec256-public-spki.pem", ["RS256"], "ERR_KEY_ALGORITHM_MISMATCH"),
        ("PS256", "ec256-public-spki.pem", ["PS256"], "ERR_KEY_ALGORITHM_MISMATCH"),
        ("ES384", "ec256-public-spki.pem", ["ES384"], "ERR_KEY_ALGORITHM_MISMATCH"),
        ("ES256", "ec521-public-spki.pem", ["ES256"], "ERR_KEY_ALGORITHM_MISMATCH"),
        ("ES256", "rsa2048-public-spki.pem", None, "ERR_JWT_ALGORITHM_NOT_ALLOWED"),
        ("HS256", "ec256-public-spki.pem", None, "ERR_JWT_ALGORITHM_NOT_ALLOWED"),
    ],
)
def test_cve_2022_23539_key_type_must_fit_the_algorithm(
    alg: str, key_file: str, algorithms: list[str] | None, code: str
) -> None:
    options = {} if algorithms is None else {"algorithms": algorithms}
    refused(token_for(alg), text(key_file), code, **options)


def test_cve_2022_23540_no_key_never_accepts_an_unsigned_token() -> None:
    unsigned = b64('{"alg":"none"}') + "." + b64('{"sub":"a"}') + "."
    # An empty key is jsonwebtoken's falsy key: unsigned tokens need "none" named explicitly.
    refused(unsigned, "", "ERR_JWT_ALGORITHM_NOT_ALLOWED")
    refused(unsigned, "", "ERR_JWT_ALGORITHM_NOT_ALLOWED", algorithms=["HS256", "RS256"])
    assert q.verify(unsigned, "", algorithms=["none"], now=NOW) == {"sub": "a"}


@pytest.mark.parametrize("alg", ALGORITHMS)
def test_signature_stripping_and_header_tampering(alg: str) -> None:
    _, public = keys_for(alg)
    token = token_for(alg)
    assert q.verify(token, public, now=NOW)["sub"] == "alice"
    refused(token.rsplit(".", 1)[0] + ".", public, "ERR_JWT_INVALID_SIGNATURE")
    for other in ALGORITHMS:
        if other[:2] == alg[:2] and other != alg:
            code = (
                "ERR_KEY_ALGORITHM_MISMATCH"
                if alg.startswith("ES")
                else "ERR_JWT_INVALID_SIGNATURE"
            )
            refused(reheader(token, alg=other), public, code)
    refused(reheader(token, kid="kid-2"), public, "ERR_JWT_INVALID_SIGNATURE")
    refused(reheader(token, kid=None), public, "ERR_JWT_INVALID_SIGNATURE")
    refused(
        reheader(token, jku="https://attacker.example/jwks"), public, "ERR_JWT_INVALID_SIGNATURE"
    )


@pytest.mark.parametrize("alg", ALGORITHMS)
def test_payload_tampering(alg: str) -> None:
    _, public = keys_for(alg)
    header, payload, signature = token_for(alg).split(".")
    claims = json.loads(unb64(payload))
    for changed in ({**claims, "admin": True}, {**claims, "sub": "mallory"}):
        refused(
            f"{header}.{b64(json.dumps(changed))}.{signature}", public, "ERR_JWT_INVALID_SIGNATURE"
        )
    spaced = b64(json.dumps(claims, indent=1))
    refused(f"{header}.{spaced}.{signature}", public, "ERR_JWT_INVALID_SIGNATURE")
    other = token_for(alg, {"sub": "mallory", "admin": True}).split(".")[1]
    refused(f"{header}.{other}.{signature}", public, "ERR_JWT_INVALID_SIGNATURE")


def malformed(alg: str, signature: bytes) -> list[bytes]:
    flipped = bytearray(signature)
    flipped[len(flipped) // 2] ^= 1
    out = [
        signature[:-1],
        signature + b"\x00",
        bytes(len(signature)),
        b"\xff" * len(signature),
        bytes(flipped),
        signature + signature,
        b"\x01",
    ]
    if alg.startswith("ES"):
        half = len(signature) // 2
        order = bytes.fromhex(CURVE_ORDER[alg])
        out += [
            bytes(2 * half),  # psychic signature: r = s = 0
            order + order,  # r = s = n
            bytes(half) + signature[half:],
            signature[:half] + bytes(half),
            signature[half:] + signature[:half],
        ]
    return out


@pytest.mark.parametrize("alg", ALGORITHMS)
def test_malformed_and_psychic_signatures_are_refused(alg: str) -> None:
    _, public = keys_for(alg)
    header, payload, signature = token_for(alg).split(".")
    for bad in malformed(alg, unb64(signature)):
        forged = f"{header}.{payload}.{b64(bad)}"
        refused(forged, public, "ERR_JWT_INVALID_SIGNATURE")
        pyjwt_refuses(forged, public, [alg])


def test_crit_header_is_ignored_as_jsonwebtoken_does() -> None:
    # Documented in SECURITY.md: the drop-in keeps jsonwebtoken's behaviour (crit is not read).
    token = q.sign({"sub": "alice"}, SECRET, header={"crit": ["urn:example:unknown"]}, now=NOW)
    assert q.verify(token, SECRET, now=NOW)["sub"] == "alice"
    signer = q.QlikSigner(keys_for("ES256")[0], key_id="k", issuer="i", algorithm="ES256")
    header = q.decode(
        signer.sign(sub="s", name="n", email="e@x", email_verified=True), complete=True
    )["header"]
    assert "crit" not in header


def test_explain_flags_forged_tokens() -> None:
    private, public = keys_for("ES256")
    signer = q.QlikSigner(private, key_id="k", issuer="i", algorithm="ES256")
    good = signer.sign(sub="s", name="n", email="e@x", email_verified=True)

    def codes(token: str) -> list[str]:
        return [p.code for p in q.explain(token, issuer="i", key_id="k", certificate=public)]

    assert codes(good) == []
    header, payload, _ = good.split(".")
    assert "QLIK_SIGNATURE_MISMATCH" in codes(f"{header}.{payload}.")
    assert "QLIK_SIGNATURE_MISMATCH" in codes(f"{header}.{payload}.{b64(bytes(64))}")
    assert "QLIK_ALG_NONE" in codes(reheader(good, alg="none").rsplit(".", 1)[0] + ".")
    assert "QLIK_ALG_HMAC" in codes(reheader(good, alg="HS256"))
