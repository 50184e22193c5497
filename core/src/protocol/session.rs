//! A logged-in session's state and the rules of its calls: the cookies, the CSRF token on every
//! call but GET and HEAD, the web integration id, the timeout, and the judging of the answers.

use std::time::Duration;

use url::Url;

use super::hint::now_secs;
use super::{BaseUrl, ClientError, CookieJar, HttpRequest, QlikError};
use crate::qlik::protocol::{CSRF_HEADER, WEB_INTEGRATION_ID_HEADER, engine_websocket_url};

/// What became of a call, judged from its status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallOutcome {
    /// A 2xx answer: hand it to the user.
    Accepted,
    /// Anything else (redirects included): read the body and raise [`SessionState::refusal`].
    Refused,
}

/// The state of a session: where it is, its cookies and its CSRF token. Made by a
/// [`super::LoginFlow`]; reuse it for every call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionState {
    pub(super) base: BaseUrl,
    pub(super) jar: CookieJar,
    pub(super) csrf_token: String,
    pub(super) web_integration_id: Option<String>,
    pub(super) timeout: Duration,
}

impl SessionState {
    /// The tenant's base URL, without a trailing slash.
    pub fn base_url(&self) -> &str {
        self.base.as_str()
    }

    /// The CSRF token (`qlik-csrf-token`).
    pub fn csrf_token(&self) -> &str {
        &self.csrf_token
    }

    /// The web integration id sent with every call, when set.
    pub fn web_integration_id(&self) -> Option<&str> {
        self.web_integration_id.as_deref()
    }

    /// The longest a call may take.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// The names of the session's live cookies, in the order they were set.
    pub fn cookie_names(&self) -> Vec<String> {
        self.jar.names(now_secs())
    }

    /// The `Cookie` header for the tenant's root (what the engine websocket needs).
    pub fn cookie_header(&self) -> String {
        root_cookie_header(&self.jar, self.base.join("/").ok())
    }

    /// The engine websocket URL of app `app_id`: `wss://<tenant>/app/<appId>` (`ws://` for an
    /// `http://` tenant) with `qlik-csrf-token` (and `qlik-web-integration-id` when set).
    pub fn websocket_url(&self, app_id: &str) -> String {
        engine_websocket_url(
            self.base.as_str(),
            app_id,
            &self.csrf_token,
            self.web_integration_id.as_deref(),
        )
    }

    /// The headers the engine websocket needs: the session cookies.
    pub fn websocket_headers(&self) -> Vec<(String, String)> {
        vec![("Cookie".to_owned(), self.cookie_header())]
    }

    /// The request for `method path` (e.g. `GET /api/v1/users/me`): the cookies for that URL,
    /// `qlik-csrf-token` unless the method is GET or HEAD, the web integration id, and
    /// `Content-Type: application/json` when `json_body`. The caller adds the body.
    pub fn request(
        &self,
        method: &str,
        path: &str,
        json_body: bool,
    ) -> Result<HttpRequest, ClientError> {
        let method = checked_method(method)?;
        let url = self.base.join(path)?;
        let mut headers = self.call_headers(&url);
        if method != "GET" && method != "HEAD" {
            headers.push((CSRF_HEADER.to_owned(), self.csrf_token.clone()));
        }
        Ok(call_request(method, url, headers, json_body, self.timeout))
    }

    /// Takes in the answer to the request sent to `url`: keeps the cookies it sets and judges
    /// its status.
    pub fn receive(&mut self, url: &str, status: u16, headers: &[(String, String)]) -> CallOutcome {
        judge_answer(&mut self.jar, url, status, headers)
    }

    /// The error of a refused call, from its status and body.
    pub fn refusal(status: u16, body: &str) -> ClientError {
        ClientError::Qlik(Box::new(QlikError::from_response(status, body)))
    }

    /// The cookie and web integration id headers of a call to `url`.
    pub(super) fn call_headers(&self, url: &Url) -> Vec<(String, String)> {
        let mut headers = Vec::new();
        if let Some(cookies) = self.jar.header_for(url, now_secs()) {
            headers.push(("Cookie".to_owned(), cookies));
        }
        if let Some(id) = &self.web_integration_id {
            headers.push((WEB_INTEGRATION_ID_HEADER.to_owned(), id.clone()));
        }
        headers
    }
}

/// The `Cookie` header that `jar` sends now to `root` (a session's root URL); empty without one.
pub(super) fn root_cookie_header(jar: &CookieJar, root: Option<Url>) -> String {
    root.and_then(|url| jar.header_for(&url, now_secs()))
        .unwrap_or_default()
}

/// The request of a call to `url` with `headers`, plus `Content-Type: application/json` when
/// `json_body`; the caller adds the body.
pub(super) fn call_request(
    method: String,
    url: Url,
    mut headers: Vec<(String, String)>,
    json_body: bool,
    timeout: Duration,
) -> HttpRequest {
    if json_body {
        headers.push(("Content-Type".to_owned(), "application/json".to_owned()));
    }
    HttpRequest {
        method,
        url: url.into(),
        headers,
        body: Vec::new(),
        timeout,
    }
}

