//! The login state machine: `POST /login/jwt-session` with the token, then
//! `GET /api/v1/csrf-token` with the cookies it set, retried with a newly signed token when the
//! [`RetryPolicy`] says a retry can cure the failure.

use std::mem;
use std::time::Duration;

use url::Url;

use super::hint::login_hint;
use super::{
    BaseUrl, CallOutcome, ClientError, CookieJar, HttpRequest, HttpResponse, QlikError,
    RetryPolicy, SessionState, header_value, now_secs,
};
use crate::qlik::protocol::{CSRF_HEADER, CSRF_TOKEN_PATH, LOGIN_PATH, WEB_INTEGRATION_ID_HEADER};

/// The longest a single call of a session client may take, by default.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// Options of a login.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginOptions {
    /// Sent as `qlik-web-integration-id` on every call when set (browsers need one; a server
    /// usually does not).
    pub web_integration_id: Option<String>,
    /// The longest a single call may take.
    pub timeout: Duration,
}

impl Default for LoginOptions {
    /// No web integration id; 30 s per call.
    fn default() -> Self {
        LoginOptions {
            web_integration_id: None,
            timeout: DEFAULT_TIMEOUT,
        }
    }
}

/// What the caller does next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginStep {
    /// Sign a new token (a `jti` is accepted once) and give it to [`LoginFlow::token`].
    Sign,
    /// Send this request; give the answer to [`LoginFlow::receive`], or a failure to reach the
    /// tenant (timeout included) to [`LoginFlow::unreachable`].
    Send(HttpRequest),
    /// Wait this long, then call [`LoginFlow::waited`].
    Wait(Duration),
    /// Logged in.
    Done(Box<SessionState>),
    /// The login failed for good.
    Failed(ClientError),
}

/// One login, from the first token to a session or a final error. The first step is always
/// [`LoginStep::Sign`]: start with [`LoginFlow::token`].
#[derive(Debug, Clone)]
pub struct LoginFlow {
    base: BaseUrl,
    options: LoginOptions,
    retry: RetryPolicy,
    failed_attempts: u32,
    phase: Phase,
}

#[derive(Debug, Clone)]
enum Phase {
    NeedToken,
    LoggingIn {
        token: String,
        url: Url,
    },
    FetchingCsrf {
        session: Box<SessionState>,
        url: Url,
    },
    Waiting,
    Finished,
}

impl LoginFlow {
    /// A login to the tenant at `tenant_url` (e.g. `https://acme.eu.qlikcloud.com`).
    pub fn new(
        tenant_url: &str,
        options: LoginOptions,
        retry: RetryPolicy,
    ) -> Result<LoginFlow, ClientError> {
        Ok(LoginFlow {
            base: BaseUrl::tenant(tenant_url)?,
            options,
            retry,
            failed_attempts: 0,
            phase: Phase::NeedToken,
        })
    }

    /// The tenant's base URL.
    pub fn base_url(&self) -> &str {
        self.base.as_str()
    }

    /// The token of this attempt: the login request to send.
    pub fn token(&mut self, token: &str) -> LoginStep {
        if !matches!(self.phase, Phase::NeedToken) {
            return self.out_of_order("a token");
        }
        if token.trim().is_empty() {
            self.phase = Phase::Finished;
            return LoginStep::Failed(ClientError::InvalidArgument(
                "the token is empty: a login needs a signed Qlik JWT".into(),
            ));
        }
        let url = match self.base.join(LOGIN_PATH) {
            Ok(url) => url,
            Err(error) => return self.finish(error),
        };
        let mut headers = vec![("Authorization".to_owned(), format!("Bearer {token}"))];
        if let Some(id) = &self.options.web_integration_id {
            headers.push((WEB_INTEGRATION_ID_HEADER.to_owned(), id.clone()));
        }
        let request = HttpRequest {
            method: "POST".into(),
            url: url.to_string(),
            headers,
            body: Vec::new(),
            timeout: self.options.timeout,
        };
        self.phase = Phase::LoggingIn {
            token: token.to_owned(),
            url,
        };
        LoginStep::Send(request)
    }

