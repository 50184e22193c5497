//! The signer against the real `jsonwebtoken` 9.0.3: each case of
//! `tests/fixtures/qlik_signer_cases.json` (written by `qlik_signer_cases.js` with the npm
//! package, the tutorial's payload and options, a fixed clock and a recorded `jti`) must come
//! out byte for byte the same.

use std::path::Path;

use serde_json::Value as Json;

use super::{QlikSigner, QlikUser, SignerConfig};
use crate::alg::Algorithm;
use crate::key::SigningKey;

fn cases() -> Vec<Json> {
    let text = include_str!("../../tests/fixtures/qlik_signer_cases.json");
    let cases: Vec<Json> = serde_json::from_str(text).expect("fixture is JSON");
    assert_eq!(cases.len(), 4, "the fixture lost its cases");
    cases
}

fn key(file: &str) -> SigningKey {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(file);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    SigningKey::from_private(&bytes, None).expect("test key parses")
}

fn string(value: &Json) -> String {
    value.as_str().expect("a string").to_owned()
}

fn signer(case: &Json) -> QlikSigner {
    QlikSigner::new(SignerConfig {
        private_key: key(case["keyFile"].as_str().unwrap()),
        key_id: string(&case["keyid"]),
        issuer: string(&case["issuer"]),
        algorithm: Some(
            case["algorithm"]
                .as_str()
                .unwrap()
                .parse::<Algorithm>()
                .unwrap(),
        ),
        not_before_skew_secs: case["skew"].as_i64(),
        lifetime_secs: case["lifetime"].as_i64(),
    })
    .expect("signer")
}

fn user(case: &Json) -> QlikUser {
    let user = &case["user"];
    QlikUser {
        sub: string(&user["sub"]),
        name: string(&user["name"]),
        email: string(&user["email"]),
        email_verified: user["email_verified"].as_bool().unwrap(),
        groups: user["groups"]
            .as_array()
            .map(|groups| groups.iter().map(string).collect()),
    }
}

#[test]
fn tokens_equal_jsonwebtoken_byte_for_byte() {
    for case in cases() {
        let token = signer(&case)
            .sign_with_jti(
                &user(&case),
                case["now"].as_i64().unwrap(),
                string(&case["jti"]),
            )
            .expect("signs");
        assert_eq!(
            token,
            case["token"].as_str().unwrap(),
            "case {}",
            case["name"]
        );
    }
}

#[test]
fn the_tutorial_case_uses_the_signer_defaults() {
    let tutorial = &cases()[0];
    assert!(tutorial["skew"].is_null() && tutorial["lifetime"].is_null());
    assert_eq!(tutorial["options"]["notBefore"], "-30s");
    assert_eq!(tutorial["options"]["expiresIn"], "5m");
}
