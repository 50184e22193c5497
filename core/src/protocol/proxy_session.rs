//! A client-managed proxy session's state and the rules of its calls: the session cookie on
//! every call, an xrfkey on QRS calls, never the Bearer token again (one Bearer call opens one
//! proxy session, and a user may hold few), and the engine websocket's URL and headers.

use std::time::Duration;

use url::Url;

use super::hint::now_secs;
use super::proxy_refusal::proxy_refusal;
use super::session::{call_request, checked_method, judge_answer, root_cookie_header};
use super::xrfkey::new_xrfkey;
use super::{CallOutcome, ClientError, CookieJar, HttpRequest, ProxyUrl};
use crate::qlik::client_managed::proxy_protocol::{
    CSRF_HEADER, ENGINE_PATH_PREFIX, QRS_PATH_PREFIX, XRFKEY_HEADER, XRFKEY_PARAMETER,
};
use crate::qlik::protocol::percent_encode;

/// The state of a client-managed proxy session: the proxy, the session cookie it set and the
/// CSRF token of `/qps/csrftoken`. Made by a [`super::ClientManagedLogin`]; reuse it for every
/// call and websocket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientManagedState {
    pub(super) proxy: ProxyUrl,
    pub(super) jar: CookieJar,
    pub(super) cookie_name: String,
    pub(super) csrf_token: String,
    pub(super) timeout: Duration,
}

impl ClientManagedState {
    /// The proxy's base URL with its prefix, e.g. `https://sense.example.com/jwt`.
    pub fn base_url(&self) -> &str {
        self.proxy.as_str()
    }

    /// The proxy's origin, e.g. `https://sense.example.com`.
    pub fn origin(&self) -> &str {
        self.proxy.origin()
    }

    /// The virtual proxy prefix.
    pub fn prefix(&self) -> &str {
        self.proxy.prefix()
    }

    /// The CSRF token of `/qps/csrftoken` (the websocket's `qlik-csrf-token`).
    pub fn csrf_token(&self) -> &str {
        &self.csrf_token
    }

    /// The session cookie's name, e.g. `X-Qlik-Session-jwt`.
    pub fn cookie_name(&self) -> &str {
        &self.cookie_name
    }

    /// The session cookie's value, when the cookie is still alive.
    pub fn cookie_value(&self) -> Option<String> {
        self.jar.value(&self.cookie_name, now_secs())
    }

    /// The longest a call may take.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// The names of the session's live cookies, in the order they were set.
    pub fn cookie_names(&self) -> Vec<String> {
        self.jar.names(now_secs())
    }

    /// The `Cookie` header for a call under the prefix (what the websocket needs).
    pub fn cookie_header(&self) -> String {
        root_cookie_header(&self.jar, self.proxy.join("/").ok())
    }

    /// The engine websocket URL of app `app_id`: `wss://<host>/<prefix>/app/<appId>` (`ws://`
    /// over http) with the CSRF token as the `qlik-csrf-token` query parameter.
    pub fn websocket_url(&self, app_id: &str) -> String {
        let base = self.proxy.as_str();
        let ws_base = match base.strip_prefix("https://") {
            Some(rest) => format!("wss://{rest}"),
            None => format!("ws://{}", base.trim_start_matches("http://")),
        };
        format!(
            "{ws_base}{ENGINE_PATH_PREFIX}{}?{CSRF_HEADER}={}",
            percent_encode(app_id),
            percent_encode(&self.csrf_token)
        )
    }

    /// The headers of the websocket upgrade: the session cookie and an `Origin` equal to the
    /// proxy's origin; never `Authorization` (the proxy refuses an upgrade that carries one).
    pub fn websocket_headers(&self) -> Vec<(String, String)> {
        vec![
            ("Cookie".to_owned(), self.cookie_header()),
            ("Origin".to_owned(), self.proxy.origin().to_owned()),
        ]
    }

    /// The request for `method path`, `path` under the prefix (e.g. `GET /qrs/about` is
    /// `https://host/<prefix>/qrs/about`): the session cookie, for a QRS path a fresh xrfkey as
    /// both the `xrfkey` query parameter and the `X-Qlik-Xrfkey` header, and
    /// `Content-Type: application/json` when `json_body`. The caller adds the body.
    pub fn request(
        &self,
        method: &str,
        path: &str,
        json_body: bool,
    ) -> Result<HttpRequest, ClientError> {
        let method = checked_method(method)?;
        let mut url = self.proxy.join(path)?;
        let mut headers = Vec::new();
        if is_qrs(&url, self.proxy.prefix()) {
            if url
                .query_pairs()
                .any(|(name, _)| name.eq_ignore_ascii_case(XRFKEY_PARAMETER))
            {
                return Err(ClientError::InvalidArgument(format!(
                    "the path {path:?} carries an xrfkey: the session adds a fresh one to every \
                     QRS call, leave it out"
                )));
            }
            let key = new_xrfkey()?;
            url.query_pairs_mut().append_pair(XRFKEY_PARAMETER, &key);
            headers.push((XRFKEY_HEADER.to_owned(), key));
        }
        if let Some(cookies) = self.jar.header_for(&url, now_secs()) {
            headers.push(("Cookie".to_owned(), cookies));
        }
        Ok(call_request(method, url, headers, json_body, self.timeout))
    }

    /// Takes in the answer to the request sent to `url`: keeps the cookies it sets and judges
    /// its status.
    pub fn receive(&mut self, url: &str, status: u16, headers: &[(String, String)]) -> CallOutcome {
        judge_answer(&mut self.jar, url, status, headers)
    }

    /// The error of a refused call, from its status and body, with the hint that says what a
    /// proxy's refusal most likely means (the parallel session limit on a 403 that names it).
    pub fn refusal(status: u16, body: &str) -> ClientError {
        proxy_refusal(status, body, None, now_secs())
    }
}

/// Whether `url` is a QRS call under `prefix`.
fn is_qrs(url: &Url, prefix: &str) -> bool {
    url.path()
        .strip_prefix('/')
        .and_then(|rest| rest.strip_prefix(prefix))
        .is_some_and(|rest| rest.starts_with(QRS_PATH_PREFIX))
}
