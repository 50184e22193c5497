//! qlik-jwt: signs valid Qlik Cloud JWTs fast and explains invalid ones.
//!
//! - [`compat`]: `jsonwebtoken` 9.0.3's `sign`, `verify` and `decode`, exactly.
//! - [`drop_in`]: the same as the Node and Python packages ship them: `sign` also refuses a
//!   token for Qlik Cloud's audience that Qlik would refuse.
//! - [`qlik`]: the Qlik Cloud signer and the checks that explain why Qlik would refuse a token;
//!   with `protocol`, `qlik::oauth`: OAuth client assertions (private key JWT) and their checks.
//! - [`key`]: keys in every common format, parsed once and reused.
//! - [`jws`]: compact tokens assembled, split and read; [`base64url`], the text of their parts.
//! - [`Error`]: one error type with stable codes.
//!
//! With the default `cli` feature (each part also has its own feature):
//! - `setup`: key pair and certificate generation, the single-line PEM and the
//!   identity-provider body Qlik's console and API take.
//! - `tenant`: a local Qlik tenant on loopback that logs users in with JWTs like Qlik Cloud.
//! - `protocol`: the login protocol as a sans-IO state machine, which every session client drives.
//! - `client`: the jwt-session client: a token traded for a session, REST calls with it.
//! - `cli`: the `qlik-jwt` command, `cli::run` (also behind `npx qlik-jwt` and the wheel).

pub mod alg;
mod ascii_case;
pub mod base64url;
pub mod compat;
pub mod drop_in;
pub mod error;
pub mod jws;
pub mod key;
pub mod qlik;
// Test hooks (a deliberate panic, the fuzz targets' bodies): not API, so only with `testing`.
#[cfg(feature = "testing")]
#[doc(hidden)]
pub mod testing;
pub mod timespan;
pub mod value;

// Setup, local tenant, session client, command.
#[cfg(feature = "cli")]
pub mod cli;
#[cfg(feature = "client")]
pub mod client;
#[cfg(feature = "protocol")]
pub mod protocol;
#[cfg(feature = "setup")]
pub mod setup;
#[cfg(feature = "tenant")]
pub mod tenant;

pub use alg::Algorithm;
pub use error::{Error, ErrorClass, ErrorCode, Result};
pub use key::{SigningKey, VerifyingKey};
pub use value::Value;
