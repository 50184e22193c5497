//! The OAuth token exchange, sans I/O: a private key JWT (the client assertion) traded at
//! `POST /oauth/token` for an access token, machine to machine (`client_credentials`) or as a
//! user (Qlik's `urn:qlik:oauth:user-impersonation` grant, the user looked up by subject).
//!
//! Each attempt needs a newly signed assertion (its `jti` is accepted once), so the flow starts
//! with [`TokenStep::Sign`] and asks again before every retry the [`RetryPolicy`] allows.

use std::fmt;
use std::time::Duration;

use serde_json::{Value as Json, json};

use super::{BaseUrl, ClientError, HttpRequest, HttpResponse, QlikError, RetryPolicy, now_secs};
use crate::qlik::oauth_protocol::{
    CLIENT_ASSERTION_TYPE, CLIENT_CREDENTIALS_GRANT, OAUTH_TOKEN_PATH, USER_IMPERSONATION_GRANT,
    USER_LOOKUP_SUBJECT,
};

/// Whom an access token acts for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Grant {
    /// The OAuth client itself (machine to machine): `grant_type=client_credentials`.
    ClientCredentials,
    /// The user of this subject: `grant_type=urn:qlik:oauth:user-impersonation` with
    /// `user_lookup: {"field": "subject", "value": <subject>}`.
    Impersonation {
        /// The user's subject in the tenant.
        subject: String,
    },
}

impl Grant {
    /// A grant for `subject` when given (impersonation), else machine to machine.
    pub fn for_subject(subject: Option<&str>) -> Grant {
        match subject {
            Some(subject) => Grant::Impersonation {
                subject: subject.to_owned(),
            },
            None => Grant::ClientCredentials,
        }
    }

    /// The `grant_type` sent.
    pub fn grant_type(&self) -> &'static str {
        match self {
            Grant::ClientCredentials => CLIENT_CREDENTIALS_GRANT,
            Grant::Impersonation { .. } => USER_IMPERSONATION_GRANT,
        }
    }

    /// The impersonated subject, if any.
    pub fn subject(&self) -> Option<&str> {
        match self {
            Grant::ClientCredentials => None,
            Grant::Impersonation { subject } => Some(subject),
        }
    }
}

/// What to ask `POST /oauth/token` for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRequest {
    /// The OAuth client's id (also the assertion's `iss` and `sub`).
    pub client_id: String,
    /// Machine to machine, or a user.
    pub grant: Grant,
    /// The scopes asked for, space-separated (`None`: the client's defaults).
    pub scope: Option<String>,
    /// The longest the call may take.
    pub timeout: Duration,
}

impl TokenRequest {
    /// Checks the fields a request cannot do without, naming the one that is wrong.
    fn check(&self) -> Result<(), ClientError> {
        if self.client_id.trim().is_empty() {
            return Err(ClientError::InvalidArgument(
                "clientId is empty: give the OAuth client's id from the tenant's console".into(),
            ));
        }
        if let Grant::Impersonation { subject } = &self.grant
            && subject.trim().is_empty()
        {
            return Err(ClientError::InvalidArgument(
                "the subject to impersonate is empty: give the user's subject in the tenant".into(),
            ));
        }
        if self.scope.as_deref().is_some_and(|s| s.trim().is_empty()) {
            return Err(ClientError::InvalidArgument(
                "scope is empty: leave it out for the client's defaults, or name scopes such as \
                 user_default"
                    .into(),
            ));
        }
        Ok(())
    }
}

/// An access token of `POST /oauth/token`. Its [`fmt::Debug`] never shows the token.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken {
    /// The token, sent as `Authorization: Bearer <access_token>`.
    pub access_token: String,
    /// The token type Qlik gives (`bearer`).
    pub token_type: String,
    /// Seconds the token was valid for when issued.
    pub expires_in: u64,
    /// When it expires, in seconds since the epoch (the local clock at receipt plus
    /// `expires_in`).
    pub expires_at: i64,
    /// The scopes granted, when the answer names them.
    pub scope: Option<String>,
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessToken")
            .field("access_token", &"<redacted>")
            .field("token_type", &self.token_type)
            .field("expires_in", &self.expires_in)
            .field("expires_at", &self.expires_at)
            .field("scope", &self.scope)
            .finish()
    }
}

