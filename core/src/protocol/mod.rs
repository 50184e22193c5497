//! The login protocol, sans I/O: one state machine that the Rust (`ureq`), Node (`fetch`) and
//! Python (`urllib`) session clients drive, so each of them only moves bytes.
//!
//! A caller asks the machine what to do next and reports what happened:
//! [`LoginFlow`] answers with a [`LoginStep`]: sign a fresh token, send an [`HttpRequest`], wait
//! (the retry policy's backoff, as data), or the result: a [`SessionState`] or a [`ClientError`]
//! with a stable code. A [`SessionState`] then prepares every REST call (cookies, CSRF header,
//! web integration id, timeout) and judges its answer.
//!
//! What lives here and nowhere else:
//! - URL validation ([`BaseUrl`]): an `http(s)://` tenant address, paths joined on it.
//! - Cookie-jar semantics ([`CookieJar`]): `Path`, `Domain`, `Expires`/`Max-Age` (`Max-Age=0`
//!   deletes) and `Secure`, which is sent over HTTPS and over loopback HTTP, as browsers treat
//!   `localhost` as a secure context (the local tenant serves plain HTTP on loopback).
//! - The CSRF rules: the token comes from `GET /api/v1/csrf-token`'s `qlik-csrf-token` header and
//!   goes with every call but GET and HEAD.
//! - The session clients' defaults: [`DEFAULT_TIMEOUT`], [`DEFAULT_LOGIN_RETRIES`],
//!   [`DEFAULT_RETRY_DELAY`].
//! - The retry policy ([`RetryPolicy`]): what a retry can cure ([`RETRIED_STATUSES`]), and how
//!   long to wait first.
//! - Qlik's error bodies ([`QlikError`]) and the core's hint for a refused login.
//! - The client-managed (Qlik Sense Enterprise on Windows) login to a JWT virtual proxy
//!   ([`ClientManagedLogin`]): one Bearer call to `/<prefix>/qps/csrftoken` that opens a proxy
//!   session and gives the CSRF token, then a [`ClientManagedState`] that sends the session
//!   cookie (never the token again), an xrfkey on QRS calls, and builds the engine websocket's
//!   URL and headers. Its address is a [`ProxyUrl`] (origin and prefix).
//! - The OAuth token exchange ([`TokenFlow`]: a client assertion traded at `POST /oauth/token`
//!   for an [`AccessToken`], machine to machine or impersonating a user) and the one policy of
//!   when a cached token is reused ([`TokenCache`], [`TOKEN_REFRESH_MARGIN`]).
//!
//! The parsing of URLs (the `url` crate, WHATWG rules as Node's `URL`) and of `Set-Cookie`
//! lines (the `cookie` crate) is borrowed; the jar's matching rules (RFC 6265, section 5) and
//! the state machine are written here, as no crate offers them without doing the I/O itself.

mod base_url;
mod cookies;
mod error;
mod hint;
mod login;
mod message;
mod oauth;
mod proxy_login;
mod proxy_refusal;
mod proxy_session;
mod proxy_url;
mod retry;
mod session;
mod token_cache;
mod xrfkey;

pub use base_url::{BaseUrl, is_secure_context};
pub use cookies::CookieJar;
pub use error::{ClientError, QlikError};
pub use hint::login_hint;
pub use login::{DEFAULT_TIMEOUT, LoginFlow, LoginOptions, LoginStep};
pub use message::{HttpRequest, HttpResponse, header_value};
pub use oauth::{AccessToken, Grant, TokenFlow, TokenRequest, TokenStep, token_refusal};
pub use proxy_login::{ClientManagedLogin, ClientManagedOptions, ClientManagedStep};
pub use proxy_refusal::client_managed_login_hint;
pub use proxy_session::ClientManagedState;
pub use proxy_url::ProxyUrl;
pub use retry::{DEFAULT_LOGIN_RETRIES, DEFAULT_RETRY_DELAY, RETRIED_STATUSES, RetryPolicy};
pub use session::{CallOutcome, SessionState};
pub use token_cache::{
    MAX_CACHED_TOKENS, TOKEN_REFRESH_MARGIN, TokenCache, cache_key, is_fresh as token_is_fresh,
};
pub use xrfkey::{is_xrfkey, new_xrfkey};

pub(crate) use hint::now_secs;
