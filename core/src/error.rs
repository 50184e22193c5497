//! The one error type of qlik-jwt.
//!
//! Every failure carries a stable [`ErrorCode`] (what went wrong, for programs and tests), an
//! [`ErrorClass`] (which `jsonwebtoken` error class a binding raises, so the Node drop-in throws
//! what `jsonwebtoken` throws) and a message written for people. Messages never contain key
//! material.

use std::fmt;

/// What went wrong, as a stable machine-readable code. Codes never change meaning once shipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorCode {
    /// A sign or verify option has the wrong type or value.
    InvalidOption,
    /// The payload is not something that can be signed (wrong type, bad registered claim).
    InvalidPayload,
    /// The payload and the options both set the same claim.
    ClaimConflict,
    /// A time span (`expiresIn`, `notBefore`, `maxAge`) could not be understood.
    InvalidTimespan,
    /// No key was given where one is needed.
    MissingKey,
    /// The key bytes are not a key in any supported format, or the passphrase is wrong.
    InvalidKey,
    /// The key's type does not fit the algorithm (e.g. an RSA key for ES256, a secret for RS256).
    KeyAlgorithmMismatch,
    /// An RSA key is shorter than 2048 bits and short keys were not allowed.
    KeyTooSmall,
    /// The algorithm name is not one of the supported algorithms.
    UnsupportedAlgorithm,
    /// The token is not a three-part JWS compact token, or a part does not decode.
    MalformedToken,
    /// The token's algorithm is not among the accepted ones.
    AlgorithmNotAllowed,
    /// The signature does not match (or is missing where one is required).
    InvalidSignature,
    /// `exp` has passed.
    TokenExpired,
    /// `iat` plus `maxAge` has passed.
    MaxAgeExceeded,
    /// `nbf` is still in the future.
    NotYetValid,
    /// A claim has the wrong type (e.g. `exp` that is not a number).
    InvalidClaim,
    /// `aud` does not match the expected audience.
    AudienceMismatch,
    /// `iss` does not match the expected issuer.
    IssuerMismatch,
    /// `sub` does not match the expected subject.
    SubjectMismatch,
    /// `jti` does not match the expected id.
    JwtIdMismatch,
    /// `nonce` does not match the expected nonce.
    NonceMismatch,
    /// A Qlik Cloud rule is broken: Qlik would refuse this token.
    QlikRule,
    /// A key or algorithm Qlik Cloud does not take for an OAuth client assertion (private key
    /// JWT takes RS256, RS512 or ES384 only).
    OauthKeyNotAllowed,
    /// A tenant URL that cannot give an OAuth token endpoint: a path, a query, a fragment,
    /// credentials, or `http` to a host other than loopback.
    OauthTenantUrl,
    /// Reading or writing a file failed.
    Io,
    /// A bug inside qlik-jwt (a caught panic, a broken invariant). Please report it.
    Internal,
}

impl ErrorCode {
    /// The stable text form of the code, e.g. `"ERR_JWT_EXPIRED"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidOption => "ERR_INVALID_OPTION",
            ErrorCode::InvalidPayload => "ERR_INVALID_PAYLOAD",
            ErrorCode::ClaimConflict => "ERR_CLAIM_CONFLICT",
            ErrorCode::InvalidTimespan => "ERR_INVALID_TIMESPAN",
            ErrorCode::MissingKey => "ERR_MISSING_KEY",
            ErrorCode::InvalidKey => "ERR_INVALID_KEY",
            ErrorCode::KeyAlgorithmMismatch => "ERR_KEY_ALGORITHM_MISMATCH",
            ErrorCode::KeyTooSmall => "ERR_KEY_TOO_SMALL",
            ErrorCode::UnsupportedAlgorithm => "ERR_UNSUPPORTED_ALGORITHM",
            ErrorCode::MalformedToken => "ERR_JWT_MALFORMED",
            ErrorCode::AlgorithmNotAllowed => "ERR_JWT_ALGORITHM_NOT_ALLOWED",
            ErrorCode::InvalidSignature => "ERR_JWT_INVALID_SIGNATURE",
            ErrorCode::TokenExpired => "ERR_JWT_EXPIRED",
            ErrorCode::MaxAgeExceeded => "ERR_JWT_MAX_AGE_EXCEEDED",
            ErrorCode::NotYetValid => "ERR_JWT_NOT_ACTIVE",
            ErrorCode::InvalidClaim => "ERR_JWT_INVALID_CLAIM",
            ErrorCode::AudienceMismatch => "ERR_JWT_AUDIENCE_MISMATCH",
            ErrorCode::IssuerMismatch => "ERR_JWT_ISSUER_MISMATCH",
            ErrorCode::SubjectMismatch => "ERR_JWT_SUBJECT_MISMATCH",
            ErrorCode::JwtIdMismatch => "ERR_JWT_ID_MISMATCH",
            ErrorCode::NonceMismatch => "ERR_JWT_NONCE_MISMATCH",
            ErrorCode::QlikRule => "ERR_QLIK_RULE",
            ErrorCode::OauthKeyNotAllowed => "ERR_OAUTH_KEY_NOT_ALLOWED",
            ErrorCode::OauthTenantUrl => "ERR_OAUTH_TENANT_URL",
            ErrorCode::Io => "ERR_IO",
            ErrorCode::Internal => "ERR_INTERNAL",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which `jsonwebtoken` error class mirrors this failure. The Node binding throws exactly this
/// class; the Python binding maps it to its exception hierarchy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorClass {
    /// A plain `Error` (what `jsonwebtoken` throws for bad sign input and key-type problems).
    Error,
    /// `JsonWebTokenError`.
    JsonWebToken,
    /// `TokenExpiredError` (carries `expiredAt`).
    TokenExpired,
    /// `NotBeforeError` (carries `date`).
    NotBefore,
    /// A `SyntaxError`: what V8's `JSON.parse` throws, which `jsonwebtoken` lets escape for a
    /// token whose header or payload is not JSON.
    Syntax,
    /// A `TypeError`: what V8, Node or `jwa` throw for a few odd inputs, which `jsonwebtoken`
    /// lets escape as they are.
    Type,
}

