//! The local Qlik tenant from Python: `LocalTenant`, a context manager over the core's
//! loopback server, which runs on its own threads (so `urllib` calls from the same process
//! reach it without the GIL).

use std::sync::Mutex;

use pyo3::prelude::*;
use qlik_jwt::qlik::protocol::LOGINS_PER_MINUTE;
use qlik_jwt::tenant::{Tenant, TenantConfig};

use crate::convert::{boolean, optional_text, text, texts, whole_seconds};
use crate::error::{OrRaise, guarded};
use crate::setup::certificate_of;

/// Adds `LocalTenant` to `qlik_jwt._native`.
pub fn register(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_class::<PyLocalTenant>()
}

/// A local Qlik tenant on 127.0.0.1, configured like a JWT identity provider: it answers
/// ``POST /login/jwt-session``, ``GET /api/v1/csrf-token`` and ``GET|PATCH /api/v1/users/me``
/// the way Qlik Cloud does. Use it as a context manager, or call ``close()``.
///
/// ``certificate`` is the provider's certificate or public key (PEM, the console's single
/// line, or a ``PublicKey``). ``clock_tolerance`` and ``clock_offset`` (added to the tenant's
/// clock; negative for a lagging tenant) are whole seconds or ``timedelta``. Only
/// ``known_users`` may log in when given; ``web_integration_id`` and ``host`` must then be
/// sent. ``logins_per_minute`` is Qlik's 100 by default; ``None`` lifts the limit. ``port``
/// 0 picks a free one.
#[pyclass(frozen, module = "qlik_jwt", name = "LocalTenant")]
pub struct PyLocalTenant {
    tenant: Mutex<Option<Tenant>>,
    url: String,
}

#[pymethods]
impl PyLocalTenant {
    #[new]
    #[pyo3(
        signature = (
            certificate, *, issuer, key_id, clock_tolerance = None, known_users = None,
            web_integration_id = None, host = None, clock_offset = None,
            logins_per_minute = Some(LOGINS_PER_MINUTE), secure_cookies = None, port = 0
        ),
        text_signature = "(certificate, *, issuer, key_id, clock_tolerance=None, \
            known_users=None, web_integration_id=None, host=None, clock_offset=None, \
            logins_per_minute=100, secure_cookies=None, port=0)"
    )]
    #[allow(clippy::too_many_arguments)] // mirrors the keyword arguments of the Python API
    fn new(
        py: Python<'_>,
        certificate: &Bound<'_, PyAny>,
        issuer: &Bound<'_, PyAny>,
        key_id: &Bound<'_, PyAny>,
        clock_tolerance: Option<&Bound<'_, PyAny>>,
        known_users: Option<&Bound<'_, PyAny>>,
        web_integration_id: Option<&Bound<'_, PyAny>>,
        host: Option<&Bound<'_, PyAny>>,
        clock_offset: Option<&Bound<'_, PyAny>>,
        logins_per_minute: Option<u32>,
        secure_cookies: Option<&Bound<'_, PyAny>>,
        port: i64,
    ) -> PyResult<Self> {
        let seconds = |value: Option<&Bound<'_, PyAny>>, param: &str| {
            value
                .filter(|v| !v.is_none())
                .map(|v| whole_seconds(v, param))
                .transpose()
        };
        let mut config = TenantConfig::new(
            certificate_of(py, certificate, "certificate")?,
            text(issuer, "issuer")?,
            text(key_id, "key_id")?,
        );
        config.clock_tolerance_secs = seconds(clock_tolerance, "clock_tolerance")?;
        config.known_users = known_users
            .filter(|k| !k.is_none())
            .map(|k| texts(k, "known_users"))
            .transpose()?;
        config.web_integration_id = optional_text(web_integration_id, "web_integration_id")?;
        config.host = optional_text(host, "host")?;
        if let Some(offset) = seconds(clock_offset, "clock_offset")? {
            config.clock_offset_secs = offset;
        }
        config.logins_per_minute = logins_per_minute;
        if let Some(secure) = secure_cookies.filter(|s| !s.is_none()) {
            config.secure_cookies = boolean(secure, "secure_cookies")?;
        }
        config.set_port(port).or_raise(py)?;
        let tenant = py
            .detach(|| guarded(|| Tenant::start(config)))
            .or_raise(py)?;
        Ok(PyLocalTenant {
            url: tenant.url().to_owned(),
            tenant: Mutex::new(Some(tenant)),
        })
    }

    /// The base URL, e.g. ``"http://127.0.0.1:40123"``.
    #[getter]
    fn url(&self) -> &str {
        &self.url
    }

    /// Whether the tenant is still running.
    #[getter]
    fn running(&self) -> bool {
        self.tenant
            .lock()
            .map(|tenant| tenant.is_some())
            .unwrap_or(false)
    }

    /// Stops the tenant; calling it again does nothing.
    fn close(&self, py: Python<'_>) {
        let tenant = match self.tenant.lock() {
            Ok(mut tenant) => tenant.take(),
            Err(poisoned) => poisoned.into_inner().take(),
        };
        if let Some(tenant) = tenant {
            py.detach(|| tenant.shutdown());
        }
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    #[pyo3(signature = (*_exc_info))]
    fn __exit__(&self, py: Python<'_>, _exc_info: &Bound<'_, pyo3::types::PyTuple>) -> bool {
        self.close(py);
        false
    }

    fn __repr__(&self) -> String {
        format!("LocalTenant(url='{}')", self.url)
    }
}
