//! Time spans against the real `ms` 2.1.3 and `jsonwebtoken` 9.0.3: every case of
//! `fixtures/timespan_cases.json`, written by `fixtures/timespan_cases.js` from the npm
//! packages themselves.

use qlik_jwt::Value;
use qlik_jwt::timespan::{ms, timespan};
use serde_json::Value as Json;

fn fixture() -> Json {
    let text = include_str!("fixtures/timespan_cases.json");
    serde_json::from_str(text).expect("fixture is JSON")
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
