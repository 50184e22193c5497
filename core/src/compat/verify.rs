//! `jwt.verify(token, secretOrPublicKey, options)` of `jsonwebtoken` 9.0.3 (`verify.js`), check
//! by check in its order, with its messages and error classes; then `jws.verify` (`jws` 4,
//! `jwa` 2).

use super::audience;
use super::decode::{Decoded, decode_text};
use super::js_errors::{
    alg_not_a_string, jwa_algorithm, jwa_invalid_algorithm, reading_property_of,
};
use super::key_arg::KeyArg;
use super::key_arg::{KeyObject, verifying_key_object};
use super::key_checks::validate_asymmetric_key;
use super::options::Options;
use crate::alg::{Algorithm, Family};
use crate::base64url;
use crate::error::{Error, ErrorClass, ErrorCode, Result};
use crate::key::KeyRole;
use crate::timespan::{invalid_timespan_message, timespan};
use crate::value::{Value, greater_or_equal, greater_than, is_js_whitespace, js_add};

const HS_ALGS: [&str; 3] = ["HS256", "HS384", "HS512"];
const RSA_KEY_ALGS: [&str; 6] = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"];
const EC_KEY_ALGS: [&str; 3] = ["ES256", "ES384", "ES512"];
/// `PUB_KEY_ALGS`: what a public key of another type defaults to.
const PUB_KEY_ALGS: [&str; 6] = RSA_KEY_ALGS;

fn jwt_error(code: ErrorCode, message: impl Into<String>) -> Error {
    Error::token(code, message)
}

/// `jwt.verify(token, key, options)` at the instant `now_ms`: the payload (or, with
/// `complete: true`, `{ header, payload, signature }`), or `jsonwebtoken`'s error.
pub fn verify(token: &Value, key: &KeyArg, options: &Value, now_ms: f64) -> Result<Value> {
    Started::new(token, options, now_ms)?.finish(key)
}

/// The `JsonWebTokenError` `jsonwebtoken` gives when the key is a callback but `verify` was
/// called without one (synchronously).
pub fn callback_required_error() -> Error {
    jwt_error(
        ErrorCode::InvalidOption,
        "verify must be called asynchronous if secret or public key is provided as a callback",
    )
}

/// The `JsonWebTokenError` `jsonwebtoken` gives when the key-retrieval callback reports an
/// error with this message.
pub fn key_callback_error(message: &str) -> Error {
    jwt_error(
        ErrorCode::InvalidKey,
        format!("error in secret or public key callback: {message}"),
    )
}

/// A verification split in two, for `jsonwebtoken`'s key-retrieval callback: `start` checks
/// the options and decodes the token; the caller may look at [`Verification::header`] to
/// choose a key; `finish` checks signature and claims.
pub struct Verification {
    options: Value,
    clock_timestamp: f64,
    now_ms: f64,
    token: String,
    decoded: Decoded,
}

impl Verification {
    /// Validates options and decodes the token, as `verify` does before it needs the key.
    pub fn start(token: &Value, options: &Value, now_ms: f64) -> Result<Self> {
        let started = Started::new(token, options, now_ms)?;
        Ok(Verification {
            options: started.options.clone(),
            clock_timestamp: started.clock_timestamp,
            now_ms: started.now_ms,
            token: started.token.to_owned(),
            decoded: started.decoded,
        })
    }

    /// The decoded header, handed to a key-retrieval callback.
    pub fn header(&self) -> &Value {
        &self.decoded.header
    }

    /// Finishes with the key: signature, algorithm and claim checks.
    pub fn finish(self, key: &KeyArg) -> Result<Value> {
        let Verification {
            options,
            clock_timestamp,
            now_ms,
            token,
            decoded,
        } = self;
        Started {
            options: &options,
            clock_timestamp,
            now_ms,
            token: &token,
            decoded,
        }
        .finish(key)
    }
}

/// A [`Verification`] that borrows the caller's options and token: what `verify`, which
/// finishes at once, works on without copying them.
struct Started<'a> {
    options: &'a Value,
    clock_timestamp: f64,
    now_ms: f64,
    token: &'a str,
    decoded: Decoded,
}

