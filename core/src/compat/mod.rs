//! `jsonwebtoken` 9.0.3, exactly: `sign`, `verify` and `decode` with its options, its checks,
//! its defaults and its error messages, over JavaScript-shaped [`Value`]s. The Node drop-in is
//! a thin conversion onto these functions; the Python API reuses them.

use crate::error::Result;
use crate::key::{SigningKey, VerifyingKey};
use crate::value::Value;

/// The key argument of `sign` and `verify`, in every form `jsonwebtoken` accepts.
#[derive(Clone)]
pub enum KeyArg {
    /// No key, or a falsy one (`undefined`, `null`, `''`, `0`, `false`).
    Missing,
    /// A string: PEM text, or else a secret.
    Text(String),
    /// Bytes (a `Buffer`): PEM or DER, or else a secret.
    Bytes(Vec<u8>),
    /// `{ key, passphrase }`.
    WithPassphrase {
        /// The key text or bytes.
        key: Vec<u8>,
        /// The passphrase of an encrypted key.
        passphrase: Vec<u8>,
    },
    /// `{ key: <jwk object>, format: 'jwk' }`: the JWK as JSON text.
    Jwk(String),
    /// A key already parsed for signing (a Node private or secret `KeyObject`, a
    /// `QlikSigner`'s key).
    Signing(SigningKey),
    /// A key already parsed for verifying (a Node public or secret `KeyObject`).
    Verifying(VerifyingKey),
    /// Something that cannot be key material at all (a number, a plain object without
    /// `key`...): its `typeof`-style name.
    Invalid(String),
}

/// `jwt.sign(payload, key, options)` at the instant `now_ms` (milliseconds since the epoch,
/// `Date.now()`): the compact token, or `jsonwebtoken`'s error for these inputs.
pub fn sign(payload: &Value, key: &KeyArg, options: &Value, now_ms: f64) -> Result<String> {
    let _ = (payload, key, options, now_ms);
    todo!("SKELETON")
}

/// `jwt.verify(token, key, options)` at the instant `now_ms`: the payload (or, with
/// `complete: true`, `{ header, payload, signature }`), or `jsonwebtoken`'s error.
pub fn verify(token: &Value, key: &KeyArg, options: &Value, now_ms: f64) -> Result<Value> {
    Verification::start(token, options, now_ms)?.finish(key)
}

/// `jwt.decode(token, options)`: the payload (or `{ header, payload, signature }` with
/// `complete: true`), `Value::Null` for anything that is not a token, and an error only where
/// `jsonwebtoken` throws one.
pub fn decode(token: &Value, options: &Value) -> Result<Value> {
    let _ = (token, options);
    todo!("SKELETON")
}

/// A verification split in two, for `jsonwebtoken`'s key-retrieval callback: `start` checks the
/// options and decodes the token; the caller may look at [`Verification::header`] to choose a
/// key; `finish` checks signature and claims.
pub struct Verification {
    _skeleton: (),
}

impl Verification {
    /// Validates options and decodes the token, as `verify` does before it needs the key.
    pub fn start(token: &Value, options: &Value, now_ms: f64) -> Result<Self> {
        let _ = (token, options, now_ms);
        todo!("SKELETON")
    }

    /// The decoded header, handed to a key-retrieval callback.
    pub fn header(&self) -> &Value {
        todo!("SKELETON")
    }

    /// Finishes with the key: signature, algorithm and claim checks.
    pub fn finish(self, key: &KeyArg) -> Result<Value> {
        let _ = key;
        todo!("SKELETON")
    }
}
