//! Hooks for the hardening tests of the bindings; not part of the supported API.
//!
//! The core never panics on purpose, so proving that a panic cannot cross the FFI boundary needs
//! one that does: each binding exposes [`panic_now`] under an underscored name and checks that it
//! comes back as an `ERR_INTERNAL` error instead of aborting the process.

/// Panics, always. The `Result` type lets bindings call it exactly like a real core entry point.
#[doc(hidden)]
pub fn panic_now() -> crate::Result<()> {
    panic!("qlik-jwt test hook: a deliberate panic")
}