impl AccessToken {
    /// Reads a 200 answer received at `now_secs`.
    pub fn from_response(body: &str, now_secs: i64) -> Result<AccessToken, ClientError> {
        let json: Json = serde_json::from_str(body).map_err(|_| {
            ClientError::Protocol(format!("{OAUTH_TOKEN_PATH} answered 200 without JSON"))
        })?;
        let access_token = json
            .get("access_token")
            .and_then(Json::as_str)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| {
                ClientError::Protocol(format!(
                    "{OAUTH_TOKEN_PATH} answered 200 without access_token"
                ))
            })?
            .to_owned();
        // RFC 6749's `expires_in`, or the `expires_at` date-time of Qlik's published schema.
        let expires_in = match json
            .get("expires_in")
            .and_then(Json::as_f64)
            .filter(|s| s.is_finite() && *s >= 0.0)
        {
            Some(seconds) => seconds.floor() as u64,
            None => json
                .get("expires_at")
                .and_then(Json::as_str)
                .and_then(parse_utc_date_time)
                .map(|at| u64::try_from(at.saturating_sub(now_secs)).unwrap_or(0))
                .ok_or_else(|| {
                    ClientError::Protocol(format!(
                        "{OAUTH_TOKEN_PATH} answered 200 without expires_in (seconds) or \
                         expires_at (an ISO 8601 date-time)"
                    ))
                })?,
        };
        Ok(AccessToken {
            access_token,
            token_type: json
                .get("token_type")
                .and_then(Json::as_str)
                .unwrap_or("bearer")
                .to_owned(),
            expires_in,
            expires_at: now_secs.saturating_add(i64::try_from(expires_in).unwrap_or(i64::MAX)),
            scope: json.get("scope").and_then(Json::as_str).map(str::to_owned),
        })
    }

    /// The `Authorization` header value: `Bearer <access_token>`.
    pub fn authorization(&self) -> String {
        format!("Bearer {}", self.access_token)
    }
}

/// Seconds since the epoch of an RFC 3339 date-time such as `2026-12-02T10:17:10.931Z` or
/// `2026-12-02T11:17:10+01:00` (fractions of a second dropped).
fn parse_utc_date_time(text: &str) -> Option<i64> {
    let (date, rest) = text.split_once(['T', 't', ' '])?;
    let mut ymd = date.splitn(3, '-').map(|p| p.parse::<i64>().ok());
    let (year, month, day) = (ymd.next()??, ymd.next()??, ymd.next()??);
    let (clock, offset) = if let Some(clock) = rest.strip_suffix(['Z', 'z']) {
        (clock, 0)
    } else {
        let at = rest.rfind(['+', '-'])?;
        let (clock, zone) = rest.split_at(at);
        let sign = if zone.starts_with('-') { -1 } else { 1 };
        let (h, m) = zone[1..].split_once(':')?;
        (
            clock,
            sign * (h.parse::<i64>().ok()? * 3600 + m.parse::<i64>().ok()? * 60),
        )
    };
    let clock = clock.split('.').next()?;
    let mut hms = clock.splitn(3, ':').map(|p| p.parse::<i64>().ok());
    let (hour, minute, second) = (hms.next()??, hms.next()??, hms.next()??);
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400 + hour * 3600 + minute * 60 + second - offset)
}

/// A refused token request as a [`QlikError`]: Qlik's `{"errors":[...],"traceId"}` shape, or
/// RFC 6749's `{"error","error_description"}` (code and title) when that is what came.
pub fn token_refusal(status: u16, body: &str) -> ClientError {
    let mut error = QlikError::from_response(status, body);
    if error.code.is_empty()
        && let Ok(json) = serde_json::from_str::<Json>(body)
        && let Some(code) = json.get("error").and_then(Json::as_str)
    {
        error.code = code.to_owned();
        error.title = json
            .get("error_description")
            .and_then(Json::as_str)
            .unwrap_or(code)
            .to_owned();
    }
    ClientError::Qlik(Box::new(error))
}

/// What the caller does next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenStep {
    /// Sign a new client assertion for [`TokenFlow::audience`] and give it to
    /// [`TokenFlow::assertion`].
    Sign,
    /// Send this request; give the answer to [`TokenFlow::receive`], or a failure to reach the
    /// tenant (timeout included) to [`TokenFlow::unreachable`].
    Send(HttpRequest),
    /// Wait this long, then call [`TokenFlow::waited`].
    Wait(Duration),
    /// The access token.
    Done(AccessToken),
    /// The request failed for good.
    Failed(ClientError),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    NeedAssertion,
    Asking,
    Waiting,
    Finished,
}

/// One token request, from the first assertion to a token or a final error. The first step is
/// always [`TokenStep::Sign`]: start with [`TokenFlow::assertion`].
#[derive(Debug, Clone)]
pub struct TokenFlow {
    base: BaseUrl,
    request: TokenRequest,
    retry: RetryPolicy,
    failed_attempts: u32,
    phase: Phase,
}

