//! `sign`, `verify` and `decode` as the Node and Python packages ship them: [`compat`]'s, which
//! are `jsonwebtoken` 9.0.3 exactly, with one layer around `sign`. A token whose audience is
//! Qlik Cloud's ([`qlik::AUDIENCE`], alone or in an array) must pass Qlik's rules
//! ([`qlik::check_claims`]), or `sign` refuses it with an [`ErrorCode::QlikRule`] error naming
//! each rule, before anything is signed. Every other token is `jsonwebtoken`'s, byte for byte.
//!
//! The layer is a [`compat::Guard`]: it runs after every `jsonwebtoken` check, so an input
//! `jsonwebtoken` refuses gets `jsonwebtoken`'s error first.
//!
//! [`ErrorCode::QlikRule`]: crate::ErrorCode::QlikRule

use crate::compat::{self, Unsigned};
use crate::error::Result;
use crate::qlik;
use crate::value::Value;

pub use crate::compat::{
    KeyArg, PreparedSign, Signed, Verification, callback_required_error, decode,
    key_callback_error, mutates_payload, verify,
};

/// `jsonwebtoken`'s `sign` with Qlik's rules for Qlik's audience.
const SIGN: compat::Sign = compat::Sign::guarded(qlik_rules);

/// [`compat::sign`], refusing a token for Qlik's audience that Qlik would refuse.
pub fn sign(payload: &Value, key: &KeyArg, options: &Value, now_ms: f64) -> Result<String> {
    SIGN.sign(payload, key, options, now_ms)
}

/// [`compat::sign_json`], refusing a token for Qlik's audience that Qlik would refuse.
pub fn sign_json(payload_json: &str, key: &KeyArg, options: &Value, now_ms: f64) -> Result<String> {
    SIGN.sign_json(payload_json, key, options, now_ms)
}

/// [`compat::sign_with_claims`], refusing a token for Qlik's audience that Qlik would refuse.
pub fn sign_with_claims(
    payload: &Value,
    key: &KeyArg,
    options: &Value,
    now_ms: f64,
) -> Result<Signed> {
    SIGN.sign_with_claims(payload, key, options, now_ms)
}

/// [`compat::prepare_sign`], refusing a token for Qlik's audience that Qlik would refuse.
pub fn prepare_sign(
    payload: &Value,
    key: &KeyArg,
    options: &Value,
    now_ms: f64,
) -> Result<PreparedSign> {
    SIGN.prepare_sign(payload, key, options, now_ms)
}

/// The guard: only an object payload whose `aud` names Qlik, with an object header, is
/// checked, so every other token costs one look at `aud`.
fn qlik_rules(unsigned: &Unsigned<'_>) -> Result<()> {
    if !qlik::is_qlik_audience(unsigned.claim("aud")) {
        return Ok(());
    }
    match (unsigned.header(), unsigned.claims()?) {
        (header @ Value::Object(_), Some(claims)) => {
            qlik::refuse_what_qlik_refuses(header, &claims)
        }
        _ => Ok(()),
    }
}
