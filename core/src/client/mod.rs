//! The jwt-session client: trade a Qlik token for a session and make REST calls with it.
//!
//! [`login`] posts the token to `/login/jwt-session`, keeps the session cookies, fetches the
//! CSRF token from `/api/v1/csrf-token`, and returns a [`Session`] whose [`Session::get`] and
//! [`Session::send`] send the cookies always and `qlik-csrf-token` on non-GET calls. Qlik's error
//! bodies become a [`QlikError`] with `status`, `code`, `title`, `detail` and `traceId`, plus a
//! hint from the core's own checks when the token explains the refusal. A `jti` is accepted once,
//! so a retry needs a newly signed token; and the login endpoint allows 100 calls a minute, so
//! keep the session and reuse it.
//!
//! HTTP: `ureq` (blocking, small) with rustls on aws-lc-rs, the crypto library the core already
//! links, so HTTPS needs no second one and no system OpenSSL; plain `http://` serves the local
//! tenant. Cookies are handled here rather than by a cookie jar: Qlik's session cookies are all
//! this client needs, and a jar would refuse to send `Secure` cookies back over plain-HTTP
//! loopback.

mod error;
mod hint;
mod session;

pub use error::{ClientError, QlikError};
pub use hint::login_hint;
pub use session::{LoginOptions, Response, Session, login};
