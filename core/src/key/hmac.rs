//! HS256/384/512 with a shared secret. The secret is zeroized on drop; the per-algorithm
//! HMAC keys are built on first use and kept.

use std::sync::OnceLock;

use aws_lc_rs::hmac;
use zeroize::Zeroizing;

use crate::alg::Algorithm;

/// A shared secret and its HMAC keys.
pub(crate) struct Secret {
    bytes: Zeroizing<Vec<u8>>,
    keys: [OnceLock<hmac::Key>; 3],
}

impl Secret {
    pub fn new(bytes: &[u8]) -> Self {
        Secret {
            bytes: Zeroizing::new(bytes.to_vec()),
            keys: Default::default(),
        }
    }

    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// The HMAC key for an HS algorithm; `None` for any other algorithm.
    fn key(&self, alg: Algorithm) -> Option<&hmac::Key> {
        let (slot, algorithm) = match alg {
            Algorithm::HS256 => (0, hmac::HMAC_SHA256),
            Algorithm::HS384 => (1, hmac::HMAC_SHA384),
            Algorithm::HS512 => (2, hmac::HMAC_SHA512),
            _ => return None,
        };
        Some(self.keys[slot].get_or_init(|| hmac::Key::new(algorithm, &self.bytes)))
    }

    /// The MAC of `message`; `None` when `alg` is not an HS algorithm.
    pub fn sign(&self, alg: Algorithm, message: &[u8]) -> Option<Vec<u8>> {
        Some(hmac::sign(self.key(alg)?, message).as_ref().to_vec())
    }

    /// Constant-time check of a MAC; `None` when `alg` is not an HS algorithm.
    pub fn verify(&self, alg: Algorithm, message: &[u8], tag: &[u8]) -> Option<bool> {
        Some(hmac::verify(self.key(alg)?, message, tag).is_ok())
    }

    /// Whether this secret is `bytes` (constant time in the contents).
    pub fn is(&self, bytes: &[u8]) -> bool {
        aws_lc_rs::constant_time::verify_slices_are_equal(&self.bytes, bytes).is_ok()
    }

    /// Whether two secrets are the same bytes (constant time in the contents).
    pub fn same_as(&self, other: &Secret) -> bool {
        aws_lc_rs::constant_time::verify_slices_are_equal(&self.bytes, &other.bytes).is_ok()
    }
}
