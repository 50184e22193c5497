//! Qlik setup from Python: `generate_keys`, `single_line_pem`, `identity_provider_config` and
//! `key_matches`, over the core's `setup` module.

use std::path::PathBuf;

use pyo3::prelude::*;
use qlik_jwt::VerifyingKey;
use qlik_jwt::setup::{self, CertificateOptions, IdentityProviderConfig, KeyAlgorithm};

use crate::convert::{flag, optional_text, text, text_or_bytes, type_name, whole_seconds};
use crate::error::{OrRaise, guarded};
use crate::keys::{PyPrivateKey, PyPublicKey, signing_key, verifying_key};

/// Adds this module's functions and classes to `qlik_jwt._native`.
pub fn register(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_function(wrap_pyfunction!(generate_keys, module)?)?;
    module.add_function(wrap_pyfunction!(single_line_pem, module)?)?;
    module.add_function(wrap_pyfunction!(identity_provider_config, module)?)?;
    module.add_function(wrap_pyfunction!(key_matches, module)?)?;
    module.add_class::<PyGeneratedKeys>()?;
    Ok(())
}

/// A generated key pair and its self-signed certificate. The private key never shows in
/// ``repr``.
#[pyclass(frozen, module = "qlik_jwt", name = "GeneratedKeys")]
pub struct PyGeneratedKeys {
    /// The key type, e.g. ``"rsa4096"``.
    #[pyo3(get)]
    key_type: String,
    /// The JWS algorithm the key signs Qlik tokens with (``"RS256"``, ``"ES256"``, ``"ES384"``).
    #[pyo3(get)]
    algorithm: String,
    /// The private key, PKCS#8 PEM. Keep it secret.
    #[pyo3(get)]
    private_key_pem: String,
    /// The self-signed X.509 certificate, PEM: what the identity provider holds.
    #[pyo3(get)]
    certificate_pem: String,
    /// Where ``privatekey.pem`` was written, when a directory was given.
    #[pyo3(get)]
    private_key_path: Option<PathBuf>,
    /// Where ``publickey.cer`` was written, when a directory was given.
    #[pyo3(get)]
    certificate_path: Option<PathBuf>,
}

#[pymethods]
impl PyGeneratedKeys {
    fn __repr__(&self) -> String {
        format!(
            "GeneratedKeys(key_type='{}', algorithm='{}', private_key_pem='<redacted>')",
            self.key_type, self.algorithm
        )
    }
}

