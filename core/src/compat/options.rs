//! The options object of `sign` and `verify`, read as JavaScript reads it, and the option
//! schema `sign` validates (`sign_options_schema` of `jsonwebtoken` 9.0.3), key by key in the
//! options' own key order.

use crate::error::{Error, ErrorCode, Result};
use crate::value::Value;

/// The algorithms `sign` accepts in `options.algorithm`, in `jsonwebtoken`'s order.
pub(crate) const SUPPORTED_ALGS: [&str; 13] = [
    "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "HS256",
    "HS384", "HS512", "none",
];

/// An options argument after `options || {}`: a falsy argument reads as an empty object and
/// every named option of a non-object reads as `undefined`.
#[derive(Clone, Copy)]
pub(crate) struct Options<'a> {
    value: &'a Value,
}

static EMPTY: Value = Value::Object(Vec::new());

impl<'a> Options<'a> {
    /// `options || {}`.
    pub(crate) fn new(value: &'a Value) -> Self {
        Options {
            value: if value.is_truthy() { value } else { &EMPTY },
        }
    }

    /// `options[name]`.
    pub(crate) fn get(&self, name: &str) -> &'a Value {
        self.value.get(name)
    }

    /// `typeof options[name] !== 'undefined'`.
    pub(crate) fn has(&self, name: &str) -> bool {
        !matches!(self.get(name), Value::Undefined)
    }

    /// `!!options[name]`.
    pub(crate) fn flag(&self, name: &str) -> bool {
        self.get(name).is_truthy()
    }

    /// The options value itself (after `|| {}`).
    pub(crate) fn value(&self) -> &'a Value {
        self.value
    }
}

/// `lodash.isInteger`: a finite number without a fractional part.
pub(crate) fn is_integer(value: &Value) -> bool {
    matches!(value, Value::Number(n) if n.is_finite() && n.fract() == 0.0)
}

fn is_string(value: &Value) -> bool {
    matches!(value, Value::String(_))
}

fn is_bool(value: &Value) -> bool {
    matches!(value, Value::Bool(_))
}

fn is_timespan(value: &Value) -> bool {
    is_integer(value) || matches!(value, Value::String(s) if !s.is_empty())
}

/// Whether an option's value is valid, and the message when it is not.
type OptionRule = (fn(&Value) -> bool, &'static str);

/// The validator and message of one known option; `None` for an option `sign` does not know.
fn sign_option_rule(name: &str) -> Option<OptionRule> {
    Some(match name {
        "expiresIn" => (
            is_timespan,
            "\"expiresIn\" should be a number of seconds or string representing a timespan",
        ),
        "notBefore" => (
            is_timespan,
            "\"notBefore\" should be a number of seconds or string representing a timespan",
        ),
        "audience" => (
            |v| matches!(v, Value::String(_) | Value::Array(_)),
            "\"audience\" must be a string or array",
        ),
        "algorithm" => (
            |v| matches!(v, Value::String(s) if SUPPORTED_ALGS.contains(&s.as_str())),
            "\"algorithm\" must be a valid string enum value",
        ),
        "header" => (
            |v| matches!(v, Value::Object(_)),
            "\"header\" must be an object",
        ),
        "encoding" => (is_string, "\"encoding\" must be a string"),
        "issuer" => (is_string, "\"issuer\" must be a string"),
        "subject" => (is_string, "\"subject\" must be a string"),
        "jwtid" => (is_string, "\"jwtid\" must be a string"),
        "noTimestamp" => (is_bool, "\"noTimestamp\" must be a boolean"),
        "keyid" => (is_string, "\"keyid\" must be a string"),
        "mutatePayload" => (is_bool, "\"mutatePayload\" must be a boolean"),
        "allowInsecureKeySizes" => (is_bool, "\"allowInsecureKeySizes\" must be a boolean"),
        "allowInvalidAsymmetricKeyTypes" => (
            is_bool,
            "\"allowInvalidAsymmetricKeyTypes\" must be a boolean",
        ),
        _ => return None,
    })
}

/// The validator and message of a registered claim `sign` checks in an object payload.
fn claim_rule(name: &str) -> Option<&'static str> {
    match name {
        "iat" => Some("\"iat\" should be a number of seconds"),
        "exp" => Some("\"exp\" should be a number of seconds"),
        "nbf" => Some("\"nbf\" should be a number of seconds"),
        _ => None,
    }
}

