//! `sign`, `verify` and `decode`: Python keyword arguments become the `jsonwebtoken` options
//! object (camelCase names, only the options given) and the core does the rest.

use pyo3::prelude::*;
use qlik_jwt::Value;
use qlik_jwt::compat;

use crate::convert::{
    Patterns, now_millis, payload_to_value, seconds, timespan, to_python, to_value,
};
use crate::error::OrRaise;
use crate::keys::key_arg;

/// A `jsonwebtoken` options object under construction.
#[derive(Default)]
struct Options(Vec<(String, Value)>);

impl Options {
    fn set(&mut self, name: &str, value: Value) {
        self.0.push((name.to_owned(), value));
    }

    fn set_text(&mut self, name: &str, value: Option<String>) {
        if let Some(text) = value {
            self.set(name, Value::String(text));
        }
    }

    fn set_flag(&mut self, name: &str, on: bool) {
        if on {
            self.set(name, Value::Bool(true));
        }
    }

    fn into_value(self) -> Value {
        Value::Object(self.0)
    }
}

/// Signs `payload` and returns the compact JWS token, exactly as `jsonwebtoken` 9's
/// `jwt.sign(payload, key, options)` would at the same instant.
///
/// `payload` is a `dict` of claims (a `datetime` under `exp`, `nbf` or `iat` becomes a
/// NumericDate), or a `str`/`bytes` signed as-is. `key` is PEM text, DER bytes, an HMAC secret,
/// a `PrivateKey`, or a JWK `dict`; `passphrase` unlocks an encrypted PEM key. Time spans
/// (`expires_in`, `not_before`) are seconds, `ms`-style strings such as `"5m"`, or
/// `datetime.timedelta`. `now` (seconds since the epoch or a `datetime`) replaces the clock.
///
/// Raises `InvalidKeyError`, `InvalidOptionError`, `InvalidPayloadError` or `QlikRuleError`
/// (all `QlikJwtError`), or `TypeError` for an argument of the wrong type.
#[pyfunction]
#[pyo3(signature = (
    payload, key, *, algorithm = None, expires_in = None, not_before = None, audience = None,
    issuer = None, subject = None, jwtid = None, keyid = None, header = None,
    no_timestamp = false, passphrase = None, allow_insecure_key_sizes = false,
    allow_invalid_asymmetric_key_types = false, now = None
))]
#[allow(clippy::too_many_arguments)] // mirrors the keyword arguments of the Python API
pub fn sign(
    py: Python<'_>,
    payload: &Bound<'_, PyAny>,
    key: &Bound<'_, PyAny>,
    algorithm: Option<String>,
    expires_in: Option<&Bound<'_, PyAny>>,
    not_before: Option<&Bound<'_, PyAny>>,
    audience: Option<&Bound<'_, PyAny>>,
    issuer: Option<String>,
    subject: Option<String>,
    jwtid: Option<String>,
    keyid: Option<String>,
    header: Option<&Bound<'_, PyAny>>,
    no_timestamp: bool,
    passphrase: Option<&Bound<'_, PyAny>>,
    allow_insecure_key_sizes: bool,
    allow_invalid_asymmetric_key_types: bool,
    now: Option<&Bound<'_, PyAny>>,
) -> PyResult<String> {
    let payload = payload_to_value(payload)?;
    let key = key_arg(key, passphrase, "key")?;
    let mut options = Options::default();
    options.set_text("algorithm", algorithm);
    if let Some(span) = expires_in {
        options.set("expiresIn", timespan(span, "expires_in")?);
    }
    if let Some(span) = not_before {
        options.set("notBefore", timespan(span, "not_before")?);
    }
    if let Some(audience) = audience {
        options.set(
            "audience",
            to_value(audience, "audience", Patterns::Refused)?,
        );
    }
    options.set_text("issuer", issuer);
    options.set_text("subject", subject);
    options.set_text("jwtid", jwtid);
    options.set_text("keyid", keyid);
    if let Some(header) = header {
        options.set("header", to_value(header, "header", Patterns::Refused)?);
    }
    options.set_flag("noTimestamp", no_timestamp);
    options.set_flag("allowInsecureKeySizes", allow_insecure_key_sizes);
    options.set_flag(
        "allowInvalidAsymmetricKeyTypes",
        allow_invalid_asymmetric_key_types,
    );
    let options = options.into_value();
    let now_ms = now_millis(now)?;
    py.detach(|| compat::sign(&payload, &key, &options, now_ms))
        .or_raise(py)
}

