//! Qlik Cloud OAuth with a private key JWT: the client assertion an OAuth client signs instead of
//! sending a client secret, and every reason Qlik would refuse one. The rules and their public
//! sources are listed in `docs/oauth.md`.
//!
//! - [`ClientAssertionSigner`]: made once from the private key whose public JWK is registered on
//!   the OAuth client, the JWK's `kid`, the client ID and the tenant URL. Each
//!   [`sign`](ClientAssertionSigner::sign) gives a fresh assertion: header `alg` and `kid`;
//!   `iss` = `sub` = the client ID, `aud` = `https://<tenant>/oauth/token` exactly, a CSPRNG
//!   UUIDv4 `jti`, `iat` now and `exp` [`DEFAULT_LIFETIME_SECS`] later (at most
//!   [`MAX_LIFETIME_SECS`]). It refuses HS*, PS*, ES256 and ES512 keys and RSA keys under 2048
//!   bits ([`crate::ErrorCode::OauthKeyNotAllowed`], [`crate::ErrorCode::KeyTooSmall`]) and a
//!   tenant URL with a path, query, fragment, credentials or remote `http`
//!   ([`crate::ErrorCode::OauthTenantUrl`]).
//! - [`RegisteredClient`] (with its [`RegisteredKey`]) and [`explain_client_assertion`]: every
//!   reason Qlik would refuse an assertion, with the stable [`codes`]; [`RegisteredClient::check`]
//!   gives a token endpoint the accepted claims.
//!
//! ```
//! use qlik_jwt::qlik::oauth::{
//!     ClientAssertionConfig, ClientAssertionSigner, RegisteredClient, RegisteredKey,
//! };
//! use qlik_jwt::qlik::signer_key;
//!
//! # let pem = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/keys/rsa2048-private-pkcs8.pem")).unwrap();
//! let signer = ClientAssertionSigner::new(ClientAssertionConfig {
//!     private_key: signer_key(&pem, None)?,
//!     key_id: "my-key-1".into(),
//!     client_id: "my-oauth-client-id".into(),
//!     tenant_url: "https://acme.eu.qlikcloud.com".into(),
//!     algorithm: None,     // RS256 for an RSA key, ES384 for an EC P-384 key
//!     lifetime_secs: None, // exp = iat + 240 s
//! })?;
//! let now = 1_700_000_000;
//! let assertion = signer.sign_at(now)?;
//!
//! let client = RegisteredClient::new(
//!     "my-oauth-client-id",
//!     "https://acme.eu.qlikcloud.com",
//!     Some(RegisteredKey::from_public_key(&pem, Some("my-key-1"))?),
//! )?;
//! assert!(client.accepts(&assertion, now));
//! let late = client.explain(&assertion, now + 600);
//! assert_eq!(late[0].code, qlik_jwt::qlik::oauth::codes::EXPIRED);
//! # Ok::<(), qlik_jwt::Error>(())
//! ```
//!
//! # Problem codes
//!
//! All are errors: Qlik refuses the assertion for each.
//!
//! | code | when |
//! |---|---|
//! | `OAUTH_MALFORMED_ASSERTION` | not three base64url parts of JSON objects |
//! | `OAUTH_ALG_NOT_ALLOWED` | `alg` missing, `none`, HS*, PS*, ES256, ES512, RS384 or unknown: Qlik takes RS256, RS512, ES384 |
//! | `OAUTH_ALG_MISMATCH` | `alg` differs from the registered JWK's `alg`, or does not fit the registered key |
//! | `OAUTH_KID_MISSING` | no `kid` in the header (or an empty or non-string one) |
//! | `OAUTH_KID_MISMATCH` | `kid` is not the registered JWK's `kid` |
//! | `OAUTH_SIGNATURE_INVALID` | the signature does not verify with the registered public key |
//! | `OAUTH_CLAIM_MISSING` | `iss`, `sub`, `aud`, `jti`, `iat` or `exp` is missing |
//! | `OAUTH_CLAIM_TYPE` | a claim has the wrong type (e.g. `exp` as a string, `jti` as a number) |
//! | `OAUTH_ISS_MISMATCH` | `iss` is not the client ID |
//! | `OAUTH_SUB_MISMATCH` | `sub` is not `iss` (and the client ID) |
//! | `OAUTH_AUD_MISMATCH` | `aud` is not exactly `https://<tenant>/oauth/token` (a trailing slash, `http`, the tenant alone, another path or tenant, an array) |
//! | `OAUTH_JTI_NOT_UUID` | `jti` is not a UUID |
//! | `OAUTH_EXP_NOT_AFTER_IAT` | `exp` is not after `iat` |
//! | `OAUTH_LIFETIME_TOO_LONG` | `exp - iat` is over 300 s |
//! | `OAUTH_EXPIRED` | `now >= exp` |
//! | `OAUTH_ISSUED_IN_FUTURE` | `iat > now` (a clock ahead, or milliseconds) |
//! | `OAUTH_NOT_YET_VALID` | an `nbf` after now |
//! | `OAUTH_JTI_REPLAYED` | the `jti` was used before (reported by a token endpoint, [`replayed_jti`]) |
//!
//! Qlik documents no clock tolerance for assertions, so none is assumed.