impl<'a> Started<'a> {
    fn new(token: &'a Value, options: &'a Value, now_ms: f64) -> Result<Self> {
        options.check_depth("the options")?;
        let opts = Options::new(options);
        let clock = opts.get("clockTimestamp");
        if clock.is_truthy() && !matches!(clock, Value::Number(_)) {
            return Err(jwt_error(
                ErrorCode::InvalidOption,
                "clockTimestamp must be a number",
            ));
        }
        let nonce = opts.get("nonce");
        if !matches!(nonce, Value::Undefined)
            && !matches!(nonce, Value::String(s) if !s.trim_matches(is_js_whitespace).is_empty())
        {
            return Err(jwt_error(
                ErrorCode::InvalidOption,
                "nonce must be a non-empty string",
            ));
        }
        let allow_invalid = opts.get("allowInvalidAsymmetricKeyTypes");
        if !matches!(allow_invalid, Value::Undefined | Value::Bool(_)) {
            return Err(jwt_error(
                ErrorCode::InvalidOption,
                "allowInvalidAsymmetricKeyTypes must be a boolean",
            ));
        }
        let clock_timestamp = match clock {
            Value::Number(n) if clock.is_truthy() => *n,
            _ => (now_ms / 1000.0).floor(),
        };

        if !token.is_truthy() {
            return Err(jwt_error(ErrorCode::MalformedToken, "jwt must be provided"));
        }
        let Value::String(text) = token else {
            return Err(jwt_error(ErrorCode::MalformedToken, "jwt must be a string"));
        };
        if text.bytes().filter(|&b| b == b'.').count() != 2 {
            return Err(jwt_error(ErrorCode::MalformedToken, "jwt malformed"));
        }
        let Some(decoded) = decode_text(text, false)? else {
            return Err(jwt_error(ErrorCode::MalformedToken, "invalid token"));
        };
        Ok(Started {
            options: opts.value(),
            clock_timestamp,
            now_ms,
            token: text,
            decoded,
        })
    }

    fn finish(self, key: &KeyArg) -> Result<Value> {
        let options = Options::new(self.options);
        let has_signature = !self
            .decoded
            .signature
            .trim_matches(is_js_whitespace)
            .is_empty();
        if !has_signature && key.is_truthy() {
            return Err(jwt_error(
                ErrorCode::InvalidSignature,
                "jwt signature is required",
            ));
        }
        if has_signature && !key.is_truthy() {
            return Err(jwt_error(
                ErrorCode::MissingKey,
                "secret or public key must be provided",
            ));
        }
        if !has_signature && !options.flag("algorithms") {
            return Err(jwt_error(
                ErrorCode::AlgorithmNotAllowed,
                "please specify \"none\" in \"algorithms\" to verify unsigned tokens",
            ));
        }
        let key = verifying_key_object(key)?;

        let alg = self.decoded.header.get("alg");
        if !algorithm_allowed(options, key.as_ref(), alg)? {
            return Err(jwt_error(
                ErrorCode::AlgorithmNotAllowed,
                "invalid algorithm",
            ));
        }
        let Value::String(alg) = alg else {
            return Err(alg_not_a_string(alg, ErrorCode::AlgorithmNotAllowed));
        };
        check_key_type(alg, key.as_ref())?;
        if !options.flag("allowInvalidAsymmetricKeyTypes") {
            validate_asymmetric_key(alg, key.as_ref())?;
        }
        if !self.signature_is_valid(alg, key.as_ref())? {
            return Err(jwt_error(ErrorCode::InvalidSignature, "invalid signature"));
        }
        self.check_claims(options)?;

        let Decoded {
            header,
            payload,
            signature,
        } = self.decoded;
        if options.get("complete").strict_equals(&Value::Bool(true)) {
            return Ok(Decoded {
                header,
                payload,
                signature,
            }
            .into_value());
        }
        Ok(payload)
    }

