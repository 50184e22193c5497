//! The client-managed login state machine: one `GET /<prefix>/qps/csrftoken` with the token as
//! `Authorization: Bearer`, which opens a proxy session (the answer sets its cookie) and gives
//! the CSRF token the engine websocket needs; retried, with the same token, when the
//! [`RetryPolicy`] says a retry can cure the failure.

use std::mem;
use std::time::Duration;

use url::Url;

use super::proxy_refusal::proxy_refusal;
use super::{
    ClientError, ClientManagedState, CookieJar, DEFAULT_TIMEOUT, HttpRequest, HttpResponse,
    ProxyUrl, RetryPolicy, header_value, now_secs,
};
use crate::qlik::client_managed::proxy_protocol::{
    CSRF_HEADER, CSRF_TOKEN_PATH, SESSION_COOKIE_PREFIX, conventional_session_cookie,
};

/// Options of a client-managed login.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientManagedOptions {
    /// The longest a single call may take.
    pub timeout: Duration,
    /// The session cookie's name when the proxy's "session cookie header name" is known; by
    /// default the session cookie is the cookie the proxy sets whose name starts with
    /// `X-Qlik-Session` (the convention), else the first one it sets.
    pub session_cookie_name: Option<String>,
}

impl Default for ClientManagedOptions {
    /// 30 s per call; the session cookie found by its conventional name.
    fn default() -> Self {
        ClientManagedOptions {
            timeout: DEFAULT_TIMEOUT,
            session_cookie_name: None,
        }
    }
}

/// What the caller does next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientManagedStep {
    /// Send this request; give the answer to [`ClientManagedLogin::receive`], or a failure to
    /// reach the proxy (timeout included) to [`ClientManagedLogin::unreachable`].
    Send(HttpRequest),
    /// Wait this long, then call [`ClientManagedLogin::waited`].
    Wait(Duration),
    /// Logged in: the session.
    Done(Box<ClientManagedState>),
    /// The login failed for good.
    Failed(ClientError),
}

/// One client-managed login, from the token to a session or a final error. Start with
/// [`ClientManagedLogin::start`].
///
/// The token is sent with the login's one call and never again: each Bearer call opens a new
/// proxy session, and a user may hold 5 parallel sessions by default. A retry (only for what a
/// retry can cure: an unreachable proxy, HTTP 429/502/503/504) sends the same token, as a
/// client-managed token has no single-use `jti`.
#[derive(Debug, Clone)]
pub struct ClientManagedLogin {
    proxy: ProxyUrl,
    token: String,
    options: ClientManagedOptions,
    retry: RetryPolicy,
    failed_attempts: u32,
    phase: Phase,
}

#[derive(Debug, Clone)]
enum Phase {
    Ready,
    Fetching(Url),
    Waiting,
    Finished,
}

impl ClientManagedLogin {
    /// A login to the virtual proxy at `base_url` (e.g. `https://sense.example.com/jwt`) with
    /// `token`, a JWT for that proxy.
    pub fn new(
        base_url: &str,
        token: &str,
        options: ClientManagedOptions,
        retry: RetryPolicy,
    ) -> Result<ClientManagedLogin, ClientError> {
        let proxy = ProxyUrl::parse(base_url)?;
        if token.trim().is_empty() {
            return Err(ClientError::InvalidArgument(
                "the token is empty: a client-managed login needs a JWT signed for the virtual \
                 proxy"
                    .into(),
            ));
        }
        if options.session_cookie_name.as_deref() == Some("") {
            return Err(ClientError::InvalidArgument(
                "session_cookie_name is empty: leave it out, or give the virtual proxy's session \
                 cookie header name"
                    .into(),
            ));
        }
        Ok(ClientManagedLogin {
            proxy,
            token: token.to_owned(),
            options,
            retry,
            failed_attempts: 0,
            phase: Phase::Ready,
        })
    }

    /// The proxy's base URL with its prefix.
    pub fn base_url(&self) -> &str {
        self.proxy.as_str()
    }

    /// The first step: the request to send.
    pub fn start(&mut self) -> ClientManagedStep {
        if !matches!(self.phase, Phase::Ready) {
            return self.out_of_order("a start");
        }
        self.send()
    }

