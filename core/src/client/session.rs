//! Logging in and calling the REST API with the session.

use std::sync::Arc;
use std::time::Duration;

use super::hint::{login_hint, now_secs};
use super::{ClientError, QlikError};
use crate::qlik::protocol::{
    self, CSRF_HEADER, CSRF_TOKEN_PATH, DEFAULT_TIMEOUT_SECS, LOGIN_PATH,
    WEB_INTEGRATION_ID_HEADER, engine_websocket_url,
};

/// Options of [`login`].
#[derive(Debug, Clone)]
pub struct LoginOptions {
    /// Sent as `qlik-web-integration-id` on every call when set (browsers need one; a server
    /// usually does not).
    pub web_integration_id: Option<String>,
    /// The longest a single call may take.
    pub timeout: Duration,
}

impl Default for LoginOptions {
    fn default() -> Self {
        LoginOptions {
            web_integration_id: None,
            timeout: Duration::from_secs(DEFAULT_TIMEOUT_SECS),
        }
    }
}

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
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body parsed as JSON.
    pub fn json(&self) -> Result<serde_json::Value, ClientError> {
        serde_json::from_str(&self.body)
            .map_err(|e| ClientError::Protocol(format!("the body is not JSON: {e}")))
    }
}

/// A logged-in session: the cookies of `/login/jwt-session` and the CSRF token. Reuse it for
/// every call; log in again (with a new token) only when a call answers 401.
#[derive(Clone)]
pub struct Session {
    base_url: String,
    cookies: Vec<(String, String)>,
    csrf_token: String,
    web_integration_id: Option<String>,
    agent: ureq::Agent,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.cookies.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("Session")
            .field("base_url", &self.base_url)
            .field("cookies", &names)
            .finish_non_exhaustive()
    }
}

/// Logs in to the tenant at `tenant_url` (e.g. `https://acme.eu.qlikcloud.com`) with a Qlik JWT:
/// `POST /login/jwt-session` with `Authorization: Bearer <token>`, then
/// `GET /api/v1/csrf-token`. A refusal is a [`ClientError::Qlik`] whose `hint` says what the
/// core's checks find wrong with the token.
pub fn login(
    tenant_url: &str,
    token: &str,
    options: &LoginOptions,
) -> Result<Session, ClientError> {
    let base_url = base_url(tenant_url)?;
    let agent = agent(options.timeout);
    let mut request = agent
        .post(format!("{base_url}{LOGIN_PATH}"))
        .header("Authorization", format!("Bearer {token}"));
    if let Some(id) = &options.web_integration_id {
        request = request.header(WEB_INTEGRATION_ID_HEADER, id);
    }
    let response = request.send_empty().map_err(transport)?;
    let (status, headers, body) = read(response)?;
    if !(200..300).contains(&status) {
        let mut error = QlikError::from_response(status, &body);
        error.hint = login_hint(token, now_secs());
        return Err(ClientError::Qlik(Box::new(error)));
    }
    let cookies: Vec<(String, String)> = headers
        .iter()
        .filter(|(name, _)| name == "set-cookie")
        .filter_map(|(_, value)| {
            let pair = value.split(';').next()?;
            let (name, value) = pair.split_once('=')?;
            Some((name.trim().to_owned(), value.trim().to_owned()))
        })
        .collect();
    if cookies.is_empty() {
        return Err(ClientError::Protocol(protocol::no_session_cookies(status)));
    }
    let mut session = Session {
        base_url,
        cookies,
        csrf_token: String::new(),
        web_integration_id: options.web_integration_id.clone(),
        agent,
    };
    let csrf = session.get(CSRF_TOKEN_PATH)?;
    session.csrf_token = csrf
        .header(CSRF_HEADER)
        .ok_or_else(|| ClientError::Protocol(protocol::no_csrf_token()))?
        .to_owned();
    Ok(session)
}

