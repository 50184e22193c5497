//! Whether a private key belongs to a certificate or public key.

use crate::alg::Algorithm;
use crate::error::{Error, ErrorCode, Result};
use crate::key::{Curve, KeyKind, SigningKey, VerifyingKey};

/// True when `private_key` is the private half of `public` (a certificate or public key): a
/// random message signed with the private key verifies with the public one. A token signed
/// with a key that does not match the identity provider's certificate fails with 401 at
/// Qlik, with no hint why. Fails when either key is a secret or of a type no JWS algorithm
/// signs with.
pub fn key_matches(private_key: &SigningKey, public: &VerifyingKey) -> Result<bool> {
    let Some(alg) = probe_algorithm(private_key.kind()) else {
        return Err(Error::plain(
            ErrorCode::InvalidKey,
            format!(
                "the private key is {}: expected an RSA or EC private key",
                describe(private_key.kind())
            ),
        ));
    };
    if probe_algorithm(public.kind()) != Some(alg) {
        return Ok(false);
    }
    let mut message = [0u8; 32];
    aws_lc_rs::rand::fill(&mut message).map_err(|_| Error::internal("the random source failed"))?;
    let signature = private_key.sign(alg, &message)?;
    public.verify(alg, &message, &signature)
}

/// An algorithm that both halves of a pair of this kind can use.
fn probe_algorithm(kind: &KeyKind) -> Option<Algorithm> {
    match kind {
        KeyKind::Rsa { .. } => Some(Algorithm::RS256),
        KeyKind::RsaPss { .. } => Some(Algorithm::PS256),
        KeyKind::Ec { curve: Curve::P256 } => Some(Algorithm::ES256),
        KeyKind::Ec { curve: Curve::P384 } => Some(Algorithm::ES384),
        KeyKind::Ec { curve: Curve::P521 } => Some(Algorithm::ES512),
        KeyKind::Secret { .. } | KeyKind::Unsupported { .. } => None,
    }
}

fn describe(kind: &KeyKind) -> String {
    match kind {
        KeyKind::Secret { .. } => "a shared secret".to_owned(),
        KeyKind::Unsupported {
            asymmetric_key_type,
        } => format!("an {asymmetric_key_type} key"),
        other => format!("{other:?}"),
    }
}
