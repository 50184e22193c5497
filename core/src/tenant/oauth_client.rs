//! An OAuth client registered on the local tenant: its id and the public key it signs client
//! assertions with, as Qlik's console registers one (a JWK with `kid`, `alg` and `use: "sig"`).
//! The key is read and judged by the core's [`RegisteredKey`], the same code that explains
//! assertions to developers, so the tenant and the library never disagree.

use crate::error::{Error, ErrorCode, Result};
use crate::qlik::oauth::RegisteredKey;

/// An OAuth client the tenant knows: assertions must be signed by its key, under its `alg`,
/// with its `kid`.
#[derive(Debug, Clone)]
pub struct OAuthClientRegistration {
    /// The client id (`client_id`, and the assertion's `iss` and `sub`).
    pub client_id: String,
    /// The registered public key.
    pub key: RegisteredKey,
}

impl OAuthClientRegistration {
    /// Registers `client_id` with the public JWK `jwk_json`, which must carry `kid`, an `alg`
    /// Qlik accepts (RS256, RS512, ES384, fitting the key; RSA of 2048 bits or more) and
    /// `use: "sig"`.
    pub fn from_jwk(client_id: &str, jwk_json: &str) -> Result<Self> {
        if client_id.trim().is_empty() {
            return Err(Error::plain(
                ErrorCode::InvalidOption,
                "the OAuth client id is empty: give the client id the assertions name",
            ));
        }
        Ok(OAuthClientRegistration {
            client_id: client_id.to_owned(),
            key: RegisteredKey::from_jwk(jwk_json)?,
        })
    }
}
