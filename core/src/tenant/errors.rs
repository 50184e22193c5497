//! Qlik-shaped error answers: `{"errors":[{"code","title","detail","status"}],"traceId"}`.

use serde_json::{Value as Json, json};

use super::http::Response;

/// The error codes the local tenant answers with. Qlik documents `INTERNAL-TOKEN-1`, `LOGIN-2`
/// and `AUTH-5`; Qlik does not document the codes of its other refusals, so those are the
/// tenant's own, all starting with `LOCAL-` so that nobody mistakes them for Qlik's.
pub mod codes {
    /// 400: a required claim is missing (Qlik's code; title `Missing required claim: <name>`).
    pub const MISSING_CLAIM: &str = "INTERNAL-TOKEN-1";
    /// 400: the request reached the tenant under another host name (Qlik's code; the status
    /// is inferred).
    pub const WRONG_HOST: &str = "LOGIN-2";
    /// 403: the token's user is not a member of the tenant (Qlik's code; the status is
    /// inferred).
    pub const NOT_A_MEMBER: &str = "AUTH-5";
    /// 401: no `Authorization: Bearer <jwt>` header.
    pub const NO_TOKEN: &str = "LOCAL-TOKEN-ABSENT";
    /// 401: the token does not decode, its `alg` is `none` or HS*, its `kid` is not the
    /// provider's, or its signature does not verify with the provider's certificate.
    pub const BAD_SIGNATURE: &str = "LOCAL-TOKEN-SIGNATURE";
    /// 400: a claim has the wrong type or is empty.
    pub const BAD_CLAIM: &str = "LOCAL-TOKEN-CLAIM";
    /// 401: a claim has a value Qlik refuses (issuer, audience, subType, the 3600 s window,
    /// expired, not yet valid, groups).
    pub const INVALID_TOKEN: &str = "LOCAL-TOKEN-INVALID";
    /// 401: the token's `jti` was used before.
    pub const REPLAYED: &str = "LOCAL-TOKEN-REPLAYED";
    /// 400: `qlik-web-integration-id` is missing or not the configured one.
    pub const WEB_INTEGRATION: &str = "LOCAL-WEB-INTEGRATION-ID";
    /// 429: over the login rate limit (Qlik documents 100 requests per minute).
    pub const RATE_LIMITED: &str = "LOCAL-RATE-LIMITED";
    /// 401: an API call without a valid session cookie.
    pub const NOT_LOGGED_IN: &str = "LOCAL-NOT-LOGGED-IN";
    /// 403: a non-GET API call without the session's `qlik-csrf-token` header.
    pub const CSRF: &str = "LOCAL-CSRF-TOKEN";
    /// 400: the request is not HTTP this tenant understands, or its body is not what the
    /// endpoint takes.
    pub const BAD_REQUEST: &str = "LOCAL-BAD-REQUEST";
    /// 404 / 405: no such endpoint, or not with this method.
    pub const NOT_FOUND: &str = "LOCAL-NOT-FOUND";
    /// 413 / 431: the request is over the tenant's size limits.
    pub const TOO_LARGE: &str = "LOCAL-TOO-LARGE";
    /// 503: the tenant is at its connection or session limit.
    pub const BUSY: &str = "LOCAL-BUSY";
}

/// One entry of the `errors` array.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorEntry {
    /// Stable code, e.g. `INTERNAL-TOKEN-1`.
    pub code: &'static str,
    /// Short title.
    pub title: String,
    /// What went wrong in detail.
    pub detail: String,
    /// The HTTP status.
    pub status: u16,
}

impl ErrorEntry {
    /// An entry.
    pub fn new(
        status: u16,
        code: &'static str,
        title: impl Into<String>,
        detail: impl Into<String>,
    ) -> Self {
        ErrorEntry {
            code,
            title: title.into(),
            detail: detail.into(),
            status,
        }
    }

    fn to_json(&self) -> Json {
        // `status` is a string in Qlik's error type (`status?: string` in `@qlik/api`).
        json!({
            "code": self.code,
            "title": self.title,
            "detail": self.detail,
            "status": self.status.to_string(),
        })
    }
}

/// The answer for `entries` (the first one sets the HTTP status).
pub(crate) fn error_response(entries: &[ErrorEntry], trace_id: &str) -> Response {
    let status = entries.first().map_or(500, |e| e.status);
    let errors: Vec<Json> = entries.iter().map(ErrorEntry::to_json).collect();
    Response::json(status, &json!({ "errors": errors, "traceId": trace_id }))
}

/// The answer for one error.
pub(crate) fn error(
    status: u16,
    code: &'static str,
    title: &str,
    detail: &str,
    trace_id: &str,
) -> Response {
    error_response(&[ErrorEntry::new(status, code, title, detail)], trace_id)
}
