//! Test hooks, exported under underscored names and left out of the package's API and stubs:
//! they prove that a panic inside the core reaches Python as `QlikJwtError` with code
//! `ERR_INTERNAL`, through the same [`guarded`] wrapper as every core call.

use pyo3::prelude::*;

use crate::error::{OrRaise, guarded};

/// Panics inside the core (with the GIL released, as real calls run) and raises what that
/// becomes.
#[pyfunction]
#[pyo3(name = "_panic_now")]
pub fn panic_now(py: Python<'_>) -> PyResult<()> {
    py.detach(|| guarded(qlik_jwt::testing::panic_now))
        .or_raise(py)
}

/// An OAuth client assertion with a given `jti` and instant, so that the shared vector compares
/// Python's assertion byte for byte with Rust's and Node's.
#[pyfunction]
#[pyo3(name = "_oauth_sign_with_jti")]
pub fn oauth_sign_with_jti(
    py: Python<'_>,
    signer: &crate::oauth::PyClientAssertionSigner,
    now: i64,
    jti: String,
) -> PyResult<String> {
    py.detach(|| guarded(|| qlik_jwt::testing::oauth_sign_with_jti(&signer.signer, now, jti)))
        .or_raise(py)
}
