//! Qlik Cloud: the signer that makes valid `POST /login/jwt-session` tokens, and the checks that
//! explain why Qlik would refuse a token. The rules are those of Qlik's documentation as
//! summarized in the project's QLIK.md.

use crate::alg::Algorithm;
use crate::error::Result;
use crate::key::{SigningKey, VerifyingKey};

/// The one audience Qlik Cloud accepts.
pub const AUDIENCE: &str = "qlik.api/login/jwt-session";

/// The longest `exp - nbf` Qlik Cloud accepts, in seconds.
pub const MAX_WINDOW_SECS: i64 = 3600;

/// The identity provider's settings a signer is made from.
#[derive(Debug, Clone)]
pub struct SignerConfig {
    /// The private key whose certificate the identity provider holds.
    pub private_key: SigningKey,
    /// The identity provider's Key ID (the header `kid`).
    pub key_id: String,
    /// The identity provider's issuer (the `iss` claim).
    pub issuer: String,
    /// The algorithm; `None` means the default, RS256 (or ES* for an EC key).
    pub algorithm: Option<Algorithm>,
    /// Seconds that `nbf` lies before the signing instant; `None` means the default.
    pub not_before_skew_secs: Option<i64>,
    /// Seconds from the signing instant to `exp`; `None` means the default.
    pub lifetime_secs: Option<i64>,
}

/// The user a Qlik token logs in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QlikUser {
    /// The user's stable id in the tenant (`sub`).
    pub sub: String,
    /// Display name (`name`).
    pub name: String,
    /// Email address (`email`; may be empty, as in Qlik's tutorial).
    pub email: String,
    /// Whether the email is verified (`email_verified`).
    pub email_verified: bool,
    /// Group names (`groups`), each at most 256 characters.
    pub groups: Option<Vec<String>>,
}

/// A Qlik token signer, made once from the identity provider's settings.
#[derive(Debug, Clone)]
pub struct QlikSigner {
    _skeleton: (),
}

impl QlikSigner {
    /// Checks the settings (key fits the algorithm, no HS*, window within Qlik's limit) and
    /// makes a signer.
    pub fn new(config: SignerConfig) -> Result<Self> {
        let _ = config;
        todo!("SKELETON")
    }

    /// A valid Qlik token for `user` at the instant `now_secs` (seconds since the epoch), with a
    /// fresh random `jti`.
    pub fn sign(&self, user: &QlikUser, now_secs: i64) -> Result<String> {
        let _ = (user, now_secs);
        todo!("SKELETON")
    }
}

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Severity {
    /// Qlik refuses the token.
    Error,
    /// Qlik accepts it, but it is a known mistake or fails under ordinary conditions.
    Warning,
}

/// One reason Qlik would refuse a token, or a known mistake in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Stable code, e.g. `"QLIK_MISSING_CLAIM"`.
    pub code: &'static str,
    /// Whether Qlik refuses the token for it.
    pub severity: Severity,
    /// What is wrong and what would be right.
    pub message: String,
}

/// The identity provider settings a token is checked against; each is optional.
#[derive(Debug, Clone, Default)]
pub struct IdentityProvider {
    /// The provider's issuer.
    pub issuer: Option<String>,
    /// The provider's Key ID.
    pub key_id: Option<String>,
    /// The provider's certificate or public key.
    pub certificate: Option<VerifyingKey>,
    /// The provider's clock tolerance in seconds.
    pub clock_tolerance_secs: Option<i64>,
}

/// Every reason Qlik would refuse `token` at `now_secs`, and the known mistakes in it; empty
/// when Qlik would accept it.
pub fn explain(token: &str, provider: &IdentityProvider, now_secs: i64) -> Vec<Problem> {
    let _ = (token, provider, now_secs);
    todo!("SKELETON")
}
