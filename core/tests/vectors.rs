//! Replays the shared vectors of `tests/vectors/` (what the real `jsonwebtoken` 9.0.3 does,
//! recorded by `tests/vectors/generate.js`) against `qlik_jwt::compat`.
//!
//! RS*, HS* and `none` tokens must match byte for byte; ES* and PS* tokens (randomized) must
//! have the same header and payload segments and verify, and the recorded token must verify
//! too. Errors must match in class, message and time. Every vector runs, failures are collected
//! and reported together (with their ids), and a panic inside compat counts as a failure of
//! that vector only. The format is described in `tests/vectors/README.md`.

use std::fmt::Write as _;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use base64::Engine as _;
use qlik_jwt::compat::{self, KeyArg};
use qlik_jwt::{Error, ErrorClass, Value};

fn repo_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn keys_dir() -> PathBuf {
    repo_dir().join("tests").join("keys")
}

// ---------------------------------------------------------------------------------------------
// A small JSON reader: keeps member order and parses numbers with a correctly rounding parser
// (the vectors carry doubles such as 5e-324 and 1.7976931348623157e308 that must arrive exact).

#[derive(Debug, Clone, PartialEq)]
enum Json {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Arr(Vec<Json>),
    Obj(Vec<(String, Json)>),
}

impl Json {
    fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Obj(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    fn field(&self, key: &str) -> &Json {
        self.get(key)
            .unwrap_or_else(|| panic!("vector file: missing field {key:?}"))
    }

    fn str(&self) -> &str {
        match self {
            Json::Str(s) => s,
            other => panic!("vector file: expected a string, found {other:?}"),
        }
    }

    fn num(&self) -> f64 {
        match self {
            Json::Num(n) => *n,
            other => panic!("vector file: expected a number, found {other:?}"),
        }
    }

    fn arr(&self) -> &[Json] {
        match self {
            Json::Arr(items) => items,
            other => panic!("vector file: expected an array, found {other:?}"),
        }
    }

    fn members(&self) -> &[(String, Json)] {
        match self {
            Json::Obj(members) => members,
            other => panic!("vector file: expected an object, found {other:?}"),
        }
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn parse(text: &str) -> Result<Json, String> {
        let mut reader = Reader {
            bytes: text.as_bytes(),
            pos: 0,
        };
        let value = reader.value()?;
        reader.skip_ws();
        if reader.pos != reader.bytes.len() {
            return Err(format!("trailing characters at byte {}", reader.pos));
        }
        Ok(value)
    }

    fn skip_ws(&mut self) {
        while matches!(self.bytes.get(self.pos), Some(b' ' | b'\n' | b'\r' | b'\t')) {
            self.pos += 1;
        }
    }

    fn expect(&mut self, byte: u8) -> Result<(), String> {
        self.skip_ws();
        if self.bytes.get(self.pos) == Some(&byte) {
            self.pos += 1;
            Ok(())
        } else {
            Err(format!("expected {:?} at byte {}", byte as char, self.pos))
        }
    }

    fn literal(&mut self, word: &str, value: Json) -> Result<Json, String> {
        if self.bytes[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(value)
        } else {
            Err(format!("bad literal at byte {}", self.pos))
        }
    }

    fn value(&mut self) -> Result<Json, String> {
        self.skip_ws();
        match self.bytes.get(self.pos) {
            Some(b'{') => self.object(),
            Some(b'[') => self.array(),
            Some(b'"') => self.string().map(Json::Str),
            Some(b't') => self.literal("true", Json::Bool(true)),
            Some(b'f') => self.literal("false", Json::Bool(false)),
            Some(b'n') => self.literal("null", Json::Null),
            Some(_) => self.number(),
            None => Err("unexpected end".into()),
        }
    }

    fn object(&mut self) -> Result<Json, String> {
        self.expect(b'{')?;
        let mut members = Vec::new();
        self.skip_ws();
        if self.bytes.get(self.pos) == Some(&b'}') {
            self.pos += 1;
            return Ok(Json::Obj(members));
        }
        loop {
            self.skip_ws();
            let key = self.string()?;
            self.expect(b':')?;
            members.push((key, self.value()?));
            self.skip_ws();
            match self.bytes.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Json::Obj(members));
                }
                _ => return Err(format!("expected , or }} at byte {}", self.pos)),
            }
        }
    }

    fn array(&mut self) -> Result<Json, String> {
        self.expect(b'[')?;
        let mut items = Vec::new();
        self.skip_ws();
        if self.bytes.get(self.pos) == Some(&b']') {
            self.pos += 1;
            return Ok(Json::Arr(items));
        }
        loop {
            items.push(self.value()?);
            self.skip_ws();
            match self.bytes.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Json::Arr(items));
                }
                _ => return Err(format!("expected , or ] at byte {}", self.pos)),
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, String> {
        let digits = self
            .bytes
            .get(self.pos..self.pos + 4)
            .ok_or("short \\u escape")?;
        let text = std::str::from_utf8(digits).map_err(|e| e.to_string())?;
        self.pos += 4;
        u32::from_str_radix(text, 16).map_err(|e| e.to_string())
    }

    fn string(&mut self) -> Result<String, String> {
        self.expect(b'"')?;
        let mut out = String::new();
        loop {
            let start = self.pos;
            while !matches!(self.bytes.get(self.pos), Some(b'"' | b'\\') | None) {
                self.pos += 1;
            }
            out.push_str(
                std::str::from_utf8(&self.bytes[start..self.pos]).map_err(|e| e.to_string())?,
            );
            match self.bytes.get(self.pos) {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    let escape = *self.bytes.get(self.pos + 1).ok_or("unterminated escape")?;
                    self.pos += 2;
                    match escape {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let first = self.hex4()?;
                            let code = if (0xd800..0xdc00).contains(&first)
                                && self.bytes[self.pos..].starts_with(b"\\u")
                            {
                                self.pos += 2;
                                let second = self.hex4()?;
                                0x10000 + ((first - 0xd800) << 10) + (second - 0xdc00)
                            } else {
                                first
                            };
                            out.push(char::from_u32(code).ok_or("lone surrogate in vector file")?);
                        }
                        other => return Err(format!("bad escape \\{}", other as char)),
                    }
                }
                _ => return Err("unterminated string".into()),
            }
        }
    }

    fn number(&mut self) -> Result<Json, String> {
        let start = self.pos;
        while matches!(
            self.bytes.get(self.pos),
            Some(b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
        ) {
            self.pos += 1;
        }
        let text = std::str::from_utf8(&self.bytes[start..self.pos]).map_err(|e| e.to_string())?;
        text.parse::<f64>()
            .map(Json::Num)
            .map_err(|_| format!("bad number {text:?} at byte {start}"))
    }
}