    /// `jws.verify(token, alg, key)`.
    fn signature_is_valid(&self, alg_name: &str, key: Option<&KeyObject>) -> Result<bool> {
        let alg = jwa_algorithm(alg_name).ok_or_else(|| jwa_invalid_algorithm(alg_name))?;
        let secured_input_len = self.token.len() - self.decoded.signature.len() - 1;
        let message = &self.token.as_bytes()[..secured_input_len];
        let signature = &self.decoded.signature;
        if alg == Algorithm::None {
            return Ok(signature.is_empty());
        }
        let Some(key) = key else {
            return Err(reading_property_of(
                &Value::Undefined,
                "type",
                ErrorCode::MissingKey,
            ));
        };
        if alg.family() == Family::Hmac {
            // jwa compares the base64url text of the expected MAC with the token's text.
            let mac = match key {
                KeyObject::Signing(k) => k.sign(alg, message)?,
                KeyObject::Verifying(k) => k.mac(alg, message)?,
            };
            // jwa compares with buffer-equal-constant-time: no early exit on the first
            // differing byte, which would let a caller find a valid MAC byte by byte.
            let mut text = [0u8; 88]; // the base64url of the longest MAC, HS512's 64 bytes
            let expected = base64url::encode_into(&mac, &mut text);
            return Ok(aws_lc_rs::constant_time::verify_slices_are_equal(
                expected,
                signature.as_bytes(),
            )
            .is_ok());
        }
        let bytes = base64url::node_decode(signature);
        if alg.family() == Family::Ecdsa {
            let expected = match alg {
                Algorithm::ES256 => 64,
                Algorithm::ES384 => 96,
                _ => 132,
            };
            if bytes.len() != expected {
                return Err(Error::type_error(
                    ErrorCode::InvalidSignature,
                    format!(
                        "\"{alg}\" signatures must be \"{expected}\" bytes, saw \"{}\"",
                        bytes.len()
                    ),
                ));
            }
        }
        let KeyObject::Verifying(key) = key else {
            // A private key never reaches here: only a public key passes the type check.
            return Ok(false);
        };
        // A key whose type does not fit the algorithm (allowed by
        // allowInvalidAsymmetricKeyTypes) makes Node's verifier answer false.
        Ok(key.verify(alg, message, &bytes).unwrap_or(false))
    }

    /// `nbf`, `exp`, audience, issuer, subject, jwtid, nonce and maxAge, in that order.
    fn check_claims(&self, options: Options<'_>) -> Result<()> {
        let payload = &self.decoded.payload;
        if matches!(payload, Value::Null) {
            return Err(reading_property_of(payload, "nbf", ErrorCode::InvalidClaim));
        }
        let clock = self.clock_timestamp;
        let tolerance = options.get("clockTolerance");
        let tolerance = if tolerance.is_truthy() {
            tolerance.clone()
        } else {
            Value::Number(0.0)
        };

        let nbf = payload.get("nbf");
        if !matches!(nbf, Value::Undefined) && !options.flag("ignoreNotBefore") {
            let Value::Number(nbf) = nbf else {
                return Err(jwt_error(ErrorCode::InvalidClaim, "invalid nbf value"));
            };
            if greater_than(*nbf, &js_add(clock, &tolerance)) {
                return Err(Error::not_before("jwt not active", date_seconds(*nbf)));
            }
        }

        let exp = payload.get("exp");
        if !matches!(exp, Value::Undefined) && !options.flag("ignoreExpiration") {
            let Value::Number(exp) = exp else {
                return Err(jwt_error(ErrorCode::InvalidClaim, "invalid exp value"));
            };
            if greater_or_equal(clock, &js_add(*exp, &tolerance)) {
                return Err(Error::expired(
                    ErrorCode::TokenExpired,
                    "jwt expired",
                    date_seconds(*exp),
                ));
            }
        }

        let expected_audience = options.get("audience");
        if expected_audience.is_truthy() {
            audience::check(expected_audience, payload.get("aud"))?;
        }

        let issuer = options.get("issuer");
        if issuer.is_truthy() {
            let iss = payload.get("iss");
            let invalid = match issuer {
                Value::String(_) => !iss.strict_equals(issuer),
                Value::Array(list) => !list.iter().any(|item| item.strict_equals(iss)),
                _ => false,
            };
            if invalid {
                return Err(mismatch(ErrorCode::IssuerMismatch, "issuer", issuer));
            }
        }

        for (option, claim, code) in [
            ("subject", "sub", ErrorCode::SubjectMismatch),
            ("jwtid", "jti", ErrorCode::JwtIdMismatch),
            ("nonce", "nonce", ErrorCode::NonceMismatch),
        ] {
            let expected = options.get(option);
            if expected.is_truthy() && !payload.get(claim).strict_equals(expected) {
                return Err(mismatch(code, option, expected));
            }
        }

        let max_age = options.get("maxAge");
        if max_age.is_truthy() {
            let iat = payload.get("iat");
            if !matches!(iat, Value::Number(_)) {
                return Err(jwt_error(
                    ErrorCode::InvalidClaim,
                    "iat required when maxAge is specified",
                ));
            }
            let Some(max_age_timestamp) = timespan(max_age, iat, self.now_ms)
                .map_err(|err| err.with_class(ErrorClass::JsonWebToken))?
            else {
                return Err(jwt_error(
                    ErrorCode::InvalidTimespan,
                    invalid_timespan_message("maxAge"),
                ));
            };
            if greater_or_equal(clock, &js_add(max_age_timestamp, &tolerance)) {
                return Err(Error::expired(
                    ErrorCode::MaxAgeExceeded,
                    "maxAge exceeded",
                    date_seconds(max_age_timestamp),
                ));
            }
        }
        Ok(())
    }
}

