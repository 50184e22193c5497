//! Key generation checked by OpenSSL: it must read both files, find the key type asked for,
//! and find that the certificate holds the private key's public half.

use std::path::{Path, PathBuf};
use std::process::Command;

use qlik_jwt::setup::{
    CERTIFICATE_FILE, CertificateOptions, KeyAlgorithm, PRIVATE_KEY_FILE, generate, write_key_files,
};

const OPENSSL: &str = "/usr/bin/openssl";

fn fresh_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("qlik-jwt-setup-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn openssl(args: &[&str]) -> String {
    let out = Command::new(OPENSSL)
        .args(args)
        .output()
        .expect("openssl runs");
    assert!(
        out.status.success(),
        "openssl {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn path(p: &Path) -> &str {
    p.to_str().expect("utf-8 temp path")
}

fn check(algorithm: KeyAlgorithm, expect_in_text: &str) {
    let dir = fresh_dir(algorithm.name());
    let options = CertificateOptions {
        common_name: "setup-test".into(),
        days: 30,
    };
    let keys = generate(algorithm, &options).expect("generate");
    assert!(
        keys.private_key_pem
            .starts_with("-----BEGIN PRIVATE KEY-----\n"),
        "PKCS#8 PEM"
    );
    let files = write_key_files(&dir, &keys, false).expect("write");
    assert_eq!(files.private_key, dir.join(PRIVATE_KEY_FILE));
    assert_eq!(files.certificate, dir.join(CERTIFICATE_FILE));

    let text = openssl(&["pkey", "-in", path(&files.private_key), "-noout", "-text"]);
    assert!(
        text.contains(expect_in_text),
        "{algorithm}: openssl says {text}"
    );
    let subject = openssl(&[
        "x509",
        "-in",
        path(&files.certificate),
        "-noout",
        "-subject",
    ]);
    assert!(subject.contains("setup-test"), "{subject}");
    let from_key = openssl(&["pkey", "-in", path(&files.private_key), "-pubout"]);
    let from_cert = openssl(&["x509", "-in", path(&files.certificate), "-noout", "-pubkey"]);
    assert_eq!(
        from_key, from_cert,
        "{algorithm}: the certificate holds another key"
    );
    // The self-signature verifies with the certificate's own key.
    let cert = path(&files.certificate);
    let verified = openssl(&["verify", "-partial_chain", "-CAfile", cert, cert]);
    assert!(verified.contains("OK"), "{verified}");
    // The certificate is valid now and for the days asked (give or take a day).
    openssl(&["x509", "-in", cert, "-noout", "-checkend", "0"]);
    let in_28_days = (28 * 86_400).to_string();
    openssl(&["x509", "-in", cert, "-noout", "-checkend", &in_28_days]);
    let in_32_days = (32 * 86_400).to_string();
    let out = Command::new(OPENSSL)
        .args(["x509", "-in", cert, "-noout", "-checkend", &in_32_days])
        .output()
        .expect("openssl runs");
    assert!(
        !out.status.success(),
        "the certificate outlives the 30 days asked"
    );

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&files.private_key)
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "private key mode {mode:o}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn rsa_2048_files_read_by_openssl() {
    check(KeyAlgorithm::Rsa2048, "Private-Key: (2048 bit");
}

#[test]
fn rsa_3072_files_read_by_openssl() {
    check(KeyAlgorithm::Rsa3072, "Private-Key: (3072 bit");
}

#[test]
fn rsa_4096_is_the_default_and_read_by_openssl() {
    assert_eq!(KeyAlgorithm::default(), KeyAlgorithm::Rsa4096);
    check(KeyAlgorithm::Rsa4096, "Private-Key: (4096 bit");
}

#[test]
fn p256_files_read_by_openssl() {
    check(KeyAlgorithm::EcP256, "prime256v1");
}

#[test]
fn p384_files_read_by_openssl() {
    check(KeyAlgorithm::EcP384, "secp384r1");
}

#[test]
fn existing_files_are_not_replaced_unless_asked() {
    let dir = fresh_dir("overwrite");
    let options = CertificateOptions::default();
    let first = generate(KeyAlgorithm::EcP256, &options).unwrap();
    let second = generate(KeyAlgorithm::EcP256, &options).unwrap();
    assert_ne!(
        first.certificate_pem, second.certificate_pem,
        "two keygens, one key?"
    );
    let files = write_key_files(&dir, &first, false).unwrap();
    let err = write_key_files(&dir, &second, false).unwrap_err();
    assert_eq!(err.code(), qlik_jwt::ErrorCode::Io);
    assert!(err.message().contains("exists already"), "{err}");
    let kept = std::fs::read_to_string(&files.certificate).unwrap();
    assert_eq!(kept, first.certificate_pem);
    write_key_files(&dir, &second, true).unwrap();
    let replaced = std::fs::read_to_string(&files.certificate).unwrap();
    assert_eq!(replaced, second.certificate_pem);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn debug_never_shows_the_private_key() {
    let keys = generate(KeyAlgorithm::EcP256, &CertificateOptions::default()).unwrap();
    let shown = format!("{keys:?}");
    let body_line = keys.private_key_pem.lines().nth(1).unwrap();
    assert!(!shown.contains(body_line));
    assert!(shown.contains("redacted"));
}

#[test]
fn key_type_names_round_trip() {
    for algorithm in KeyAlgorithm::ALL {
        assert_eq!(algorithm.name().parse::<KeyAlgorithm>().unwrap(), algorithm);
    }
    let err = "rsa1024".parse::<KeyAlgorithm>().unwrap_err();
    assert!(err.message().contains("rsa1024"), "{err}");
}
