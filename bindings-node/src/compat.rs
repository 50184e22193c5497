//! `sign`, `verify` and `decode` of `jsonwebtoken` 9.0.3: each converts its arguments on the
//! JavaScript thread and runs the core either right away (the synchronous forms) or on the
//! libuv pool (the callback and promise forms). Both hand back the result or a [`Failure`].

use std::sync::Arc;

use napi::bindgen_prelude::{AsyncTask, Either, Either3, ToNapiValue, TypeName};
use napi::{Env, Result, Task, Unknown, ValueType, sys};
use napi_derive::napi;
use qlik_jwt::Value;
use qlik_jwt::drop_in::{self, KeyArg, Verification};

use crate::convert::{JsValueOut, JsonOrValue, Root, check, to_value};
use crate::failure::{Failure, guarded};
use crate::json_args::{JsonArgs, SignPayload};
use crate::key::{KeyUse, to_key_arg};

fn outcome<T>(result: qlik_jwt::Result<T>) -> Either<T, Failure> {
    match result {
        Ok(value) => Either::A(value),
        Err(error) => Either::B(Failure::from(error)),
    }
}

/// The arguments of one `sign` call, converted.
pub struct SignCall {
    pub(crate) payload: SignPayload,
    pub(crate) key: qlik_jwt::Result<KeyArg>,
    pub(crate) options: Arc<Value>,
    pub(crate) now_ms: f64,
}

/// A signed token, and the changes `mutatePayload` makes to the caller's payload object.
#[napi]
pub struct Signed {
    /// The compact token.
    #[napi(readonly)]
    pub token: String,
    /// Whether the caller's payload object is to be changed (`mutatePayload`).
    #[napi(readonly)]
    pub mutates: bool,
    assigned: Vec<(String, Value)>,
    removed: Vec<String>,
}

#[napi]
impl Signed {
    /// The claims to assign to the caller's payload object, as `[name, value]` pairs.
    #[napi(getter, ts_return_type = "Array<[string, unknown]>")]
    pub fn assigned(&self) -> Vec<(String, JsValueOut)> {
        self.assigned
            .iter()
            .map(|(name, value)| (name.clone(), JsValueOut(value.clone())))
            .collect()
    }

    /// The claims to delete from the caller's payload object.
    #[napi(getter)]
    pub fn removed(&self) -> Vec<String> {
        self.removed.clone()
    }
}

impl SignCall {
    /// Converts the arguments of a `sign` (or `signStart`) call.
    pub(crate) fn new(
        env: &Env,
        payload: Unknown<'_>,
        key: Unknown<'_>,
        key_object_type: Option<String>,
        options: Unknown<'_>,
        now_ms: f64,
        json_args: JsonArgs,
    ) -> Result<Self> {
        Ok(SignCall {
            payload: json_args.sign_payload(env, payload)?,
            key: to_key_arg(env, key, key_object_type.as_deref(), KeyUse::Sign)?,
            options: json_args.options(env, options)?,
            now_ms,
        })
    }

    fn run(self) -> qlik_jwt::Result<Signed> {
        let SignCall {
            payload,
            key,
            options,
            now_ms,
        } = self;
        guarded(|| {
            let key = key?;
            if !drop_in::mutates_payload(&options) {
                // Nothing goes back to the caller's object, so the claims as signed need not
                // become a value of their own.
                let token = match &payload {
                    SignPayload::Json(text) => drop_in::sign_json(text, &key, &options, now_ms),
                    SignPayload::Value(value) => drop_in::sign(value, &key, &options, now_ms),
                };
                return token.map(Signed::token_only);
            }
            let payload = payload.into_value()?;
            drop_in::sign_with_claims(&payload, &key, &options, now_ms)
                .map(|signed| Signed::of(&payload, &options, signed))
        })
    }
}

impl Signed {
    /// The result for the caller: `jsonwebtoken` signs the caller's own object when
    /// `mutatePayload` is truthy, so the claims it adds stay there; the difference between what
    /// was given and what was signed is exactly what it changed.
    pub(crate) fn of(given: &Value, options: &Value, signed: drop_in::Signed) -> Signed {
        let mutates = drop_in::mutates_payload(options);
        let (assigned, removed) = match (given, &signed.payload, mutates) {
            (Value::Object(given), Value::Object(signed_claims), true) => {
                changes(given.as_slice(), signed_claims.as_slice())
            }
            _ => (Vec::new(), Vec::new()),
        };
        Signed {
            token: signed.token,
            mutates,
            assigned,
            removed,
        }
    }

    /// A token that changes nothing in the caller's payload.
    fn token_only(token: String) -> Signed {
        Signed {
            token,
            mutates: false,
            assigned: Vec::new(),
            removed: Vec::new(),
        }
    }
}