impl TokenFlow {
    /// A token request to the tenant at `tenant_url` (e.g. `https://acme.eu.qlikcloud.com`).
    pub fn new(
        tenant_url: &str,
        request: TokenRequest,
        retry: RetryPolicy,
    ) -> Result<TokenFlow, ClientError> {
        request.check()?;
        Ok(TokenFlow {
            base: BaseUrl::tenant(tenant_url)?,
            request,
            retry,
            failed_attempts: 0,
            phase: Phase::NeedAssertion,
        })
    }

    /// The tenant's base URL.
    pub fn base_url(&self) -> &str {
        self.base.as_str()
    }

    /// The assertion's audience: the token endpoint, `<tenant>/oauth/token`, no trailing slash.
    pub fn audience(&self) -> String {
        format!("{}{OAUTH_TOKEN_PATH}", self.base.as_str())
    }

    /// The request asked for.
    pub fn request(&self) -> &TokenRequest {
        &self.request
    }

    /// The client assertion of this attempt: the token request to send.
    pub fn assertion(&mut self, assertion: &str) -> TokenStep {
        if self.phase != Phase::NeedAssertion {
            return self.out_of_order("an assertion");
        }
        if assertion.trim().is_empty() {
            return self.finish(ClientError::InvalidArgument(
                "the client assertion is empty: sign one with the OAuth client's private key"
                    .into(),
            ));
        }
        let url = match self.base.join(OAUTH_TOKEN_PATH) {
            Ok(url) => url,
            Err(error) => return self.finish(error),
        };
        let mut body = json!({
            "client_id": self.request.client_id,
            "client_assertion_type": CLIENT_ASSERTION_TYPE,
            "client_assertion": assertion,
            "grant_type": self.request.grant.grant_type(),
        });
        if let Grant::Impersonation { subject } = &self.request.grant {
            body["user_lookup"] = json!({ "field": USER_LOOKUP_SUBJECT, "value": subject });
        }
        if let Some(scope) = &self.request.scope {
            body["scope"] = json!(scope);
        }
        self.phase = Phase::Asking;
        TokenStep::Send(HttpRequest {
            method: "POST".into(),
            url: url.to_string(),
            headers: vec![
                ("Content-Type".into(), "application/json".into()),
                ("Accept".into(), "application/json".into()),
            ],
            body: body.to_string().into_bytes(),
            timeout: self.request.timeout,
        })
    }

    /// The answer to the request of the last [`TokenStep::Send`].
    pub fn receive(&mut self, response: &HttpResponse) -> TokenStep {
        if self.phase != Phase::Asking {
            return self.out_of_order("an answer");
        }
        if !(200..300).contains(&response.status) {
            return self.fail(token_refusal(response.status, &response.body));
        }
        match AccessToken::from_response(&response.body, now_secs()) {
            Ok(token) => {
                self.phase = Phase::Finished;
                TokenStep::Done(token)
            }
            Err(error) => self.finish(error),
        }
    }

    /// The request of the last [`TokenStep::Send`] did not get an answer (`message` says why).
    pub fn unreachable(&mut self, message: &str) -> TokenStep {
        if self.phase != Phase::Asking {
            return self.out_of_order("a transport failure");
        }
        self.fail(ClientError::Transport(message.to_owned()))
    }

    /// The wait of the last [`TokenStep::Wait`] is over: sign the next attempt's assertion.
    pub fn waited(&mut self) -> TokenStep {
        if self.phase != Phase::Waiting {
            return self.out_of_order("the end of a wait");
        }
        self.phase = Phase::NeedAssertion;
        TokenStep::Sign
    }

    fn fail(&mut self, error: ClientError) -> TokenStep {
        self.failed_attempts = self.failed_attempts.saturating_add(1);
        match self.retry.delay_after(self.failed_attempts, &error) {
            Some(delay) => {
                self.phase = Phase::Waiting;
                TokenStep::Wait(delay)
            }
            None => self.finish(error),
        }
    }

    fn finish(&mut self, error: ClientError) -> TokenStep {
        self.phase = Phase::Finished;
        TokenStep::Failed(error)
    }

    fn out_of_order(&self, given: &str) -> TokenStep {
        let expected = match self.phase {
            Phase::NeedAssertion => "an assertion",
            Phase::Asking => "an answer",
            Phase::Waiting => "the end of a wait",
            Phase::Finished => "nothing (the request is over)",
        };
        TokenStep::Failed(ClientError::InvalidArgument(format!(
            "the token flow was given {given} while it expected {expected}"
        )))
    }
}

#[cfg(test)]
#[path = "oauth_tests.rs"]
mod tests;
