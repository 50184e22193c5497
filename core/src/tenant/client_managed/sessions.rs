//! The proxy's sessions: one per good Bearer request, counted per user. Bounded.

use std::collections::HashMap;

use serde_json::Value as Json;

use crate::error::Result;
use crate::tenant::state::{MAX_SESSIONS, random_token};

/// A proxy session.
#[derive(Debug, Clone)]
pub(crate) struct ProxySession {
    pub user_directory: String,
    pub user_id: String,
    /// The attribute map's attributes the token carried, by their Sense names.
    pub attributes: Vec<(String, Json)>,
    /// The token `GET /qps/csrftoken` hands out and the websocket must carry.
    pub csrf_token: String,
}

/// Why a session was not opened.
#[derive(Debug)]
pub(crate) enum OpenRefused {
    /// The user holds this many sessions already.
    TooManyForUser(usize),
    /// The tenant holds [`MAX_SESSIONS`].
    Full,
}

#[derive(Default)]
pub(crate) struct Sessions {
    by_id: HashMap<String, ProxySession>,
}

impl Sessions {
    /// Opens a session for `session`'s user unless they hold `max_per_user` already; returns
    /// its id (the cookie's value).
    pub fn open(
        &mut self,
        session: ProxySession,
        max_per_user: u32,
    ) -> Result<std::result::Result<String, OpenRefused>> {
        let held = self
            .by_id
            .values()
            .filter(|s| s.user_directory == session.user_directory && s.user_id == session.user_id)
            .count();
        if held >= max_per_user as usize {
            return Ok(Err(OpenRefused::TooManyForUser(held)));
        }
        if self.by_id.len() >= MAX_SESSIONS {
            return Ok(Err(OpenRefused::Full));
        }
        let id = random_token(24)?;
        self.by_id.insert(id.clone(), session);
        Ok(Ok(id))
    }

    /// The session of cookie value `id`.
    pub fn get(&self, id: Option<&str>) -> Option<&ProxySession> {
        self.by_id.get(id?)
    }
}
