//! The client assertion signer: made once from the OAuth client's key and settings, it makes a
//! fresh assertion for every token request.

use std::time::{SystemTime, UNIX_EPOCH};

use super::algorithm::assertion_algorithm;
use super::token_endpoint::token_endpoint;
use super::uuid::new_uuid_v4;
use super::{DEFAULT_LIFETIME_SECS, MAX_LIFETIME_SECS};
use crate::alg::Algorithm;
use crate::error::{Error, ErrorCode, Result};
use crate::jws;
use crate::key::SigningKey;
use crate::value::Value;

/// The largest signing instant accepted (the year 5138): a larger one is almost surely
/// milliseconds passed as seconds.
const MAX_NOW_SECS: i64 = 100_000_000_000;

/// What a [`ClientAssertionSigner`] is made from.
#[derive(Debug, Clone)]
pub struct ClientAssertionConfig {
    /// The private key whose public JWK is registered on the OAuth client (parsed once, e.g. by
    /// [`crate::qlik::signer_key`]: PEM, DER or JWK, encrypted with a passphrase).
    pub private_key: SigningKey,
    /// The `kid` of the registered JWK (the header `kid`).
    pub key_id: String,
    /// The OAuth client ID (`iss` and `sub`).
    pub client_id: String,
    /// The tenant, e.g. `https://acme.eu.qlikcloud.com`; `aud` is its `/oauth/token`.
    pub tenant_url: String,
    /// RS256 (the default for an RSA key) or RS512; ES384 for an EC P-384 key. `None`: the
    /// key's default.
    pub algorithm: Option<Algorithm>,
    /// Seconds from `iat` to `exp`, 1 to 300; `None`: [`DEFAULT_LIFETIME_SECS`].
    pub lifetime_secs: Option<i64>,
}

/// Signs OAuth client assertions (private key JWT) that Qlik Cloud's `POST /oauth/token`
/// accepts. The key and settings are checked once, here; each [`sign`](Self::sign) costs one
/// signature and a random UUID. `Debug` shows the settings, never the key material.
#[derive(Debug, Clone)]
pub struct ClientAssertionSigner {
    key: SigningKey,
    algorithm: Algorithm,
    key_id: String,
    client_id: String,
    audience: String,
    lifetime_secs: i64,
    header_json: String,
}

impl ClientAssertionSigner {
    /// Checks the key (RSA of 2048 bits or more for RS256/RS512, EC P-384 for ES384), the key
    /// id and client id (not empty), the tenant URL (see [`token_endpoint`]) and the lifetime
    /// (1 to 300 s), and makes a signer.
    pub fn new(config: ClientAssertionConfig) -> Result<Self> {
        let ClientAssertionConfig {
            private_key,
            key_id,
            client_id,
            tenant_url,
            algorithm,
            lifetime_secs,
        } = config;
        let algorithm = assertion_algorithm(private_key.kind(), algorithm)?;
        for (field, value, what) in [
            (
                "key_id",
                &key_id,
                "the kid of the JWK registered on the OAuth client",
            ),
            ("client_id", &client_id, "the OAuth client's ID"),
        ] {
            if value.trim().is_empty() {
                return Err(Error::plain(
                    ErrorCode::InvalidOption,
                    format!("{field} is empty: give {what}"),
                ));
            }
            if value.trim() != value.as_str() {
                return Err(Error::plain(
                    ErrorCode::InvalidOption,
                    format!(
                        "{field} {value:?} has leading or trailing whitespace: give {what} exactly"
                    ),
                ));
            }
        }
        let audience = token_endpoint(&tenant_url)?;
        let lifetime_secs = lifetime_secs.unwrap_or(DEFAULT_LIFETIME_SECS);
        if !(1..=MAX_LIFETIME_SECS).contains(&lifetime_secs) {
            return Err(Error::plain(
                ErrorCode::InvalidOption,
                format!(
                    "lifetime_secs is {lifetime_secs}: Qlik Cloud takes assertions whose exp is \
                     at most {MAX_LIFETIME_SECS} s after iat; use 1 to {MAX_LIFETIME_SECS} \
                     (default {DEFAULT_LIFETIME_SECS})"
                ),
            ));
        }
        let header = Value::Object(vec![
            (
                "alg".to_owned(),
                Value::String(algorithm.as_str().to_owned()),
            ),
            ("kid".to_owned(), Value::String(key_id.clone())),
        ]);
        Ok(ClientAssertionSigner {
            key: private_key,
            algorithm,
            key_id,
            client_id,
            audience,
            lifetime_secs,
            header_json: header.to_json_string()?,
        })
    }

