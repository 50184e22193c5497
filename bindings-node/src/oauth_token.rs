//! The core's OAuth token exchange for the JavaScript client (`lib/oauth-client.js`, on
//! `fetch`): the client assertion signer, the token flow and the token cache policy. The signing
//! step is taken here with the core's `ClientAssertionSigner`, so JavaScript only sends the
//! requests these give, waits, and keeps one request in flight per cache key.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use napi::bindgen_prelude::{Buffer, Either};
use napi_derive::napi;
use qlik_jwt::protocol::{
    AccessToken, ClientError, DEFAULT_TIMEOUT, Grant, HttpResponse, RetryPolicy,
    TOKEN_REFRESH_MARGIN, TokenCache, TokenFlow, TokenRequest, TokenStep, cache_key,
};
use qlik_jwt::qlik::oauth::{ClientAssertionConfig, ClientAssertionSigner, TOKEN_PATH};
use qlik_jwt::qlik::signer_key;

use crate::failure::{Failure, guarded, settled};
use crate::flow_parts::{
    SessionFailure, either, millis, milliseconds, pair_lists, retry_with, status_code,
};
use crate::setup::text_or_bytes;

/// The settings of an OAuth client; absent ones take the core's defaults.
#[napi(object)]
pub struct OAuthClientSettings {
    /// The OAuth client ID.
    pub client_id: String,
    /// The `kid` of the public JWK registered on the client.
    pub key_id: String,
    /// RS256 (default for RSA) or RS512; ES384 for an EC P-384 key.
    pub algorithm: Option<String>,
    /// The passphrase of an encrypted private key.
    pub passphrase: Option<String>,
    /// The scopes asked for, space-separated (absent: the client's).
    pub scope: Option<String>,
    /// The longest one token request may take.
    pub timeout_ms: Option<f64>,
    /// Retries of a token request a retry can cure, each with a new assertion.
    pub retries: Option<u32>,
    /// The first wait between attempts, doubling.
    pub retry_delay_ms: Option<f64>,
}

/// An access token as JavaScript receives it.
#[napi(object)]
pub struct AccessTokenParts {
    /// The token for `Authorization: Bearer`.
    pub access_token: String,
    /// The token type (`bearer`).
    pub token_type: String,
    /// Seconds it was valid for when issued.
    pub expires_in: f64,
    /// When it expires, in seconds since the epoch.
    pub expires_at: f64,
    /// The scopes granted, when named.
    pub scope: Option<String>,
}

impl From<&AccessToken> for AccessTokenParts {
    fn from(token: &AccessToken) -> Self {
        AccessTokenParts {
            access_token: token.access_token.clone(),
            token_type: token.token_type.clone(),
            expires_in: token.expires_in as f64,
            expires_at: token.expires_at as f64,
            scope: token.scope.clone(),
        }
    }
}

/// A request of the token exchange to send as given: `POST` with a JSON body.
#[napi(object)]
pub struct TokenRequestParts {
    /// The method.
    pub method: String,
    /// The absolute URL.
    pub url: String,
    /// `[name, value]` pairs.
    pub headers: Vec<Vec<String>>,
    /// The body (JSON text).
    pub body: String,
    /// The longest the exchange may take.
    pub timeout_ms: f64,
}

/// What to do next in a token request: `kind` is `send` (`request`), `wait` (`waitMs`), `done`
/// (`token`) or `failed` (`failure`).
#[napi(object)]
pub struct TokenStepParts {
    /// The kind of step.
    pub kind: String,
    /// The request of a `send` step.
    pub request: Option<TokenRequestParts>,
    /// The wait of a `wait` step.
    pub wait_ms: Option<f64>,
    /// The token of a `done` step (also kept in the client's cache).
    pub token: Option<AccessTokenParts>,
    /// The error of a `failed` step.
    pub failure: Option<SessionFailure>,
}

/// The OAuth protocol's names and the cache policy, from the core.
#[napi(object)]
pub struct OAuthProtocol {
    /// `/oauth/token`.
    pub token_path: String,
    /// Seconds before expiry a cached token is replaced.
    pub refresh_margin_sec: f64,
}

/// The OAuth protocol's names and the cache policy.
#[napi]
pub fn oauth_protocol() -> OAuthProtocol {
    OAuthProtocol {
        token_path: TOKEN_PATH.to_owned(),
        refresh_margin_sec: TOKEN_REFRESH_MARGIN.as_secs_f64(),
    }
}

fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// A setting the core refuses: the message saying what was expected, as an invalid option.
fn invalid_option(message: String) -> qlik_jwt::Error {
    qlik_jwt::Error::plain(qlik_jwt::ErrorCode::InvalidOption, message)
}

/// An OAuth client: its signer, settings and token cache. The key never leaves the core.
#[napi]
pub struct NativeOAuthClient {
    signer: Arc<ClientAssertionSigner>,
    cache: Arc<Mutex<TokenCache>>,
    tenant_url: String,
    scope: Option<String>,
    timeout: Duration,
    retry: RetryPolicy,
}

