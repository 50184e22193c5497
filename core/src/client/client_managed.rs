//! Logging in to a client-managed virtual proxy and calling it with the session: the core's
//! [`ClientManagedLogin`] steps carried out on `ureq`.

use std::sync::{Arc, Mutex, MutexGuard};

use super::Response;
use super::drive::{call, drive, locked};
use super::transport::agent;
use crate::protocol::{
    ClientError, ClientManagedLogin, ClientManagedOptions, ClientManagedState, RetryPolicy,
};

/// A client-managed proxy session: the session cookie the proxy set and the CSRF token of
/// `/qps/csrftoken`. Reuse it for every call and websocket: each login opens another proxy
/// session, and a user may hold 5 at once. Clones share the session.
#[derive(Clone)]
pub struct ClientManagedSession {
    state: Arc<Mutex<ClientManagedState>>,
    agent: ureq::Agent,
}

impl std::fmt::Debug for ClientManagedSession {
    /// The proxy and the cookie's name, never its value.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientManagedSession")
            .field("base_url", &self.base_url())
            .field("cookie_name", &self.cookie_name())
            .finish_non_exhaustive()
    }
}

/// Logs in to the client-managed virtual proxy at `base_url` (e.g.
/// `https://sense.example.com/jwt`, the prefix included) with `token`, a JWT for that proxy:
/// `GET /<prefix>/qps/csrftoken` with `Authorization: Bearer <token>`. The proxy answers with its
/// session cookie and the `qlik-csrf-token` header. A refusal is a [`ClientError::Qlik`] whose
/// `hint` explains it (the token's own faults on a 401, the parallel session limit on a 403 that
/// names it). Retries what a retry can cure (an unreachable proxy, HTTP 429/502/503/504) with
/// [`RetryPolicy::default`].
pub fn login_client_managed(
    base_url: &str,
    token: &str,
    options: &ClientManagedOptions,
) -> Result<ClientManagedSession, ClientError> {
    login_client_managed_with(base_url, token, options, RetryPolicy::default())
}

/// [`login_client_managed`] with the retry policy `retry`.
pub fn login_client_managed_with(
    base_url: &str,
    token: &str,
    options: &ClientManagedOptions,
    retry: RetryPolicy,
) -> Result<ClientManagedSession, ClientError> {
    let mut flow = ClientManagedLogin::new(base_url, token, options.clone(), retry)?;
    let agent = agent();
    let first = flow.start();
    // The flow never asks for a signature: the token came with the call.
    let state = drive(&agent, &mut flow, first, |_| {
        Err(ClientError::Protocol(
            "the client-managed login signs no token".into(),
        ))
    })?;
    Ok(ClientManagedSession {
        state: Arc::new(Mutex::new(*state)),
        agent,
    })
}

impl ClientManagedSession {
    fn state(&self) -> MutexGuard<'_, ClientManagedState> {
        locked(&self.state)
    }

    /// The proxy's base URL with its prefix, e.g. `https://sense.example.com/jwt`.
    pub fn base_url(&self) -> String {
        self.state().base_url().to_owned()
    }

    /// The proxy's origin, e.g. `https://sense.example.com` (the websocket's `Origin`).
    pub fn origin(&self) -> String {
        self.state().origin().to_owned()
    }

    /// The CSRF token (the websocket's `qlik-csrf-token` query parameter).
    pub fn csrf_token(&self) -> String {
        self.state().csrf_token().to_owned()
    }

    /// The session cookie's name, e.g. `X-Qlik-Session-jwt`.
    pub fn cookie_name(&self) -> String {
        self.state().cookie_name().to_owned()
    }

    /// The session cookie's value (a secret: it is the session), while it lives.
    pub fn cookie_value(&self) -> Option<String> {
        self.state().cookie_value()
    }

    /// The session cookies as a `Cookie` header value.
    pub fn cookie_header(&self) -> String {
        self.state().cookie_header()
    }

    /// The engine websocket URL of app `app_id`:
    /// `wss://<host>/<prefix>/app/<appId>?qlik-csrf-token=<token>` (`ws://` over http). Open it
    /// with [`ClientManagedSession::websocket_headers`].
    pub fn websocket_url(&self, app_id: &str) -> String {
        self.state().websocket_url(app_id)
    }

    /// The headers of the websocket upgrade: `Cookie` and an `Origin` equal to the proxy's
    /// origin (no `Authorization`).
    pub fn websocket_headers(&self) -> Vec<(String, String)> {
        self.state().websocket_headers()
    }

    /// `GET path` under the prefix (e.g. `/qrs/about`) with the session cookie, and an xrfkey on
    /// QRS paths.
    pub fn get(&self, path: &str) -> Result<Response, ClientError> {
        self.request("GET", path, None)
    }

    /// `method path` under the prefix with the session cookie, a fresh xrfkey on QRS paths, and
    /// `body` as JSON when given. Never the token: the session is the cookie.
    pub fn request(
        &self,
        method: &str,
        path: &str,
        body: Option<&serde_json::Value>,
    ) -> Result<Response, ClientError> {
        call(&self.agent, &self.state, method, path, body)
    }
}
