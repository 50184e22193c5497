//! Key tests over the fixtures in `tests/keys/` (made by openssl and Node; see its README).

use std::path::PathBuf;
use std::process::Command;

use super::*;
use crate::alg::Algorithm::{
    self, ES256, ES384, ES512, HS256, HS384, HS512, PS256, PS384, PS512, RS256, RS384, RS512,
};

fn path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/keys")
        .join(name)
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(path(name)).unwrap_or_else(|e| panic!("fixture {name}: {e}"))
}

fn private(name: &str) -> SigningKey {
    SigningKey::from_private(&fixture(name), None).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn public(name: &str) -> VerifyingKey {
    VerifyingKey::from_public(&fixture(name), None).unwrap_or_else(|e| panic!("{name}: {e}"))
}

const RSA: [Algorithm; 6] = [RS256, RS384, RS512, PS256, PS384, PS512];
const MESSAGE: &[u8] = b"eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJxbGlrLWp3dCJ9";

/// Signs with every algorithm in `algs` and checks each signature with every verifying key,
/// and that a changed message or signature fails.
fn round_trip(name: &str, key: &SigningKey, algs: &[Algorithm], verifiers: &[VerifyingKey]) {
    for &alg in algs {
        let signature = key
            .sign(alg, MESSAGE)
            .unwrap_or_else(|e| panic!("{name} {alg}: {e}"));
        for verifier in verifiers {
            assert!(
                verifier.verify(alg, MESSAGE, &signature).unwrap(),
                "{name} {alg}"
            );
            assert!(
                !verifier.verify(alg, b"other message", &signature).unwrap(),
                "{name} {alg}"
            );
            let mut bad = signature.clone();
            bad[signature.len() / 2] ^= 1;
            assert!(
                !verifier.verify(alg, MESSAGE, &bad).unwrap(),
                "{name} {alg}"
            );
        }
    }
}

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
    }
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
fn unsupported_key_types_parse_with_node_type_names() {
    for (name, expected) in [
        ("ed25519-private-pkcs8.pem", "ed25519"),
        ("secp256k1-private-pkcs8.pem", "ec"),
        ("secp256k1-private-sec1.pem", "ec"),
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

#[test]
fn pem_squeezed_onto_one_line_or_with_crlf_still_parses() {
    let text = String::from_utf8(fixture("rsa2048-private-pkcs1.pem")).unwrap();
    let reference = private("rsa2048-private-pkcs1.pem").verifying_key();
    let one_line = text.replace('\n', "");
    let spaced = text.replace('\n', " ");
    let crlf = format!("\r\n  {}\r\n", text.replace('\n', "\r\n"));
    let escaped = text.replace('\n', "\\n");
    for form in [one_line, spaced, crlf, escaped] {
        let key = SigningKey::from_private(form.as_bytes(), None).unwrap();
        assert!(key.public_key_matches(&reference));
    }
}

#[test]
fn spki_export_matches_openssl() {
    for (private_name, spki_name) in [
        ("rsa2048-private-pkcs1.pem", "rsa2048-public-spki.der"),
        ("ec256-private-sec1.pem", "ec256-public-spki.der"),
        ("ec384-private-pkcs8.pem", "ec384-public-spki.der"),
        ("ec521-private-pkcs8.pem", "ec521-public-spki.der"),
    ] {
        check_spki(private_name, spki_name);
    }
    for (private_name, spki_pem) in [
        (
            "rsapss2048-sha256-private-pkcs8.pem",
            "rsapss2048-sha256-public-spki.pem",
        ),
        ("rsapss2048-private-pkcs8.pem", "rsapss2048-public-spki.pem"),
    ] {
        let expected = pem::decode_all(&fixture(spki_pem), PemSyntax::OpenSsl)
            .unwrap()
            .remove(0)
            .der;
        assert_eq!(
            private(private_name).public_key_spki_der().unwrap(),
            *expected
        );
        assert_eq!(public(spki_pem).public_key_spki_der().unwrap(), *expected);
    }
    fn check_spki(private_name: &str, spki_name: &str) {
        let expected = fixture(spki_name);
        assert_eq!(
            private(private_name).public_key_spki_der().unwrap(),
            expected,
            "{private_name}"
        );
        assert_eq!(public(spki_name).public_key_spki_der().unwrap(), expected);
    }
    let certificate = public("rsa4096-publickey.cer");
    let pem = certificate.public_key_pem().unwrap();
    assert!(pem.starts_with("-----BEGIN PUBLIC KEY-----\n"));
    let reparsed = VerifyingKey::from_public(pem.as_bytes(), None).unwrap();
    assert!(reparsed.same_key_as(&certificate));
    assert_eq!(
        pem,
        String::from_utf8(
            Command::new("/usr/bin/openssl")
                .args(["x509", "-pubkey", "-noout", "-in"])
                .arg(path("rsa4096-publickey.cer"))
                .output()
                .map(|o| o.stdout)
                .unwrap_or_else(|_| pem.clone().into_bytes())
        )
        .unwrap()
    );
    assert!(
        SigningKey::from_secret(b"s")
            .public_key_spki_der()
            .is_none()
    );
}

/// Converts an ECDSA DER signature (openssl's) to the JWS `r || s` form.
fn der_to_jose(der: &[u8], size: usize) -> Vec<u8> {
    let sequence = der::parse_single(der).unwrap();
    let items = sequence.children().unwrap();
    let mut out = Vec::new();
    for item in &items {
        let magnitude = item.unsigned_integer().unwrap();
        out.resize(out.len() + size - magnitude.len(), 0);
        out.extend_from_slice(magnitude);
    }
    out
}

/// Converts a JWS `r || s` ECDSA signature to DER.
fn jose_to_der(jose: &[u8]) -> Vec<u8> {
    let (r, s) = jose.split_at(jose.len() / 2);
    let mut content = der::encode_unsigned(r);
    content.extend_from_slice(&der::encode_unsigned(s));
    der::encode(der::tag::SEQUENCE, &content)
}

#[test]
fn signatures_made_by_openssl_verify() {
    let message = fixture("message.txt");
    assert_eq!(message, MESSAGE);
    let cases = [
        (
            "rsa2048-public-spki.pem",
            RS256,
            fixture("message.rsa2048.RS256.sig"),
        ),
        (
            "rsa2048-cert.pem",
            PS256,
            fixture("message.rsa2048.PS256.sig"),
        ),
        (
            "rsa4096-publickey.cer",
            PS512,
            fixture("message.rsa4096.PS512.sig"),
        ),
        (
            "rsapss2048-public-spki.pem",
            PS256,
            fixture("message.rsapss2048.PS256.sig"),
        ),
        (
            "ec256-public-spki.pem",
            ES256,
            der_to_jose(&fixture("message.ec256.ES256.der.sig"), 32),
        ),
        (
            "ec384-public-spki.pem",
            ES384,
            der_to_jose(&fixture("message.ec384.ES384.der.sig"), 48),
        ),
        (
            "ec521-public-spki.pem",
            ES512,
            der_to_jose(&fixture("message.ec521.ES512.der.sig"), 66),
        ),
    ];
    for (name, alg, signature) in cases {
        let key = public(name);
        assert!(
            key.verify(alg, &message, &signature).unwrap(),
            "{name} {alg}"
        );
        assert!(
            !key.verify(alg, b"tampered", &signature).unwrap(),
            "{name} {alg}"
        );
    }
}

#[test]
fn openssl_verifies_our_signatures() {
    let openssl = PathBuf::from("/usr/bin/openssl");
    assert!(openssl.exists(), "these tests need /usr/bin/openssl");
    let dir = std::env::temp_dir().join(format!("qlik-jwt-key-tests-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let message = dir.join("message.txt");
    std::fs::write(&message, MESSAGE).unwrap();
    let cases = [
        (
            "rsa2048-private-pkcs1.pem",
            "rsa2048-public-spki.pem",
            RS256,
            "-sha256",
            false,
        ),
        (
            "rsa2048-private-pkcs8.pem",
            "rsa2048-public-spki.pem",
            PS256,
            "-sha256",
            false,
        ),
        (
            "rsa4096-privatekey.pem",
            "rsa2048-public-spki.pem",
            RS256,
            "-sha256",
            false,
        ),
        (
            "ec256-private-sec1.pem",
            "ec256-public-spki.pem",
            ES256,
            "-sha256",
            true,
        ),
        (
            "ec521-private-sec1-params.pem",
            "ec521-public-spki.pem",
            ES512,
            "-sha512",
            true,
        ),
    ];
    for (index, (private_name, public_name, alg, digest, ecdsa)) in cases.into_iter().enumerate() {
        let signature = private(private_name).sign(alg, MESSAGE).unwrap();
        let signature = if ecdsa {
            jose_to_der(&signature)
        } else {
            signature
        };
        let signature_path = dir.join(format!("{index}.sig"));
        std::fs::write(&signature_path, &signature).unwrap();
        let public_path = if private_name.starts_with("rsa4096") {
            path("rsa4096-publickey.cer") // checked below through its public key
        } else {
            path(public_name)
        };
        let mut command = Command::new(&openssl);
        command.arg("dgst").arg(digest);
        if private_name.starts_with("rsa4096") {
            let pem = public("rsa4096-publickey.cer").public_key_pem().unwrap();
            let extracted = dir.join("rsa4096-public.pem");
            std::fs::write(&extracted, pem).unwrap();
            command.arg("-verify").arg(&extracted);
        } else {
            command.arg("-verify").arg(&public_path);
        }
        if alg == PS256 {
            command.args([
                "-sigopt",
                "rsa_padding_mode:pss",
                "-sigopt",
                "rsa_pss_saltlen:-2",
            ]);
        }
        let output = command
            .arg("-signature")
            .arg(&signature_path)
            .arg(&message)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{private_name} {alg}: {}",
            String::from_utf8_lossy(&output.stdout)
        );
    }
    // PSS salt length must be the hash length (what Node and jsonwebtoken use).
    let signature = private("rsa2048-private-pkcs8.pem")
        .sign(PS256, MESSAGE)
        .unwrap();
    let signature_path = dir.join("pss.sig");
    std::fs::write(&signature_path, signature).unwrap();
    let output = Command::new(&openssl)
        .args([
            "dgst",
            "-sha256",
            "-sigopt",
            "rsa_padding_mode:pss",
            "-sigopt",
            "rsa_pss_saltlen:32",
            "-verify",
        ])
        .arg(path("rsa2048-public-spki.pem"))
        .arg("-signature")
        .arg(&signature_path)
        .arg(&message)
        .output()
        .unwrap();
    assert!(output.status.success(), "PS256 salt length is 32");
    let _ = std::fs::remove_dir_all(&dir);
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

/// The key material a vector describes: its bytes (a file, a string secret) and passphrase.
fn vector_key(key: &serde_json::Value) -> Option<(String, Vec<u8>, Option<Vec<u8>>)> {
    let kind = key.get("kind")?.as_str()?;
    let passphrase = key
        .get("passphrase")
        .and_then(|p| p.as_str())
        .map(|p| p.as_bytes().to_vec());
    let bytes = match (kind, key.get("file").and_then(|f| f.as_str())) {
        ("text" | "buffer" | "passphrase" | "jwk", Some(file)) => fixture(file),
        ("value", _) => key.get("value")?.as_str()?.as_bytes().to_vec(),
        _ => return None,
    };
    Some((kind.to_string(), bytes, passphrase))
}

/// The token's `alg`; `None` for headers that are not plain JSON (some vectors test odd
/// headers) or the `none` algorithm.
fn token_algorithm(parts: &crate::jws::Parts<'_>) -> Option<Algorithm> {
    let header = crate::jws::b64url_decode(parts.header)?;
    let header: serde_json::Value = serde_json::from_slice(&header).ok()?;
    let alg: Algorithm = header["alg"].as_str()?.parse().ok()?;
    (alg != Algorithm::None).then_some(alg)
}

fn vectors(file: &str) -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(path(&format!("../vectors/{file}"))).unwrap();
    let document: serde_json::Value = serde_json::from_str(&text).unwrap();
    document["vectors"].as_array().unwrap().clone()
}

/// The real `jsonwebtoken` 9.0.3 made these tokens (tests/vectors): the key layer must produce
/// the same RS*/HS* signatures byte for byte and accept the randomized ES*/PS* ones.
#[test]
fn signatures_match_the_jsonwebtoken_sign_vectors() {
    let mut checked = 0;
    for vector in vectors("sign.json") {
        let (Some(token), Some((kind, bytes, passphrase))) = (
            vector["expect"]["token"].as_str(),
            vector_key(&vector["key"]),
        ) else {
            continue;
        };
        let id = vector["id"].as_str().unwrap();
        let parts = crate::jws::split(token).unwrap();
        let Some(alg) = token_algorithm(&parts) else {
            continue;
        };
        let key = if alg.family() == Family::Hmac {
            SigningKey::from_secret(&bytes)
        } else if kind == "jwk" {
            SigningKey::from_jwk(std::str::from_utf8(&bytes).unwrap()).unwrap()
        } else {
            SigningKey::from_private(&bytes, passphrase.as_deref())
                .unwrap_or_else(|e| panic!("{id}: {e}"))
        };
        let expected = crate::jws::node_base64_decode(parts.signature);
        match alg.family() {
            Family::Hmac | Family::Rsa => {
                let ours = key.sign(alg, parts.signing_input.as_bytes()).unwrap();
                assert_eq!(ours, expected, "{id}");
            }
            _ => {
                let verifier = key.verifying_key();
                let ok = verifier.verify(alg, parts.signing_input.as_bytes(), &expected);
                assert!(ok.unwrap(), "{id}");
            }
        }
        checked += 1;
    }
    assert!(checked >= 100, "only {checked} sign vectors checked");
}

/// Every token `jsonwebtoken` accepted in tests/vectors/verify.json has a signature the key
/// layer accepts with the same key.
#[test]
fn signatures_of_accepted_verify_vectors_verify() {
    let mut checked = 0;
    for vector in vectors("verify.json") {
        let (Some(token), Some((kind, bytes, passphrase))) =
            (vector["token"].as_str(), vector_key(&vector["key"]))
        else {
            continue;
        };
        if vector["expect"].get("result").is_none() {
            continue;
        }
        let id = vector["id"].as_str().unwrap();
        let parts = crate::jws::split(token).unwrap();
        let Some(alg) = token_algorithm(&parts) else {
            continue;
        };
        let key = if alg.family() == Family::Hmac {
            VerifyingKey::from_secret(&bytes)
        } else if kind == "jwk" {
            VerifyingKey::from_jwk(std::str::from_utf8(&bytes).unwrap()).unwrap()
        } else {
            VerifyingKey::from_public(&bytes, passphrase.as_deref())
                .unwrap_or_else(|e| panic!("{id}: {e}"))
        };
        assert!(crate::jws::verify_parts(&parts, alg, &key).unwrap(), "{id}");
        checked += 1;
    }
    assert!(checked >= 50, "only {checked} verify vectors checked");
}

/// PEM layouts and whether Node 20's `crypto.createPrivateKey` accepts them (observed with
/// node; re-checked below when `node` is on the PATH).
fn pem_layouts() -> Vec<(&'static str, String, bool)> {
    let text = String::from_utf8(fixture("rsa2048-private-pkcs1.pem")).unwrap();
    let body: String = text.lines().filter(|l| !l.starts_with("-----")).collect();
    let spaced_body = text
        .lines()
        .map(|l| {
            if l.starts_with("-----") {
                l.to_string()
            } else {
                format!("{} {}", &l[..10], &l[10..])
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    vec![
        ("normal", text.clone(), true),
        ("crlf", text.replace('\n', "\r\n"), true),
        (
            "long-line",
            format!("-----BEGIN RSA PRIVATE KEY-----\n{body}\n-----END RSA PRIVATE KEY-----\n"),
            true,
        ),
        ("leading-junk-line", format!("hello\n{text}"), true),
        ("spaces-in-body", spaced_body, true),
        ("no-trailing-newline", text.trim_end().to_string(), true),
        (
            "begin-trailing-spaces",
            text.replacen("KEY-----\n", "KEY-----   \n", 1),
            true,
        ),
        ("one-line-spaces", text.replace('\n', " "), false),
        ("one-line", text.replace('\n', ""), false),
        ("escaped-newlines", text.replace('\n', "\\n"), false),
        ("leading-spaces", format!("   {text}"), false),
        (
            "indented",
            text.lines()
                .map(|l| format!("  {l}"))
                .collect::<Vec<_>>()
                .join("\n"),
            false,
        ),
        (
            "end-trailing-junk",
            format!("{}junk", text.trim_end()),
            false,
        ),
        ("cr-only", text.replace('\n', "\r"), false),
    ]
}

#[test]
fn openssl_pem_syntax_accepts_what_node_accepts_and_lenient_accepts_all() {
    let reference = public("rsa2048-public-spki.pem");
    let node = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    for (name, text, node_accepts) in pem_layouts() {
        let strict = SigningKey::from_private_with(text.as_bytes(), None, PemSyntax::OpenSsl);
        assert_eq!(strict.is_ok(), node_accepts, "{name}");
        let lenient = SigningKey::from_private(text.as_bytes(), None).unwrap();
        assert!(lenient.public_key_matches(&reference), "{name}");
        let strict_public =
            VerifyingKey::from_public_with(text.as_bytes(), None, PemSyntax::OpenSsl);
        assert_eq!(strict_public.is_ok(), node_accepts, "{name}");
        assert_eq!(
            cache::private_key(text.as_bytes(), None).is_ok(),
            node_accepts,
            "{name}"
        );
        if node {
            let output = Command::new("node")
                .args(["-e", "try { require('crypto').createPrivateKey(process.env.QLIK_JWT_PEM); console.log('ok') } catch (e) { console.log('fail') }"])
                .env("QLIK_JWT_PEM", &text)
                .output()
                .unwrap();
            let verdict = String::from_utf8_lossy(&output.stdout).trim().to_string();
            assert_eq!(verdict == "ok", node_accepts, "node disagrees on {name}");
        }
    }
}

#[test]
fn pem_bundles_pick_the_block_node_picks() {
    let key = String::from_utf8(fixture("rsa2048-private-pkcs8.pem")).unwrap();
    let other_cert = String::from_utf8(fixture("rsa4096-publickey.cer")).unwrap();
    let bundle = format!("{key}{other_cert}");
    let signing = SigningKey::from_private_with(bundle.as_bytes(), None, PemSyntax::OpenSsl);
    assert!(
        signing
            .unwrap()
            .public_key_matches(&public("rsa2048-public-spki.pem"))
    );
    let verifying = VerifyingKey::from_public_with(bundle.as_bytes(), None, PemSyntax::OpenSsl);
    assert!(
        verifying
            .unwrap()
            .same_key_as(&public("rsa4096-publickey.cer"))
    );
    let reversed = format!("{other_cert}{key}");
    let signing = SigningKey::from_private_with(reversed.as_bytes(), None, PemSyntax::OpenSsl);
    assert!(
        signing
            .unwrap()
            .public_key_matches(&public("rsa2048-public-spki.pem"))
    );
    if Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        let script = "const c = require('crypto'); \
            const k = c.createPublicKey(process.env.QLIK_JWT_PEM).export({ format: 'jwk' }); \
            console.log(Buffer.from(k.n, 'base64url').length * 8)";
        let output = Command::new("node")
            .args(["-e", script])
            .env("QLIK_JWT_PEM", &bundle)
            .output()
            .unwrap();
        assert_eq!(String::from_utf8_lossy(&output.stdout).trim(), "4096");
    }
}
