//! The core's login protocol for the Python session client (`qlik_jwt/_session.py`, on
//! `urllib`): the state machine of a login, the rules of a session's calls, and the protocol's
//! names. Python only sends the requests these give and reports the answers.

use std::sync::Mutex;

use pyo3::IntoPyObjectExt as _;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use qlik_jwt::protocol::{
    ClientError, DEFAULT_LOGIN_RETRIES, DEFAULT_RETRY_DELAY, DEFAULT_TIMEOUT, LoginFlow,
    LoginOptions, LoginStep, RETRIED_STATUSES, RetryPolicy, SessionState,
};
use qlik_jwt::qlik::protocol;

use crate::flow_parts::{
    Step, done_step, failed_step, failure, flow_methods, or_failure, retry_with, seconds,
    send_step, session_core_methods, wait_step,
};

/// Adds the protocol's names, the session clients' defaults and this module's classes and
/// functions to `qlik_jwt._native`.
pub fn register(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add("LOGIN_PATH", protocol::LOGIN_PATH)?;
    module.add("CSRF_TOKEN_PATH", protocol::CSRF_TOKEN_PATH)?;
    module.add("USERS_ME_PATH", protocol::USERS_ME_PATH)?;
    module.add("IDENTITY_PROVIDERS_PATH", protocol::IDENTITY_PROVIDERS_PATH)?;
    module.add("CSRF_HEADER", protocol::CSRF_HEADER)?;
    module.add(
        "WEB_INTEGRATION_ID_HEADER",
        protocol::WEB_INTEGRATION_ID_HEADER,
    )?;
    module.add("SESSION_COOKIES", protocol::SESSION_COOKIES.to_vec())?;
    module.add("LOGINS_PER_MINUTE", protocol::LOGINS_PER_MINUTE)?;
    module.add("DEFAULT_TIMEOUT_SECS", DEFAULT_TIMEOUT.as_secs())?;
    module.add("RETRIED_STATUSES", RETRIED_STATUSES.to_vec())?;
    module.add("DEFAULT_LOGIN_RETRIES", DEFAULT_LOGIN_RETRIES)?;
    module.add(
        "DEFAULT_RETRY_DELAY_MS",
        u64::try_from(DEFAULT_RETRY_DELAY.as_millis()).unwrap_or(u64::MAX),
    )?;
    module.add_class::<PyLoginFlow>()?;
    module.add_class::<PySessionCore>()?;
    module.add_function(wrap_pyfunction!(start_login, module)?)?;
    module.add_function(wrap_pyfunction!(session_refusal, module)?)?;
    Ok(())
}

/// A login in progress: the core's state machine. Each method returns the next step as
/// ``(kind, value)``: ``("sign", None)``, ``("send", request)``, ``("wait", seconds)``,
/// ``("done", SessionCore)`` or ``("failed", failure dict)``.
#[pyclass(module = "qlik_jwt._native", name = "LoginFlow")]
pub struct PyLoginFlow {
    flow: LoginFlow,
}

/// Starts a login to ``tenant_url``; its first step is to sign a token. Returns the
/// :class:`LoginFlow`, or a failure dict when the arguments are not usable. Absent options take
/// the core's defaults; only a ``retrying`` login (``login_with``) is retried.
#[pyfunction]
#[pyo3(signature = (tenant_url, *, web_integration_id = None, timeout = None, retrying = false, retries = None, retry_delay = None))]
pub fn start_login<'py>(
    py: Python<'py>,
    tenant_url: &str,
    web_integration_id: Option<String>,
    timeout: Option<f64>,
    retrying: bool,
    retries: Option<u32>,
    retry_delay: Option<f64>,
) -> PyResult<Bound<'py, PyAny>> {
    let start = || -> Result<LoginFlow, ClientError> {
        let mut options = LoginOptions {
            web_integration_id: web_integration_id.filter(|id| !id.is_empty()),
            ..LoginOptions::default()
        };
        if let Some(timeout) = timeout {
            options.timeout = seconds(timeout, "timeout")?;
        }
        let retry = if retrying {
            retry_with(RetryPolicy::default(), retries, retry_delay)?
        } else {
            RetryPolicy::none()
        };
        LoginFlow::new(tenant_url, options, retry)
    };
    or_failure(py, start(), |flow| {
        Bound::new(py, PyLoginFlow { flow })?.into_bound_py_any(py)
    })
}

fn step(py: Python<'_>, step: LoginStep) -> PyResult<Step<'_>> {
    match step {
        LoginStep::Sign => Ok(("sign", py.None().into_bound(py))),
        LoginStep::Send(request) => send_step(py, request),
        LoginStep::Wait(delay) => wait_step(py, delay),
        LoginStep::Done(state) => done_step(
            Bound::new(
                py,
                PySessionCore {
                    state: Mutex::new(*state),
                },
            )?
            .into_any(),
        ),
        LoginStep::Failed(error) => failed_step(py, error),
    }
}

flow_methods!(PyLoginFlow, step, {
    /// The token of this attempt.
    fn token<'py>(&mut self, py: Python<'py>, token: &str) -> PyResult<Step<'py>> {
        step(py, self.flow.token(token))
    }
});

/// A logged-in session's state: its cookies, CSRF token and the rules of its calls.
#[pyclass(frozen, module = "qlik_jwt._native", name = "SessionCore")]
pub struct PySessionCore {
    state: Mutex<SessionState>,
}

session_core_methods!(PySessionCore, SessionState, {
    /// The names of the live session cookies.
    #[getter]
    fn cookie_names(&self) -> Vec<String> {
        self.state().cookie_names()
    }
});

/// The failure dict of a refused call, from its status and body.
#[pyfunction]
pub fn session_refusal<'py>(
    py: Python<'py>,
    status: u16,
    body: &str,
) -> PyResult<Bound<'py, PyDict>> {
    failure(py, SessionState::refusal(status, body))
}
