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
