//! `Value::from_json_str` and `Value::to_json_string` against V8: `fixtures/json_parse_cases.json`
//! holds what Node's `JSON.parse` makes of seeded random texts (re-serialized with
//! `JSON.stringify`), or its `SyntaxError` message; `fixtures/json_parse_cases.js` writes it.

use qlik_jwt::Value;

/// JSON text with a `\udXXX` escape of a lone surrogate, which a Rust string cannot hold.
fn has_lone_surrogate_escape(json: &str) -> bool {
    json.match_indices("\\ud")
        .any(|(at, _)| json[at + 3..].starts_with(['8', '9', 'a', 'b', 'c', 'd', 'e', 'f']))
}

#[test]
fn parse_and_stringify_match_v8() {
    check(include_str!("fixtures/json_parse_cases.json"), 2000);
}

/// A larger file made with `FUZZ_SEED`/`FUZZ_COUNT`/`FUZZ_OUT` (see the generator), when
/// `JSON_CASES` names it.
#[test]
fn extra_cases_from_the_environment_match_v8() {
    if let Ok(path) = std::env::var("JSON_CASES") {
        check(
            &std::fs::read_to_string(path).expect("JSON_CASES is readable"),
            1,
        );
    }
}

fn check(fixture_text: &str, min_cases: usize) {
    let fixture = Value::from_json_str(fixture_text).unwrap();
    let Value::Array(cases) = fixture.get("cases") else {
        panic!("no cases")
    };
    assert_eq!(Some(cases.len() as f64), fixture.get("count").as_f64());
    assert!(cases.len() >= min_cases);
    let mut failures = Vec::new();
    for case in cases {
        let text = case.get("text").as_str().unwrap();
        let got = Value::from_json_str(text);
        match (got, case.get("error"), case.get("json")) {
            (Err(err), Value::String(message), _) if err.message() == message => {}
            (Ok(value), Value::Undefined, Value::String(json)) => {
                let ours = value.to_json_string().unwrap();
                if ours != *json && !has_lone_surrogate_escape(json) {
                    failures.push(format!("{text:?}: stringify {ours} want {json}"));
                }
            }
            (got, error, json) => failures.push(format!(
                "{text:?}: got {:?}, want {} {}",
                got.map(|v| v.to_json_string().unwrap_or_default())
                    .map_err(|e| e.message().to_owned()),
                error.to_json_string().unwrap_or_default(),
                json.to_json_string().unwrap_or_default()
            )),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} differ from V8:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
