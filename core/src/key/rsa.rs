//! RS256/384/512 (PKCS#1 v1.5) and PS256/384/512 (PSS, salt length = hash length, as Node
//! and `jsonwebtoken` use) with aws-lc-rs; keys outside its 2048..=8192 bits go through
//! [`LegacyRsa`] on the same library.

use std::sync::OnceLock;

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{self, ParsedPublicKey, RsaEncoding, RsaKeyPair, RsaParameters};

use super::parse::RsaPublic;
use super::rsa_legacy::LegacyRsa;
use crate::alg::Algorithm;
use crate::error::{Error, ErrorCode, Result};

/// Key sizes aws-lc-rs's safe API takes.
const STANDARD_BITS: std::ops::RangeInclusive<usize> = 2048..=8192;

enum Backend {
    Standard(RsaKeyPair),
    Legacy(LegacyRsa),
}

/// An RSA private key, parsed once.
pub(crate) struct RsaSigner {
    backend: Backend,
    /// The public numbers as PKCS#1 DER.
    pub public_pkcs1: Vec<u8>,
    pub bits: usize,
}

impl RsaSigner {
    /// Builds a signer from an `RSAPrivateKey` DER.
    pub fn new(pkcs1: &[u8], public: RsaPublic) -> Result<Self> {
        let backend = if STANDARD_BITS.contains(&public.bits) {
            Backend::Standard(RsaKeyPair::from_der(pkcs1).map_err(|rejected| {
                invalid(format!("the RSA private key is not valid ({rejected})"))
            })?)
        } else {
            Backend::Legacy(
                LegacyRsa::private(pkcs1)
                    .ok_or_else(|| invalid("the RSA private key is not valid".to_string()))?,
            )
        };
        Ok(RsaSigner {
            backend,
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
        let failed = || Error::internal(format!("RSA signing with {alg} failed"));
        match &self.backend {
            Backend::Standard(pair) => {
                let mut out = vec![0; pair.public_modulus_len()];
                pair.sign(encoding, &SystemRandom::new(), message, &mut out)
                    .map_err(|_| failed())?;
                Ok(out)
            }
            // The only way a loaded key fails here: PSS with a digest too long for the modulus
            // (PS512 needs at least 1040 bits), which OpenSSL in Node refuses too.
            Backend::Legacy(rsa) => rsa.sign(alg, message).ok_or_else(|| {
                Error::plain(
                    ErrorCode::KeyTooSmall,
                    format!(
                        "a {}-bit RSA key is too small to sign with {alg}",
                        self.bits
                    ),
                )
            }),
        }
    }
}

/// An RSA public key; the aws-lc-rs key for each algorithm is parsed on first use and kept.
pub(crate) struct RsaVerifier {
    pub public_pkcs1: Vec<u8>,
    pub bits: usize,
    parsed: [OnceLock<Option<ParsedPublicKey>>; 6],
    legacy: OnceLock<Option<LegacyRsa>>,
}

impl RsaVerifier {
    pub fn new(public: RsaPublic) -> Self {
        RsaVerifier {
            public_pkcs1: public.pkcs1,
            bits: public.bits,
            parsed: Default::default(),
            legacy: OnceLock::new(),
        }
    }

    /// `Ok(false)` for a signature that does not verify; `Err` only for a public key that
    /// AWS-LC cannot load.
    pub fn verify(&self, alg: Algorithm, message: &[u8], signature: &[u8]) -> Result<bool> {
        if !STANDARD_BITS.contains(&self.bits) {
            let legacy = self
                .legacy
                .get_or_init(|| LegacyRsa::public(&self.public_pkcs1));
            return match legacy {
                Some(rsa) => Ok(rsa.verify(alg, message, signature)),
                None => Err(invalid(format!(
                    "the {}-bit RSA public key is not valid",
                    self.bits
                ))),
            };
        }
        let (slot, parameters): (usize, &'static RsaParameters) = match alg {
            Algorithm::RS256 => (0, &signature::RSA_PKCS1_2048_8192_SHA256),
            Algorithm::RS384 => (1, &signature::RSA_PKCS1_2048_8192_SHA384),
            Algorithm::RS512 => (2, &signature::RSA_PKCS1_2048_8192_SHA512),
            Algorithm::PS256 => (3, &signature::RSA_PSS_2048_8192_SHA256),
            Algorithm::PS384 => (4, &signature::RSA_PSS_2048_8192_SHA384),
            Algorithm::PS512 => (5, &signature::RSA_PSS_2048_8192_SHA512),
            _ => return Err(Error::internal(format!("RSA verifier called for {alg}"))),
        };
        let parsed = self.parsed[slot]
            .get_or_init(|| ParsedPublicKey::new(parameters, &self.public_pkcs1).ok());
        match parsed {
            Some(key) => Ok(key.verify_sig(message, signature).is_ok()),
            None => Err(invalid(format!(
                "the {}-bit RSA public key is not valid",
                self.bits
            ))),
        }
    }
}

fn invalid(message: String) -> Error {
    Error::plain(ErrorCode::InvalidKey, message)
}
