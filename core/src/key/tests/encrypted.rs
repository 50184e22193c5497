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
    // DES-CBC: Node reads it only through OpenSSL's legacy provider, so neither does qlik-jwt.
    let des = String::from_utf8(bytes)
        .unwrap()
        .replace("DEK-Info: AES-256-CBC,", "DEK-Info: DES-CBC,");
    let error = SigningKey::from_private(des.as_bytes(), Some(b"qlik-jwt-test")).unwrap_err();
    assert_eq!(error.code(), ErrorCode::InvalidKey);
    assert!(
        error.message().contains("openssl pkcs8 -topk8"),
        "{}",
        error.message()
    );
}

#[test]
fn every_scheme_openssl_writes_with_its_default_provider_decrypts() {
    let rsa = public("rsa2048-public-spki.pem");
    let ec256 = public("ec256-public-spki.pem");
    for (name, reference) in [
        ("rsa2048-private-pkcs8-encrypted-aes128.pem", &rsa),
        ("rsa2048-private-pkcs8-encrypted-aes192.pem", &rsa),
        ("rsa2048-private-pkcs8-encrypted-des3.pem", &rsa),
        ("rsa2048-private-pkcs8-encrypted-sha512.pem", &rsa),
        ("rsa2048-private-pkcs8-encrypted-scrypt.pem", &rsa),
        ("rsa2048-private-pkcs8-encrypted-pbe-sha1-3des.pem", &rsa),
        ("rsa2048-private-pkcs8-encrypted-pbe-sha1-2des.pem", &rsa),
        ("ec256-private-pkcs8-encrypted-des3.pem", &ec256),
        ("ec256-private-pkcs8-encrypted-des3.der", &ec256),
        ("ec256-private-pkcs8-encrypted-pbe-sha1-3des.pem", &ec256),
        ("ec256-private-pkcs8-explicit-encrypted.pem", &ec256),
        ("rsa2048-private-pkcs1-legacy-encrypted-aes128.pem", &rsa),
        ("rsa2048-private-pkcs1-legacy-encrypted-des3.pem", &rsa),
        ("ec256-private-sec1-legacy-encrypted-aes192.pem", &ec256),
        ("ec256-private-sec1-legacy-encrypted-des3.pem", &ec256),
        ("rsa2048-private-pkcs8-encrypted-camellia256.pem", &rsa),
        (
            "rsa2048-private-pkcs8-encrypted-camellia128-scrypt.pem",
            &rsa,
        ),
        ("ec256-private-pkcs8-encrypted-aria128.pem", &ec256),
        ("ec256-private-pkcs8-encrypted-aria192-sha1.pem", &ec256),
        (
            "rsa2048-private-pkcs1-legacy-encrypted-camellia256.pem",
            &rsa,
        ),
        ("ec256-private-sec1-legacy-encrypted-aria128.pem", &ec256),
    ] {
        let bytes = fixture(name);
        let key = SigningKey::from_private(&bytes, Some(b"qlik-jwt-test"))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(key.public_key_matches(reference), "{name}");
        let wrong = SigningKey::from_private(&bytes, Some(b"qlik-jwt-tesT")).unwrap_err();
        assert!(
            wrong.message().contains("wrong passphrase"),
            "{name}: {}",
            wrong.message()
        );
    }
}

#[test]
fn schemes_of_openssls_legacy_provider_are_refused_as_node_refuses_them() {
    for name in [
        "rsa2048-private-pkcs8-encrypted-des.pem",
        "rsa2048-private-pkcs8-encrypted-pbe-sha1-rc2-40.pem",
    ] {
        let error = SigningKey::from_private(&fixture(name), Some(b"qlik-jwt-test")).unwrap_err();
        assert_eq!(error.code(), ErrorCode::InvalidKey);
        assert!(
            error.message().contains("unsupported scheme"),
            "{name}: {}",
            error.message()
        );
    }
}

#[test]
fn further_modes_ciphers_and_prfs_openssl_writes_on_request_decrypt() {
    let ec256 = public("ec256-public-spki.pem");
    let pkcs8 = [
        "aes-128-ecb",
        "aes-256-cfb",
        "aes-192-ofb",
        "sm4-cbc",
        "sm4-ecb",
        "sm4-cfb",
        "sm4-ofb",
        "sm4-ctr",
        "camellia-128-ecb",
        "camellia-128-cfb",
        "camellia-256-ofb",
        "camellia-192-ctr",
        "aria-128-ecb",
        "aria-192-cfb",
        "aria-128-ofb",
        "aria-256-ctr",
        "des-ede",
        "hmacWithMD5",
        "hmacWithSHA512-224",
        "hmacWithSHA512-256",
        "sm4-cbc-hmacWithMD5",
    ]
    .map(|scheme| format!("ec256-private-pkcs8-encrypted-{scheme}.pem"));
    let legacy = [
        "aes-128-cfb",
        "aes-192-cfb8",
        "aes-256-ofb",
        "aes-128-ctr",
        "sm4-cbc",
        "sm4-cfb",
        "sm4-ofb",
        "sm4-ctr",
        "camellia-128-cfb",
        "camellia-192-ofb",
        "camellia-256-ctr",
        "aria-128-cfb8",
        "aria-256-ofb",
        "aria-192-ctr",
        "des-ede3-cfb",
        "des-ede3-cfb8",
        "des-ede3-ofb",
        "des-ede-cbc",
        "des-ede-cfb",
        "des-ede-ofb",
        "aes-128-cfb1",
        "camellia-192-cfb1",
        "aria-256-cfb1",
        "des-ede3-cfb1",
    ]
    .map(|cipher| format!("ec256-private-sec1-legacy-encrypted-{cipher}.pem"));
    for name in pkcs8.iter().chain(&legacy) {
        let bytes = fixture(name);
        let key = SigningKey::from_private(&bytes, Some(b"qlik-jwt-test"))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(key.public_key_matches(&ec256), "{name}");
        let wrong = SigningKey::from_private(&bytes, Some(b"qlik-jwt-tesT")).unwrap_err();
        assert!(
            wrong.message().contains("wrong passphrase"),
            "{name}: {}",
            wrong.message()
        );
    }
}
