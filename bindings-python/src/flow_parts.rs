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
