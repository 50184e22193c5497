//! Qlik Cloud OAuth with a private key JWT from Python: `ClientAssertionSigner`,
//! `explain_client_assertion` and `generate_oauth_keys`, over the core's `qlik::oauth` and
//! `setup` modules.

use std::path::PathBuf;
use std::str::FromStr;

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};
use qlik_jwt::Algorithm;
use qlik_jwt::qlik::oauth::{
    ClientAssertionConfig, ClientAssertionSigner, RegisteredClient, RegisteredKey,
    assertion_private_key,
};
use qlik_jwt::setup::{self, OauthKeyType};

use crate::convert::{flag, now_whole_seconds, optional_text, text, text_or_bytes, whole_seconds};
use crate::error::{OrRaise, guarded};
use crate::keys::{PyPrivateKey, PyPublicKey, jwk_json, signing_key};
use crate::qlik::PyProblem;

/// Adds this module's functions and classes to `qlik_jwt._native`.
pub fn register(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_class::<PyClientAssertionSigner>()?;
    module.add_class::<PyOauthKeys>()?;
    module.add_function(wrap_pyfunction!(explain_client_assertion, module)?)?;
    module.add_function(wrap_pyfunction!(generate_oauth_keys, module)?)?;
    module.add(
        "CLIENT_ASSERTION_TYPE",
        qlik_jwt::qlik::oauth::CLIENT_ASSERTION_TYPE,
    )?;
    Ok(())
}

/// Signs OAuth client assertions (private key JWT) for Qlik Cloud's ``POST /oauth/token``. The
/// key is parsed once; ``repr`` shows the settings, never the key.
#[pyclass(frozen, module = "qlik_jwt", name = "ClientAssertionSigner")]
pub struct PyClientAssertionSigner {
    pub(crate) signer: ClientAssertionSigner,
}

#[pymethods]
impl PyClientAssertionSigner {
    #[new]
    #[pyo3(signature = (
        private_key, *, key_id, client_id, tenant_url, passphrase = None, algorithm = None,
        lifetime = None
    ))]
    #[allow(clippy::too_many_arguments)] // mirrors the keyword arguments of the Python API
    fn new(
        py: Python<'_>,
        private_key: &Bound<'_, PyAny>,
        key_id: &Bound<'_, PyAny>,
        client_id: &Bound<'_, PyAny>,
        tenant_url: &Bound<'_, PyAny>,
        passphrase: Option<&Bound<'_, PyAny>>,
        algorithm: Option<&Bound<'_, PyAny>>,
        lifetime: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let algorithm = optional_text(algorithm, "algorithm")?
            .map(|name| Algorithm::from_str(&name))
            .transpose()
            .or_raise(py)?;
        let config = ClientAssertionConfig {
            private_key: private_key_of(py, private_key, passphrase)?,
            key_id: text(key_id, "key_id")?,
            client_id: text(client_id, "client_id")?,
            tenant_url: text(tenant_url, "tenant_url")?,
            algorithm,
            lifetime_secs: lifetime
                .filter(|l| !l.is_none())
                .map(|l| whole_seconds(l, "lifetime"))
                .transpose()?,
        };
        let signer = py
            .detach(|| guarded(|| ClientAssertionSigner::new(config)))
            .or_raise(py)?;
        Ok(PyClientAssertionSigner { signer })
    }

    /// A fresh assertion for one token request: a new UUID ``jti``, ``iat`` now (or ``now``,
    /// seconds since the epoch or a ``datetime``), ``exp`` the lifetime later.
    #[pyo3(signature = (*, now = None))]
    fn sign(&self, py: Python<'_>, now: Option<&Bound<'_, PyAny>>) -> PyResult<String> {
        let now_secs = now_whole_seconds(now)?;
        py.detach(|| guarded(|| self.signer.sign_at(now_secs)))
            .or_raise(py)
    }

    /// The algorithm assertions are signed with (``"RS256"``, ``"RS512"`` or ``"ES384"``).
    #[getter]
    fn algorithm(&self) -> &str {
        self.signer.algorithm().as_str()
    }

    /// The header ``kid``.
    #[getter]
    fn key_id(&self) -> &str {
        self.signer.key_id()
    }

    /// The OAuth client ID (``iss`` and ``sub``).
    #[getter]
    fn client_id(&self) -> &str {
        self.signer.client_id()
    }

    /// The ``aud``: the tenant's token endpoint, where assertions are sent.
    #[getter]
    fn audience(&self) -> &str {
        self.signer.audience()
    }

    /// Seconds from ``iat`` to ``exp``.
    #[getter]
    fn lifetime(&self) -> i64 {
        self.signer.lifetime_secs()
    }

    fn __repr__(&self) -> String {
        format!(
            "ClientAssertionSigner(client_id={:?}, key_id={:?}, audience={:?}, algorithm={:?})",
            self.signer.client_id(),
            self.signer.key_id(),
            self.signer.audience(),
            self.signer.algorithm().as_str()
        )
    }
}

