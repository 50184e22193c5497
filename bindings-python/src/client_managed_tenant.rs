//! The local client-managed virtual proxy from Python: `LocalClientManagedTenant`, a context
//! manager over the core's loopback proxy, which runs on its own threads (so `urllib` and
//! websocket clients in the same process reach it without the GIL).

use std::sync::Mutex;

use pyo3::prelude::*;
use qlik_jwt::tenant::client_managed::{ClientManagedTenant, ClientManagedTenantConfig};

use crate::client_managed::proxy_of;
use crate::convert::{boolean, optional_text, text, texts};
use crate::error::{OrRaise, guarded};
use crate::running::running_methods;
use crate::setup::certificate_of;

/// Adds `LocalClientManagedTenant` to `qlik_jwt._native`.
pub fn register(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_class::<PyLocalClientManagedTenant>()
}

/// A local client-managed (Qlik Sense Enterprise on Windows) JWT virtual proxy on 127.0.0.1,
/// served at ``url`` (``http://127.0.0.1:<port>/<prefix>``). Bearer requests get the
/// ``<session cookie header name>-HTTP`` cookie; ``GET /<prefix>/qps/csrftoken`` answers the
/// ``qlik-csrf-token`` header; the engine websocket at ``/<prefix>/app/<appId>`` takes the
/// cookie and ``?qlik-csrf-token=``, never a Bearer header or a foreign ``Origin``. Use it as a
/// context manager, or call ``close()``.
///
/// ``certificate`` is the proxy's certificate or public key (PEM or a ``PublicKey``);
/// ``attributes`` is the attribute map as for ``ClientManagedSigner``. A user may hold
/// ``max_parallel_sessions`` sessions (Qlik's 5); websockets may come from
/// ``allowed_origins`` (the proxy's own origin by default), or without ``Origin`` unless
/// ``allow_missing_origin`` is false. ``port`` 0 picks a free one.
#[pyclass(frozen, module = "qlik_jwt", name = "LocalClientManagedTenant")]
pub struct PyLocalClientManagedTenant {
    tenant: Mutex<Option<ClientManagedTenant>>,
    url: String,
    origin: String,
    cookie_name: String,
}

running_methods!(
    PyLocalClientManagedTenant,
    " Whether the proxy is still running.",
    " Stops the proxy and closes its websockets; calling it again does nothing.",
    {
        #[new]
        #[pyo3(
        signature = (
            certificate, *, prefix, user_id_attribute, user_directory_attribute,
            audience = None, attributes = None, session_cookie_header_name = None,
            max_parallel_sessions = None, allowed_origins = None, allow_missing_origin = None,
            port = 0
        ),
        text_signature = "(certificate, *, prefix, user_id_attribute, user_directory_attribute, \
            audience=None, attributes=None, session_cookie_header_name=None, \
            max_parallel_sessions=None, allowed_origins=None, allow_missing_origin=None, port=0)"
    )]
        #[allow(clippy::too_many_arguments)] // mirrors the keyword arguments of the Python API
        fn new(
            py: Python<'_>,
            certificate: &Bound<'_, PyAny>,
            prefix: &Bound<'_, PyAny>,
            user_id_attribute: &Bound<'_, PyAny>,
            user_directory_attribute: &Bound<'_, PyAny>,
            audience: Option<&Bound<'_, PyAny>>,
            attributes: Option<&Bound<'_, PyAny>>,
            session_cookie_header_name: Option<&Bound<'_, PyAny>>,
            max_parallel_sessions: Option<u32>,
            allowed_origins: Option<&Bound<'_, PyAny>>,
            allow_missing_origin: Option<&Bound<'_, PyAny>>,
            port: i64,
        ) -> PyResult<Self> {
            let proxy = proxy_of(
                user_id_attribute,
                user_directory_attribute,
                audience,
                attributes,
            )?;
            let mut config = ClientManagedTenantConfig::new(
                text(prefix, "prefix")?,
                certificate_of(py, certificate, "certificate")?,
                proxy,
            );
            config.session_cookie_header_name =
                optional_text(session_cookie_header_name, "session_cookie_header_name")?;
            if let Some(max) = max_parallel_sessions {
                config.max_parallel_sessions = max;
            }
            if let Some(origins) = allowed_origins.filter(|o| !o.is_none()) {
                config.allowed_origins = texts(origins, "allowed_origins")?;
            }
            if let Some(allow) = allow_missing_origin.filter(|a| !a.is_none()) {
                config.allow_missing_origin = boolean(allow, "allow_missing_origin")?;
            }
            config.set_port(port).or_raise(py)?;
            let tenant = py
                .detach(|| guarded(|| ClientManagedTenant::start(config)))
                .or_raise(py)?;
            Ok(PyLocalClientManagedTenant {
                url: tenant.url().to_owned(),
                origin: tenant.origin().to_owned(),
                cookie_name: tenant.cookie_name().to_owned(),
                tenant: Mutex::new(Some(tenant)),
            })
        }

        /// The proxy URL with its prefix, e.g. ``"http://127.0.0.1:40123/jwt"``.
        #[getter]
        fn url(&self) -> &str {
            &self.url
        }

        /// The proxy's origin, e.g. ``"http://127.0.0.1:40123"``.
        #[getter]
        fn origin(&self) -> &str {
            &self.origin
        }

        /// The session cookie's name, e.g. ``"X-Qlik-Session-jwt-HTTP"``.
        #[getter]
        fn cookie_name(&self) -> &str {
            &self.cookie_name
        }

        fn __repr__(&self) -> String {
            format!("LocalClientManagedTenant(url='{}')", self.url)
        }
    }
);