/// Verifies `token` with `key` and returns its payload (with `complete=True`: a `dict` with
/// `header`, `payload` and `signature`), exactly as `jsonwebtoken` 9's `jwt.verify`.
///
/// `key` takes the forms `sign` takes (a private key verifies with its public half;
/// `passphrase` unlocks an encrypted one). `algorithms` defaults to those that fit the key. `audience` may be a `str`, a compiled
/// `re.Pattern` or a list of them; `issuer` a `str` or list. `leeway` (seconds or
/// `timedelta`) is `clockTolerance`; `max_age` is a time span like `expires_in`. `now`
/// (seconds since the epoch or a `datetime`) replaces the clock (`clockTimestamp`).
///
/// Raises `TokenExpiredError` (with `.expired_at`), `NotBeforeError` (with `.date`) or
/// another `JsonWebTokenError`; `TypeError` for an argument of the wrong type.
#[pyfunction]
#[pyo3(signature = (
    token, key, *, algorithms = None, audience = None, issuer = None, subject = None,
    jwtid = None, nonce = None, leeway = None, max_age = None, ignore_expiration = false,
    ignore_not_before = false, complete = false, allow_invalid_asymmetric_key_types = false,
    passphrase = None, now = None
),
text_signature = "(token, key, *, algorithms=None, audience=None, issuer=None, subject=None, \
    jwtid=None, nonce=None, leeway=0, max_age=None, ignore_expiration=False, \
    ignore_not_before=False, complete=False, allow_invalid_asymmetric_key_types=False, \
    passphrase=None, now=None)")]
#[allow(clippy::too_many_arguments)] // mirrors the keyword arguments of the Python API
pub fn verify<'py>(
    py: Python<'py>,
    token: String,
    key: &Bound<'py, PyAny>,
    algorithms: Option<Vec<String>>,
    audience: Option<&Bound<'py, PyAny>>,
    issuer: Option<&Bound<'py, PyAny>>,
    subject: Option<String>,
    jwtid: Option<String>,
    nonce: Option<String>,
    leeway: Option<&Bound<'py, PyAny>>,
    max_age: Option<&Bound<'py, PyAny>>,
    ignore_expiration: bool,
    ignore_not_before: bool,
    complete: bool,
    allow_invalid_asymmetric_key_types: bool,
    passphrase: Option<&Bound<'py, PyAny>>,
    now: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let key = key_arg(key, passphrase, "key")?;
    let mut options = Options::default();
    if let Some(algorithms) = algorithms {
        options.set(
            "algorithms",
            Value::Array(algorithms.into_iter().map(Value::String).collect()),
        );
    }
    if let Some(audience) = audience {
        options.set(
            "audience",
            to_value(audience, "audience", Patterns::Allowed)?,
        );
    }
    if let Some(issuer) = issuer {
        options.set("issuer", to_value(issuer, "issuer", Patterns::Refused)?);
    }
    options.set_text("subject", subject);
    options.set_text("jwtid", jwtid);
    options.set_text("nonce", nonce);
    if let Some(leeway) = leeway {
        options.set("clockTolerance", Value::Number(seconds(leeway, "leeway")?));
    }
    if let Some(span) = max_age {
        options.set("maxAge", timespan(span, "max_age")?);
    }
    options.set_flag("ignoreExpiration", ignore_expiration);
    options.set_flag("ignoreNotBefore", ignore_not_before);
    options.set_flag("complete", complete);
    options.set_flag(
        "allowInvalidAsymmetricKeyTypes",
        allow_invalid_asymmetric_key_types,
    );
    let options = options.into_value();
    let token = Value::String(token);
    let now_ms = now_millis(now)?;
    let verified = py
        .detach(|| compat::verify(&token, &key, &options, now_ms))
        .or_raise(py)?;
    to_python(py, &verified)
}

/// Decodes `token` without verifying it, as `jsonwebtoken`'s `jwt.decode`: the payload (with
/// `complete=True`: a `dict` with `header`, `payload` and `signature`), or `None` when `token`
/// is not a JWT. `json=True` parses the payload as JSON even without `typ: "JWT"`. Never trust
/// a decoded payload before `verify`.
#[pyfunction]
#[pyo3(signature = (token, *, complete = false, json = false))]
pub fn decode<'py>(
    py: Python<'py>,
    token: String,
    complete: bool,
    json: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let mut options = Options::default();
    options.set_flag("complete", complete);
    options.set_flag("json", json);
    let decoded = compat::decode(&Value::String(token), &options.into_value()).or_raise(py)?;
    to_python(py, &decoded)
}
