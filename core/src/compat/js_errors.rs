//! The `TypeError`s that `jsonwebtoken` 9.0.3 lets V8 or `jwa` throw for odd inputs, with
//! V8's and `jwa`'s wording and class ([`crate::ErrorClass::Type`]).

use crate::error::{Error, ErrorCode};
use crate::value::Value;

/// V8's `Cannot read properties of undefined (reading 'type')`.
pub(crate) fn reading_property_of(nothing: &Value, property: &str, code: ErrorCode) -> Error {
    let of = if matches!(nothing, Value::Null) {
        "null"
    } else {
        "undefined"
    };
    Error::type_error(
        code,
        format!("Cannot read properties of {of} (reading '{property}')"),
    )
}

/// What `header.alg.startsWith(...)` throws when `alg` is not a string.
pub(crate) fn alg_not_a_string(alg: &Value, code: ErrorCode) -> Error {
    match alg {
        Value::Undefined | Value::Null => reading_property_of(alg, "startsWith", code),
        _ => Error::type_error(code, "header.alg.startsWith is not a function"),
    }
}

/// `jwa(algorithm)` for a name outside `^(RS|PS|ES|HS)(256|384|512)$|^(none)$`.
pub(crate) fn jwa_invalid_algorithm(name: &str) -> Error {
    Error::type_error(
        ErrorCode::UnsupportedAlgorithm,
        format!(
            "\"{name}\" is not a valid algorithm.\n  Supported algorithms are:\n  \"HS256\", \"HS384\", \
             \"HS512\", \"RS256\", \"RS384\", \"RS512\", \"PS256\", \"PS384\", \"PS512\", \"ES256\", \
             \"ES384\", \"ES512\" and \"none\"."
        ),
    )
}

/// The algorithm `jwa` accepts for this name (case-sensitive, as its regular expression).
pub(crate) fn jwa_algorithm(name: &str) -> Option<crate::Algorithm> {
    name.parse().ok()
}
