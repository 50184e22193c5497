"""QlikSigner and explain: tokens checked with PyJWT against the certificate, against Qlik's
rules as docs/qlik-rules.md lists them, and broken tokens explained."""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

import jwt as pyjwt
import pytest

import qlik_jwt

NOW = 1_700_000_000
KEY_ID = "idp-kid-1"
ISSUER = "https://idp.example.com"
PRIVATE = "rsa2048-private-pkcs8.pem"
CERTIFICATE = "rsa2048-cert.pem"


@pytest.fixture(scope="module")
def signer(key_text: Callable[[str], str]) -> qlik_jwt.QlikSigner:
    return qlik_jwt.QlikSigner(key_text(PRIVATE), key_id=KEY_ID, issuer=ISSUER)


def test_token_is_what_qlik_requires(
    signer: qlik_jwt.QlikSigner, key_text: Callable[[str], str]
) -> None:
    token = signer.sign(
        sub="SomeSampleSeedValue",
        name="Hardcore Harry",
        email="harry@example.com",
        email_verified=True,
        groups=["Administrators", "Sales"],
        now=NOW,
    )
    header = pyjwt.get_unverified_header(token)
    assert header == {"alg": "RS256", "typ": "JWT", "kid": KEY_ID}
    claims = pyjwt.decode(
        token,
        key_text("rsa2048-public-spki.pem"),
        algorithms=["RS256"],
        audience=qlik_jwt.QLIK_AUDIENCE,
        issuer=ISSUER,
        options={"verify_exp": False, "verify_nbf": False, "verify_iat": False},
    )
    assert qlik_jwt.QLIK_AUDIENCE == "qlik.api/login/jwt-session"
    assert claims["sub"] == "SomeSampleSeedValue"
    assert claims["subType"] == "user"
    assert claims["name"] == "Hardcore Harry"
    assert claims["email"] == "harry@example.com"
    assert claims["email_verified"] is True
    assert claims["groups"] == ["Administrators", "Sales"]
    assert claims["iat"] == NOW
    # Survives a tenant clock 30 s off either way, and the window stays within Qlik's hour.
    assert claims["nbf"] <= NOW - 30
    assert claims["exp"] >= NOW + 30
    assert claims["exp"] - claims["nbf"] <= qlik_jwt.QLIK_MAX_WINDOW_SECONDS
    # jti: 32 random bytes in base64url, as the tutorial's uid-safe makes them.
    assert len(base64.urlsafe_b64decode(claims["jti"] + "=")) == 32
    assert (
        qlik_jwt.explain(
            token, issuer=ISSUER, key_id=KEY_ID, certificate=key_text(CERTIFICATE), now=NOW
        )
        == []
    )


def test_email_verified_is_signed_as_given(signer: qlik_jwt.QlikSigner) -> None:
    for verified in (True, False):
        token = signer.sign(sub="u", name="n", email="u@x", email_verified=verified, now=NOW)
        assert qlik_jwt.decode(token)["email_verified"] is verified


def test_jti_is_fresh_for_every_token(signer: qlik_jwt.QlikSigner) -> None:
    tokens = [
        signer.sign(sub="u", name="n", email="", email_verified=True, now=NOW) for _ in range(200)
    ]
    assert len({qlik_jwt.decode(t)["jti"] for t in tokens}) == len(tokens)


def test_lifetimes_as_int_or_timedelta_agree(key_text: Callable[[str], str]) -> None:
    windows = []
    settings: list[tuple[int | timedelta, int | timedelta]] = [
        (10, 600),
        (timedelta(seconds=10), timedelta(minutes=10)),
    ]
    for skew, lifetime in settings:
        signer = qlik_jwt.QlikSigner(
            key_text(PRIVATE),
            key_id=KEY_ID,
            issuer=ISSUER,
            not_before_skew=skew,
            lifetime=lifetime,
        )
        claims = qlik_jwt.decode(
            signer.sign(sub="u", name="n", email="", email_verified=True, now=NOW)
        )
        windows.append((claims["nbf"], claims["exp"]))
    assert windows == [(NOW - 10, NOW + 600)] * 2


def test_now_as_datetime(signer: qlik_jwt.QlikSigner) -> None:
    moment = datetime.fromtimestamp(NOW, tz=timezone.utc)
    claims = qlik_jwt.decode(
        signer.sign(sub="u", name="n", email="", email_verified=True, now=moment)
    )
    assert claims["iat"] == NOW


def test_encrypted_key_and_parsed_key_are_accepted(key_text: Callable[[str], str]) -> None:
    encrypted = qlik_jwt.QlikSigner(
        key_text("rsa2048-private-pkcs8-encrypted.pem"),
        passphrase="qlik-jwt-test",
        key_id=KEY_ID,
        issuer=ISSUER,
    )
    parsed = qlik_jwt.QlikSigner(
        qlik_jwt.PrivateKey(key_text(PRIVATE)), key_id=KEY_ID, issuer=ISSUER
    )
    for signer in (encrypted, parsed):
        token = signer.sign(sub="u", name="n", email="", email_verified=True, now=NOW)
        assert (
            qlik_jwt.explain(
                token, issuer=ISSUER, key_id=KEY_ID, certificate=key_text(CERTIFICATE), now=NOW
            )
            == []
        )


@pytest.mark.parametrize(
    "settings",
    [
        {"algorithm": "HS256"},
        {"lifetime": 7200},
        {"lifetime": timedelta(hours=1), "not_before_skew": timedelta(minutes=5)},
    ],
)
def test_settings_qlik_would_refuse(
    settings: dict[str, object], key_text: Callable[[str], str]
) -> None:
    with pytest.raises(qlik_jwt.QlikRuleError) as caught:
        qlik_jwt.QlikSigner(key_text(PRIVATE), key_id=KEY_ID, issuer=ISSUER, **settings)  # type: ignore[arg-type]
    assert caught.value.code == "ERR_QLIK_RULE"


