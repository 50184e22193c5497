//! The core's login protocol for the JavaScript session client (`lib/session.js`, on `fetch`):
//! the state machine of a login, the rules of a session's calls, and the protocol's names.
//! JavaScript only sends the requests these give and reports the answers.

use std::time::Duration;

use napi::bindgen_prelude::Either;
use napi_derive::napi;
use qlik_jwt::protocol::{
    CallOutcome, ClientError, DEFAULT_LOGIN_RETRIES, DEFAULT_RETRY_DELAY, DEFAULT_TIMEOUT,
    HttpRequest, HttpResponse, LoginFlow, LoginOptions, LoginStep, RETRIED_STATUSES, RetryPolicy,
    SessionState,
};
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

/// A failed login or call: the core's stable `code` (`ERR_QLIK_REFUSED`, `ERR_UNREACHABLE`,
/// `ERR_INVALID_URL`, `ERR_INVALID_ARGUMENT`, `ERR_PROTOCOL`) and, for a refusal, Qlik's fields.
#[napi(object)]
pub struct SessionFailure {
    /// The core's code of this kind of failure.
    pub code: String,
    /// The whole error as one message.
    pub message: String,
    /// The HTTP status of a refusal.
    pub status: Option<u32>,
    /// Qlik's code of a refusal (empty when the body had none).
    pub qlik_code: Option<String>,
    /// Qlik's title of a refusal.
    pub title: Option<String>,
    /// Qlik's detail of a refusal.
    pub detail: Option<String>,
    /// The refusal's `traceId`.
    pub trace_id: Option<String>,
    /// What the core's checks find wrong with the token of a refused login.
    pub hint: Option<String>,
}

impl From<ClientError> for SessionFailure {
    fn from(error: ClientError) -> Self {
        let mut failure = SessionFailure {
            code: error.code().to_owned(),
            message: error.to_string(),
            status: None,
            qlik_code: None,
            title: None,
            detail: None,
            trace_id: None,
            hint: None,
        };
        if let ClientError::Qlik(refusal) = error {
            failure.status = Some(u32::from(refusal.status));
            failure.qlik_code = Some(refusal.code);
            failure.title = Some(refusal.title);
            failure.detail = refusal.detail;
            failure.trace_id = refusal.trace_id;
            failure.hint = refusal.hint;
        }
        failure
    }
}

/// A request to send as given (`redirect: 'manual'`, aborted after `timeoutMs`).
#[napi(object)]
pub struct RequestParts {
    /// The method.
    pub method: String,
    /// The absolute URL.
    pub url: String,
    /// `[name, value]` pairs, replacing the caller's headers of the same name.
    pub headers: Vec<Vec<String>>,
    /// The longest the exchange may take.
    pub timeout_ms: f64,
}

impl From<HttpRequest> for RequestParts {
    fn from(request: HttpRequest) -> Self {
        RequestParts {
            method: request.method,
            url: request.url,
            headers: request
                .headers
                .into_iter()
                .map(|(name, value)| vec![name, value])
                .collect(),
            timeout_ms: request.timeout.as_secs_f64() * 1000.0,
        }
    }
}

/// What to do next in a login: `kind` is `sign`, `send` (`request`), `wait` (`waitMs`), `done`
/// (take `session()`) or `failed` (`failure`).
#[napi(object)]
pub struct LoginStepParts {
    /// The kind of step.
    pub kind: String,
    /// The request of a `send` step.
    pub request: Option<RequestParts>,
    /// The wait of a `wait` step.
    pub wait_ms: Option<f64>,
    /// The error of a `failed` step.
    pub failure: Option<SessionFailure>,
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

pub(crate) fn millis(value: f64, name: &str) -> Result<Duration, ClientError> {
    if value.is_finite() && value >= 0.0 {
        Ok(Duration::from_secs_f64(
            value.min(f64::from(u32::MAX)) / 1000.0,
        ))
    } else {
        Err(ClientError::InvalidArgument(format!(
            "{name} must be a non-negative number of milliseconds, got {value}"
        )))
    }
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
            options.timeout = millis(timeout, "timeoutMs")?;
        }
        let mut retry = RetryPolicy::none();
        if settings.retrying == Some(true) {
            retry = RetryPolicy::default();
            if let Some(retries) = settings.retries {
                retry.retries = retries;
            }
            if let Some(delay) = settings.retry_delay_ms {
                retry.first_delay = millis(delay, "retryDelayMs")?;
            }
        }
        Ok(NativeLogin {
            flow: LoginFlow::new(&tenant_url, options, retry)?,
            session: None,
        })
    };
    match start() {
        Ok(login) => Either::A(login),
        Err(error) => Either::B(error.into()),
    }
}

