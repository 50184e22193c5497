//! `compat` on the odd paths of `jsonwebtoken` 9.0.3 (coercions, escaping `TypeError`s, check
//! order) and on seeded random combinations of inputs, against `fixtures/compat_edge_cases.json`
//! and `fixtures/compat_random_cases.json`, which the `.js` files beside them write by running
//! the real `jsonwebtoken` on each case. Values and keys use the format of
//! `tests/vectors/README.md`.

use std::path::PathBuf;

use base64::Engine as _;
use qlik_jwt::compat::{self, KeyArg};
use qlik_jwt::{Error, ErrorClass, Value};

fn repo_path(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(relative)
}

/// A fixture value: plain JSON, or a `{"$...": ...}` form for what JSON cannot say.
fn decode_value(v: &Value) -> Value {
    match v {
        Value::Array(items) => Value::Array(items.iter().map(decode_value).collect()),
        Value::Object(members) => {
            if !matches!(v.get("$undefined"), Value::Undefined) {
                return Value::Undefined;
            }
            if let Value::String(n) = v.get("$number") {
                return Value::Number(match n.as_str() {
                    "NaN" => f64::NAN,
                    "Infinity" => f64::INFINITY,
                    "-Infinity" => f64::NEG_INFINITY,
                    "-0" => -0.0,
                    other => panic!("unknown $number {other}"),
                });
            }
            if let Value::String(b) = v.get("$bytes") {
                return Value::Bytes(base64::engine::general_purpose::STANDARD.decode(b).unwrap());
            }
            if let Value::String(source) = v.get("$regexp") {
                let flags = v.get("flags").as_str().unwrap_or("").to_owned();
                return Value::RegExp {
                    source: source.clone(),
                    flags,
                };
            }
            Value::Object(
                members
                    .iter()
                    .map(|(k, v)| (k.clone(), decode_value(v)))
                    .collect(),
            )
        }
        other => other.clone(),
    }
}

/// The key argument, mapped as a binding maps JavaScript values.
fn key_arg(key: &Value) -> KeyArg {
    let read = || {
        std::fs::read(repo_path(&format!(
            "tests/keys/{}",
            key.get("file").as_str().unwrap()
        )))
        .unwrap()
    };
    match key.get("kind").as_str().unwrap() {
        "text" => KeyArg::Text(String::from_utf8(read()).unwrap()),
        "buffer" => KeyArg::Bytes(read()),
        "value" => match decode_value(key.get("value")) {
            Value::Undefined | Value::Null => KeyArg::Missing,
            Value::String(s) if s.is_empty() => KeyArg::Text(s),
            v if !v.is_truthy() => KeyArg::Falsy(v.type_of().to_owned()),
            Value::String(s) => KeyArg::Text(s),
            Value::Bytes(b) => KeyArg::Bytes(b),
            other => KeyArg::Invalid(other.type_of().to_owned()),
        },
        other => panic!("key kind {other} is not used by the edge cases"),
    }
}

fn class_name(class: ErrorClass) -> &'static str {
    match class {
        ErrorClass::Error => "Error",
        ErrorClass::JsonWebToken => "JsonWebTokenError",
        ErrorClass::TokenExpired => "TokenExpiredError",
        ErrorClass::NotBefore => "NotBeforeError",
        ErrorClass::Syntax => "SyntaxError",
        ErrorClass::Type => "TypeError",
        _ => "unknown",
    }
}

/// `None` when the error is what jsonwebtoken threw; else what differs.
fn error_mismatch(got: &Error, expected: &Value) -> Option<String> {
    // SyntaxError and TypeError escape jsonwebtoken unwrapped, and qlik-jwt names them so too.
    let class = expected.get("class").as_str().unwrap();
    let message = expected.get("message").as_str().unwrap();
    let at_matches = match (expected.get("at"), got.at()) {
        (Value::Undefined, _) => true,
        (Value::Null, Some(at)) => at.is_nan(),
        (Value::Number(want), Some(at)) => *want == at,
        _ => false,
    };
    (class_name(got.class()) != class || got.message() != message || !at_matches).then(|| {
        format!(
            "got {} {:?} at {:?}, want {class} {message:?} at {:?}",
            class_name(got.class()),
            got.message(),
            got.at(),
            expected.get("at")
        )
    })
}

fn run(case: &Value) -> Option<String> {
    let id = case.get("id").as_str().unwrap();
    let expect = case.get("expect");
    let now_ms = case.get("now_ms").as_f64().unwrap_or(0.0);
    let options = decode_value(case.get("options"));
    let outcome: Result<Value, Error> = match id.split('/').next().unwrap() {
        "sign" => compat::sign(
            &decode_value(case.get("payload")),
            &key_arg(case.get("key")),
            &options,
            now_ms,
        )
        .map(Value::String),
        "verify" => compat::verify(
            &decode_value(case.get("token")),
            &key_arg(case.get("key")),
            &options,
            now_ms,
        ),
        "decode" => compat::decode(&decode_value(case.get("token")), &options),
        other => panic!("unknown operation {other}"),
    };
    let expected_error = expect.get("error");
    let expected = match expect.get("token") {
        Value::Undefined => decode_value(expect.get("result")),
        token => token.clone(),
    };
    match (outcome, expected_error) {
        (Err(err), Value::Undefined) => Some(format!(
            "unexpected error {:?}: {}",
            err.class(),
            err.message()
        )),
        (Err(err), expected_error) => error_mismatch(&err, expected_error),
        (Ok(got), Value::Undefined) => {
            let same = got.to_json_string().unwrap() == expected.to_json_string().unwrap();
            (!same).then(|| {
                format!(
                    "got {}\n      want {}",
                    got.to_json_string().unwrap(),
                    expected.to_json_string().unwrap()
                )
            })
        }
        (Ok(got), expected_error) => Some(format!(
            "expected error {}, got {}",
            expected_error.to_json_string().unwrap(),
            got.to_json_string().unwrap()
        )),
    }
}

/// Replays every case of a fixture file; `min_cases` guards against a truncated file.
fn replay(text: &str, min_cases: usize) {
    let fixture = Value::from_json_str(text).expect("the fixture is JSON");
    let Value::Array(cases) = fixture.get("cases") else {
        panic!("no cases")
    };
    assert_eq!(
        Some(cases.len() as f64),
        fixture.get("count").as_f64(),
        "the fixture lost cases"
    );
    assert!(cases.len() >= min_cases);
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|case| {
            run(case).map(|why| format!("{}: {why}", case.get("id").as_str().unwrap()))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases differ from jsonwebtoken:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn every_edge_case_matches_jsonwebtoken() {
    replay(include_str!("fixtures/compat_edge_cases.json"), 190);
}

#[test]
fn every_random_case_matches_jsonwebtoken() {
    replay(include_str!("fixtures/compat_random_cases.json"), 600);
}

/// A larger random file made with `FUZZ_OUT` (see `fixtures/compat_random_cases.js`), when
/// `COMPAT_CASES` names it.
#[test]
fn extra_cases_from_the_environment_match_jsonwebtoken() {
    if let Ok(path) = std::env::var("COMPAT_CASES") {
        replay(
            &std::fs::read_to_string(path).expect("COMPAT_CASES is readable"),
            1,
        );
    }
}
