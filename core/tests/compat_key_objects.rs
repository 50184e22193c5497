//! Pre-parsed keys (`KeyArg::Signing`/`KeyArg::Verifying`, Node's `KeyObject`s): their role
//! decides `jsonwebtoken`'s `type` checks. Expected outcomes are what `jsonwebtoken` 9.0.3
//! gives for `crypto.createPublicKey`/`createPrivateKey`/`createSecretKey` keys.

use qlik_jwt::compat::{self, KeyArg};
use qlik_jwt::{ErrorClass, SigningKey, Value, VerifyingKey};

const NOW_MS: f64 = 1_700_000_000_123.0;

fn pem() -> Vec<u8> {
    std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/keys/rsa2048-private-pkcs8.pem"
    ))
    .unwrap()
}

fn options(members: &[(&str, Value)]) -> Value {
    members.iter().map(|(k, v)| (*k, v.clone())).collect()
}

fn payload() -> Value {
    options(&[("a", 1.0.into())])
}

#[test]
fn sign_needs_a_private_or_secret_key_object() {
    let public = KeyArg::Verifying(VerifyingKey::from_public(&pem(), None).unwrap());
    let rs256 = options(&[("algorithm", "RS256".into())]);
    let err = compat::sign(&payload(), &public, &rs256, NOW_MS).unwrap_err();
    assert_eq!(
        err.message(),
        "secretOrPrivateKey must be an asymmetric key when using RS256"
    );
    assert_eq!(err.class(), ErrorClass::Error);
    let err = compat::sign(&payload(), &public, &Value::Undefined, NOW_MS).unwrap_err();
    assert_eq!(
        err.message(),
        "secretOrPrivateKey must be a symmetric key when using HS256"
    );

    let private = KeyArg::Signing(SigningKey::from_private(&pem(), None).unwrap());
    let from_object = compat::sign(&payload(), &private, &rs256, NOW_MS).unwrap();
    let from_text = compat::sign(&payload(), &KeyArg::Bytes(pem()), &rs256, NOW_MS).unwrap();
    assert_eq!(from_object, from_text);
}

#[test]
fn a_secret_key_object_signs_like_its_bytes_whatever_its_side() {
    let expected = compat::sign(
        &payload(),
        &KeyArg::Text("s".into()),
        &Value::Undefined,
        NOW_MS,
    )
    .unwrap();
    for key in [
        KeyArg::Signing(SigningKey::from_secret(b"s")),
        KeyArg::Verifying(VerifyingKey::from_secret(b"s")),
    ] {
        assert_eq!(
            compat::sign(&payload(), &key, &Value::Undefined, NOW_MS).unwrap(),
            expected
        );
        let token = Value::String(expected.clone());
        assert_eq!(
            compat::verify(&token, &key, &Value::Undefined, NOW_MS)
                .unwrap()
                .get("a"),
            &Value::Number(1.0)
        );
    }
}

#[test]
fn verify_needs_a_public_or_secret_key_object() {
    let rs256 = options(&[("algorithm", "RS256".into())]);
    let token =
        Value::String(compat::sign(&payload(), &KeyArg::Bytes(pem()), &rs256, NOW_MS).unwrap());
    let private = KeyArg::Signing(SigningKey::from_private(&pem(), None).unwrap());
    let err = compat::verify(&token, &private, &Value::Undefined, NOW_MS).unwrap_err();
    assert_eq!(
        err.message(),
        "secretOrPublicKey must be an asymmetric key when using RS256"
    );
    assert_eq!(err.class(), ErrorClass::JsonWebToken);

    let hs_token = Value::String(
        compat::sign(
            &payload(),
            &KeyArg::Text("s".into()),
            &Value::Undefined,
            NOW_MS,
        )
        .unwrap(),
    );
    let only_hs = options(&[("algorithms", Value::Array(vec!["HS256".into()]))]);
    let err = compat::verify(&hs_token, &private, &only_hs, NOW_MS).unwrap_err();
    assert_eq!(
        err.message(),
        "secretOrPublicKey must be a symmetric key when using HS256"
    );

    let public = KeyArg::Verifying(VerifyingKey::from_public(&pem(), None).unwrap());
    assert_eq!(
        compat::verify(&token, &public, &Value::Undefined, NOW_MS)
            .unwrap()
            .get("a"),
        &Value::Number(1.0)
    );
}
