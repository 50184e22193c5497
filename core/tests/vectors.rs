//! Replays the shared vectors of `tests/vectors/` (what the real `jsonwebtoken` 9.0.3 does,
//! recorded by the generators beside them) against `qlik_jwt::compat`: the ordinary paths
//! (`sign.json`, `verify.json`, `decode.json`), the odd ones (`edge.json`: coercions, escaping
//! `TypeError`s, check order) and seeded random combinations (`random.json`). Node and Python
//! replay the same files through their bindings.
//!
//! RS*, HS* and `none` tokens must match byte for byte; ES* and PS* tokens (randomized) must
//! have the same header and payload segments and verify, and the recorded token must verify
//! too. Errors must match in class, message and time. Every vector runs, failures are collected
//! and reported together (with their ids), and a panic inside compat counts as a failure of
//! that vector only. The files are read by the shared reader of `support/`.

mod support;

use std::fmt::Write as _;
use std::panic::{self, AssertUnwindSafe};

use base64::Engine as _;
use qlik_jwt::compat;
use qlik_jwt::{Error, Value};
use support::{Json, JsonExt, class_name, to_key, to_value};

// ---------------------------------------------------------------------------------------------
// Comparing outcomes

/// `Object.is`-style equality: `-0` differs from `0`, `NaN` equals `NaN`, member order matters.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan())
        }
        (Value::Array(xs), Value::Array(ys)) => {
            xs.len() == ys.len() && xs.iter().zip(ys).all(|(x, y)| same(x, y))
        }
        (Value::Object(xs), Value::Object(ys)) => {
            xs.len() == ys.len()
                && xs
                    .iter()
                    .zip(ys)
                    .all(|((kx, x), (ky, y))| kx == ky && same(x, y))
        }
        _ => a == b,
    }
}

/// Checks an error against `{class, message, at?}`, the class being the error's `name`
/// (`SyntaxError` and `TypeError` included, which jsonwebtoken lets escape from V8 and jwa).
fn check_error(err: &Error, expected: &Json) -> Result<(), String> {
    let want_class = expected.field("class").str();
    let want_message = expected.field("message").str();
    // `at: null` is an invalid date (`NaN`), which JSON cannot write.
    let want_at = expected
        .get("at")
        .map(|at| if at.is_null() { f64::NAN } else { at.num() });
    let same_at = match (want_at, err.at()) {
        (Some(want), Some(got)) => {
            want.to_bits() == got.to_bits() || (want.is_nan() && got.is_nan())
        }
        (want, got) => want == got,
    };
    let got_class = class_name(err.class());
    if got_class != want_class || err.message() != want_message || !same_at {
        return Err(format!(
            "expected error {want_class}: {want_message:?} at {want_at:?}\n     got error {got_class}: {:?} at {:?} ({})",
            err.message(),
            err.at(),
            err.code()
        ));
    }
    Ok(())
}

fn describe_error(err: &Error) -> String {
    format!(
        "{}: {:?} ({})",
        class_name(err.class()),
        err.message(),
        err.code()
    )
}

fn check_value(got: qlik_jwt::Result<Value>, expect: &Json) -> Result<(), String> {
    match (got, expect.get("result"), expect.get("error")) {
        (Ok(value), Some(want), _) => {
            let want = to_value(want);
            if same(&value, &want) {
                Ok(())
            } else {
                Err(format!("expected {want:?}\n     got {value:?}"))
            }
        }
        (Err(err), _, Some(want)) => check_error(&err, want),
        (Ok(value), None, Some(want)) => {
            Err(format!("expected error {want:?}\n     got {value:?}"))
        }
        (Err(err), Some(want), _) => Err(format!(
            "expected {:?}\n     got error {}",
            to_value(want),
            describe_error(&err)
        )),
        (_, None, None) => Err("vector has neither result nor error".into()),
    }
}

/// Options that make `verify` check only the signature of a token signed with `alg`.
fn signature_only(alg: &str) -> Value {
    Value::Object(vec![
        (
            "algorithms".into(),
            Value::Array(vec![Value::String(alg.into())]),
        ),
        ("ignoreExpiration".into(), Value::Bool(true)),
        ("ignoreNotBefore".into(), Value::Bool(true)),
    ])
}

