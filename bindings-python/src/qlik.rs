//! The Qlik Cloud signer and `explain`, over the core's `qlik` module.

use std::str::FromStr;

use pyo3::prelude::*;
use pyo3::types::PyString;
use qlik_jwt::Algorithm;
use qlik_jwt::qlik::{self, IdentityProvider, QlikSigner, QlikUser, SignerConfig};

use crate::convert::{boolean, now_whole_seconds, optional_text, text, texts, whole_seconds};
use crate::error::{OrRaise, guarded};
use crate::keys::{signing_key, verifying_key};

/// Signs valid Qlik Cloud tokens for `POST /login/jwt-session`, made once from the JWT
/// identity provider's settings. The key is parsed once; a signer is safe to share between
/// threads, and signing releases the GIL.
///
/// `private_key` is PEM text, DER bytes, a `PrivateKey` or a JWK `dict` (`passphrase` unlocks
/// an encrypted key). `key_id` and `issuer` are the identity provider's Key ID and issuer.
/// `algorithm` defaults to the core's choice for the key (RS256 for RSA). `not_before_skew`
/// (how far `nbf` lies before the signing instant) and `lifetime` (signing instant to `exp`)
/// are whole seconds or `timedelta`; the defaults suit Qlik's limits.
///
/// Raises `QlikRuleError` for settings Qlik would refuse (an HS* algorithm, a window over an
/// hour), `InvalidKeyError` for a key that does not parse or fit.
#[pyclass(frozen, module = "qlik_jwt", name = "QlikSigner")]
pub struct PyQlikSigner {
    signer: QlikSigner,
    key_id: String,
    issuer: String,
}

#[pymethods]
impl PyQlikSigner {
    #[new]
    #[pyo3(signature = (
        private_key, *, key_id, issuer, algorithm = None, passphrase = None,
        not_before_skew = None, lifetime = None
    ))]
    #[allow(clippy::too_many_arguments)] // mirrors the keyword arguments of the Python API
    fn new(
        py: Python<'_>,
        private_key: &Bound<'_, PyAny>,
        key_id: &Bound<'_, PyAny>,
        issuer: &Bound<'_, PyAny>,
        algorithm: Option<&Bound<'_, PyAny>>,
        passphrase: Option<&Bound<'_, PyAny>>,
        not_before_skew: Option<&Bound<'_, PyAny>>,
        lifetime: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let key_id = text(key_id, "key_id")?;
        let issuer = text(issuer, "issuer")?;
        let algorithm = optional_text(algorithm, "algorithm")?;
        let private_key = signing_key(py, private_key, passphrase, "private_key")?;
        let algorithm = algorithm
            .map(|name| Algorithm::from_str(&name))
            .transpose()
            .or_raise(py)?;
        let not_before_skew_secs = not_before_skew
            .map(|s| whole_seconds(s, "not_before_skew"))
            .transpose()?;
        let lifetime_secs = lifetime.map(|s| whole_seconds(s, "lifetime")).transpose()?;
        let config = SignerConfig {
            private_key,
            key_id: key_id.clone(),
            issuer: issuer.clone(),
            algorithm,
            not_before_skew_secs,
            lifetime_secs,
        };
        let signer = py
            .detach(|| guarded(|| QlikSigner::new(config)))
            .or_raise(py)?;
        Ok(PyQlikSigner {
            signer,
            key_id,
            issuer,
        })
    }

    /// A valid Qlik token logging in the user `sub` with display `name` and `email` (may be
    /// empty), `email_verified` (whether your app verified that the address belongs to the
    /// user: required, as everywhere in qlik-jwt, since it vouches for the address to Qlik),
    /// optional `groups` (a list of names), a fresh random `jti`, and `iat`/`nbf`/`exp` around
    /// `now` (seconds since the epoch or a `datetime`; default: the clock).
    ///
    /// Raises `QlikRuleError` when Qlik would refuse the token (e.g. a group name over 256
    /// characters).
    #[pyo3(
        signature = (*, sub, name, email, email_verified, groups = None, now = None),
        text_signature = "($self, *, sub, name, email, email_verified, groups=None, now=None)"
    )]
    #[allow(clippy::too_many_arguments)] // mirrors the keyword arguments of the Python API
    fn sign(
        &self,
        py: Python<'_>,
        sub: &Bound<'_, PyAny>,
        name: &Bound<'_, PyAny>,
        email: &Bound<'_, PyAny>,
        email_verified: &Bound<'_, PyAny>,
        groups: Option<&Bound<'_, PyAny>>,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<String> {
        let user = QlikUser {
            sub: text(sub, "sub")?,
            name: text(name, "name")?,
            email: text(email, "email")?,
            email_verified: boolean(email_verified, "email_verified")?,
            groups: groups.map(|g| texts(g, "groups")).transpose()?,
        };
        let now_secs = now_whole_seconds(now)?;
        py.detach(|| guarded(|| self.signer.sign(&user, now_secs)))
            .or_raise(py)
    }

    /// The identity provider's Key ID (the header `kid`).
    #[getter]
    fn key_id(&self) -> &str {
        &self.key_id
    }

    /// The identity provider's issuer (the `iss` claim).
    #[getter]
    fn issuer(&self) -> &str {
        &self.issuer
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "QlikSigner(key_id={}, issuer={})",
            py_repr(py, &self.key_id)?,
            py_repr(py, &self.issuer)?
        ))
    }
}