/// Makes an OAuth client of the tenant at `tenantUrl` signing with `privateKey` (PEM, DER or
/// JWK text or bytes).
#[napi]
pub fn create_oauth_client(
    tenant_url: String,
    private_key: Either<String, Buffer>,
    settings: OAuthClientSettings,
) -> Either<NativeOAuthClient, Failure> {
    let key_bytes = text_or_bytes(&private_key);
    let made = guarded(|| {
        let algorithm = match &settings.algorithm {
            Some(name) => Some(name.parse()?),
            None => None,
        };
        let signer = ClientAssertionSigner::new(ClientAssertionConfig {
            private_key: signer_key(key_bytes, settings.passphrase.as_deref().map(str::as_bytes))?,
            key_id: settings.key_id,
            client_id: settings.client_id,
            tenant_url: tenant_url.clone(),
            algorithm,
            lifetime_secs: None,
        })?;
        let retry = retry_with(
            RetryPolicy::default(),
            settings.retries,
            settings.retry_delay_ms,
        )
        .map_err(invalid_option)?;
        let timeout = match settings.timeout_ms {
            Some(ms) => millis(ms, "timeoutMs").map_err(invalid_option)?,
            None => DEFAULT_TIMEOUT,
        };
        let base = signer
            .audience()
            .strip_suffix(TOKEN_PATH)
            .unwrap_or(signer.audience())
            .to_owned();
        Ok(NativeOAuthClient {
            signer: Arc::new(signer),
            cache: Arc::new(Mutex::new(TokenCache::new())),
            tenant_url: base,
            scope: settings.scope,
            timeout,
            retry,
        })
    });
    settled(made)
}

#[napi]
impl NativeOAuthClient {
    /// The tenant's base URL.
    #[napi(getter)]
    pub fn tenant_url(&self) -> String {
        self.tenant_url.clone()
    }

    /// The OAuth client ID.
    #[napi(getter)]
    pub fn client_id(&self) -> String {
        self.signer.client_id().to_owned()
    }

    /// The cache key of the token for `subject` (absent: machine to machine).
    #[napi]
    pub fn cache_key(&self, subject: Option<String>) -> String {
        cache_key(
            &Grant::for_subject(subject.as_deref()),
            self.scope.as_deref(),
        )
    }

    /// The cached token for `subject` while the core's policy reuses it.
    #[napi]
    pub fn cached(&self, subject: Option<String>) -> Option<AccessTokenParts> {
        let key = self.cache_key(subject);
        let cache = self.cache.lock().unwrap_or_else(PoisonError::into_inner);
        cache.get(&key, now_secs()).map(AccessTokenParts::from)
    }

    /// Forgets every cached token.
    #[napi]
    pub fn clear_cache(&self) {
        self.cache
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }

    /// Starts a token request for `subject` (absent: machine to machine); `begin()` gives the
    /// first step.
    #[napi]
    pub fn start(&self, subject: Option<String>) -> Either<NativeTokenExchange, SessionFailure> {
        let grant = Grant::for_subject(subject.as_deref());
        let key = cache_key(&grant, self.scope.as_deref());
        let request = TokenRequest {
            client_id: self.signer.client_id().to_owned(),
            grant,
            scope: self.scope.clone(),
            timeout: self.timeout,
        };
        either(
            TokenFlow::new(&self.tenant_url, request, self.retry).map(|flow| NativeTokenExchange {
                flow,
                signer: Arc::clone(&self.signer),
                cache: Arc::clone(&self.cache),
                key,
            }),
        )
    }
}

/// One token request in progress: the core's state machine.
#[napi]
pub struct NativeTokenExchange {
    flow: TokenFlow,
    signer: Arc<ClientAssertionSigner>,
    cache: Arc<Mutex<TokenCache>>,
    key: String,
}

#[napi]
impl NativeTokenExchange {
    /// The first step: the request with a newly signed assertion.
    #[napi]
    pub fn begin(&mut self) -> TokenStepParts {
        self.parts(TokenStep::Sign)
    }

    /// The answer to the last request.
    #[napi]
    pub fn receive(&mut self, status: u32, body: String) -> TokenStepParts {
        let response = HttpResponse {
            status: status_code(status),
            headers: Vec::new(),
            body,
        };
        let step = self.flow.receive(&response);
        self.parts(step)
    }

    /// The last request got no answer (`message` says why).
    #[napi]
    pub fn unreachable(&mut self, message: String) -> TokenStepParts {
        let step = self.flow.unreachable(&message);
        self.parts(step)
    }

    /// The wait is over.
    #[napi]
    pub fn waited(&mut self) -> TokenStepParts {
        let step = self.flow.waited();
        self.parts(step)
    }

    fn parts(&mut self, mut step: TokenStep) -> TokenStepParts {
        if step == TokenStep::Sign {
            step = match guarded(|| self.signer.sign()) {
                Ok(assertion) => self.flow.assertion(&assertion),
                Err(error) => {
                    TokenStep::Failed(ClientError::InvalidArgument(error.message().to_owned()))
                }
            };
        }
        let mut parts = TokenStepParts {
            kind: String::new(),
            request: None,
            wait_ms: None,
            token: None,
            failure: None,
        };
        parts.kind = match step {
            // Taken above: the flow asks for one assertion per attempt.
            TokenStep::Sign => "failed",
            TokenStep::Send(request) => {
                parts.request = Some(TokenRequestParts {
                    method: request.method,
                    url: request.url,
                    headers: pair_lists(request.headers),
                    body: String::from_utf8_lossy(&request.body).into_owned(),
                    timeout_ms: milliseconds(request.timeout),
                });
                "send"
            }
            TokenStep::Wait(delay) => {
                parts.wait_ms = Some(milliseconds(delay));
                "wait"
            }
            TokenStep::Done(token) => {
                parts.token = Some(AccessTokenParts::from(&token));
                self.cache
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .put(self.key.clone(), token, now_secs());
                "done"
            }
            TokenStep::Failed(error) => {
                parts.failure = Some(error.into());
                "failed"
            }
        }
        .to_owned();
        parts
    }
}
