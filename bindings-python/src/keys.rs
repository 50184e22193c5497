//! Keys parsed once (`PrivateKey`, `PublicKey`), and every Python form of a key argument turned
//! into the core's [`KeyArg`].

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyDict, PyString, PyType};
use qlik_jwt::compat::KeyArg;
use qlik_jwt::{SigningKey, VerifyingKey};

use crate::convert::{text_or_bytes, type_name};
use crate::error::{OrRaise, guarded};

/// A private key (or HMAC secret) parsed once, to sign with. Safe to share between threads.
///
/// `PrivateKey(data, *, passphrase=None)` reads PEM text or DER bytes in PKCS#8, PKCS#1, SEC1 or
/// encrypted PKCS#8 (with `passphrase`). Use `PrivateKey.from_jwk(jwk)` for a JWK. The repr
/// shows the kind of key only, never key material.
#[pyclass(frozen, module = "qlik_jwt", name = "PrivateKey")]
pub struct PyPrivateKey {
    pub(crate) key: SigningKey,
}

#[pymethods]
impl PyPrivateKey {
    #[new]
    #[pyo3(signature = (data, *, passphrase = None))]
    fn new(
        py: Python<'_>,
        data: &Bound<'_, PyAny>,
        passphrase: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let bytes = text_or_bytes(data, "data")?;
        let passphrase = passphrase
            .map(|p| text_or_bytes(p, "passphrase"))
            .transpose()?;
        let key = py
            .detach(|| guarded(|| SigningKey::from_private(&bytes, passphrase.as_deref())))
            .or_raise(py)?;
        Ok(PyPrivateKey { key })
    }

    /// Parses a private JWK given as a `dict` or as JSON text.
    #[classmethod]
    fn from_jwk(_cls: &Bound<'_, PyType>, jwk: &Bound<'_, PyAny>) -> PyResult<Self> {
        let py = jwk.py();
        let json = jwk_json(jwk, "jwk")?;
        let key = py
            .detach(|| guarded(|| SigningKey::from_jwk(&json)))
            .or_raise(py)?;
        Ok(PyPrivateKey { key })
    }

    /// A `HS*` secret as a key object.
    #[classmethod]
    fn from_secret(_cls: &Bound<'_, PyType>, secret: &Bound<'_, PyAny>) -> PyResult<Self> {
        Ok(PyPrivateKey {
            key: SigningKey::from_secret(&text_or_bytes(secret, "secret")?),
        })
    }

    /// The public half (for a secret: the same secret), to verify tokens this key signed.
    fn public_key(&self) -> PyPublicKey {
        PyPublicKey {
            key: self.key.verifying_key(),
        }
    }

    /// What kind of key this is, as the core describes it in messages, e.g. `"a 2048-bit RSA
    /// key"` or `"an EC key on P-256"`.
    #[getter]
    fn kind(&self) -> String {
        self.key.kind().describe()
    }

    fn __repr__(&self) -> String {
        format!("<PrivateKey {}>", self.key.kind().describe())
    }
}

/// A key to verify with, parsed once. Safe to share between threads.
///
/// `PublicKey(data, *, passphrase=None)` reads PEM text or DER bytes of an SPKI or PKCS#1
/// public key, an X.509 certificate, or a private key (its public half is used). Use
/// `PublicKey.from_jwk(jwk)` for a JWK. The repr shows the kind of key only.
#[pyclass(frozen, module = "qlik_jwt", name = "PublicKey")]
pub struct PyPublicKey {
    pub(crate) key: VerifyingKey,
}

#[pymethods]
impl PyPublicKey {
    #[new]
    #[pyo3(signature = (data, *, passphrase = None))]
    fn new(
        py: Python<'_>,
        data: &Bound<'_, PyAny>,
        passphrase: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let bytes = text_or_bytes(data, "data")?;
        let passphrase = passphrase
            .map(|p| text_or_bytes(p, "passphrase"))
            .transpose()?;
        let key = py
            .detach(|| guarded(|| VerifyingKey::from_public(&bytes, passphrase.as_deref())))
            .or_raise(py)?;
        Ok(PyPublicKey { key })
    }

    /// Parses a public (or private) JWK given as a `dict` or as JSON text.
    #[classmethod]
    fn from_jwk(_cls: &Bound<'_, PyType>, jwk: &Bound<'_, PyAny>) -> PyResult<Self> {
        let py = jwk.py();
        let json = jwk_json(jwk, "jwk")?;
        let key = py
            .detach(|| guarded(|| VerifyingKey::from_jwk(&json)))
            .or_raise(py)?;
        Ok(PyPublicKey { key })
    }

    /// A `HS*` secret as a key object.
    #[classmethod]
    fn from_secret(_cls: &Bound<'_, PyType>, secret: &Bound<'_, PyAny>) -> PyResult<Self> {
        Ok(PyPublicKey {
            key: VerifyingKey::from_secret(&text_or_bytes(secret, "secret")?),
        })
    }

    /// What kind of key this is, as the core describes it in messages, e.g. `"a 2048-bit RSA
    /// key"` or `"an EC key on P-256"`.
    #[getter]
    fn kind(&self) -> String {
        self.key.kind().describe()
    }

