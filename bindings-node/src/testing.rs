//! Test hooks, exported under underscored names and left out of the package's API: they prove
//! that a panic inside the core comes back to JavaScript as an `ERR_INTERNAL` [`Failure`], on the
//! JavaScript thread and on the libuv pool, through the same [`guarded`] wrapper as every entry
//! point.

use napi::bindgen_prelude::{AsyncTask, Either};
use napi::{Env, Result, Task};
use napi_derive::napi;

use crate::failure::{Failure, guarded};

fn outcome(result: qlik_jwt::Result<()>) -> Either<bool, Failure> {
    match result {
        Ok(()) => Either::A(true),
        Err(error) => Either::B(Failure::from(error)),
    }
}

/// Panics inside the core on the JavaScript thread; returns the failure it becomes.
#[napi(js_name = "_panicNow")]
pub fn panic_now() -> Either<bool, Failure> {
    outcome(guarded(qlik_jwt::testing::panic_now))
}

/// A core panic on the libuv pool.
pub struct PanicTask;

impl Task for PanicTask {
    type Output = qlik_jwt::Result<()>;
    type JsValue = Either<bool, Failure>;

    fn compute(&mut self) -> Result<Self::Output> {
        Ok(guarded(qlik_jwt::testing::panic_now))
    }

    fn resolve(&mut self, _env: Env, output: Self::Output) -> Result<Self::JsValue> {
        Ok(outcome(output))
    }
}

/// Panics inside the core on the libuv pool; resolves with the failure it becomes.
#[napi(
    js_name = "_panicNowAsync",
    ts_return_type = "Promise<boolean | Failure>"
)]
pub fn panic_now_async() -> AsyncTask<PanicTask> {
    AsyncTask::new(PanicTask)
}

/// An OAuth client assertion with a given `jti` and instant, so that the shared vector compares
/// Node's assertion byte for byte with Rust's and Python's.
#[napi(js_name = "_oauthSignWithJti")]
pub fn oauth_sign_with_jti(
    signer: &crate::oauth::NativeClientAssertionSigner,
    now_seconds: i64,
    jti: String,
) -> Either<String, Failure> {
    match guarded(|| qlik_jwt::testing::oauth_sign_with_jti(&signer.signer, now_seconds, jti)) {
        Ok(token) => Either::A(token),
        Err(error) => Either::B(Failure::from(error)),
    }
}
