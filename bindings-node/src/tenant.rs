//! The local Qlik tenant from JavaScript: the native half of `startLocalTenant`. The core's
//! tenant runs on its own threads, so `fetch` calls from the same process reach it while the
//! JavaScript thread is free.

use napi::bindgen_prelude::{Buffer, Either};
use napi_derive::napi;
use qlik_jwt::setup::certificate_from_text;
use qlik_jwt::tenant::{OAuthClientRegistration, Tenant, TenantConfig};

use crate::failure::{Failure, guarded};

/// An OAuth client the local tenant issues access tokens to.
#[napi(object)]
pub struct LocalOAuthClient {
    /// The OAuth client ID.
    pub client_id: String,
    /// The client's public JWK (with `kid`, `alg` and `use: "sig"`) as JSON text.
    pub jwk: String,
}

/// The identity provider and tenant settings of a local tenant.
#[napi(object)]
pub struct LocalTenantSettings {
    /// The provider's issuer (with a certificate).
    pub issuer: Option<String>,
    /// The provider's Key ID (with a certificate).
    pub key_id: Option<String>,
    /// OAuth clients served at `POST /oauth/token`.
    pub oauth_clients: Option<Vec<LocalOAuthClient>>,
    /// Seconds the OAuth access tokens live.
    pub access_token_lifetime_sec: Option<u32>,
    /// The provider's clock tolerance in seconds.
    pub clock_tolerance_sec: Option<i64>,
    /// Only these subjects are members (others get 403 `AUTH-5`).
    pub known_users: Option<Vec<String>>,
    /// The `qlik-web-integration-id` logins must carry.
    pub web_integration_id: Option<String>,
    /// The host name requests must carry (others get 400 `LOGIN-2`).
    pub host: Option<String>,
    /// Seconds added to the tenant's clock (negative: a lagging tenant).
    pub clock_offset_sec: Option<i64>,
    /// Logins allowed per minute (Qlik's 100 by default).
    pub logins_per_minute: Option<u32>,
    /// No login rate limit at all.
    pub unlimited_logins: Option<bool>,
    /// Whether cookies carry `Secure`.
    pub secure_cookies: Option<bool>,
    /// The loopback port; 0 or absent picks a free one.
    pub port: Option<i64>,
}

/// A running local tenant; `close()` stops it (so does garbage collection).
#[napi]
pub struct NativeLocalTenant {
    tenant: Option<Tenant>,
    url: String,
}

#[napi]
impl NativeLocalTenant {
    /// The base URL, e.g. `http://127.0.0.1:40123`.
    #[napi(getter)]
    pub fn url(&self) -> String {
        self.url.clone()
    }

    /// Stops accepting connections; idempotent.
    #[napi]
    pub fn close(&mut self) {
        if let Some(tenant) = self.tenant.take() {
            tenant.shutdown();
        }
    }
}

/// Starts a local tenant for the provider with `certificate` (PEM text, the console's single
/// line, or SPKI DER; absent: OAuth only) and `settings`.
#[napi]
pub fn start_local_tenant(
    certificate: Option<Either<String, Buffer>>,
    settings: LocalTenantSettings,
) -> Either<NativeLocalTenant, Failure> {
    let certificate_bytes: Option<&[u8]> = certificate.as_ref().map(|c| match c {
        Either::A(text) => text.as_bytes(),
        Either::B(buffer) => buffer.as_ref(),
    });
    match guarded(|| start(certificate_bytes, settings)) {
        Ok(tenant) => Either::A(NativeLocalTenant {
            url: tenant.url().to_owned(),
            tenant: Some(tenant),
        }),
        Err(error) => Either::B(error.into()),
    }
}

fn start(certificate: Option<&[u8]>, settings: LocalTenantSettings) -> qlik_jwt::Result<Tenant> {
    let oauth_clients = settings
        .oauth_clients
        .unwrap_or_default()
        .iter()
        .map(|c| OAuthClientRegistration::from_jwk(&c.client_id, &c.jwk))
        .collect::<qlik_jwt::Result<Vec<_>>>()?;
    let mut config = match certificate {
        Some(certificate) => TenantConfig::new(
            certificate_from_text(certificate)?,
            required(settings.issuer, "issuer")?,
            required(settings.key_id, "keyId")?,
        ),
        None if !oauth_clients.is_empty() => TenantConfig::oauth_only(Vec::new()),
        None => {
            return Err(qlik_jwt::Error::plain(
                qlik_jwt::ErrorCode::InvalidOption,
                "give certificate, issuer and keyId (a JWT identity provider), oauthClients, or both",
            ));
        }
    };
    config.oauth_clients = oauth_clients;
    if let Some(secs) = settings.access_token_lifetime_sec {
        config.access_token_lifetime_secs = u64::from(secs);
    }
    config.clock_tolerance_secs = settings.clock_tolerance_sec;
    config.known_users = settings.known_users;
    config.web_integration_id = settings.web_integration_id;
    config.host = settings.host;
    if let Some(offset) = settings.clock_offset_sec {
        config.clock_offset_secs = offset;
    }
    if let Some(limit) = settings.logins_per_minute {
        config.logins_per_minute = Some(limit);
    }
    if settings.unlimited_logins == Some(true) {
        config.logins_per_minute = None;
    }
    if let Some(secure) = settings.secure_cookies {
        config.secure_cookies = secure;
    }
    if let Some(port) = settings.port {
        config.set_port(port)?;
    }
    Tenant::start(config)
}

fn required(value: Option<String>, name: &str) -> qlik_jwt::Result<String> {
    value.ok_or_else(|| {
        qlik_jwt::Error::plain(
            qlik_jwt::ErrorCode::InvalidOption,
            format!("{name} is required with a certificate (the JWT identity provider's)"),
        )
    })
}