/// A key pair (RSA 4096 by default; ``"rsa2048"``, ``"rsa3072"``, ``"p256"``, ``"p384"``) and a
/// self-signed certificate for it. With ``directory``, also writes ``privatekey.pem`` (PKCS#8,
/// mode 0600) and ``publickey.cer`` there, as the tutorial's openssl commands do; existing
/// files are kept unless ``overwrite``. Releases the GIL while generating.
#[pyfunction]
#[pyo3(signature = (key_type = None, *, common_name = None, days = None, directory = None, overwrite = None))]
pub fn generate_keys(
    py: Python<'_>,
    key_type: Option<&Bound<'_, PyAny>>,
    common_name: Option<&Bound<'_, PyAny>>,
    days: Option<&Bound<'_, PyAny>>,
    directory: Option<PathBuf>,
    overwrite: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyGeneratedKeys> {
    let key_type = optional_text(key_type, "key_type")?;
    let defaults = CertificateOptions::default();
    let options = CertificateOptions {
        common_name: optional_text(common_name, "common_name")?.unwrap_or(defaults.common_name),
        days: match days.filter(|d| !d.is_none()) {
            Some(days) => days.extract::<u32>().map_err(|_| {
                pyo3::exceptions::PyTypeError::new_err(format!(
                    "days must be a whole number of days from 0 to 4294967295, not {}",
                    type_name(days)
                ))
            })?,
            None => defaults.days,
        },
    };
    let overwrite = flag(overwrite, "overwrite", false)?;
    py.detach(|| {
        guarded(|| {
            let algorithm = match &key_type {
                Some(name) => name.parse::<KeyAlgorithm>()?,
                None => KeyAlgorithm::default(),
            };
            let keys = setup::generate(algorithm, &options)?;
            let files = directory
                .as_deref()
                .map(|dir| setup::write_key_files(dir, &keys, overwrite))
                .transpose()?;
            Ok(PyGeneratedKeys {
                key_type: algorithm.name().to_owned(),
                algorithm: algorithm.jws_algorithm().as_str().to_owned(),
                private_key_pem: keys.private_key_pem.to_string(),
                certificate_pem: keys.certificate_pem.clone(),
                private_key_path: files.as_ref().map(|f| f.private_key.clone()),
                certificate_path: files.map(|f| f.certificate),
            })
        })
    })
    .or_raise(py)
}

/// The certificate or public key as the one line Qlik's identity-provider form wants
/// (``-----BEGIN CERTIFICATE-----MIIF...-----END CERTIFICATE-----``).
#[pyfunction]
pub fn single_line_pem(py: Python<'_>, pem: &Bound<'_, PyAny>) -> PyResult<String> {
    let bytes = text_or_bytes(pem, "pem")?;
    guarded(|| setup::single_line_pem_of_bytes(&bytes)).or_raise(py)
}

/// The body of ``POST /api/v1/identity-providers`` for a JWT identity provider, as a ``dict``.
/// ``clock_tolerance`` is whole seconds or a ``timedelta``.
#[pyfunction]
#[pyo3(signature = (*, issuer, key_id, certificate, description = None, clock_tolerance = None))]
pub fn identity_provider_config<'py>(
    py: Python<'py>,
    issuer: &Bound<'py, PyAny>,
    key_id: &Bound<'py, PyAny>,
    certificate: &Bound<'py, PyAny>,
    description: Option<&Bound<'py, PyAny>>,
    clock_tolerance: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let clock_tolerance_secs = clock_tolerance
        .filter(|c| !c.is_none())
        .map(|tolerance| whole_seconds(tolerance, "clock_tolerance"))
        .transpose()?;
    let config = IdentityProviderConfig {
        issuer: text(issuer, "issuer")?,
        key_id: text(key_id, "key_id")?,
        certificate_pem: String::from_utf8_lossy(&text_or_bytes(certificate, "certificate")?)
            .into_owned(),
        description: optional_text(description, "description")?,
        clock_tolerance_secs,
    };
    let json = guarded(|| config.to_json()).or_raise(py)?;
    py.import("json")?.call_method1("loads", (json,))
}

/// Whether ``private_key`` is the private half of ``certificate`` (a certificate or public key,
/// also the console's single line). A token signed with a key that does not match is refused
/// by Qlik with 401 and no reason given.
#[pyfunction]
pub fn key_matches(
    py: Python<'_>,
    private_key: &Bound<'_, PyAny>,
    certificate: &Bound<'_, PyAny>,
) -> PyResult<bool> {
    let private_key = signing_key(py, private_key, None, "private_key")?;
    let public = certificate_of(py, certificate, "certificate")?;
    guarded(|| setup::key_matches(&private_key, &public)).or_raise(py)
}

/// A certificate or public key: a parsed key, or PEM/DER text or bytes, also the console's
/// single-line PEM.
pub fn certificate_of(
    py: Python<'_>,
    certificate: &Bound<'_, PyAny>,
    param: &str,
) -> PyResult<VerifyingKey> {
    if certificate.cast::<PyPublicKey>().is_ok() || certificate.cast::<PyPrivateKey>().is_ok() {
        return verifying_key(py, certificate, param);
    }
    let bytes = text_or_bytes(certificate, param)?;
    py.detach(|| guarded(|| setup::certificate_from_text(&bytes)))
        .or_raise(py)
}
