//! The one reader of the shared test files of `tests/vectors/` for the Rust tests (their format
//! is `tests/vectors/README.md`). Files are parsed with `serde_json`, never with the crate's own
//! JSON parser, which some of them test; member order is kept and numbers are read with correct
//! rounding (`preserve_order` and `float_roundtrip`), as the vectors carry doubles such as
//! `5e-324` that must arrive exact.
//!
//! Each test crate uses a part of it.
#![allow(dead_code)]

pub mod cli;
pub mod proxy;
pub mod scripted;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use qlik_jwt::compat::KeyArg;
use qlik_jwt::{ErrorClass, Value};

pub use serde_json::Value as Json;

/// The files of jsonwebtoken's sign/verify/decode outcomes; a vector's kind is the first part
/// of its id.
pub const VECTOR_FILES: [&str; 5] = ["sign", "verify", "decode", "edge", "random"];

pub fn repo_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

pub fn keys_dir() -> PathBuf {
    repo_dir().join("tests").join("keys")
}

/// A file of `tests/vectors/`, parsed.
pub fn read(name: &str) -> Json {
    read_path(&repo_dir().join("tests").join("vectors").join(name))
}

pub fn read_path(path: &Path) -> Json {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&lone_surrogates_replaced(&text))
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The JSON text with each `\uXXXX` escape of a lone UTF-16 surrogate written as `\ufffd`.
/// `JSON.stringify` writes lone surrogates so (V8 quotes them in some messages), `serde_json`
/// refuses them, and a Rust string cannot hold one: it becomes U+FFFD, as in the core.
fn lone_surrogates_replaced(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains("\\u") {
        return text.into();
    }
    let unit = |at: usize| -> Option<u16> {
        let digits = text.get(at + 2..at + 6)?;
        (text.get(at..at + 2)? == "\\u")
            .then(|| u16::from_str_radix(digits, 16).ok())
            .flatten()
    };
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let (mut at, mut copied) = (0, 0);
    while at < bytes.len() {
        if bytes[at] != b'\\' {
            at += 1;
            continue;
        }
        let Some(first) = unit(at) else {
            at += 2; // any other escape, `\\` included
            continue;
        };
        let paired = (0xD800..0xDC00).contains(&first)
            && unit(at + 6).is_some_and(|second| (0xDC00..0xE000).contains(&second));
        if paired {
            at += 12;
        } else if (0xD800..0xE000).contains(&first) {
            out.push_str(&text[copied..at]);
            out.push_str("\\ufffd");
            at += 6;
            copied = at;
        } else {
            at += 6;
        }
    }
    if copied == 0 {
        return text.into();
    }
    out.push_str(&text[copied..]);
    out.into()
}

/// The vectors of one vector file (a name of [`VECTOR_FILES`]), after the checks the format
/// lets a reader make: the oracle's version, the recorded count and the key files' digests.
pub fn vectors(name: &str) -> Vec<Json> {
    vectors_of(&read(&format!("{name}.json")), name)
}

/// [`vectors`] of a document read from anywhere (a larger generated file).
pub fn vectors_of(doc: &Json, name: &str) -> Vec<Json> {
    assert_eq!(
        doc.field("jsonwebtoken").str(),
        "9.0.3",
        "{name}: oracle version"
    );
    let vectors = doc.field("vectors").arr().to_vec();
    assert_eq!(
        vectors.len() as f64,
        doc.field("count").num(),
        "{name}: vectors read versus the count recorded"
    );
    for (file, digest) in doc.field("keys_sha256").members() {
        let bytes = std::fs::read(keys_dir().join(file))
            .unwrap_or_else(|e| panic!("{name}: key file {file}: {e}"));
        let actual = hex(aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, &bytes).as_ref());
        assert_eq!(
            &actual,
            digest.str(),
            "{name}: tests/keys/{file} changed since the vectors were made: regenerate them \
             (see tests/vectors/README.md)"
        );
    }
    vectors
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// Typed access that names what a malformed file lacks.
pub trait JsonExt {
    fn field(&self, key: &str) -> &Json;
    fn str(&self) -> &str;
    fn num(&self) -> f64;
    fn arr(&self) -> &[Json];
    fn members(&self) -> Vec<(&str, &Json)>;
}

impl JsonExt for Json {
    fn field(&self, key: &str) -> &Json {
        self.get(key)
            .unwrap_or_else(|| panic!("vector file: missing field {key:?}"))
    }

