//! A local client-managed Qlik Sense JWT virtual proxy: an HTTP/1.1 and websocket server on
//! loopback that logs users in with JWTs the way a Qlik Sense Enterprise on Windows virtual proxy
//! does, for integration tests and for trying a client without a Qlik Sense site.
//!
//! It is configured like the virtual proxy ([`ClientManagedTenantConfig`]: prefix, certificate,
//! user id and user directory attributes, audience, attribute map, session cookie header name)
//! and serves `http://127.0.0.1:<port>/<prefix>/…`:
//!
//! | request | answer |
//! |---|---|
//! | any request below with `Authorization: Bearer <jwt>` | the token judged; if good, a new proxy session: `Set-Cookie: <cookie name>-HTTP=<id>`, then the request answered with it |
//! | `GET /<prefix>/qps/csrftoken` (session) | 200, the session's token in header `qlik-csrf-token` |
//! | `GET /<prefix>/qps/user` (session) | 200 `{"userDirectory","userId","attributes":[{"<senseAttribute>":value}],"session"}` |
//! | `GET /<prefix>/qrs/about?xrfkey=<16 chars>` (session, header `X-Qlik-Xrfkey` the same) | 200 `{"buildVersion",…}` |
//! | websocket upgrade `GET /<prefix>/app/<appId>?qlik-csrf-token=<token>` (session cookie, no `Authorization`, an allowed `Origin`) | 101, then a minimal engine: the `OnConnected` notification, `EngineVersion` on handle -1, a JSON-RPC error for anything else |
//!
//! Tokens are judged by the core's own [`explain_client_managed`](crate::qlik::client_managed::explain_client_managed)
//! against the proxy's settings and certificate (RS256/384/512 only, the signature, attribute
//! names matched exactly, case included, mandatory mapped attributes, the audience, `exp` and
//! `nbf`), so the proxy and the library never disagree.
//!
//! Refusals are JSON, `{"errors":[{"code","title","detail","status"}],"traceId"}` as the Qlik
//! Cloud tenant answers (a real proxy answers an HTML page; the local one says why, with a stable
//! code). Token refusals carry the `QSE_…` code of the problem `explain_client_managed` found
//! (every problem is listed); the others are the tenant's own ([`codes`]):
//!
//! | refusal | status | code |
//! |---|---|---|
//! | a bad token (any `QSE_…` problem: algorithm, signature, attribute missing or mis-cased, audience, expired, not yet valid) | 401 | the problem's `QSE_…` code |
//! | no token and no session cookie | 401 | `LOCAL-NOT-LOGGED-IN` |
//! | a Bearer login past the user's parallel sessions (5 by default) | 403 | `LOCAL-MAX-PARALLEL-SESSIONS` |
//! | QRS call without the same 16-character xrfkey in `?xrfkey=` and `X-Qlik-Xrfkey` | 403 | `LOCAL-XRFKEY` |
//! | websocket upgrade with an `Authorization` header | 403 | `LOCAL-WEBSOCKET-AUTHORIZATION` |
//! | websocket upgrade from an `Origin` not allowed | 403 | `LOCAL-WEBSOCKET-ORIGIN` |
//! | websocket upgrade without a valid session cookie | 403 | `LOCAL-WEBSOCKET-SESSION` |
//! | websocket upgrade without the session's `qlik-csrf-token` query parameter | 403 | `LOCAL-WEBSOCKET-CSRF` |
//! | `/<prefix>/app/<id>` without a websocket upgrade | 400 | `LOCAL-BAD-REQUEST` |
//! | another path or method | 404 / 405 | `LOCAL-NOT-FOUND` |
//! | over the tenant's bounds | 413 / 503 | `LOCAL-TOO-LARGE` / `LOCAL-BUSY` |
//!
//! Facts behind it: Qlik's help pages
//! "JWT authentication" and "Virtual proxies"; Qlik Community "Qlik Sense (Nov 2025+) –
//! WebSocket connections via JWT fail with 403 (CSWSH)"
//! (<https://community.qlik.com/t5/Integration-Extension-APIs/Qlik-Sense-Nov-2025-WebSocket-connections-via-JWT-fail-with-403/td-p/2539417>):
//! the websocket needs the session cookie, the CSRF token, an allowed Origin and no
//! Authorization header, and the proxy logs "Cross-Site Websocket Hijacking attack prevention
//! check failed"; Qlik support "Troubleshoot no access pass or too many sessions active"
//! (<https://community.qlik.com/t5/Official-Support-Articles/Troubleshoot-no-access-pass-or-too-many-sessions-active-in/tac-p/2103625>):
//! five parallel sessions per user, the sixth denied (`Access denied`, 403 in Qlik's
//! "License user access" log entry); Qlik's help "Using Xrfkey headers": the same 16
//! characters (0-9, a-z, A-Z) as `Xrfkey` parameter and `X-Qlik-Xrfkey` header (Qlik documents
//! the rule; 403 for a failure is what QRS is reported to answer, not documented).
//!
//! **A missing `Origin`.** Browsers always send `Origin` on a websocket upgrade (RFC 6455,
//! 4.1), and cross-site websocket hijacking needs a browser; the non-browser clients Qlik's
//! own examples use do not send one (enigma.js's `examples/authentication/sense-using-jwt`
//! opens the socket with the `ws` package, which sends no `Origin` unless told). So an upgrade
//! without `Origin` is judged by its cookie and CSRF token alone, by default;
//! [`ClientManagedTenantConfig::allow_missing_origin`] set to false refuses it like a foreign
//! one. A present `Origin` must be one of [`ClientManagedTenantConfig::allowed_origins`], or
//! the proxy's own origin (`http://127.0.0.1:<port>` or `http://localhost:<port>`) when that
//! list is empty.
//!
//! Sessions: each good Bearer request opens a new one (as the real proxy does, so clients must
//! reuse one); they live until the tenant stops. The cookie is `<session cookie header
//! name>-HTTP` (Qlik appends `-HTTP` over plain http), `Path=/; HttpOnly`.
//!
//! Bounds: one HTTP request per connection, 16 KiB of head, 64 KiB of body, 10 s to send it,
//! 64 connections at once, of which 16 may be websockets; a websocket closes after 60 s
//! without a message, a message may take 64 KiB; 10,000 sessions.

