//! The core's client-managed login protocol for the Python client
//! (`qlik_jwt/_client_managed_session.py`, on `urllib`): the state machine of a login to a JWT
//! virtual proxy, the rules of the session's calls, and the protocol's names. Python only sends
//! the requests these give and reports the answers.

use std::sync::Mutex;

use pyo3::IntoPyObjectExt as _;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use qlik_jwt::protocol::{
    ClientError, ClientManagedLogin, ClientManagedOptions, ClientManagedState, ClientManagedStep,
    RetryPolicy,
};
use qlik_jwt::qlik::client_managed::proxy_protocol as names;

use crate::flow_parts::{
    Step, done_step, failed_step, failure, flow_methods, or_failure, retry_with, seconds,
    send_step, session_core_methods, wait_step,
};

/// Adds the client-managed protocol's names and this module's classes and functions to
/// `qlik_jwt._native`.
pub fn register(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add("CM_CSRF_TOKEN_PATH", names::CSRF_TOKEN_PATH)?;
    module.add("CM_CSRF_HEADER", names::CSRF_HEADER)?;
    module.add("CM_QRS_PATH_PREFIX", names::QRS_PATH_PREFIX)?;
    module.add("CM_XRFKEY_HEADER", names::XRFKEY_HEADER)?;
    module.add("CM_XRFKEY_PARAMETER", names::XRFKEY_PARAMETER)?;
    module.add("CM_SESSION_COOKIE_PREFIX", names::SESSION_COOKIE_PREFIX)?;
    module.add("CM_HTTP_COOKIE_SUFFIX", names::HTTP_COOKIE_SUFFIX)?;
    module.add("CM_MAX_PARALLEL_SESSIONS", names::MAX_PARALLEL_SESSIONS)?;
    module.add_class::<PyClientManagedFlow>()?;
    module.add_class::<PyClientManagedCore>()?;
    module.add_function(wrap_pyfunction!(start_client_managed_login, module)?)?;
    module.add_function(wrap_pyfunction!(client_managed_refusal, module)?)?;
    Ok(())
}

/// A client-managed login in progress: the core's state machine. Each method returns the next
/// step as ``(kind, value)``: ``("send", request)``, ``("wait", seconds)``,
/// ``("done", ClientManagedCore)`` or ``("failed", failure dict)``.
#[pyclass(module = "qlik_jwt._native", name = "ClientManagedFlow")]
pub struct PyClientManagedFlow {
    flow: ClientManagedLogin,
}

/// Starts a login to the virtual proxy at ``base_url`` with ``token``; call ``start()`` next.
/// Returns the :class:`ClientManagedFlow`, or a failure dict when the arguments are not usable.
/// Absent options take the core's defaults.
#[pyfunction]
#[pyo3(signature = (base_url, token, *, timeout = None, session_cookie_name = None, retries = None, retry_delay = None))]
pub fn start_client_managed_login<'py>(
    py: Python<'py>,
    base_url: &str,
    token: &str,
    timeout: Option<f64>,
    session_cookie_name: Option<String>,
    retries: Option<u32>,
    retry_delay: Option<f64>,
) -> PyResult<Bound<'py, PyAny>> {
    let start = || -> Result<ClientManagedLogin, ClientError> {
        let mut options = ClientManagedOptions {
            session_cookie_name,
            ..ClientManagedOptions::default()
        };
        if let Some(timeout) = timeout {
            options.timeout = seconds(timeout, "timeout")?;
        }
        let retry = retry_with(RetryPolicy::default(), retries, retry_delay)?;
        ClientManagedLogin::new(base_url, token, options, retry)
    };
    or_failure(py, start(), |flow| {
        Bound::new(py, PyClientManagedFlow { flow })?.into_bound_py_any(py)
    })
}

fn step(py: Python<'_>, step: ClientManagedStep) -> PyResult<Step<'_>> {
    match step {
        ClientManagedStep::Send(request) => send_step(py, request),
        ClientManagedStep::Wait(delay) => wait_step(py, delay),
        ClientManagedStep::Done(state) => done_step(
            Bound::new(
                py,
                PyClientManagedCore {
                    state: Mutex::new(*state),
                },
            )?
            .into_any(),
        ),
        ClientManagedStep::Failed(error) => failed_step(py, error),
    }
}

flow_methods!(PyClientManagedFlow, step, {
    /// The first request.
    fn start<'py>(&mut self, py: Python<'py>) -> PyResult<Step<'py>> {
        step(py, self.flow.start())
    }
});

/// A client-managed proxy session's state: its cookie, CSRF token and the rules of its calls.
#[pyclass(frozen, module = "qlik_jwt._native", name = "ClientManagedCore")]
pub struct PyClientManagedCore {
    state: Mutex<ClientManagedState>,
}

session_core_methods!(PyClientManagedCore, ClientManagedState, {
    /// The proxy's origin.
    #[getter]
    fn origin(&self) -> String {
        self.state().origin().to_owned()
    }

    /// The session cookie's name.
    #[getter]
    fn cookie_name(&self) -> String {
        self.state().cookie_name().to_owned()
    }

    /// The session cookie's value, while it lives.
    #[getter]
    fn cookie_value(&self) -> Option<String> {
        self.state().cookie_value()
    }

    /// The websocket upgrade's headers as ``(name, value)`` pairs.
    fn websocket_headers(&self) -> Vec<(String, String)> {
        self.state().websocket_headers()
    }
});

/// The failure dict of a refused call to a client-managed proxy, with the core's hint.
#[pyfunction]
pub fn client_managed_refusal<'py>(
    py: Python<'py>,
    status: u16,
    body: &str,
) -> PyResult<Bound<'py, PyDict>> {
    failure(py, ClientManagedState::refusal(status, body))
}
