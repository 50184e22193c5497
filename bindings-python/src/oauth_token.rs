//! The core's OAuth token exchange for the Python client (`qlik_jwt/_oauth.py`, on `urllib`):
//! the client assertion signer, the token flow and the token cache policy. The signing step is
//! taken here with the core's `ClientAssertionSigner`, so Python only sends the requests these
//! give, waits, and keeps one request in flight per cache key.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use pyo3::IntoPyObjectExt as _;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use qlik_jwt::Algorithm;
use qlik_jwt::protocol::{
    AccessToken, ClientError, DEFAULT_TIMEOUT, Grant, HttpResponse, RetryPolicy,
    TOKEN_REFRESH_MARGIN, TokenCache, TokenFlow, TokenRequest, TokenStep, cache_key,
};
use qlik_jwt::qlik::oauth::{ClientAssertionConfig, ClientAssertionSigner, TOKEN_PATH};

use crate::convert::{optional_text, seconds, text};
use crate::error::{OrRaise, guarded};
use crate::flow_parts::{Step, done_step, failed_step, or_failure, send_step, wait_step};
use crate::keys::signing_key;

/// Adds the OAuth client's core and the cache policy to `qlik_jwt._native`.
pub fn register(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add("OAUTH_TOKEN_PATH", TOKEN_PATH)?;
    module.add("TOKEN_REFRESH_MARGIN_SECS", TOKEN_REFRESH_MARGIN.as_secs())?;
    module.add_class::<PyOAuthCore>()?;
    module.add_class::<PyTokenFlow>()?;
    Ok(())
}

fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

fn duration(value: f64) -> Duration {
    Duration::from_secs_f64(value.clamp(0.0, f64::from(u32::MAX)))
}

/// A token as a dict: ``access_token``, ``token_type``, ``expires_in``, ``expires_at``
/// (seconds since the epoch), ``scope``.
fn token_dict<'py>(py: Python<'py>, token: &AccessToken) -> PyResult<Bound<'py, PyDict>> {
    let parts = PyDict::new(py);
    parts.set_item("access_token", &token.access_token)?;
    parts.set_item("token_type", &token.token_type)?;
    parts.set_item("expires_in", token.expires_in)?;
    parts.set_item("expires_at", token.expires_at)?;
    parts.set_item("scope", &token.scope)?;
    Ok(parts)
}

/// An OAuth client's core: its assertion signer (the key never leaves it), settings and token
/// cache. Thread-safe; ``qlik_jwt.OAuthClient`` keeps one request in flight per cache key.
#[pyclass(frozen, module = "qlik_jwt._native", name = "OAuthCore")]
pub struct PyOAuthCore {
    signer: Arc<ClientAssertionSigner>,
    cache: Arc<Mutex<TokenCache>>,
    tenant_url: String,
    scope: Option<String>,
    timeout: Duration,
    retry: RetryPolicy,
}

