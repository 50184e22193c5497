//! OAuth access tokens on `ureq`: the core's token flow ([`crate::protocol::TokenFlow`]) carried
//! out, and the core's cache policy ([`crate::protocol::TokenCache`]) kept behind a lock, one
//! request at a time per cache key, so threads asking for the same token share one request.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use super::drive::drive as drive_flow;
use super::transport::agent;
use crate::protocol::{
    AccessToken, ClientError, DEFAULT_TIMEOUT, Grant, RetryPolicy, TokenCache, TokenFlow,
    TokenRequest, TokenStep, cache_key, now_secs,
};
use crate::qlik::oauth::ClientAssertionSigner;
use crate::qlik::oauth_protocol::OAUTH_TOKEN_PATH;

/// Asks the tenant at `tenant_url` for an access token once (no cache): `sign` makes a new
/// client assertion for the given audience (`<tenant>/oauth/token`) for each attempt, retried
/// as `retry` says. An error of `sign` ends the request.
pub fn request_access_token(
    tenant_url: &str,
    request: TokenRequest,
    retry: RetryPolicy,
    mut sign: impl FnMut(&str) -> Result<String, ClientError>,
) -> Result<AccessToken, ClientError> {
    drive(&agent(), tenant_url, request, retry, &mut sign)
}

fn drive(
    agent: &ureq::Agent,
    tenant_url: &str,
    request: TokenRequest,
    retry: RetryPolicy,
    sign: &mut dyn FnMut(&str) -> Result<String, ClientError>,
) -> Result<AccessToken, ClientError> {
    let mut flow = TokenFlow::new(tenant_url, request, retry)?;
    drive_flow(agent, &mut flow, TokenStep::Sign, |flow| {
        let audience = flow.audience();
        Ok(flow.assertion(&sign(&audience)?))
    })
}

/// Signs a client assertion for an audience.
pub type AssertionSigner = dyn Fn(&str) -> Result<String, ClientError> + Send + Sync;

/// An OAuth client of one tenant: tokens machine to machine ([`OAuthClient::access_token`]) and
/// as users ([`OAuthClient::impersonate`]), cached per grant, user and scope until
/// [`crate::protocol::TOKEN_REFRESH_MARGIN`] before they expire. Threads asking for the same
/// token at once share one request. Share it between threads by reference or in an `Arc`.
pub struct OAuthClient {
    tenant_url: String,
    client_id: String,
    scope: Option<String>,
    retry: RetryPolicy,
    timeout: Duration,
    sign: Box<AssertionSigner>,
    agent: ureq::Agent,
    cache: Mutex<TokenCache>,
    in_flight: Mutex<HashMap<String, Arc<Mutex<()>>>>,
}

impl std::fmt::Debug for OAuthClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OAuthClient")
            .field("tenant_url", &self.tenant_url)
            .field("client_id", &self.client_id)
            .field("scope", &self.scope)
            .finish_non_exhaustive()
    }
}

impl OAuthClient {
    /// A client of the tenant at `tenant_url` with OAuth client id `client_id`; `sign` makes a
    /// fresh client assertion for an audience (the `ClientAssertionSigner` of the OAuth client's
    /// key). Default scope: the client's; default retries: [`RetryPolicy::default`].
    pub fn new(
        tenant_url: &str,
        client_id: &str,
        sign: impl Fn(&str) -> Result<String, ClientError> + Send + Sync + 'static,
    ) -> Result<OAuthClient, ClientError> {
        // Checked now, so that a wrong URL or id fails here rather than at the first call.
        TokenFlow::new(
            tenant_url,
            Self::request_of(client_id, None, None, DEFAULT_TIMEOUT),
            RetryPolicy::none(),
        )?;
        Ok(OAuthClient {
            tenant_url: tenant_url.to_owned(),
            client_id: client_id.to_owned(),
            scope: None,
            retry: RetryPolicy::default(),
            timeout: DEFAULT_TIMEOUT,
            sign: Box::new(sign),
            agent: agent(),
            cache: Mutex::new(TokenCache::new()),
            in_flight: Mutex::new(HashMap::new()),
        })
    }

