//! A local Qlik tenant: an HTTP/1.1 server on loopback that logs users in with JWTs the way
//! Qlik Cloud does, for integration tests (the project's own and users' CI) and for trying
//! things out without a tenant.
//!
//! It is configured like a JWT identity provider ([`TenantConfig`]: certificate or public key,
//! issuer, key id, clock tolerance) and serves:
//!
//! | request | answer |
//! |---|---|
//! | `POST /login/jwt-session` with `Authorization: Bearer <jwt>` | 200 `{}` with cookies `eas.sid`, `eas.sid.sig`, `_csrfToken`, `_csrfToken.sig`; or an error |
//! | `GET /api/v1/csrf-token` (session cookies) | 204, the token in header `qlik-csrf-token` |
//! | `GET /api/v1/users/me` (session cookies) | 200, the user as JSON |
//! | `PATCH /api/v1/users/me` (cookies and `qlik-csrf-token`) | 204; body `[{"op":"replace","path":"/name","value":"..."}]` |
//!
//! Tokens are judged by the core's own checks, [`crate::qlik::explain`] against the provider's
//! settings (signature, `kid`, `iss`, `aud`, required claims and their types, `subType`, the
//! 3600 s window, the clock with its tolerance), so the tenant and the library never disagree.
//! On top, the tenant keeps what only a server can: each `jti` is accepted once, logins are
//! limited to 100 a minute as Qlik documents, and optionally only known users are members.
//!
//! Errors have Qlik's shape, `{"errors":[{"code","title","detail","status"}],"traceId"}`; the
//! codes are in [`codes`]. Qlik documents few of its codes, so most are the tenant's own and
//! start with `LOCAL-`:
//!
//! | refusal | status | code |
//! |---|---|---|
//! | missing required claim | 400 | `INTERNAL-TOKEN-1`, title `Missing required claim: nbf` (Qlik's) |
//! | claim of the wrong type, or empty | 400 | `LOCAL-TOKEN-CLAIM` |
//! | malformed token, `alg` none/HS*, unknown `kid`, bad signature | 401 | `LOCAL-TOKEN-SIGNATURE` |
//! | wrong `iss`, `aud`, `subType`, window over 3600 s, expired, not yet valid | 401 | `LOCAL-TOKEN-INVALID` |
//! | `jti` used before | 401 | `LOCAL-TOKEN-REPLAYED` |
//! | no bearer token | 401 | `LOCAL-TOKEN-ABSENT` |
//! | user not a member ([`TenantConfig::known_users`]) | 403 | `AUTH-5` (Qlik's; status inferred) |
//! | wrong host ([`TenantConfig::host`]) | 400 | `LOGIN-2` (Qlik's; status inferred) |
//! | web integration id missing or wrong | 400 | `LOCAL-WEB-INTEGRATION-ID` |
//! | over 100 logins a minute | 429 | `LOCAL-RATE-LIMITED` |
//! | API call without a session | 401 | `LOCAL-NOT-LOGGED-IN` |
//! | non-GET API call without the CSRF token | 403 | `LOCAL-CSRF-TOKEN` |
//!
//! Every refusal of a token lists each error the checks found, the most decisive first (the
//! first sets the status). Cookies are `HttpOnly; SameSite=None; Path=/`; Qlik also marks them
//! `Secure`, which the tenant does only when [`TenantConfig::secure_cookies`] is set, since over
//! plain-HTTP loopback a cookie jar would not send a `Secure` cookie back.
//!
//! The client-managed (Qlik Sense Enterprise on Windows) JWT virtual proxy, with its engine
//! websocket, is in [`client_managed`].
//!
//! Bounds: one request per connection, 16 KiB of head, 64 KiB of body, 10 s to send it, 64
//! connections at once, 10,000 sessions, 100,000 remembered `jti`s.

mod api;
pub mod client_managed;
mod errors;
mod http;
mod listener;
mod login;
mod oauth;
mod oauth_client;
mod server;
mod state;

use std::net::SocketAddr;

pub use errors::{ErrorEntry, codes};
pub use oauth::{DEFAULT_ACCESS_TOKEN_LIFETIME_SECS, oauth_codes};
pub use oauth_client::OAuthClientRegistration;
pub use server::Tenant;

