//! The local client-managed virtual proxy from JavaScript: the native half of
//! `startLocalTenant({ profile: 'client-managed', … })`. The proxy runs on the core's threads,
//! so `fetch` and websocket clients in the same process reach it while JavaScript is free.

use napi::bindgen_prelude::{Buffer, Either};
use napi_derive::napi;
use qlik_jwt::setup::certificate_from_text;
use qlik_jwt::tenant::client_managed::{
    ClientManagedTenant, ClientManagedTenantConfig, check_profile,
};

use crate::client_managed::{AttributeMappingInput, proxy_settings};
use crate::failure::{Failure, guarded, settled};
use crate::setup::text_or_bytes;

/// The virtual proxy's settings.
#[napi(object)]
pub struct LocalClientManagedTenantSettings {
    /// `client-managed` (checked by the core).
    pub profile: String,
    /// The virtual proxy prefix, e.g. `jwt`.
    pub prefix: String,
    /// The claim of the user id (e.g. `userId`).
    pub user_id_attribute: String,
    /// The claim of the user directory (e.g. `userDirectory`).
    pub user_directory_attribute: String,
    /// The audience the proxy expects.
    pub audience: Option<String>,
    /// The proxy's attribute map.
    pub attributes: Option<Vec<AttributeMappingInput>>,
    /// The session cookie header name (`X-Qlik-Session-<prefix>` by default).
    pub session_cookie_header_name: Option<String>,
    /// The parallel sessions a user may hold (5 by default).
    pub max_parallel_sessions: Option<u32>,
    /// The origins a websocket may come from (the proxy's own by default).
    pub allowed_origins: Option<Vec<String>>,
    /// Whether a websocket without `Origin` is judged by cookie and CSRF token alone (true by
    /// default).
    pub allow_missing_origin: Option<bool>,
    /// The loopback port; 0 or absent picks a free one.
    pub port: Option<i64>,
}

/// A running local client-managed proxy; `close()` stops it (so does garbage collection).
#[napi]
pub struct NativeLocalClientManagedTenant {
    tenant: Option<ClientManagedTenant>,
    url: String,
    origin: String,
    cookie_name: String,
}

#[napi]
impl NativeLocalClientManagedTenant {
    /// The proxy's URL with its prefix, e.g. `http://127.0.0.1:40123/jwt`.
    #[napi(getter)]
    pub fn url(&self) -> String {
        self.url.clone()
    }

    /// The proxy's origin, e.g. `http://127.0.0.1:40123`.
    #[napi(getter)]
    pub fn origin(&self) -> String {
        self.origin.clone()
    }

    /// The session cookie's name, e.g. `X-Qlik-Session-jwt-HTTP`.
    #[napi(getter)]
    pub fn cookie_name(&self) -> String {
        self.cookie_name.clone()
    }

    /// Stops the proxy and closes its websockets; idempotent.
    #[napi]
    pub fn close(&mut self) {
        if let Some(tenant) = self.tenant.take() {
            tenant.shutdown();
        }
    }
}

/// Starts a local client-managed proxy holding `certificate` (PEM text or DER) with `settings`.
#[napi]
pub fn start_local_client_managed_tenant(
    certificate: Either<String, Buffer>,
    settings: LocalClientManagedTenantSettings,
) -> Either<NativeLocalClientManagedTenant, Failure> {
    settled(
        guarded(|| start(text_or_bytes(&certificate), settings)).map(|tenant| {
            NativeLocalClientManagedTenant {
                url: tenant.url().to_owned(),
                origin: tenant.origin().to_owned(),
                cookie_name: tenant.cookie_name().to_owned(),
                tenant: Some(tenant),
            }
        }),
    )
}

fn start(
    certificate: &[u8],
    settings: LocalClientManagedTenantSettings,
) -> qlik_jwt::Result<ClientManagedTenant> {
    check_profile(&settings.profile)?;
    let proxy = proxy_settings(
        settings.user_id_attribute,
        settings.user_directory_attribute,
        settings.audience,
        settings.attributes,
    );
    let mut config =
        ClientManagedTenantConfig::new(settings.prefix, certificate_from_text(certificate)?, proxy);
    config.session_cookie_header_name = settings.session_cookie_header_name;
    if let Some(max) = settings.max_parallel_sessions {
        config.max_parallel_sessions = max;
    }
    if let Some(origins) = settings.allowed_origins {
        config.allowed_origins = origins;
    }
    if let Some(allow) = settings.allow_missing_origin {
        config.allow_missing_origin = allow;
    }
    if let Some(port) = settings.port {
        config.set_port(port)?;
    }
    ClientManagedTenant::start(config)
}
