//! The names of a client-managed JWT virtual proxy's session protocol: the paths, headers, query
//! parameters and cookie conventions that the core's client-managed login
//! (`crate::protocol::ClientManagedLogin`) uses, so no name is written twice.
//!
//! Sources: help.qlik.com, "Virtual proxies" (the session cookie header name and its `-HTTP`
//! suffix), "Using Xrfkey headers" (QRS and QPS APIs); qlik-oss/enigma.js
//! `examples/authentication/sense-using-jwt` (the CSRF token of `/qps/csrftoken`, passed as the
//! websocket's `qlik-csrf-token` query parameter).

/// `GET <prefix>/qps/csrftoken` with `Authorization: Bearer <jwt>` opens a proxy session (the
/// answer sets the session cookie) and answers the CSRF token in [`CSRF_HEADER`].
pub const CSRF_TOKEN_PATH: &str = "/qps/csrftoken";

/// The CSRF token's response header, and the engine websocket's query parameter that carries it.
pub const CSRF_HEADER: &str = "qlik-csrf-token";

/// The Qlik Sense Repository Service's paths under the prefix: each call needs an xrfkey.
pub const QRS_PATH_PREFIX: &str = "/qrs/";

/// The xrfkey's query parameter on a QRS call.
pub const XRFKEY_PARAMETER: &str = "xrfkey";

/// The xrfkey's header on a QRS call: the same characters as [`XRFKEY_PARAMETER`].
pub const XRFKEY_HEADER: &str = "X-Qlik-Xrfkey";

/// The length of an xrfkey (characters `0-9`, `a-z`, `A-Z`).
pub const XRFKEY_LENGTH: usize = 16;

/// The engine websocket's path under the prefix: `wss://<host>/<prefix>/app/<appId>`.
pub const ENGINE_PATH_PREFIX: &str = "/app/";

/// The session cookie's name by convention is this followed by the prefix; each proxy may name
/// it otherwise (its "session cookie header name").
pub const SESSION_COOKIE_PREFIX: &str = "X-Qlik-Session";

/// Appended to the session cookie's name when the proxy is reached over plain http.
pub const HTTP_COOKIE_SUFFIX: &str = "-HTTP";

/// The parallel proxy sessions a user may hold by default; past it the proxy refuses
/// (`OnMaxParallelSessionsExceeded`).
pub const MAX_PARALLEL_SESSIONS: u32 = 5;

/// The conventional session cookie name of the virtual proxy `prefix`:
/// `X-Qlik-Session-<prefix>`, with `-HTTP` appended over plain http.
pub fn conventional_session_cookie(prefix: &str, over_https: bool) -> String {
    let suffix = if over_https { "" } else { HTTP_COOKIE_SUFFIX };
    format!("{SESSION_COOKIE_PREFIX}-{prefix}{suffix}")
}

#[cfg(test)]
mod tests {
    use super::conventional_session_cookie;

    #[test]
    fn the_cookie_convention_appends_http_over_plain_http() {
        assert_eq!(
            conventional_session_cookie("jwt", true),
            "X-Qlik-Session-jwt"
        );
        assert_eq!(
            conventional_session_cookie("jwt", false),
            "X-Qlik-Session-jwt-HTTP"
        );
    }
}
