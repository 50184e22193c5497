//! The parts of the core's sans-IO flows as Python takes them (`qlik_jwt/_urllib_flow.py` moves
//! their bytes): a step as ``(kind, value)``, a request as a tuple, a failure as a dict with the
//! core's stable code, and the conversion of the flows' options. Every session and token driver
//! of this binding converts through here, once.

use std::time::Duration;

use pyo3::IntoPyObjectExt as _;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};
use qlik_jwt::protocol::{ClientError, HttpRequest, RetryPolicy};

/// A failure as a dict: the core's stable ``code`` (``ERR_QLIK_REFUSED``, ``ERR_UNREACHABLE``,
/// ``ERR_INVALID_URL``, ``ERR_INVALID_ARGUMENT``, ``ERR_PROTOCOL``), ``message``, and for a
/// refusal Qlik's fields (``None`` otherwise).
pub(crate) fn failure<'py>(py: Python<'py>, error: ClientError) -> PyResult<Bound<'py, PyDict>> {
    let parts = PyDict::new(py);
    parts.set_item("code", error.code())?;
    parts.set_item("message", error.to_string())?;
    let refusal = match error {
        ClientError::Qlik(refusal) => Some(refusal),
        _ => None,
    };
    let field = |get: fn(&qlik_jwt::protocol::QlikError) -> Option<String>| {
        refusal.as_deref().and_then(get)
    };
    parts.set_item("status", refusal.as_ref().map(|r| r.status))?;
    parts.set_item("qlik_code", field(|r| Some(r.code.clone())))?;
    parts.set_item("title", field(|r| Some(r.title.clone())))?;
    parts.set_item("detail", field(|r| r.detail.clone()))?;
    parts.set_item("trace_id", field(|r| r.trace_id.clone()))?;
    parts.set_item("hint", field(|r| r.hint.clone()))?;
    Ok(parts)
}

/// `value` as Python takes a result of the core's flows: the value, or its failure dict.
pub(crate) fn or_failure<'py, T>(
    py: Python<'py>,
    result: Result<T, ClientError>,
    value: impl FnOnce(T) -> PyResult<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    match result {
        Ok(ok) => value(ok),
        Err(error) => failure(py, error)?.into_bound_py_any(py),
    }
}

/// A request as ``(method, url, headers, body, timeout)``: headers as ``(name, value)`` pairs,
/// the timeout in seconds.
pub(crate) fn request_tuple<'py>(
    py: Python<'py>,
    request: HttpRequest,
) -> PyResult<Bound<'py, PyAny>> {
    (
        request.method,
        request.url,
        request.headers,
        PyBytes::new(py, &request.body),
        request.timeout.as_secs_f64(),
    )
        .into_bound_py_any(py)
}

/// A flow's next step as ``(kind, value)``.
pub(crate) type Step<'py> = (&'static str, Bound<'py, PyAny>);

/// ``("send", request)``.
pub(crate) fn send_step(py: Python<'_>, request: HttpRequest) -> PyResult<Step<'_>> {
    Ok(("send", request_tuple(py, request)?))
}

/// ``("wait", seconds)``.
pub(crate) fn wait_step(py: Python<'_>, delay: Duration) -> PyResult<Step<'_>> {
    Ok(("wait", delay.as_secs_f64().into_bound_py_any(py)?))
}

/// ``("done", value)``.
pub(crate) fn done_step<'py>(value: Bound<'py, PyAny>) -> PyResult<Step<'py>> {
    Ok(("done", value))
}

