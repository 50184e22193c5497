//! Qlik Cloud: the signer that makes valid `POST /login/jwt-session` tokens, and the checks that
//! explain why Qlik would refuse a token. The rules are those of Qlik's documentation; each
//! one, its problem code and its public source are listed in `docs/qlik-rules.md`.
//!
//! - [`QlikSigner`]: made once from the identity provider's settings ([`SignerConfig`]), it
//!   signs a [`QlikUser`] into a token Qlik accepts: a fresh 32-byte random `jti`, `subType`
//!   `"user"`, Qlik's [`AUDIENCE`], `nbf` 30 s before and `exp` 300 s after the signing instant
//!   by default. It refuses what Qlik would refuse, saying which rule and what to do instead.
//! - [`check_claims`]: every problem visible in a header and payload alone.
//! - [`explain`]: a whole token, also against an [`IdentityProvider`] and the current time.
//!
//! ```
//! use qlik_jwt::SigningKey;
//! use qlik_jwt::qlik::{self, IdentityProvider, QlikSigner, QlikUser, SignerConfig};
//!
//! # let pem = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/keys/rsa2048-private-pkcs8.pem")).unwrap();
//! let signer = QlikSigner::new(SignerConfig {
//!     private_key: SigningKey::from_private(&pem, None)?,
//!     key_id: "my-custom-jwt".into(),
//!     issuer: "https://my-custom-jwt".into(),
//!     algorithm: None,            // RS256 for an RSA key
//!     not_before_skew_secs: None, // nbf = now - 30 s
//!     lifetime_secs: None,        // exp = now + 300 s
//! })?;
//! let user = QlikUser {
//!     sub: "0hEhiPyhMBdtOCv2UZKoLo4G24p-7R6eeGdZUQHF0-c".into(),
//!     name: "Hardcore Harry".into(),
//!     email: String::new(),
//!     email_verified: true,
//!     groups: Some(vec!["Sales".into()]),
//! };
//! let now = 1_700_000_000;
//! let token = signer.sign(&user, now)?;
//!
//! let provider = IdentityProvider {
//!     issuer: Some("https://my-custom-jwt".into()),
//!     key_id: Some("my-custom-jwt".into()),
//!     ..IdentityProvider::default()
//! };
//! assert!(qlik::explain(&token, &provider, now).is_empty());
//! let late = qlik::explain(&token, &provider, now + 600);
//! assert_eq!(late[0].code, qlik::codes::EXPIRED);
//! # Ok::<(), qlik_jwt::Error>(())
//! ```
//!
//! # Problem codes
//!
//! Each [`Problem`] has a stable code (constants in [`codes`]). *Error* means Qlik refuses the
//! token (a rule listed in `docs/qlik-rules.md`); *Warning* means Qlik accepts it but it is a
//! known mistake or fails under ordinary conditions. Codes marked *explain* need the identity
//! provider or the time and come only from [`explain`]; the others come from [`check_claims`]
//! too.
//!
//! | code | severity | when |
//! |---|---|---|
//! | `QLIK_MALFORMED_TOKEN` | Error | *explain*: not three base64url parts of JSON (also a `Bearer ` prefix or surrounding whitespace) |
//! | `QLIK_NOT_OBJECT` | Error | the header or the payload is not a JSON object |
//! | `QLIK_ALG_NONE` | Error | `alg` is `none` (unsigned) |
//! | `QLIK_ALG_HMAC` | Error | `alg` is HS256/384/512, which Qlik forbids |
//! | `QLIK_ALG_UNKNOWN` | Error | `alg` missing, not a string, or not a JWS algorithm |
//! | `QLIK_KID_MISSING` | Error | no `kid` in the header, or an empty one |
//! | `QLIK_KID_MISMATCH` | Error | *explain*: `kid` is not the provider's Key ID |
//! | `QLIK_TYP` | Warning | `typ` missing or not `"JWT"` |
//! | `QLIK_CLAIM_MISSING` | Error | a required claim is missing: `iss`, `aud`, `sub`, `subType`, `name`, `email`, `email_verified`, `jti`, `iat`, `nbf`, `exp` |
//! | `QLIK_CLAIM_TYPE` | Error | a claim (or `kid`) has the wrong type, e.g. `exp` as a string |
//! | `QLIK_CLAIM_EMPTY` | Error | `iss`, `sub`, `name` or `jti` is `""` (`email` may be empty) |
//! | `QLIK_AUD_TYPO` | Error | `aud` is `qlik.api/jwt-login-session` (a widely copied typo) |
//! | `QLIK_AUD_MISMATCH` | Error | `aud` is anything else but `qlik.api/login/jwt-session` |
//! | `QLIK_AUD_ARRAY` | Warning | `aud` is `["qlik.api/login/jwt-session"]`; Qlik documents a string |
//! | `QLIK_SUBTYPE` | Error | `subType` is not `"user"` |
//! | `QLIK_EMAIL_VERIFIED_STRING` | Error | `email_verified` is `"true"`/`"false"`, not a boolean |
//! | `QLIK_JTI_NUMBER` | Error | `jti` is a number, not a string |
//! | `QLIK_JTI_SHORT` | Warning | `jti` under 16 characters: may repeat and be refused as a replay |
//! | `QLIK_WINDOW_TOO_LONG` | Error | `exp - nbf` over 3600 s |
//! | `QLIK_EXP_NOT_AFTER_NBF` | Error | `exp` not after `nbf`: never valid |
//! | `QLIK_NBF_AFTER_IAT` | Warning | `nbf` after `iat` (the tutorial's `notBefore: "1s"`): refused if exchanged at once or the tenant clock lags |
//! | `QLIK_EXPIRED` | Error | *explain*: `now >= exp + tolerance` |
//! | `QLIK_NOT_YET_VALID` | Error | *explain*: `nbf > now + tolerance` |
//! | `QLIK_NBF_IN_FUTURE` | Warning | *explain*: `nbf > now`, accepted only thanks to the clock tolerance |
//! | `QLIK_GROUPS_TYPE` | Error | `groups` is not an array of strings |
//! | `QLIK_GROUP_TOO_LONG` | Error | a group name over 256 characters |
//! | `QLIK_GROUP_CLAIM` | Warning | a `group` claim, which Qlik ignores (it reads `groups`) |
//! | `QLIK_OPTION_IN_PAYLOAD` | Warning | a `jsonwebtoken` option as a claim: `keyid`, `algorithm`, `issuer`, `audience`, `expiresIn`, `notBefore`, `subject`, `jwtid` |
//! | `QLIK_ISSUER_MISMATCH` | Error | *explain*: `iss` is not the provider's issuer |
//! | `QLIK_SIGNATURE_MISMATCH` | Error | *explain*: the signature does not verify with the provider's certificate |
//!
//! Time checks use the provider's `clock_tolerance_secs`; when it is unknown (Qlik's default
//! is undocumented) they assume none, so `QLIK_NOT_YET_VALID` for the tutorial's
//! `notBefore: "1s"` token explained at the instant it is signed matches `docs/qlik-rules.md`:
//! Qlik refuses it when it is exchanged at once.
//!
//! Messages name the claim, what it holds and what would be right. They quote header and claim
//! values (cut when long) but never key material.

