//! The jwt-session client on `ureq`: trade a Qlik token for a session and make REST calls with
//! it.
//!
//! [`login`] posts the token to `/login/jwt-session`, keeps the session cookies, fetches the
//! CSRF token from `/api/v1/csrf-token`, and returns a [`Session`] whose [`Session::get`] and
//! [`Session::send`] send the cookies always and `qlik-csrf-token` on non-GET calls. Qlik's error
//! bodies become a [`QlikError`] with `status`, `code`, `title`, `detail` and `traceId`, plus a
//! hint from the core's own checks when the token explains the refusal. A `jti` is accepted once,
//! so a retry needs a newly signed token ([`login_with`] signs one per attempt); and the login
//! endpoint allows 100 calls a minute, so keep the session and reuse it.
//!
//! [`login_client_managed`] does the same for a client-managed (Qlik Sense Enterprise on
//! Windows) JWT virtual proxy: one Bearer call to `/<prefix>/qps/csrftoken`, then a
//! [`ClientManagedSession`] that sends the proxy's session cookie, an xrfkey on QRS calls, and
//! gives the engine websocket's URL (with `qlik-csrf-token`) and headers.
//! [`OAuthClient`] trades client assertions for OAuth access tokens at `POST /oauth/token`,
//! machine to machine or impersonating a user, cached per grant, user and scope.
//!
//! Every decision (URLs, cookies, CSRF, retries, errors) is [`crate::protocol`]'s; this module
//! only moves bytes. HTTP: `ureq` (blocking, small) with rustls on aws-lc-rs, the crypto library
//! the core already links, so HTTPS needs no second one and no system OpenSSL; plain `http://`
//! serves the local tenant.

mod client_managed;
mod drive;
mod oauth;
mod session;
mod transport;

pub use crate::protocol::ClientManagedOptions;
pub use crate::protocol::{
    AccessToken, ClientError, Grant, LoginOptions, QlikError, RetryPolicy, TokenRequest, login_hint,
};
pub use client_managed::{ClientManagedSession, login_client_managed, login_client_managed_with};
pub use oauth::{AssertionSigner, OAuthClient, request_access_token};
pub use session::{Response, Session, login, login_with};