/// One reason Qlik would refuse a token, or a known mistake in it: a stable `code`, a
/// `severity` (`"error"`: Qlik refuses the token; `"warning"`: accepted but a known mistake)
/// and a plain `message` saying what is wrong and what would be right.
#[pyclass(frozen, module = "qlik_jwt", name = "Problem")]
pub struct PyProblem {
    /// Stable code, e.g. `"QLIK_CLAIM_MISSING"`.
    #[pyo3(get)]
    code: &'static str,
    /// `"error"` or `"warning"`.
    #[pyo3(get)]
    severity: &'static str,
    /// What is wrong and what would be right.
    #[pyo3(get)]
    message: String,
}

#[pymethods]
impl PyProblem {
    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "Problem(code={}, severity={}, message={})",
            py_repr(py, self.code)?,
            py_repr(py, self.severity)?,
            py_repr(py, &self.message)?
        ))
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other.cast::<PyProblem>().is_ok_and(|other| {
            let other = other.get();
            (other.code, other.severity, &other.message)
                == (self.code, self.severity, &self.message)
        })
    }

    fn __hash__(&self) -> u64 {
        use std::hash::{DefaultHasher, Hash, Hasher};
        let mut hasher = DefaultHasher::new();
        (self.code, self.severity, &self.message).hash(&mut hasher);
        hasher.finish()
    }

    fn __str__(&self) -> String {
        format!("{} ({}): {}", self.code, self.severity, self.message)
    }
}

/// A string as Python's `repr` writes it.
fn py_repr(py: Python<'_>, text: &str) -> PyResult<String> {
    Ok(PyString::new(py, text).repr()?.to_string())
}

impl From<qlik::Problem> for PyProblem {
    fn from(problem: qlik::Problem) -> Self {
        PyProblem {
            code: problem.code,
            severity: problem.severity.as_str(),
            message: problem.message,
        }
    }
}

/// Every reason Qlik Cloud would refuse `token`, and the known mistakes in it, as a list of
/// `Problem`s; empty when Qlik would accept it. Give the identity provider's `issuer`,
/// `key_id` and `certificate` (PEM or DER of the certificate or public key, a `PublicKey`, or a
/// JWK `dict`) to check against them too; `clock_tolerance` is the provider's tolerance in
/// whole seconds; `now` (seconds since the epoch or a `datetime`) replaces the clock.
#[pyfunction]
#[pyo3(signature = (
    token, *, issuer = None, key_id = None, certificate = None, clock_tolerance = None, now = None
))]
pub fn explain(
    py: Python<'_>,
    token: &Bound<'_, PyAny>,
    issuer: Option<&Bound<'_, PyAny>>,
    key_id: Option<&Bound<'_, PyAny>>,
    certificate: Option<&Bound<'_, PyAny>>,
    clock_tolerance: Option<&Bound<'_, PyAny>>,
    now: Option<&Bound<'_, PyAny>>,
) -> PyResult<Vec<PyProblem>> {
    let token = text(token, "token")?;
    let issuer = optional_text(issuer, "issuer")?;
    let key_id = optional_text(key_id, "key_id")?;
    let certificate = certificate
        .map(|c| verifying_key(py, c, "certificate"))
        .transpose()?;
    let clock_tolerance_secs = clock_tolerance
        .map(|s| whole_seconds(s, "clock_tolerance"))
        .transpose()?;
    let provider = IdentityProvider {
        issuer,
        key_id,
        certificate,
        clock_tolerance_secs,
    };
    let now_secs = now_whole_seconds(now)?;
    let problems = py
        .detach(|| guarded(|| Ok(qlik::explain(&token, &provider, now_secs))))
        .or_raise(py)?;
    Ok(problems.into_iter().map(PyProblem::from).collect())
}
