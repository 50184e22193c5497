//! An OAuth client registered on the local tenant: its id and the public JWK it signs client
//! assertions with, as Qlik's console registers one (a JWK with `kid`, `alg` and `use: "sig"`).

use serde_json::Value as Json;

use crate::alg::Algorithm;
use crate::error::{Error, ErrorCode, Result};
use crate::key::{KeyKind, VerifyingKey};

/// The algorithms Qlik accepts for private key JWT client assertions ("Private Key JWT
/// reference", qlik.dev): RS256, RS512 and ES384.
pub const OAUTH_ASSERTION_ALGORITHMS: [Algorithm; 3] =
    [Algorithm::RS256, Algorithm::RS512, Algorithm::ES384];

/// The smallest RSA key Qlik accepts for client assertions, in bits.
pub const MIN_OAUTH_RSA_BITS: usize = 2048;

/// An OAuth client the tenant knows: assertions must be signed by its key, under its `alg`,
/// with its `kid`.
#[derive(Debug, Clone)]
pub struct OAuthClientRegistration {
    /// The client id (`client_id`, and the assertion's `iss` and `sub`).
    pub client_id: String,
    /// The registered public key.
    pub key: VerifyingKey,
    /// The JWK's `alg`: the one algorithm its assertions may use.
    pub algorithm: Algorithm,
    /// The JWK's `kid`: the assertion header's `kid` must equal it.
    pub key_id: String,
}

impl OAuthClientRegistration {
    /// Registers `client_id` with the public JWK `jwk_json`, which must carry `kid`, an `alg`
    /// Qlik accepts (RS256, RS512, ES384; an RSA key of 2048 bits or more) and `use: "sig"`
    /// when it has `use`.
    pub fn from_jwk(client_id: &str, jwk_json: &str) -> Result<Self> {
        let invalid = |message: String| Error::plain(ErrorCode::InvalidOption, message);
        if client_id.trim().is_empty() {
            return Err(invalid(
                "the OAuth client id is empty: give the client id the assertions name".into(),
            ));
        }
        let jwk: Json = serde_json::from_str(jwk_json)
            .map_err(|_| invalid("the OAuth client's JWK is not JSON".into()))?;
        if jwk.get("d").is_some() {
            return Err(invalid(
                "the OAuth client's JWK holds a private key (it has \"d\"): register the public \
                 JWK only"
                    .into(),
            ));
        }
        let text = |name: &str| {
            jwk.get(name)
                .and_then(Json::as_str)
                .filter(|v| !v.is_empty())
        };
        let key_id = text("kid").ok_or_else(|| {
            invalid("the OAuth client's JWK has no \"kid\": Qlik requires one".into())
        })?;
        let alg_name = text("alg").ok_or_else(|| {
            invalid(
                "the OAuth client's JWK has no \"alg\": Qlik requires one of RS256, RS512, ES384"
                    .into(),
            )
        })?;
        let algorithm = alg_name
            .parse::<Algorithm>()
            .ok()
            .filter(|a| OAUTH_ASSERTION_ALGORITHMS.contains(a))
            .ok_or_else(|| {
                invalid(format!(
                    "the OAuth client's JWK has \"alg\": {alg_name:?}; Qlik accepts RS256, RS512 \
                     or ES384"
                ))
            })?;
        if let Some(usage) = jwk.get("use")
            && usage != "sig"
        {
            return Err(invalid(format!(
                "the OAuth client's JWK has \"use\": {usage}; a signing key has \"use\": \"sig\""
            )));
        }
        let key = VerifyingKey::from_jwk(jwk_json)?;
        match (key.kind(), algorithm) {
            (KeyKind::Rsa { bits }, Algorithm::RS256 | Algorithm::RS512)
                if *bits >= MIN_OAUTH_RSA_BITS => {}
            (KeyKind::Rsa { bits }, Algorithm::RS256 | Algorithm::RS512) => {
                return Err(invalid(format!(
                    "the OAuth client's RSA key has {bits} bits; Qlik requires at least \
                     {MIN_OAUTH_RSA_BITS}"
                )));
            }
            (KeyKind::Ec { curve }, Algorithm::ES384)
                if crate::key::curve_for(algorithm) == Some(*curve) => {}
            (kind, _) => {
                return Err(invalid(format!(
                    "the OAuth client's JWK is {} but says \"alg\": {alg_name:?}",
                    kind.describe()
                )));
            }
        }
        Ok(OAuthClientRegistration {
            client_id: client_id.to_owned(),
            key,
            algorithm,
            key_id: key_id.to_owned(),
        })
    }
}