// ---------------------------------------------------------------------------------------------
// Vector files -> compat arguments

struct VectorFile {
    vectors: Vec<Json>,
}

fn load(name: &str) -> VectorFile {
    let path = repo_dir().join("tests").join("vectors").join(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let doc = Reader::parse(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(
        doc.field("jsonwebtoken").str(),
        "9.0.3",
        "{name}: oracle version"
    );
    let vectors = doc.field("vectors").arr().to_vec();
    let count = doc.field("count").num();
    assert_eq!(
        vectors.len() as f64,
        count,
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
             (npm ci --prefix tests/vectors && node tests/vectors/generate.js)"
        );
    }
    VectorFile { vectors }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// The vector form of a JavaScript value -> `Value`.
fn to_value(json: &Json) -> Value {
    match json {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(*b),
        Json::Num(n) => Value::Number(*n),
        Json::Str(s) => Value::String(s.clone()),
        Json::Arr(items) => Value::Array(items.iter().map(to_value).collect()),
        Json::Obj(members) => {
            if let Some((key, inner)) = members.first().filter(|(k, _)| k.starts_with('$')) {
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

/// A key argument as a JavaScript caller would hand it over.
fn to_key(json: &Json) -> KeyArg {
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

/// jsonwebtoken's reading of a plain value as a key: falsy is missing, a string or `Buffer` is
/// key material, anything else is invalid.
fn value_as_key(value: Value) -> KeyArg {
    match value {
        Value::Undefined | Value::Null | Value::Bool(false) => KeyArg::Missing,
        Value::Number(n) if n == 0.0 || n.is_nan() => KeyArg::Missing,
        Value::String(s) if s.is_empty() => KeyArg::Missing,
        Value::String(s) => KeyArg::Text(s),
        Value::Bytes(b) => KeyArg::Bytes(b),
        Value::Number(_) => KeyArg::Invalid("number".into()),
        Value::Bool(true) => KeyArg::Invalid("boolean".into()),
        Value::Array(_) | Value::Object(_) | Value::RegExp { .. } => {
            KeyArg::Invalid("object".into())
        }
        Value::Other(name) => KeyArg::Invalid(name),
    }
}

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

fn class_name(class: ErrorClass) -> &'static str {
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

/// Checks an error against `{class, message, at?}`, the class being the error's `name`
/// (`SyntaxError` and `TypeError` included, which jsonwebtoken lets escape from V8 and jwa).
fn check_error(err: &Error, expected: &Json) -> Result<(), String> {
    let want_class = expected.field("class").str();
    let want_message = expected.field("message").str();
    let want_at = expected.get("at").map(Json::num);
    let got_class = class_name(err.class());
    if got_class != want_class || err.message() != want_message || err.at() != want_at {
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
    let json = Reader::parse(&String::from_utf8_lossy(&bytes)).unwrap_or(Json::Null);
    json.get("alg")
        .map(|a| a.str().to_owned())
        .unwrap_or_default()
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

/// Runs `check` on every vector of `file`, each in its own panic boundary, and fails with the
/// ids and differences of all that failed. Returns how many ran.
fn replay(file: &str, min_count: usize, check: fn(&Json) -> Result<(), String>) -> usize {
    let VectorFile { vectors } = load(file);
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
    replay("sign.json", 300, check_sign);
}

#[test]
fn verify_vectors_match_jsonwebtoken() {
    replay("verify.json", 250, check_verify);
}

#[test]
fn decode_vectors_match_jsonwebtoken() {
    replay("decode.json", 50, check_decode);
}

#[test]
fn reader_keeps_order_and_exact_numbers() {
    let json = Reader::parse(
        r#"{"b":1,"a":[5e-324,1.7976931348623157e+308,0.1,-0],"c":"\u00e9\ud83d\ude00\n"}"#,
    )
    .unwrap();
    let keys: Vec<&str> = json.members().iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys, ["b", "a", "c"]);
    let numbers: Vec<f64> = json.field("a").arr().iter().map(Json::num).collect();
    assert_eq!(numbers[0].to_bits(), 1);
    assert_eq!(numbers[1], f64::MAX);
    assert_eq!(numbers[2], 0.1);
    assert!(numbers[3].is_sign_negative());
    assert_eq!(json.field("c").str(), "é😀\n");
    let special = to_value(&Reader::parse(r#"[{"$undefined":true},{"$number":"-0"},{"$bytes":"AP8="},{"$regexp":"^a$","flags":"i"}]"#).unwrap());
    let Value::Array(items) = special else {
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