    /// A fresh assertion signed now (the system clock).
    pub fn sign(&self) -> Result<String> {
        self.sign_at(system_now()?)
    }

    /// A fresh assertion as if signed at `now_secs` (seconds since the epoch): a new random
    /// UUIDv4 `jti`, `iat` = `now_secs`, `exp` = `iat` + the lifetime.
    pub fn sign_at(&self, now_secs: i64) -> Result<String> {
        self.sign_with_jti(now_secs, new_uuid_v4()?)
    }

    /// [`sign_at`](Self::sign_at) with a given `jti`: for the shared test vectors only (through
    /// `testing`), since a repeated `jti` is refused by Qlik.
    pub(crate) fn sign_with_jti(&self, now_secs: i64, jti: String) -> Result<String> {
        let claims = self.claims(now_secs, jti)?;
        jws::sign_compact(
            self.header_json.as_bytes(),
            claims.to_json_string()?.as_bytes(),
            self.algorithm,
            &self.key,
        )
    }

    /// The claims of an assertion at `now_secs` with `jti`, in token order: `iss`, `sub`,
    /// `aud`, `jti`, `iat`, `exp`.
    fn claims(&self, now_secs: i64, jti: String) -> Result<Value> {
        if !(0..=MAX_NOW_SECS).contains(&now_secs) {
            return Err(Error::plain(
                ErrorCode::InvalidOption,
                format!(
                    "now is {now_secs}: give seconds since the epoch (not milliseconds), \
                     between 0 and {MAX_NOW_SECS}"
                ),
            ));
        }
        let time = |secs: i64| Value::Number(secs as f64);
        Ok(Value::Object(vec![
            ("iss".into(), Value::String(self.client_id.clone())),
            ("sub".into(), Value::String(self.client_id.clone())),
            ("aud".into(), Value::String(self.audience.clone())),
            ("jti".into(), Value::String(jti)),
            ("iat".into(), time(now_secs)),
            ("exp".into(), time(now_secs + self.lifetime_secs)),
        ]))
    }

    /// The algorithm assertions are signed with.
    pub fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    /// The header `kid`.
    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// The OAuth client ID (`iss` and `sub`).
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// The `aud`: the tenant's token endpoint, where the assertion is sent.
    pub fn audience(&self) -> &str {
        &self.audience
    }

    /// Seconds from `iat` to `exp`.
    pub fn lifetime_secs(&self) -> i64 {
        self.lifetime_secs
    }
}

/// The private key of a client assertion signer from file bytes: a private JWK (JSON text, as
/// some key stores export it), or PEM or DER as [`crate::qlik::signer_key`] reads them
/// (`passphrase` for an encrypted key).
pub fn assertion_private_key(bytes: &[u8], passphrase: Option<&[u8]>) -> Result<SigningKey> {
    match std::str::from_utf8(bytes) {
        Ok(text) if text.trim_start().starts_with('{') => SigningKey::from_jwk(text),
        _ => crate::qlik::signer_key(bytes, passphrase),
    }
}

fn system_now() -> Result<i64> {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|elapsed| elapsed.as_secs() as i64)
        .map_err(|_| Error::internal("the system clock is before 1970"))
}
