//! `jsonwebtoken` 9.0.3, exactly: `sign`, `verify` and `decode` with its options, its checks,
//! its defaults and its error messages, over JavaScript-shaped [`Value`]s. The Node drop-in is
//! a thin conversion onto these functions; the Python API reuses them.
//!
//! The clock is always an argument (`now_ms`, what `Date.now()` returns). Every check runs in
//! `jsonwebtoken`'s order, so the first failure reported is the one it reports, with the same
//! message and the same class ([`crate::ErrorClass`]).
//!
//! [`Value`]: crate::Value

mod audience;
mod decode;
mod js_errors;
mod key_arg;
mod key_checks;
mod node_buffer;
mod options;
mod sign;
mod verify;

pub use decode::decode;
pub use key_arg::KeyArg;
pub use sign::{Signed, sign, sign_with_claims};
pub use verify::{Verification, callback_required_error, key_callback_error, verify};