/// The members of `Object.prototype`. `jsonwebtoken` looks an object's keys up in its schema
/// objects, which inherit these: for such a key the "validator" found is a function without
/// `isValid`, and V8 throws a `TypeError`.
const OBJECT_PROTOTYPE_MEMBERS: [&str; 12] = [
    "constructor",
    "__defineGetter__",
    "__defineSetter__",
    "hasOwnProperty",
    "__lookupGetter__",
    "__lookupSetter__",
    "isPrototypeOf",
    "propertyIsEnumerable",
    "toString",
    "valueOf",
    "__proto__",
    "toLocaleString",
];

/// What `validator.isValid(...)` throws for a key named after an `Object.prototype` member.
fn inherited_validator(key: &str, code: ErrorCode) -> Option<Error> {
    OBJECT_PROTOTYPE_MEMBERS
        .contains(&key)
        .then(|| Error::type_error(code, "validator.isValid is not a function"))
}

/// `Expected "<name>" to be a plain object.`
fn not_plain_object(name: &str, code: ErrorCode) -> Error {
    Error::plain(code, format!("Expected \"{name}\" to be a plain object."))
}

/// `validateOptions(options)`: a plain object whose keys are all known options with valid
/// values, checked in the options' key order. An explicit `undefined` value is invalid, as in
/// `jsonwebtoken` (its key is present).
pub(crate) fn validate_sign_options(options: Options<'_>) -> Result<()> {
    let Value::Object(entries) = options.value() else {
        return Err(not_plain_object("options", ErrorCode::InvalidOption));
    };
    for (key, value) in crate::value::js_entries(entries) {
        if let Some(error) = inherited_validator(key, ErrorCode::InvalidOption) {
            return Err(error);
        }
        let Some((is_valid, message)) = sign_option_rule(key) else {
            return Err(Error::plain(
                ErrorCode::InvalidOption,
                format!("\"{key}\" is not allowed in \"options\""),
            ));
        };
        if !is_valid(value) {
            return Err(Error::plain(ErrorCode::InvalidOption, message));
        }
    }
    Ok(())
}

/// `validatePayload(payload)`: a plain object whose `iat`, `exp` and `nbf`, when present, are
/// numbers (`NaN` included, as `lodash.isNumber` says).
pub(crate) fn validate_payload(payload: &Value) -> Result<()> {
    let Value::Object(entries) = payload else {
        return Err(not_plain_object("payload", ErrorCode::InvalidPayload));
    };
    for (key, value) in crate::value::js_entries(entries) {
        check_payload_member(key, matches!(value, Value::Number(_)))?;
    }
    Ok(())
}

