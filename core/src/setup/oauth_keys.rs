//! Keys for an OAuth client's private key JWT: the private key, and its public half as the JWK
//! Qlik's console takes (`kty`, the key's members, `kid`, `alg`, `use: "sig"`).

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde_json::{Map, Value as Json};
use zeroize::Zeroizing;

use super::files::write_key_pair;
use super::keygen::{KeyAlgorithm, generate_pkcs8, pem_encode};
use crate::alg::Algorithm;
use crate::error::{Error, ErrorCode, Result};
use crate::key::SigningKey;

/// The public JWK's file name.
pub const PUBLIC_JWK_FILE: &str = "publickey.jwk.json";

/// The key types an OAuth client's private key JWT takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum OauthKeyType {
    /// RSA 4096, Qlik's recommendation for long-term keys; signs RS256. Default.
    #[default]
    Rsa,
    /// EC on P-384; signs ES384.
    Ec,
}

impl OauthKeyType {
    /// `"rsa"` or `"ec"`.
    pub const fn name(self) -> &'static str {
        match self {
            OauthKeyType::Rsa => "rsa",
            OauthKeyType::Ec => "ec",
        }
    }

    /// The algorithm the JWK names and assertions are signed with.
    pub const fn algorithm(self) -> Algorithm {
        match self {
            OauthKeyType::Rsa => Algorithm::RS256,
            OauthKeyType::Ec => Algorithm::ES384,
        }
    }

    fn key_algorithm(self) -> KeyAlgorithm {
        match self {
            OauthKeyType::Rsa => KeyAlgorithm::Rsa4096,
            OauthKeyType::Ec => KeyAlgorithm::EcP384,
        }
    }
}

impl fmt::Display for OauthKeyType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for OauthKeyType {
    type Err = Error;

    /// `rsa` or `ec` (case-insensitive).
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "rsa" => Ok(OauthKeyType::Rsa),
            "ec" => Ok(OauthKeyType::Ec),
            _ => Err(Error::plain(
                ErrorCode::InvalidOption,
                format!(
                    "key type {s:?} is not one for OAuth: expected rsa (RSA 4096, RS256) or ec \
                     (P-384, ES384)"
                ),
            )),
        }
    }
}

/// A generated OAuth key pair. `Debug` never prints the private key; its text is zeroized on
/// drop.
#[derive(Clone)]
pub struct OauthKeys {
    /// The key type.
    pub key_type: OauthKeyType,
    /// The `kid` the JWK carries (and assertions must carry).
    pub key_id: String,
    /// `-----BEGIN PRIVATE KEY-----` (PKCS#8) text.
    pub private_key_pem: Zeroizing<String>,
    /// The public JWK, pretty-printed JSON ready to paste into the console.
    pub public_jwk: String,
}

impl fmt::Debug for OauthKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OauthKeys")
            .field("key_type", &self.key_type)
            .field("key_id", &self.key_id)
            .field("private_key_pem", &"<redacted>")
            .field("public_jwk", &self.public_jwk)
            .finish()
    }
}

/// Generates a key pair of `key_type` and its public JWK with `kid` = `key_id`. RSA 4096 takes a
/// second or more.
pub fn generate_oauth_keys(key_type: OauthKeyType, key_id: &str) -> Result<OauthKeys> {
    if key_id.trim().is_empty() || key_id.trim() != key_id {
        return Err(Error::plain(
            ErrorCode::InvalidOption,
            format!(
                "key id {key_id:?}: give the kid the JWK is registered under, not empty and \
                 without surrounding spaces"
            ),
        ));
    }
    let pkcs8 = generate_pkcs8(key_type.key_algorithm())?;
    let private_key_pem = Zeroizing::new(pem_encode("PRIVATE KEY", &pkcs8));
    let key = SigningKey::from_private(&pkcs8, None)?;
    let public_jwk = public_jwk(&key, key_id, key_type.algorithm())?;
    Ok(OauthKeys {
        key_type,
        key_id: key_id.to_owned(),
        private_key_pem,
        public_jwk,
    })
}

/// The public JWK of `key` for an OAuth client: `kty` and the key's members, then `kid`, `alg`
/// and `use: "sig"`, as pretty-printed JSON. Refuses a key or algorithm Qlik would not take.
pub fn public_jwk(key: &SigningKey, key_id: &str, algorithm: Algorithm) -> Result<String> {
    let algorithm = crate::qlik::oauth::assertion_algorithm(key.kind(), Some(algorithm))?;
    let members = key.verifying_key().public_jwk_members().ok_or_else(|| {
        Error::plain(
            ErrorCode::OauthKeyNotAllowed,
            format!("{} has no JWK form Qlik takes", key.kind().describe()),
        )
    })?;
    let mut jwk = Map::new();
    if let Some((_, kty)) = members.iter().find(|(name, _)| *name == "kty") {
        jwk.insert("kty".into(), Json::String(kty.clone()));
    }
    for (name, value) in members.into_iter().filter(|(name, _)| *name != "kty") {
        jwk.insert(name.into(), Json::String(value));
    }
    jwk.insert("kid".into(), Json::String(key_id.to_owned()));
    jwk.insert("alg".into(), Json::String(algorithm.as_str().to_owned()));
    jwk.insert("use".into(), Json::String("sig".into()));
    serde_json::to_string_pretty(&Json::Object(jwk))
        .map(|text| text + "\n")
        .map_err(|_| Error::internal("writing the JWK failed"))
}

