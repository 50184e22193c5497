//! The requests the protocol asks for and the answers it is given, as plain data.

use std::time::Duration;

/// A request for the caller to send, exactly as given: no redirect is followed, and the body is
/// sent as is (empty for a body-less POST).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// The method, upper case.
    pub method: String,
    /// The absolute URL.
    pub url: String,
    /// The headers to set (they replace a caller's headers of the same name).
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
    /// The longest the whole exchange may take; past it, report the failure as unreachable.
    pub timeout: Duration,
}

/// An answer the caller received.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HttpResponse {
    /// The HTTP status.
    pub status: u16,
    /// Every header, one entry per line (each `Set-Cookie` on its own).
    pub headers: Vec<(String, String)>,
    /// The body as text (read as UTF-8, lossily).
    pub body: String,
}

/// The first header of `name` (case-insensitive) among `headers`.
pub fn header_value<'h>(headers: &'h [(String, String)], name: &str) -> Option<&'h str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}
