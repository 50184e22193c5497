//! Key import from Qlik's certificate export: PEM `client_key.pem` and PKCS#12 `client.pfx`.

mod support;

use qlik_jwt::key::KeyKind;
use qlik_jwt::setup::{import_pfx, key_matches, looks_like_pfx};
use qlik_jwt::{Algorithm, ErrorCode, SigningKey, VerifyingKey};

const PASSWORD: &str = "qlik-jwt-test";

fn read(name: &str) -> Vec<u8> {
    std::fs::read(support::keys_dir().join(format!("qlik-export-{name}"))).unwrap()
}

fn client_certificate() -> VerifyingKey {
    VerifyingKey::from_public(&read("client.pem"), None).unwrap()
}

#[test]
fn the_pem_client_key_is_pkcs1_and_parses_as_the_certificates_key() {
    let pem = read("client_key.pem");
    assert!(pem.starts_with(b"-----BEGIN RSA PRIVATE KEY-----"));
    let key = SigningKey::from_private(&pem, None).unwrap();
    assert_eq!(key.kind(), &KeyKind::Rsa { bits: 2048 });
    assert!(key_matches(&key, &client_certificate()).unwrap());
}

#[test]
fn legacy_and_aes_pfx_files_give_the_same_key_and_certificate() {
    let pem_key = SigningKey::from_private(&read("client_key.pem"), None).unwrap();
    for name in ["client.pfx", "client-aes256.pfx"] {
        let bytes = read(name);
        assert!(looks_like_pfx(&bytes), "{name}");
        let imported = import_pfx(&bytes, PASSWORD).unwrap();
        assert_eq!(imported.signing_key.kind(), &KeyKind::Rsa { bits: 2048 });
        assert!(
            imported
                .signing_key
                .public_key_matches(&pem_key.verifying_key()),
            "{name}"
        );
        let certificate = imported.certificate_pem.as_deref().expect(name);
        let certificate = VerifyingKey::from_public(certificate.as_bytes(), None).unwrap();
        assert!(certificate.same_key_as(&client_certificate()), "{name}");
        assert_eq!(imported.chain_pem.len(), 1, "{name}: the root CA");
        let root = VerifyingKey::from_public(imported.chain_pem[0].as_bytes(), None).unwrap();
        let expected_root = VerifyingKey::from_public(&read("root.pem"), None).unwrap();
        assert!(root.same_key_as(&expected_root), "{name}");
        assert!(
            imported
                .private_key_pem
                .starts_with("-----BEGIN PRIVATE KEY-----\n")
        );
        let again = SigningKey::from_private(imported.private_key_pem.as_bytes(), None).unwrap();
        let signature = again.sign(Algorithm::RS256, b"message").unwrap();
        assert!(
            client_certificate()
                .verify(Algorithm::RS256, b"message", &signature)
                .unwrap()
        );
        let shown = format!("{imported:?}");
        assert!(!shown.contains("BEGIN PRIVATE KEY"), "{shown}");
    }
}

#[test]
fn a_wrong_password_is_told_apart_from_a_damaged_file() {
    for name in ["client.pfx", "client-aes256.pfx"] {
        let error = import_pfx(&read(name), "wrong").unwrap_err();
        assert_eq!(error.code(), ErrorCode::InvalidKey);
        assert!(
            error.message().contains("password is wrong"),
            "{name}: {}",
            error.message()
        );
    }
    let mut damaged = read("client-aes256.pfx");
    let middle = damaged.len() / 2;
    damaged.truncate(middle);
    let error = import_pfx(&damaged, PASSWORD).unwrap_err();
    assert_eq!(error.code(), ErrorCode::InvalidKey);
    assert!(error.message().contains("damaged"), "{}", error.message());
}

#[test]
fn what_is_not_pkcs12_is_named() {
    let error = import_pfx(&read("not-a-pfx.pfx"), PASSWORD).unwrap_err();
    assert_eq!(error.code(), ErrorCode::InvalidKey);
    assert!(error.message().contains("PEM text"), "{}", error.message());
    let der_key = std::fs::read(support::keys_dir().join("rsa2048-private-pkcs1.der")).unwrap();
    assert!(!looks_like_pfx(&der_key));
    let error = import_pfx(&der_key, PASSWORD).unwrap_err();
    assert!(
        error.message().contains("not PKCS#12"),
        "{}",
        error.message()
    );
    assert!(!looks_like_pfx(b""));
}
