//! The parts of the core's sans-IO flows as JavaScript takes them (`lib/fetch-flow.js` moves
//! their bytes): a step's kind, request and wait, a failure with the core's stable code, the
//! answers JavaScript reports back, and the conversion of the flows' options. Every session and
//! token driver of this binding converts through here, once.

use std::time::Duration;

use napi::bindgen_prelude::Either;
use napi_derive::napi;
use qlik_jwt::protocol::{ClientError, HttpRequest, HttpResponse, RetryPolicy};

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

/// A result of the core's flows as JavaScript takes it: the value, or the failure to map.
pub(crate) fn either<T>(result: Result<T, ClientError>) -> Either<T, SessionFailure> {
    match result {
        Ok(value) => Either::A(value),
        Err(error) => Either::B(error.into()),
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
            headers: pair_lists(request.headers),
            timeout_ms: milliseconds(request.timeout),
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

impl LoginStepParts {
    /// A step that carries nothing: `sign` or `done`.
    pub(crate) fn of_kind(kind: &str) -> Self {
        LoginStepParts {
            kind: kind.to_owned(),
            request: None,
            wait_ms: None,
            failure: None,
        }
    }

    /// `send` the core's request.
    pub(crate) fn send(request: HttpRequest) -> Self {
        LoginStepParts {
            request: Some(request.into()),
            ..Self::of_kind("send")
        }
    }

    /// `wait` before the next attempt.
    pub(crate) fn wait(delay: Duration) -> Self {
        LoginStepParts {
            wait_ms: Some(milliseconds(delay)),
            ..Self::of_kind("wait")
        }
    }

    /// The login `failed`.
    pub(crate) fn failed(error: ClientError) -> Self {
        LoginStepParts {
            failure: Some(error.into()),
            ..Self::of_kind("failed")
        }
    }
}

/// `duration` in (fractional) milliseconds, as JavaScript's timers take them.
pub(crate) fn milliseconds(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// Headers as JavaScript's `[name, value]` pairs.
pub(crate) fn pair_lists(headers: Vec<(String, String)>) -> Vec<Vec<String>> {
    headers
        .into_iter()
        .map(|(name, value)| vec![name, value])
        .collect()
}

/// JavaScript's `[name, value]` pairs as headers; a pair short of a value is dropped.
pub(crate) fn header_pairs(headers: Vec<Vec<String>>) -> Vec<(String, String)> {
    headers
        .into_iter()
        .filter_map(|pair| {
            let mut pair = pair.into_iter();
            Some((pair.next()?, pair.next()?))
        })
        .collect()
}

/// An HTTP status as JavaScript reports it; out of range reads as 0, which no rule accepts.
pub(crate) fn status_code(status: u32) -> u16 {
    u16::try_from(status).unwrap_or(0)
}

/// The answer JavaScript reports to the core's last request.
pub(crate) fn response(status: u32, headers: Vec<Vec<String>>, body: String) -> HttpResponse {
    HttpResponse {
        status: status_code(status),
        headers: header_pairs(headers),
        body,
    }
}

/// `value` milliseconds of the option `name`, or the message saying what was expected.
pub(crate) fn millis(value: f64, name: &str) -> Result<Duration, String> {
    if value.is_finite() && value >= 0.0 {
        Ok(Duration::from_secs_f64(
            value.min(f64::from(u32::MAX)) / 1000.0,
        ))
    } else {
        Err(format!(
            "{name} must be a non-negative number of milliseconds, got {value}"
        ))
    }
}

/// `retry` with the caller's `retries` and `retryDelayMs`, where given.
pub(crate) fn retry_with(
    mut retry: RetryPolicy,
    retries: Option<u32>,
    retry_delay_ms: Option<f64>,
) -> Result<RetryPolicy, String> {
    if let Some(retries) = retries {
        retry.retries = retries;
    }
    if let Some(delay) = retry_delay_ms {
        retry.first_delay = millis(delay, "retryDelayMs")?;
    }
    Ok(retry)
}

/// The methods by which JavaScript drives a login (`$login`, with a core flow in `flow`, the
/// taken session in `session` and its own `parts` of a step) and takes its session
/// (`$session { state }`): the same for every login flow, so written once.
macro_rules! login_methods {
    ($login:ident, $session:ident) => {
        #[napi]
        impl $login {
            /// The answer to the last request.
            #[napi]
            pub fn receive(
                &mut self,
                status: u32,
                headers: Vec<Vec<String>>,
                body: String,
            ) -> $crate::flow_parts::LoginStepParts {
                let response = $crate::flow_parts::response(status, headers, body);
                let step = self.flow.receive(&response);
                self.parts(step)
            }

            /// The last request got no answer.
            #[napi]
            pub fn unreachable(&mut self, message: String) -> $crate::flow_parts::LoginStepParts {
                let step = self.flow.unreachable(&message);
                self.parts(step)
            }

            /// The wait is over.
            #[napi]
            pub fn waited(&mut self) -> $crate::flow_parts::LoginStepParts {
                let step = self.flow.waited();
                self.parts(step)
            }

            /// The session of a `done` login (once).
            #[napi]
            pub fn session(&mut self) -> Option<$session> {
                self.session.take().map(|state| $session { state })
            }
        }
    };
}
pub(crate) use login_methods;

/// The methods every logged-in session (`$session`, with its core state in `state`) gives
/// JavaScript: the same for every kind of session, so written once.
macro_rules! session_methods {
    ($session:ident) => {
        #[napi]
        impl $session {
            /// The base URL of the calls.
            #[napi(getter)]
            pub fn base_url(&self) -> String {
                self.state.base_url().to_owned()
            }

            /// The CSRF token.
            #[napi(getter)]
            pub fn csrf_token(&self) -> String {
                self.state.csrf_token().to_owned()
            }

            /// The `Cookie` header of the calls.
            #[napi(getter)]
            pub fn cookie_header(&self) -> String {
                self.state.cookie_header()
            }

            /// The engine websocket URL of an app.
            #[napi]
            pub fn websocket_url(&self, app_id: String) -> String {
                self.state.websocket_url(&app_id)
            }

            /// The request for `method path`, with `Content-Type: application/json` when
            /// `json`.
            #[napi]
            pub fn request(
                &self,
                method: String,
                path: String,
                json: bool,
            ) -> napi::bindgen_prelude::Either<
                $crate::flow_parts::RequestParts,
                $crate::flow_parts::SessionFailure,
            > {
                let request = self.state.request(&method, &path, json);
                $crate::flow_parts::either(request.map($crate::flow_parts::RequestParts::from))
            }

            /// Takes in the answer to a call to `url`; `true` when it is to be handed to the
            /// user.
            #[napi]
            pub fn receive(&mut self, url: String, status: u32, headers: Vec<Vec<String>>) -> bool {
                let status = $crate::flow_parts::status_code(status);
                let headers = $crate::flow_parts::header_pairs(headers);
                self.state.receive(&url, status, &headers)
                    == qlik_jwt::protocol::CallOutcome::Accepted
            }
        }
    };
}
pub(crate) use session_methods;
