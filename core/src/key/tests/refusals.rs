//! What the key layer refuses, and how: wrong key for the algorithm, public keys as private
//! ones, malformed signatures and files; redaction of key material.

use super::*;

#[test]
fn keys_that_do_not_fit_the_algorithm_are_refused() {
    let rsa = private("rsa2048-private-pkcs8.pem");
    let ec256 = private("ec256-private-pkcs8.pem");
    let secret = SigningKey::from_secret(b"secret");
    let pss = private("rsapss2048-private-pkcs8.pem");
    let cases: [(&SigningKey, Algorithm); 10] = [
        (&rsa, ES256),
        (&rsa, HS256),
        (&ec256, ES384),
        (&ec256, ES512),
        (&ec256, RS256),
        (&ec256, HS256),
        (&secret, RS256),
        (&secret, ES256),
        (&secret, PS256),
        (&pss, RS256),
    ];
    for (key, alg) in cases {
        let error = key.sign(alg, MESSAGE).unwrap_err();
        assert_eq!(
            error.code(),
            ErrorCode::KeyAlgorithmMismatch,
            "{key:?} {alg}"
        );
        assert!(
            error.message().starts_with(&format!("{alg} needs ")),
            "{}",
            error.message()
        );
        let error = key
            .verifying_key()
            .verify(alg, MESSAGE, b"sig")
            .unwrap_err();
        assert_eq!(
            error.code(),
            ErrorCode::KeyAlgorithmMismatch,
            "{key:?} {alg}"
        );
    }
    assert_eq!(
        ec256.sign(ES384, MESSAGE).unwrap_err().message(),
        "ES384 needs an EC key on P-384, but the key is an EC key on P-256"
    );
}

#[test]
fn private_key_entry_refuses_public_keys_and_certificates() {
    for name in [
        "rsa2048-public-spki.pem",
        "rsa2048-public-pkcs1.pem",
        "rsa2048-cert.pem",
        "rsa2048-cert.der",
        "rsa2048-public-spki.der",
        "ec256-public-spki.pem",
        "rsa4096-publickey.cer",
        "ed25519-public-spki.pem",
    ] {
        let error = SigningKey::from_private(&fixture(name), None).unwrap_err();
        assert_eq!(error.code(), ErrorCode::InvalidKey, "{name}");
        assert!(
            error.message().contains("expected a private key"),
            "{name}: {}",
            error.message()
        );
    }
    for garbage in [&b"my secret"[..], b"", &[0x30, 0x03, 0x02, 0x01, 0x00]] {
        let error = SigningKey::from_private(garbage, None).unwrap_err();
        assert_eq!(error.code(), ErrorCode::InvalidKey);
        let error = VerifyingKey::from_public(garbage, None).unwrap_err();
        assert_eq!(error.code(), ErrorCode::InvalidKey);
    }
}

#[test]
fn malformed_ecdsa_signatures_are_false_not_errors() {
    for (name, alg, len) in [
        ("ec256-public-spki.pem", ES256, 64),
        ("ec521-public-spki.pem", ES512, 132),
    ] {
        let key = public(name);
        assert!(
            !key.verify(alg, MESSAGE, &vec![0u8; len]).unwrap(),
            "psychic signature"
        );
        assert!(!key.verify(alg, MESSAGE, &[]).unwrap());
        assert!(!key.verify(alg, MESSAGE, &vec![1u8; len - 1]).unwrap());
        assert!(!key.verify(alg, MESSAGE, &vec![1u8; len + 1]).unwrap());
    }
    let ec = private("ec256-private-pkcs8.pem");
    let der_signature = jose_to_der(&ec.sign(ES256, MESSAGE).unwrap());
    assert!(
        !ec.verifying_key()
            .verify(ES256, MESSAGE, &der_signature)
            .unwrap()
    );
    let rsa = public("rsa2048-public-spki.pem");
    assert!(!rsa.verify(RS256, MESSAGE, &[]).unwrap());
    assert!(!rsa.verify(PS256, MESSAGE, &[0u8; 256]).unwrap());
}

#[test]
fn debug_is_redacted() {
    let key = private("rsa4096-privatekey.pem");
    assert_eq!(
        format!("{key:?}"),
        "SigningKey { kind: Rsa { bits: 4096 }, .. }"
    );
    assert_eq!(
        format!("{:?}", key.verifying_key()),
        "VerifyingKey { kind: Rsa { bits: 4096 }, .. }"
    );
    let secret = SigningKey::from_secret(b"super secret value");
    assert_eq!(
        format!("{secret:?}"),
        "SigningKey { kind: Secret { len: 18 }, .. }"
    );
    assert_eq!(
        format!("{:#?}", secret.verifying_key())
            .matches("secret")
            .count(),
        0
    );
}

#[test]
fn errors_never_contain_key_material() {
    let text = String::from_utf8(fixture("rsa2048-private-pkcs1.pem")).unwrap();
    let body_line = text.lines().nth(1).unwrap();
    let broken = text.replace(body_line, &body_line[..40]);
    let error = SigningKey::from_private(broken.as_bytes(), None).unwrap_err();
    assert!(
        !error.message().contains(&body_line[..20]),
        "{}",
        error.message()
    );
    let encrypted = fixture("rsa2048-private-pkcs8-encrypted.pem");
    let error = SigningKey::from_private(&encrypted, Some(b"my-wrong-passphrase")).unwrap_err();
    assert!(!error.message().contains("my-wrong-passphrase"));
}

#[test]
fn keys_are_shareable_between_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<SigningKey>();
    assert_send_sync::<VerifyingKey>();
    let key = private("ec256-private-pkcs8.pem");
    let verifier = key.verifying_key();
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let key = key.clone();
            let verifier = verifier.clone();
            std::thread::spawn(move || {
                let signature = key.sign(ES256, MESSAGE).unwrap();
                verifier.verify(ES256, MESSAGE, &signature).unwrap()
            })
        })
        .collect();
    assert!(handles.into_iter().all(|h| h.join().unwrap()));
}

#[test]
fn truncated_or_corrupted_key_files_fail_cleanly() {
    for name in [
        "rsa2048-private-pkcs8.der",
        "ec256-private-sec1.der",
        "ec521-public-spki.der",
        "rsa2048-cert.der",
        "rsa2048-private-pkcs8-encrypted.der",
    ] {
        let bytes = fixture(name);
        for len in 0..bytes.len() {
            let cut = &bytes[..len];
            assert!(
                SigningKey::from_private(cut, Some(b"qlik-jwt-test")).is_err(),
                "{name}"
            );
            assert!(
                VerifyingKey::from_public(cut, Some(b"qlik-jwt-test")).is_err(),
                "{name}"
            );
        }
        for position in (0..bytes.len()).step_by(7) {
            let mut corrupted = bytes.clone();
            corrupted[position] ^= 0x5a;
            // A flipped byte may still leave a parseable key (e.g. inside a certificate's
            // signature); this checks that nothing panics on the way.
            let _ = SigningKey::from_private(&corrupted, Some(b"qlik-jwt-test"));
            let _ = VerifyingKey::from_public(&corrupted, Some(b"qlik-jwt-test"));
        }
    }
}