#[pymethods]
impl PyOAuthCore {
    #[new]
    #[pyo3(signature = (
        tenant_url, *, client_id, private_key, key_id, algorithm = None, passphrase = None,
        scope = None, timeout = None, retries = None, retry_delay = None
    ))]
    #[allow(clippy::too_many_arguments)] // mirrors the keyword arguments of the Python API
    fn new(
        py: Python<'_>,
        tenant_url: &Bound<'_, PyAny>,
        client_id: &Bound<'_, PyAny>,
        private_key: &Bound<'_, PyAny>,
        key_id: &Bound<'_, PyAny>,
        algorithm: Option<&Bound<'_, PyAny>>,
        passphrase: Option<&Bound<'_, PyAny>>,
        scope: Option<&Bound<'_, PyAny>>,
        timeout: Option<&Bound<'_, PyAny>>,
        retries: Option<u32>,
        retry_delay: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let tenant_url = text(tenant_url, "tenant_url")?;
        let client_id = text(client_id, "client_id")?;
        let key_id = text(key_id, "key_id")?;
        let algorithm = optional_text(algorithm, "algorithm")?
            .map(|name| name.parse::<Algorithm>())
            .transpose()
            .or_raise(py)?;
        let scope = optional_text(scope, "scope")?;
        let private_key = signing_key(py, private_key, passphrase, "private_key")?;
        let mut retry = RetryPolicy::default();
        if let Some(retries) = retries {
            retry.retries = retries;
        }
        if let Some(delay) = retry_delay.filter(|d| !d.is_none()) {
            retry.first_delay = duration(seconds(delay, "retry_delay")?);
        }
        let timeout = match timeout.filter(|t| !t.is_none()) {
            Some(t) => duration(seconds(t, "timeout")?),
            None => DEFAULT_TIMEOUT,
        };
        let signer = guarded(|| {
            ClientAssertionSigner::new(ClientAssertionConfig {
                private_key,
                key_id,
                client_id,
                tenant_url,
                algorithm,
                lifetime_secs: None,
            })
        })
        .or_raise(py)?;
        let base = signer
            .audience()
            .strip_suffix(TOKEN_PATH)
            .unwrap_or(signer.audience())
            .to_owned();
        Ok(PyOAuthCore {
            signer: Arc::new(signer),
            cache: Arc::new(Mutex::new(TokenCache::new())),
            tenant_url: base,
            scope,
            timeout,
            retry,
        })
    }

    /// The tenant's base URL.
    #[getter]
    fn tenant_url(&self) -> &str {
        &self.tenant_url
    }

    /// The OAuth client ID.
    #[getter]
    fn client_id(&self) -> &str {
        self.signer.client_id()
    }

    /// The cache key of the token for ``subject`` (``None``: machine to machine).
    #[pyo3(signature = (subject = None))]
    fn cache_key(&self, subject: Option<&str>) -> String {
        cache_key(&Grant::for_subject(subject), self.scope.as_deref())
    }

    /// The cached token for ``subject`` as a dict while the core's policy reuses it.
    #[pyo3(signature = (subject = None))]
    fn cached<'py>(
        &self,
        py: Python<'py>,
        subject: Option<&str>,
    ) -> PyResult<Option<Bound<'py, PyDict>>> {
        let key = self.cache_key(subject);
        let cache = self.cache.lock().unwrap_or_else(PoisonError::into_inner);
        cache
            .get(&key, now_secs())
            .map(|token| token_dict(py, token))
            .transpose()
    }

    /// Forgets every cached token.
    fn clear_cache(&self) {
        self.cache
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }

    /// Starts a token request for ``subject`` (``None``: machine to machine): the
    /// :class:`TokenFlow`, or a failure dict. ``begin()`` gives its first step.
    #[pyo3(signature = (subject = None))]
    fn start<'py>(&self, py: Python<'py>, subject: Option<&str>) -> PyResult<Bound<'py, PyAny>> {
        let grant = Grant::for_subject(subject);
        let key = cache_key(&grant, self.scope.as_deref());
        let request = TokenRequest {
            client_id: self.signer.client_id().to_owned(),
            grant,
            scope: self.scope.clone(),
            timeout: self.timeout,
        };
        let flow = TokenFlow::new(&self.tenant_url, request, self.retry);
        or_failure(py, flow, |flow| {
            Bound::new(
                py,
                PyTokenFlow {
                    flow,
                    signer: Arc::clone(&self.signer),
                    cache: Arc::clone(&self.cache),
                    key,
                },
            )?
            .into_bound_py_any(py)
        })
    }

    fn __repr__(&self) -> String {
        format!(
            "OAuthCore(tenant_url={:?}, client_id={:?})",
            self.tenant_url,
            self.signer.client_id()
        )
    }
}

/// One token request in progress: the core's state machine. Each method returns the next step
/// as ``(kind, value)``: ``("send", (method, url, headers, body, timeout))``,
/// ``("wait", seconds)``, ``("done", token dict)`` (also cached) or ``("failed", failure dict)``.
#[pyclass(module = "qlik_jwt._native", name = "TokenFlow")]
pub struct PyTokenFlow {
    flow: TokenFlow,
    signer: Arc<ClientAssertionSigner>,
    cache: Arc<Mutex<TokenCache>>,
    key: String,
}

#[pymethods]
impl PyTokenFlow {
    /// The first step: the request with a newly signed assertion.
    fn begin<'py>(&mut self, py: Python<'py>) -> PyResult<Step<'py>> {
        self.step(py, TokenStep::Sign)
    }

    /// The answer to the last request: its status and body text.
    fn receive<'py>(&mut self, py: Python<'py>, status: u16, body: String) -> PyResult<Step<'py>> {
        let response = HttpResponse {
            status,
            headers: Vec::new(),
            body,
        };
        let next = self.flow.receive(&response);
        self.step(py, next)
    }

    /// The last request got no answer; ``message`` says why.
    fn unreachable<'py>(&mut self, py: Python<'py>, message: &str) -> PyResult<Step<'py>> {
        let next = self.flow.unreachable(message);
        self.step(py, next)
    }

    /// The wait is over.
    fn waited<'py>(&mut self, py: Python<'py>) -> PyResult<Step<'py>> {
        let next = self.flow.waited();
        self.step(py, next)
    }
}

impl PyTokenFlow {
    fn step<'py>(&mut self, py: Python<'py>, mut step: TokenStep) -> PyResult<Step<'py>> {
        if step == TokenStep::Sign {
            let signer = Arc::clone(&self.signer);
            step = match py.detach(|| guarded(|| signer.sign())) {
                Ok(assertion) => self.flow.assertion(&assertion),
                Err(error) => {
                    TokenStep::Failed(ClientError::InvalidArgument(error.message().to_owned()))
                }
            };
        }
        match step {
            TokenStep::Sign => failed_step(
                py,
                ClientError::Protocol("the token flow asked for two assertions".into()),
            ),
            TokenStep::Failed(error) => failed_step(py, error),
            TokenStep::Send(request) => send_step(py, request),
            TokenStep::Wait(delay) => wait_step(py, delay),
            TokenStep::Done(token) => {
                let parts = token_dict(py, &token)?;
                self.cache
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .put(self.key.clone(), token, now_secs());
                done_step(parts.into_any())
            }
        }
    }
}
