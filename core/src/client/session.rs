//! Logging in and calling the REST API with the session: the protocol's steps carried out.

use std::sync::{Arc, Mutex};

use super::drive::{call, drive, locked};
use super::transport::agent;
use crate::protocol::{
    ClientError, LoginFlow, LoginOptions, LoginStep, RetryPolicy, SessionState, header_value,
};

/// A response of a session call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The HTTP status (2xx: errors come as [`ClientError::Qlik`]).
    pub status: u16,
    /// The response headers, names in lower case.
    pub headers: Vec<(String, String)>,
    /// The body as text.
    pub body: String,
}

impl Response {
    /// The first header of this name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        header_value(&self.headers, name)
    }

    /// The body parsed as JSON.
    pub fn json(&self) -> Result<serde_json::Value, ClientError> {
        serde_json::from_str(&self.body)
            .map_err(|e| ClientError::Protocol(format!("the body is not JSON: {e}")))
    }
}

/// A logged-in session: the cookies of `/login/jwt-session` and the CSRF token. Reuse it for
/// every call; log in again (with a new token) only when a call answers 401. Clones share the
/// session's cookies.
#[derive(Clone)]
pub struct Session {
    state: Arc<Mutex<SessionState>>,
    agent: ureq::Agent,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("base_url", &self.base_url())
            .field("cookies", &self.cookie_names())
            .finish_non_exhaustive()
    }
}

/// Logs in to the tenant at `tenant_url` (e.g. `https://acme.eu.qlikcloud.com`) with a Qlik JWT:
/// `POST /login/jwt-session` with `Authorization: Bearer <token>`, then
/// `GET /api/v1/csrf-token`. A refusal is a [`ClientError::Qlik`] whose `hint` says what the
/// core's checks find wrong with the token. Never retried: the token's `jti` is spent.
pub fn login(
    tenant_url: &str,
    token: &str,
    options: &LoginOptions,
) -> Result<Session, ClientError> {
    let mut token = Some(token.to_owned());
    login_with(tenant_url, options, RetryPolicy::none(), || {
        token.take().ok_or_else(|| {
            ClientError::InvalidArgument("a login without retries signs one token".into())
        })
    })
}

/// [`login`] with a token that `sign` makes for each attempt, so a retry never reuses a `jti`;
/// retried as `retry` says (an unreachable tenant and HTTP 429/502/503/504 only). An error of
/// `sign` ends the login.
pub fn login_with(
    tenant_url: &str,
    options: &LoginOptions,
    retry: RetryPolicy,
    mut sign: impl FnMut() -> Result<String, ClientError>,
) -> Result<Session, ClientError> {
    let mut flow = LoginFlow::new(tenant_url, options.clone(), retry)?;
    let agent = agent();
    let state = drive(&agent, &mut flow, LoginStep::Sign, |flow| {
        Ok(flow.token(&sign()?))
    })?;
    Ok(Session {
        state: Arc::new(Mutex::new(*state)),
        agent,
    })
}

impl Session {
    fn state(&self) -> std::sync::MutexGuard<'_, SessionState> {
        locked(&self.state)
    }

    /// The tenant's base URL, without a trailing slash.
    pub fn base_url(&self) -> String {
        self.state().base_url().to_owned()
    }

    /// The CSRF token (`qlik-csrf-token`) of the session.
    pub fn csrf_token(&self) -> String {
        self.state().csrf_token().to_owned()
    }

    /// The session cookies as a `Cookie` header value.
    pub fn cookie_header(&self) -> String {
        self.state().cookie_header()
    }

    /// The names of the session cookies.
    pub fn cookie_names(&self) -> Vec<String> {
        self.state().cookie_names()
    }

    /// The engine websocket URL of app `app_id`: `wss://<tenant>/app/<appId>` (`ws://` for an
    /// `http://` tenant) with `qlik-csrf-token` (and `qlik-web-integration-id` when set) as
    /// query parameters. Open it with [`Session::websocket_headers`].
    pub fn websocket_url(&self, app_id: &str) -> String {
        self.state().websocket_url(app_id)
    }

    /// The headers the engine websocket needs: the session cookies.
    pub fn websocket_headers(&self) -> Vec<(String, String)> {
        self.state().websocket_headers()
    }

    /// `GET path` (e.g. `/api/v1/users/me`) with the session cookies.
    pub fn get(&self, path: &str) -> Result<Response, ClientError> {
        self.send("GET", path, None)
    }

    /// `method path` with the session cookies, `qlik-csrf-token` unless the method is GET or
    /// HEAD, and `body` as JSON when given.
    pub fn send(
        &self,
        method: &str,
        path: &str,
        body: Option<&serde_json::Value>,
    ) -> Result<Response, ClientError> {
        call(&self.agent, &self.state, method, path, body)
    }
}
