//! The Qlik Cloud API of the package: the native half of `createQlikSigner` and
//! `explainQlikToken`. Key and settings go to the core as given; the core checks them.

use napi::bindgen_prelude::{AsyncTask, Either};
use napi::{Env, Result, Task, Unknown};
use napi_derive::napi;
use qlik_jwt::compat::KeyArg;
use qlik_jwt::qlik::{self, IdentityProvider, Problem, QlikUser, SignerConfig};
use qlik_jwt::{Algorithm, SigningKey, VerifyingKey};

use crate::convert::bytes_of;
use crate::failure::{Failure, guarded};
use crate::key::{KeyUse, to_key_arg};

/// The identity provider's settings besides the private key.
#[napi(object)]
pub struct QlikSignerSettings {
    /// The identity provider's Key ID (the header `kid`).
    pub key_id: String,
    /// The identity provider's issuer (`iss`).
    pub issuer: String,
    /// `RS256` (the default), `RS384`, `RS512`, `PS*` or `ES*`.
    pub algorithm: Option<String>,
    /// Seconds that `nbf` lies before the signing instant.
    pub not_before_skew_seconds: Option<i64>,
    /// Seconds from the signing instant to `exp`.
    pub lifetime_seconds: Option<i64>,
}

/// A user to log in to Qlik Cloud.
#[napi(object)]
pub struct QlikUserInput {
    /// The user's stable id in the tenant (`sub`).
    pub sub: String,
    /// Display name (`name`).
    pub name: String,
    /// Email address (`email`; may be empty).
    pub email: String,
    /// Whether the app verified that the address belongs to the user (`email_verified`); no
    /// default, as [`QlikUser::email_verified`] says.
    pub email_verified: bool,
    /// Group names (`groups`).
    pub groups: Option<Vec<String>>,
}

impl From<QlikUserInput> for QlikUser {
    fn from(user: QlikUserInput) -> Self {
        QlikUser {
            sub: user.sub,
            name: user.name,
            email: user.email,
            email_verified: user.email_verified,
            groups: user.groups,
        }
    }
}

/// The native Qlik signer: holds the parsed key, which never leaves Rust.
#[napi]
pub struct NativeQlikSigner {
    signer: qlik::QlikSigner,
}

/// Makes a signer, or the core's reason why these settings cannot make valid Qlik tokens.
#[napi]
pub fn create_qlik_signer(
    env: Env,
    private_key: Unknown<'_>,
    key_object_type: Option<String>,
    settings: QlikSignerSettings,
) -> Result<Either<NativeQlikSigner, Failure>> {
    let key = private_key_of(&env, private_key, key_object_type.as_deref())?;
    Ok(match guarded(|| make_signer(key, settings)) {
        Ok(signer) => Either::A(NativeQlikSigner { signer }),
        Err(error) => Either::B(error.into()),
    })
}

fn make_signer(
    key: qlik_jwt::Result<SigningKey>,
    settings: QlikSignerSettings,
) -> qlik_jwt::Result<qlik::QlikSigner> {
    let algorithm = algorithm_of(settings.algorithm.as_deref())?;
    qlik::QlikSigner::new(SignerConfig {
        private_key: key?,
        key_id: settings.key_id,
        issuer: settings.issuer,
        algorithm,
        not_before_skew_secs: settings.not_before_skew_seconds,
        lifetime_secs: settings.lifetime_seconds,
    })
}

/// The algorithm a signer's settings name, if any, as the core reads its name.
pub(crate) fn algorithm_of(name: Option<&str>) -> qlik_jwt::Result<Option<Algorithm>> {
    name.map(str::parse::<Algorithm>).transpose()
}

/// The private key in any form `sign` takes. Anything that is not a private key goes to the
/// core's private-key parser as it is, so the core says what is wrong with it.
pub(crate) fn private_key_of(
    env: &Env,
    key: Unknown<'_>,
    key_object_type: Option<&str>,
) -> Result<qlik_jwt::Result<SigningKey>> {
    if let Some(kind) = key_object_type {
        let der = bytes_of(key)?;
        return Ok(match kind {
            "secret" => Ok(SigningKey::from_secret(&der)),
            _ => qlik_jwt::qlik::signer_key(&der, None),
        });
    }
    Ok(match to_key_arg(env, key, None, KeyUse::Sign)? {
        Ok(KeyArg::Text(text)) => qlik_jwt::qlik::signer_key(text.as_bytes(), None),
        Ok(KeyArg::Bytes(bytes)) => qlik_jwt::qlik::signer_key(&bytes, None),
        Ok(KeyArg::WithPassphrase { key, passphrase }) => {
            qlik_jwt::qlik::signer_key(&key, Some(&passphrase))
        }
        Ok(KeyArg::Jwk(json)) => SigningKey::from_jwk(&json),
        Ok(KeyArg::Signing(key)) => Ok(key),
        Ok(_) => qlik_jwt::qlik::signer_key(&[], None),
        Err(error) => Err(error),
    })
}

/// One Qlik signing, on the libuv pool.
pub struct QlikSignCall {
    signer: qlik::QlikSigner,
    user: QlikUser,
    now_secs: i64,
}

impl Task for QlikSignCall {
    type Output = qlik_jwt::Result<String>;
    type JsValue = Either<String, Failure>;

    fn compute(&mut self) -> Result<Self::Output> {
        Ok(guarded(|| self.signer.sign(&self.user, self.now_secs)))
    }

