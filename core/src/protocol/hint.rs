//! The reason behind a refused login that Qlik's answer does not give.

use std::time::{SystemTime, UNIX_EPOCH};

use crate::qlik::{IdentityProvider, Severity, explain};

/// What the core's checks find wrong with `token` on its own, without the identity provider's
/// settings (missing or mistyped claims, the audience, the window, expiry at `now_secs`), as
/// `CODE: message` entries joined by `; `; `None` when the token alone explains nothing (a bad
/// signature, an unknown `kid` or a replayed `jti` need the tenant's side). The Rust, Node and
/// Python clients attach it to a refused login as `hint`.
pub fn login_hint(token: &str, now_secs: i64) -> Option<String> {
    let problems = explain(token, &IdentityProvider::default(), now_secs);
    let errors: Vec<String> = problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .map(|p| format!("{}: {}", p.code, p.message))
        .collect();
    if errors.is_empty() {
        None
    } else {
        Some(errors.join("; "))
    }
}

/// Now, in whole seconds since the epoch.
pub(crate) fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}