def test_group_over_256_characters_is_refused(signer: qlik_jwt.QlikSigner) -> None:
    signer.sign(sub="u", name="n", email="", email_verified=True, groups=["g" * 256], now=NOW)
    with pytest.raises(qlik_jwt.QlikRuleError) as caught:
        signer.sign(sub="u", name="n", email="", email_verified=True, groups=["g" * 257], now=NOW)
    assert "256" in str(caught.value)


def test_signer_argument_types(key_text: Callable[[str], str], signer: qlik_jwt.QlikSigner) -> None:
    with pytest.raises(TypeError, match="groups"):
        signer.sign(sub="u", name="n", email="", email_verified=True, groups="admins")
    with pytest.raises(TypeError, match=r"groups\[1\]"):
        signer.sign(sub="u", name="n", email="", email_verified=True, groups=["a", 2])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="email_verified"):
        signer.sign(sub="u", name="n", email="", email_verified="true")  # type: ignore[arg-type]
    # No default: the claim vouches for the address, so the app must say it (as in Node).
    with pytest.raises(TypeError, match="email_verified"):
        signer.sign(sub="u", name="n", email="")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="email_verified"):
        signer.sign(sub="u", name="n", email="", email_verified=None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="key_id"):
        qlik_jwt.QlikSigner(key_text(PRIVATE), key_id=5, issuer=ISSUER)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="private_key"):
        qlik_jwt.QlikSigner(5, key_id=KEY_ID, issuer=ISSUER)  # type: ignore[arg-type]


def test_repr_shows_settings_not_key(
    signer: qlik_jwt.QlikSigner, key_text: Callable[[str], str]
) -> None:
    assert signer.key_id == KEY_ID and signer.issuer == ISSUER
    text = repr(signer)
    assert KEY_ID in text and ISSUER in text
    body = "".join(key_text(PRIVATE).splitlines()[1:-1])
    assert not any(body[i : i + 12] in text for i in range(0, len(body) - 12, 12))


def codes(problems: list[qlik_jwt.Problem]) -> set[str]:
    return {problem.code for problem in problems}


def test_explain_finds_the_tutorial_mistakes(key_text: Callable[[str], str]) -> None:
    # The known mistakes of docs/qlik-rules.md: `group` for `groups`, the audience typo, jti as
    # a number, email_verified as a string, options inside the payload, no nbf, a six-hour window.
    broken = pyjwt.encode(
        {
            "sub": "u",
            "subType": "user",
            "name": "n",
            "email": "e@example.com",
            "email_verified": "true",
            "jti": 12345,
            "group": ["Admins"],
            "keyid": KEY_ID,
            "aud": "qlik.api/jwt-login-session",
            "iss": ISSUER,
            "exp": NOW + 6 * 3600,
        },
        key_text(PRIVATE),
        algorithm="RS256",
        headers={"kid": KEY_ID},
    )
    problems = qlik_jwt.explain(broken, issuer=ISSUER, key_id=KEY_ID, now=NOW)
    found = codes(problems)
    for code in (
        "QLIK_GROUP_CLAIM",
        "QLIK_AUD_TYPO",
        "QLIK_JTI_NUMBER",
        "QLIK_EMAIL_VERIFIED_STRING",
        "QLIK_OPTION_IN_PAYLOAD",
        "QLIK_CLAIM_MISSING",
    ):
        assert code in found, (code, problems)
    assert all(p.severity in ("error", "warning") and p.message for p in problems)
    assert any(p.severity == "error" for p in problems)
    assert all(p.code in str(p) and p.code in repr(p) for p in problems)


def test_explain_catches_wrong_issuer_kid_and_certificate(
    signer: qlik_jwt.QlikSigner, key_text: Callable[[str], str]
) -> None:
    token = signer.sign(sub="u", name="n", email="", email_verified=True, now=NOW)
    other_certificate = key_text("ec256-cert.pem")
    found = codes(
        qlik_jwt.explain(
            token, issuer="someone-else", key_id="other-kid", certificate=other_certificate, now=NOW
        )
    )
    assert {"QLIK_ISSUER_MISMATCH", "QLIK_KID_MISMATCH", "QLIK_SIGNATURE_MISMATCH"} <= found


def test_problems_compare_print_and_hash(signer: qlik_jwt.QlikSigner) -> None:
    token = signer.sign(sub="u", name="n", email="", email_verified=True, now=NOW)
    first = qlik_jwt.explain(token, issuer="other", now=NOW)
    second = qlik_jwt.explain(token, issuer="other", now=NOW)
    assert first and first == second
    assert len(set(first) | set(second)) == len(set(first))
    assert repr(first[0]).startswith(f"Problem(code={first[0].code!r}, severity=")
    assert first[0].message in str(first[0])


def test_explain_sees_expiry_and_garbage(signer: qlik_jwt.QlikSigner) -> None:
    token = signer.sign(sub="u", name="n", email="", email_verified=True, now=NOW)
    assert "QLIK_EXPIRED" in codes(qlik_jwt.explain(token, now=NOW + 3600))
    assert codes(qlik_jwt.explain("definitely not a token")) == {"QLIK_MALFORMED_TOKEN"}
    with pytest.raises(TypeError, match="token"):
        qlik_jwt.explain(b"bytes")  # type: ignore[arg-type]
