//! JavaScript keys to the core's [`KeyArg`]: every form `jsonwebtoken` accepts.
//!
//! A `KeyObject` arrives already exported by the JavaScript layer (`crypto` lives there): its
//! DER (PKCS#8 for private keys, SPKI for public ones, the raw bytes of a secret) with its
//! `type`. Key text is parsed through the core's cache, so a PEM string passed on every call is
//! parsed once.

use napi::bindgen_prelude::{Function, JsObjectValue, Object};
use napi::{Env, JsValue, Result, Unknown, ValueType};
use qlik_jwt::compat::KeyArg;
use qlik_jwt::key::cache;
use qlik_jwt::{SigningKey, VerifyingKey};

use crate::convert::{bytes_of, string_of};

/// What the key is for: the secret of a `KeyObject` becomes a signing or a verifying key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyUse {
    /// `sign`.
    Sign,
    /// `verify`.
    Verify,
}

/// Converts a key argument. `key_object_type` is the `type` of a `KeyObject` whose export
/// is `key`. The outer result fails on JavaScript engine errors, the inner one when the core
/// cannot take the exported key.
pub fn to_key_arg(
    env: &Env,
    key: Unknown<'_>,
    key_object_type: Option<&str>,
    key_use: KeyUse,
) -> Result<qlik_jwt::Result<KeyArg>> {
    if let Some(kind) = key_object_type {
        let der = bytes_of(key)?;
        return Ok(exported_key(&der, kind, key_use));
    }
    Ok(Ok(match key.get_type()? {
        ValueType::Undefined | ValueType::Null => KeyArg::Missing,
        ValueType::Boolean => {
            // SAFETY: the engine reported a boolean, which `napi_get_value_bool` reads.
            if unsafe { key.cast::<bool>() }? {
                KeyArg::Invalid("boolean".to_owned())
            } else {
                KeyArg::Falsy("boolean".to_owned())
            }
        }
        ValueType::Number => {
            // SAFETY: the engine reported a number, which `napi_get_value_double` reads.
            let number = unsafe { key.cast::<f64>() }?;
            if number == 0.0 || number.is_nan() {
                KeyArg::Falsy("number".to_owned())
            } else {
                KeyArg::Invalid("number".to_owned())
            }
        }
        ValueType::String => KeyArg::Text(string_of(env.raw(), key.raw())?),
        ValueType::Object => object_key(env, key)?,
        ValueType::Function => KeyArg::Invalid("function".to_owned()),
        ValueType::Symbol => KeyArg::Invalid("symbol".to_owned()),
        ValueType::BigInt => KeyArg::Invalid("bigint".to_owned()),
        _ => KeyArg::Invalid("object".to_owned()),
    }))
}

fn exported_key(der: &[u8], kind: &str, key_use: KeyUse) -> qlik_jwt::Result<KeyArg> {
    Ok(match (kind, key_use) {
        ("private", _) => KeyArg::Signing(cache::private_key(der, None)?),
        ("public", _) => KeyArg::Verifying(cache::public_key(der, None)?),
        (_, KeyUse::Sign) => KeyArg::Signing(SigningKey::from_secret(der)),
        (_, KeyUse::Verify) => KeyArg::Verifying(VerifyingKey::from_secret(der)),
    })
}

/// A `Buffer` or typed array, `{ key, passphrase }`, `{ key: <jwk>, format: 'jwk' }`, or an
/// object that is no key at all.
fn object_key(env: &Env, key: Unknown<'_>) -> Result<KeyArg> {
    // SAFETY: called only for a value the engine reported as an object, and
    // `Object::from_napi_value` only wraps the handle.
    let object: Object<'_> = unsafe { key.cast() }?;
    if object.is_buffer()? || object.is_typedarray()? || object.is_arraybuffer()? {
        return Ok(KeyArg::Bytes(bytes_of(key)?));
    }
    if object.is_array()? {
        return Ok(KeyArg::Invalid("object".to_owned()));
    }
    let material: Unknown<'_> = object.get_named_property("key")?;
    let format: Unknown<'_> = object.get_named_property("format")?;
    if format.get_type()? == ValueType::String
        // SAFETY: its type was just checked to be a string, which
        // `napi_get_value_string_utf8` (behind `String::from_napi_value`) reads.
        && unsafe { format.cast::<String>() }? == "jwk"
        && material.get_type()? == ValueType::Object
    {
        return Ok(KeyArg::Jwk(json_text(env, material)?));
    }
    let Some(material) = text_or_bytes(material)? else {
        return Ok(KeyArg::Invalid("object".to_owned()));
    };
    let passphrase: Unknown<'_> = object.get_named_property("passphrase")?;
    Ok(KeyArg::WithPassphrase {
        key: material,
        passphrase: text_or_bytes(passphrase)?.unwrap_or_default(),
    })
}

/// The bytes of a string (UTF-8) or of a `Buffer`/typed array; `None` for anything else.
fn text_or_bytes(value: Unknown<'_>) -> Result<Option<Vec<u8>>> {
    match value.get_type()? {
        // SAFETY: the engine reported a string, which `String::from_napi_value` reads with
        // `napi_get_value_string_utf8`.
        ValueType::String => Ok(Some(unsafe { value.cast::<String>() }?.into_bytes())),
        ValueType::Object => {
            // SAFETY: the engine reported an object, and `Object::from_napi_value` only wraps
            // the handle.
            let object: Object<'_> = unsafe { value.cast() }?;
            if object.is_buffer()? || object.is_typedarray()? || object.is_arraybuffer()? {
                Ok(Some(bytes_of(value)?))
            } else {
                Ok(None)
            }
        }
        _ => Ok(None),
    }
}

/// `JSON.stringify(value)`, as Node hands a JWK object to its key import.
fn json_text(env: &Env, value: Unknown<'_>) -> Result<String> {
    let json: Object<'_> = env.get_global()?.get_named_property("JSON")?;
    let stringify: Function<'_, Unknown<'_>, String> = json.get_named_property("stringify")?;
    stringify.apply(json, value)
}
