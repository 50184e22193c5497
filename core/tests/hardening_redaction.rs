//! No key material in `Debug` output or error messages: every test key, parsed in
//! every way, prints without a fragment of its bytes; the Qlik signer and its settings print
//! redacted; errors about broken or locked keys never quote the key or the passphrase.

use std::collections::HashSet;

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use qlik_jwt::compat::{self, KeyArg};
use qlik_jwt::qlik::{QlikSigner, SignerConfig};
use qlik_jwt::{SigningKey, Value, VerifyingKey};

const FRAGMENT: usize = 24;
const SECRET: &str = "redaction-secret-4e7a91c3";
const PASSPHRASE: &str = "qlik-jwt-test";

fn keys_dir() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/keys")
}

/// The DER inside a PEM file (or the file itself for DER).
fn der_of(name: &str, bytes: &[u8]) -> Option<Vec<u8>> {
    if name.ends_with(".der") {
        return Some(bytes.to_vec());
    }
    let text = std::str::from_utf8(bytes).ok()?;
    let body = text.split("-----").nth(2)?;
    let base64: String = body
        .lines()
        .filter(|line| !line.contains(':'))
        .collect::<Vec<_>>()
        .concat();
    STANDARD.decode(base64.trim()).ok()
}

/// Fragments of every test key's DER as base64, base64url and hex.
fn key_fragments() -> HashSet<String> {
    let mut fragments = HashSet::new();
    for entry in std::fs::read_dir(keys_dir()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !(name.ends_with(".pem") || name.ends_with(".der") || name.ends_with(".cer")) {
            continue;
        }
        let Some(der) = der_of(&name, &std::fs::read(&path).unwrap()) else {
            continue;
        };
        let hex: String = der.iter().map(|b| format!("{b:02x}")).collect();
        for encoded in [STANDARD.encode(&der), URL_SAFE_NO_PAD.encode(&der), hex] {
            let chars: Vec<char> = encoded.chars().collect();
            for start in (0..chars.len().saturating_sub(FRAGMENT)).step_by(FRAGMENT / 2) {
                fragments.insert(chars[start..start + FRAGMENT].iter().collect());
            }
        }
    }
    fragments
}

fn assert_clean(text: &str, fragments: &HashSet<String>) {
    assert!(!text.contains(SECRET), "secret in {text}");
    assert!(!text.contains(PASSPHRASE), "passphrase in {text}");
    assert!(!text.contains("BEGIN"), "PEM armour in {text}");
    let chars: Vec<char> = text.chars().collect();
    for window in chars.windows(FRAGMENT) {
        let window: String = window.iter().collect();
        assert!(!fragments.contains(&window), "key material in {text}");
    }
}

#[test]
fn keys_and_signers_print_redacted() {
    let fragments = key_fragments();
    assert!(fragments.len() > 1000);
    let mut printed = Vec::new();
    let mut parsed = 0;
    for entry in std::fs::read_dir(keys_dir()).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let passphrase = name.contains("encrypted").then_some(PASSPHRASE.as_bytes());
        let private = if name.ends_with(".json") {
            SigningKey::from_jwk(std::str::from_utf8(&bytes).unwrap())
        } else {
            SigningKey::from_private(&bytes, passphrase)
        };
        if let Ok(key) = private {
            parsed += 1;
            printed.push(format!("{key:?}"));
            printed.push(format!("{:?}", key.verifying_key()));
            printed.push(format!("{:?}", key.kind()));
            if let Ok(signer) = QlikSigner::new(SignerConfig {
                private_key: key.clone(),
                key_id: "k".into(),
                issuer: "i".into(),
                algorithm: None,
                not_before_skew_secs: None,
                lifetime_secs: None,
            }) {
                printed.push(format!("{signer:?}"));
                printed.push(format!("{signer:#?}"));
            }
        }
        if let Ok(key) = VerifyingKey::from_public(&bytes, passphrase) {
            printed.push(format!("{key:?}"));
        }
    }
    assert!(parsed >= 20, "parsed {parsed} private keys");
    printed.push(format!("{:?}", SigningKey::from_secret(SECRET.as_bytes())));
    printed.push(format!(
        "{:?}",
        VerifyingKey::from_secret(SECRET.as_bytes())
    ));
    for text in &printed {
        assert_clean(text, &fragments);
    }
}

#[test]
fn key_errors_never_quote_the_key_or_the_passphrase() {
    let fragments = key_fragments();
    let pem = std::fs::read_to_string(keys_dir().join("rsa2048-private-pkcs8.pem")).unwrap();
    let encrypted = std::fs::read(keys_dir().join("rsa2048-private-pkcs8-encrypted.pem")).unwrap();
    let mut messages = Vec::new();
    let broken = [
        pem.replace("MII", "M!I").into_bytes(),
        pem.as_bytes()[..400].to_vec(),
        pem.replacen('A', "\u{1F600}", 3).into_bytes(),
        format!("{{\"kty\":\"RSA\",\"n\":\"{SECRET}\",\"e\":\"AQAB\",\"d\":\"{SECRET}\"}}")
            .into_bytes(),
    ];
    for bytes in &broken {
        for error in [
            SigningKey::from_private(bytes, None).err(),
            VerifyingKey::from_public(bytes, None).err(),
            SigningKey::from_jwk(&String::from_utf8_lossy(bytes)).err(),
        ]
        .into_iter()
        .flatten()
        {
            messages.push(format!("{error} {error:?}"));
        }
    }
    let wrong = SigningKey::from_private(&encrypted, Some(b"wrong-passphrase-3f1")).unwrap_err();
    messages.push(format!("{wrong} {wrong:?}"));
    // jsonwebtoken-compatible calls with broken keys, for sign and verify.
    let token = compat::sign(
        &Value::from_json_str("{}").unwrap(),
        &KeyArg::Text(SECRET.into()),
        &Value::from_json_str("{}").unwrap(),
        0.0,
    )
    .unwrap();
    for key in broken.iter().map(|bytes| KeyArg::Bytes(bytes.clone())) {
        let options = Value::from_json_str(r#"{"algorithm":"RS256"}"#).unwrap();
        if let Err(error) = compat::sign(&Value::from_json_str("{}").unwrap(), &key, &options, 0.0)
        {
            messages.push(format!("{error:?}"));
        }
        let options = Value::from_json_str(r#"{"algorithms":["HS256","RS256"]}"#).unwrap();
        if let Err(error) = compat::verify(&Value::String(token.clone()), &key, &options, 0.0) {
            messages.push(format!("{error:?}"));
        }
    }
    assert!(messages.len() >= 10, "{} messages", messages.len());
    for message in &messages {
        assert_clean(message, &fragments);
        assert!(!message.contains("wrong-passphrase-3f1"), "{message}");
    }
}