    fn resolve(&mut self, _env: Env, output: Self::Output) -> Result<Self::JsValue> {
        Ok(match output {
            Ok(token) => Either::A(token),
            Err(error) => Either::B(error.into()),
        })
    }
}

#[napi]
impl NativeQlikSigner {
    /// A token for `user` at `nowSeconds`, or the failure.
    #[napi]
    pub fn sign(&self, user: QlikUserInput, now_seconds: i64) -> Either<String, Failure> {
        let user = QlikUser::from(user);
        match guarded(|| self.signer.sign(&user, now_seconds)) {
            Ok(token) => Either::A(token),
            Err(error) => Either::B(error.into()),
        }
    }

    /// `sign` on the libuv pool.
    #[napi(ts_return_type = "Promise<string | Failure>")]
    pub fn sign_async(&self, user: QlikUserInput, now_seconds: i64) -> AsyncTask<QlikSignCall> {
        AsyncTask::new(QlikSignCall {
            signer: self.signer.clone(),
            user: user.into(),
            now_secs: now_seconds,
        })
    }

    /// The signer's settings, without the key: what `util.inspect` shows.
    #[napi(getter)]
    pub fn settings(&self) -> QlikSignerSettings {
        QlikSignerSettings {
            key_id: self.signer.key_id().to_owned(),
            issuer: self.signer.issuer().to_owned(),
            algorithm: Some(self.signer.algorithm().as_str().to_owned()),
            not_before_skew_seconds: Some(self.signer.not_before_skew_secs()),
            lifetime_seconds: Some(self.signer.lifetime_secs()),
        }
    }
}

/// One problem as JavaScript receives it.
#[napi(object)]
pub struct QlikProblem {
    /// Stable code, e.g. `"QLIK_CLAIM_MISSING"`.
    pub code: String,
    /// `"error"` when Qlik refuses the token for it, `"warning"` for a known mistake.
    pub severity: String,
    /// What is wrong and what would be right.
    pub message: String,
}

impl From<Problem> for QlikProblem {
    fn from(problem: Problem) -> Self {
        QlikProblem {
            code: problem.code.to_owned(),
            severity: problem.severity.as_str().to_owned(),
            message: problem.message,
        }
    }
}

/// The identity provider a token is explained against (the certificate comes separately).
#[napi(object)]
pub struct QlikProviderSettings {
    /// The provider's issuer.
    pub issuer: Option<String>,
    /// The provider's Key ID.
    pub key_id: Option<String>,
    /// The provider's clock tolerance in seconds (`clockToleranceSec`, Qlik's name).
    pub clock_tolerance_sec: Option<i64>,
}

/// Every reason Qlik would refuse `token` at `nowSeconds`; empty when it would accept it. The
/// certificate may be PEM text, a `Buffer`, or an exported public `KeyObject`.
#[napi]
pub fn explain_qlik_token(
    env: Env,
    token: String,
    provider: Option<QlikProviderSettings>,
    certificate: Option<Unknown<'_>>,
    certificate_key_object_type: Option<String>,
    now_seconds: i64,
) -> Result<Either<Vec<QlikProblem>, Failure>> {
    let certificate = match certificate {
        Some(certificate) => {
            match verifying_key_of(&env, certificate, certificate_key_object_type.as_deref())? {
                Ok(key) => key,
                Err(error) => return Ok(Either::B(error.into())),
            }
        }
        None => None,
    };
    let provider = provider.unwrap_or(QlikProviderSettings {
        issuer: None,
        key_id: None,
        clock_tolerance_sec: None,
    });
    let provider = IdentityProvider {
        issuer: provider.issuer,
        key_id: provider.key_id,
        certificate,
        clock_tolerance_secs: provider.clock_tolerance_sec,
    };
    Ok(
        match guarded(|| Ok(qlik::explain(&token, &provider, now_seconds))) {
            Ok(problems) => Either::A(problems.into_iter().map(QlikProblem::from).collect()),
            Err(error) => Either::B(error.into()),
        },
    )
}

/// A certificate or public key in any form `verify` takes; `None` when none was given.
pub(crate) fn verifying_key_of(
    env: &Env,
    key: Unknown<'_>,
    key_object_type: Option<&str>,
) -> Result<qlik_jwt::Result<Option<VerifyingKey>>> {
    if let Some(kind) = key_object_type {
        let der = bytes_of(key)?;
        return Ok(match kind {
            "secret" => Ok(Some(VerifyingKey::from_secret(&der))),
            _ => qlik_jwt::qlik::provider_key(&der, None).map(Some),
        });
    }
    Ok(match to_key_arg(env, key, None, KeyUse::Verify)? {
        Ok(KeyArg::Missing) => Ok(None),
        Ok(KeyArg::Text(text)) => qlik_jwt::qlik::provider_key(text.as_bytes(), None).map(Some),
        Ok(KeyArg::Bytes(bytes)) => qlik_jwt::qlik::provider_key(&bytes, None).map(Some),
        Ok(KeyArg::WithPassphrase { key, passphrase }) => {
            qlik_jwt::qlik::provider_key(&key, Some(&passphrase)).map(Some)
        }
        Ok(KeyArg::Jwk(json)) => VerifyingKey::from_jwk(&json).map(Some),
        Ok(KeyArg::Verifying(key)) => Ok(Some(key)),
        Ok(_) => qlik_jwt::qlik::provider_key(&[], None).map(Some),
        Err(error) => Err(error),
    })
}