mod engine;
mod proxy;
mod server;
mod sessions;

use std::net::SocketAddr;

pub use server::ClientManagedTenant;

use crate::error::{Error, ErrorCode, Result};
use crate::key::VerifyingKey;
use crate::qlik::client_managed::VirtualProxySettings;
use crate::qlik::client_managed::proxy_protocol::{
    self, HTTP_COOKIE_SUFFIX, SESSION_COOKIE_PREFIX,
};
use crate::tenant::listener;

/// The profile name that starts this proxy rather than the Qlik Cloud tenant (the bindings'
/// `profile` option, the command's `--profile`).
pub const PROFILE: &str = "client-managed";

/// Refuses a `profile` other than [`PROFILE`] for the client-managed proxy, naming both.
pub fn check_profile(profile: &str) -> Result<()> {
    if profile == PROFILE {
        return Ok(());
    }
    Err(Error::plain(
        ErrorCode::InvalidOption,
        format!(
            "profile is {profile:?}: use \"cloud\" (Qlik Cloud) or \"client-managed\" (a Qlik Sense JWT virtual proxy)"
        ),
    ))
}

/// The parallel sessions a user may hold by default (Qlik's limit).
pub const DEFAULT_MAX_PARALLEL_SESSIONS: u32 = proxy_protocol::MAX_PARALLEL_SESSIONS;

/// The error codes of the local proxy's own refusals (token refusals carry the `QSE_…` codes of
/// [`crate::qlik::client_managed::codes`]).
pub mod codes {
    /// 401: neither a Bearer token nor a session cookie.
    pub const NOT_LOGGED_IN: &str = "LOCAL-NOT-LOGGED-IN";
    /// 403: the user already holds the most parallel sessions.
    pub const MAX_PARALLEL_SESSIONS: &str = "LOCAL-MAX-PARALLEL-SESSIONS";
    /// 403: a QRS call without a matching xrfkey parameter and header.
    pub const XRFKEY: &str = "LOCAL-XRFKEY";
    /// 403: a websocket upgrade that carries an `Authorization` header.
    pub const WEBSOCKET_AUTHORIZATION: &str = "LOCAL-WEBSOCKET-AUTHORIZATION";
    /// 403: a websocket upgrade from an origin that is not allowed.
    pub const WEBSOCKET_ORIGIN: &str = "LOCAL-WEBSOCKET-ORIGIN";
    /// 403: a websocket upgrade without a valid session cookie.
    pub const WEBSOCKET_SESSION: &str = "LOCAL-WEBSOCKET-SESSION";
    /// 403: a websocket upgrade without the session's CSRF token as query parameter.
    pub const WEBSOCKET_CSRF: &str = "LOCAL-WEBSOCKET-CSRF";
}

