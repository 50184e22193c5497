//! Every key format signs and verifies with every algorithm of its family.

use std::process::Command;

use super::*;

#[test]
fn rsa_private_formats_sign_and_verify_every_rsa_algorithm() {
    let publics = [
        public("rsa2048-public-spki.pem"),
        public("rsa2048-public-spki.der"),
        public("rsa2048-public-pkcs1.pem"),
        public("rsa2048-cert.pem"),
        public("rsa2048-cert.der"),
        public("rsa2048-private-pkcs1.pem"),
        VerifyingKey::from_jwk(&String::from_utf8(fixture("rsa2048-public.jwk.json")).unwrap())
            .unwrap(),
    ];
    for verifier in &publics {
        assert_eq!(verifier.kind(), &KeyKind::Rsa { bits: 2048 });
        assert_eq!(verifier.role(), KeyRole::Public);
    }
    for name in [
        "rsa2048-private-pkcs8.pem",
        "rsa2048-private-pkcs1.pem",
        "rsa2048-private-pkcs8.der",
        "rsa2048-private-pkcs1.der",
    ] {
        let key = private(name);
        assert_eq!(key.kind(), &KeyKind::Rsa { bits: 2048 }, "{name}");
        assert_eq!(key.role(), KeyRole::Private);
        let mut verifiers = publics.to_vec();
        verifiers.push(key.verifying_key());
        round_trip(name, &key, &RSA, &verifiers);
        assert!(
            key.public_key_matches(&publics[3]),
            "{name} matches its certificate"
        );
    }
    let jwk =
        SigningKey::from_jwk(&String::from_utf8(fixture("rsa2048-private.jwk.json")).unwrap())
            .unwrap();
    round_trip("rsa2048 jwk", &jwk, &RSA, &publics);
}

#[test]
fn the_tutorial_key_pair_signs_and_its_certificate_verifies() {
    let key = private("rsa4096-privatekey.pem");
    let certificate = public("rsa4096-publickey.cer");
    assert_eq!(key.kind(), &KeyKind::Rsa { bits: 4096 });
    assert_eq!(certificate.kind(), &KeyKind::Rsa { bits: 4096 });
    assert!(key.public_key_matches(&certificate));
    assert!(!key.public_key_matches(&public("rsa2048-cert.pem")));
    round_trip("rsa4096", &key, &[RS256, PS512], &[certificate]);
}

#[test]
fn ec_private_formats_sign_and_verify_on_their_curve() {
    for (bits, curve, alg) in [
        (256, Curve::P256, ES256),
        (384, Curve::P384, ES384),
        (521, Curve::P521, ES512),
    ] {
        let publics = [
            public(&format!("ec{bits}-public-spki.pem")),
            public(&format!("ec{bits}-public-spki.der")),
            VerifyingKey::from_jwk(
                &String::from_utf8(fixture(&format!("ec{bits}-public.jwk.json"))).unwrap(),
            )
            .unwrap(),
        ];
        for name in [
            "private-pkcs8.pem",
            "private-sec1.pem",
            "private-sec1-params.pem",
            "private-pkcs8.der",
            "private-sec1.der",
            "private-sec1-explicit.pem",
            "private-pkcs8-explicit.pem",
        ] {
            let name = format!("ec{bits}-{name}");
            let key = private(&name);
            assert_eq!(key.kind(), &KeyKind::Ec { curve }, "{name}");
            let mut verifiers = publics.to_vec();
            verifiers.push(key.verifying_key());
            verifiers.push(public(&name));
            round_trip(&name, &key, &[alg], &verifiers);
            let signature = key.sign(alg, MESSAGE).unwrap();
            assert_eq!(
                signature.len(),
                [64, 96, 132][[256, 384, 521].iter().position(|&b| b == bits).unwrap()]
            );
            assert!(key.public_key_matches(&publics[0]));
        }
        let jwk = SigningKey::from_jwk(
            &String::from_utf8(fixture(&format!("ec{bits}-private.jwk.json"))).unwrap(),
        )
        .unwrap();
        round_trip("ec jwk", &jwk, &[alg], &publics);
        // The public key with its curve's parameters written out is the same key.
        let explicit = public(&format!("ec{bits}-public-spki-explicit.pem"));
        assert_eq!(explicit.kind(), &KeyKind::Ec { curve });
        assert!(explicit.same_key_as(&publics[0]));
    }
}

