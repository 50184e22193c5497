//! Client-managed Qlik Sense (a JWT virtual proxy): the signer and `explain_client_managed`,
//! over the core's `qlik::client_managed` module.

use std::str::FromStr;

use pyo3::prelude::*;
use pyo3::types::PyDict;
use qlik_jwt::qlik::client_managed::{
    AttributeMapping, ClientManagedSigner, ClientManagedSignerConfig, ClientManagedUser,
    VirtualProxySettings, explain_client_managed,
};
use qlik_jwt::{Algorithm, Value};

use crate::convert::{now_whole_seconds, optional_text, payload_to_value, text, whole_seconds};
use crate::error::{OrRaise, guarded};
use crate::keys::{signing_key, verifying_key};
use crate::qlik::PyProblem;

/// Adds the client-managed signer and explain to `qlik_jwt._native`.
pub fn register(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_class::<PyClientManagedSigner>()?;
    module.add_function(wrap_pyfunction!(explain_client_managed_token, module)?)?;
    Ok(())
}

/// The proxy's settings from the keyword arguments; `attributes` is a list of dicts with
/// `sense_attribute`, `jwt_attribute` and `is_mandatory` (or their camelCase QRS names).
pub(crate) fn proxy_of(
    user_id_attribute: &Bound<'_, PyAny>,
    user_directory_attribute: &Bound<'_, PyAny>,
    audience: Option<&Bound<'_, PyAny>>,
    attributes: Option<&Bound<'_, PyAny>>,
) -> PyResult<VirtualProxySettings> {
    let mut mappings = Vec::new();
    for entry in attributes
        .filter(|a| !a.is_none())
        .map(|a| a.try_iter())
        .transpose()?
        .into_iter()
        .flatten()
    {
        let entry = entry?;
        let entry = entry.cast::<PyDict>().map_err(|_| {
            pyo3::exceptions::PyTypeError::new_err(
                "attributes must be a list of dicts with sense_attribute, jwt_attribute and is_mandatory",
            )
        })?;
        let field = |snake: &str, camel: &str| -> PyResult<Option<Bound<'_, PyAny>>> {
            Ok(match entry.get_item(snake)? {
                Some(value) => Some(value),
                None => entry.get_item(camel)?,
            })
        };
        let required = |snake: &str, camel: &str| -> PyResult<String> {
            match field(snake, camel)? {
                Some(value) => text(&value, snake),
                None => Err(pyo3::exceptions::PyTypeError::new_err(format!(
                    "an attributes entry has no {snake}"
                ))),
            }
        };
        mappings.push(AttributeMapping {
            sense_attribute: required("sense_attribute", "senseAttribute")?,
            jwt_attribute: required("jwt_attribute", "jwtAttribute")?,
            is_mandatory: match field("is_mandatory", "isMandatory")? {
                Some(value) => value.is_truthy()?,
                None => false,
            },
        });
    }
    Ok(VirtualProxySettings {
        user_id_attribute: text(user_id_attribute, "user_id_attribute")?,
        user_directory_attribute: text(user_directory_attribute, "user_directory_attribute")?,
        audience: optional_text(audience, "audience")?,
        attributes: mappings,
    })
}

/// Signs tokens a client-managed (Qlik Sense Enterprise on Windows) JWT virtual proxy accepts,
/// made once from the proxy's settings: the claim names of the user id and user directory,
/// the optional `audience`, and the attribute map (`attributes`). RS256 (default), RS384 or
/// RS512 with an RSA key only; `nbf` lies 30 s before and `exp` 300 s after the signing instant
/// by default.
///
/// Raises `QlikRuleError` for settings the proxy would refuse (an EC or HMAC key, a reserved
/// claim name as an attribute), `InvalidKeyError` for a key that does not parse.
#[pyclass(frozen, module = "qlik_jwt", name = "ClientManagedSigner")]
pub struct PyClientManagedSigner {
    signer: ClientManagedSigner,
}

