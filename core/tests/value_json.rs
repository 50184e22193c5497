//! `Value::from_json_str` and `Value::to_json_string` against V8: `tests/vectors/json-parse.json`
//! holds what Node's `JSON.parse` makes of seeded random texts (re-serialized with
//! `JSON.stringify`), or its `SyntaxError` message; `tests/vectors/generate-json-parse.js` writes
//! it. Rust-only: the parser under test is the core's own, which the bindings do not expose. The
//! file itself is read with `serde_json` (the shared reader of `support/`), not with that parser.

mod support;

use qlik_jwt::Value;
use support::{Json, JsonExt};

/// JSON text with a `\udXXX` escape of a lone surrogate, which a Rust string cannot hold.
fn has_lone_surrogate_escape(json: &str) -> bool {
    json.match_indices("\\ud")
        .any(|(at, _)| json[at + 3..].starts_with(['8', '9', 'a', 'b', 'c', 'd', 'e', 'f']))
}

#[test]
fn parse_and_stringify_match_v8() {
    check(&support::read("json-parse.json"), 2000);
}

/// A larger file made with `FUZZ_SEED`/`FUZZ_COUNT`/`FUZZ_OUT` (see the generator), when
/// `JSON_CASES` names it.
#[test]
fn extra_cases_from_the_environment_match_v8() {
    if let Ok(path) = std::env::var("JSON_CASES") {
        check(&support::read_path(std::path::Path::new(&path)), 1);
    }
}

fn check(fixture: &Json, min_cases: usize) {
    let cases = fixture.field("cases").arr();
    assert_eq!(cases.len() as f64, fixture.field("count").num());
    assert!(cases.len() >= min_cases);
    let mut failures = Vec::new();
    for case in cases {
        let text = case.field("text").str();
        let got = Value::from_json_str(text);
        let error = case.get("error").and_then(Json::as_str);
        let json = case.get("json").and_then(Json::as_str);
        match (got, error, json) {
            (Err(err), Some(message), _) if err.message() == message => {}
            (Ok(value), None, Some(json)) => {
                let ours = value.to_json_string().unwrap();
                if ours != json && !has_lone_surrogate_escape(json) {
                    failures.push(format!("{text:?}: stringify {ours} want {json}"));
                }
            }
            (got, error, json) => failures.push(format!(
                "{text:?}: got {:?}, want {error:?} {json:?}",
                got.map(|v| v.to_json_string().unwrap_or_default())
                    .map_err(|e| e.message().to_owned()),
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