#[test]
fn keys_generated_with_explicit_parameters_sign_on_their_named_curve() {
    for (name, public_name, curve, alg) in [
        (
            "ec256x-private-sec1-explicit-params.pem",
            "ec256x-public-spki-explicit.pem",
            Curve::P256,
            ES256,
        ),
        (
            "ec384x-private-sec1-explicit-params.pem",
            "ec384x-public-spki-explicit.pem",
            Curve::P384,
            ES384,
        ),
        (
            "ec521x-private-sec1-explicit-params.pem",
            "ec521x-public-spki-explicit.pem",
            Curve::P521,
            ES512,
        ),
    ] {
        let key = private(name);
        assert_eq!(key.kind(), &KeyKind::Ec { curve }, "{name}");
        round_trip(name, &key, &[alg], &[public(public_name)]);
        // A token of another key on the same curve does not verify.
        let other = private(&format!("ec{}-private-pkcs8.pem", &name[2..5]));
        let signature = other.sign(alg, MESSAGE).unwrap();
        assert!(
            !public(public_name)
                .verify(alg, MESSAGE, &signature)
                .unwrap()
        );
    }
    // The generator compressed in the parameters, and the point compressed too.
    let compressed = public("ec256-public-spki-explicit-compressed.pem");
    assert!(compressed.same_key_as(&public("ec256-public-spki.pem")));
}

#[test]
fn hmac_round_trips_and_verifies_in_every_hs_algorithm() {
    let key = SigningKey::from_secret(b"qlik-jwt-secret");
    assert_eq!(key.kind(), &KeyKind::Secret { len: 15 });
    assert_eq!(key.role(), KeyRole::Secret);
    let verifier = VerifyingKey::from_secret(b"qlik-jwt-secret");
    round_trip(
        "secret",
        &key,
        &[HS256, HS384, HS512],
        &[verifier.clone(), key.verifying_key()],
    );
    assert!(key.public_key_matches(&verifier));
    assert!(!key.public_key_matches(&VerifyingKey::from_secret(b"other")));
    let openssl_mac = fixture("message.HS256.sig");
    assert_eq!(key.sign(HS256, MESSAGE).unwrap(), openssl_mac);
    assert!(verifier.verify(HS256, MESSAGE, &openssl_mac).unwrap());
    assert!(!verifier.verify(HS256, MESSAGE, &openssl_mac[..31]).unwrap());
}

#[test]
fn none_signs_empty_and_verifies_only_empty() {
    let key = private("ec256-private-pkcs8.pem");
    assert!(key.sign(Algorithm::None, MESSAGE).unwrap().is_empty());
    let verifier = key.verifying_key();
    assert!(verifier.verify(Algorithm::None, MESSAGE, b"").unwrap());
    assert!(!verifier.verify(Algorithm::None, MESSAGE, b"x").unwrap());
}

#[test]
fn rsa_pss_keys_sign_only_pss() {
    let key = private("rsapss2048-private-pkcs8.pem");
    assert_eq!(key.kind(), &KeyKind::RsaPss { bits: 2048 });
    let verifier = public("rsapss2048-public-spki.pem");
    assert_eq!(verifier.kind(), &KeyKind::RsaPss { bits: 2048 });
    round_trip(
        "rsa-pss",
        &key,
        &[PS256, PS384, PS512],
        &[verifier, key.verifying_key()],
    );
}

#[test]
fn rsa_pss_parameters_are_read_as_node_names_them() {
    let restricted = private("rsapss2048-sha256-private-pkcs8.pem");
    let expected = RsaPssParameters {
        hash_algorithm: "sha256".to_string(),
        mgf1_hash_algorithm: "sha256".to_string(),
        salt_length: 32,
    };
    assert_eq!(restricted.rsa_pss_parameters(), Some(&expected));
    assert_eq!(
        restricted.verifying_key().rsa_pss_parameters(),
        Some(&expected)
    );
    let public_key = public("rsapss2048-sha256-public-spki.pem");
    assert_eq!(public_key.rsa_pss_parameters(), Some(&expected));
    assert_eq!(public_key.kind(), &KeyKind::RsaPss { bits: 2048 });
    round_trip("rsa-pss sha256", &restricted, &[PS256], &[public_key]);
    assert_eq!(
        private("rsapss2048-private-pkcs8.pem").rsa_pss_parameters(),
        None
    );
    assert_eq!(
        private("rsa2048-private-pkcs8.pem").rsa_pss_parameters(),
        None
    );
}

