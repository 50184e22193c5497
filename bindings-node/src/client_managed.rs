//! Client-managed Qlik Sense (a JWT virtual proxy) from JavaScript: the native half of
//! `createClientManagedSigner` and `explainClientManagedToken`. Settings go to the core as
//! given; the core checks them.

use napi::bindgen_prelude::Either;
use napi::{Env, Result, Unknown};
use napi_derive::napi;
use qlik_jwt::qlik::client_managed::{
    self, AttributeMapping, ClientManagedSigner, ClientManagedSignerConfig, ClientManagedUser,
    VirtualProxySettings,
};
use qlik_jwt::{Error, Value, VerifyingKey};

use crate::failure::{Failure, guarded, settled};
use crate::qlik::{QlikProblem, algorithm_of, private_key_of, verifying_key_of};

/// One entry of the virtual proxy's attribute map.
#[napi(object)]
pub struct AttributeMappingInput {
    /// The name Qlik Sense gives the attribute (e.g. `group`).
    pub sense_attribute: String,
    /// The claim that carries it (e.g. `groups`).
    pub jwt_attribute: String,
    /// Whether the proxy refuses a token without it.
    pub is_mandatory: Option<bool>,
}

/// The virtual proxy's JWT settings, and the signer's own.
#[napi(object)]
pub struct ClientManagedSettings {
    /// The claim of the user id (e.g. `userId`).
    pub user_id_attribute: String,
    /// The claim of the user directory (e.g. `userDirectory`).
    pub user_directory_attribute: String,
    /// The audience the proxy expects.
    pub audience: Option<String>,
    /// The proxy's attribute map.
    pub attributes: Option<Vec<AttributeMappingInput>>,
    /// A `kid` for the header.
    pub key_id: Option<String>,
    /// `RS256` (the default), `RS384` or `RS512`.
    pub algorithm: Option<String>,
    /// Seconds that `nbf` lies before the signing instant.
    pub not_before_skew_seconds: Option<i64>,
    /// Seconds from the signing instant to `exp`.
    pub lifetime_seconds: Option<i64>,
}

/// A virtual proxy's JWT settings from the fields every client-managed settings object has.
pub(crate) fn proxy_settings(
    user_id_attribute: String,
    user_directory_attribute: String,
    audience: Option<String>,
    attributes: Option<Vec<AttributeMappingInput>>,
) -> VirtualProxySettings {
    VirtualProxySettings {
        user_id_attribute,
        user_directory_attribute,
        audience,
        attributes: attributes
            .unwrap_or_default()
            .into_iter()
            .map(|m| AttributeMapping {
                sense_attribute: m.sense_attribute,
                jwt_attribute: m.jwt_attribute,
                is_mandatory: m.is_mandatory.unwrap_or(false),
            })
            .collect(),
    }
}

fn proxy_of(settings: &mut ClientManagedSettings) -> VirtualProxySettings {
    proxy_settings(
        settings.user_id_attribute.clone(),
        settings.user_directory_attribute.clone(),
        settings.audience.clone(),
        settings.attributes.take(),
    )
}

/// The native client-managed signer: holds the parsed key, which never leaves Rust.
#[napi]
pub struct NativeClientManagedSigner {
    signer: ClientManagedSigner,
}

/// Makes a signer, or the core's reason why these settings cannot make tokens the proxy takes.
#[napi]
pub fn create_client_managed_signer(
    env: Env,
    private_key: Unknown<'_>,
    key_object_type: Option<String>,
    mut settings: ClientManagedSettings,
) -> Result<Either<NativeClientManagedSigner, Failure>> {
    let key = private_key_of(&env, private_key, key_object_type.as_deref())?;
    let made = guarded(|| {
        let algorithm = algorithm_of(settings.algorithm.as_deref())?;
        ClientManagedSigner::new(ClientManagedSignerConfig {
            private_key: key?,
            proxy: proxy_of(&mut settings),
            key_id: settings.key_id.take(),
            algorithm,
            not_before_skew_secs: settings.not_before_skew_seconds,
            lifetime_secs: settings.lifetime_seconds,
        })
    });
    Ok(settled(
        made.map(|signer| NativeClientManagedSigner { signer }),
    ))
}

#[napi]
impl NativeClientManagedSigner {
    /// A token for the user at `nowSeconds`; `attributesJson` is the JSON object of the user's
    /// other claims (`name`, `groups`, ...).
    #[napi]
    pub fn sign(
        &self,
        user_id: String,
        user_directory: String,
        attributes_json: String,
        now_seconds: i64,
    ) -> Either<String, Failure> {
        let signed = guarded(|| {
            let attributes = match Value::from_json_str(&attributes_json)? {
                Value::Object(entries) => entries,
                _ => return Err(Error::qlik("the user's attributes must be an object")),
            };
            let user = ClientManagedUser {
                user_id,
                user_directory,
                attributes,
            };
            self.signer.sign(&user, now_seconds)
        });
        match signed {
            Ok(token) => Either::A(token),
            Err(error) => Either::B(error.into()),
        }
    }

    /// The algorithm tokens are signed with.
    #[napi(getter)]
    pub fn algorithm(&self) -> String {
        self.signer.algorithm().as_str().to_owned()
    }
}

/// Every reason the virtual proxy would refuse `token` at `nowSeconds`, or the failure to read
/// the certificate.
#[napi]
pub fn explain_client_managed_token(
    env: Env,
    token: String,
    mut settings: ClientManagedSettings,
    certificate: Option<Unknown<'_>>,
    key_object_type: Option<String>,
    now_seconds: i64,
) -> Result<Either<Vec<QlikProblem>, Failure>> {
    let certificate: Option<VerifyingKey> = match certificate {
        Some(key) => match verifying_key_of(&env, key, key_object_type.as_deref())? {
            Ok(key) => key,
            Err(error) => return Ok(Either::B(error.into())),
        },
        None => None,
    };
    let proxy = proxy_of(&mut settings);
    let explained = guarded(|| {
        Ok(client_managed::explain_client_managed(
            &token,
            &proxy,
            certificate.as_ref(),
            now_seconds,
        ))
    });
    Ok(match explained {
        Ok(problems) => Either::A(problems.into_iter().map(QlikProblem::from).collect()),
        Err(error) => Either::B(error.into()),
    })
}