    fn str(&self) -> &str {
        self.as_str()
            .unwrap_or_else(|| panic!("vector file: expected a string, found {self}"))
    }

    fn num(&self) -> f64 {
        self.as_f64()
            .unwrap_or_else(|| panic!("vector file: expected a number, found {self}"))
    }

    fn arr(&self) -> &[Json] {
        self.as_array()
            .unwrap_or_else(|| panic!("vector file: expected an array, found {self}"))
    }

    fn members(&self) -> Vec<(&str, &Json)> {
        self.as_object()
            .unwrap_or_else(|| panic!("vector file: expected an object, found {self}"))
            .iter()
            .map(|(k, v)| (k.as_str(), v))
            .collect()
    }
}

/// The vector form of a JavaScript value -> `Value` (plain JSON, or a `{"$...": ...}` form for
/// what JSON cannot say).
pub fn to_value(json: &Json) -> Value {
    match json {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) => Value::Number(n.as_f64().expect("a JSON number is a double")),
        Json::String(s) => Value::String(s.clone()),
        Json::Array(items) => Value::Array(items.iter().map(to_value).collect()),
        Json::Object(members) => {
            if let Some((key, inner)) = members.iter().next().filter(|(k, _)| k.starts_with('$')) {
                return match key.as_str() {
                    "$undefined" => Value::Undefined,
                    "$number" => Value::Number(match inner.str() {
                        "NaN" => f64::NAN,
                        "Infinity" => f64::INFINITY,
                        "-Infinity" => f64::NEG_INFINITY,
                        "-0" => -0.0,
                        other => panic!("vector file: unknown $number {other}"),
                    }),
                    "$bytes" => Value::Bytes(
                        base64::engine::general_purpose::STANDARD
                            .decode(inner.str())
                            .expect("vector file: $bytes is not base64"),
                    ),
                    "$regexp" => Value::RegExp {
                        source: inner.str().to_owned(),
                        flags: json.field("flags").str().to_owned(),
                    },
                    other => panic!("vector file: unknown special form {other}"),
                };
            }
            Value::Object(
                members
                    .iter()
                    .map(|(k, v)| (k.clone(), to_value(v)))
                    .collect(),
            )
        }
    }
}

/// A key description -> the key argument a JavaScript caller hands over.
pub fn to_key(json: &Json) -> KeyArg {
    let read = || {
        let file = json.field("file").str();
        std::fs::read(keys_dir().join(file)).unwrap_or_else(|e| panic!("key file {file}: {e}"))
    };
    let read_text = || String::from_utf8(read()).expect("key file is not UTF-8");
    match json.field("kind").str() {
        "text" => KeyArg::Text(read_text()),
        "buffer" => KeyArg::Bytes(read()),
        "passphrase" => KeyArg::WithPassphrase {
            key: read(),
            passphrase: json.field("passphrase").str().as_bytes().to_vec(),
        },
        "jwk" => KeyArg::Jwk(read_text()),
        "value" => value_as_key(to_value(json.field("value"))),
        other => panic!("vector file: unknown key kind {other}"),
    }
}

/// A plain value as the key argument, as the Node binding passes it: `undefined` and `null`
/// are no key, another falsy value is [`KeyArg::Falsy`] (jsonwebtoken tells it from `null`
/// with `algorithm: 'none'`), a string or `Buffer` is key material, anything else is invalid.
pub fn value_as_key(value: Value) -> KeyArg {
    match value {
        Value::Undefined | Value::Null => KeyArg::Missing,
        Value::String(s) => KeyArg::Text(s),
        Value::Bytes(b) => KeyArg::Bytes(b),
        v if !v.is_truthy() => KeyArg::Falsy(v.type_of().to_owned()),
        other => KeyArg::Invalid(other.type_of().to_owned()),
    }
}

/// An error class as jsonwebtoken names it (`name`).
pub fn class_name(class: ErrorClass) -> &'static str {
    match class {
        ErrorClass::Error => "Error",
        ErrorClass::JsonWebToken => "JsonWebTokenError",
        ErrorClass::TokenExpired => "TokenExpiredError",
        ErrorClass::NotBefore => "NotBeforeError",
        ErrorClass::Syntax => "SyntaxError",
        ErrorClass::Type => "TypeError",
        _ => "(unknown class)",
    }
}