fn alg_of(token: &str) -> String {
    let header = token.split('.').next().unwrap_or_default();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(header)
        .unwrap_or_default();
    let json: Json = serde_json::from_slice(&bytes).unwrap_or(Json::Null);
    json.get("alg")
        .and_then(Json::as_str)
        .unwrap_or_default()
        .to_owned()
}

fn first_two_segments(token: &str) -> &str {
    token.rfind('.').map_or(token, |i| &token[..i])
}

fn check_sign(vector: &Json) -> Result<(), String> {
    let now_ms = vector.field("now_ms").num();
    let got = compat::sign(
        &to_value(vector.field("payload")),
        &to_key(vector.field("key")),
        &to_value(vector.field("options")),
        now_ms,
    );
    let expect = vector.field("expect");
    let want_token = match (got, expect.get("token"), expect.get("error")) {
        (Err(err), _, Some(want)) => return check_error(&err, want),
        (Ok(token), None, Some(want)) => {
            return Err(format!("expected error {want:?}\n     got token {token}"));
        }
        (Err(err), Some(_), _) => {
            return Err(format!(
                "expected a token\n     got error {}",
                describe_error(&err)
            ));
        }
        (Ok(token), Some(want), _) => (token, want.str().to_owned()),
        (_, None, None) => return Err("vector has neither token nor error".into()),
    };
    let (token, want) = want_token;
    if vector.get("randomized") != Some(&Json::Bool(true)) {
        return if token == want {
            Ok(())
        } else {
            Err(format!("expected token {want}\n     got token {token}"))
        };
    }
    if first_two_segments(&token) != first_two_segments(&want) {
        return Err(format!(
            "expected header.payload {}\n     got {}",
            first_two_segments(&want),
            first_two_segments(&token)
        ));
    }
    let options = signature_only(&alg_of(&want));
    for (whose, t) in [("our", &token), ("jsonwebtoken's", &want)] {
        let key = to_key(vector.field("verify_key"));
        if let Err(err) = compat::verify(&Value::String(t.clone()), &key, &options, now_ms) {
            return Err(format!(
                "{whose} token does not verify: {}",
                describe_error(&err)
            ));
        }
    }
    Ok(())
}

fn check_verify(vector: &Json) -> Result<(), String> {
    let got = compat::verify(
        &to_value(vector.field("token")),
        &to_key(vector.field("key")),
        &to_value(vector.field("options")),
        vector.field("now_ms").num(),
    );
    check_value(got, vector.field("expect"))
}

fn check_decode(vector: &Json) -> Result<(), String> {
    let got = compat::decode(
        &to_value(vector.field("token")),
        &to_value(vector.field("options")),
    );
    check_value(got, vector.field("expect"))
}

// ---------------------------------------------------------------------------------------------
// Running

thread_local! {
    static IN_VECTOR: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// A panic inside one vector is reported with that vector's id, not printed on its own; every
/// other panic (the final assertion included) goes to the default hook. Installed once, as the
/// test threads share the hook.
fn quiet_panics_inside_vectors() {
    static INSTALL: std::sync::Once = std::sync::Once::new();
    INSTALL.call_once(|| {
        let default = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !IN_VECTOR.get() {
                default(info);
            }
        }));
    });
}

/// Checks one vector by its kind, the first part of its id.
fn check(vector: &Json) -> Result<(), String> {
    match vector.field("id").str().split('/').next() {
        Some("sign") => check_sign(vector),
        Some("verify") => check_verify(vector),
        Some("decode") => check_decode(vector),
        other => panic!("vector file: unknown kind {other:?}"),
    }
}

/// Runs every vector of a vector file, each in its own panic boundary, and fails with the ids
/// and differences of all that failed. Returns how many ran.
fn replay(file: &str, min_count: usize) -> usize {
    replay_vectors(file, support::vectors(file), min_count)
}