/// `validatePayload`'s check of one member, in the payload's key order: the key's validator,
/// then, for `iat`, `exp` and `nbf`, that the value is a number.
pub(crate) fn check_payload_member(key: &str, is_number: bool) -> Result<()> {
    if let Some(error) = inherited_validator(key, ErrorCode::InvalidPayload) {
        return Err(error);
    }
    match claim_rule(key) {
        Some(message) if !is_number => Err(Error::plain(ErrorCode::InvalidPayload, message)),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(entries: &[(&str, Value)]) -> Value {
        Value::Object(
            entries
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        )
    }

    fn message(options: &Value) -> String {
        validate_sign_options(Options::new(options))
            .unwrap_err()
            .message()
            .to_owned()
    }

    #[test]
    fn falsy_options_read_as_empty() {
        for falsy in [
            Value::Undefined,
            Value::Null,
            Value::Bool(false),
            Value::Number(0.0),
        ] {
            assert!(validate_sign_options(Options::new(&falsy)).is_ok());
        }
        assert_eq!(
            message(&Value::String("x".into())),
            "Expected \"options\" to be a plain object."
        );
        assert_eq!(
            message(&Value::Array(vec![])),
            "Expected \"options\" to be a plain object."
        );
    }

    #[test]
    fn every_option_has_its_message() {
        let bad = Value::Bool(true);
        let cases = [
            (
                "expiresIn",
                "\"expiresIn\" should be a number of seconds or string representing a timespan",
            ),
            (
                "notBefore",
                "\"notBefore\" should be a number of seconds or string representing a timespan",
            ),
            ("audience", "\"audience\" must be a string or array"),
            (
                "algorithm",
                "\"algorithm\" must be a valid string enum value",
            ),
            ("header", "\"header\" must be an object"),
            ("encoding", "\"encoding\" must be a string"),
            ("issuer", "\"issuer\" must be a string"),
            ("subject", "\"subject\" must be a string"),
            ("jwtid", "\"jwtid\" must be a string"),
            ("keyid", "\"keyid\" must be a string"),
        ];
        for (name, expected) in cases {
            assert_eq!(message(&obj(&[(name, bad.clone())])), expected, "{name}");
        }
        for name in [
            "noTimestamp",
            "mutatePayload",
            "allowInsecureKeySizes",
            "allowInvalidAsymmetricKeyTypes",
        ] {
            assert_eq!(
                message(&obj(&[(name, Value::Number(1.0))])),
                format!("\"{name}\" must be a boolean")
            );
        }
    }

    #[test]
    fn timespans_are_integers_or_non_empty_strings() {
        for good in [
            Value::Number(60.0),
            Value::Number(-1.0),
            Value::Number(1e300),
            Value::String("1h".into()),
            Value::String("junk".into()),
        ] {
            assert!(
                validate_sign_options(Options::new(&obj(&[("expiresIn", good.clone())]))).is_ok(),
                "{good:?}"
            );
        }
        for bad in [
            Value::Number(1.5),
            Value::Number(f64::NAN),
            Value::Number(f64::INFINITY),
            Value::String(String::new()),
            Value::Undefined,
            Value::Null,
        ] {
            assert!(
                validate_sign_options(Options::new(&obj(&[("expiresIn", bad.clone())]))).is_err(),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn keys_are_checked_in_javascript_order() {
        // Node: jwt.sign({}, 's', {b: 1, 0: 1}) throws '"0" is not allowed in "options"'
        let options = obj(&[("b", Value::Number(1.0)), ("0", Value::Number(1.0))]);
        assert_eq!(message(&options), "\"0\" is not allowed in \"options\"");
        let options = obj(&[("issuer", Value::Number(1.0)), ("x", Value::Number(1.0))]);
        assert_eq!(message(&options), "\"issuer\" must be a string");
    }

    #[test]
    fn keys_named_after_object_prototype_members_throw_as_in_jsonwebtoken() {
        // Node: jwt.sign({constructor: 1}, 's') and jwt.sign({}, 's', {toString: 1}) both throw
        // TypeError: validator.isValid is not a function
        let payload = obj(&[("a", Value::Null), ("constructor", Value::Number(1.0))]);
        assert_eq!(
            validate_payload(&payload).unwrap_err().message(),
            "validator.isValid is not a function"
        );
        assert_eq!(
            message(&obj(&[("toString", Value::Number(1.0))])),
            "validator.isValid is not a function"
        );
        assert_eq!(
            message(&obj(&[("__proto__", Value::Null)])),
            "validator.isValid is not a function"
        );
    }

    #[test]
    fn payload_claims_must_be_numbers() {
        let payload = obj(&[("exp", Value::String("1".into()))]);
        assert_eq!(
            validate_payload(&payload).unwrap_err().message(),
            "\"exp\" should be a number of seconds"
        );
        let payload = obj(&[("iat", Value::Undefined)]);
        assert_eq!(
            validate_payload(&payload).unwrap_err().message(),
            "\"iat\" should be a number of seconds"
        );
        assert!(
            validate_payload(&obj(&[
                ("nbf", Value::Number(f64::NAN)),
                ("x", Value::Null)
            ]))
            .is_ok()
        );
        assert_eq!(
            validate_payload(&Value::Null).unwrap_err().message(),
            "Expected \"payload\" to be a plain object."
        );
    }
}