/// The assignments and deletions that turn `given` into `final_claims`.
fn changes(
    given: &[(String, Value)],
    final_claims: &[(String, Value)],
) -> (Vec<(String, Value)>, Vec<String>) {
    let given_value = |name: &str| {
        given
            .iter()
            .rev()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value)
    };
    let assigned = final_claims
        .iter()
        .filter(|(name, value)| given_value(name) != Some(value))
        .cloned()
        .collect();
    let removed = given
        .iter()
        .filter(|(name, _)| !final_claims.iter().any(|(key, _)| key == name))
        .map(|(name, _)| name.clone())
        .collect();
    (assigned, removed)
}

/// A compact token for JavaScript. It is ASCII (base64url and dots), so it crosses as Latin-1,
/// which V8 copies as it is instead of decoding UTF-8.
pub struct Token(String);

impl TypeName for Token {
    fn type_name() -> &'static str {
        String::type_name()
    }

    fn value_type() -> ValueType {
        ValueType::String
    }
}

impl ToNapiValue for Token {
    unsafe fn to_napi_value(env: sys::napi_env, token: Self) -> Result<sys::napi_value> {
        if !token.0.is_ascii() {
            // Never made by the core; UTF-8 keeps such text intact all the same.
            // SAFETY: `env` is the environment of the returning call, as napi-rs guarantees to
            // every `to_napi_value`.
            return unsafe { String::to_napi_value(env, token.0) };
        }
        let mut value = std::ptr::null_mut();
        // SAFETY: `env` as above. The pointer and length describe the token's bytes, which
        // live until the call returns (V8 copies them); the length fits `isize` since a
        // `String` never exceeds `isize::MAX` bytes; every byte is ASCII (checked above), and
        // ASCII read as Latin-1 is the same text; `value` is a live out-pointer.
        check(unsafe {
            sys::napi_create_string_latin1(
                env,
                token.0.as_ptr().cast(),
                token.0.len() as isize,
                &mut value,
            )
        })?;
        Ok(value)
    }
}

/// Just the token when nothing goes back to the payload: a class instance costs more than
/// the signing of a small token, and its native half is freed only when the event loop turns.
pub(crate) fn sign_outcome(result: qlik_jwt::Result<Signed>) -> Either3<Token, Signed, Failure> {
    match result {
        Ok(signed) if !signed.mutates => Either3::A(Token(signed.token)),
        Ok(signed) => Either3::B(signed),
        Err(error) => Either3::C(Failure::from(error)),
    }
}

/// `jwt.sign(payload, key, options)` now: the token, the token with the payload changes of
/// `mutatePayload`, or the failure. A `KeyObject` arrives as its export `key` with its `type`
/// in `keyObjectType`; `jsonArgs` says whether payload and options arrive as JSON text.
#[napi(ts_return_type = "string | Signed | Failure")]
pub fn sign(
    env: Env,
    payload: Unknown<'_>,
    key: Unknown<'_>,
    key_object_type: Option<String>,
    options: Unknown<'_>,
    now_ms: f64,
    json_args: Option<u32>,
) -> Result<Either3<Token, Signed, Failure>> {
    let json_args = JsonArgs::from_bits(json_args);
    let call = SignCall::new(
        &env,
        payload,
        key,
        key_object_type,
        options,
        now_ms,
        json_args,
    )?;
    // A synchronous loop of a million signs would otherwise hold a million class instances
    // (about 1 KB each) until the event loop turns.
    Ok(sign_outcome(call.run()))
}

/// The arguments of one `verify` call, converted.
pub struct VerifyCall {
    token: Value,
    key: qlik_jwt::Result<KeyArg>,
    options: Arc<Value>,
    now_ms: f64,
}

impl VerifyCall {
    fn new(
        env: &Env,
        token: Unknown<'_>,
        key: Unknown<'_>,
        key_object_type: Option<String>,
        options: Unknown<'_>,
        now_ms: f64,
        json_args: JsonArgs,
    ) -> Result<Self> {
        Ok(VerifyCall {
            token: to_value(env, token, Root::Argument)?,
            key: to_key_arg(env, key, key_object_type.as_deref(), KeyUse::Verify)?,
            options: json_args.options(env, options)?,
            now_ms,
        })
    }

    fn run(self) -> qlik_jwt::Result<Value> {
        guarded(|| {
            let key = self.key?;
            drop_in::verify(&self.token, &key, &self.options, self.now_ms)
        })
    }
}

/// `jwt.verify(token, key, options)` now: the payload (or the complete token) as its JSON text
/// or boxed ([`JsonOrValue`]), or the failure. `jsonArgs` says whether the options arrive as
/// JSON text.
#[napi(ts_return_type = "string | [any] | Failure")]
pub fn verify(
    env: Env,
    token: Unknown<'_>,
    key: Unknown<'_>,
    key_object_type: Option<String>,
    options: Unknown<'_>,
    now_ms: f64,
    json_args: Option<u32>,
) -> Result<Either<JsonOrValue, Failure>> {
    let json_args = JsonArgs::from_bits(json_args);
    let call = VerifyCall::new(
        &env,
        token,
        key,
        key_object_type,
        options,
        now_ms,
        json_args,
    )?;
    Ok(outcome(call.run().map(JsonOrValue)))
}

