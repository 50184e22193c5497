//! A JavaScript-shaped value: what the `jsonwebtoken` contract is written in.
//!
//! `jsonwebtoken`'s rules depend on JavaScript distinctions that JSON loses: `undefined` versus
//! a missing key, `NaN`, a plain object versus a `Date` or class instance, the order of keys.
//! Bindings convert their native values into [`Value`] (calling `toJSON` on the way, as
//! `JSON.stringify` would), and the core applies every rule and serializes with
//! `JSON.stringify`'s exact output, so Rust, Node and Python make the same bytes.

/// A JavaScript value as far as JWT signing, verifying and decoding can observe it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `undefined` (also: a missing optional argument).
    Undefined,
    /// `null`.
    Null,
    /// A boolean.
    Bool(bool),
    /// A number (`NaN` and the infinities included).
    Number(f64),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Value>),
    /// A plain object, keys in JavaScript's property order.
    Object(Vec<(String, Value)>),
    /// Raw bytes (a Node `Buffer`, Python `bytes`).
    Bytes(Vec<u8>),
    /// A regular expression (a verify `audience` may be one).
    RegExp {
        /// The pattern source.
        source: String,
        /// The flags, e.g. `"i"`.
        flags: String,
    },
    /// Anything else (a function, a `Date`, a class instance, a symbol, a bigint): its
    /// `typeof`-style name, used in messages and by plain-object checks.
    Other(String),
}

mod convert;
mod depth;
mod js;
mod json_parse;
mod json_stringify;
mod object_text;
mod plain_run;
mod property_order;

pub use depth::{CONVERSION_DEPTH_LIMIT, MAX_DEPTH};
pub use js::number_to_string;
pub(crate) use js::{add as js_add, greater_or_equal, greater_than, is_js_whitespace};
pub(crate) use json_stringify::JsonMember;
pub(crate) use object_text::ObjectText;
pub use property_order::is_array_index;
pub(crate) use property_order::{assign as assign_property, js_entries, same_key};
/// The reference behaviour `sign`'s borrowed claims are tested against.
#[cfg(test)]
pub(crate) use property_order::{normalize as normalize_object, remove as remove_property};