pub(crate) fn header_pairs(headers: Vec<Vec<String>>) -> Vec<(String, String)> {
    headers
        .into_iter()
        .filter_map(|pair| {
            let mut pair = pair.into_iter();
            Some((pair.next()?, pair.next()?))
        })
        .collect()
}

#[napi]
impl NativeLogin {
    /// The token of this attempt.
    #[napi]
    pub fn token(&mut self, token: String) -> LoginStepParts {
        let step = self.flow.token(&token);
        self.parts(step)
    }

    /// The answer to the last request.
    #[napi]
    pub fn receive(
        &mut self,
        status: u32,
        headers: Vec<Vec<String>>,
        body: String,
    ) -> LoginStepParts {
        let response = HttpResponse {
            status: u16::try_from(status).unwrap_or(0),
            headers: header_pairs(headers),
            body,
        };
        let step = self.flow.receive(&response);
        self.parts(step)
    }

    /// The last request got no answer.
    #[napi]
    pub fn unreachable(&mut self, message: String) -> LoginStepParts {
        let step = self.flow.unreachable(&message);
        self.parts(step)
    }

    /// The wait is over.
    #[napi]
    pub fn waited(&mut self) -> LoginStepParts {
        let step = self.flow.waited();
        self.parts(step)
    }

    /// The session of a `done` login (once).
    #[napi]
    pub fn session(&mut self) -> Option<NativeSession> {
        self.session.take().map(|state| NativeSession { state })
    }

    fn parts(&mut self, step: LoginStep) -> LoginStepParts {
        let mut parts = LoginStepParts {
            kind: String::new(),
            request: None,
            wait_ms: None,
            failure: None,
        };
        parts.kind = match step {
            LoginStep::Sign => "sign",
            LoginStep::Send(request) => {
                parts.request = Some(request.into());
                "send"
            }
            LoginStep::Wait(delay) => {
                parts.wait_ms = Some(delay.as_secs_f64() * 1000.0);
                "wait"
            }
            LoginStep::Done(state) => {
                self.session = Some(*state);
                "done"
            }
            LoginStep::Failed(error) => {
                parts.failure = Some(error.into());
                "failed"
            }
        }
        .to_owned();
        parts
    }
}

/// A logged-in session's state: its cookies, CSRF token and the rules of its calls.
#[napi]
pub struct NativeSession {
    state: SessionState,
}

#[napi]
impl NativeSession {
    /// The tenant's base URL.
    #[napi(getter)]
    pub fn base_url(&self) -> String {
        self.state.base_url().to_owned()
    }

    /// The CSRF token.
    #[napi(getter)]
    pub fn csrf_token(&self) -> String {
        self.state.csrf_token().to_owned()
    }

    /// The names of the live session cookies.
    #[napi(getter)]
    pub fn cookie_names(&self) -> Vec<String> {
        self.state.cookie_names()
    }

    /// The `Cookie` header for the tenant's root.
    #[napi(getter)]
    pub fn cookie_header(&self) -> String {
        self.state.cookie_header()
    }

    /// The engine websocket URL of an app.
    #[napi]
    pub fn websocket_url(&self, app_id: String) -> String {
        self.state.websocket_url(&app_id)
    }

    /// The request for `method path`, with `Content-Type: application/json` when `json`.
    #[napi]
    pub fn request(
        &self,
        method: String,
        path: String,
        json: bool,
    ) -> Either<RequestParts, SessionFailure> {
        match self.state.request(&method, &path, json) {
            Ok(request) => Either::A(request.into()),
            Err(error) => Either::B(error.into()),
        }
    }

    /// Takes in the answer to a call to `url`; `true` when it is to be handed to the user.
    #[napi]
    pub fn receive(&mut self, url: String, status: u32, headers: Vec<Vec<String>>) -> bool {
        let status = u16::try_from(status).unwrap_or(0);
        self.state.receive(&url, status, &header_pairs(headers)) == CallOutcome::Accepted
    }
}

/// The error of a refused call, from its status and body.
#[napi]
pub fn session_refusal(status: u32, body: String) -> SessionFailure {
    SessionState::refusal(u16::try_from(status).unwrap_or(0), &body).into()
}
