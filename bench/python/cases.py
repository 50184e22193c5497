"""Every Python benchmark case: qlik_jwt and the libraries users would pick instead, signing the
Qlik tutorial's token. A case is data plus ``make()``, which returns the operation to time."""

from __future__ import annotations

import json
import secrets
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

HERE = Path(__file__).resolve().parent
NODE_KEYS = HERE.parent / "node" / "keys.js"

CLAIMS = {
    "sub": "0hEhiPyhMBdtOCv2UZKoLo4G24p-7R6eeGdZUQHF0-c",
    "subType": "user",
    "name": "Hardcore Harry",
    "email": "",
    "email_verified": True,
    "groups": ["Administrators", "Sales", "Marketing"],
}
KEY_ID = "my-custom-jwt"
ISSUER = "https://my-custom-jwt"
AUDIENCE = "qlik.api/login/jwt-session"
LIFETIME = 300


@dataclass
class Alg:
    """A key and the token it signs: the tutorial's for RS/ES, an app's session token for HS256
    (Qlik refuses HMAC, and qlik_jwt refuses to make an HS* token for Qlik's audience)."""

    name: str
    jwa: str
    family: str
    key: str  # PEM text, or the string secret for HS256
    issuer: str = ISSUER
    audience: Optional[str] = AUDIENCE
    keyid: Optional[str] = KEY_ID
    expires_in: str = "5m"
    not_before: Optional[str] = "0s"
    lifetime: int = LIFETIME


@dataclass
class Case:
    op: str
    alg: str
    lib: str
    variant: str
    make: Callable[[], Callable[[], object]]
    ours: bool = False
    skip: Optional[str] = None
    mode: str = "sync"
    id: str = field(default="")

    def meta(self) -> dict:
        return {k: getattr(self, k) for k in ("id", "op", "alg", "lib", "variant", "mode", "ours", "skip")}


def algorithms() -> list[Alg]:
    """The same keys as the Node benchmark (tests/keys, or keys it generated)."""
    info = json.loads(subprocess.run(["node", str(NODE_KEYS)], check=True, capture_output=True, text=True).stdout)
    out = []
    for name, jwa, family in (("RS4096", "RS256", "RS"), ("RS2048", "RS256", "RS"), ("ES256", "ES256", "ES")):
        out.append(Alg(name, jwa, family, Path(info["keys"][name]).read_text()))
    session = info["session"]
    out.append(Alg("HS256", "HS256", "HS", info["hsSecret"], issuer=session["issuer"], audience=None, keyid=None,
                   expires_in=session["expiresIn"], not_before=None, lifetime=3600))
    return out


def jti() -> str:
    return secrets.token_urlsafe(32)


def timed_claims(a: Alg) -> dict:
    """The claims with iat/nbf/exp/iss/aud set by hand, as Qlik's Python example does."""
    now = int(time.time())
    claims = {"jti": jti(), **CLAIMS, "iat": now, "exp": now + a.lifetime, "iss": a.issuer}
    if a.not_before is not None:
        claims["nbf"] = now
    if a.audience is not None:
        claims["aud"] = a.audience
    return claims


def header(a: Alg) -> dict:
    return {"kid": a.keyid} if a.keyid else {}


def qlik_options(a: Alg) -> dict:
    """qlik_jwt.sign's keyword arguments for this key's token (jsonwebtoken's options)."""
    opts = {"algorithm": a.jwa, "issuer": a.issuer, "expires_in": a.expires_in}
    if a.keyid:
        opts["keyid"] = a.keyid
    if a.audience:
        opts["audience"] = a.audience
    if a.not_before is not None:
        opts["not_before"] = a.not_before
    return opts


def _import(name: str):
    try:
        return __import__(name), None
    except Exception as e:  # noqa: BLE001 - any import failure means "cannot run here"
        return None, f"{type(e).__name__}: {e}".splitlines()[0]


def build_cases(only: Optional[list[str]] = None) -> list[Case]:
    """All cases; with ``only``, only those libraries are imported (for the memory runs)."""
    algs = algorithms()

    def load(lib: str, module: str):
        return _import(module) if only is None or lib in only else (None, "not loaded in this process")

    qlik_jwt, qerr = load("qlik_jwt", "qlik_jwt")
    qskip = None if qerr is None else f"not built (import qlik_jwt failed: {qerr})"
    pyjwt, perr = load("PyJWT", "jwt")
    joserfc, jerr = load("joserfc", "joserfc")
    cases: list[Case] = []

    for a in algs:
        def q_sign(a=a):
            opts = qlik_options(a)
            return lambda: qlik_jwt.sign({"jti": jti(), **CLAIMS}, a.key, **opts)

        def q_sign_key(a=a):
            key = qlik_jwt.PrivateKey.from_secret(a.key) if a.family == "HS" else qlik_jwt.PrivateKey(a.key)
            opts = qlik_options(a)
            return lambda: qlik_jwt.sign({"jti": jti(), **CLAIMS}, key, **opts)

        cases.append(Case("sign", a.name, "qlik_jwt", "pem-per-call", q_sign, ours=True, skip=qskip))
        cases.append(Case("sign", a.name, "qlik_jwt", "PrivateKey", q_sign_key, ours=True, skip=qskip))
        if a.family != "HS":
            def q_signer(a=a):
                signer = qlik_jwt.QlikSigner(a.key, key_id=KEY_ID, issuer=ISSUER)
                return lambda: signer.sign(
                    sub=CLAIMS["sub"], name=CLAIMS["name"], email=CLAIMS["email"],
                    email_verified=CLAIMS["email_verified"], groups=CLAIMS["groups"])

            cases.append(Case("sign", a.name, "qlik_jwt", "QlikSigner", q_signer, ours=True, skip=qskip))

        def pyjwt_pem(a=a):
            return lambda: pyjwt.encode(timed_claims(a), a.key, algorithm=a.jwa, headers=header(a))

        def pyjwt_loaded(a=a):
            if a.family == "HS":
                key = a.key
            else:
                from cryptography.hazmat.primitives.serialization import load_pem_private_key

                key = load_pem_private_key(a.key.encode(), password=None)
            return lambda: pyjwt.encode(timed_claims(a), key, algorithm=a.jwa, headers=header(a))

        def jose(a=a):
            from joserfc import jwt as jose_jwt
            from joserfc.jwk import ECKey, OctKey, RSAKey

            kind = {"RS": RSAKey, "ES": ECKey, "HS": OctKey}[a.family]
            key = kind.import_key(a.key)
            protected = {"alg": a.jwa, "typ": "JWT", **header(a)}
            return lambda: jose_jwt.encode(protected, timed_claims(a), key, algorithms=[a.jwa])

        pskip = None if perr is None else f"import jwt failed: {perr}"
        cases.append(Case("sign", a.name, "PyJWT", "pem-per-call", pyjwt_pem, skip=pskip))
        cases.append(Case("sign", a.name, "PyJWT", "loaded-key", pyjwt_loaded, skip=pskip))
        cases.append(Case("sign", a.name, "joserfc", "imported-key", jose,
                          skip=None if jerr is None else f"import joserfc failed: {jerr}"))

    for c in cases:
        c.id = f"python/{c.op}/{c.alg}/{c.lib}/{c.variant}"
    return cases