/// `jwt.decode(token, options)`: the payload, the complete token or `null` (as
/// [`JsonOrValue`]), or the failure. `jsonArgs` says whether the options arrive as JSON text.
#[napi(ts_return_type = "string | [any] | Failure")]
pub fn decode(
    env: Env,
    token: Unknown<'_>,
    options: Unknown<'_>,
    json_args: Option<u32>,
) -> Result<Either<JsonOrValue, Failure>> {
    let token = to_value(&env, token, Root::Argument)?;
    let options = JsonArgs::from_bits(json_args).options(&env, options)?;
    Ok(outcome(
        guarded(|| drop_in::decode(&token, &options)).map(JsonOrValue),
    ))
}

/// A verification waiting for its key: made by [`verify_start`] for `jsonwebtoken`'s
/// key-retrieval function, which chooses a key from the header.
#[napi]
pub struct PendingVerification {
    verification: Option<Verification>,
}

/// Checks the options and decodes the token, as `verify` does before it needs a key.
#[napi]
pub fn verify_start(
    env: Env,
    token: Unknown<'_>,
    options: Unknown<'_>,
    now_ms: f64,
    json_args: Option<u32>,
) -> Result<Either<PendingVerification, Failure>> {
    let token = to_value(&env, token, Root::Argument)?;
    let options = JsonArgs::from_bits(json_args).options(&env, options)?;
    Ok(outcome(
        guarded(|| Verification::start(&token, &options, now_ms)).map(|verification| {
            PendingVerification {
                verification: Some(verification),
            }
        }),
    ))
}

/// The rest of a verification, on the libuv pool or here.
pub struct FinishCall {
    verification: Option<Verification>,
    key: qlik_jwt::Result<KeyArg>,
}

impl FinishCall {
    fn run(&mut self) -> qlik_jwt::Result<Value> {
        let verification = self.verification.take();
        let key = self.key.clone();
        guarded(move || match verification {
            Some(verification) => verification.finish(&key?),
            None => Err(qlik_jwt::Error::internal(
                "a verification was finished twice",
            )),
        })
    }
}

impl Task for FinishCall {
    type Output = qlik_jwt::Result<Value>;
    type JsValue = Either<JsonOrValue, Failure>;

    fn compute(&mut self) -> Result<Self::Output> {
        Ok(self.run())
    }

    fn resolve(&mut self, _env: Env, output: Self::Output) -> Result<Self::JsValue> {
        Ok(outcome(output.map(JsonOrValue)))
    }
}

#[napi]
impl PendingVerification {
    /// The decoded header, for the key-retrieval function.
    #[napi(getter, ts_return_type = "any")]
    pub fn header(&self) -> JsValueOut {
        JsValueOut(
            self.verification
                .as_ref()
                .map(|v| v.header().clone())
                .unwrap_or(Value::Undefined),
        )
    }

    /// Finishes with the key the retrieval function chose, on the libuv pool.
    #[napi(ts_return_type = "Promise<string | [any] | Failure>")]
    pub fn finish(
        &mut self,
        env: Env,
        key: Unknown<'_>,
        key_object_type: Option<String>,
    ) -> Result<AsyncTask<FinishCall>> {
        let key = to_key_arg(&env, key, key_object_type.as_deref(), KeyUse::Verify)?;
        Ok(AsyncTask::new(FinishCall {
            verification: self.verification.take(),
            key,
        }))
    }

    /// Finishes here and now when the key is not worth a pool thread (a secret: its MAC costs
    /// less than the trip), as `finish` would; else `null`, and `finish` is still to come.
    #[napi(ts_return_type = "string | [any] | Failure | null")]
    pub fn finish_here(
        &mut self,
        env: Env,
        key: Unknown<'_>,
        key_object_type: Option<String>,
    ) -> Result<Option<Either<JsonOrValue, Failure>>> {
        let key = to_key_arg(&env, key, key_object_type.as_deref(), KeyUse::Verify)?;
        if key.as_ref().is_ok_and(KeyArg::worth_another_thread) {
            return Ok(None);
        }
        let mut call = FinishCall {
            verification: self.verification.take(),
            key,
        };
        Ok(Some(outcome(call.run().map(JsonOrValue))))
    }
}

/// The failure of a synchronous `verify` given a key-retrieval function.
#[napi]
pub fn callback_required_failure() -> Failure {
    drop_in::callback_required_error().into()
}

/// The failure of a verification whose key-retrieval function reported `message`
/// (`String(err.message)`).
#[napi]
pub fn key_callback_failure(message: String) -> Failure {
    drop_in::key_callback_error(&message).into()
}
