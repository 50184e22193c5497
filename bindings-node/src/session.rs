//! What the JavaScript session client (`lib/session.js`, on `fetch`) takes from the core: the
//! protocol's names and the reading of Qlik's error bodies, with the core's hint.

use napi_derive::napi;
use qlik_jwt::client::{QlikError, login_hint};
use qlik_jwt::qlik::protocol;

/// The names of Qlik's jwt-session protocol.
#[napi(object)]
pub struct QlikProtocol {
    /// `/login/jwt-session`.
    pub login_path: String,
    /// `/api/v1/csrf-token`.
    pub csrf_token_path: String,
    /// `/api/v1/users/me`.
    pub users_me_path: String,
    /// `/api/v1/identity-providers`.
    pub identity_providers_path: String,
    /// `qlik-csrf-token`.
    pub csrf_header: String,
    /// `qlik-web-integration-id`.
    pub web_integration_id_header: String,
    /// The cookies a login sets: `eas.sid`, `eas.sid.sig`, `_csrfToken`, `_csrfToken.sig`.
    pub session_cookies: Vec<String>,
    /// Logins Qlik allows per minute (100).
    pub logins_per_minute: u32,
    /// Milliseconds a call waits for its answer, by default.
    pub timeout_ms: u32,
    /// Refusals of a login that a retry can cure.
    pub retried_statuses: Vec<u32>,
    /// Retries of a login after the first attempt, by default.
    pub login_retries: u32,
    /// Milliseconds before the first retry, by default (then doubling).
    pub retry_delay_ms: u32,
}

/// The protocol's names, from the core.
#[napi]
pub fn qlik_protocol() -> QlikProtocol {
    QlikProtocol {
        login_path: protocol::LOGIN_PATH.to_owned(),
        csrf_token_path: protocol::CSRF_TOKEN_PATH.to_owned(),
        users_me_path: protocol::USERS_ME_PATH.to_owned(),
        identity_providers_path: protocol::IDENTITY_PROVIDERS_PATH.to_owned(),
        csrf_header: protocol::CSRF_HEADER.to_owned(),
        web_integration_id_header: protocol::WEB_INTEGRATION_ID_HEADER.to_owned(),
        session_cookies: protocol::SESSION_COOKIES
            .iter()
            .map(|name| (*name).to_owned())
            .collect(),
        logins_per_minute: protocol::LOGINS_PER_MINUTE,
        timeout_ms: millis(protocol::DEFAULT_TIMEOUT_SECS * 1000),
        retried_statuses: protocol::RETRIED_STATUSES.map(u32::from).to_vec(),
        login_retries: protocol::DEFAULT_LOGIN_RETRIES,
        retry_delay_ms: millis(protocol::DEFAULT_RETRY_DELAY_MS),
    }
}

fn millis(ms: u64) -> u32 {
    u32::try_from(ms).unwrap_or(u32::MAX)
}

/// The tenant's address as the client uses it, or the core's reason why `tenantUrl` is not one.
#[napi(object)]
pub struct TenantOrigin {
    /// E.g. `https://acme.eu.qlikcloud.com`.
    pub origin: Option<String>,
    /// What is wrong with the URL given.
    pub problem: Option<String>,
}

/// The core's reading of a tenant URL.
#[napi]
pub fn tenant_origin(tenant_url: String) -> TenantOrigin {
    match protocol::tenant_origin(&tenant_url) {
        Ok(origin) => TenantOrigin {
            origin: Some(origin),
            problem: None,
        },
        Err(problem) => TenantOrigin {
            origin: None,
            problem: Some(problem),
        },
    }
}

/// What is wrong with the path of a REST call, or nothing.
#[napi]
pub fn path_problem(path: String) -> Option<String> {
    protocol::check_path(&path).err()
}

/// Milliseconds before retry `retry` of a login, from the first wait.
#[napi]
pub fn login_retry_wait(first_wait_ms: f64, retry: u32) -> f64 {
    protocol::retry_wait(first_wait_ms, retry)
}

/// What is wrong with the token handed to a login, or nothing.
#[napi]
pub fn login_token_problem(token: String) -> Option<String> {
    protocol::check_login_token(&token).err()
}

/// The core's words for a login that set no session cookies.
#[napi]
pub fn no_session_cookies(status: u32) -> String {
    protocol::no_session_cookies(u16::try_from(status).unwrap_or(0))
}

/// The core's words for a CSRF call without the token.
#[napi]
pub fn no_csrf_token() -> String {
    protocol::no_csrf_token()
}

/// The engine websocket URL of an app.
#[napi]
pub fn engine_websocket_url(
    base_url: String,
    app_id: String,
    csrf_token: String,
    web_integration_id: Option<String>,
) -> String {
    protocol::engine_websocket_url(
        &base_url,
        &app_id,
        &csrf_token,
        web_integration_id.as_deref(),
    )
}

/// A refused call, read from Qlik's error body.
#[napi(object)]
pub struct QlikErrorParts {
    /// The HTTP status.
    pub status: u32,
    /// The first error's code (empty when the body had none).
    pub code: String,
    /// The first error's title.
    pub title: String,
    /// The first error's detail.
    pub detail: Option<String>,
    /// The response's `traceId`.
    pub trace_id: Option<String>,
    /// What the core's checks find wrong with the token, for a refused login.
    pub hint: Option<String>,
    /// The whole error as one message.
    pub message: String,
}

/// Reads an error answer (`status`, `body`); with the `token` of a refused login, adds the
/// core's hint.
#[napi]
pub fn qlik_error_of(
    status: u32,
    body: String,
    token: Option<String>,
    now_seconds: i64,
) -> QlikErrorParts {
    let mut error = QlikError::from_response(u16::try_from(status).unwrap_or(0), &body);
    if let Some(token) = token {
        error.hint = login_hint(&token, now_seconds);
    }
    QlikErrorParts {
        status,
        message: error.to_string(),
        code: error.code,
        title: error.title,
        detail: error.detail,
        trace_id: error.trace_id,
        hint: error.hint,
    }
}
