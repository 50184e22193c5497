//! The packages' `sign` (`drop_in::sign`) for Qlik Cloud's audience: it signs what
//! `jsonwebtoken` signs, and also refuses a token Qlik would refuse, naming the rule. Other
//! audiences keep `jsonwebtoken`'s behaviour untouched, and `compat::sign` is `jsonwebtoken`
//! alone, for every audience.

use qlik_jwt::compat;
use qlik_jwt::drop_in::{self, KeyArg};
use qlik_jwt::qlik::{AUDIENCE, codes};
use qlik_jwt::{ErrorCode, Value};

const NOW_MS: f64 = 1_700_000_000_123.0;

fn key() -> KeyArg {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/keys/rsa2048-private-pkcs8.pem"
    );
    KeyArg::Bytes(std::fs::read(path).unwrap())
}

fn object(members: &[(&str, Value)]) -> Value {
    members.iter().map(|(k, v)| (*k, v.clone())).collect()
}

/// The tutorial's payload.
fn tutorial_payload() -> Vec<(&'static str, Value)> {
    vec![
        ("jti", "k5bU_cFI4_-vFfpJ3DjDsIZK-ZhJGRbBfusUWZ0ifBI".into()),
        ("sub", "0hEhiPyhMBdtOCv2UZKoLo4G24p-7R6eeGdZUQHF0-c".into()),
        ("subType", "user".into()),
        ("name", "Hardcore Harry".into()),
        ("email", "".into()),
        ("email_verified", true.into()),
        (
            "groups",
            Value::Array(vec![
                "Administrators".into(),
                "Sales".into(),
                "Marketing".into(),
            ]),
        ),
    ]
}

/// The tutorial's signing options.
fn tutorial_options() -> Vec<(&'static str, Value)> {
    vec![
        ("keyid", "my-custom-jwt".into()),
        ("algorithm", "RS256".into()),
        ("issuer", "https://my-custom-jwt".into()),
        ("expiresIn", "5m".into()),
        ("notBefore", "0s".into()),
        ("audience", AUDIENCE.into()),
    ]
}

