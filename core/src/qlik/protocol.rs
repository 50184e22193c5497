//! The names of Qlik Cloud's jwt-session protocol: paths, headers, cookies, the login rate
//! limit, and the engine websocket URL. The core's client and local tenant and the Node and
//! Python session clients all take them from here, so no path or header name is written twice.

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

/// Seconds a session client waits for one answer, by default.
pub const DEFAULT_TIMEOUT_SECS: u64 = 30;

/// Refusals of a login that a retry can cure (the rate limit, a gateway in trouble); any
/// other refusal would repeat.
pub const RETRIED_STATUSES: [u16; 4] = [429, 502, 503, 504];

/// Retries of a login after the first attempt, by default; each signs a new token, since a
/// `jti` is accepted once.
pub const DEFAULT_LOGIN_RETRIES: u32 = 2;

/// Milliseconds before the first retry of a login, by default; each further one waits twice
/// as long.
pub const DEFAULT_RETRY_DELAY_MS: u64 = 1000;

/// The wait before retry `retry` of a login (0 for the first), from the first wait (in any
/// unit): it doubles each time, up to 1024 times the first.
pub fn retry_wait(first_wait: f64, retry: u32) -> f64 {
    first_wait * f64::from(1u32 << retry.min(10))
}

/// The tenant's address as the session clients use it (`https://acme.eu.qlikcloud.com`, or
/// `http://` for a local tenant), from what the user gave: surrounding spaces and a trailing
/// `/` are dropped. Anything else than a scheme and a host (and port) is refused with a
/// message saying what to give.
pub fn tenant_origin(tenant_url: &str) -> Result<String, String> {
    let trimmed = tenant_url.trim().trim_end_matches('/');
    let Some(host) = trimmed
        .strip_prefix("https://")
        .or_else(|| trimmed.strip_prefix("http://"))
    else {
        return Err(format!(
            "the tenant URL {tenant_url:?} is not an https:// (or http://) URL, e.g. \
             https://acme.eu.qlikcloud.com"
        ));
    };
    if host.is_empty() || host.contains(['/', '?', '#', ' ', '@']) {
        return Err(format!(
            "the tenant URL {tenant_url:?} should be the tenant's address alone, e.g. \
             https://acme.eu.qlikcloud.com"
        ));
    }
    Ok(trimmed.to_owned())
}

/// What is wrong with the path of a REST call, which is relative to the tenant's address.
pub fn check_path(path: &str) -> Result<(), String> {
    if path.starts_with('/') {
        Ok(())
    } else {
        Err(format!(
            "the path {path:?} must start with /, e.g. {USERS_ME_PATH}"
        ))
    }
}

/// What is wrong with the token handed to a login, or nothing.
pub fn check_login_token(token: &str) -> Result<(), String> {
    if token.trim().is_empty() {
        Err("the token is empty: a login needs a signed Qlik JWT".into())
    } else {
        Ok(())
    }
}

/// What a session client says when a login answered `status` without session cookies.
pub fn no_session_cookies(status: u16) -> String {
    format!("{LOGIN_PATH} answered {status} but set no session cookies")
}

/// What a session client says when the CSRF call answered without the token.
pub fn no_csrf_token() -> String {
    format!("GET {CSRF_TOKEN_PATH} gave no {CSRF_HEADER} header")
}

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
    use super::*;

    #[test]
    fn a_tenant_url_is_its_origin_or_a_message() {
        for (given, origin) in [
            (
                "https://acme.eu.qlikcloud.com",
                "https://acme.eu.qlikcloud.com",
            ),
            (
                " https://acme.eu.qlikcloud.com/ ",
                "https://acme.eu.qlikcloud.com",
            ),
            ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
        ] {
            assert_eq!(tenant_origin(given).as_deref(), Ok(origin));
        }
        for (given, says) in [
            (
                "acme.eu.qlikcloud.com",
                "is not an https:// (or http://) URL",
            ),
            ("ftp://acme", "is not an https:// (or http://) URL"),
            ("https://", "is not an https:// (or http://) URL"),
            ("https:///acme", "the tenant's address alone"),
            ("https://acme.com/login", "the tenant's address alone"),
            ("https://acme.com?x=1", "the tenant's address alone"),
            ("https://user@acme.com", "the tenant's address alone"),
        ] {
            let message = tenant_origin(given).unwrap_err();
            assert!(message.contains(says), "{message}");
        }
        let waits: Vec<f64> = (0..3).map(|retry| retry_wait(1000.0, retry)).collect();
        assert_eq!(waits, [1000.0, 2000.0, 4000.0]);
        assert_eq!(retry_wait(0.5, 40), 512.0);
        assert!(check_login_token("a.b.c").is_ok());
        assert!(
            check_login_token(" ")
                .unwrap_err()
                .contains("a signed Qlik JWT")
        );
        assert!(check_path("/api/v1/users/me").is_ok());
        assert!(
            check_path("api/v1")
                .unwrap_err()
                .contains("must start with /")
        );
        assert!(RETRIED_STATUSES.contains(&429) && !RETRIED_STATUSES.contains(&401));
    }

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
