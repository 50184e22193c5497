//! The core's client-managed login protocol for the JavaScript client
//! (`lib/client-managed-session.js`, on `fetch`): the state machine of a login to a JWT virtual
//! proxy, the rules of the session's calls, and the protocol's names. JavaScript only sends the
//! requests these give and reports the answers.

use napi::bindgen_prelude::Either;
use napi_derive::napi;
use qlik_jwt::protocol::{
    ClientError, ClientManagedLogin, ClientManagedOptions, ClientManagedState, ClientManagedStep,
    RetryPolicy,
};
use qlik_jwt::qlik::client_managed::proxy_protocol as names;

use crate::flow_parts::{
    LoginStepParts, SessionFailure, either, login_methods, millis, pair_lists, retry_with,
    session_methods, status_code,
};

/// The names of a client-managed virtual proxy's session protocol.
#[napi(object)]
pub struct ClientManagedProtocol {
    /// `/qps/csrftoken` (under the prefix).
    pub csrf_token_path: String,
    /// `qlik-csrf-token`: the response header and the websocket's query parameter.
    pub csrf_header: String,
    /// `/qrs/` (under the prefix): calls that take an xrfkey.
    pub qrs_path_prefix: String,
    /// `X-Qlik-Xrfkey`.
    pub xrfkey_header: String,
    /// `xrfkey`.
    pub xrfkey_parameter: String,
    /// `X-Qlik-Session`: the conventional session cookie's name starts so.
    pub session_cookie_prefix: String,
    /// `-HTTP`: appended to the cookie's name over plain http.
    pub http_cookie_suffix: String,
    /// The parallel proxy sessions a user may hold by default (5).
    pub max_parallel_sessions: u32,
}

/// The client-managed protocol's names, from the core.
#[napi]
pub fn client_managed_protocol() -> ClientManagedProtocol {
    ClientManagedProtocol {
        csrf_token_path: names::CSRF_TOKEN_PATH.to_owned(),
        csrf_header: names::CSRF_HEADER.to_owned(),
        qrs_path_prefix: names::QRS_PATH_PREFIX.to_owned(),
        xrfkey_header: names::XRFKEY_HEADER.to_owned(),
        xrfkey_parameter: names::XRFKEY_PARAMETER.to_owned(),
        session_cookie_prefix: names::SESSION_COOKIE_PREFIX.to_owned(),
        http_cookie_suffix: names::HTTP_COOKIE_SUFFIX.to_owned(),
        max_parallel_sessions: names::MAX_PARALLEL_SESSIONS,
    }
}

/// The options of a client-managed login; absent ones take the core's defaults.
#[napi(object)]
pub struct ClientManagedSettings {
    /// The longest one call may take.
    pub timeout_ms: Option<f64>,
    /// The proxy's session cookie header name, when not the conventional one.
    pub session_cookie_name: Option<String>,
    /// Retries of what a retry can cure, instead of the core's default.
    pub retries: Option<u32>,
    /// The first wait between attempts, doubling.
    pub retry_delay_ms: Option<f64>,
}

/// A client-managed login in progress: the core's state machine.
#[napi]
pub struct NativeClientManagedLogin {
    flow: ClientManagedLogin,
    session: Option<ClientManagedState>,
}

/// Starts a login to the virtual proxy at `baseUrl` with `token`; then call `start()`.
#[napi]
pub fn start_client_managed_login(
    base_url: String,
    token: String,
    settings: ClientManagedSettings,
) -> Either<NativeClientManagedLogin, SessionFailure> {
    let start = || -> Result<NativeClientManagedLogin, ClientError> {
        let mut options = ClientManagedOptions {
            session_cookie_name: settings.session_cookie_name,
            ..ClientManagedOptions::default()
        };
        if let Some(timeout) = settings.timeout_ms {
            options.timeout = millis(timeout, "timeoutMs").map_err(ClientError::InvalidArgument)?;
        }
        let retry = retry_with(
            RetryPolicy::default(),
            settings.retries,
            settings.retry_delay_ms,
        )
        .map_err(ClientError::InvalidArgument)?;
        Ok(NativeClientManagedLogin {
            flow: ClientManagedLogin::new(&base_url, &token, options, retry)?,
            session: None,
        })
    };
    either(start())
}

login_methods!(NativeClientManagedLogin, NativeClientManagedSession);

#[napi]
impl NativeClientManagedLogin {
    /// The first request.
    #[napi]
    pub fn start(&mut self) -> LoginStepParts {
        let step = self.flow.start();
        self.parts(step)
    }

    fn parts(&mut self, step: ClientManagedStep) -> LoginStepParts {
        match step {
            ClientManagedStep::Send(request) => LoginStepParts::send(request),
            ClientManagedStep::Wait(delay) => LoginStepParts::wait(delay),
            ClientManagedStep::Done(state) => {
                self.session = Some(*state);
                LoginStepParts::of_kind("done")
            }
            ClientManagedStep::Failed(error) => LoginStepParts::failed(error),
        }
    }
}

/// A client-managed proxy session's state: its cookie, CSRF token and the rules of its calls.
#[napi]
pub struct NativeClientManagedSession {
    state: ClientManagedState,
}

session_methods!(NativeClientManagedSession);

#[napi]
impl NativeClientManagedSession {
    /// The proxy's origin.
    #[napi(getter)]
    pub fn origin(&self) -> String {
        self.state.origin().to_owned()
    }

    /// The session cookie's name.
    #[napi(getter)]
    pub fn cookie_name(&self) -> String {
        self.state.cookie_name().to_owned()
    }

    /// The session cookie's value, while it lives.
    #[napi(getter)]
    pub fn cookie_value(&self) -> Option<String> {
        self.state.cookie_value()
    }

    /// The websocket upgrade's headers as `[name, value]` pairs.
    #[napi]
    pub fn websocket_headers(&self) -> Vec<Vec<String>> {
        pair_lists(self.state.websocket_headers())
    }
}

/// The error of a refused call to a client-managed proxy, with the core's hint.
#[napi]
pub fn client_managed_refusal(status: u32, body: String) -> SessionFailure {
    ClientManagedState::refusal(status_code(status), &body).into()
}