impl Session {
    /// The tenant's base URL, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The CSRF token (`qlik-csrf-token`) of the session.
    pub fn csrf_token(&self) -> &str {
        &self.csrf_token
    }

    /// The session cookies as a `Cookie` header value.
    pub fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(n, v)| format!("{n}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// The names of the session cookies.
    pub fn cookie_names(&self) -> Vec<&str> {
        self.cookies.iter().map(|(n, _)| n.as_str()).collect()
    }

    /// The engine websocket URL of app `app_id`: `wss://<tenant>/app/<appId>` (`ws://` for an
    /// `http://` tenant) with `qlik-csrf-token` (and `qlik-web-integration-id` when set) as
    /// query parameters. Open it with [`Session::websocket_headers`].
    pub fn websocket_url(&self, app_id: &str) -> String {
        engine_websocket_url(
            &self.base_url,
            app_id,
            &self.csrf_token,
            self.web_integration_id.as_deref(),
        )
    }

    /// The headers the engine websocket needs: the session cookies.
    pub fn websocket_headers(&self) -> Vec<(String, String)> {
        vec![("Cookie".to_owned(), self.cookie_header())]
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
        protocol::check_path(path).map_err(ClientError::InvalidUrl)?;
        let method_upper = method.to_ascii_uppercase();
        let http_method = ureq::http::Method::from_bytes(method_upper.as_bytes())
            .map_err(|_| ClientError::InvalidUrl(format!("{method:?} is not an HTTP method")))?;
        let mut builder = ureq::http::Request::builder()
            .method(http_method.clone())
            .uri(format!("{}{path}", self.base_url))
            .header("Cookie", self.cookie_header());
        if http_method != ureq::http::Method::GET && http_method != ureq::http::Method::HEAD {
            builder = builder.header(CSRF_HEADER, &self.csrf_token);
        }
        if let Some(id) = &self.web_integration_id {
            builder = builder.header(WEB_INTEGRATION_ID_HEADER, id);
        }
        let payload = match body {
            Some(json) => {
                builder = builder.header("Content-Type", "application/json");
                serde_json::to_vec(json).unwrap_or_default()
            }
            None => Vec::new(),
        };
        let request = builder
            .body(payload)
            .map_err(|e| ClientError::InvalidUrl(format!("{}{path}: {e}", self.base_url)))?;
        let response = self.agent.run(request).map_err(transport)?;
        let (status, headers, body) = read(response)?;
        if !(200..300).contains(&status) {
            return Err(ClientError::Qlik(Box::new(QlikError::from_response(
                status, &body,
            ))));
        }
        Ok(Response {
            status,
            headers,
            body,
        })
    }
}

fn base_url(tenant_url: &str) -> Result<String, ClientError> {
    protocol::tenant_origin(tenant_url).map_err(ClientError::InvalidUrl)
}

fn agent(timeout: Duration) -> ureq::Agent {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let tls = ureq::tls::TlsConfig::builder()
        .provider(ureq::tls::TlsProvider::Rustls)
        .unversioned_rustls_crypto_provider(provider)
        .build();
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(timeout))
        .tls_config(tls)
        .user_agent(concat!("qlik-jwt/", env!("CARGO_PKG_VERSION")))
        .build()
        .new_agent()
}

type Parts = (u16, Vec<(String, String)>, String);

/// Status, headers (lower-case names) and body (at most 10 MiB) of a response.
fn read(mut response: ureq::http::Response<ureq::Body>) -> Result<Parts, ClientError> {
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(n, v)| {
            (
                n.as_str().to_ascii_lowercase(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let body = if status == 204 {
        String::new()
    } else {
        response
            .body_mut()
            .with_config()
            .limit(10 * 1024 * 1024)
            .read_to_string()
            .map_err(transport)?
    };
    Ok((status, headers, body))
}

fn transport(error: ureq::Error) -> ClientError {
    ClientError::Transport(error.to_string())
}
