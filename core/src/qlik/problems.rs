//! What a check reports: a [`Problem`] with a stable code, a severity and a message.

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Severity {
    /// Qlik refuses the token.
    Error,
    /// Qlik accepts it, but it is a known mistake or fails under ordinary conditions.
    Warning,
}

impl Severity {
    /// The name every package and the command show: `"error"` or `"warning"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One reason Qlik would refuse a token, or a known mistake in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Stable code, e.g. `"QLIK_CLAIM_MISSING"`; one of the constants in [`codes`].
    pub code: &'static str,
    /// Whether Qlik refuses the token for it.
    pub severity: Severity,
    /// What is wrong and what would be right.
    pub message: String,
}

impl Problem {
    /// A problem Qlik refuses the token for.
    pub(crate) fn error(code: &'static str, message: impl Into<String>) -> Self {
        Problem {
            code,
            severity: Severity::Error,
            message: message.into(),
        }
    }

    /// A known mistake that Qlik does not refuse outright.
    pub(crate) fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Problem {
            code,
            severity: Severity::Warning,
            message: message.into(),
        }
    }

    /// Whether Qlik refuses the token for this problem.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}: {}", self.severity, self.code, self.message)
    }
}

/// The stable problem codes. The module documentation of [`crate::qlik`] has the table of what
/// each means and its severity; `docs/qlik-rules.md` gives each rule's public source.
pub mod codes {
    /// The token is not three base64url parts of JSON.
    pub const MALFORMED_TOKEN: &str = "QLIK_MALFORMED_TOKEN";
    /// The header or the payload is not a JSON object.
    pub const NOT_OBJECT: &str = "QLIK_NOT_OBJECT";
    /// `alg` is `none`: the token is unsigned.
    pub const ALG_NONE: &str = "QLIK_ALG_NONE";
    /// `alg` is HS256/384/512, which Qlik forbids.
    pub const ALG_HMAC: &str = "QLIK_ALG_HMAC";
    /// `alg` is missing, not a string, or not a JWS algorithm.
    pub const ALG_UNKNOWN: &str = "QLIK_ALG_UNKNOWN";
    /// The header has no `kid` (or an empty one).
    pub const KID_MISSING: &str = "QLIK_KID_MISSING";
    /// `kid` differs from the identity provider's Key ID.
    pub const KID_MISMATCH: &str = "QLIK_KID_MISMATCH";
    /// `typ` is missing or not `"JWT"`.
    pub const TYP: &str = "QLIK_TYP";
    /// A required claim is missing.
    pub const CLAIM_MISSING: &str = "QLIK_CLAIM_MISSING";
    /// A claim (or `kid`) has the wrong type.
    pub const CLAIM_TYPE: &str = "QLIK_CLAIM_TYPE";
    /// `iss`, `sub`, `name` or `jti` is an empty string.
    pub const CLAIM_EMPTY: &str = "QLIK_CLAIM_EMPTY";
    /// `aud` is `qlik.api/jwt-login-session`, the typo of a widely copied comment.
    pub const AUD_TYPO: &str = "QLIK_AUD_TYPO";
    /// `aud` is not Qlik's audience.
    pub const AUD_MISMATCH: &str = "QLIK_AUD_MISMATCH";
    /// `aud` is an array holding only Qlik's audience; Qlik documents a string.
    pub const AUD_ARRAY: &str = "QLIK_AUD_ARRAY";
    /// `subType` is not `"user"`.
    pub const SUBTYPE: &str = "QLIK_SUBTYPE";
    /// `email_verified` is the string `"true"` or `"false"` instead of a boolean.
    pub const EMAIL_VERIFIED_STRING: &str = "QLIK_EMAIL_VERIFIED_STRING";
    /// `jti` is a number instead of a string.
    pub const JTI_NUMBER: &str = "QLIK_JTI_NUMBER";
    /// `jti` is too short to be unique.
    pub const JTI_SHORT: &str = "QLIK_JTI_SHORT";
    /// `exp - nbf` is over 3600 seconds.
    pub const WINDOW_TOO_LONG: &str = "QLIK_WINDOW_TOO_LONG";
    /// `exp` is not after `nbf`: the token is never valid.
    pub const EXP_NOT_AFTER_NBF: &str = "QLIK_EXP_NOT_AFTER_NBF";
    /// `nbf` is after `iat`: the token is not valid when it is made.
    pub const NBF_AFTER_IAT: &str = "QLIK_NBF_AFTER_IAT";
    /// `exp` has passed (with the provider's clock tolerance).
    pub const EXPIRED: &str = "QLIK_EXPIRED";
    /// `nbf` is still ahead (beyond the provider's clock tolerance).
    pub const NOT_YET_VALID: &str = "QLIK_NOT_YET_VALID";
    /// `nbf` is ahead, but within the provider's clock tolerance.
    pub const NBF_IN_FUTURE: &str = "QLIK_NBF_IN_FUTURE";
    /// `groups` is not an array of strings.
    pub const GROUPS_TYPE: &str = "QLIK_GROUPS_TYPE";
    /// A group name is over 256 characters.
    pub const GROUP_TOO_LONG: &str = "QLIK_GROUP_TOO_LONG";
    /// The payload has `group`; Qlik reads only `groups`.
    pub const GROUP_CLAIM: &str = "QLIK_GROUP_CLAIM";
    /// A `jsonwebtoken` signing option (`keyid`, `issuer`, ...) was put in the payload.
    pub const OPTION_IN_PAYLOAD: &str = "QLIK_OPTION_IN_PAYLOAD";
    /// `iss` differs from the identity provider's issuer.
    pub const ISSUER_MISMATCH: &str = "QLIK_ISSUER_MISMATCH";
    /// The signature does not verify with the identity provider's certificate.
    pub const SIGNATURE_MISMATCH: &str = "QLIK_SIGNATURE_MISMATCH";

    /// Every code, for documentation tests and tools.
    pub const ALL: [&str; 30] = [
        MALFORMED_TOKEN,
        NOT_OBJECT,
        ALG_NONE,
        ALG_HMAC,
        ALG_UNKNOWN,
        KID_MISSING,
        KID_MISMATCH,
        TYP,
        CLAIM_MISSING,
        CLAIM_TYPE,
        CLAIM_EMPTY,
        AUD_TYPO,
        AUD_MISMATCH,
        AUD_ARRAY,
        SUBTYPE,
        EMAIL_VERIFIED_STRING,
        JTI_NUMBER,
        JTI_SHORT,
        WINDOW_TOO_LONG,
        EXP_NOT_AFTER_NBF,
        NBF_AFTER_IAT,
        EXPIRED,
        NOT_YET_VALID,
        NBF_IN_FUTURE,
        GROUPS_TYPE,
        GROUP_TOO_LONG,
        GROUP_CLAIM,
        OPTION_IN_PAYLOAD,
        ISSUER_MISMATCH,
        SIGNATURE_MISMATCH,
    ];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severities_have_one_name_each_everywhere() {
        assert_eq!(Severity::Error.as_str(), "error");
        assert_eq!(Severity::Warning.as_str(), "warning");
        let problem = Problem::warning(codes::TYP, "no typ");
        assert_eq!(problem.to_string(), "warning QLIK_TYP: no typ");
        assert!(!problem.is_error());
    }
}
