//! What a session call can fail with.

use std::fmt;

use serde_json::Value as Json;

/// Qlik's answer to a refused request: `{"errors":[{"code","title","detail","status"}],"traceId"}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QlikError {
    /// The HTTP status.
    pub status: u16,
    /// The first error's code, e.g. `INTERNAL-TOKEN-1` (empty when the body had none).
    pub code: String,
    /// The first error's title.
    pub title: String,
    /// The first error's detail, when given.
    pub detail: Option<String>,
    /// The response's `traceId`, for Qlik support.
    pub trace_id: Option<String>,
    /// What the core's checks find wrong with the token, when this answers a login: the reason
    /// Qlik does not give.
    pub hint: Option<String>,
}

impl QlikError {
    /// Reads an error body; a body that is not Qlik's shape still gives the status and the text.
    /// The Node and Python session clients read error bodies with it too.
    pub fn from_response(status: u16, body: &str) -> Self {
        let parsed: Option<Json> = serde_json::from_str(body).ok();
        let first = parsed
            .as_ref()
            .and_then(|b| b.get("errors"))
            .and_then(Json::as_array)
            .and_then(|errors| errors.first());
        let text = |name: &str| {
            first
                .and_then(|e| e.get(name))
                .and_then(Json::as_str)
                .map(str::to_owned)
        };
        let title = text("title").unwrap_or_else(|| {
            let snippet: String = body.chars().take(200).collect();
            if snippet.is_empty() {
                format!("HTTP {status}")
            } else {
                snippet
            }
        });
        QlikError {
            status,
            code: text("code").unwrap_or_default(),
            title,
            detail: text("detail"),
            trace_id: parsed
                .as_ref()
                .and_then(|b| b.get("traceId"))
                .and_then(Json::as_str)
                .map(str::to_owned),
            hint: None,
        }
    }
}

impl fmt::Display for QlikError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP {}", self.status)?;
        if !self.code.is_empty() {
            write!(f, " {}", self.code)?;
        }
        write!(f, ": {}", self.title)?;
        if let Some(detail) = self.detail.as_ref().filter(|d| **d != self.title) {
            write!(f, " ({detail})")?;
        }
        if let Some(trace) = &self.trace_id {
            write!(f, " [traceId {trace}]")?;
        }
        if let Some(hint) = &self.hint {
            write!(f, "\nhint: {hint}")?;
        }
        Ok(())
    }
}

/// Why a session call failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientError {
    /// Qlik (or the local tenant) answered with an error status.
    Qlik(Box<QlikError>),
    /// The tenant could not be reached, or the connection failed.
    Transport(String),
    /// The tenant URL or a path is not usable.
    InvalidUrl(String),
    /// The tenant answered something a Qlik tenant would not (e.g. no CSRF token).
    Protocol(String),
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClientError::Qlik(e) => e.fmt(f),
            ClientError::Transport(m) => write!(f, "could not reach the tenant: {m}"),
            ClientError::InvalidUrl(m) => write!(f, "invalid URL: {m}"),
            ClientError::Protocol(m) => write!(f, "unexpected answer from the tenant: {m}"),
        }
    }
}

impl std::error::Error for ClientError {}
