//! Whether a private key belongs to a certificate or public key, through the core's keys.

use qlik_jwt::setup::{CertificateOptions, KeyAlgorithm, generate, key_matches};
use qlik_jwt::{SigningKey, VerifyingKey};

fn pair(algorithm: KeyAlgorithm) -> (SigningKey, VerifyingKey) {
    let keys = generate(algorithm, &CertificateOptions::default()).unwrap();
    let private = SigningKey::from_private(keys.private_key_pem.as_bytes(), None).unwrap();
    let certificate = VerifyingKey::from_public(keys.certificate_pem.as_bytes(), None).unwrap();
    (private, certificate)
}

#[test]
fn own_certificate_matches_and_others_do_not() {
    let (rsa_key, rsa_cert) = pair(KeyAlgorithm::Rsa2048);
    let (other_rsa_key, other_rsa_cert) = pair(KeyAlgorithm::Rsa2048);
    let (p256_key, p256_cert) = pair(KeyAlgorithm::EcP256);
    let (p384_key, p384_cert) = pair(KeyAlgorithm::EcP384);
    assert!(key_matches(&rsa_key, &rsa_cert).unwrap());
    assert!(key_matches(&other_rsa_key, &other_rsa_cert).unwrap());
    assert!(key_matches(&p256_key, &p256_cert).unwrap());
    assert!(key_matches(&p384_key, &p384_cert).unwrap());
    assert!(!key_matches(&rsa_key, &other_rsa_cert).unwrap());
    assert!(!key_matches(&rsa_key, &p256_cert).unwrap());
    assert!(!key_matches(&p256_key, &p384_cert).unwrap());
    assert!(!key_matches(&p384_key, &rsa_cert).unwrap());
}

#[test]
fn a_private_key_matches_its_public_half() {
    let (key, _) = pair(KeyAlgorithm::EcP256);
    assert!(key_matches(&key, &key.verifying_key()).unwrap());
}

#[test]
fn a_secret_is_refused() {
    let (_, cert) = pair(KeyAlgorithm::EcP256);
    let err = key_matches(&SigningKey::from_secret(b"shared"), &cert).unwrap_err();
    assert_eq!(err.code(), qlik_jwt::ErrorCode::InvalidKey);
}