fn with(
    mut members: Vec<(&'static str, Value)>,
    key: &'static str,
    value: Value,
) -> Vec<(&'static str, Value)> {
    members.retain(|(k, _)| *k != key);
    if !matches!(value, Value::Undefined) {
        members.push((key, value));
    }
    members
}

fn refusal(payload: &[(&str, Value)], options: &[(&str, Value)]) -> String {
    let err = drop_in::sign(&object(payload), &key(), &object(options), NOW_MS).unwrap_err();
    assert_eq!(err.code(), ErrorCode::QlikRule, "{}", err.message());
    err.message().to_owned()
}

#[test]
fn the_tutorial_example_signs_with_email_empty() {
    let token = drop_in::sign(
        &object(&tutorial_payload()),
        &key(),
        &object(&tutorial_options()),
        NOW_MS,
    )
    .unwrap();
    let claims = drop_in::decode(&Value::String(token), &Value::Undefined).unwrap();
    assert_eq!(claims.get("aud"), &Value::from(AUDIENCE));
    assert_eq!(claims.get("email"), &Value::from(""));
    assert_eq!(claims.get("nbf"), &Value::Number(1_700_000_000.0));
    assert_eq!(claims.get("exp"), &Value::Number(1_700_000_300.0));
}

#[test]
fn a_missing_jti_is_refused() {
    let message = refusal(
        &with(tutorial_payload(), "jti", Value::Undefined),
        &tutorial_options(),
    );
    assert!(
        message.contains(codes::CLAIM_MISSING) && message.contains("jti"),
        "{message}"
    );
}

#[test]
fn a_window_over_an_hour_is_refused() {
    let message = refusal(
        &tutorial_payload(),
        &with(tutorial_options(), "expiresIn", "6h".into()),
    );
    assert!(message.contains(codes::WINDOW_TOO_LONG), "{message}");
}

#[test]
fn hmac_is_refused() {
    let options = with(tutorial_options(), "algorithm", "HS256".into());
    let err = drop_in::sign(
        &object(&tutorial_payload()),
        &KeyArg::Text("a shared secret".into()),
        &object(&options),
        NOW_MS,
    )
    .unwrap_err();
    assert_eq!(err.code(), ErrorCode::QlikRule);
    assert!(err.message().contains(codes::ALG_HMAC), "{}", err.message());
}

#[test]
fn groups_that_are_not_strings_are_refused() {
    let payload = with(
        tutorial_payload(),
        "groups",
        Value::Array(vec![Value::Number(1.0)]),
    );
    let message = refusal(&payload, &tutorial_options());
    assert!(message.contains(codes::GROUPS_TYPE), "{message}");
}

#[test]
fn the_audience_in_the_payload_or_a_list_triggers_the_rules() {
    let options = with(tutorial_options(), "audience", Value::Undefined);
    let payload = with(
        with(tutorial_payload(), "aud", AUDIENCE.into()),
        "subType",
        "admin".into(),
    );
    assert!(refusal(&payload, &options).contains(codes::SUBTYPE));
    let listed = with(
        tutorial_options(),
        "audience",
        Value::Array(vec![AUDIENCE.into()]),
    );
    let payload = with(tutorial_payload(), "jti", Value::Undefined);
    refusal(&payload, &listed);
}

#[test]
fn other_audiences_sign_as_jsonwebtoken_does() {
    let options = with(tutorial_options(), "audience", "urn:not-qlik".into());
    let payload = with(tutorial_payload(), "jti", Value::Undefined);
    assert!(drop_in::sign(&object(&payload), &key(), &object(&options), NOW_MS).is_ok());
    // The documented typo is not Qlik's audience: jsonwebtoken signs it, so does drop_in.
    let typo = with(
        tutorial_options(),
        "audience",
        "qlik.api/jwt-login-session".into(),
    );
    assert!(drop_in::sign(&object(&tutorial_payload()), &key(), &object(&typo), NOW_MS).is_ok());
}

#[test]
fn compat_alone_is_jsonwebtoken_for_qlik_s_audience_too() {
    let payload = object(&with(tutorial_payload(), "jti", Value::Undefined));
    let options = object(&tutorial_options());
    let exact = compat::sign(&payload, &key(), &options, NOW_MS).unwrap();
    let claims = compat::decode(&Value::String(exact.clone()), &Value::Undefined).unwrap();
    assert_eq!(claims.get("jti"), &Value::Undefined);
    // The same inputs through the layer: refused, and nothing else differs once they pass.
    let refused = drop_in::sign(&payload, &key(), &options, NOW_MS).unwrap_err();
    assert_eq!(refused.code(), ErrorCode::QlikRule);
    let good = object(&tutorial_payload());
    assert_eq!(
        drop_in::sign(&good, &key(), &options, NOW_MS).unwrap(),
        compat::sign(&good, &key(), &options, NOW_MS).unwrap()
    );
}

#[test]
fn jsonwebtoken_s_own_errors_come_before_qlik_s() {
    // No jti (Qlik's refusal) and an expiresIn clash (jsonwebtoken's): jsonwebtoken's first.
    let payload = with(
        with(tutorial_payload(), "jti", Value::Undefined),
        "exp",
        Value::Number(1.0),
    );
    let err = drop_in::sign(
        &object(&payload),
        &key(),
        &object(&tutorial_options()),
        NOW_MS,
    )
    .unwrap_err();
    assert_eq!(err.code(), ErrorCode::ClaimConflict, "{}", err.message());
}

#[test]
fn every_sign_entry_point_applies_the_layer() {
    let payload = object(&with(tutorial_payload(), "jti", Value::Undefined));
    let options = object(&tutorial_options());
    let text = payload.to_json_string().unwrap();
    let refusals = [
        drop_in::sign(&payload, &key(), &options, NOW_MS).err(),
        drop_in::sign_json(&text, &key(), &options, NOW_MS).err(),
        drop_in::sign_with_claims(&payload, &key(), &options, NOW_MS).err(),
        drop_in::prepare_sign(&payload, &key(), &options, NOW_MS).err(),
    ];
    for refusal in refusals {
        assert_eq!(refusal.map(|e| e.code()), Some(ErrorCode::QlikRule));
    }
    assert!(compat::sign_json(&text, &key(), &options, NOW_MS).is_ok());
    assert!(compat::prepare_sign(&payload, &key(), &options, NOW_MS).is_ok());
}
