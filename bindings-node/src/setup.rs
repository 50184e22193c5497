//! Qlik setup from JavaScript: the native half of `generateKeys`, `singleLinePem`,
//! `identityProviderConfig` and `keyMatches`, over the core's `setup` module.

use napi::bindgen_prelude::{AsyncTask, Buffer, Either};
use napi::{Env, Result, Task};
use napi_derive::napi;
use qlik_jwt::SigningKey;
use qlik_jwt::setup::{self, CertificateOptions, IdentityProviderConfig, KeyAlgorithm};

use crate::failure::{Failure, guarded, settled};

/// Text or bytes: PEM as a string, or a `Buffer` (PEM or, from a `KeyObject`, DER).
type TextOrBytes = Either<String, Buffer>;

/// The bytes of text or a `Buffer`, as the core's parsers take them.
pub(crate) fn text_or_bytes(input: &TextOrBytes) -> &[u8] {
    match input {
        Either::A(text) => text.as_bytes(),
        Either::B(buffer) => buffer.as_ref(),
    }
}

/// What `generateKeys` makes.
#[napi(object)]
#[derive(Default)]
pub struct KeygenOptions {
    /// `rsa2048`, `rsa3072`, `rsa4096` (the default), `p256` or `p384`.
    pub key_type: Option<String>,
    /// The certificate subject's common name.
    pub common_name: Option<String>,
    /// Days the certificate is valid.
    pub days: Option<u32>,
    /// When set, `privatekey.pem` (mode 0600) and `publickey.cer` are written there.
    pub dir: Option<String>,
    /// Whether existing files in `dir` may be replaced.
    pub overwrite: Option<bool>,
}

/// A generated key pair with its self-signed certificate.
#[napi(object)]
pub struct GeneratedKeyPair {
    /// The key type, e.g. `rsa4096`.
    pub key_type: String,
    /// The JWS algorithm the key signs Qlik tokens with, e.g. `RS256`.
    pub algorithm: String,
    /// The private key, PKCS#8 PEM.
    pub private_key: String,
    /// The self-signed X.509 certificate, PEM.
    pub certificate: String,
    /// Where the private key was written, when `dir` was given.
    pub private_key_path: Option<String>,
    /// Where the certificate was written, when `dir` was given.
    pub certificate_path: Option<String>,
}

fn generate(options: &KeygenOptions) -> qlik_jwt::Result<GeneratedKeyPair> {
    let algorithm = match &options.key_type {
        Some(name) => name.parse::<KeyAlgorithm>()?,
        None => KeyAlgorithm::default(),
    };
    let defaults = CertificateOptions::default();
    let certificate_options = CertificateOptions {
        common_name: options.common_name.clone().unwrap_or(defaults.common_name),
        days: options.days.unwrap_or(defaults.days),
    };
    let keys = setup::generate(algorithm, &certificate_options)?;
    let files = match &options.dir {
        Some(dir) => Some(setup::write_key_files(
            std::path::Path::new(dir),
            &keys,
            options.overwrite.unwrap_or(false),
        )?),
        None => None,
    };
    Ok(GeneratedKeyPair {
        key_type: algorithm.name().to_owned(),
        algorithm: algorithm.jws_algorithm().as_str().to_owned(),
        private_key: keys.private_key_pem.to_string(),
        certificate: keys.certificate_pem.clone(),
        private_key_path: files.as_ref().map(|f| f.private_key.display().to_string()),
        certificate_path: files.map(|f| f.certificate.display().to_string()),
    })
}

/// A key pair and self-signed certificate (RSA 4096 by default), written to `dir` when given.
#[napi]
pub fn generate_keys(options: Option<KeygenOptions>) -> Either<GeneratedKeyPair, Failure> {
    let options = options.unwrap_or_default();
    settled(guarded(|| generate(&options)))
}

/// `generateKeys` on the libuv pool (RSA 4096 takes a second or more).
pub struct GenerateKeysCall {
    options: KeygenOptions,
}

impl Task for GenerateKeysCall {
    type Output = qlik_jwt::Result<GeneratedKeyPair>;
    type JsValue = Either<GeneratedKeyPair, Failure>;

    fn compute(&mut self) -> Result<Self::Output> {
        Ok(guarded(|| generate(&self.options)))
    }

    fn resolve(&mut self, _env: Env, output: Self::Output) -> Result<Self::JsValue> {
        Ok(settled(output))
    }
}

/// `generateKeys` on the libuv pool.
#[napi(ts_return_type = "Promise<GeneratedKeyPair | Failure>")]
pub fn generate_keys_async(options: Option<KeygenOptions>) -> AsyncTask<GenerateKeysCall> {
    AsyncTask::new(GenerateKeysCall {
        options: options.unwrap_or_default(),
    })
}

/// A certificate or public key as the single line Qlik's identity-provider form wants.
#[napi]
pub fn single_line_pem(pem: TextOrBytes) -> Either<String, Failure> {
    settled(guarded(|| {
        setup::single_line_pem_of_bytes(text_or_bytes(&pem))
    }))
}

/// The JWT identity provider's settings.
#[napi(object)]
pub struct IdentityProviderSettings {
    /// The provider's issuer (every token's `iss`).
    pub issuer: String,
    /// The provider's Key ID (every token's header `kid`).
    pub key_id: String,
    /// The certificate or public key, PEM.
    pub certificate: String,
    /// Shown in the management console.
    pub description: Option<String>,
    /// The provider's clock tolerance in seconds (`clockToleranceSec`, Qlik's name).
    pub clock_tolerance_sec: Option<i64>,
}

/// The JSON text of the `POST /api/v1/identity-providers` body for a JWT identity provider.
#[napi]
pub fn identity_provider_config(settings: IdentityProviderSettings) -> Either<String, Failure> {
    settled(guarded(|| {
        IdentityProviderConfig {
            issuer: settings.issuer,
            key_id: settings.key_id,
            certificate_pem: settings.certificate,
            description: settings.description,
            clock_tolerance_secs: settings.clock_tolerance_sec,
        }
        .to_json()
    }))
}

/// Whether `privateKey` (PEM, or PKCS#8 DER from a `KeyObject`) is the private half of
/// `certificate` (a PEM certificate or public key, the console's single line, or SPKI DER).
#[napi]
pub fn key_matches(private_key: TextOrBytes, certificate: TextOrBytes) -> Either<bool, Failure> {
    settled(guarded(|| {
        let private_key = SigningKey::from_private(text_or_bytes(&private_key), None)?;
        let public = setup::certificate_from_text(text_or_bytes(&certificate))?;
        setup::key_matches(&private_key, &public)
    }))
}