mod algorithm;
mod explain;
mod registered;
mod signer;
mod token_endpoint;
mod uuid;

#[cfg(test)]
mod tests;

pub use algorithm::assertion_algorithm;
pub use explain::{AcceptedAssertion, explain_client_assertion, replayed_jti};
pub use registered::{RegisteredClient, RegisteredKey};
pub use signer::{ClientAssertionConfig, ClientAssertionSigner, assertion_private_key};
pub use token_endpoint::token_endpoint;
pub use uuid::{is_uuid, new_uuid_v4};

use crate::alg::Algorithm;

/// The algorithms Qlik Cloud takes for a private key JWT.
pub const ALGORITHMS: [Algorithm; 3] = [Algorithm::RS256, Algorithm::RS512, Algorithm::ES384];

/// The shortest RSA modulus Qlik takes (4096 bits is its recommendation for long-term keys).
pub const MIN_RSA_BITS: usize = 2048;

/// The longest `exp - iat` Qlik takes, in seconds (5 minutes).
pub const MAX_LIFETIME_SECS: i64 = 300;

/// The signer's default `exp - iat`: a minute under Qlik's limit, so that an endpoint that
/// compares strictly or rounds never sees the assertion at the edge, and still minutes for a
/// slow request or a tenant clock somewhat ahead.
pub const DEFAULT_LIFETIME_SECS: i64 = 240;

/// The path of the token endpoint on a tenant, the assertion's audience.
pub const TOKEN_PATH: &str = "/oauth/token";

/// The `client_assertion_type` of a token request that carries a client assertion.
pub const CLIENT_ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// The stable codes of the problems [`explain_client_assertion`] reports.
pub mod codes {
    /// Not three base64url parts of JSON objects.
    pub const MALFORMED_ASSERTION: &str = "OAUTH_MALFORMED_ASSERTION";
    /// `alg` is not RS256, RS512 or ES384.
    pub const ALG_NOT_ALLOWED: &str = "OAUTH_ALG_NOT_ALLOWED";
    /// `alg` differs from the registered JWK's or does not fit the registered key.
    pub const ALG_MISMATCH: &str = "OAUTH_ALG_MISMATCH";
    /// No `kid` in the header.
    pub const KID_MISSING: &str = "OAUTH_KID_MISSING";
    /// `kid` is not the registered JWK's.
    pub const KID_MISMATCH: &str = "OAUTH_KID_MISMATCH";
    /// The signature does not verify with the registered public key.
    pub const SIGNATURE_INVALID: &str = "OAUTH_SIGNATURE_INVALID";
    /// A required claim is missing.
    pub const CLAIM_MISSING: &str = "OAUTH_CLAIM_MISSING";
    /// A claim has the wrong type.
    pub const CLAIM_TYPE: &str = "OAUTH_CLAIM_TYPE";
    /// `iss` is not the client ID.
    pub const ISS_MISMATCH: &str = "OAUTH_ISS_MISMATCH";
    /// `sub` is not `iss` and the client ID.
    pub const SUB_MISMATCH: &str = "OAUTH_SUB_MISMATCH";
    /// `aud` is not exactly the tenant's token endpoint.
    pub const AUD_MISMATCH: &str = "OAUTH_AUD_MISMATCH";
    /// `jti` is not a UUID.
    pub const JTI_NOT_UUID: &str = "OAUTH_JTI_NOT_UUID";
    /// `exp` is not after `iat`.
    pub const EXP_NOT_AFTER_IAT: &str = "OAUTH_EXP_NOT_AFTER_IAT";
    /// `exp - iat` is over 300 s.
    pub const LIFETIME_TOO_LONG: &str = "OAUTH_LIFETIME_TOO_LONG";
    /// `exp` has passed.
    pub const EXPIRED: &str = "OAUTH_EXPIRED";
    /// `iat` is after now.
    pub const ISSUED_IN_FUTURE: &str = "OAUTH_ISSUED_IN_FUTURE";
    /// `nbf` is after now.
    pub const NOT_YET_VALID: &str = "OAUTH_NOT_YET_VALID";
    /// The `jti` was used before.
    pub const JTI_REPLAYED: &str = "OAUTH_JTI_REPLAYED";

    /// Every code, for documentation tests and tools.
    pub const ALL: [&str; 18] = [
        MALFORMED_ASSERTION,
        ALG_NOT_ALLOWED,
        ALG_MISMATCH,
        KID_MISSING,
        KID_MISMATCH,
        SIGNATURE_INVALID,
        CLAIM_MISSING,
        CLAIM_TYPE,
        ISS_MISMATCH,
        SUB_MISMATCH,
        AUD_MISMATCH,
        JTI_NOT_UUID,
        EXP_NOT_AFTER_IAT,
        LIFETIME_TOO_LONG,
        EXPIRED,
        ISSUED_IN_FUTURE,
        NOT_YET_VALID,
        JTI_REPLAYED,
    ];
}
