//! Key kinds and curves, and whether a key fits an algorithm.

use super::parse;
use super::{Curve, KeyKind, RsaPssParameters};
use crate::alg::{Algorithm, Family};
use crate::error::{Error, ErrorCode, Result};

pub(super) fn rsa_kind(
    bits: usize,
    rsa_type: parse::RsaType,
) -> (KeyKind, Option<RsaPssParameters>) {
    match rsa_type {
        parse::RsaType::Rsa => (KeyKind::Rsa { bits }, None),
        parse::RsaType::Pss(parameters) => (KeyKind::RsaPss { bits }, parameters),
    }
}

/// Checks that a key of `kind` can be used with `alg` (family and curve).
pub(super) fn check_fits(kind: &KeyKind, alg: Algorithm) -> Result<()> {
    let fits = match (alg.family(), kind) {
        (Family::None, _) => true,
        (Family::Hmac, KeyKind::Secret { .. }) => true,
        (Family::Rsa, KeyKind::Rsa { .. }) => true,
        (Family::RsaPss, KeyKind::Rsa { .. } | KeyKind::RsaPss { .. }) => true,
        (Family::Ecdsa, KeyKind::Ec { curve }) => Some(*curve) == curve_for(alg),
        _ => false,
    };
    if fits {
        Ok(())
    } else {
        Err(mismatch(kind, alg))
    }
}

/// The curve an ES algorithm needs.
pub fn curve_for(alg: Algorithm) -> Option<Curve> {
    match alg {
        Algorithm::ES256 => Some(Curve::P256),
        Algorithm::ES384 => Some(Curve::P384),
        Algorithm::ES512 => Some(Curve::P521),
        _ => None,
    }
}

pub(super) fn mismatch(kind: &KeyKind, alg: Algorithm) -> Error {
    let needs = match alg.family() {
        Family::Hmac => "a shared secret".to_string(),
        Family::Rsa => "an RSA key".to_string(),
        Family::RsaPss => "an RSA or RSA-PSS key".to_string(),
        Family::Ecdsa => match curve_for(alg) {
            Some(curve) => format!("an EC key on {}", curve.name()),
            None => "an EC key".to_string(),
        },
        Family::None => "no key".to_string(),
    };
    Error::plain(
        ErrorCode::KeyAlgorithmMismatch,
        format!("{alg} needs {needs}, but the key is {}", kind.describe()),
    )
}

impl Curve {
    /// The curve's JOSE name: `P-256`, `P-384` or `P-521`.
    pub const fn name(self) -> &'static str {
        match self {
            Curve::P256 => "P-256",
            Curve::P384 => "P-384",
            Curve::P521 => "P-521",
        }
    }

    /// The ES algorithm that uses this curve.
    pub const fn algorithm(self) -> Algorithm {
        match self {
            Curve::P256 => Algorithm::ES256,
            Curve::P384 => Algorithm::ES384,
            Curve::P521 => Algorithm::ES512,
        }
    }
}

impl KeyKind {
    /// Node's `asymmetricKeyType` (`"rsa"`, `"rsa-pss"`, `"ec"`, `"ed25519"`...); `None` for a
    /// secret.
    pub fn asymmetric_key_type(&self) -> Option<&str> {
        match self {
            KeyKind::Secret { .. } => None,
            KeyKind::Rsa { .. } => Some("rsa"),
            KeyKind::RsaPss { .. } => Some("rsa-pss"),
            KeyKind::Ec { .. } => Some("ec"),
            KeyKind::Unsupported {
                asymmetric_key_type,
            } => Some(asymmetric_key_type),
        }
    }

    /// A short description for messages, e.g. "a 2048-bit RSA key".
    pub fn describe(&self) -> String {
        match self {
            KeyKind::Secret { .. } => "a shared secret".to_string(),
            KeyKind::Rsa { bits } => format!("a {bits}-bit RSA key"),
            KeyKind::RsaPss { bits } => format!("a {bits}-bit RSA-PSS key"),
            KeyKind::Ec { curve } => format!("an EC key on {}", curve.name()),
            KeyKind::Unsupported {
                asymmetric_key_type,
            } => {
                format!("an unsupported key of type \"{asymmetric_key_type}\"")
            }
        }
    }
}
