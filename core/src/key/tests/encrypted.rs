//! Encrypted private keys: PKCS#8 and legacy OpenSSL PEM, by openssl and by Node.

use super::*;

#[test]
fn encrypted_pkcs8_needs_the_right_passphrase() {
    for (name, kind) in [
        (
            "rsa2048-private-pkcs8-encrypted.pem",
            KeyKind::Rsa { bits: 2048 },
        ),
        (
            "rsa2048-private-pkcs8-encrypted.der",
            KeyKind::Rsa { bits: 2048 },
        ),
        (
            "ec256-private-pkcs8-encrypted.pem",
            KeyKind::Ec { curve: Curve::P256 },
        ),
        (
            "ec256-private-pkcs8-encrypted-aes128-sha1.pem",
            KeyKind::Ec { curve: Curve::P256 },
        ),
    ] {
        let bytes = fixture(name);
        let key = SigningKey::from_private(&bytes, Some(b"qlik-jwt-test")).unwrap();
        assert_eq!(key.kind(), &kind, "{name}");
        let reference = match kind {
            KeyKind::Rsa { .. } => public("rsa2048-public-spki.pem"),
            _ => public("ec256-public-spki.pem"),
        };
        assert!(key.public_key_matches(&reference), "{name}");
        let missing = SigningKey::from_private(&bytes, None).unwrap_err();
        assert!(
            missing.message().contains("passphrase is required"),
            "{}",
            missing.message()
        );
        let wrong = SigningKey::from_private(&bytes, Some(b"wrong")).unwrap_err();
        assert_eq!(wrong.code(), ErrorCode::InvalidKey);
        assert!(
            wrong.message().contains("wrong passphrase"),
            "{}",
            wrong.message()
        );
        let verifier = VerifyingKey::from_public(&bytes, Some(b"qlik-jwt-test")).unwrap();
        assert!(verifier.same_key_as(&reference));
    }
}

#[test]
fn keys_encrypted_by_node_decrypt() {
    let ec384 = public("ec384-public-spki.pem");
    for name in [
        "ec384-private-pkcs8-encrypted-node.pem",
        "ec384-private-sec1-legacy-encrypted-node.pem",
    ] {
        let key = SigningKey::from_private(&fixture(name), Some(b"qlik-jwt-test")).unwrap();
        assert!(key.public_key_matches(&ec384), "{name}");
        round_trip(name, &key, &[ES384], std::slice::from_ref(&ec384));
    }
    let name = "rsa2048-private-pkcs1-legacy-encrypted-node.pem";
    let key = SigningKey::from_private(&fixture(name), Some(b"qlik-jwt-test")).unwrap();
    assert!(key.public_key_matches(&public("rsa2048-public-spki.pem")));
}

#[test]
fn legacy_encrypted_pem_decrypts_with_its_passphrase() {
    let bytes = fixture("rsa2048-private-pkcs1-legacy-encrypted.pem");
    let key = SigningKey::from_private(&bytes, Some(b"qlik-jwt-test")).unwrap();
    assert!(key.public_key_matches(&public("rsa2048-public-spki.pem")));
    let verifier = VerifyingKey::from_public(&bytes, Some(b"qlik-jwt-test")).unwrap();
    assert!(verifier.same_key_as(&public("rsa2048-cert.pem")));
    let missing = SigningKey::from_private(&bytes, None).unwrap_err();
    assert!(
        missing.message().contains("passphrase is required"),
        "{}",
        missing.message()
    );
    let wrong = SigningKey::from_private(&bytes, Some(b"wrong")).unwrap_err();
    assert!(
        wrong.message().contains("wrong passphrase"),
        "{}",
        wrong.message()
    );
    let des = String::from_utf8(bytes)
        .unwrap()
        .replace("DEK-Info: AES-256-CBC,", "DEK-Info: DES-EDE3-CBC,");
    let error = SigningKey::from_private(des.as_bytes(), Some(b"qlik-jwt-test")).unwrap_err();
    assert_eq!(error.code(), ErrorCode::InvalidKey);
    assert!(
        error.message().contains("openssl pkcs8 -topk8"),
        "{}",
        error.message()
    );
}
