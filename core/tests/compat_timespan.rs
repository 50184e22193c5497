//! Time spans against the real `ms` 2.1.3 and `jsonwebtoken` 9.0.3: every case of
//! `tests/vectors/timespan.json`, written by `tests/vectors/generate-timespan.js` from the npm
//! packages themselves. Here through the core's `ms` and `timespan`; Node and Python replay the
//! same file through `sign`'s `expiresIn`.

mod support;

use qlik_jwt::Value;
use qlik_jwt::compat::{self, KeyArg};
use qlik_jwt::timespan::{ms, timespan};
use support::{Json, JsonExt};

fn fixture() -> Json {
    support::read("timespan.json")
}

#[test]
fn every_string_matches_ms_and_jsonwebtoken() {
    let fixture = fixture();
    let iat = Value::Number(fixture["iat"].as_f64().unwrap());
    let cases = fixture["strings"].as_array().unwrap();
    assert!(cases.len() > 150, "the fixture lost its cases");
    for case in cases {
        let input = case["input"].as_str().unwrap();
        let expected_ms = case["ms"].as_f64();
        let expected_span = case["timespan"].as_f64();
        let got_span = timespan(&Value::String(input.into()), &iat, 0.0);
        if let Some(message) = case["timespanError"].as_str() {
            assert_eq!(
                got_span.unwrap_err().message(),
                message,
                "timespan({input:?})"
            );
            assert_eq!(case["msError"].as_str(), Some(message));
            continue;
        }
        assert_eq!(ms(input), expected_ms, "ms({input:?})");
        assert_eq!(got_span.unwrap(), expected_span, "timespan({input:?}, iat)");
    }
}

/// Each span as `sign`'s `expiresIn`, whose own checks come first: the `exp` jsonwebtoken
/// wrote, or its error (the same replay as Node's and Python's).
#[test]
fn every_span_as_expires_in_signs_as_jsonwebtoken() {
    let fixture = fixture();
    let iat = fixture.field("iat").num();
    let payload = Value::Object(vec![("iat".into(), Value::Number(iat))]);
    let key = KeyArg::Text("timespan secret".into());
    let cases = fixture.field("strings").arr().iter();
    for case in cases.chain(fixture.field("numbers").arr()) {
        let input = support::to_value(case.field("input"));
        let options = Value::Object(vec![("expiresIn".into(), input.clone())]);
        let signed = compat::sign(&payload, &key, &options, iat * 1000.0);
        let expected = case.field("sign");
        if let Some(message) = expected.get("error") {
            let error = signed.expect_err(&format!("expiresIn {input:?} must fail"));
            assert_eq!(error.message(), message.str(), "expiresIn {input:?}");
            continue;
        }
        let token = signed.unwrap_or_else(|e| panic!("expiresIn {input:?}: {}", e.message()));
        let claims = compat::decode(&Value::String(token), &Value::Undefined).unwrap();
        assert_eq!(
            claims.get("exp").as_f64(),
            Some(expected.field("exp").num()),
            "expiresIn {input:?}"
        );
    }
}

#[test]
fn numbers_are_added_to_iat() {
    let fixture = fixture();
    let iat = Value::Number(fixture["iat"].as_f64().unwrap());
    for case in fixture["numbers"].as_array().unwrap() {
        let input = case["input"].as_f64().unwrap();
        let got = timespan(&Value::Number(input), &iat, 0.0).unwrap();
        assert_eq!(got, case["timespan"].as_f64(), "timespan({input})");
    }
}

#[test]
fn other_types_are_not_timespans() {
    let iat = Value::Number(1.0);
    for input in [
        Value::Bool(true),
        Value::Null,
        Value::Object(vec![]),
        Value::Array(vec![]),
    ] {
        assert_eq!(timespan(&input, &iat, 0.0).unwrap(), None, "{input:?}");
    }
    let others = fixture()["others"].as_array().unwrap().clone();
    assert_eq!(others.len(), 4);
    assert!(
        others.iter().all(|case| case["timespan"].is_null()),
        "jsonwebtoken: {others:?}"
    );
}
