//! RS256/384/512 (PKCS#1 v1.5) and PS256/384/512 (PSS, salt length = hash length, as Node
//! and `jsonwebtoken` use) with aws-lc-rs.

use std::sync::OnceLock;

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{self, ParsedPublicKey, RsaEncoding, RsaKeyPair, RsaParameters};

use super::parse::RsaPublic;
use crate::alg::Algorithm;
use crate::error::{Error, ErrorCode, Result};

/// An RSA private key, parsed once.
pub(crate) struct RsaSigner {
    pair: Option<RsaKeyPair>,
    /// The public numbers as PKCS#1 DER.
    pub public_pkcs1: Vec<u8>,
    pub bits: usize,
}

impl RsaSigner {
    /// Builds a signer from an `RSAPrivateKey` DER. aws-lc-rs only signs with 2048..=8192-bit
    /// keys; other sizes still parse (so callers can report the size) but cannot sign.
    pub fn new(pkcs1: &[u8], public: RsaPublic) -> Result<Self> {
        let pair = match RsaKeyPair::from_der(pkcs1) {
            Ok(pair) => Some(pair),
            Err(_) if !(2048..=8192).contains(&public.bits) => None,
            Err(rejected) => {
                return Err(Error::plain(
                    ErrorCode::InvalidKey,
                    format!("the RSA private key is not valid ({rejected})"),
                ));
            }
        };
        Ok(RsaSigner {
            pair,
            public_pkcs1: public.pkcs1,
            bits: public.bits,
        })
    }

    pub fn sign(&self, alg: Algorithm, message: &[u8]) -> Result<Vec<u8>> {
        let encoding: &'static dyn RsaEncoding = match alg {
            Algorithm::RS256 => &signature::RSA_PKCS1_SHA256,
            Algorithm::RS384 => &signature::RSA_PKCS1_SHA384,
            Algorithm::RS512 => &signature::RSA_PKCS1_SHA512,
            Algorithm::PS256 => &signature::RSA_PSS_SHA256,
            Algorithm::PS384 => &signature::RSA_PSS_SHA384,
            Algorithm::PS512 => &signature::RSA_PSS_SHA512,
            _ => return Err(Error::internal(format!("RSA signer called for {alg}"))),
        };
        let Some(pair) = &self.pair else {
            return Err(unsupported_size(self.bits, alg));
        };
        let mut out = vec![0; pair.public_modulus_len()];
        pair.sign(encoding, &SystemRandom::new(), message, &mut out)
            .map_err(|_| Error::internal(format!("RSA signing with {alg} failed")))?;
        Ok(out)
    }
}

/// An RSA public key; the aws-lc-rs key for each algorithm is parsed on first use and kept.
pub(crate) struct RsaVerifier {
    pub public_pkcs1: Vec<u8>,
    pub bits: usize,
    parsed: [OnceLock<Option<ParsedPublicKey>>; 6],
}

impl RsaVerifier {
    pub fn new(public: RsaPublic) -> Self {
        RsaVerifier {
            public_pkcs1: public.pkcs1,
            bits: public.bits,
            parsed: Default::default(),
        }
    }

    pub fn verify(&self, alg: Algorithm, message: &[u8], signature: &[u8]) -> Result<bool> {
        let small = self.bits < 2048;
        let (slot, parameters): (usize, Option<&'static RsaParameters>) = match alg {
            Algorithm::RS256 if small => (
                0,
                Some(&signature::RSA_PKCS1_1024_8192_SHA256_FOR_LEGACY_USE_ONLY),
            ),
            Algorithm::RS512 if small => (
                2,
                Some(&signature::RSA_PKCS1_1024_8192_SHA512_FOR_LEGACY_USE_ONLY),
            ),
            Algorithm::RS256 => (0, Some(&signature::RSA_PKCS1_2048_8192_SHA256)),
            Algorithm::RS384 => (
                1,
                (!small).then_some(&signature::RSA_PKCS1_2048_8192_SHA384),
            ),
            Algorithm::RS512 => (2, Some(&signature::RSA_PKCS1_2048_8192_SHA512)),
            Algorithm::PS256 => (3, (!small).then_some(&signature::RSA_PSS_2048_8192_SHA256)),
            Algorithm::PS384 => (4, (!small).then_some(&signature::RSA_PSS_2048_8192_SHA384)),
            Algorithm::PS512 => (5, (!small).then_some(&signature::RSA_PSS_2048_8192_SHA512)),
            _ => return Err(Error::internal(format!("RSA verifier called for {alg}"))),
        };
        let Some(parameters) = parameters else {
            return Err(unsupported_size(self.bits, alg));
        };
        let parsed = self.parsed[slot]
            .get_or_init(|| ParsedPublicKey::new(parameters, &self.public_pkcs1).ok());
        match parsed {
            Some(key) => Ok(key.verify_sig(message, signature).is_ok()),
            None => Err(unsupported_size(self.bits, alg)),
        }
    }
}

fn unsupported_size(bits: usize, alg: Algorithm) -> Error {
    Error::plain(
        ErrorCode::KeyTooSmall,
        format!("{alg} with a {bits}-bit RSA key is not supported: use a key of 2048 to 8192 bits"),
    )
}
