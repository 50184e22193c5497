//! The JWS algorithms qlik-jwt signs and verifies.

use std::fmt;
use std::str::FromStr;

use crate::error::{Error, ErrorCode};

/// A JWS `alg` value. `None` is the unsecured algorithm and is only ever used when asked for
/// by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Algorithm {
    /// HMAC with SHA-256.
    HS256,
    /// HMAC with SHA-384.
    HS384,
    /// HMAC with SHA-512.
    HS512,
    /// RSASSA-PKCS1-v1_5 with SHA-256.
    RS256,
    /// RSASSA-PKCS1-v1_5 with SHA-384.
    RS384,
    /// RSASSA-PKCS1-v1_5 with SHA-512.
    RS512,
    /// RSASSA-PSS with SHA-256 (salt length 32, as `jsonwebtoken`).
    PS256,
    /// RSASSA-PSS with SHA-384.
    PS384,
    /// RSASSA-PSS with SHA-512.
    PS512,
    /// ECDSA on P-256 with SHA-256.
    ES256,
    /// ECDSA on P-384 with SHA-384.
    ES384,
    /// ECDSA on P-521 with SHA-512.
    ES512,
    /// No signature at all.
    None,
}

/// What kind of key an algorithm needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    /// A shared secret.
    Hmac,
    /// An RSA key, PKCS#1 v1.5 padding.
    Rsa,
    /// An RSA key, PSS padding.
    RsaPss,
    /// An elliptic-curve key.
    Ecdsa,
    /// No key.
    None,
}

impl Algorithm {
    /// Every algorithm, in `jsonwebtoken`'s order of its supported list.
    pub const ALL: [Algorithm; 13] = [
        Algorithm::RS256,
        Algorithm::RS384,
        Algorithm::RS512,
        Algorithm::PS256,
        Algorithm::PS384,
        Algorithm::PS512,
        Algorithm::ES256,
        Algorithm::ES384,
        Algorithm::ES512,
        Algorithm::HS256,
        Algorithm::HS384,
        Algorithm::HS512,
        Algorithm::None,
    ];

    /// The name as it appears in a JWS header, e.g. `"RS256"` or `"none"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Algorithm::HS256 => "HS256",
            Algorithm::HS384 => "HS384",
            Algorithm::HS512 => "HS512",
            Algorithm::RS256 => "RS256",
            Algorithm::RS384 => "RS384",
            Algorithm::RS512 => "RS512",
            Algorithm::PS256 => "PS256",
            Algorithm::PS384 => "PS384",
            Algorithm::PS512 => "PS512",
            Algorithm::ES256 => "ES256",
            Algorithm::ES384 => "ES384",
            Algorithm::ES512 => "ES512",
            Algorithm::None => "none",
        }
    }

    /// The kind of key this algorithm needs.
    pub const fn family(self) -> Family {
        match self {
            Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512 => Family::Hmac,
            Algorithm::RS256 | Algorithm::RS384 | Algorithm::RS512 => Family::Rsa,
            Algorithm::PS256 | Algorithm::PS384 | Algorithm::PS512 => Family::RsaPss,
            Algorithm::ES256 | Algorithm::ES384 | Algorithm::ES512 => Family::Ecdsa,
            Algorithm::None => Family::None,
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Algorithm {
    type Err = Error;

    /// Parses a JWS `alg` name; names are case-sensitive, as in JWS.
    fn from_str(name: &str) -> Result<Self, Error> {
        Algorithm::ALL.into_iter().find(|alg| alg.as_str() == name).ok_or_else(|| {
            Error::plain(
                ErrorCode::UnsupportedAlgorithm,
                format!(
                    "unsupported algorithm {name:?}: expected one of RS256, RS384, RS512, PS256, \
                     PS384, PS512, ES256, ES384, ES512, HS256, HS384, HS512 or none"
                ),
            )
        })
    }
}
