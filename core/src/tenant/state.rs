//! What the tenant remembers: sessions, used `jti`s, recent logins. All bounded.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use aws_lc_rs::hmac;

use crate::base64url;
use crate::error::{Error, Result};

/// The most sessions kept at once; the oldest goes first.
pub(crate) const MAX_SESSIONS: usize = 10_000;
/// The most `jti`s remembered at once (expired ones are forgotten first).
pub(crate) const MAX_JTIS: usize = 100_000;

/// A logged-in user's session.
#[derive(Debug, Clone)]
pub(crate) struct Session {
    pub user: User,
    /// The token `GET /api/v1/csrf-token` hands out and non-GET calls must send back.
    pub csrf_token: String,
    /// The value of the `_csrfToken` cookie (Qlik's CSRF secret; the tenant only hands it out).
    pub csrf_cookie: String,
}

/// The user as the token described them.
#[derive(Debug, Clone)]
pub(crate) struct User {
    pub subject: String,
    pub name: String,
    pub email: String,
    pub email_verified: bool,
    pub groups: Vec<String>,
    pub created: i64,
}

pub(crate) struct State {
    cookie_key: hmac::Key,
    sessions: HashMap<String, Session>,
    session_order: VecDeque<String>,
    /// `jti` → the instant after which the token is refused anyway (exp plus tolerance).
    used_jtis: HashMap<String, i64>,
    logins: VecDeque<Instant>,
}

impl State {
    pub fn new() -> Result<Self> {
        let rng = aws_lc_rs::rand::SystemRandom::new();
        let cookie_key = hmac::Key::generate(hmac::HMAC_SHA256, &rng)
            .map_err(|_| Error::internal("the random source failed"))?;
        Ok(State {
            cookie_key,
            sessions: HashMap::new(),
            session_order: VecDeque::new(),
            used_jtis: HashMap::new(),
            logins: VecDeque::new(),
        })
    }

    /// Counts a login attempt; false when over `limit` in the last minute.
    pub fn allow_login(&mut self, limit: Option<u32>) -> bool {
        let Some(limit) = limit else { return true };
        let now = Instant::now();
        while self
            .logins
            .front()
            .is_some_and(|t| now.duration_since(*t) > Duration::from_secs(60))
        {
            self.logins.pop_front();
        }
        if self.logins.len() >= limit as usize {
            return false;
        }
        self.logins.push_back(now);
        true
    }

    /// Records `jti` as used until `forget_after`; false when it was used before.
    pub fn use_jti(&mut self, jti: &str, forget_after: i64, now: i64) -> bool {
        if self.used_jtis.contains_key(jti) {
            return false;
        }
        if self.used_jtis.len() >= MAX_JTIS {
            self.used_jtis.retain(|_, until| *until >= now);
        }
        if self.used_jtis.len() >= MAX_JTIS {
            // Still full of live tokens: refusing a fresh jti is safer than forgetting one
            // that could then be replayed.
            return false;
        }
        self.used_jtis.insert(jti.to_owned(), forget_after);
        true
    }

    /// Creates a session; returns its id (the `eas.sid` cookie) and the session.
    pub fn create_session(&mut self, user: User) -> Result<(String, Session)> {
        let id = random_token(32)?;
        let session = Session {
            user,
            csrf_token: random_token(24)?,
            csrf_cookie: random_token(18)?,
        };
        if self.sessions.len() >= MAX_SESSIONS
            && let Some(oldest) = self.session_order.pop_front()
        {
            self.sessions.remove(&oldest);
        }
        self.sessions.insert(id.clone(), session.clone());
        self.session_order.push_back(id.clone());
        Ok((id, session))
    }

    /// The session of cookie `eas.sid` whose `eas.sid.sig` is right.
    pub fn session(&self, id: Option<&str>, signature: Option<&str>) -> Option<&Session> {
        let (id, signature) = (id?, signature?);
        let expected = self.sign_cookie(crate::qlik::protocol::SESSION_COOKIE, id);
        let matches = aws_lc_rs::constant_time::verify_slices_are_equal(
            expected.as_bytes(),
            signature.as_bytes(),
        )
        .is_ok();
        if matches { self.sessions.get(id) } else { None }
    }

    pub fn session_mut(&mut self, id: &str) -> Option<&mut Session> {
        self.sessions.get_mut(id)
    }

    /// The `.sig` companion of a cookie, as Qlik's signed cookies have.
    pub fn sign_cookie(&self, name: &str, value: &str) -> String {
        let tag = hmac::sign(&self.cookie_key, format!("{name}={value}").as_bytes());
        base64url::encode(&tag.as_ref()[..20])
    }
}

/// `bytes` random bytes in base64url.
pub(crate) fn random_token(bytes: usize) -> Result<String> {
    let mut buf = vec![0u8; bytes];
    aws_lc_rs::rand::fill(&mut buf).map_err(|_| Error::internal("the random source failed"))?;
    Ok(base64url::encode(&buf))
}

/// A trace id in the style of Qlik's: 32 hex digits.
pub(crate) fn trace_id() -> String {
    let mut buf = [0u8; 16];
    if aws_lc_rs::rand::fill(&mut buf).is_err() {
        return "0".repeat(32);
    }
    buf.iter().map(|b| format!("{b:02x}")).collect()
}
