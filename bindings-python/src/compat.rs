//! `sign`, `verify` and `decode`: Python keyword arguments become the `jsonwebtoken` options
//! object (camelCase names, only the options given) and the core does the rest.

use pyo3::prelude::*;
use qlik_jwt::Value;
use qlik_jwt::drop_in::{self, KeyArg};

use crate::convert::{
    Patterns, flag, now_millis, optional_text, payload_to_value, seconds, text, texts, timespan,
    to_python, to_value,
};
use crate::error::{OrRaise, guarded};
use crate::keys::key_arg;

/// Runs `work` with the GIL released when the key makes that worth it
/// ([`KeyArg::worth_another_thread`]): other threads run during an RSA or EC signature, while a
/// secret's MAC is over sooner than the GIL could change hands twice.
fn with_gil_released_if_worth_it<T: Send>(
    py: Python<'_>,
    key: &KeyArg,
    work: impl FnOnce() -> T + Send,
) -> T {
    if key.worth_another_thread() {
        py.detach(work)
    } else {
        work()
    }
}

/// An optional argument that was given (`None` counts as not given).
fn given<'a, 'py>(obj: Option<&'a Bound<'py, PyAny>>) -> Option<&'a Bound<'py, PyAny>> {
    obj.filter(|o| !o.is_none())
}

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
/// NumericDate), or a `str`/`bytes` signed as-is. `key` is PEM text or bytes (anything else is
/// an HMAC secret, as in `jsonwebtoken`), a `PrivateKey` (which also reads DER), or a JWK `dict`;
/// `passphrase` unlocks an encrypted PEM key. Time spans
/// (`expires_in`, `not_before`) are seconds, `ms`-style strings such as `"5m"`, or
/// `datetime.timedelta`. `now` (seconds since the epoch or a `datetime`) replaces the clock.
///
/// Raises `InvalidKeyError`, `InvalidOptionError`, `InvalidPayloadError` or `QlikRuleError`
/// (all `QlikJwtError`), or `TypeError` for an argument of the wrong type.
#[pyfunction]
#[pyo3(signature = (
    payload, key, *, algorithm = None, expires_in = None, not_before = None, audience = None,
    issuer = None, subject = None, jwtid = None, keyid = None, header = None,
    no_timestamp = None, passphrase = None, allow_insecure_key_sizes = None,
    allow_invalid_asymmetric_key_types = None, now = None
),
text_signature = "(payload, key, *, algorithm=None, expires_in=None, not_before=None, \
    audience=None, issuer=None, subject=None, jwtid=None, keyid=None, header=None, \
    no_timestamp=False, passphrase=None, allow_insecure_key_sizes=False, \
    allow_invalid_asymmetric_key_types=False, now=None)")]
#[allow(clippy::too_many_arguments)] // mirrors the keyword arguments of the Python API
pub fn sign(
    py: Python<'_>,
    payload: &Bound<'_, PyAny>,
    key: &Bound<'_, PyAny>,
    algorithm: Option<&Bound<'_, PyAny>>,
    expires_in: Option<&Bound<'_, PyAny>>,
    not_before: Option<&Bound<'_, PyAny>>,
    audience: Option<&Bound<'_, PyAny>>,
    issuer: Option<&Bound<'_, PyAny>>,
    subject: Option<&Bound<'_, PyAny>>,
    jwtid: Option<&Bound<'_, PyAny>>,
    keyid: Option<&Bound<'_, PyAny>>,
    header: Option<&Bound<'_, PyAny>>,
    no_timestamp: Option<&Bound<'_, PyAny>>,
    passphrase: Option<&Bound<'_, PyAny>>,
    allow_insecure_key_sizes: Option<&Bound<'_, PyAny>>,
    allow_invalid_asymmetric_key_types: Option<&Bound<'_, PyAny>>,
    now: Option<&Bound<'_, PyAny>>,
) -> PyResult<String> {
    let payload = payload_to_value(payload)?;
    let key = key_arg(key, passphrase, "key")?;
    let mut options = Options::default();
    options.set_text("algorithm", optional_text(algorithm, "algorithm")?);
    if let Some(span) = given(expires_in) {
        options.set("expiresIn", timespan(span, "expires_in")?);
    }
    if let Some(span) = given(not_before) {
        options.set("notBefore", timespan(span, "not_before")?);
    }
    if let Some(audience) = given(audience) {
        options.set(
            "audience",
            to_value(audience, "audience", Patterns::Refused)?,
        );
    }
    options.set_text("issuer", optional_text(issuer, "issuer")?);
    options.set_text("subject", optional_text(subject, "subject")?);
    options.set_text("jwtid", optional_text(jwtid, "jwtid")?);
    options.set_text("keyid", optional_text(keyid, "keyid")?);
    if let Some(header) = given(header) {
        options.set("header", to_value(header, "header", Patterns::Refused)?);
    }
    options.set_flag("noTimestamp", flag(no_timestamp, "no_timestamp", false)?);
    options.set_flag(
        "allowInsecureKeySizes",
        flag(allow_insecure_key_sizes, "allow_insecure_key_sizes", false)?,
    );
    options.set_flag(
        "allowInvalidAsymmetricKeyTypes",
        flag(
            allow_invalid_asymmetric_key_types,
            "allow_invalid_asymmetric_key_types",
            false,
        )?,
    );
    let options = options.into_value();
    let now_ms = now_millis(given(now))?;
    with_gil_released_if_worth_it(py, &key, || {
        guarded(|| drop_in::sign(&payload, &key, &options, now_ms))
    })
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
    jwtid = None, nonce = None, leeway = None, max_age = None, ignore_expiration = None,
    ignore_not_before = None, complete = None, allow_invalid_asymmetric_key_types = None,
    passphrase = None, now = None
),
text_signature = "(token, key, *, algorithms=None, audience=None, issuer=None, subject=None, \
    jwtid=None, nonce=None, leeway=0, max_age=None, ignore_expiration=False, \
    ignore_not_before=False, complete=False, allow_invalid_asymmetric_key_types=False, \
    passphrase=None, now=None)")]
