//! JavaScript values to and from the core's [`Value`](qlik_jwt::Value), in three parts:
//!
//! - [`walk`]: the one recursive walk that turns any JavaScript argument into a `Value`, seeing
//!   each nested value as `jsonwebtoken` or `JSON.stringify` would;
//! - [`raw`]: reads of a string's UTF-8 and of a buffer's bytes straight through N-API, the
//!   hot paths of every call;
//! - [`output`]: the types that carry a `Value` or a result back to JavaScript.

mod output;
mod raw;
mod walk;

pub use output::{JsValueOut, JsonOrValue};
pub use raw::bytes_of;
pub(crate) use raw::{string_of, with_string_of};
pub use walk::{Root, to_value};

use napi::{Result, sys};

/// A failed N-API call as an error.
pub(crate) fn check(status: sys::napi_status) -> Result<()> {
    if status == sys::Status::napi_ok {
        Ok(())
    } else {
        Err(napi::Error::from_status(napi::Status::from(status)))
    }
}