/// ``("failed", failure dict)``.
pub(crate) fn failed_step(py: Python<'_>, error: ClientError) -> PyResult<Step<'_>> {
    Ok(("failed", failure(py, error)?.into_any()))
}

/// `value` seconds of the option `name`, or the core's error saying what was expected.
pub(crate) fn seconds(value: f64, name: &str) -> Result<Duration, ClientError> {
    if value.is_finite() && value >= 0.0 {
        Ok(Duration::from_secs_f64(value.min(f64::from(u32::MAX))))
    } else {
        Err(ClientError::InvalidArgument(format!(
            "{name} must be a non-negative number of seconds, got {value}"
        )))
    }
}

/// `retry` with the caller's `retries` and `retry_delay` (seconds), where given.
pub(crate) fn retry_with(
    mut retry: RetryPolicy,
    retries: Option<u32>,
    retry_delay: Option<f64>,
) -> Result<RetryPolicy, ClientError> {
    if let Some(retries) = retries {
        retry.retries = retries;
    }
    if let Some(delay) = retry_delay {
        retry.first_delay = seconds(delay, "retry_delay")?;
    }
    Ok(retry)
}

/// The ``#[pymethods]`` of a login flow (`$flow`, with a core flow in `flow`): its own methods
/// (`$own`, e.g. the first step) and the ones every flow has, which give the next step through
/// the module's `$step` function.
macro_rules! flow_methods {
    ($flow:ident, $step:ident, { $($own:tt)* }) => {
        #[pymethods]
        impl $flow {
            $($own)*

            /// The answer to the last request: its status, ``(name, value)`` header pairs (each
            /// ``Set-Cookie`` on its own) and body text.
            fn receive<'py>(
                &mut self,
                py: Python<'py>,
                status: u16,
                headers: Vec<(String, String)>,
                body: String,
            ) -> PyResult<$crate::flow_parts::Step<'py>> {
                let response = qlik_jwt::protocol::HttpResponse {
                    status,
                    headers,
                    body,
                };
                $step(py, self.flow.receive(&response))
            }

            /// The last request got no answer; ``message`` says why.
            fn unreachable<'py>(
                &mut self,
                py: Python<'py>,
                message: &str,
            ) -> PyResult<$crate::flow_parts::Step<'py>> {
                $step(py, self.flow.unreachable(message))
            }

            /// The wait is over.
            fn waited<'py>(&mut self, py: Python<'py>) -> PyResult<$crate::flow_parts::Step<'py>> {
                $step(py, self.flow.waited())
            }
        }
    };
}
pub(crate) use flow_methods;

/// The ``#[pymethods]`` of a logged-in session's core (`$core`, with its `$state` in a mutex
/// `state`): its own methods (`$own`) and the ones every session has.
macro_rules! session_core_methods {
    ($core:ident, $state:ty, { $($own:tt)* }) => {
        impl $core {
            fn state(&self) -> std::sync::MutexGuard<'_, $state> {
                // Each change of the state is one assignment: it is whole after a panic elsewhere.
                self.state
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
            }
        }

        #[pymethods]
        impl $core {
            $($own)*

            /// The base URL of the calls.
            #[getter]
            fn base_url(&self) -> String {
                self.state().base_url().to_owned()
            }

            /// The CSRF token.
            #[getter]
            fn csrf_token(&self) -> String {
                self.state().csrf_token().to_owned()
            }

            /// The ``Cookie`` header of the calls.
            #[getter]
            fn cookie_header(&self) -> String {
                self.state().cookie_header()
            }

            /// The engine websocket URL of an app.
            fn websocket_url(&self, app_id: &str) -> String {
                self.state().websocket_url(app_id)
            }

            /// The request for ``method path`` as ``(method, url, headers, body, timeout)``
            /// (with ``Content-Type: application/json`` when ``json``), or a failure dict.
            fn request<'py>(
                &self,
                py: Python<'py>,
                method: &str,
                path: &str,
                json: bool,
            ) -> PyResult<Bound<'py, PyAny>> {
                let request = self.state().request(method, path, json);
                $crate::flow_parts::or_failure(py, request, |request| {
                    $crate::flow_parts::request_tuple(py, request)
                })
            }

            /// Takes in the answer to a call to ``url``; ``True`` when it is to be handed to the
            /// user.
            fn receive(&self, url: &str, status: u16, headers: Vec<(String, String)>) -> bool {
                self.state().receive(url, status, &headers)
                    == qlik_jwt::protocol::CallOutcome::Accepted
            }
        }
    };
}
pub(crate) use session_core_methods;
