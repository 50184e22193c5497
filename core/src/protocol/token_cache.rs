//! When an access token is reused and when a new one is asked for: the one cache policy of the
//! Rust, Node and Python OAuth clients. Tokens are kept per grant, user and scope, and reused
//! until [`TOKEN_REFRESH_MARGIN`] before they expire (half their lifetime for a token shorter
//! than twice the margin), so a token handed out still has time to be used.

use std::collections::HashMap;
use std::time::Duration;

use super::oauth::{AccessToken, Grant};

/// How long before its expiry a cached token is replaced by a new one.
pub const TOKEN_REFRESH_MARGIN: Duration = Duration::from_secs(60);

/// The most tokens kept; past it the ones nearest to expiry go first (a server impersonating
/// many users keeps a bounded cache).
pub const MAX_CACHED_TOKENS: usize = 10_000;

/// The cache key of a token: its grant, its user and its scope. Two requests with the same key
/// can share a token; the key holds no secret.
pub fn cache_key(grant: &Grant, scope: Option<&str>) -> String {
    // JSON keeps the parts apart whatever characters a subject or scope holds.
    serde_json::json!([grant.grant_type(), grant.subject(), scope]).to_string()
}

/// Whether `token` may still be handed out at `now_secs`.
pub fn is_fresh(token: &AccessToken, now_secs: i64) -> bool {
    let margin = TOKEN_REFRESH_MARGIN
        .as_secs()
        .min(token.expires_in / 2)
        .try_into()
        .unwrap_or(i64::MAX);
    now_secs < token.expires_at.saturating_sub(margin)
}

/// Access tokens by [`cache_key`]. Not synchronized: each driver guards it its own way.
#[derive(Debug, Default, Clone)]
pub struct TokenCache {
    tokens: HashMap<String, AccessToken>,
}

impl TokenCache {
    /// An empty cache.
    pub fn new() -> Self {
        TokenCache::default()
    }

    /// The token of `key` if it is still [`is_fresh`] at `now_secs`.
    pub fn get(&self, key: &str, now_secs: i64) -> Option<&AccessToken> {
        self.tokens.get(key).filter(|t| is_fresh(t, now_secs))
    }

    /// Keeps `token` under `key`, replacing the one before, and forgets expired tokens when
    /// full.
    pub fn put(&mut self, key: String, token: AccessToken, now_secs: i64) {
        if self.tokens.len() >= MAX_CACHED_TOKENS && !self.tokens.contains_key(&key) {
            self.tokens.retain(|_, t| is_fresh(t, now_secs));
            if self.tokens.len() >= MAX_CACHED_TOKENS
                && let Some(nearest) = self
                    .tokens
                    .iter()
                    .min_by_key(|(_, t)| t.expires_at)
                    .map(|(k, _)| k.clone())
            {
                self.tokens.remove(&nearest);
            }
        }
        self.tokens.insert(key, token);
    }

    /// Forgets the token of `key` (e.g. after the API refused it).
    pub fn remove(&mut self, key: &str) {
        self.tokens.remove(key);
    }

    /// Forgets every token.
    pub fn clear(&mut self) {
        self.tokens.clear();
    }

    /// How many tokens are kept (fresh or not).
    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    /// Whether no token is kept.
    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(expires_in: u64, received_at: i64) -> AccessToken {
        AccessToken {
            access_token: "t".into(),
            token_type: "bearer".into(),
            expires_in,
            expires_at: received_at + expires_in as i64,
            scope: None,
        }
    }

    #[test]
    fn a_token_is_reused_until_the_margin_before_its_expiry() {
        let t = token(3600, 1000);
        assert!(is_fresh(&t, 1000));
        assert!(is_fresh(&t, 4600 - 61));
        assert!(!is_fresh(&t, 4600 - 60));
        assert!(!is_fresh(&t, 5000));
    }

    #[test]
    fn a_short_token_is_reused_for_half_its_lifetime() {
        let t = token(30, 1000);
        assert!(is_fresh(&t, 1014));
        assert!(!is_fresh(&t, 1015));
        assert!(!is_fresh(&token(0, 1000), 1000));
    }

    #[test]
    fn keys_tell_grants_users_and_scopes_apart() {
        let m2m = cache_key(&Grant::ClientCredentials, None);
        let alice = cache_key(&Grant::for_subject(Some("alice")), None);
        let alice_scoped = cache_key(&Grant::for_subject(Some("alice")), Some("user_default"));
        let bob = cache_key(&Grant::for_subject(Some("bob")), None);
        let keys = [&m2m, &alice, &alice_scoped, &bob];
        for (i, a) in keys.iter().enumerate() {
            for b in &keys[i + 1..] {
                assert_ne!(a, b);
            }
        }
        assert_eq!(alice, cache_key(&Grant::for_subject(Some("alice")), None));
        // A subject that looks like a separator does not collide with another key.
        assert_ne!(
            cache_key(&Grant::for_subject(Some("a\",\"b")), None),
            cache_key(&Grant::for_subject(Some("a")), Some("b"))
        );
    }

    #[test]
    fn the_cache_hands_out_fresh_tokens_only_and_stays_bounded() {
        let mut cache = TokenCache::new();
        cache.put("k".into(), token(120, 0), 0);
        assert!(cache.get("k", 59).is_some());
        assert!(cache.get("k", 60).is_none());
        assert!(cache.get("other", 0).is_none());
        cache.remove("k");
        assert!(cache.is_empty());
        for i in 0..MAX_CACHED_TOKENS {
            cache.put(format!("{i}"), token(3600 + i as u64, 0), 0);
        }
        cache.put("new".into(), token(3600, 0), 0);
        assert_eq!(cache.len(), MAX_CACHED_TOKENS);
        assert!(cache.get("new", 0).is_some());
        assert!(
            cache.get("0", 0).is_none(),
            "the one nearest to expiry went"
        );
    }
}