fn replay_vectors(file: &str, vectors: Vec<Json>, min_count: usize) -> usize {
    assert!(
        vectors.len() >= min_count,
        "{file}: only {} vectors (expected at least {min_count})",
        vectors.len()
    );
    quiet_panics_inside_vectors();
    let mut failures = Vec::new();
    for vector in &vectors {
        let id = vector.field("id").str();
        IN_VECTOR.set(true);
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| check(vector)));
        IN_VECTOR.set(false);
        let outcome = outcome.unwrap_or_else(|payload| {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Err(format!("panicked: {what}"))
        });
        if let Err(diff) = outcome {
            failures.push(format!("{id}\n     {diff}"));
        }
    }
    // VECTORS_SHOW_ALL=1 lists every failure instead of the first 60.
    let shown = if std::env::var_os("VECTORS_SHOW_ALL").is_some() {
        usize::MAX
    } else {
        60
    };
    let report = failures.iter().take(shown).fold(String::new(), |mut s, f| {
        let _ = writeln!(s, "  {f}");
        s
    });
    assert!(
        failures.is_empty(),
        "{file}: {} of {} vectors failed{}:\n{report}",
        failures.len(),
        vectors.len(),
        if failures.len() > shown {
            " (first 60 shown; VECTORS_SHOW_ALL=1 shows all)"
        } else {
            ""
        }
    );
    vectors.len()
}

#[test]
fn sign_vectors_match_jsonwebtoken() {
    replay("sign", 300);
}

#[test]
fn verify_vectors_match_jsonwebtoken() {
    replay("verify", 250);
}

#[test]
fn decode_vectors_match_jsonwebtoken() {
    replay("decode", 50);
}

#[test]
fn edge_vectors_match_jsonwebtoken() {
    replay("edge", 190);
}

#[test]
fn random_vectors_match_jsonwebtoken() {
    replay("random", 600);
}

#[test]
fn every_vector_file_is_replayed() {
    let replayed = ["sign", "verify", "decode", "edge", "random"];
    assert_eq!(support::VECTOR_FILES, replayed);
}

/// A larger random file made with `FUZZ_OUT` (see `tests/vectors/generate-random.js`), when
/// `COMPAT_CASES` names it.
#[test]
fn extra_vectors_from_the_environment_match_jsonwebtoken() {
    if let Ok(path) = std::env::var("COMPAT_CASES") {
        let doc = support::read_path(std::path::Path::new(&path));
        replay_vectors(&path, support::vectors_of(&doc, &path), 1);
    }
}

#[test]
fn the_reader_keeps_order_and_exact_numbers() {
    let json: Json = serde_json::from_str(
        r#"{"b":1,"a":[5e-324,1.7976931348623157e+308,0.1,123456789012345680000],"c":"\u00e9\ud83d\ude00\n"}"#,
    )
    .unwrap();
    let keys: Vec<&str> = json.members().iter().map(|(k, _)| *k).collect();
    assert_eq!(keys, ["b", "a", "c"]);
    let numbers: Vec<f64> = json.field("a").arr().iter().map(JsonExt::num).collect();
    assert_eq!(numbers[0].to_bits(), 1);
    assert_eq!(numbers[1], f64::MAX);
    assert_eq!(numbers[2], 0.1);
    assert_eq!(numbers[3], 123_456_789_012_345_680_000.0);
    assert_eq!(json.field("c").str(), "é😀\n");
    let special: Json = serde_json::from_str(
        r#"[{"$undefined":true},{"$number":"-0"},{"$bytes":"AP8="},{"$regexp":"^a$","flags":"i"}]"#,
    )
    .unwrap();
    let Value::Array(items) = to_value(&special) else {
        panic!("not an array")
    };
    assert_eq!(items[0], Value::Undefined);
    assert!(matches!(items[1], Value::Number(n) if n == 0.0 && n.is_sign_negative()));
    assert_eq!(items[2], Value::Bytes(vec![0, 255]));
    assert_eq!(
        items[3],
        Value::RegExp {
            source: "^a$".into(),
            flags: "i".into()
        }
    );
    assert!(!same(&Value::Number(0.0), &Value::Number(-0.0)));
    assert!(same(&Value::Number(f64::NAN), &Value::Number(f64::NAN)));
}
