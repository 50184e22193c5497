//! The names of Qlik Cloud's jwt-session protocol: paths, headers, cookies, the login rate
//! limit, and the engine websocket URL. The core's login protocol ([`crate::protocol`], which
//! holds the session clients' defaults, URL checks and messages) and local tenant take them from
//! here, so no path or header name is written twice.

/// `POST` with `Authorization: Bearer <jwt>` trades a token for a session.
pub const LOGIN_PATH: &str = "/login/jwt-session";

/// `GET` with the session cookies answers 204 with the CSRF token in [`CSRF_HEADER`].
pub const CSRF_TOKEN_PATH: &str = "/api/v1/csrf-token";

/// `GET` the logged-in user (the call that shows a session works).
pub const USERS_ME_PATH: &str = "/api/v1/users/me";

/// `POST` creates an identity provider (the body of [`crate::setup::IdentityProviderConfig`]).
pub const IDENTITY_PROVIDERS_PATH: &str = "/api/v1/identity-providers";

/// The engine websocket's path prefix: `wss://<tenant>/app/<appId>`.
pub const ENGINE_PATH_PREFIX: &str = "/app/";

/// The CSRF token's header (on every non-GET REST call) and websocket query parameter.
pub const CSRF_HEADER: &str = "qlik-csrf-token";

/// The web integration id's header (and websocket query parameter), which browsers need.
pub const WEB_INTEGRATION_ID_HEADER: &str = "qlik-web-integration-id";

/// The session cookie.
pub const SESSION_COOKIE: &str = "eas.sid";

/// The session cookie's signature cookie.
pub const SESSION_SIGNATURE_COOKIE: &str = "eas.sid.sig";

/// The CSRF secret cookie.
pub const CSRF_COOKIE: &str = "_csrfToken";

/// The CSRF secret cookie's signature cookie.
pub const CSRF_SIGNATURE_COOKIE: &str = "_csrfToken.sig";

/// The cookies a successful login sets.
pub const SESSION_COOKIES: [&str; 4] = [
    SESSION_COOKIE,
    SESSION_SIGNATURE_COOKIE,
    CSRF_COOKIE,
    CSRF_SIGNATURE_COOKIE,
];

/// Logins Qlik allows per minute on [`LOGIN_PATH`]: sessions are to be reused, not made per
/// request.
pub const LOGINS_PER_MINUTE: u32 = 100;

/// The engine websocket URL of app `app_id` on the tenant at `base_url` (`https://…`, or
/// `http://…` for the local tenant): `wss://<tenant>/app/<appId>?qlik-csrf-token=<token>` (`ws://`
/// for `http://`), plus `qlik-web-integration-id` when given. Open it with the session cookies.
pub fn engine_websocket_url(
    base_url: &str,
    app_id: &str,
    csrf_token: &str,
    web_integration_id: Option<&str>,
) -> String {
    let base = base_url.trim_end_matches('/');
    let ws_base = match base.strip_prefix("https://") {
        Some(rest) => format!("wss://{rest}"),
        None => format!("ws://{}", base.trim_start_matches("http://")),
    };
    let mut url = format!(
        "{ws_base}{ENGINE_PATH_PREFIX}{}?{CSRF_HEADER}={}",
        percent_encode(app_id),
        percent_encode(csrf_token)
    );
    if let Some(id) = web_integration_id {
        url.push_str(&format!(
            "&{WEB_INTEGRATION_ID_HEADER}={}",
            percent_encode(id)
        ));
    }
    url
}

/// `text` with every byte but RFC 3986's unreserved characters percent-encoded.
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::engine_websocket_url;

    #[test]
    fn websocket_urls_follow_the_tenant_scheme() {
        assert_eq!(
            engine_websocket_url("https://acme.eu.qlikcloud.com/", "a b", "t/1", None),
            "wss://acme.eu.qlikcloud.com/app/a%20b?qlik-csrf-token=t%2F1"
        );
        assert_eq!(
            engine_websocket_url("http://127.0.0.1:8080", "app", "t", Some("w+1")),
            "ws://127.0.0.1:8080/app/app?qlik-csrf-token=t&qlik-web-integration-id=w%2B1"
        );
    }
}
