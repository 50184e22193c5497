//! Qlik Cloud OAuth with a private key JWT from JavaScript: the native half of
//! `createClientAssertionSigner`, `explainClientAssertion` and `generateOauthKeys`. Settings go
//! to the core as given; the core checks them.

use napi::bindgen_prelude::{AsyncTask, Either};
use napi::{Env, Result, Task, Unknown};
use napi_derive::napi;
use qlik_jwt::qlik::oauth::{
    ClientAssertionConfig, ClientAssertionSigner, RegisteredClient, RegisteredKey,
};
use qlik_jwt::setup::{self, OauthKeyType};

use crate::failure::{Failure, guarded, settled};
use crate::qlik::{QlikProblem, algorithm_of, private_key_of, verifying_key_of};

/// The settings of a client assertion signer (the key comes separately).
#[napi(object)]
pub struct ClientAssertionSettings {
    /// The `kid` of the JWK registered on the OAuth client.
    pub key_id: String,
    /// The OAuth client ID (`iss` and `sub`).
    pub client_id: String,
    /// The tenant, e.g. `https://acme.eu.qlikcloud.com`.
    pub tenant_url: String,
    /// `RS256` (default for RSA), `RS512`, or `ES384` (EC P-384).
    pub algorithm: Option<String>,
    /// Seconds from `iat` to `exp`, 1 to 300 (default 240).
    pub lifetime_seconds: Option<i64>,
}

/// What a signer shows of itself: its settings, never the key.
#[napi(object)]
pub struct ClientAssertionSignerInfo {
    /// The header `kid`.
    pub key_id: String,
    /// The OAuth client ID.
    pub client_id: String,
    /// The `aud`: the tenant's token endpoint.
    pub audience: String,
    /// The algorithm.
    pub algorithm: String,
    /// Seconds from `iat` to `exp`.
    pub lifetime_seconds: i64,
}

/// The native client assertion signer: holds the parsed key, which never leaves Rust.
#[napi]
pub struct NativeClientAssertionSigner {
    pub(crate) signer: ClientAssertionSigner,
}

/// Makes a signer, or the core's reason why this key or these settings cannot make assertions
/// Qlik accepts.
#[napi]
pub fn create_client_assertion_signer(
    env: Env,
    private_key: Unknown<'_>,
    key_object_type: Option<String>,
    settings: ClientAssertionSettings,
) -> Result<Either<NativeClientAssertionSigner, Failure>> {
    let key = private_key_of(&env, private_key, key_object_type.as_deref())?;
    let made = guarded(|| {
        let algorithm = algorithm_of(settings.algorithm.as_deref())?;
        ClientAssertionSigner::new(ClientAssertionConfig {
            private_key: key?,
            key_id: settings.key_id,
            client_id: settings.client_id,
            tenant_url: settings.tenant_url,
            algorithm,
            lifetime_secs: settings.lifetime_seconds,
        })
    });
    Ok(settled(
        made.map(|signer| NativeClientAssertionSigner { signer }),
    ))
}

/// One assertion signed on the libuv pool.
pub struct ClientAssertionCall {
    signer: ClientAssertionSigner,
    now_secs: i64,
}

impl Task for ClientAssertionCall {
    type Output = qlik_jwt::Result<String>;
    type JsValue = Either<String, Failure>;

    fn compute(&mut self) -> Result<Self::Output> {
        Ok(guarded(|| self.signer.sign_at(self.now_secs)))
    }

    fn resolve(&mut self, _env: Env, output: Self::Output) -> Result<Self::JsValue> {
        Ok(settled(output))
    }
}

#[napi]
impl NativeClientAssertionSigner {
    /// A fresh assertion at `nowSeconds`.
    #[napi]
    pub fn sign(&self, now_seconds: i64) -> Either<String, Failure> {
        settled(guarded(|| self.signer.sign_at(now_seconds)))
    }

    /// `sign` on the libuv pool.
    #[napi(ts_return_type = "Promise<string | Failure>")]
    pub fn sign_async(&self, now_seconds: i64) -> AsyncTask<ClientAssertionCall> {
        AsyncTask::new(ClientAssertionCall {
            signer: self.signer.clone(),
            now_secs: now_seconds,
        })
    }

    /// The signer's settings, without the key.
    #[napi(getter)]
    pub fn settings(&self) -> ClientAssertionSignerInfo {
        ClientAssertionSignerInfo {
            key_id: self.signer.key_id().to_owned(),
            client_id: self.signer.client_id().to_owned(),
            audience: self.signer.audience().to_owned(),
            algorithm: self.signer.algorithm().as_str().to_owned(),
            lifetime_seconds: self.signer.lifetime_secs(),
        }
    }
}

/// The OAuth client an assertion is explained against (the key comes separately).
#[napi(object)]
pub struct RegisteredClientSettings {
    /// The OAuth client ID.
    pub client_id: String,
    /// The tenant, e.g. `https://acme.eu.qlikcloud.com`.
    pub tenant_url: String,
    /// The `kid` a PEM public key is registered under (a JWK carries its own).
    pub key_id: Option<String>,
}