    fn __repr__(&self) -> String {
        format!("<PublicKey {}>", self.key.kind().describe())
    }
}

/// A JWK `dict` (serialized with `json.dumps`) or JSON text.
pub(crate) fn jwk_json(jwk: &Bound<'_, PyAny>, param: &str) -> PyResult<String> {
    if let Ok(text) = jwk.cast::<PyString>() {
        return Ok(text.to_str()?.to_owned());
    }
    if jwk.is_instance_of::<PyDict>() {
        return jwk
            .py()
            .import("json")?
            .call_method1("dumps", (jwk,))?
            .extract();
    }
    Err(PyTypeError::new_err(format!(
        "{param} must be a dict or JSON text, not {}",
        type_name(jwk)
    )))
}

/// The key argument of `sign` and `verify`: `str` or `bytes` (PEM, DER or a secret; with
/// `passphrase` for an encrypted key), a `PrivateKey`/`PublicKey`, or a JWK `dict`. `None` and
/// an empty `str` are a missing key, as `jsonwebtoken` treats falsy keys.
pub fn key_arg(
    key: &Bound<'_, PyAny>,
    passphrase: Option<&Bound<'_, PyAny>>,
    param: &str,
) -> PyResult<KeyArg> {
    if key.is_none() {
        return Ok(KeyArg::Missing);
    }
    if let Ok(private) = key.cast::<PyPrivateKey>() {
        return Ok(KeyArg::Signing(private.get().key.clone()));
    }
    if let Ok(public) = key.cast::<PyPublicKey>() {
        return Ok(KeyArg::Verifying(public.get().key.clone()));
    }
    if key.is_instance_of::<PyDict>() {
        return Ok(KeyArg::Jwk(jwk_json(key, param)?));
    }
    let is_text = key.is_instance_of::<PyString>();
    if !(is_text || key.is_instance_of::<PyBytes>() || key.is_instance_of::<PyByteArray>()) {
        return Err(PyTypeError::new_err(format!(
            "{param} must be str, bytes, PrivateKey, PublicKey or a JWK dict, not {}",
            type_name(key)
        )));
    }
    let bytes = text_or_bytes(key, param)?;
    if is_text && bytes.is_empty() {
        // `''` is falsy in JavaScript; an empty Buffer is not (it is an empty secret).
        return Ok(KeyArg::Missing);
    }
    if let Some(passphrase) = passphrase {
        let passphrase = text_or_bytes(passphrase, "passphrase")?;
        return Ok(KeyArg::WithPassphrase {
            key: bytes,
            passphrase,
        });
    }
    Ok(if is_text {
        // Valid UTF-8: it came from a Python str.
        KeyArg::Text(String::from_utf8(bytes).unwrap_or_default())
    } else {
        KeyArg::Bytes(bytes)
    })
}

/// A private key for the Qlik signer: `PrivateKey`, JWK `dict`, or PEM/DER as `str`/`bytes`
/// (parsed through the core's key cache).
pub fn signing_key(
    py: Python<'_>,
    key: &Bound<'_, PyAny>,
    passphrase: Option<&Bound<'_, PyAny>>,
    param: &str,
) -> PyResult<SigningKey> {
    if let Ok(private) = key.cast::<PyPrivateKey>() {
        return Ok(private.get().key.clone());
    }
    if key.is_instance_of::<PyDict>() {
        let json = jwk_json(key, param)?;
        return py
            .detach(|| guarded(|| SigningKey::from_jwk(&json)))
            .or_raise(py);
    }
    let bytes = text_or_bytes(key, param).map_err(|_| {
        PyTypeError::new_err(format!(
            "{param} must be str, bytes, PrivateKey or a JWK dict, not {}",
            type_name(key)
        ))
    })?;
    let passphrase = passphrase
        .map(|p| text_or_bytes(p, "passphrase"))
        .transpose()?;
    py.detach(|| guarded(|| qlik_jwt::qlik::signer_key(&bytes, passphrase.as_deref())))
        .or_raise(py)
}

/// A key to check signatures with for `explain`: `PublicKey`, `PrivateKey` (its public half),
/// JWK `dict`, or PEM/DER of a certificate or public key as `str`/`bytes`.
pub fn verifying_key(
    py: Python<'_>,
    key: &Bound<'_, PyAny>,
    param: &str,
) -> PyResult<VerifyingKey> {
    if let Ok(public) = key.cast::<PyPublicKey>() {
        return Ok(public.get().key.clone());
    }
    if let Ok(private) = key.cast::<PyPrivateKey>() {
        return Ok(private.get().key.verifying_key());
    }
    if key.is_instance_of::<PyDict>() {
        let json = jwk_json(key, param)?;
        return py
            .detach(|| guarded(|| VerifyingKey::from_jwk(&json)))
            .or_raise(py);
    }
    let bytes = text_or_bytes(key, param).map_err(|_| {
        PyTypeError::new_err(format!(
            "{param} must be str, bytes, PublicKey, PrivateKey or a JWK dict, not {}",
            type_name(key)
        ))
    })?;
    py.detach(|| guarded(|| qlik_jwt::qlik::provider_key(&bytes, None)))
        .or_raise(py)
}
