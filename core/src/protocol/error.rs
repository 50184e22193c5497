//! What a login or a session call can fail with, and the reading of Qlik's error bodies.

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
    /// Reads an error body; a body that is not Qlik's shape still gives the status and the text
    /// (its first 200 characters).
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

/// Why a login or a session call failed. Each kind has a stable [`ClientError::code`], which the
/// Node and Python clients map to their own errors in one place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientError {
    /// Qlik (or the local tenant) answered with an error status.
    Qlik(Box<QlikError>),
    /// The tenant could not be reached, or the connection failed (the transport's words).
    Transport(String),
    /// The tenant URL or a path is not usable.
    InvalidUrl(String),
    /// An argument other than a URL is not usable (an empty token, a method that is not one).
    InvalidArgument(String),
    /// The tenant answered something a Qlik tenant would not (e.g. no CSRF token).
    Protocol(String),
}

impl ClientError {
    /// The stable code of this kind of failure.
    pub fn code(&self) -> &'static str {
        match self {
            ClientError::Qlik(_) => "ERR_QLIK_REFUSED",
            ClientError::Transport(_) => "ERR_UNREACHABLE",
            ClientError::InvalidUrl(_) => "ERR_INVALID_URL",
            ClientError::InvalidArgument(_) => "ERR_INVALID_ARGUMENT",
            ClientError::Protocol(_) => "ERR_PROTOCOL",
        }
    }
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClientError::Qlik(e) => e.fmt(f),
            ClientError::Transport(m) => write!(f, "could not reach the tenant: {m}"),
            ClientError::InvalidUrl(m) => write!(f, "invalid URL: {m}"),
            ClientError::InvalidArgument(m) => f.write_str(m),
            ClientError::Protocol(m) => write!(f, "unexpected answer from the tenant: {m}"),
        }
    }
}

impl std::error::Error for ClientError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qlik_error_bodies_give_every_field() {
        let body = r#"{"errors":[{"code":"INTERNAL-TOKEN-1","title":"Missing required claim: nbf","detail":"nbf","status":"400"},{"code":"OTHER","title":"second"}],"traceId":"0123abcd"}"#;
        let error = QlikError::from_response(400, body);
        assert_eq!(error.status, 400);
        assert_eq!(error.code, "INTERNAL-TOKEN-1");
        assert_eq!(error.title, "Missing required claim: nbf");
        assert_eq!(error.detail.as_deref(), Some("nbf"));
        assert_eq!(error.trace_id.as_deref(), Some("0123abcd"));
        assert_eq!(
            error.to_string(),
            "HTTP 400 INTERNAL-TOKEN-1: Missing required claim: nbf (nbf) [traceId 0123abcd]"
        );
    }

    #[test]
    fn other_bodies_keep_status_and_text() {
        let text = QlikError::from_response(502, "upstream 42");
        assert_eq!(
            (text.code.as_str(), text.title.as_str()),
            ("", "upstream 42")
        );
        assert_eq!(text.to_string(), "HTTP 502: upstream 42");
        let empty = QlikError::from_response(503, "");
        assert_eq!(empty.title, "HTTP 503");
        let long = QlikError::from_response(500, &"é".repeat(500));
        assert_eq!(long.title.chars().count(), 200);
        // JSON of another shape: the text, not a guess at fields.
        let other = QlikError::from_response(404, r#"{"message":"nope"}"#);
        assert_eq!(other.title, r#"{"message":"nope"}"#);
        assert_eq!(other.trace_id, None);
        let no_errors = QlikError::from_response(500, r#"{"errors":[],"traceId":"t"}"#);
        assert_eq!(no_errors.trace_id.as_deref(), Some("t"));
    }

    #[test]
    fn a_detail_equal_to_the_title_and_a_hint_read_well() {
        let mut error = QlikError::from_response(
            401,
            r#"{"errors":[{"code":"C","title":"same","detail":"same"}]}"#,
        );
        error.hint = Some("QLIK_EXPIRED: expired".into());
        assert_eq!(
            error.to_string(),
            "HTTP 401 C: same\nhint: QLIK_EXPIRED: expired"
        );
    }

    #[test]
    fn every_kind_has_its_code() {
        let kinds = [
            ClientError::Qlik(Box::new(QlikError::from_response(500, ""))),
            ClientError::Transport("refused".into()),
            ClientError::InvalidUrl("x".into()),
            ClientError::InvalidArgument("y".into()),
            ClientError::Protocol("z".into()),
        ];
        let codes: Vec<&str> = kinds.iter().map(ClientError::code).collect();
        assert_eq!(
            codes,
            [
                "ERR_QLIK_REFUSED",
                "ERR_UNREACHABLE",
                "ERR_INVALID_URL",
                "ERR_INVALID_ARGUMENT",
                "ERR_PROTOCOL"
            ]
        );
    }
}