use crate::error::Result;
use crate::key::VerifyingKey;

/// The identity provider and tenant settings of a local tenant.
#[derive(Debug, Clone)]
pub struct TenantConfig {
    /// The provider's certificate or public key.
    pub certificate: VerifyingKey,
    /// The provider's issuer.
    pub issuer: String,
    /// The provider's Key ID.
    pub key_id: String,
    /// The provider's clock tolerance in seconds (`None`: none, as the core's checks take it).
    pub clock_tolerance_secs: Option<i64>,
    /// When set, only these subjects (`sub`) are members; others get 403 `AUTH-5`. `None`:
    /// every user is created at first login, as Qlik does with a JWT provider.
    pub known_users: Option<Vec<String>>,
    /// When set, `POST /login/jwt-session` must carry this `qlik-web-integration-id` header.
    pub web_integration_id: Option<String>,
    /// When set, requests must name this host (the `Host` header without its port); others
    /// get 400 `LOGIN-2`.
    pub host: Option<String>,
    /// Seconds added to the tenant's clock: negative for a tenant whose clock lags, to see
    /// what a token with `nbf` at the signing instant meets.
    pub clock_offset_secs: i64,
    /// Logins allowed per minute (`None`: unlimited). Qlik documents 100.
    pub logins_per_minute: Option<u32>,
    /// Whether cookies carry `Secure` (as Qlik's do; only useful behind HTTPS).
    pub secure_cookies: bool,
    /// The address to listen on; port 0 picks a free one. Must be a loopback address.
    pub listen: SocketAddr,
    /// Whether `POST /login/jwt-session` is served (the JWT identity provider is configured).
    /// [`TenantConfig::oauth_only`] turns it off.
    pub jwt_identity_provider: bool,
    /// The OAuth clients `POST /oauth/token` issues access tokens to.
    pub oauth_clients: Vec<OAuthClientRegistration>,
    /// Seconds the access tokens of `POST /oauth/token` live.
    pub access_token_lifetime_secs: u64,
}

impl TenantConfig {
    /// A tenant for the provider with these settings, with Qlik's defaults otherwise: any user
    /// may log in, 100 logins a minute, a free port on 127.0.0.1.
    pub fn new(
        certificate: VerifyingKey,
        issuer: impl Into<String>,
        key_id: impl Into<String>,
    ) -> Self {
        TenantConfig {
            certificate,
            issuer: issuer.into(),
            key_id: key_id.into(),
            clock_tolerance_secs: None,
            known_users: None,
            web_integration_id: None,
            host: None,
            clock_offset_secs: 0,
            logins_per_minute: Some(100),
            secure_cookies: false,
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            jwt_identity_provider: true,
            oauth_clients: Vec::new(),
            access_token_lifetime_secs: DEFAULT_ACCESS_TOKEN_LIFETIME_SECS,
        }
    }

    /// A tenant with no JWT identity provider, serving OAuth to `clients` only
    /// (`POST /login/jwt-session` answers 404).
    pub fn oauth_only(clients: Vec<OAuthClientRegistration>) -> Self {
        // The certificate is never read: the login endpoint is off.
        let mut config = TenantConfig::new(VerifyingKey::from_secret(b""), "", "");
        config.jwt_identity_provider = false;
        config.oauth_clients = clients;
        config
    }

    /// Listens on loopback `port`; 0 picks a free one. Anything else than 0 to 65535 is
    /// refused.
    pub fn set_port(&mut self, port: i64) -> Result<()> {
        listener::set_port(&mut self.listen, port)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

    #[test]
    fn a_port_is_0_to_65535() {
        let certificate = VerifyingKey::from_secret(b"not used");
        let mut config = TenantConfig::new(certificate, "i", "k");
        config.set_port(8080).unwrap();
        assert_eq!(config.listen.port(), 8080);
        for bad in [-1, 65_536] {
            let error = config.set_port(bad).unwrap_err();
            assert_eq!(error.code(), ErrorCode::InvalidOption);
            assert_eq!(
                error.message(),
                format!("port {bad} is not a port: use 1 to 65535, or 0 for any free one")
            );
        }
        assert_eq!(config.listen.port(), 8080);
    }
}
