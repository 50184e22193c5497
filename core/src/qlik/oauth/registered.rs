//! The OAuth client as the tenant knows it: its client ID, the tenant's token endpoint, and the
//! public key registered on it (a JWK with `kid`, `alg` and `use: "sig"`, or a PEM/DER public key
//! with the `kid` given beside it).

use serde_json::Value as Json;

use super::algorithm::assertion_algorithm;
use super::token_endpoint::token_endpoint;
use crate::alg::Algorithm;
use crate::error::{Error, ErrorCode, Result};
use crate::key::VerifyingKey;
use crate::qlik::provider_key;

/// The public key registered on an OAuth client.
#[derive(Debug, Clone)]
pub struct RegisteredKey {
    key: VerifyingKey,
    key_id: Option<String>,
    algorithm: Option<Algorithm>,
}

impl RegisteredKey {
    /// A public JWK as the console takes it: `kty` and the key's members, `kid`, `alg` (RS256,
    /// RS512 or ES384, fitting the key) and `use: "sig"`. Refuses a JWK without them, or one that
    /// holds a private key (register only the public half).
    pub fn from_jwk(jwk_json: &str) -> Result<Self> {
        let members: serde_json::Map<String, Json> = match serde_json::from_str(jwk_json) {
            Ok(Json::Object(members)) => members,
            _ => return Err(invalid_jwk("the JWK is not a JSON object")),
        };
        if ["d", "p", "q", "dp", "dq", "qi", "k"]
            .iter()
            .any(|private| members.contains_key(*private))
        {
            return Err(invalid_jwk(
                "the JWK holds a private key (or a secret): register only the public JWK \
                 (qlik-jwt keygen --for oauth writes it as publickey.jwk.json)",
            ));
        }
        let text = |name: &str| -> Result<String> {
            match members.get(name) {
                Some(Json::String(value)) if !value.is_empty() => Ok(value.clone()),
                Some(other) => Err(invalid_jwk(&format!(
                    "the JWK member {name:?} is {other}: a non-empty string is required"
                ))),
                None => Err(invalid_jwk(&format!(
                    "the JWK has no {name:?}: Qlik requires kid, alg and use (\"sig\") on a \
                     registered public key"
                ))),
            }
        };
        let key_id = text("kid")?;
        let alg_name = text("alg")?;
        let usage = text("use")?;
        if usage != "sig" {
            return Err(invalid_jwk(&format!(
                "the JWK's use is {usage:?}: a client assertion key has use \"sig\""
            )));
        }
        let key = VerifyingKey::from_jwk(jwk_json)?;
        let algorithm = alg_name.parse::<Algorithm>().ok();
        let algorithm = assertion_algorithm(key.kind(), algorithm).map_err(|error| {
            Error::plain(
                error.code(),
                format!("the JWK's alg {alg_name:?} or key: {}", error.message()),
            )
        })?;
        if algorithm.as_str() != alg_name {
            return Err(Error::plain(
                ErrorCode::OauthKeyNotAllowed,
                format!(
                    "the JWK's alg is {alg_name:?}: Qlik Cloud takes RS256, RS512 or ES384, \
                     spelled so"
                ),
            ));
        }
        Ok(RegisteredKey {
            key,
            key_id: Some(key_id),
            algorithm: Some(algorithm),
        })
    }

    /// A public key (PEM or DER: SPKI, PKCS#1, a certificate; a private key gives its public
    /// half), with the `kid` it is registered under when known. Refuses a key Qlik would not take
    /// (HMAC, RSA-PSS, EC other than P-384, RSA under 2048 bits).
    pub fn from_public_key(bytes: &[u8], key_id: Option<&str>) -> Result<Self> {
        Self::from_key(provider_key(bytes, None)?, key_id)
    }

    /// A public key already parsed, with the `kid` it is registered under when known. Refuses a
    /// key Qlik would not take, as [`from_public_key`](Self::from_public_key) does.
    pub fn from_key(key: VerifyingKey, key_id: Option<&str>) -> Result<Self> {
        assertion_algorithm(key.kind(), None)?;
        Ok(RegisteredKey {
            key,
            key_id: key_id.map(str::to_owned),
            algorithm: None,
        })
    }

    /// Reads `bytes` as a JWK when they are a JSON object, else as a PEM or DER public key.
    pub fn parse(bytes: &[u8], key_id: Option<&str>) -> Result<Self> {
        let text = std::str::from_utf8(bytes).unwrap_or("").trim_start();
        if text.starts_with('{') {
            let key = Self::from_jwk(text)?;
            if let (Some(given), Some(registered)) = (key_id, key.key_id.as_deref())
                && given != registered
            {
                return Err(Error::plain(
                    ErrorCode::InvalidOption,
                    format!("the key id {given:?} differs from the JWK's kid {registered:?}"),
                ));
            }
            Ok(key)
        } else {
            Self::from_public_key(bytes, key_id)
        }
    }

    /// The public key.
    pub fn key(&self) -> &VerifyingKey {
        &self.key
    }

    /// The registered `kid`, when known.
    pub fn key_id(&self) -> Option<&str> {
        self.key_id.as_deref()
    }

    /// The registered `alg` (from a JWK), when known.
    pub fn algorithm(&self) -> Option<Algorithm> {
        self.algorithm
    }
}

/// An OAuth client as registered in a tenant, to judge assertions against: made once (a server
/// keeps it), then [`explain`](Self::explain) or [`check`](Self::check) per assertion.
#[derive(Debug, Clone)]
pub struct RegisteredClient {
    pub(super) client_id: String,
    pub(super) audience: String,
    pub(super) key: Option<RegisteredKey>,
}

impl RegisteredClient {
    /// The client `client_id` of the tenant at `tenant_url` (checked as the signer checks it),
    /// with its registered public key when known (without one, signatures are not checked).
    pub fn new(client_id: &str, tenant_url: &str, key: Option<RegisteredKey>) -> Result<Self> {
        if client_id.is_empty() {
            return Err(Error::plain(
                ErrorCode::InvalidOption,
                "client_id is empty: give the OAuth client's ID",
            ));
        }
        Ok(RegisteredClient {
            client_id: client_id.to_owned(),
            audience: token_endpoint(tenant_url)?,
            key,
        })
    }

    /// The OAuth client ID.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// The `aud` assertions must carry: the tenant's token endpoint.
    pub fn audience(&self) -> &str {
        &self.audience
    }

    /// The registered public key, when known.
    pub fn key(&self) -> Option<&RegisteredKey> {
        self.key.as_ref()
    }
}

fn invalid_jwk(message: &str) -> Error {
    Error::plain(ErrorCode::InvalidKey, message.to_owned())
}
