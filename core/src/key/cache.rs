//! A small bounded cache of parsed keys, keyed by the key bytes, so that entry points taking
//! key text on every call (`sign(payload, pemString)` in a loop) parse each key once.

use super::{SigningKey, VerifyingKey};
use crate::error::Result;

/// The private key for these bytes and passphrase, parsed once and then served from the cache.
pub fn private_key(bytes: &[u8], passphrase: Option<&[u8]>) -> Result<SigningKey> {
    SigningKey::from_private(bytes, passphrase) // SKELETON: no caching yet
}

/// The verifying key for these bytes and passphrase, parsed once and then served from the
/// cache.
pub fn public_key(bytes: &[u8], passphrase: Option<&[u8]>) -> Result<VerifyingKey> {
    VerifyingKey::from_public(bytes, passphrase) // SKELETON: no caching yet
}
