//! The reading of a client-managed virtual proxy's refusals: Qlik's answer, plus the hint that
//! says what it most likely means (the proxy's own bodies say little).

use super::{ClientError, QlikError};
use crate::qlik::Severity;
use crate::qlik::client_managed::proxy_protocol::{CSRF_TOKEN_PATH, MAX_PARALLEL_SESSIONS};
use crate::qlik::client_managed::{VirtualProxySettings, codes, explain_client_managed};

/// The hint code of a refusal past the user's parallel session limit.
pub const SESSION_LIMIT: &str = "QSE_SESSION_LIMIT";
/// The hint code of a token the proxy refused for a reason the token alone does not show.
pub const TOKEN_REFUSED: &str = "QSE_TOKEN_REFUSED";
/// The hint code of a 400 "header is incorrect": the virtual proxy is not linked to a proxy.
pub const PROXY_NOT_LINKED: &str = "QSE_PROXY_NOT_LINKED";
/// The hint code of another 403: the host is not in the virtual proxy's allow list.
pub const HOST_NOT_ALLOWED: &str = "QSE_HOST_NOT_ALLOWED";

/// The problems of `explain_client_managed` that need none of the proxy's settings: they hold
/// whatever the attribute names and certificate are.
const SETTINGS_FREE: [&str; 5] = [
    codes::MALFORMED_TOKEN,
    codes::ALG_NOT_ALLOWED,
    codes::EXPIRED,
    codes::NOT_YET_VALID,
    codes::TIME_NOT_NUMBER,
];

/// What the core's client-managed checks find wrong with `token` on its own at `now_secs`
/// (malformed, an algorithm other than RS256/384/512, expired, not yet valid) as `CODE: message`
/// entries joined by `; `; `None` when the token alone explains nothing (attribute names, the
/// audience and the signature need the proxy's settings: `qlik-jwt explain --profile
/// client-managed`).
pub fn client_managed_login_hint(token: &str, now_secs: i64) -> Option<String> {
    // Attribute names that no token uses: their problems are filtered out below anyway.
    let unknown = VirtualProxySettings::new("\u{0}user", "\u{0}directory");
    let errors: Vec<String> = explain_client_managed(token, &unknown, None, now_secs)
        .into_iter()
        .filter(|p| p.severity == Severity::Error && SETTINGS_FREE.contains(&p.code))
        .map(|p| format!("{}: {}", p.code, p.message))
        .collect();
    (!errors.is_empty()).then(|| errors.join("; "))
}

/// The error of a refused call to the proxy, from its status and body; `token` is the login's
/// token when the refusal answers the login.
pub(crate) fn proxy_refusal(status: u16, body: &str, token: Option<&str>, now: i64) -> ClientError {
    let mut error = QlikError::from_response(status, body);
    error.hint = hint(status, body, token, now);
    ClientError::Qlik(Box::new(error))
}

fn hint(status: u16, body: &str, token: Option<&str>, now: i64) -> Option<String> {
    let lower = body.to_ascii_lowercase();
    // "OnMaxParallelSessionsExceeded", "max parallel sessions", "too many sessions", ...
    let squeezed: String = lower.chars().filter(char::is_ascii_alphanumeric).collect();
    let session_limit = ["parallelsession", "toomanysessions"]
        .iter()
        .any(|words| squeezed.contains(words));
    match status {
        403 | 429 if session_limit => Some(format!(
            "{SESSION_LIMIT}: the user holds too many proxy sessions: a user may hold \
             {MAX_PARALLEL_SESSIONS} parallel sessions by default, and each Bearer call to \
             {CSRF_TOKEN_PATH} opens one; reuse one session for every call and websocket instead \
             of logging in again, and let old sessions end (log out, or wait for the session \
             inactivity timeout)"
        )),
        401 => Some(token.and_then(|t| client_managed_login_hint(t, now)).unwrap_or_else(|| {
            format!(
                "{TOKEN_REFUSED}: the proxy refused the token; the token alone shows nothing \
                 wrong, so check it against the virtual proxy's settings (attribute names with \
                 their case, audience, certificate) with `qlik-jwt explain --profile \
                 client-managed`"
            )
        })),
        400 if lower.contains("header is incorrect") => Some(format!(
            "{PROXY_NOT_LINKED}: the virtual proxy is not linked to a proxy service (QMC: \
             Virtual proxies, Associated items: Proxies)"
        )),
        403 => Some(format!(
            "{HOST_NOT_ALLOWED}: the proxy refused the call: is this host in the virtual \
             proxy's host allow list?"
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hint_of(error: ClientError) -> String {
        match error {
            ClientError::Qlik(e) => e.hint.unwrap_or_default(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_session_limit_refusal_explains_the_limit() {
        for body in [
            "OnMaxParallelSessionsExceeded",
            "Too many sessions for this user",
            r#"{"errors":[{"code":"LOCAL-MAX-PARALLEL-SESSIONS","title":"Access denied"}]}"#,
            r#"{"errors":[{"title":"max parallel sessions reached"}]}"#,
        ] {
            let hint = hint_of(proxy_refusal(403, body, None, 0));
            assert!(hint.starts_with(SESSION_LIMIT), "{hint}");
            assert!(hint.contains("5 parallel sessions"), "{hint}");
        }
        assert!(hint_of(proxy_refusal(403, "forbidden", None, 0)).starts_with(HOST_NOT_ALLOWED));
        assert!(
            hint_of(proxy_refusal(400, "The header is incorrect", None, 0))
                .starts_with(PROXY_NOT_LINKED)
        );
        assert!(
            matches!(proxy_refusal(500, "", None, 0), ClientError::Qlik(e) if e.hint.is_none())
        );
    }

    #[test]
    fn a_refused_token_is_explained_by_what_it_shows_alone() {
        let b64 = |json: &str| crate::base64url::encode(json.as_bytes());
        let token = |alg: &str, payload: &str| {
            format!(
                "{}.{}.c2ln",
                b64(&format!(r#"{{"alg":"{alg}"}}"#)),
                b64(payload)
            )
        };
        let expired = token("RS256", r#"{"userId":"u","userDirectory":"d","exp":100}"#);
        let hint = hint_of(proxy_refusal(401, "", Some(&expired), 1_000));
        assert!(hint.starts_with(codes::EXPIRED), "{hint}");
        let hs = token("HS256", r#"{"exp":5000}"#);
        let hint = hint_of(proxy_refusal(401, "", Some(&hs), 1_000));
        assert!(
            hint.starts_with(codes::ALG_NOT_ALLOWED) && !hint.contains("ATTRIBUTE"),
            "{hint}"
        );
        let fine = token("RS256", r#"{"anything":"x","exp":5000}"#);
        assert!(hint_of(proxy_refusal(401, "", Some(&fine), 1_000)).starts_with(TOKEN_REFUSED));
        assert_eq!(client_managed_login_hint(&fine, 1_000), None);
        assert!(
            client_managed_login_hint("x", 0)
                .unwrap()
                .starts_with(codes::MALFORMED_TOKEN)
        );
    }
}
