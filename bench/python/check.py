"""Checks that a sign case returns a token whose header names its algorithm and whose signature
the `cryptography` package accepts, before the case is timed."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, utils


def _b64(s: str) -> bytes:
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def check_token(token, alg) -> None:
    if isinstance(token, bytes):
        token = token.decode()
    if not isinstance(token, str):
        raise ValueError(f"sign returned {type(token).__name__}, not a string")
    h, p, s = token.split(".")
    header, payload, sig = json.loads(_b64(h)), json.loads(_b64(p)), _b64(s)
    if header.get("alg") != alg.jwa:
        raise ValueError(f"header alg {header.get('alg')}, expected {alg.jwa}")
    if payload.get("sub") != "0hEhiPyhMBdtOCv2UZKoLo4G24p-7R6eeGdZUQHF0-c":
        raise ValueError("payload sub differs from the tutorial")
    data = f"{h}.{p}".encode()
    if alg.family == "HS":
        if not hmac.compare_digest(hmac.new(alg.key.encode(), data, hashlib.sha256).digest(), sig):
            raise ValueError("HMAC does not match")
        return
    pub = serialization.load_pem_private_key(alg.key.encode(), password=None).public_key()
    if alg.family == "RS":
        pub.verify(sig, data, padding.PKCS1v15(), hashes.SHA256())
    else:
        half = len(sig) // 2
        der = utils.encode_dss_signature(int.from_bytes(sig[:half], "big"), int.from_bytes(sig[half:], "big"))
        pub.verify(der, data, ec.ECDSA(hashes.SHA256()))