/// Keeps in `jar` the cookies that the answer from `url` sets and judges its status: only a 2xx
/// is accepted.
pub(super) fn judge_answer(
    jar: &mut CookieJar,
    url: &str,
    status: u16,
    headers: &[(String, String)],
) -> CallOutcome {
    if let Ok(url) = Url::parse(url) {
        jar.store_all(headers, &url, now_secs());
    }
    if (200..300).contains(&status) {
        CallOutcome::Accepted
    } else {
        CallOutcome::Refused
    }
}

/// `method` upper-cased, when it is an HTTP token (RFC 9110 `tchar`s).
pub(super) fn checked_method(method: &str) -> Result<String, ClientError> {
    let valid = !method.is_empty()
        && method
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
    if valid {
        Ok(method.to_ascii_uppercase())
    } else {
        Err(ClientError::InvalidArgument(format!(
            "{method:?} is not an HTTP method"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(secure_cookie: bool) -> SessionState {
        let base = BaseUrl::tenant("http://127.0.0.1:8080").unwrap();
        let mut jar = CookieJar::new();
        let secure = if secure_cookie { "; Secure" } else { "" };
        let root = base.join("/login/jwt-session").unwrap();
        jar.store(
            &format!("eas.sid=s1; Path=/; HttpOnly{secure}"),
            &root,
            now_secs(),
        );
        jar.store("scoped=v; Path=/api/v2", &root, now_secs());
        SessionState {
            base,
            jar,
            csrf_token: "csrf-1".into(),
            web_integration_id: Some("web-1".into()),
            timeout: Duration::from_secs(7),
        }
    }

    fn header<'r>(request: &'r HttpRequest, name: &str) -> Option<&'r str> {
        super::super::header_value(&request.headers, name)
    }

    #[test]
    fn csrf_goes_with_every_method_but_get_and_head() {
        let session = session(false);
        for method in ["GET", "get", "HEAD"] {
            let request = session.request(method, "/api/v1/users/me", false).unwrap();
            assert_eq!(header(&request, CSRF_HEADER), None, "{method}");
        }
        for method in ["POST", "put", "PATCH", "DELETE", "OPTIONS"] {
            let request = session.request(method, "/api/v1/users/me", true).unwrap();
            assert_eq!(header(&request, CSRF_HEADER), Some("csrf-1"), "{method}");
            assert_eq!(header(&request, "content-type"), Some("application/json"));
            assert_eq!(request.method, method.to_ascii_uppercase());
        }
    }

    #[test]
    fn a_call_carries_its_cookies_id_and_timeout() {
        let session = session(true);
        let me = session.request("GET", "/api/v1/users/me", false).unwrap();
        assert_eq!(me.url, "http://127.0.0.1:8080/api/v1/users/me");
        // The Secure cookie goes over loopback HTTP; the /api/v2 cookie stays on its path.
        assert_eq!(header(&me, "cookie"), Some("eas.sid=s1"));
        assert_eq!(header(&me, WEB_INTEGRATION_ID_HEADER), Some("web-1"));
        assert_eq!(me.timeout, Duration::from_secs(7));
        let v2 = session.request("GET", "/api/v2/x", false).unwrap();
        assert_eq!(header(&v2, "cookie"), Some("scoped=v; eas.sid=s1"));
        assert_eq!(session.cookie_header(), "eas.sid=s1");
        assert_eq!(
            session.websocket_headers(),
            [("Cookie".to_owned(), "eas.sid=s1".to_owned())]
        );
    }

    #[test]
    fn bad_paths_and_methods_are_refused_before_any_request() {
        let session = session(false);
        assert!(
            matches!(session.request("GET", "users/me", false), Err(ClientError::InvalidUrl(m)) if m.contains("must start with /"))
        );
        assert!(matches!(
            session.request("GE T", "/x", false),
            Err(ClientError::InvalidArgument(_))
        ));
        assert!(matches!(
            session.request("", "/x", false),
            Err(ClientError::InvalidArgument(_))
        ));
    }

    #[test]
    fn answers_update_the_jar_and_only_2xx_is_accepted() {
        let mut session = session(false);
        let url = "http://127.0.0.1:8080/api/v1/users/me";
        let expire = [(
            "Set-Cookie".to_owned(),
            "eas.sid=; Path=/; Max-Age=0".to_owned(),
        )];
        assert_eq!(session.receive(url, 204, &expire), CallOutcome::Accepted);
        assert_eq!(session.cookie_names(), ["scoped"]);
        for status in [301, 302, 401, 404, 500] {
            assert_eq!(session.receive(url, status, &[]), CallOutcome::Refused);
        }
        let refused = SessionState::refusal(404, r#"{"errors":[{"code":"NF","title":"nope"}]}"#);
        assert!(matches!(refused, ClientError::Qlik(e) if e.code == "NF" && e.hint.is_none()));
    }
}