#[pymethods]
impl PyClientManagedSigner {
    #[new]
    #[pyo3(signature = (
        private_key, *, user_id_attribute, user_directory_attribute, audience = None,
        attributes = None, key_id = None, algorithm = None, passphrase = None,
        not_before_skew = None, lifetime = None
    ))]
    #[allow(clippy::too_many_arguments)] // mirrors the keyword arguments of the Python API
    fn new(
        py: Python<'_>,
        private_key: &Bound<'_, PyAny>,
        user_id_attribute: &Bound<'_, PyAny>,
        user_directory_attribute: &Bound<'_, PyAny>,
        audience: Option<&Bound<'_, PyAny>>,
        attributes: Option<&Bound<'_, PyAny>>,
        key_id: Option<&Bound<'_, PyAny>>,
        algorithm: Option<&Bound<'_, PyAny>>,
        passphrase: Option<&Bound<'_, PyAny>>,
        not_before_skew: Option<&Bound<'_, PyAny>>,
        lifetime: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let proxy = proxy_of(
            user_id_attribute,
            user_directory_attribute,
            audience,
            attributes,
        )?;
        let key_id = optional_text(key_id, "key_id")?;
        let algorithm = optional_text(algorithm, "algorithm")?
            .map(|name| Algorithm::from_str(&name))
            .transpose()
            .or_raise(py)?;
        let private_key = signing_key(py, private_key, passphrase, "private_key")?;
        let config = ClientManagedSignerConfig {
            private_key,
            proxy,
            key_id,
            algorithm,
            not_before_skew_secs: not_before_skew
                .map(|s| whole_seconds(s, "not_before_skew"))
                .transpose()?,
            lifetime_secs: lifetime.map(|s| whole_seconds(s, "lifetime")).transpose()?,
        };
        let signer = py
            .detach(|| guarded(|| ClientManagedSigner::new(config)))
            .or_raise(py)?;
        Ok(PyClientManagedSigner { signer })
    }

    /// A token for the user `user_id` in `user_directory`, with the user's other claims as
    /// keyword arguments by their JWT names (`name=`, the attribute map's `groups=`, ...), and
    /// `iat`/`nbf`/`exp` around `now` (default: the clock).
    #[pyo3(signature = (*, user_id, user_directory, now = None, **attributes))]
    fn sign(
        &self,
        py: Python<'_>,
        user_id: &Bound<'_, PyAny>,
        user_directory: &Bound<'_, PyAny>,
        now: Option<&Bound<'_, PyAny>>,
        attributes: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<String> {
        let attributes = match attributes {
            Some(attributes) => match payload_to_value(attributes.as_any())? {
                Value::Object(entries) => entries,
                _ => Vec::new(),
            },
            None => Vec::new(),
        };
        let user = ClientManagedUser {
            user_id: text(user_id, "user_id")?,
            user_directory: text(user_directory, "user_directory")?,
            attributes,
        };
        let now_secs = now_whole_seconds(now)?;
        py.detach(|| guarded(|| self.signer.sign(&user, now_secs)))
            .or_raise(py)
    }

    /// The algorithm tokens are signed with.
    #[getter]
    fn algorithm(&self) -> &'static str {
        self.signer.algorithm().as_str()
    }

    fn __repr__(&self) -> String {
        let proxy = self.signer.proxy();
        format!(
            "ClientManagedSigner(user_id_attribute={:?}, user_directory_attribute={:?}, algorithm={:?})",
            proxy.user_id_attribute,
            proxy.user_directory_attribute,
            self.signer.algorithm().as_str()
        )
    }
}

/// Every reason a client-managed JWT virtual proxy with these settings would refuse `token`
/// (stable ``QSE_*`` codes), as a list of `Problem`s; empty when it would accept it. Give the
/// proxy's `certificate` to check the signature too; `now` replaces the clock.
#[pyfunction(name = "explain_client_managed")]
#[pyo3(signature = (
    token, *, user_id_attribute, user_directory_attribute, audience = None, attributes = None,
    certificate = None, now = None
))]
#[allow(clippy::too_many_arguments)] // mirrors the keyword arguments of the Python API
pub fn explain_client_managed_token(
    py: Python<'_>,
    token: &Bound<'_, PyAny>,
    user_id_attribute: &Bound<'_, PyAny>,
    user_directory_attribute: &Bound<'_, PyAny>,
    audience: Option<&Bound<'_, PyAny>>,
    attributes: Option<&Bound<'_, PyAny>>,
    certificate: Option<&Bound<'_, PyAny>>,
    now: Option<&Bound<'_, PyAny>>,
) -> PyResult<Vec<PyProblem>> {
    let token = text(token, "token")?;
    let proxy = proxy_of(
        user_id_attribute,
        user_directory_attribute,
        audience,
        attributes,
    )?;
    let certificate = certificate
        .filter(|c| !c.is_none())
        .map(|c| verifying_key(py, c, "certificate"))
        .transpose()?;
    let now_secs = now_whole_seconds(now)?;
    let problems =
        py.detach(|| explain_client_managed(&token, &proxy, certificate.as_ref(), now_secs));
    Ok(problems.into_iter().map(PyProblem::from).collect())
}