    /// The answer to the request of the last [`LoginStep::Send`].
    pub fn receive(&mut self, response: &HttpResponse) -> LoginStep {
        match mem::replace(&mut self.phase, Phase::Finished) {
            Phase::LoggingIn { token, url } => self.logged_in(&token, &url, response),
            Phase::FetchingCsrf { mut session, url } => {
                if session.receive(url.as_str(), response.status, &response.headers)
                    == CallOutcome::Refused
                {
                    return self.fail(SessionState::refusal(response.status, &response.body));
                }
                match header_value(&response.headers, CSRF_HEADER).filter(|t| !t.is_empty()) {
                    Some(csrf) => {
                        session.csrf_token = csrf.to_owned();
                        LoginStep::Done(session)
                    }
                    None => self.fail(ClientError::Protocol(format!(
                        "GET {CSRF_TOKEN_PATH} gave no {CSRF_HEADER} header"
                    ))),
                }
            }
            other => {
                self.phase = other;
                self.out_of_order("an answer")
            }
        }
    }

    /// The request of the last [`LoginStep::Send`] did not get an answer (`message` says why).
    pub fn unreachable(&mut self, message: &str) -> LoginStep {
        match self.phase {
            Phase::LoggingIn { .. } | Phase::FetchingCsrf { .. } => {
                self.fail(ClientError::Transport(message.to_owned()))
            }
            _ => self.out_of_order("a transport failure"),
        }
    }

    /// The wait of the last [`LoginStep::Wait`] is over: sign the next attempt's token.
    pub fn waited(&mut self) -> LoginStep {
        if !matches!(self.phase, Phase::Waiting) {
            return self.out_of_order("the end of a wait");
        }
        self.phase = Phase::NeedToken;
        LoginStep::Sign
    }

    fn logged_in(&mut self, token: &str, url: &Url, response: &HttpResponse) -> LoginStep {
        if !(200..300).contains(&response.status) {
            let mut error = QlikError::from_response(response.status, &response.body);
            error.hint = login_hint(token, now_secs());
            return self.fail(ClientError::Qlik(Box::new(error)));
        }
        let mut jar = CookieJar::new();
        jar.store_all(&response.headers, url, now_secs());
        if jar.is_empty(now_secs()) {
            return self.fail(ClientError::Protocol(format!(
                "{LOGIN_PATH} answered {} but set no session cookies",
                response.status
            )));
        }
        let session = Box::new(SessionState {
            base: self.base.clone(),
            jar,
            csrf_token: String::new(),
            web_integration_id: self.options.web_integration_id.clone(),
            timeout: self.options.timeout,
        });
        let csrf_call = self
            .base
            .join(CSRF_TOKEN_PATH)
            .and_then(|url| Ok((session.request("GET", CSRF_TOKEN_PATH, false)?, url)));
        match csrf_call {
            Ok((request, url)) => {
                self.phase = Phase::FetchingCsrf { session, url };
                LoginStep::Send(request)
            }
            Err(error) => self.finish(error),
        }
    }

    /// A failed attempt: wait and retry when the policy says so, else the end.
    fn fail(&mut self, error: ClientError) -> LoginStep {
        self.failed_attempts = self.failed_attempts.saturating_add(1);
        match self.retry.delay_after(self.failed_attempts, &error) {
            Some(delay) => {
                self.phase = Phase::Waiting;
                LoginStep::Wait(delay)
            }
            None => self.finish(error),
        }
    }

    fn finish(&mut self, error: ClientError) -> LoginStep {
        self.phase = Phase::Finished;
        LoginStep::Failed(error)
    }

    fn out_of_order(&self, given: &str) -> LoginStep {
        let expected = match self.phase {
            Phase::NeedToken => "a token",
            Phase::LoggingIn { .. } | Phase::FetchingCsrf { .. } => "an answer",
            Phase::Waiting => "the end of a wait",
            Phase::Finished => "nothing (the login is over)",
        };
        LoginStep::Failed(ClientError::InvalidArgument(format!(
            "the login flow was given {given} while it expected {expected}"
        )))
    }
}

#[cfg(test)]
#[path = "login_tests.rs"]
mod tests;
