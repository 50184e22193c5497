"""The shared cases of ``tests/vectors/`` beyond sign/verify/decode, replayed through the Python
API as Rust and Node replay them: jsonwebtoken's time spans (``timespan.json``, here as
``sign``'s ``expires_in``, with sign's own checks first) and the tokens jsonwebtoken makes from
Qlik's tutorial (``qlik-signer.json``, here through ``QlikSigner``). Read by the shared reader
``vector_files``."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
import vector_files

import qlik_jwt

SECRET = "shared-cases-secret"
TIMESPANS = vector_files.read("timespan.json")
SIGNER_CASES = vector_files.read("qlik-signer.json")


def test_timespan_file_holds_its_cases() -> None:
    assert len(TIMESPANS["strings"]) > 150
    assert len(TIMESPANS["numbers"]) >= 5


@pytest.mark.parametrize(
    "span",
    TIMESPANS["strings"] + TIMESPANS["numbers"],
    ids=[json.dumps(s["input"]) for s in TIMESPANS["strings"] + TIMESPANS["numbers"]],
)
def test_timespan_as_expires_in(span: dict[str, Any]) -> None:
    payload = {"iat": TIMESPANS["iat"]}
    if "error" in span["sign"]:
        with pytest.raises(qlik_jwt.QlikJwtError) as caught:
            qlik_jwt.sign(payload, SECRET, expires_in=span["input"])
        assert str(caught.value) == span["sign"]["error"]
    else:
        token = qlik_jwt.sign(payload, SECRET, expires_in=span["input"])
        assert qlik_jwt.decode(token)["exp"] == span["sign"]["exp"]


def header_and_claims(token: str, jti: str) -> tuple[str, str, str]:
    """The header segment, the token's own ``jti`` and its claims' JSON text with ``jti``
    replaced (the text as the token holds it, member order included)."""
    header, payload = token.split(".")[:2]
    text = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)).decode()
    claims = json.loads(text)
    assert isinstance(claims["jti"], str)
    own = claims["jti"]
    return header, own, text.replace(json.dumps(own), json.dumps(jti), 1)


@pytest.mark.parametrize("case", SIGNER_CASES, ids=[c["name"] for c in SIGNER_CASES])
def test_qlik_signer_makes_jsonwebtokens_token(case: dict[str, Any]) -> None:
    settings: dict[str, Any] = {}
    if case["skew"] is not None:
        settings["not_before_skew"] = case["skew"]
    if case["lifetime"] is not None:
        settings["lifetime"] = case["lifetime"]
    private_key = (vector_files.ROOT / case["keyFile"]).read_text()
    signer = qlik_jwt.QlikSigner(
        private_key,
        key_id=case["keyid"],
        issuer=case["issuer"],
        algorithm=case["algorithm"],
        **settings,
    )
    user = case["user"]
    token = signer.sign(
        sub=user["sub"],
        name=user["name"],
        email=user["email"],
        email_verified=user["email_verified"],
        groups=user.get("groups"),
        now=case["now"],
    )
    mine = header_and_claims(token, case["jti"])
    theirs = header_and_claims(case["token"], case["jti"])
    # The jti is the signer's own, fresh and random: the same length as the tutorial's.
    assert len(mine[1]) == len(theirs[1])
    assert mine[1] != case["jti"]
    assert mine[0] == theirs[0]
    assert mine[2] == theirs[2]
    public_key = qlik_jwt.PrivateKey(private_key).public_key()
    claims = qlik_jwt.verify(token, public_key, algorithms=[case["algorithm"]], now=case["now"])
    assert claims["jti"] == mine[1]