/// The settings of a local client-managed virtual proxy.
#[derive(Debug, Clone)]
pub struct ClientManagedTenantConfig {
    /// The virtual proxy's prefix (e.g. `jwt`), without slashes.
    pub prefix: String,
    /// The certificate (or public key) of the virtual proxy's JWT settings.
    pub certificate: VerifyingKey,
    /// The JWT settings: user id and user directory attributes, audience, attribute map.
    pub proxy: VirtualProxySettings,
    /// The session cookie header name (`None`: `X-Qlik-Session-<prefix>`); over plain http the
    /// cookie is this name with `-HTTP` appended.
    pub session_cookie_header_name: Option<String>,
    /// The parallel sessions a user (user directory and user id) may hold; 5 by default.
    pub max_parallel_sessions: u32,
    /// The origins a websocket upgrade may come from (e.g. `https://mashup.example`); empty:
    /// the proxy's own origin only.
    pub allowed_origins: Vec<String>,
    /// Whether an upgrade without `Origin` (what non-browser clients send) is judged by its
    /// cookie and CSRF token alone (the default) or refused like a foreign origin.
    pub allow_missing_origin: bool,
    /// The address to listen on; port 0 picks a free one. Must be a loopback address.
    pub listen: SocketAddr,
}

impl ClientManagedTenantConfig {
    /// A proxy with this prefix, certificate and JWT settings, and Qlik's defaults otherwise:
    /// cookie `X-Qlik-Session-<prefix>`, 5 parallel sessions, the proxy's own origin, a free
    /// port on 127.0.0.1.
    pub fn new(
        prefix: impl Into<String>,
        certificate: VerifyingKey,
        proxy: VirtualProxySettings,
    ) -> Self {
        ClientManagedTenantConfig {
            prefix: prefix.into(),
            certificate,
            proxy,
            session_cookie_header_name: None,
            max_parallel_sessions: DEFAULT_MAX_PARALLEL_SESSIONS,
            allowed_origins: Vec::new(),
            allow_missing_origin: true,
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
        }
    }

    /// Listens on loopback `port`; 0 picks a free one. Anything else than 0 to 65535 is
    /// refused.
    pub fn set_port(&mut self, port: i64) -> Result<()> {
        listener::set_port(&mut self.listen, port)
    }

    /// The session cookie header name: the configured one or `X-Qlik-Session-<prefix>`.
    pub fn session_cookie_header_name(&self) -> String {
        self.session_cookie_header_name
            .clone()
            .unwrap_or_else(|| format!("{SESSION_COOKIE_PREFIX}-{}", self.prefix))
    }

    /// The cookie's name over plain http: the header name with `-HTTP` appended.
    pub fn cookie_name(&self) -> String {
        format!("{}{HTTP_COOKIE_SUFFIX}", self.session_cookie_header_name())
    }

    /// Refuses settings the proxy cannot run with, naming the field.
    pub fn check(&self) -> Result<()> {
        let option = |message: String| Err(Error::plain(ErrorCode::InvalidOption, message));
        let prefix_ok = !self.prefix.is_empty()
            && self
                .prefix
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.');
        if !prefix_ok {
            return option(format!(
                "prefix is {:?}: a virtual proxy prefix is one path segment of letters, digits, \
                 '-', '_' or '.' (e.g. jwt), without slashes",
                self.prefix
            ));
        }
        if let Some(name) = &self.session_cookie_header_name {
            let token = !name.is_empty()
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_.!#$%&'*+^`|~".contains(&b));
            if !token {
                return option(format!(
                    "session_cookie_header_name is {name:?}: a cookie name is letters, digits \
                     and '-' (e.g. X-Qlik-Session-jwt)"
                ));
            }
        }
        if self.max_parallel_sessions == 0 {
            return option(
                "max_parallel_sessions is 0: a user needs at least one session (Qlik allows 5)"
                    .to_owned(),
            );
        }
        for origin in &self.allowed_origins {
            let scheme_ok = origin.starts_with("http://") || origin.starts_with("https://");
            if !scheme_ok || origin.ends_with('/') {
                return option(format!(
                    "allowed_origins has {origin:?}: an origin is scheme://host[:port], e.g. \
                     https://mashup.example, with no path"
                ));
            }
        }
        self.proxy.check()
    }
}

#[cfg(test)]
mod tests;
