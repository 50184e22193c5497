//! Python binding of qlik-jwt: the native module `qlik_jwt._native`.
//!
//! Conversions only. Python arguments become the core's values and options, core errors
//! become the exceptions of `qlik_jwt._errors`; every rule, default and message is the core's.

use pyo3::prelude::*;

mod cli;
mod client_managed;
mod client_managed_session;
mod client_managed_setup;
mod client_managed_tenant;
mod compat;
mod convert;
mod error;
mod flow_parts;
mod keys;
mod oauth;
mod oauth_token;
mod qlik;
mod running;
mod session;
mod setup;
mod tenant;
// `_panic_now`: a test hook, only in the test build (`--features testing`), never in a wheel.
#[cfg(feature = "testing")]
mod testing;

/// The native part of qlik-jwt; import `qlik_jwt` instead.
#[pymodule]
fn _native(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add("__version__", env!("CARGO_PKG_VERSION"))?;
    module.add("QLIK_AUDIENCE", qlik_jwt::qlik::AUDIENCE)?;
    module.add("QLIK_MAX_WINDOW_SECONDS", qlik_jwt::qlik::MAX_WINDOW_SECS)?;
    module.add_function(wrap_pyfunction!(compat::sign, module)?)?;
    module.add_function(wrap_pyfunction!(compat::verify, module)?)?;
    module.add_function(wrap_pyfunction!(compat::decode, module)?)?;
    module.add_function(wrap_pyfunction!(qlik::explain, module)?)?;
    #[cfg(feature = "testing")]
    module.add_function(wrap_pyfunction!(testing::panic_now, module)?)?;
    #[cfg(feature = "testing")]
    module.add_function(wrap_pyfunction!(testing::oauth_sign_with_jti, module)?)?;
    module.add_class::<qlik::PyQlikSigner>()?;
    module.add_class::<qlik::PyProblem>()?;
    module.add_class::<keys::PyPrivateKey>()?;
    module.add_class::<keys::PyPublicKey>()?;
    // Qlik setup, local tenant, session client support and the command.
    setup::register(module)?;
    tenant::register(module)?;
    session::register(module)?;
    client_managed_session::register(module)?;
    client_managed::register(module)?;
    client_managed_tenant::register(module)?;
    client_managed_setup::register(module)?;
    oauth::register(module)?;
    oauth_token::register(module)?;
    cli::register(module)?;
    Ok(())
}
