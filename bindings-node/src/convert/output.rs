//! The types that carry the core's results back to JavaScript.

use std::ptr;

use napi::bindgen_prelude::{Buffer, Null, ToNapiValue, TypeName, Undefined};
use napi::{Result, ValueType, sys};
use qlik_jwt::Value;

use super::check;

/// A [`Value`] on its way back to JavaScript: JSON-shaped values become plain objects,
/// arrays and primitives; bytes become a `Buffer`.
pub struct JsValueOut(pub Value);

impl TypeName for JsValueOut {
    fn type_name() -> &'static str {
        "unknown"
    }

    fn value_type() -> ValueType {
        ValueType::Unknown
    }
}

impl ToNapiValue for JsValueOut {
    unsafe fn to_napi_value(env: sys::napi_env, val: Self) -> Result<sys::napi_value> {
        // SAFETY: napi-rs calls this with the environment of the call that returns the value,
        // which is what `to_napi` requires.
        unsafe { to_napi(env, val.0) }
    }
}

/// Makes the JavaScript value for `value`.
///
/// # Safety
///
/// `env` must be the environment of the current call, on its JavaScript thread, with an open
/// handle scope (napi-rs's return path and every caller here provide one).
unsafe fn to_napi(env: sys::napi_env, value: Value) -> Result<sys::napi_value> {
    // SAFETY: every call below passes `env`, valid by this function's contract, handles the
    // engine made in this same call (`raw`, the members' values) and live local out-pointers;
    // `descriptor` lives until `napi_define_properties` returns, and its `utf8name` is null
    // because `name` is given as a value.
    unsafe {
        match value {
            Value::Undefined | Value::Other(_) => Undefined::to_napi_value(env, ()),
            Value::Null => Null::to_napi_value(env, Null),
            Value::Bool(flag) => bool::to_napi_value(env, flag),
            Value::Number(number) => f64::to_napi_value(env, number),
            Value::String(text) => String::to_napi_value(env, text),
            Value::Bytes(bytes) => Buffer::to_napi_value(env, Buffer::from(bytes)),
            Value::RegExp { source, .. } => String::to_napi_value(env, source),
            Value::Array(items) => {
                let mut raw = ptr::null_mut();
                check(sys::napi_create_array_with_length(
                    env,
                    items.len(),
                    &mut raw,
                ))?;
                for (index, item) in items.into_iter().enumerate() {
                    check(sys::napi_set_element(
                        env,
                        raw,
                        index as u32,
                        to_napi(env, item)?,
                    ))?;
                }
                Ok(raw)
            }
            Value::Object(members) => {
                let mut raw = ptr::null_mut();
                check(sys::napi_create_object(env, &mut raw))?;
                for (name, member) in members {
                    // Defined, not assigned, so that a `__proto__` claim becomes an own
                    // property as `JSON.parse` makes it, never the object's prototype.
                    let descriptor = sys::napi_property_descriptor {
                        utf8name: ptr::null(),
                        name: String::to_napi_value(env, name)?,
                        method: None,
                        getter: None,
                        setter: None,
                        value: to_napi(env, member)?,
                        attributes: sys::PropertyAttributes::writable
                            | sys::PropertyAttributes::enumerable
                            | sys::PropertyAttributes::configurable,
                        data: ptr::null_mut(),
                    };
                    check(sys::napi_define_properties(env, raw, 1, &descriptor))?;
                }
                Ok(raw)
            }
        }
    }
}

/// A result on its way back to JavaScript in the cheapest form that makes exactly the same
/// value: the JSON text of a value that `JSON.parse` rebuilds exactly (the JavaScript layer
/// parses it; the engine's parser is much faster than defining property after property), or
/// else the value itself in a one-element array.
pub struct JsonOrValue(pub Value);

impl TypeName for JsonOrValue {
    fn type_name() -> &'static str {
        "string | [unknown]"
    }

    fn value_type() -> ValueType {
        ValueType::Unknown
    }
}

impl ToNapiValue for JsonOrValue {
    unsafe fn to_napi_value(env: sys::napi_env, val: Self) -> Result<sys::napi_value> {
        if parses_back_exactly(&val.0)
            && let Ok(text) = val.0.to_json_string()
        {
            // SAFETY: `env` is the environment of the returning call, as napi-rs guarantees
            // to every `to_napi_value`.
            return unsafe { String::to_napi_value(env, text) };
        }
        // SAFETY: `env` as above; `boxed` is the array the engine just made in this call,
        // and `to_napi` gets the same environment its contract asks for.
        unsafe {
            let mut boxed = ptr::null_mut();
            check(sys::napi_create_array_with_length(env, 1, &mut boxed))?;
            check(sys::napi_set_element(env, boxed, 0, to_napi(env, val.0)?))?;
            Ok(boxed)
        }
    }
}

/// Whether `JSON.parse(JSON.stringify(value))` is what [`to_napi`] makes of `value`: only
/// JSON's own values, and no `-0` (written as `0`). Duplicate keys, array-index keys and
/// `__proto__` keys come out the same either way: `JSON.parse` defines its properties in
/// order, as [`to_napi`] does, and `to_json_string` writes them in the order an object has.
fn parses_back_exactly(value: &Value) -> bool {
    match value {
        Value::Null | Value::Bool(_) | Value::String(_) => true,
        Value::Number(number) => {
            number.is_finite() && !(*number == 0.0 && number.is_sign_negative())
        }
        Value::Array(items) => items.iter().all(parses_back_exactly),
        Value::Object(members) => members
            .iter()
            .all(|(_, member)| parses_back_exactly(member)),
        Value::Undefined | Value::Bytes(_) | Value::RegExp { .. } | Value::Other(_) => false,
    }
}