#[test]
fn unsupported_key_types_parse_with_node_type_names() {
    for (name, expected) in [
        ("ed25519-private-pkcs8.pem", "ed25519"),
        ("secp256k1-private-pkcs8.pem", "ec"),
        ("secp256k1-private-sec1.pem", "ec"),
        ("secp256k1-private-sec1-explicit.pem", "ec"),
        ("ecp256g2-private-sec1-explicit-params.pem", "ec"),
        ("x25519-private-pkcs8.pem", "x25519"),
        ("dsa2048-private-pkcs8.pem", "dsa"),
        ("dsa2048-private-traditional.pem", "dsa"),
    ] {
        let key = private(name);
        assert_eq!(key.kind().asymmetric_key_type(), Some(expected), "{name}");
        assert!(matches!(key.kind(), KeyKind::Unsupported { .. }), "{name}");
        for alg in [RS256, ES256, HS256] {
            let error = key.sign(alg, MESSAGE).unwrap_err();
            assert_eq!(error.code(), ErrorCode::KeyAlgorithmMismatch);
        }
    }
    for (name, expected) in [
        ("ed25519-public-spki.pem", "ed25519"),
        ("secp256k1-public-spki.pem", "ec"),
        ("secp256k1-public-spki-explicit.pem", "ec"),
        ("ecp256g2-public-spki-explicit.pem", "ec"),
        ("x25519-public-spki.pem", "x25519"),
        ("dsa2048-public-spki.pem", "dsa"),
    ] {
        let key = public(name);
        assert_eq!(key.kind().asymmetric_key_type(), Some(expected));
        let der = key.public_key_spki_der().unwrap();
        assert_eq!(
            pem::decode_all(&fixture(name), PemSyntax::OpenSsl).unwrap()[0]
                .der
                .as_slice(),
            der.as_slice()
        );
    }
}

#[test]
fn small_rsa_keys_report_their_size_and_still_sign_and_verify() {
    let key = private("rsa1024-private-pkcs8.pem");
    assert_eq!(key.kind(), &KeyKind::Rsa { bits: 1024 });
    let verifier = public("rsa1024-public-spki.pem");
    assert_eq!(verifier.kind(), &KeyKind::Rsa { bits: 1024 });
    let fitting = [RS256, RS384, RS512, PS256, PS384];
    round_trip(
        "rsa1024",
        &key,
        &fitting,
        &[verifier.clone(), key.verifying_key()],
    );
    let error = key.sign(PS512, MESSAGE).unwrap_err();
    assert_eq!(error.code(), ErrorCode::KeyTooSmall);
    assert_eq!(
        error.message(),
        "a 1024-bit RSA key is too small to sign with PS512"
    );
    assert!(!verifier.verify(RS256, MESSAGE, &[0u8; 128]).unwrap());
    assert!(!verifier.verify(PS256, MESSAGE, &[]).unwrap());
    // PKCS#1 v1.5 is deterministic: aws-lc-rs (2048 bits) and the legacy path must agree with
    // openssl byte for byte.
    let output = Command::new("/usr/bin/openssl")
        .args(["dgst", "-sha256", "-sign"])
        .arg(path("rsa1024-private-pkcs8.pem"))
        .arg(path("message.txt"))
        .output()
        .unwrap();
    assert!(output.status.success());
    assert_eq!(key.sign(RS256, MESSAGE).unwrap(), output.stdout);
    assert_eq!(
        private("rsa2048-private-pkcs8.pem")
            .sign(RS256, MESSAGE)
            .unwrap(),
        fixture("message.rsa2048.RS256.sig")
    );
}

#[test]
fn jwk_edge_cases() {
    let public_jwk = String::from_utf8(fixture("ec256-public.jwk.json")).unwrap();
    let error = SigningKey::from_jwk(&public_jwk).unwrap_err();
    assert!(
        error.message().contains("no private part"),
        "{}",
        error.message()
    );
    let private_jwk = String::from_utf8(fixture("ec256-private.jwk.json")).unwrap();
    let from_private = VerifyingKey::from_jwk(&private_jwk).unwrap();
    assert!(from_private.same_key_as(&public("ec256-public-spki.pem")));
    let okp = r#"{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#;
    assert_eq!(
        VerifyingKey::from_jwk(okp)
            .unwrap()
            .kind()
            .asymmetric_key_type(),
        Some("ed25519")
    );
    let oct = r#"{"kty":"oct","k":"c2VjcmV0"}"#;
    assert_eq!(
        SigningKey::from_jwk(oct).unwrap().kind(),
        &KeyKind::Secret { len: 6 }
    );
    assert!(VerifyingKey::from_jwk("[1]").is_err());
    assert!(VerifyingKey::from_jwk(r#"{"kty":"XYZ"}"#).is_err());
}