mod checks;
pub mod client_managed;
mod explain;
mod jti;
mod keys;
#[cfg(feature = "protocol")]
pub mod oauth;
#[cfg(feature = "protocol")]
pub mod oauth_protocol;
mod objects;
mod problems;
pub mod protocol;
mod refusal;
mod rules;
mod show;
mod signer;

pub use checks::check_claims;
pub use explain::{IdentityProvider, explain};
pub use jti::{JTI_BYTES, JTI_CHARS, new_jti};
pub use keys::{provider_key, signer_key};
pub use problems::{Problem, Severity, codes};
pub use refusal::{is_qlik_audience, refuse_what_qlik_refuses};
pub use rules::{MAX_GROUP_CHARS, MIN_JTI_CHARS, SIGNING_OPTIONS, TYPO_AUDIENCE};
pub use signer::{
    DEFAULT_LIFETIME_SECS, DEFAULT_NOT_BEFORE_SKEW_SECS, QlikSigner, QlikUser, SignerConfig,
};

/// The one audience Qlik Cloud accepts.
pub const AUDIENCE: &str = "qlik.api/login/jwt-session";

/// The longest `exp - nbf` Qlik Cloud accepts, in seconds.
pub const MAX_WINDOW_SECS: i64 = 3600;

#[cfg(test)]
mod tests;
