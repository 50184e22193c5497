//! Core errors on their way to JavaScript.
//!
//! Failures travel as values, not as thrown exceptions: the synchronous and asynchronous forms
//! hand the same [`Failure`] to the JavaScript layer, which turns it into the `jsonwebtoken`
//! error class it names, so both forms fail identically.

use napi::bindgen_prelude::Either;
use napi_derive::napi;
use qlik_jwt::{Error, ErrorClass};

/// A core failure as JavaScript receives it.
#[napi]
pub struct Failure {
    /// The class to raise, as `jsonwebtoken` raises it: `"Error"`, `"JsonWebTokenError"`,
    /// `"TokenExpiredError"`, `"NotBeforeError"`, or V8's `"SyntaxError"` / `"TypeError"`.
    #[napi(readonly, js_name = "className")]
    pub class_name: String,
    /// The core's stable code, e.g. `"ERR_JWT_EXPIRED"`.
    #[napi(readonly)]
    pub code: String,
    /// The message, exactly as `jsonwebtoken` words it where it has one.
    #[napi(readonly)]
    pub message: String,
    /// Seconds since the epoch: `expiredAt` of an expired token, `date` of a not-yet-valid one.
    #[napi(readonly)]
    pub at: Option<f64>,
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        let class_name = match error.class() {
            ErrorClass::JsonWebToken => "JsonWebTokenError",
            ErrorClass::TokenExpired => "TokenExpiredError",
            ErrorClass::NotBefore => "NotBeforeError",
            ErrorClass::Syntax => "SyntaxError",
            ErrorClass::Type => "TypeError",
            _ => "Error",
        };
        Failure {
            class_name: class_name.to_owned(),
            code: error.code().as_str().to_owned(),
            message: error.message().to_owned(),
            at: error.at(),
        }
    }
}

/// A core result as JavaScript receives it: the value, or the [`Failure`] to raise.
pub(crate) fn settled<T>(outcome: qlik_jwt::Result<T>) -> Either<T, Failure> {
    match outcome {
        Ok(value) => Either::A(value),
        Err(error) => Either::B(error.into()),
    }
}

/// Runs a core call so that no panic crosses into JavaScript: a panic becomes an internal
/// error.
pub fn guarded<T>(call: impl FnOnce() -> qlik_jwt::Result<T>) -> qlik_jwt::Result<T> {
    Error::guarded(call)
}