/// The signer's private key: text or bytes through the core's reader (PEM, DER, or a JWK's JSON
/// text, as the command reads a key file); a `PrivateKey` or a JWK `dict` as every signer takes
/// them.
fn private_key_of(
    py: Python<'_>,
    key: &Bound<'_, PyAny>,
    passphrase: Option<&Bound<'_, PyAny>>,
) -> PyResult<qlik_jwt::SigningKey> {
    if key.is_instance_of::<PyString>()
        || key.is_instance_of::<pyo3::types::PyBytes>()
        || key.is_instance_of::<pyo3::types::PyByteArray>()
    {
        let bytes = text_or_bytes(key, "private_key")?;
        let passphrase = passphrase
            .filter(|p| !p.is_none())
            .map(|p| text_or_bytes(p, "passphrase"))
            .transpose()?;
        return py
            .detach(|| guarded(|| assertion_private_key(&bytes, passphrase.as_deref())))
            .or_raise(py);
    }
    signing_key(py, key, passphrase, "private_key")
}

/// The registered key of `explain_client_assertion`: a JWK (``dict`` or its JSON text), a
/// PEM/DER public key (``str``/``bytes``), or a ``PublicKey``/``PrivateKey``.
fn registered_key(
    py: Python<'_>,
    key: &Bound<'_, PyAny>,
    key_id: Option<&str>,
) -> PyResult<RegisteredKey> {
    if let Ok(public) = key.cast::<PyPublicKey>() {
        let key = public.get().key.clone();
        return guarded(|| RegisteredKey::from_key(key, key_id)).or_raise(py);
    }
    if let Ok(private) = key.cast::<PyPrivateKey>() {
        let key = private.get().key.verifying_key();
        return guarded(|| RegisteredKey::from_key(key, key_id)).or_raise(py);
    }
    let bytes = if key.is_instance_of::<PyDict>() {
        jwk_json(key, "public_key")?.into_bytes()
    } else if key.is_instance_of::<PyString>() {
        text(key, "public_key")?.into_bytes()
    } else {
        text_or_bytes(key, "public_key")?
    };
    py.detach(|| guarded(|| RegisteredKey::parse(&bytes, key_id)))
        .or_raise(py)
}

/// Every reason Qlik Cloud would refuse ``token`` as a client assertion of the OAuth client
/// ``client_id`` on ``tenant_url`` (stable ``OAUTH_*`` codes), as a list of ``Problem``s; empty
/// when it would accept it. ``public_key`` is the registered JWK (or a PEM public key, with
/// ``key_id``); without it the signature is not checked. ``now`` replaces the clock.
#[pyfunction]
#[pyo3(signature = (token, *, client_id, tenant_url, public_key = None, key_id = None, now = None))]
pub fn explain_client_assertion(
    py: Python<'_>,
    token: &Bound<'_, PyAny>,
    client_id: &Bound<'_, PyAny>,
    tenant_url: &Bound<'_, PyAny>,
    public_key: Option<&Bound<'_, PyAny>>,
    key_id: Option<&Bound<'_, PyAny>>,
    now: Option<&Bound<'_, PyAny>>,
) -> PyResult<Vec<PyProblem>> {
    let token = text(token, "token")?;
    let client_id = text(client_id, "client_id")?;
    let tenant_url = text(tenant_url, "tenant_url")?;
    let key_id = optional_text(key_id, "key_id")?;
    let key = public_key
        .filter(|k| !k.is_none())
        .map(|k| registered_key(py, k, key_id.as_deref()))
        .transpose()?;
    let now_secs = now_whole_seconds(now)?;
    let problems = py
        .detach(|| {
            guarded(|| {
                let client = RegisteredClient::new(&client_id, &tenant_url, key)?;
                Ok(client.explain(&token, now_secs))
            })
        })
        .or_raise(py)?;
    Ok(problems.into_iter().map(PyProblem::from).collect())
}

