//! The callback form of `sign` in two steps, to keep `jsonwebtoken`'s timing: every input check
//! runs on the JavaScript thread, so a validation failure reaches the callback before `sign`
//! returns, as `jsonwebtoken` delivers it; only the signature goes to the libuv pool, and only
//! when it is worth the trip.

use std::sync::Arc;

use napi::bindgen_prelude::{AsyncTask, Either, Either3};
use napi::{Env, Result, Task, Unknown};
use napi_derive::napi;
use qlik_jwt::Value;
use qlik_jwt::drop_in::{self, PreparedSign};

use crate::compat::{SignCall, Signed, Token};
use crate::failure::{Failure, guarded};
use crate::json_args::JsonArgs;

/// What a pending signature needs: the prepared call, and the caller's payload and options for
/// `mutatePayload`.
struct Prepared {
    sign: PreparedSign,
    payload: Value,
    options: Arc<Value>,
}

/// A sign call whose inputs all passed `jsonwebtoken`'s checks, waiting for its signature.
#[napi]
pub struct PendingSign {
    prepared: Option<Prepared>,
}

/// Runs every check of `sign` now: the pending signature, or the failure.
#[napi]
pub fn sign_start(
    env: Env,
    payload: Unknown<'_>,
    key: Unknown<'_>,
    key_object_type: Option<String>,
    options: Unknown<'_>,
    now_ms: f64,
    json_args: Option<u32>,
) -> Result<Either<PendingSign, Failure>> {
    let SignCall {
        payload,
        key,
        options,
        now_ms,
    } = SignCall::new(
        &env,
        payload,
        key,
        key_object_type,
        options,
        now_ms,
        JsonArgs::from_bits(json_args),
    )?;
    let prepared = guarded(|| {
        let payload = payload.into_value()?;
        let sign = drop_in::prepare_sign(&payload, &key?, &options, now_ms)?;
        Ok((sign, payload))
    });
    Ok(match prepared {
        Ok((sign, payload)) => Either::A(PendingSign {
            prepared: Some(Prepared {
                sign,
                payload,
                options,
            }),
        }),
        Err(error) => Either::B(Failure::from(error)),
    })
}

#[napi]
impl PendingSign {
    /// Signs on the libuv pool: the token (with the `mutatePayload` changes when asked for),
    /// or the failure only the signature reveals.
    #[napi(ts_return_type = "Promise<string | Signed | Failure>")]
    pub fn finish(&mut self) -> AsyncTask<FinishSign> {
        AsyncTask::new(FinishSign {
            prepared: self.prepared.take(),
        })
    }

    /// Signs here and now when the key is not worth a pool thread (a secret: its MAC costs
    /// less than the trip), as `finish` would; else `null`, and `finish` is still to come.
    #[napi(ts_return_type = "string | Signed | Failure | null")]
    pub fn finish_here(&mut self) -> Option<Either3<Token, Signed, Failure>> {
        let worth_a_thread = self
            .prepared
            .as_ref()
            .is_some_and(|prepared| prepared.sign.worth_another_thread());
        if worth_a_thread {
            return None;
        }
        let mut task = FinishSign {
            prepared: self.prepared.take(),
        };
        Some(crate::compat::sign_outcome(task.run()))
    }
}

/// The signature of a pending sign call, on the libuv pool.
pub struct FinishSign {
    prepared: Option<Prepared>,
}

impl Task for FinishSign {
    type Output = qlik_jwt::Result<Signed>;
    type JsValue = Either3<Token, Signed, Failure>;

    fn compute(&mut self) -> Result<Self::Output> {
        Ok(self.run())
    }

    fn resolve(&mut self, _env: Env, output: Self::Output) -> Result<Self::JsValue> {
        Ok(crate::compat::sign_outcome(output))
    }
}

impl FinishSign {
    fn run(&mut self) -> qlik_jwt::Result<Signed> {
        let prepared = self.prepared.take();
        guarded(move || match prepared {
            Some(Prepared {
                sign,
                payload,
                options,
            }) => Ok(Signed::of(&payload, &options, sign.finish()?)),
            None => Err(qlik_jwt::Error::internal("a sign call was finished twice")),
        })
    }
}
