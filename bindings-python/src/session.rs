//! What the Python session client (`qlik_jwt/_session.py`, on `urllib`) takes from the core:
//! the protocol's names, the engine websocket URL, and the reading of Qlik's error bodies with
//! the core's hint.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use qlik_jwt::client::{QlikError, login_hint};
use qlik_jwt::qlik::protocol;

use crate::convert::now_whole_seconds;

/// Adds the protocol's names and this module's functions to `qlik_jwt._native`.
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
    module.add("DEFAULT_TIMEOUT_SECS", protocol::DEFAULT_TIMEOUT_SECS)?;
    module.add("RETRIED_STATUSES", protocol::RETRIED_STATUSES.to_vec())?;
    module.add("DEFAULT_LOGIN_RETRIES", protocol::DEFAULT_LOGIN_RETRIES)?;
    module.add("DEFAULT_RETRY_DELAY_MS", protocol::DEFAULT_RETRY_DELAY_MS)?;
    module.add_function(wrap_pyfunction!(tenant_origin, module)?)?;
    module.add_function(wrap_pyfunction!(path_problem, module)?)?;
    module.add_function(wrap_pyfunction!(login_token_problem, module)?)?;
    module.add_function(wrap_pyfunction!(login_retry_wait, module)?)?;
    module.add_function(wrap_pyfunction!(no_session_cookies, module)?)?;
    module.add_function(wrap_pyfunction!(no_csrf_token, module)?)?;
    module.add_function(wrap_pyfunction!(engine_websocket_url, module)?)?;
    module.add_function(wrap_pyfunction!(qlik_error_parts, module)?)?;
    Ok(())
}

/// The tenant's address as the session client uses it (``https://acme.eu.qlikcloud.com``);
/// raises ``ValueError`` with the core's reason when ``tenant_url`` is not one.
#[pyfunction]
pub fn tenant_origin(tenant_url: &str) -> PyResult<String> {
    protocol::tenant_origin(tenant_url).map_err(PyValueError::new_err)
}

/// What is wrong with the path of a REST call (it must start with ``/``), or ``None``.
#[pyfunction]
pub fn path_problem(path: &str) -> Option<String> {
    protocol::check_path(path).err()
}

/// Seconds before retry ``retry`` of a login, from the first wait ``first_wait``.
#[pyfunction]
pub fn login_retry_wait(first_wait: f64, retry: u32) -> f64 {
    protocol::retry_wait(first_wait, retry)
}

/// What is wrong with the token handed to a login, or ``None``.
#[pyfunction]
pub fn login_token_problem(token: &str) -> Option<String> {
    protocol::check_login_token(token).err()
}

/// The core's words for a login that answered ``status`` without session cookies.
#[pyfunction]
pub fn no_session_cookies(status: u16) -> String {
    protocol::no_session_cookies(status)
}

/// The core's words for a CSRF call that answered without the token.
#[pyfunction]
pub fn no_csrf_token() -> String {
    protocol::no_csrf_token()
}

/// The engine websocket URL of app ``app_id``: ``wss://<tenant>/app/<appId>?qlik-csrf-token=…``
/// (``ws://`` for an ``http://`` tenant), plus ``qlik-web-integration-id`` when given.
#[pyfunction]
#[pyo3(signature = (base_url, app_id, csrf_token, web_integration_id = None))]
pub fn engine_websocket_url(
    base_url: &str,
    app_id: &str,
    csrf_token: &str,
    web_integration_id: Option<&str>,
) -> String {
    protocol::engine_websocket_url(base_url, app_id, csrf_token, web_integration_id)
}

/// The fields of a refused call read from its ``status`` and ``body``: ``status``, ``code``,
/// ``title``, ``detail``, ``trace_id``, ``message`` and, given the ``token`` of a refused login,
/// ``hint`` (what the core's checks find wrong with it, or ``None``).
#[pyfunction]
#[pyo3(signature = (status, body, token = None))]
pub fn qlik_error_parts<'py>(
    py: Python<'py>,
    status: u16,
    body: &str,
    token: Option<&str>,
) -> PyResult<Bound<'py, PyDict>> {
    let mut error = QlikError::from_response(status, body);
    if let Some(token) = token {
        error.hint = login_hint(token, now_whole_seconds(None)?);
    }
    let parts = PyDict::new(py);
    parts.set_item("status", error.status)?;
    parts.set_item("code", &error.code)?;
    parts.set_item("title", &error.title)?;
    parts.set_item("detail", &error.detail)?;
    parts.set_item("trace_id", &error.trace_id)?;
    parts.set_item("hint", &error.hint)?;
    parts.set_item("message", error.to_string())?;
    Ok(parts)
}