/// A key pair for an OAuth client's private key JWT and its public JWK. The private key never
/// shows in ``repr``.
#[pyclass(frozen, module = "qlik_jwt", name = "OauthKeys")]
pub struct PyOauthKeys {
    /// ``"rsa"`` (RSA 4096) or ``"ec"`` (P-384).
    #[pyo3(get)]
    key_type: String,
    /// ``"RS256"`` or ``"ES384"``: what the JWK names and assertions are signed with.
    #[pyo3(get)]
    algorithm: String,
    /// The JWK's ``kid``.
    #[pyo3(get)]
    key_id: String,
    /// The private key, PKCS#8 PEM. Keep it secret.
    #[pyo3(get)]
    private_key_pem: String,
    /// The public JWK as JSON text, ready to paste into the console.
    #[pyo3(get)]
    public_jwk_json: String,
    /// Where ``privatekey.pem`` was written, when a directory was given.
    #[pyo3(get)]
    private_key_path: Option<PathBuf>,
    /// Where ``publickey.jwk.json`` was written, when a directory was given.
    #[pyo3(get)]
    public_jwk_path: Option<PathBuf>,
}

#[pymethods]
impl PyOauthKeys {
    /// The public JWK as a ``dict``.
    #[getter]
    fn public_jwk<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py.import("json")?
            .call_method1("loads", (self.public_jwk_json.as_str(),))
    }

    fn __repr__(&self) -> String {
        format!(
            "OauthKeys(key_type={:?}, algorithm={:?}, key_id={:?}, private_key_pem=<redacted>)",
            self.key_type, self.algorithm, self.key_id
        )
    }
}

/// A key pair for an OAuth client's private key JWT (``"rsa"``: RSA 4096 for RS256, the default;
/// ``"ec"``: P-384 for ES384) and its public JWK with ``kid`` = ``key_id``, ``alg`` and ``use``.
/// With ``directory``, also writes ``privatekey.pem`` (mode 0600) and ``publickey.jwk.json``;
/// existing files are kept unless ``overwrite``.
#[pyfunction]
#[pyo3(signature = (key_type = None, *, key_id, directory = None, overwrite = None))]
pub fn generate_oauth_keys(
    py: Python<'_>,
    key_type: Option<&Bound<'_, PyAny>>,
    key_id: &Bound<'_, PyAny>,
    directory: Option<PathBuf>,
    overwrite: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyOauthKeys> {
    let key_type = optional_text(key_type, "key_type")?;
    let key_id = text(key_id, "key_id")?;
    let overwrite = flag(overwrite, "overwrite", false)?;
    py.detach(|| {
        guarded(|| {
            let key_type = match &key_type {
                Some(name) => name.parse::<OauthKeyType>()?,
                None => OauthKeyType::default(),
            };
            let keys = setup::generate_oauth_keys(key_type, &key_id)?;
            let files = directory
                .as_deref()
                .map(|dir| setup::write_oauth_key_files(dir, &keys, overwrite))
                .transpose()?;
            Ok(PyOauthKeys {
                key_type: key_type.name().to_owned(),
                algorithm: key_type.algorithm().as_str().to_owned(),
                key_id: keys.key_id.clone(),
                private_key_pem: keys.private_key_pem.to_string(),
                public_jwk_json: keys.public_jwk.clone(),
                private_key_path: files.as_ref().map(|f| f.private_key.clone()),
                public_jwk_path: files.map(|f| f.public_jwk),
            })
        })
    })
    .or_raise(py)
}
