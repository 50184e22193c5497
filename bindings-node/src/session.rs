//! The core's login protocol for the JavaScript session client (`lib/session.js`, on `fetch`):
//! the state machine of a login, the rules of a session's calls, and the protocol's names.
//! JavaScript only sends the requests these give and reports the answers.

use std::time::Duration;

use napi::bindgen_prelude::Either;
use napi_derive::napi;
use qlik_jwt::protocol::{
    ClientError, DEFAULT_LOGIN_RETRIES, DEFAULT_RETRY_DELAY, DEFAULT_TIMEOUT, LoginFlow,
    LoginOptions, LoginStep, RETRIED_STATUSES, RetryPolicy, SessionState,
};
use qlik_jwt::qlik::protocol;

use crate::flow_parts::{
    LoginStepParts, SessionFailure, either, login_methods, millis, retry_with, session_methods,
    status_code,
};

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

/// `duration` in whole milliseconds, as JavaScript's timers take them.
fn whole_millis(duration: Duration) -> u32 {
    u32::try_from(duration.as_millis()).unwrap_or(u32::MAX)
}

/// The protocol's names and the session clients' defaults, from the core.
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
        timeout_ms: whole_millis(DEFAULT_TIMEOUT),
        retried_statuses: RETRIED_STATUSES.map(u32::from).to_vec(),
        login_retries: DEFAULT_LOGIN_RETRIES,
        retry_delay_ms: whole_millis(DEFAULT_RETRY_DELAY),
    }
}

/// The options of a login; absent ones take the core's defaults.
#[napi(object)]
pub struct LoginSettings {
    /// Sent as `qlik-web-integration-id` on every call.
    pub web_integration_id: Option<String>,
    /// The longest one call may take.
    pub timeout_ms: Option<f64>,
    /// Whether failures a retry can cure are retried (`loginWith`), with the core's policy.
    pub retrying: Option<bool>,
    /// Retries of a retrying login, instead of the core's default.
    pub retries: Option<u32>,
    /// The first wait between attempts, doubling.
    pub retry_delay_ms: Option<f64>,
}

/// A login in progress: the core's state machine.
#[napi]
pub struct NativeLogin {
    flow: LoginFlow,
    session: Option<SessionState>,
}

/// Starts a login to `tenantUrl`; the first step is to sign a token.
#[napi]
pub fn start_login(
    tenant_url: String,
    settings: LoginSettings,
) -> Either<NativeLogin, SessionFailure> {
    let start = || -> Result<NativeLogin, ClientError> {
        let mut options = LoginOptions {
            web_integration_id: settings.web_integration_id.filter(|id| !id.is_empty()),
            ..LoginOptions::default()
        };
        if let Some(timeout) = settings.timeout_ms {
            options.timeout = millis(timeout, "timeoutMs").map_err(ClientError::InvalidArgument)?;
        }
        let retry = if settings.retrying == Some(true) {
            retry_with(
                RetryPolicy::default(),
                settings.retries,
                settings.retry_delay_ms,
            )
            .map_err(ClientError::InvalidArgument)?
        } else {
            RetryPolicy::none()
        };
        Ok(NativeLogin {
            flow: LoginFlow::new(&tenant_url, options, retry)?,
            session: None,
        })
    };
    either(start())
}

login_methods!(NativeLogin, NativeSession);

#[napi]
impl NativeLogin {
    /// The token of this attempt.
    #[napi]
    pub fn token(&mut self, token: String) -> LoginStepParts {
        let step = self.flow.token(&token);
        self.parts(step)
    }

    fn parts(&mut self, step: LoginStep) -> LoginStepParts {
        match step {
            LoginStep::Sign => LoginStepParts::of_kind("sign"),
            LoginStep::Send(request) => LoginStepParts::send(request),
            LoginStep::Wait(delay) => LoginStepParts::wait(delay),
            LoginStep::Done(state) => {
                self.session = Some(*state);
                LoginStepParts::of_kind("done")
            }
            LoginStep::Failed(error) => LoginStepParts::failed(error),
        }
    }
}

/// A logged-in session's state: its cookies, CSRF token and the rules of its calls.
#[napi]
pub struct NativeSession {
    state: SessionState,
}

session_methods!(NativeSession);

#[napi]
impl NativeSession {
    /// The names of the live session cookies.
    #[napi(getter)]
    pub fn cookie_names(&self) -> Vec<String> {
        self.state.cookie_names()
    }
}

/// The error of a refused call, from its status and body.
#[napi]
pub fn session_refusal(status: u32, body: String) -> SessionFailure {
    SessionState::refusal(status_code(status), &body).into()
}
