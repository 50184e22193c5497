//! Client-managed setup from Python: `virtual_proxy_config` and `import_pfx`, over the core's
//! `setup` module.

use pyo3::prelude::*;
use qlik_jwt::setup::{self, VirtualProxyConfig};

use crate::client_managed::proxy_of;
use crate::convert::{optional_text, text, text_or_bytes};
use crate::error::{OrRaise, guarded};

/// Adds this module's functions and classes to `qlik_jwt._native`.
pub fn register(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_function(wrap_pyfunction!(virtual_proxy_config, module)?)?;
    module.add_function(wrap_pyfunction!(import_pfx, module)?)?;
    module.add_class::<PyPfxKey>()?;
    Ok(())
}

/// A list of strings from an iterable of ``str`` (``None``: empty).
fn texts(obj: Option<&Bound<'_, PyAny>>, param: &str) -> PyResult<Vec<String>> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(Vec::new());
    };
    if obj.is_instance_of::<pyo3::types::PyString>() {
        return Err(pyo3::exceptions::PyTypeError::new_err(format!(
            "{param} must be a list of str, not one str"
        )));
    }
    obj.try_iter()?
        .map(|item| text(&item?, param))
        .collect::<PyResult<Vec<String>>>()
}

/// The body of ``POST /qrs/virtualproxyconfig`` for a client-managed JWT virtual proxy, as a
/// ``dict``. ``attributes`` is the attribute map, as for :class:`ClientManagedSigner`.
#[pyfunction]
#[pyo3(signature = (
    *,
    prefix,
    certificate,
    user_id_attribute,
    user_directory_attribute,
    audience = None,
    attributes = None,
    description = None,
    session_cookie_header_name = None,
    load_balancing_node_ids = None,
    websocket_origin_allow_list = None,
    session_inactivity_timeout_minutes = None,
))]
#[allow(clippy::too_many_arguments)]
pub fn virtual_proxy_config<'py>(
    py: Python<'py>,
    prefix: &Bound<'py, PyAny>,
    certificate: &Bound<'py, PyAny>,
    user_id_attribute: &Bound<'py, PyAny>,
    user_directory_attribute: &Bound<'py, PyAny>,
    audience: Option<&Bound<'py, PyAny>>,
    attributes: Option<&Bound<'py, PyAny>>,
    description: Option<&Bound<'py, PyAny>>,
    session_cookie_header_name: Option<&Bound<'py, PyAny>>,
    load_balancing_node_ids: Option<&Bound<'py, PyAny>>,
    websocket_origin_allow_list: Option<&Bound<'py, PyAny>>,
    session_inactivity_timeout_minutes: Option<u32>,
) -> PyResult<Bound<'py, PyAny>> {
    let config = VirtualProxyConfig {
        prefix: text(prefix, "prefix")?,
        description: optional_text(description, "description")?,
        session_cookie_header_name: optional_text(
            session_cookie_header_name,
            "session_cookie_header_name",
        )?,
        certificate_pem: String::from_utf8_lossy(&text_or_bytes(certificate, "certificate")?)
            .into_owned(),
        proxy: proxy_of(
            user_id_attribute,
            user_directory_attribute,
            audience,
            attributes,
        )?,
        load_balancing_node_ids: texts(load_balancing_node_ids, "load_balancing_node_ids")?,
        websocket_origin_allow_list: texts(
            websocket_origin_allow_list,
            "websocket_origin_allow_list",
        )?,
        session_inactivity_timeout_minutes,
    };
    let json = guarded(|| config.to_json()).or_raise(py)?;
    py.import("json")?.call_method1("loads", (json,))
}

/// What a PKCS#12/PFX file holds for signing. The private key never shows in ``repr``.
#[pyclass(frozen, module = "qlik_jwt", name = "PfxKey")]
pub struct PyPfxKey {
    private_key_pem: String,
    certificate_pem: Option<String>,
    chain_pem: Vec<String>,
}

#[pymethods]
impl PyPfxKey {
    /// The private key, unencrypted PKCS#8 PEM (give it to :class:`ClientManagedSigner`). Keep
    /// it secret.
    #[getter]
    fn private_key_pem(&self) -> &str {
        &self.private_key_pem
    }

    /// The key's certificate, PEM, when the file has one.
    #[getter]
    fn certificate_pem(&self) -> Option<&str> {
        self.certificate_pem.as_deref()
    }

    /// The file's other certificates (the issuing CA), PEM.
    #[getter]
    fn chain_pem(&self) -> Vec<String> {
        self.chain_pem.clone()
    }

    fn __repr__(&self) -> String {
        format!(
            "PfxKey(private_key_pem='<redacted>', has_certificate={}, chain={})",
            if self.certificate_pem.is_some() {
                "True"
            } else {
                "False"
            },
            self.chain_pem.len()
        )
    }
}

/// The private key and certificates of a PKCS#12/PFX file (Qlik's "Windows format" certificate
/// export: legacy 3DES/RC2 or AES-256), decrypted with ``password`` (an export without password
/// has the empty one). Raises :class:`InvalidKeyError` on a wrong password or bytes that are
/// not PKCS#12.
#[pyfunction]
#[pyo3(signature = (data, password = ""))]
pub fn import_pfx(py: Python<'_>, data: &[u8], password: &str) -> PyResult<PyPfxKey> {
    let data = data.to_vec();
    let password = password.to_owned();
    let imported = py
        .detach(|| guarded(|| setup::import_pfx(&data, &password)))
        .or_raise(py)?;
    Ok(PyPfxKey {
        private_key_pem: imported.private_key_pem.to_string(),
        certificate_pem: imported.certificate_pem,
        chain_pem: imported.chain_pem,
    })
}
