"""Client-managed setup from Python: the QRS virtual-proxy body (the core's rules and messages)
and the key of a PKCS#12/PFX certificate export, legacy and AES-256, whose key signs tokens the
export's certificate verifies (checked by PyJWT, the oracle)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jwt as pyjwt
import pytest
from cryptography import x509

import qlik_jwt

PASSWORD = "qlik-jwt-test"


@pytest.fixture(scope="module")
def proxy(key_text: Callable[[str], str]) -> dict[str, Any]:
    return {
        "prefix": "jwt",
        "certificate": key_text("qlik-export-client.pem"),
        "user_id_attribute": "userId",
        "user_directory_attribute": "userDirectory",
    }


def test_virtual_proxy_config_gives_the_qrs_body(
    proxy: dict[str, Any], key_bytes: Callable[[str], bytes]
) -> None:
    body = qlik_jwt.virtual_proxy_config(
        **proxy,
        audience="qlik.example",
        attributes=[{"sense_attribute": "group", "jwt_attribute": "groups"}],
        load_balancing_node_ids=["d4b844ba-66cc-4a38-aa6c-8d0516641bc2"],
        websocket_origin_allow_list=["mashup.example.com"],
        session_inactivity_timeout_minutes=60,
    )
    assert body["prefix"] == "jwt"
    assert body["authenticationMethod"] == 4
    assert body["anonymousAccessMode"] == 0
    assert body["sessionCookieHeaderName"] == "X-Qlik-Session-jwt"
    assert body["jwtAttributeUserId"] == "userId"
    assert body["jwtAttributeUserDirectory"] == "userDirectory"
    assert body["jwtAudience"] == "qlik.example"
    assert body["jwtAttributeMap"] == [
        {"senseAttribute": "group", "jwtAttribute": "groups", "isMandatory": False}
    ]
    assert body["loadBalancingServerNodes"] == [{"id": "d4b844ba-66cc-4a38-aa6c-8d0516641bc2"}]
    assert body["websocketCrossOriginWhiteList"] == ["mashup.example.com"]
    assert body["sessionInactivityTimeout"] == 60
    assert body["jwtPublicKeyCertificate"].startswith("-----BEGIN CERTIFICATE-----\n")
    from_bytes = qlik_jwt.virtual_proxy_config(
        **{**proxy, "certificate": key_bytes("qlik-export-client.pem")}
    )
    assert from_bytes["jwtPublicKeyCertificate"] == body["jwtPublicKeyCertificate"]


@pytest.mark.parametrize(
    ("change", "error", "words"),
    [
        ({"prefix": "JWT"}, qlik_jwt.InvalidOptionError, "lowercase"),
        ({"session_cookie_header_name": "X Qlik"}, qlik_jwt.InvalidOptionError, "header name"),
        ({"load_balancing_node_ids": ["node1"]}, qlik_jwt.InvalidOptionError, "not a UUID"),
        ({"user_id_attribute": "sub"}, qlik_jwt.QlikRuleError, "registered JWT claim"),
    ],
)
def test_virtual_proxy_config_refuses_naming_the_field(
    proxy: dict[str, Any], change: dict[str, Any], error: type[Exception], words: str
) -> None:
    with pytest.raises(error, match=words):
        qlik_jwt.virtual_proxy_config(**{**proxy, **change})


def test_virtual_proxy_config_refuses_a_bare_public_key_and_an_ec_certificate(
    proxy: dict[str, Any], key_text: Callable[[str], str]
) -> None:
    cases = [("rsa2048-public-spki.pem", "bare public key"), ("ec256-cert.pem", "EC key")]
    for name, words in cases:
        with pytest.raises(qlik_jwt.InvalidKeyError, match=words) as raised:
            qlik_jwt.virtual_proxy_config(**{**proxy, "certificate": key_text(name)})
        assert raised.value.code == "ERR_INVALID_KEY"
    with pytest.raises(TypeError, match="list of str"):
        qlik_jwt.virtual_proxy_config(**proxy, websocket_origin_allow_list="one.example")


@pytest.mark.parametrize("name", ["qlik-export-client.pfx", "qlik-export-client-aes256.pfx"])
def test_import_pfx_key_signs_for_the_exported_certificate(
    name: str, key_bytes: Callable[[str], bytes], key_text: Callable[[str], str]
) -> None:
    imported = qlik_jwt.import_pfx(key_bytes(name), PASSWORD)
    assert imported.private_key_pem.startswith("-----BEGIN PRIVATE KEY-----\n")
    assert len(imported.chain_pem) == 1
    assert "PRIVATE" not in repr(imported)
    signer = qlik_jwt.ClientManagedSigner(
        imported.private_key_pem,
        user_id_attribute="userId",
        user_directory_attribute="userDirectory",
    )
    token = signer.sign(user_id="ann", user_directory="CORP")
    assert imported.certificate_pem is not None
    for certificate in [imported.certificate_pem, key_text("qlik-export-client.pem")]:
        public_key = x509.load_pem_x509_certificate(certificate.encode()).public_key()
        claims = pyjwt.decode(token, public_key, algorithms=["RS256"])  # type: ignore[arg-type]
        assert claims["userId"] == "ann"


def test_import_pfx_tells_a_wrong_password_from_what_is_not_pkcs12(
    key_bytes: Callable[[str], bytes],
) -> None:
    with pytest.raises(qlik_jwt.InvalidKeyError, match="password is wrong") as raised:
        qlik_jwt.import_pfx(key_bytes("qlik-export-client.pfx"), "wrong")
    assert raised.value.code == "ERR_INVALID_KEY"
    with pytest.raises(qlik_jwt.InvalidKeyError, match="PEM text"):
        qlik_jwt.import_pfx(key_bytes("qlik-export-not-a-pfx.pfx"), PASSWORD)
    with pytest.raises(TypeError):
        qlik_jwt.import_pfx("not bytes", PASSWORD)  # type: ignore[arg-type]