/// Where [`write_oauth_key_files`] put the two files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OauthKeyFiles {
    /// `<dir>/privatekey.pem`.
    pub private_key: PathBuf,
    /// `<dir>/publickey.jwk.json`.
    pub public_jwk: PathBuf,
}

/// Writes `privatekey.pem` (PKCS#8, mode 0600 on Unix) and `publickey.jwk.json` into `dir`,
/// creating `dir` if needed; refuses to replace an existing file unless `overwrite`.
pub fn write_oauth_key_files(
    dir: &Path,
    keys: &OauthKeys,
    overwrite: bool,
) -> Result<OauthKeyFiles> {
    let (private_key, public_jwk) = write_key_pair(
        dir,
        &keys.private_key_pem,
        PUBLIC_JWK_FILE,
        &keys.public_jwk,
        overwrite,
    )?;
    Ok(OauthKeyFiles {
        private_key,
        public_jwk,
    })
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;
    use crate::qlik::oauth::{
        ClientAssertionConfig, ClientAssertionSigner, RegisteredClient, RegisteredKey,
    };

    #[test]
    fn an_ec_key_and_its_jwk_sign_and_verify_assertions() {
        let keys = generate_oauth_keys(OauthKeyType::Ec, "kid-1").unwrap();
        let jwk: Json = serde_json::from_str(&keys.public_jwk).unwrap();
        let names: Vec<&String> = jwk.as_object().unwrap().keys().collect();
        assert_eq!(names, ["kty", "crv", "x", "y", "kid", "alg", "use"]);
        assert_eq!(jwk["crv"], "P-384");
        assert_eq!(
            (&jwk["kid"], &jwk["alg"], &jwk["use"]),
            (&"kid-1".into(), &"ES384".into(), &"sig".into())
        );
        assert!(!format!("{keys:?}").contains("PRIVATE"));
        let signer = ClientAssertionSigner::new(ClientAssertionConfig {
            private_key: crate::qlik::signer_key(keys.private_key_pem.as_bytes(), None).unwrap(),
            key_id: "kid-1".into(),
            client_id: "client".into(),
            tenant_url: "https://acme.eu.qlikcloud.com".into(),
            algorithm: None,
            lifetime_secs: None,
        })
        .unwrap();
        let client = RegisteredClient::new(
            "client",
            "https://acme.eu.qlikcloud.com",
            Some(RegisteredKey::from_jwk(&keys.public_jwk).unwrap()),
        )
        .unwrap();
        assert!(client.accepts(&signer.sign_at(1_700_000_000).unwrap(), 1_700_000_000));
    }

    #[test]
    fn the_rsa_jwk_of_a_known_key_has_its_modulus() {
        let pem = std::fs::read(format!(
            "{}/testdata/keys/rsa2048-private-pkcs8.pem",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        let key = SigningKey::from_private(&pem, None).unwrap();
        let jwk: Json =
            serde_json::from_str(&public_jwk(&key, "k", Algorithm::RS512).unwrap()).unwrap();
        let fixture: Json = serde_json::from_str(
            &std::fs::read_to_string(format!(
                "{}/testdata/keys/rsa2048-public.jwk.json",
                env!("CARGO_MANIFEST_DIR")
            ))
            .unwrap(),
        )
        .unwrap();
        assert_eq!((&jwk["n"], &jwk["e"]), (&fixture["n"], &fixture["e"]));
        assert_eq!(jwk["alg"], "RS512");
        assert!(jwk.get("d").is_none());
        let refused = public_jwk(&key, "k", Algorithm::PS256).unwrap_err();
        assert_eq!(refused.code(), ErrorCode::OauthKeyNotAllowed);
    }

    #[test]
    fn writes_the_private_key_0600_and_the_jwk_and_keeps_existing_files() {
        let dir = std::env::temp_dir().join(format!("qlik-jwt-oauth-keys-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let keys = generate_oauth_keys(OauthKeyType::Ec, "kid-2").unwrap();
        let files = write_oauth_key_files(&dir, &keys, false).unwrap();
        assert_eq!(
            fs::read_to_string(&files.public_jwk).unwrap(),
            keys.public_jwk
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = fs::metadata(&files.private_key)
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert_eq!(
            write_oauth_key_files(&dir, &keys, false)
                .unwrap_err()
                .code(),
            ErrorCode::Io
        );
        write_oauth_key_files(&dir, &keys, true).unwrap();
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn key_types_and_ids_are_checked() {
        assert_eq!("RSA".parse::<OauthKeyType>().unwrap(), OauthKeyType::Rsa);
        assert_eq!("ec".parse::<OauthKeyType>().unwrap(), OauthKeyType::Ec);
        assert!("p256".parse::<OauthKeyType>().is_err());
        assert!(generate_oauth_keys(OauthKeyType::Ec, "").is_err());
        assert!(generate_oauth_keys(OauthKeyType::Ec, " k").is_err());
    }
}
