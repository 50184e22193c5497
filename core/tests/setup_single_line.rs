//! The single-line PEM that Qlik's identity-provider form wants.

use base64::Engine as _;
use qlik_jwt::setup::{CertificateOptions, KeyAlgorithm, generate, single_line_pem};

fn certificate() -> String {
    generate(KeyAlgorithm::EcP256, &CertificateOptions::default())
        .unwrap()
        .certificate_pem
}

/// The DER of a certificate as OpenSSL decodes it from the PEM.
fn openssl_der(pem: &str) -> Vec<u8> {
    use std::io::Write as _;
    let mut child = std::process::Command::new("/usr/bin/openssl")
        .args(["x509", "-outform", "DER"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("openssl runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(pem.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    out.stdout
}

#[test]
fn one_line_with_the_same_certificate() {
    let pem = certificate();
    assert!(pem.lines().count() > 3, "the input has line breaks");
    let line = single_line_pem(&pem).unwrap();
    assert!(!line.contains('\n') && !line.contains('\r'), "{line}");
    let body = line
        .strip_prefix("-----BEGIN CERTIFICATE-----")
        .and_then(|rest| rest.strip_suffix("-----END CERTIFICATE-----"))
        .expect("BEGIN and END lines kept");
    assert!(!body.contains(char::is_whitespace), "{body}");
    let der = base64::engine::general_purpose::STANDARD
        .decode(body)
        .unwrap();
    assert_eq!(der, openssl_der(&pem));
}

#[test]
fn crlf_trailing_spaces_and_blank_lines_are_removed() {
    let pem = certificate();
    let messy: String = pem.lines().map(|l| format!("  {l} \t\r\n\r\n")).collect();
    assert_eq!(
        single_line_pem(&messy).unwrap(),
        single_line_pem(&pem).unwrap()
    );
    let once = single_line_pem(&pem).unwrap();
    assert_eq!(
        single_line_pem(&once).unwrap(),
        once,
        "a single line stays as it is"
    );
    assert_eq!(single_line_pem(&format!("{once}  \n")).unwrap(), once);
}

#[test]
fn public_keys_are_accepted() {
    let text = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\nAAAA\n-----END PUBLIC KEY-----\n";
    assert_eq!(
        single_line_pem(text).unwrap(),
        "-----BEGIN PUBLIC KEY-----MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEAAAA-----END PUBLIC KEY-----"
    );
}

#[test]
fn private_keys_and_garbage_are_refused() {
    let keys = generate(KeyAlgorithm::EcP256, &CertificateOptions::default()).unwrap();
    let err = single_line_pem(&keys.private_key_pem).unwrap_err();
    assert!(err.message().contains("private key"), "{err}");
    assert!(
        !err.message()
            .contains(keys.private_key_pem.lines().nth(1).unwrap())
    );
    for bad in [
        "",
        "hello",
        "-----BEGIN CERTIFICATE-----\nAAAA\n",
        "-----BEGIN CERTIFICATE-----\nAA*AA\n-----END CERTIFICATE-----",
        "-----BEGIN CERTIFICATE-----\nAAAA\n-----END PUBLIC KEY-----",
        "-----BEGIN CERTIFICATE-----\n\n-----END CERTIFICATE-----",
        "Bag Attributes\n-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----",
    ] {
        let err = single_line_pem(bad).unwrap_err();
        assert_eq!(err.code(), qlik_jwt::ErrorCode::InvalidKey, "{bad:?}");
    }
    let two = format!("{}{}", certificate(), certificate());
    assert!(
        single_line_pem(&two)
            .unwrap_err()
            .message()
            .contains("after the END")
    );
}

#[test]
fn the_single_line_form_reads_back_as_the_same_key() {
    use qlik_jwt::setup::certificate_from_text;
    let pem = certificate();
    let line = single_line_pem(&pem).unwrap();
    let from_line = certificate_from_text(line.as_bytes()).unwrap();
    let from_pem = certificate_from_text(pem.as_bytes()).unwrap();
    assert!(from_line.same_key_as(&from_pem));
    assert!(
        certificate_from_text(b"-----BEGIN CERTIFICATE-----AAAA-----END CERTIFICATE-----").is_err()
    );
    assert!(certificate_from_text(b"garbage").is_err());
}

#[test]
fn bytes_are_read_as_text_or_refused_in_the_core_s_words() {
    use qlik_jwt::setup::single_line_pem_of_bytes;
    let pem = certificate();
    assert_eq!(
        single_line_pem_of_bytes(pem.as_bytes()).unwrap(),
        single_line_pem(&pem).unwrap()
    );
    let error = single_line_pem_of_bytes(&[0x2d, 0xff, 0xfe]).unwrap_err();
    assert_eq!(error.code(), qlik_jwt::ErrorCode::InvalidKey);
    assert_eq!(
        error.message(),
        "expected a PEM certificate or public key, but the bytes are not text"
    );
}