    /// A client whose assertions `signer` makes (its client id and tenant URL are the
    /// client's).
    pub fn from_signer(signer: ClientAssertionSigner) -> Result<OAuthClient, ClientError> {
        let audience = signer.audience().to_owned();
        let tenant_url = audience
            .strip_suffix(OAUTH_TOKEN_PATH)
            .unwrap_or(&audience)
            .to_owned();
        let client_id = signer.client_id().to_owned();
        OAuthClient::new(&tenant_url, &client_id, move |wanted| {
            if wanted != audience {
                return Err(ClientError::InvalidArgument(format!(
                    "the signer's audience {audience} is not the token endpoint {wanted}"
                )));
            }
            signer
                .sign()
                .map_err(|e| ClientError::InvalidArgument(e.message().to_owned()))
        })
    }

    /// Asks for `scope` (space-separated) instead of the client's default scopes.
    pub fn with_scope(mut self, scope: impl Into<String>) -> Self {
        self.scope = Some(scope.into());
        self
    }

    /// Retries as `retry` says.
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// The longest one token request may take.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    fn request_of(
        client_id: &str,
        grant: Option<Grant>,
        scope: Option<String>,
        timeout: Duration,
    ) -> TokenRequest {
        TokenRequest {
            client_id: client_id.to_owned(),
            grant: grant.unwrap_or(Grant::ClientCredentials),
            scope,
            timeout,
        }
    }

    /// A machine-to-machine token (`client_credentials`), from the cache while fresh.
    pub fn access_token(&self) -> Result<AccessToken, ClientError> {
        self.token_for(Grant::ClientCredentials)
    }

    /// A token acting as the user of `subject` (Qlik's user-impersonation grant), from the
    /// cache while fresh.
    pub fn impersonate(&self, subject: &str) -> Result<AccessToken, ClientError> {
        self.token_for(Grant::Impersonation {
            subject: subject.to_owned(),
        })
    }

    /// A token for `grant`, from the cache while fresh; one request per key at a time.
    pub fn token_for(&self, grant: Grant) -> Result<AccessToken, ClientError> {
        let key = cache_key(&grant, self.scope.as_deref());
        if let Some(token) = self.cached(&key) {
            return Ok(token);
        }
        let gate = Arc::clone(
            self.in_flight
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .entry(key.clone())
                .or_default(),
        );
        let result = self.fetch_once(&gate, &key, grant);
        // A gate lives while someone holds it, so a server impersonating many users keeps no
        // gate per user. Clones are made under the map's lock only, so the count is exact.
        let mut gates = self
            .in_flight
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if Arc::strong_count(&gate) == 2 {
            gates.remove(&key);
        }
        result
    }

    fn fetch_once(
        &self,
        gate: &Mutex<()>,
        key: &str,
        grant: Grant,
    ) -> Result<AccessToken, ClientError> {
        let _one_at_a_time = gate.lock().unwrap_or_else(PoisonError::into_inner);
        // Whoever held the gate before may have fetched it.
        if let Some(token) = self.cached(key) {
            return Ok(token);
        }
        let request = Self::request_of(
            &self.client_id,
            Some(grant),
            self.scope.clone(),
            self.timeout,
        );
        let token = drive(
            &self.agent,
            &self.tenant_url,
            request,
            self.retry,
            &mut |aud| (self.sign)(aud),
        )?;
        self.cache
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .put(key.to_owned(), token.clone(), now_secs());
        Ok(token)
    }

    /// Forgets every cached token (e.g. after an API call refused one).
    pub fn clear_cache(&self) {
        self.cache
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }

    fn cached(&self, key: &str) -> Option<AccessToken> {
        self.cache
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(key, now_secs())
            .cloned()
    }
}
