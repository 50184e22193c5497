//! Which algorithm a key signs client assertions with, and why another key or algorithm is
//! refused: Qlik Cloud takes RS256, RS512 and ES384 only, RSA keys of 2048 bits or more.

use super::{ALGORITHMS, MIN_RSA_BITS};
use crate::alg::Algorithm;
use crate::error::{Error, ErrorCode, Result};
use crate::key::{Curve, KeyKind};

/// The algorithm a key of `kind` signs assertions with: `requested` when it is one Qlik takes
/// and the key fits it, else RS256 for an RSA key and ES384 for an EC P-384 key. Refuses HS*,
/// PS*, ES256, ES512 and RS384 (requested, or the only ones the key can sign), and RSA keys
/// under 2048 bits, each with an error that names what would be right.
pub fn assertion_algorithm(kind: &KeyKind, requested: Option<Algorithm>) -> Result<Algorithm> {
    if let Some(alg) = requested
        && !ALGORITHMS.contains(&alg)
    {
        return Err(not_allowed(format!(
            "{alg} is not an algorithm Qlik Cloud takes for a private key JWT: use RS256 or \
             RS512 with an RSA key, or ES384 with an EC P-384 key"
        )));
    }
    let default = match kind {
        KeyKind::Rsa { bits } if *bits < MIN_RSA_BITS => {
            return Err(Error::plain(
                ErrorCode::KeyTooSmall,
                format!(
                    "the private key is a {bits}-bit RSA key: Qlik Cloud takes RSA keys of at \
                     least {MIN_RSA_BITS} bits for a private key JWT (4096 recommended)"
                ),
            ));
        }
        KeyKind::Rsa { .. } => Algorithm::RS256,
        KeyKind::Ec { curve: Curve::P384 } => Algorithm::ES384,
        KeyKind::Ec { curve } => {
            return Err(not_allowed(format!(
                "the private key is an EC key on {}, which signs {}: Qlik Cloud takes ES384 \
                 (an EC key on P-384) or RS256/RS512 (an RSA key) for a private key JWT",
                curve.name(),
                curve.algorithm()
            )));
        }
        KeyKind::RsaPss { .. } => {
            return Err(not_allowed(
                "the private key is an RSA-PSS key, which signs PS256/PS384/PS512 only: Qlik \
                 Cloud takes RS256 or RS512, so use a plain RSA key (rsaEncryption), or ES384 \
                 with an EC P-384 key",
            ));
        }
        KeyKind::Secret { .. } => {
            return Err(not_allowed(
                "the key is a shared secret (HS256/HS384/HS512): a private key JWT is signed \
                 with a private key, RSA (RS256/RS512) or EC P-384 (ES384)",
            ));
        }
        KeyKind::Unsupported { .. } => {
            return Err(not_allowed(format!(
                "the private key is {}: Qlik Cloud takes RSA (RS256/RS512) or EC P-384 (ES384) \
                 keys for a private key JWT",
                kind.describe()
            )));
        }
    };
    match requested {
        None => Ok(default),
        Some(alg) if alg == default || (default == Algorithm::RS256 && alg == Algorithm::RS512) => {
            Ok(alg)
        }
        Some(alg) => Err(Error::plain(
            ErrorCode::KeyAlgorithmMismatch,
            format!(
                "{alg} does not fit the private key, {}: use {}",
                kind.describe(),
                if default == Algorithm::ES384 {
                    "ES384"
                } else {
                    "RS256 or RS512"
                }
            ),
        )),
    }
}

fn not_allowed(message: impl Into<String>) -> Error {
    Error::plain(ErrorCode::OauthKeyNotAllowed, message)
}