    /// The answer to the request of the last [`ClientManagedStep::Send`].
    pub fn receive(&mut self, response: &HttpResponse) -> ClientManagedStep {
        let url = match mem::replace(&mut self.phase, Phase::Finished) {
            Phase::Fetching(url) => url,
            other => {
                self.phase = other;
                return self.out_of_order("an answer");
            }
        };
        let now = now_secs();
        if !(200..300).contains(&response.status) {
            let error = proxy_refusal(response.status, &response.body, Some(&self.token), now);
            return self.fail(error);
        }
        let mut jar = CookieJar::new();
        jar.store_all(&response.headers, &url, now);
        let set = jar.names(now);
        let cookie_name = match &self.options.session_cookie_name {
            Some(name) => set.iter().find(|n| *n == name).cloned(),
            None => set
                .iter()
                .find(|n| {
                    n.get(..SESSION_COOKIE_PREFIX.len())
                        .is_some_and(|p| p.eq_ignore_ascii_case(SESSION_COOKIE_PREFIX))
                })
                .or_else(|| set.first())
                .cloned(),
        };
        let Some(cookie_name) = cookie_name else {
            let expected = self.options.session_cookie_name.clone().unwrap_or_else(|| {
                conventional_session_cookie(self.proxy.prefix(), self.proxy.is_https())
            });
            return self.fail(ClientError::Protocol(format!(
                "GET /{}{CSRF_TOKEN_PATH} answered {} without setting the session cookie \
                 (expected {expected}; cookies set: {})",
                self.proxy.prefix(),
                response.status,
                if set.is_empty() {
                    "none".to_owned()
                } else {
                    set.join(", ")
                }
            )));
        };
        let Some(csrf) = header_value(&response.headers, CSRF_HEADER).filter(|t| !t.is_empty())
        else {
            return self.fail(ClientError::Protocol(format!(
                "GET /{}{CSRF_TOKEN_PATH} gave no {CSRF_HEADER} header, which the engine \
                 websocket needs since Qlik Sense's November 2024 release",
                self.proxy.prefix()
            )));
        };
        ClientManagedStep::Done(Box::new(ClientManagedState {
            proxy: self.proxy.clone(),
            jar,
            cookie_name,
            csrf_token: csrf.to_owned(),
            timeout: self.options.timeout,
        }))
    }

    /// The request of the last [`ClientManagedStep::Send`] did not get an answer (`message`
    /// says why).
    pub fn unreachable(&mut self, message: &str) -> ClientManagedStep {
        match self.phase {
            Phase::Fetching(_) => self.fail(ClientError::Transport(message.to_owned())),
            _ => self.out_of_order("a transport failure"),
        }
    }

    /// The wait of the last [`ClientManagedStep::Wait`] is over: the next attempt's request.
    pub fn waited(&mut self) -> ClientManagedStep {
        if !matches!(self.phase, Phase::Waiting) {
            return self.out_of_order("the end of a wait");
        }
        self.send()
    }

    fn send(&mut self) -> ClientManagedStep {
        let url = match self.proxy.join(CSRF_TOKEN_PATH) {
            Ok(url) => url,
            Err(error) => return self.finish(error),
        };
        let request = HttpRequest {
            method: "GET".into(),
            url: url.to_string(),
            headers: vec![(
                "Authorization".to_owned(),
                format!("Bearer {}", self.token.trim()),
            )],
            body: Vec::new(),
            timeout: self.options.timeout,
        };
        self.phase = Phase::Fetching(url);
        ClientManagedStep::Send(request)
    }

    /// A failed attempt: wait and retry when the policy says so, else the end.
    fn fail(&mut self, error: ClientError) -> ClientManagedStep {
        self.failed_attempts = self.failed_attempts.saturating_add(1);
        match self.retry.delay_after(self.failed_attempts, &error) {
            Some(delay) => {
                self.phase = Phase::Waiting;
                ClientManagedStep::Wait(delay)
            }
            None => self.finish(error),
        }
    }

    fn finish(&mut self, error: ClientError) -> ClientManagedStep {
        self.phase = Phase::Finished;
        ClientManagedStep::Failed(error)
    }

    fn out_of_order(&self, given: &str) -> ClientManagedStep {
        let expected = match self.phase {
            Phase::Ready => "a start",
            Phase::Fetching(_) => "an answer",
            Phase::Waiting => "the end of a wait",
            Phase::Finished => "nothing (the login is over)",
        };
        ClientManagedStep::Failed(ClientError::InvalidArgument(format!(
            "the client-managed login was given {given} while it expected {expected}"
        )))
    }
}

#[cfg(test)]
#[path = "proxy_login_tests.rs"]
mod tests;
