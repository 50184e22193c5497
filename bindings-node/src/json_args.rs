//! Arguments the JavaScript layer hands over as JSON text (`lib/json-args.js`).
//!
//! It does so only for values that JSON carries exactly (plain objects and arrays of strings,
//! finite numbers, booleans and `null`), so the parsed text is the [`Value`] that
//! [`to_value`] would have read member by member, at a fraction of the engine calls.

use std::cell::RefCell;
use std::sync::Arc;

use napi::{Env, JsValue, Result, Unknown};
use qlik_jwt::Value;

use crate::convert::{Root, string_of, to_value, with_string_of};

/// Which arguments of a call are JSON text: the `jsonArgs` bits of `lib/json-args.js`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct JsonArgs(u32);

impl JsonArgs {
    const PAYLOAD: u32 = 1;
    const OPTIONS: u32 = 2;

    /// The bits as the JavaScript layer passed them (none when absent).
    pub fn from_bits(bits: Option<u32>) -> Self {
        JsonArgs(bits.unwrap_or(0))
    }

    /// The payload argument of `sign`: its JSON text as it is (the core copies what it does
    /// not look at into the token), or the value read as its root says.
    pub fn sign_payload(self, env: &Env, value: Unknown<'_>) -> Result<SignPayload> {
        if self.0 & Self::PAYLOAD == 0 {
            return to_value(env, value, Root::Payload).map(SignPayload::Value);
        }
        string_of(env.raw(), value.raw()).map(SignPayload::Json)
    }

    /// The payload argument, read as its root says or parsed from its JSON text.
    pub fn payload(self, env: &Env, value: Unknown<'_>) -> Result<Value> {
        read(env, value, Root::Payload, self.0 & Self::PAYLOAD != 0)
    }

    /// The options argument, read as its root says or parsed from its JSON text. Apps pass
    /// the same options to every call, so the text parsed last on this thread is kept with
    /// its value, and the same text again is not parsed again.
    pub fn options(self, env: &Env, value: Unknown<'_>) -> Result<Arc<Value>> {
        if self.0 & Self::OPTIONS == 0 {
            return to_value(env, value, Root::Options).map(Arc::new);
        }
        with_string_of(env.raw(), value.raw(), |text| {
            LAST_OPTIONS.with_borrow_mut(|last| {
                if let Some((last_text, value)) = last.as_ref()
                    && last_text == text
                {
                    return Ok(Arc::clone(value));
                }
                let value = Arc::new(parse(text, Root::Options)?);
                *last = Some((text.to_owned(), Arc::clone(&value)));
                Ok(value)
            })
        })?
    }
}

thread_local! {
    /// The options text of this thread's last call, and its value.
    static LAST_OPTIONS: RefCell<Option<(String, Arc<Value>)>> = const { RefCell::new(None) };
}

/// A `sign` payload as it crossed: the JSON text of a plain object, or a value.
pub enum SignPayload {
    /// What `JSON.stringify` made of a plain object.
    Json(String),
    /// Anything else, read member by member.
    Value(Value),
}

impl SignPayload {
    /// The payload as a value, for the calls that need one (`mutatePayload`, the callback
    /// form, which keeps the payload as signed).
    pub fn into_value(self) -> qlik_jwt::Result<Value> {
        match self {
            SignPayload::Json(text) => Value::from_json_str(&text),
            SignPayload::Value(value) => Ok(value),
        }
    }
}

fn read(env: &Env, value: Unknown<'_>, root: Root, is_json: bool) -> Result<Value> {
    if !is_json {
        return to_value(env, value, root);
    }
    parse(&string_of(env.raw(), value.raw())?, root)
}

fn parse(text: &str, root: Root) -> Result<Value> {
    Value::from_json_str(text).map_err(|error| {
        // `JSON.stringify` wrote the text, so this is a fault of ours, not of the caller's.
        napi::Error::from_reason(format!(
            "qlik-jwt internal error: JSON text of the {root:?} argument did not parse ({})",
            error.message()
        ))
    })
}