/// `new Date(seconds * 1000).getTime() / 1000`: a `Date` holds whole milliseconds (truncated)
/// within ±8.64e15 ms; outside that it is an invalid date (`NaN`).
fn date_seconds(seconds: f64) -> f64 {
    let ms = seconds * 1000.0;
    if !ms.is_finite() || ms.abs() > 8.64e15 {
        return f64::NAN;
    }
    (ms.trunc() + 0.0) / 1000.0
}

/// `jwt <what> invalid. expected: <String(expected)>`.
fn mismatch(code: ErrorCode, what: &str, expected: &Value) -> Error {
    jwt_error(
        code,
        format!("jwt {what} invalid. expected: {}", expected.to_js_string()),
    )
}

/// `options.algorithms` (or the default for the key) `.indexOf(header.alg) !== -1`.
fn algorithm_allowed(options: Options<'_>, key: Option<&KeyObject>, alg: &Value) -> Result<bool> {
    let algorithms = options.get("algorithms");
    if !algorithms.is_truthy() {
        let Some(key) = key else {
            return Err(reading_property_of(
                &Value::Undefined,
                "type",
                ErrorCode::MissingKey,
            ));
        };
        let defaults: &[&str] = if key.role() == KeyRole::Secret {
            &HS_ALGS
        } else {
            match key.kind().asymmetric_key_type() {
                Some("rsa" | "rsa-pss") => &RSA_KEY_ALGS,
                Some("ec") => &EC_KEY_ALGS,
                _ => &PUB_KEY_ALGS,
            }
        };
        return Ok(matches!(alg, Value::String(name) if defaults.contains(&name.as_str())));
    }
    match algorithms {
        Value::Array(list) => Ok(list.iter().any(|item| item.strict_equals(alg))),
        // String.prototype.indexOf: a substring search for String(alg).
        Value::String(text) => Ok(text.contains(&alg.to_js_string())),
        Value::Bytes(bytes) => {
            let needle = alg.to_js_string();
            Ok(bytes
                .windows(needle.len().max(1))
                .any(|w| w == needle.as_bytes()))
        }
        _ => Err(Error::type_error(
            ErrorCode::InvalidOption,
            "options.algorithms.indexOf is not a function",
        )),
    }
}

