//! Node binding of qlik-jwt: the `qlik-jwt` npm package's native half.
//!
//! It converts JavaScript arguments into the core's [`qlik_jwt::Value`]s and key arguments,
//! calls the core (on the JavaScript thread for the synchronous forms, on the libuv pool for
//! the asynchronous ones), and converts results and errors back. Every rule, default and
//! message lives in the core; the JavaScript layer (`index.js`) only arranges call forms and
//! turns [`failure::Failure`]s into the `jsonwebtoken` error classes.

pub mod cli;
pub mod client_managed;
pub mod client_managed_session;
pub mod client_managed_setup;
pub mod client_managed_tenant;
pub mod compat;
pub mod convert;
pub mod failure;
pub mod flow_parts;
pub mod json_args;
pub mod key;
pub mod oauth;
pub mod oauth_token;
pub mod pending_sign;
pub mod qlik;
pub mod session;
pub mod setup;
pub mod tenant;
// `_panicNow`: a test hook, only in the test build (`--features testing`), never in a package.
#[cfg(feature = "testing")]
#[doc(hidden)]
pub mod testing;

/// Rust's allocations in the addon (values, token text) go to mimalloc: a small sign or verify
/// makes dozens of short-lived allocations, and glibc's allocator was a quarter of their time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