/// Every reason Qlik would refuse `token` at `nowSeconds`; empty when it would accept it. The
/// registered key is a JWK's JSON text (`jwk`), or a PEM/DER public key or `KeyObject`
/// (`publicKey`), or neither (then the signature is not checked).
#[napi]
pub fn explain_client_assertion(
    env: Env,
    token: String,
    settings: RegisteredClientSettings,
    jwk: Option<String>,
    public_key: Option<Unknown<'_>>,
    key_object_type: Option<String>,
    now_seconds: i64,
) -> Result<Either<Vec<QlikProblem>, Failure>> {
    let public_key = match public_key {
        Some(key) => match verifying_key_of(&env, key, key_object_type.as_deref())? {
            Ok(key) => key,
            Err(error) => return Ok(Either::B(error.into())),
        },
        None => None,
    };
    let explained = guarded(|| {
        let key_id = settings.key_id.as_deref();
        let registered = match (jwk, public_key) {
            (Some(jwk), _) => Some(RegisteredKey::parse(jwk.as_bytes(), key_id)?),
            (None, Some(key)) => Some(RegisteredKey::from_key(key, key_id)?),
            (None, None) => None,
        };
        let client = RegisteredClient::new(&settings.client_id, &settings.tenant_url, registered)?;
        Ok(client.explain(&token, now_seconds))
    });
    Ok(match explained {
        Ok(problems) => Either::A(problems.into_iter().map(QlikProblem::from).collect()),
        Err(error) => Either::B(error.into()),
    })
}

/// What `generateOauthKeys` makes.
#[napi(object)]
pub struct OauthKeygenOptions {
    /// The `kid` the JWK is registered under.
    pub key_id: String,
    /// `rsa` (RSA 4096, RS256; the default) or `ec` (P-384, ES384).
    pub key_type: Option<String>,
    /// When set, `privatekey.pem` (mode 0600) and `publickey.jwk.json` are written there.
    pub dir: Option<String>,
    /// Whether existing files in `dir` may be replaced.
    pub overwrite: Option<bool>,
}

/// A generated OAuth key pair.
#[napi(object)]
pub struct GeneratedOauthKeys {
    /// `rsa` or `ec`.
    pub key_type: String,
    /// `RS256` or `ES384`.
    pub algorithm: String,
    /// The JWK's `kid`.
    pub key_id: String,
    /// The private key, PKCS#8 PEM.
    pub private_key: String,
    /// The public JWK's JSON text.
    pub public_jwk: String,
    /// Where the private key was written, when `dir` was given.
    pub private_key_path: Option<String>,
    /// Where the JWK was written, when `dir` was given.
    pub public_jwk_path: Option<String>,
}

fn generate(options: &OauthKeygenOptions) -> qlik_jwt::Result<GeneratedOauthKeys> {
    let key_type = match &options.key_type {
        Some(name) => name.parse::<OauthKeyType>()?,
        None => OauthKeyType::default(),
    };
    let keys = setup::generate_oauth_keys(key_type, &options.key_id)?;
    let files = match &options.dir {
        Some(dir) => Some(setup::write_oauth_key_files(
            std::path::Path::new(dir),
            &keys,
            options.overwrite.unwrap_or(false),
        )?),
        None => None,
    };
    Ok(GeneratedOauthKeys {
        key_type: key_type.name().to_owned(),
        algorithm: key_type.algorithm().as_str().to_owned(),
        key_id: keys.key_id.clone(),
        private_key: keys.private_key_pem.to_string(),
        public_jwk: keys.public_jwk.clone(),
        private_key_path: files.as_ref().map(|f| f.private_key.display().to_string()),
        public_jwk_path: files.map(|f| f.public_jwk.display().to_string()),
    })
}

/// An OAuth key pair and its public JWK, written to `dir` when given.
#[napi]
pub fn generate_oauth_keys(options: OauthKeygenOptions) -> Either<GeneratedOauthKeys, Failure> {
    settled(guarded(|| generate(&options)))
}

/// `generateOauthKeys` on the libuv pool (RSA 4096 takes a second or more).
pub struct GenerateOauthKeysCall {
    options: OauthKeygenOptions,
}

impl Task for GenerateOauthKeysCall {
    type Output = qlik_jwt::Result<GeneratedOauthKeys>;
    type JsValue = Either<GeneratedOauthKeys, Failure>;

    fn compute(&mut self) -> Result<Self::Output> {
        Ok(guarded(|| generate(&self.options)))
    }

    fn resolve(&mut self, _env: Env, output: Self::Output) -> Result<Self::JsValue> {
        Ok(settled(output))
    }
}

/// `generateOauthKeys` on the libuv pool.
#[napi(ts_return_type = "Promise<GeneratedOauthKeys | Failure>")]
pub fn generate_oauth_keys_async(options: OauthKeygenOptions) -> AsyncTask<GenerateOauthKeysCall> {
    AsyncTask::new(GenerateOauthKeysCall { options })
}