/// The symmetric/asymmetric key checks of `verify`.
fn check_key_type(alg: &str, key: Option<&KeyObject>) -> Result<()> {
    let is_hs = alg.starts_with("HS");
    let is_asymmetric = ["RS", "PS", "ES"]
        .iter()
        .any(|prefix| alg.starts_with(prefix));
    if !is_hs && !is_asymmetric {
        return Ok(());
    }
    let Some(key) = key else {
        return Err(reading_property_of(
            &Value::Undefined,
            "type",
            ErrorCode::MissingKey,
        ));
    };
    if is_hs && key.role() != KeyRole::Secret {
        return Err(jwt_error(
            ErrorCode::KeyAlgorithmMismatch,
            format!("secretOrPublicKey must be a symmetric key when using {alg}"),
        ));
    }
    if is_asymmetric && key.role() != KeyRole::Public {
        return Err(jwt_error(
            ErrorCode::KeyAlgorithmMismatch,
            format!("secretOrPublicKey must be an asymmetric key when using {alg}"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW_MS: f64 = 1_700_000_000_123.0;

    fn object(members: &[(&str, Value)]) -> Value {
        members.iter().map(|(k, v)| (*k, v.clone())).collect()
    }

    fn token(claims: &[(&str, Value)]) -> Value {
        let options = object(&[("noTimestamp", true.into()), ("keyid", "k1".into())]);
        let signed =
            crate::compat::sign(&object(claims), &KeyArg::Text("s".into()), &options, NOW_MS);
        Value::String(signed.unwrap())
    }

    #[test]
    fn the_header_is_available_before_the_key() {
        let started = Verification::start(&token(&[]), &Value::Undefined, NOW_MS).unwrap();
        assert_eq!(started.header().get("kid"), &Value::from("k1"));
        assert_eq!(
            started.finish(&KeyArg::Text("s".into())).unwrap(),
            object(&[])
        );
    }

    #[test]
    fn time_errors_carry_the_instant_in_seconds_as_a_date_keeps_it() {
        let err = verify(
            &token(&[("exp", 1.0005.into())]),
            &KeyArg::Text("s".into()),
            &Value::Undefined,
            NOW_MS,
        )
        .unwrap_err();
        assert_eq!(
            (err.class(), err.code(), err.at()),
            (ErrorClass::TokenExpired, ErrorCode::TokenExpired, Some(1.0))
        );
        let err = verify(
            &token(&[("nbf", 2e9.into())]),
            &KeyArg::Text("s".into()),
            &Value::Undefined,
            NOW_MS,
        )
        .unwrap_err();
        assert_eq!(
            (err.class(), err.message(), err.at()),
            (ErrorClass::NotBefore, "jwt not active", Some(2e9))
        );
        assert!(date_seconds(1e13).is_nan());
        assert_eq!(date_seconds(-0.0001).to_bits(), 0.0f64.to_bits());
    }

    #[test]
    fn verify_and_a_verification_in_two_steps_agree() {
        let tokens = [
            token(&[("sub", "a".into())]),
            token(&[("exp", 1.0.into())]),
            Value::String("a.b.c".into()),
            Value::Null,
        ];
        let options = [
            Value::Undefined,
            object(&[("complete", true.into()), ("subject", "a".into())]),
            object(&[("algorithms", Value::Array(vec!["RS256".into()]))]),
            object(&[("nonce", "".into())]),
        ];
        let keys = [KeyArg::Text("s".into()), KeyArg::Text("t".into())];
        for token in &tokens {
            for options in &options {
                for key in &keys {
                    let direct = verify(token, key, options, NOW_MS);
                    let in_two = Verification::start(token, options, NOW_MS)
                        .and_then(|started| started.finish(key));
                    let describe = |result: &Result<Value>| match result {
                        Ok(value) => format!("{value:?}"),
                        Err(error) => format!("{:?} {}", error.code(), error.message()),
                    };
                    assert_eq!(
                        describe(&direct),
                        describe(&in_two),
                        "{token:?} {options:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_started_verification_can_move_to_another_thread() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Verification>();
        assert_send_sync::<KeyArg>();
    }

    #[test]
    fn callback_messages_are_jsonwebtokens() {
        assert_eq!(
            key_callback_error("boom").message(),
            "error in secret or public key callback: boom"
        );
        assert_eq!(callback_required_error().class(), ErrorClass::JsonWebToken);
    }
}
