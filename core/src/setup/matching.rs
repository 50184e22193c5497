//! Whether a private key belongs to a certificate or public key.

use crate::error::{Error, ErrorCode, Result};
use crate::key::{KeyRole, SigningKey, VerifyingKey};

/// True when `private_key` is the private half of `public` (a certificate or public key). A
/// token signed with a key that does not match the identity provider's certificate fails at
/// Qlik with 401 and no hint why. Fails when either key is a shared secret, which Qlik never
/// takes.
pub fn key_matches(private_key: &SigningKey, public: &VerifyingKey) -> Result<bool> {
    if private_key.role() == KeyRole::Secret || public.role() == KeyRole::Secret {
        return Err(Error::plain(
            ErrorCode::InvalidKey,
            "a shared secret cannot belong to a certificate: Qlik needs an RSA or EC key pair",
        ));
    }
    Ok(private_key.public_key_matches(public))
}
