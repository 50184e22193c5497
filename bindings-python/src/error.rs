//! The one place where a core [`Error`] becomes a Python exception. The exception classes are
//! defined in `qlik_jwt/_errors.py`; this module only picks the class and fills `code`,
//! `expired_at` and `date`.

use pyo3::prelude::*;
use pyo3::types::PyDict;
use qlik_jwt::{Error, ErrorClass, ErrorCode};

use crate::convert::utc_datetime;

/// The Python module that defines the exception classes.
const ERRORS_MODULE: &str = "qlik_jwt._errors";

/// The name of the exception class in `qlik_jwt._errors` that `error` is raised as.
///
/// Token failures keep `jsonwebtoken`'s classes (so `except JsonWebTokenError` catches every
/// verify failure, as in Node); plain errors are split by code into key, option, payload and
/// Qlik-rule errors.
pub fn exception_name(error: &Error) -> &'static str {
    match error.class() {
        ErrorClass::TokenExpired => "TokenExpiredError",
        ErrorClass::NotBefore => "NotBeforeError",
        ErrorClass::JsonWebToken => "JsonWebTokenError",
        _ => match error.code() {
            // A token failure that jsonwebtoken lets escape as a plain error (jwa's ECDSA
            // signature length check): in Python every forged token is a JsonWebTokenError.
            ErrorCode::MalformedToken | ErrorCode::InvalidSignature => "JsonWebTokenError",
            ErrorCode::MissingKey
            | ErrorCode::InvalidKey
            | ErrorCode::KeyAlgorithmMismatch
            | ErrorCode::KeyTooSmall
            | ErrorCode::OauthKeyNotAllowed => "InvalidKeyError",
            ErrorCode::InvalidOption
            | ErrorCode::OauthTenantUrl
            | ErrorCode::InvalidTimespan
            | ErrorCode::UnsupportedAlgorithm => "InvalidOptionError",
            ErrorCode::InvalidPayload | ErrorCode::ClaimConflict => "InvalidPayloadError",
            ErrorCode::QlikRule => "QlikRuleError",
            _ => "QlikJwtError",
        },
    }
}

/// Turns a core error into the matching Python exception.
pub fn to_py_err(py: Python<'_>, error: &Error) -> PyErr {
    match build_exception(py, error) {
        Ok(exception) => PyErr::from_value(exception),
        Err(import_failure) => import_failure,
    }
}

fn build_exception<'py>(py: Python<'py>, error: &Error) -> PyResult<Bound<'py, PyAny>> {
    let class = py.import(ERRORS_MODULE)?.getattr(exception_name(error))?;
    let kwargs = PyDict::new(py);
    kwargs.set_item("code", error.code().as_str())?;
    if let Some(at) = error.at() {
        let when = utc_datetime(py, within_datetime_range(at))?;
        match error.class() {
            ErrorClass::TokenExpired => kwargs.set_item("expired_at", when)?,
            ErrorClass::NotBefore => kwargs.set_item("date", when)?,
            _ => {}
        }
    }
    class.call((error.message(),), Some(&kwargs))
}

/// Runs a core call so that a panic inside it becomes an `ERR_INTERNAL` error (raised as
/// `QlikJwtError`) instead of pyo3's `PanicException`, a `BaseException` that `except Exception`
/// would not catch. Every call into the core goes through here.
pub fn guarded<T>(call: impl FnOnce() -> Result<T, Error>) -> Result<T, Error> {
    Error::guarded(call)
}

/// Seconds since the epoch that `datetime` can hold (years 1 to 9999): a token may carry any
/// number as `exp` or `nbf`, and building its exception must not fail.
fn within_datetime_range(seconds: f64) -> f64 {
    const FIRST: f64 = -62_135_596_800.0;
    const LAST: f64 = 253_402_300_799.0;
    if seconds.is_nan() {
        0.0
    } else {
        seconds.clamp(FIRST, LAST)
    }
}

/// `Result<T, qlik_jwt::Error>` to `PyResult<T>`, raising the mapped exception.
pub trait OrRaise<T> {
    /// The value, or the Python exception for the core error.
    fn or_raise(self, py: Python<'_>) -> PyResult<T>;
}

impl<T> OrRaise<T> for Result<T, Error> {
    fn or_raise(self, py: Python<'_>) -> PyResult<T> {
        self.map_err(|error| to_py_err(py, &error))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_classes_win_over_codes() {
        let expired = Error::expired(ErrorCode::TokenExpired, "jwt expired", 1.0);
        assert_eq!(exception_name(&expired), "TokenExpiredError");
        let key_at_verify = Error::token(ErrorCode::InvalidKey, "bad key");
        assert_eq!(exception_name(&key_at_verify), "JsonWebTokenError");
        assert_eq!(
            exception_name(&Error::not_before("jwt not active", 1.0)),
            "NotBeforeError"
        );
    }

    #[test]
    fn plain_errors_split_by_code() {
        let cases = [
            (ErrorCode::KeyTooSmall, "InvalidKeyError"),
            (ErrorCode::MissingKey, "InvalidKeyError"),
            (ErrorCode::InvalidTimespan, "InvalidOptionError"),
            (ErrorCode::UnsupportedAlgorithm, "InvalidOptionError"),
            (ErrorCode::ClaimConflict, "InvalidPayloadError"),
            (ErrorCode::QlikRule, "QlikRuleError"),
            (ErrorCode::Internal, "QlikJwtError"),
        ];
        for (code, name) in cases {
            assert_eq!(exception_name(&Error::plain(code, "m")), name, "{code}");
        }
    }
}