#[allow(clippy::too_many_arguments)] // mirrors the keyword arguments of the Python API
pub fn verify<'py>(
    py: Python<'py>,
    token: &Bound<'py, PyAny>,
    key: &Bound<'py, PyAny>,
    algorithms: Option<&Bound<'py, PyAny>>,
    audience: Option<&Bound<'py, PyAny>>,
    issuer: Option<&Bound<'py, PyAny>>,
    subject: Option<&Bound<'py, PyAny>>,
    jwtid: Option<&Bound<'py, PyAny>>,
    nonce: Option<&Bound<'py, PyAny>>,
    leeway: Option<&Bound<'py, PyAny>>,
    max_age: Option<&Bound<'py, PyAny>>,
    ignore_expiration: Option<&Bound<'py, PyAny>>,
    ignore_not_before: Option<&Bound<'py, PyAny>>,
    complete: Option<&Bound<'py, PyAny>>,
    allow_invalid_asymmetric_key_types: Option<&Bound<'py, PyAny>>,
    passphrase: Option<&Bound<'py, PyAny>>,
    now: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let token = Value::String(text(token, "token")?);
    let key = key_arg(key, passphrase, "key")?;
    let mut options = Options::default();
    if let Some(algorithms) = given(algorithms) {
        let names = texts(algorithms, "algorithms")?;
        options.set(
            "algorithms",
            Value::Array(names.into_iter().map(Value::String).collect()),
        );
    }
    if let Some(audience) = given(audience) {
        options.set(
            "audience",
            to_value(audience, "audience", Patterns::Allowed)?,
        );
    }
    if let Some(issuer) = given(issuer) {
        options.set("issuer", to_value(issuer, "issuer", Patterns::Refused)?);
    }
    options.set_text("subject", optional_text(subject, "subject")?);
    options.set_text("jwtid", optional_text(jwtid, "jwtid")?);
    options.set_text("nonce", optional_text(nonce, "nonce")?);
    if let Some(leeway) = given(leeway) {
        options.set("clockTolerance", Value::Number(seconds(leeway, "leeway")?));
    }
    if let Some(span) = given(max_age) {
        options.set("maxAge", timespan(span, "max_age")?);
    }
    options.set_flag(
        "ignoreExpiration",
        flag(ignore_expiration, "ignore_expiration", false)?,
    );
    options.set_flag(
        "ignoreNotBefore",
        flag(ignore_not_before, "ignore_not_before", false)?,
    );
    options.set_flag("complete", flag(complete, "complete", false)?);
    options.set_flag(
        "allowInvalidAsymmetricKeyTypes",
        flag(
            allow_invalid_asymmetric_key_types,
            "allow_invalid_asymmetric_key_types",
            false,
        )?,
    );
    let options = options.into_value();
    let now_ms = now_millis(given(now))?;
    let verified = with_gil_released_if_worth_it(py, &key, || {
        guarded(|| drop_in::verify(&token, &key, &options, now_ms))
    })
    .or_raise(py)?;
    to_python(py, &verified)
}

/// Decodes `token` without verifying it, as `jsonwebtoken`'s `jwt.decode`: the payload (with
/// `complete=True`: a `dict` with `header`, `payload` and `signature`), or `None` when `token`
/// is not a JWT. `json=True` parses the payload as JSON even without `typ: "JWT"`. Never trust
/// a decoded payload before `verify`.
#[pyfunction]
#[pyo3(
    signature = (token, *, complete = None, json = None),
    text_signature = "(token, *, complete=False, json=False)"
)]
pub fn decode<'py>(
    py: Python<'py>,
    token: &Bound<'py, PyAny>,
    complete: Option<&Bound<'py, PyAny>>,
    json: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let token = Value::String(text(token, "token")?);
    let mut options = Options::default();
    options.set_flag("complete", flag(complete, "complete", false)?);
    options.set_flag("json", flag(json, "json", false)?);
    let decoded = guarded(|| drop_in::decode(&token, &options.into_value())).or_raise(py)?;
    to_python(py, &decoded)
}
