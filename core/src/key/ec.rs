//! ES256/384/512 (ECDSA on P-256/P-384/P-521, JWS fixed-width `r || s` signatures).

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{
    self, EcdsaKeyPair, EcdsaSigningAlgorithm, EcdsaVerificationAlgorithm, KeyPair, ParsedPublicKey,
};

use super::Curve;
use crate::error::{Error, ErrorCode, Result};

fn signing_algorithm(curve: Curve) -> &'static EcdsaSigningAlgorithm {
    match curve {
        Curve::P256 => &signature::ECDSA_P256_SHA256_FIXED_SIGNING,
        Curve::P384 => &signature::ECDSA_P384_SHA384_FIXED_SIGNING,
        Curve::P521 => &signature::ECDSA_P521_SHA512_FIXED_SIGNING,
    }
}

fn verification_algorithm(curve: Curve) -> &'static EcdsaVerificationAlgorithm {
    match curve {
        Curve::P256 => &signature::ECDSA_P256_SHA256_FIXED,
        Curve::P384 => &signature::ECDSA_P384_SHA384_FIXED,
        Curve::P521 => &signature::ECDSA_P521_SHA512_FIXED,
    }
}

/// The length of a fixed-width signature: two field elements.
fn signature_len(curve: Curve) -> usize {
    match curve {
        Curve::P256 => 64,
        Curve::P384 => 96,
        Curve::P521 => 132,
    }
}

/// An EC private key, parsed once.
pub(crate) struct EcSigner {
    pair: EcdsaKeyPair,
}

impl EcSigner {
    /// From PKCS#8 or SEC1 DER on a known curve.
    pub fn new(curve: Curve, der: &[u8]) -> Result<Self> {
        EcdsaKeyPair::from_private_key_der(signing_algorithm(curve), der)
            .map(|pair| EcSigner { pair })
            .map_err(|rejected| {
                Error::plain(
                    ErrorCode::InvalidKey,
                    format!("the EC private key is not valid ({rejected})"),
                )
            })
    }

    pub fn sign(&self, message: &[u8]) -> Result<Vec<u8>> {
        self.pair
            .sign(&SystemRandom::new(), message)
            .map(|signature| signature.as_ref().to_vec())
            .map_err(|_| Error::internal("ECDSA signing failed"))
    }

    /// The uncompressed SEC1 public point.
    pub fn public_point(&self) -> Vec<u8> {
        self.pair.public_key().as_ref().to_vec()
    }
}

/// An EC public key, parsed once.
pub(crate) struct EcVerifier {
    curve: Curve,
    /// The SubjectPublicKeyInfo DER, canonical (uncompressed point).
    pub spki: Vec<u8>,
    parsed: ParsedPublicKey,
}

impl EcVerifier {
    /// From a SEC1 point (uncompressed or compressed).
    pub fn new(curve: Curve, point: &[u8]) -> Result<Self> {
        let parsed = ParsedPublicKey::new(verification_algorithm(curve), point).map_err(|_| {
            Error::plain(
                ErrorCode::InvalidKey,
                "the EC public key is not a point on its curve",
            )
        })?;
        let spki = parsed
            .as_der()
            .map(|der| der.as_ref().to_vec())
            .map_err(|_| Error::internal("encoding an EC public key failed"))?;
        Ok(EcVerifier {
            curve,
            spki,
            parsed,
        })
    }

    /// `false` for a wrong signature, including one of the wrong length and r = s = 0.
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        if signature.len() != signature_len(self.curve) || signature.iter().all(|&b| b == 0) {
            return false;
        }
        self.parsed.verify_sig(message, signature).is_ok()
    }
}
