//! `jsonwebtoken` 9.0.3, exactly: `sign`, `verify` and `decode` with its options, its checks,
//! its defaults and its error messages, over JavaScript-shaped [`Value`]s. Nothing of Qlik is
//! here: the packages' `sign` is [`crate::drop_in`]'s, which adds Qlik's rules as a
//! [`Guard`] around this one.
//!
//! The clock is always an argument (`now_ms`, what `Date.now()` returns). Every check runs in
//! `jsonwebtoken`'s order, so the first failure reported is the one it reports, with the same
//! message and the same class ([`crate::ErrorClass`]).
//!
//! [`Value`]: crate::Value
//!
//! # Where a JavaScript value cannot say what Node would see
//!
//! The results match `jsonwebtoken` for every input a [`Value`] can express; the few inputs
//! that cannot be expressed exactly:
//!
//! - A string with a lone UTF-16 surrogate arrives with U+FFFD in its place (Rust strings
//!   cannot hold one), so its JSON differs from `JSON.stringify`'s `\udXXX`.
//! - `JSON.parse` failures carry V8's `SyntaxError` message (checked against Node on random
//!   texts); nesting deeper than 1000 levels is refused where V8 may still parse.
//! - A `null` key is [`KeyArg::Missing`], like `undefined`: `jsonwebtoken`'s `TypeError`
//!   about reading `type` of a missing key (a `none` token whose header says `HS256`) says
//!   `undefined` even where the caller passed `null`.
//! - An audience `RegExp` runs on the `regex` crate after translating JavaScript's `\d \w \s
//!   \b .` and `[^]`; lookaround, backreferences and a few lenient JavaScript syntaxes (a lone
//!   `{`) are refused with an error instead of evaluated, and case-insensitive matching of a
//!   few non-ASCII letters follows Unicode folding rather than `toUpperCase`. The `g`/`y`
//!   `lastIndex` of a `RegExp` object reused across calls is not carried over.
//! - Algorithm/key pairs that only `allowInvalidAsymmetricKeyTypes` lets through: an Ed25519
//!   key gives Node's "Unsupported crypto operation" and an EC key with RS/PS gives
//!   `jsonwebtoken`'s "minimum key size" error, as there; but where Node's OpenSSL would still
//!   produce a signature (an EC key with RS/PS and `allowInsecureKeySizes`, a secp256k1 key
//!   with ES256, an RSA key with ES*), the key layer refuses the pair instead.
//! - `mutatePayload: true` is a binding's job: [`sign_with_claims`] returns the payload as
//!   signed, for the binding to copy the claims into the caller's object.
//!
//! A binding that has a plain-object payload as `JSON.stringify`'s text (the Node binding
//! does) calls [`sign_json`]: the same token as [`sign`] of the parsed payload, without
//! parsing and rewriting the members `sign` does not look at.

mod audience;
mod decode;
mod js_errors;
mod key_arg;
mod key_checks;
mod node_buffer;
mod options;
mod sign;
mod verify;

pub use decode::decode;
pub use key_arg::KeyArg;
pub use sign::{
    Guard, PreparedSign, Sign, Signed, Unsigned, mutates_payload, prepare_sign, sign, sign_json,
    sign_with_claims,
};
pub use verify::{Verification, callback_required_error, key_callback_error, verify};
