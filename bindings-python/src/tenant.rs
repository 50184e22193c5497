//! The local Qlik tenant from Python: `LocalTenant`, a context manager over the core's
//! loopback server, which runs on its own threads (so `urllib` calls from the same process
//! reach it without the GIL).

use std::sync::Mutex;

use pyo3::prelude::*;
use qlik_jwt::qlik::protocol::LOGINS_PER_MINUTE;
use qlik_jwt::tenant::{OAuthClientRegistration, Tenant, TenantConfig};

use crate::convert::{boolean, optional_text, text, texts, whole_seconds};
use crate::error::{OrRaise, guarded};
use crate::running::running_methods;
use crate::setup::certificate_of;

/// `issuer` or `key_id`, required with a certificate.
fn required_text(value: Option<&Bound<'_, PyAny>>, param: &str) -> PyResult<String> {
    match value.filter(|v| !v.is_none()) {
        Some(value) => text(value, param),
        None => Err(pyo3::exceptions::PyTypeError::new_err(format!(
            "{param} is required with a certificate (the JWT identity provider's)"
        ))),
    }
}

/// `oauth_clients`: mappings with ``client_id`` and ``jwk`` (a dict, or JSON text).
fn oauth_registrations(
    py: Python<'_>,
    clients: Option<&Bound<'_, PyAny>>,
) -> PyResult<Vec<OAuthClientRegistration>> {
    let Some(clients) = clients.filter(|c| !c.is_none()) else {
        return Ok(Vec::new());
    };
    let dumps = py.import("json")?.getattr("dumps")?;
    let mut registrations = Vec::new();
    for client in clients.try_iter()? {
        let client = client?;
        let field = |name: &str| {
            client.get_item(name).map_err(|_| {
                pyo3::exceptions::PyTypeError::new_err(format!(
                    "each of oauth_clients is a mapping with client_id and jwk; {name} is missing"
                ))
            })
        };
        let client_id = text(&field("client_id")?, "client_id")?;
        let jwk = field("jwk")?;
        let jwk = if jwk.is_instance_of::<pyo3::types::PyString>() {
            jwk.extract::<String>()?
        } else {
            dumps.call1((jwk,))?.extract::<String>()?
        };
        registrations.push(OAuthClientRegistration::from_jwk(&client_id, &jwk).or_raise(py)?);
    }
    Ok(registrations)
}

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
/// 0 picks a free one. ``oauth_clients`` (mappings with ``client_id`` and the public ``jwk``)
/// also serves ``POST /oauth/token``, whose access tokens ``GET /api/v1/users/me`` takes as
/// ``Authorization: Bearer`` for ``access_token_lifetime`` (3600 s by default); the identity
/// provider may then be left out.
#[pyclass(frozen, module = "qlik_jwt", name = "LocalTenant")]
pub struct PyLocalTenant {
    tenant: Mutex<Option<Tenant>>,
    url: String,
}

running_methods!(
    PyLocalTenant,
    " Whether the tenant is still running.",
    " Stops the tenant; calling it again does nothing.",
    {
        #[new]
        #[pyo3(
        signature = (
            certificate = None, *, issuer = None, key_id = None, clock_tolerance = None,
            known_users = None, web_integration_id = None, host = None, clock_offset = None,
            logins_per_minute = Some(LOGINS_PER_MINUTE), secure_cookies = None, port = 0,
            oauth_clients = None, access_token_lifetime = None
        ),
        text_signature = "(certificate=None, *, issuer=None, key_id=None, clock_tolerance=None, \
            known_users=None, web_integration_id=None, host=None, clock_offset=None, \
            logins_per_minute=100, secure_cookies=None, port=0, oauth_clients=None, \
            access_token_lifetime=None)"
    )]
        #[allow(clippy::too_many_arguments)] // mirrors the keyword arguments of the Python API
        fn new(
            py: Python<'_>,
            certificate: Option<&Bound<'_, PyAny>>,
            issuer: Option<&Bound<'_, PyAny>>,
            key_id: Option<&Bound<'_, PyAny>>,
            clock_tolerance: Option<&Bound<'_, PyAny>>,
            known_users: Option<&Bound<'_, PyAny>>,
            web_integration_id: Option<&Bound<'_, PyAny>>,
            host: Option<&Bound<'_, PyAny>>,
            clock_offset: Option<&Bound<'_, PyAny>>,
            logins_per_minute: Option<u32>,
            secure_cookies: Option<&Bound<'_, PyAny>>,
            port: i64,
            oauth_clients: Option<&Bound<'_, PyAny>>,
            access_token_lifetime: Option<&Bound<'_, PyAny>>,
        ) -> PyResult<Self> {
            let seconds = |value: Option<&Bound<'_, PyAny>>, param: &str| {
                value
                    .filter(|v| !v.is_none())
                    .map(|v| whole_seconds(v, param))
                    .transpose()
            };
            let clients = oauth_registrations(py, oauth_clients)?;
            let mut config = match certificate.filter(|c| !c.is_none()) {
                Some(certificate) => TenantConfig::new(
                    certificate_of(py, certificate, "certificate")?,
                    required_text(issuer, "issuer")?,
                    required_text(key_id, "key_id")?,
                ),
                None if !clients.is_empty() => TenantConfig::oauth_only(Vec::new()),
                None => {
                    return Err(pyo3::exceptions::PyTypeError::new_err(
                        "give certificate, issuer and key_id (a JWT identity provider), \
                     oauth_clients, or both",
                    ));
                }
            };
            config.oauth_clients = clients;
            if let Some(lifetime) = seconds(access_token_lifetime, "access_token_lifetime")? {
                config.access_token_lifetime_secs = u64::try_from(lifetime).map_err(|_| {
                    pyo3::exceptions::PyValueError::new_err(
                        "access_token_lifetime must be 0 seconds or more",
                    )
                })?;
            }
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

        fn __repr__(&self) -> String {
            format!("LocalTenant(url='{}')", self.url)
        }
    }
);