/// A qlik-jwt failure: a stable code, a class, a message for people, and the time that a
/// time-based failure refers to.
#[derive(Debug, Clone, PartialEq)]
pub struct Error {
    code: ErrorCode,
    class: ErrorClass,
    message: String,
    /// Seconds since the epoch (possibly fractional): `expiredAt` of an expired token or
    /// `date` of a not-yet-valid one.
    at: Option<f64>,
}

impl Error {
    /// A failure with the given code, class and message.
    pub fn new(code: ErrorCode, class: ErrorClass, message: impl Into<String>) -> Self {
        Error {
            code,
            class,
            message: message.into(),
            at: None,
        }
    }

    /// A plain-`Error`-class failure, the class `jsonwebtoken` uses for bad sign input.
    pub fn plain(code: ErrorCode, message: impl Into<String>) -> Self {
        Self::new(code, ErrorClass::Error, message)
    }

    /// A `TypeError`-class failure ([`ErrorClass::Type`]).
    pub fn type_error(code: ErrorCode, message: impl Into<String>) -> Self {
        Self::new(code, ErrorClass::Type, message)
    }

    /// A `JsonWebTokenError`-class failure.
    pub fn token(code: ErrorCode, message: impl Into<String>) -> Self {
        Self::new(code, ErrorClass::JsonWebToken, message)
    }

    /// A `TokenExpiredError`: `expired_at` is in seconds since the epoch.
    pub fn expired(code: ErrorCode, message: impl Into<String>, expired_at: f64) -> Self {
        Error {
            at: Some(expired_at),
            ..Self::new(code, ErrorClass::TokenExpired, message)
        }
    }

    /// A `NotBeforeError`: `date` is in seconds since the epoch.
    pub fn not_before(message: impl Into<String>, date: f64) -> Self {
        Error {
            at: Some(date),
            ..Self::new(ErrorCode::NotYetValid, ErrorClass::NotBefore, message)
        }
    }

    /// A broken Qlik Cloud rule.
    pub fn qlik(message: impl Into<String>) -> Self {
        Self::plain(ErrorCode::QlikRule, message)
    }

    /// A bug inside qlik-jwt.
    pub fn internal(message: impl Into<String>) -> Self {
        Self::plain(ErrorCode::Internal, message)
    }

    /// Runs `call` so that a panic inside it becomes an [`ErrorCode::Internal`] failure: the
    /// bindings call the core through this, so no panic crosses into JavaScript or Python.
    pub fn guarded<T>(call: impl FnOnce() -> Result<T>) -> Result<T> {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(call)).unwrap_or_else(|panic| {
            let detail = panic
                .downcast_ref::<&str>()
                .map(|text| (*text).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Err(Error::internal(format!(
                "internal error in qlik-jwt (please report it): {detail}"
            )))
        })
    }

    /// The stable code.
    pub fn code(&self) -> ErrorCode {
        self.code
    }

    /// The `jsonwebtoken` class this failure mirrors.
    pub fn class(&self) -> ErrorClass {
        self.class
    }

    /// The message for people.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// For expired and not-yet-valid tokens: the instant (seconds since the epoch) that
    /// `expiredAt` or `date` reports.
    pub fn at(&self) -> Option<f64> {
        self.at
    }

    /// Changes the class, keeping code and message (verify reports key problems as
    /// `JsonWebTokenError` where sign reports them as plain `Error`).
    pub fn with_class(mut self, class: ErrorClass) -> Self {
        self.class = class;
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// The result type of qlik-jwt.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guarded_turns_a_panic_into_an_internal_error_and_passes_results_through() {
        let panicked: Result<()> = Error::guarded(|| panic!("deliberate panic {}", 7));
        let error = panicked.unwrap_err();
        assert_eq!(error.code(), ErrorCode::Internal);
        assert_eq!(
            error.message(),
            "internal error in qlik-jwt (please report it): deliberate panic 7"
        );
        assert_eq!(Error::guarded(|| Ok(5)), Ok(5));
        let refused = Error::guarded::<()>(|| Err(Error::plain(ErrorCode::InvalidOption, "no")));
        assert_eq!(refused.unwrap_err().code(), ErrorCode::InvalidOption);
    }
}
