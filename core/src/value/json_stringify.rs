//! `JSON.stringify`, byte for byte: JavaScript number formatting, its string escaping, its
//! property order, and its treatment of values JSON has no form for.
//!
//! Strings in a [`Value`] are Rust strings, so they cannot hold a lone UTF-16 surrogate; a
//! binding converting a JavaScript string that has one replaces it with U+FFFD, where
//! `JSON.stringify` would write `\udXXX`. That is the one input whose bytes differ from Node's.

use std::fmt::Write as _;

use super::{Value, property_order};
use crate::error::{Error, ErrorCode, Result};

use super::depth::MAX_DEPTH;

impl Value {
    /// `JSON.stringify(value)`: `None` where JavaScript returns `undefined` (for `undefined`,
    /// a function or a symbol), an error where it throws (a bigint, nesting too deep).
    ///
    /// `Bytes` serialize as a Node `Buffer` does (`{"type":"Buffer","data":[...]}`), a regular
    /// expression as `{}`, and an `Other` value that is an object as `{}` (bindings call
    /// `toJSON` and convert plain objects before the value gets here).
    pub fn json_stringify(&self) -> Result<Option<String>> {
        if skipped(self) {
            return Ok(None);
        }
        let mut out = String::with_capacity(256);
        write_value(&mut out, self, 0)?;
        Ok(Some(out))
    }

    /// `JSON.stringify` of an object with these members, which must be in JavaScript's
    /// enumeration order without duplicates (as [`crate::value::js_entries`] gives them). A
    /// member given as JSON text is copied as is.
    pub(crate) fn object_json<'a>(
        members: impl Iterator<Item = (&'a str, JsonMember<'a>)>,
    ) -> Result<String> {
        let mut out = String::with_capacity(256);
        write_members(&mut out, members, 0)?;
        Ok(out)
    }

    /// [`Value::object_json`] of the object whose JSON text is `object_json` (as
    /// `JSON.stringify` wrote it) with `more` members after its own: its text, extended.
    pub(crate) fn object_json_extended<'a>(
        object_json: &str,
        more: impl Iterator<Item = (&'a str, JsonMember<'a>)>,
    ) -> Result<String> {
        let open = object_json.strip_suffix('}').unwrap_or(object_json);
        let mut out = String::with_capacity(object_json.len() + 128);
        out.push_str(open);
        write_more_members(&mut out, more, 0, open == "{")?;
        out.push('}');
        Ok(out)
    }

    /// `JSON.stringify(value)` for a value that has a JSON form; an error for `undefined`,
    /// functions and symbols, which have none.
    pub fn to_json_string(&self) -> Result<String> {
        self.json_stringify()?.ok_or_else(|| {
            Error::plain(
                ErrorCode::InvalidPayload,
                format!("a value of type {} has no JSON form", self.type_of()),
            )
        })
    }
}

/// A member of [`Value::object_json`]'s object: a value to write, or JSON text to copy.
#[derive(Clone, Copy)]
pub(crate) enum JsonMember<'a> {
    /// A value, written as `JSON.stringify` writes it.
    Value(&'a Value),
    /// The JSON text `JSON.stringify` wrote for a value.
    Json(&'a str),
}

/// Values `JSON.stringify` leaves out of objects and writes as `null` in arrays.
fn skipped(value: &Value) -> bool {
    match value {
        Value::Undefined => true,
        Value::Other(name) => matches!(name.as_str(), "function" | "symbol" | "undefined"),
        _ => false,
    }
}

fn write_value(out: &mut String, value: &Value, depth: usize) -> Result<()> {
    if depth > MAX_DEPTH {
        return Err(Error::plain(
            ErrorCode::InvalidPayload,
            "Maximum call stack size exceeded",
        ));
    }
    match value {
        Value::Undefined | Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => write_number(out, *n),
        Value::String(s) => write_string(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                if skipped(item) {
                    out.push_str("null");
                } else {
                    write_value(out, item, depth + 1)?;
                }
            }
            out.push(']');
        }
        Value::Object(entries) => {
            let members =
                property_order::js_entries(entries).map(|(k, v)| (k, JsonMember::Value(v)));
            write_members(out, members, depth)?;
        }
        Value::Bytes(bytes) => {
            out.push_str("{\"type\":\"Buffer\",\"data\":[");
            for (i, byte) in bytes.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                let _ = write!(out, "{byte}");
            }
            out.push_str("]}");
        }
        Value::RegExp { .. } => out.push_str("{}"),
        Value::Other(name) if name == "bigint" => {
            return Err(Error::type_error(
                ErrorCode::InvalidPayload,
                "Do not know how to serialize a BigInt",
            ));
        }
        Value::Other(_) => out.push_str("{}"),
    }
    Ok(())
}

/// An object at `depth` with these members, in the order given.
fn write_members<'a>(
    out: &mut String,
    members: impl Iterator<Item = (&'a str, JsonMember<'a>)>,
    depth: usize,
) -> Result<()> {
    out.push('{');
    write_more_members(out, members, depth, true)?;
    out.push('}');
    Ok(())
}

/// The members of an object at `depth` whose `{` (and, unless `first`, earlier members) `out`
/// already holds.
fn write_more_members<'a>(
    out: &mut String,
    members: impl Iterator<Item = (&'a str, JsonMember<'a>)>,
    depth: usize,
    mut first: bool,
) -> Result<()> {
    for (key, member) in members {
        if let JsonMember::Value(value) = member
            && skipped(value)
        {
            continue;
        }
        if !first {
            out.push(',');
        }
        first = false;
        write_string(out, key);
        out.push(':');
        match member {
            JsonMember::Value(value) => write_value(out, value, depth + 1)?,
            JsonMember::Json(json) => out.push_str(json),
        }
    }
    Ok(())
}

/// A number as `JSON.stringify` writes it: JavaScript's shortest round-trip form (`1`, not
/// `1.0`; `1e+21`; `-0` as `0`), and `null` for `NaN` and the infinities.
fn write_number(out: &mut String, n: f64) {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        // Whole numbers (every NumericDate) print as their digits; -0 as 0.
        write_integer(out, n);
    } else if n.is_finite() {
        out.push_str(ryu_js::Buffer::new().format_finite(n));
    } else {
        out.push_str("null");
    }
}

/// A whole number below 1e15 in magnitude, exact as an integer, in decimal.
fn write_integer(out: &mut String, n: f64) {
    if n < 0.0 {
        out.push('-');
    }
    // Exact: |n| < 1e15 < 2^53 and has no fraction.
    let mut rest = n.abs() as u64;
    let mut digits = [0u8; 16];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    for &digit in &digits[at..] {
        out.push(char::from(digit));
    }
}

/// A string as `JSON.stringify` quotes it: `"` and `\` escaped, the short escapes `\b \f \n
/// \r \t`, other control characters as `\u00xx`, everything else (U+2028 included) as is.
fn write_string(out: &mut String, s: &str) {
    out.reserve(s.len() + 2);
    out.push('"');
    // Most strings need no escape at all: one branch-free (vectorized) pass finds that out.
    let plain = !s.bytes().fold(false, |special, b| {
        special | (b < 0x20) | (b == b'"') | (b == b'\\')
    });
    if plain {
        out.push_str(s);
        out.push('"');
        return;
    }
    let mut start = 0;
    // Every character that needs an escape is ASCII, and no byte of a multi-byte UTF-8
    // character is: scanning bytes finds exactly those characters, at char boundaries.
    for (i, &byte) in s.as_bytes().iter().enumerate() {
        let escape = ESCAPES[usize::from(byte)];
        if escape == 0 {
            continue;
        }
        out.push_str(&s[start..i]);
        out.push('\\');
        if escape == b'u' {
            out.push_str("u00");
            out.push(char::from(HEX_DIGITS[usize::from(byte >> 4)]));
            out.push(char::from(HEX_DIGITS[usize::from(byte & 0xf)]));
        } else {
            out.push(char::from(escape));
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

const HEX_DIGITS: &[u8; 16] = b"0123456789abcdef";

/// For each byte, the character after the backslash of its escape (`u` for `\u00xx`), or 0
/// for a byte written as is.
pub(super) static ESCAPES: [u8; 256] = escapes();

const fn escapes() -> [u8; 256] {
    let mut table = [0; 256];
    let mut byte = 0;
    while byte < 0x20 {
        table[byte] = b'u';
        byte += 1;
    }
    table[0x08] = b'b';
    table[0x0c] = b'f';
    table[b'\n' as usize] = b'n';
    table[b'\r' as usize] = b'r';
    table[b'\t' as usize] = b't';
    table[b'"' as usize] = b'"';
    table[b'\\' as usize] = b'\\';
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> Value {
        Value::String(v.into())
    }

    fn json(v: &Value) -> String {
        v.to_json_string().unwrap()
    }

    // Expected strings below are JSON.stringify's output in Node 20 for the same values.

    #[test]
    fn numbers_print_like_javascript() {
        let cases = [
            (1.0, "1"),
            (-0.0, "0"),
            (1.5, "1.5"),
            (1e21, "1e+21"),
            (1e-7, "1e-7"),
            (123456789012345680000.0, "123456789012345680000"),
            (0.1 + 0.2, "0.30000000000000004"),
            (f64::NAN, "null"),
            (f64::INFINITY, "null"),
            (f64::NEG_INFINITY, "null"),
            (5e-324, "5e-324"),
        ];
        for (n, expected) in cases {
            assert_eq!(json(&Value::Number(n)), expected, "{n}");
        }
    }

    #[test]
    fn whole_numbers_print_as_the_general_formatter_prints_them() {
        let mut numbers = vec![
            0.0,
            -0.0,
            1.0,
            -1.0,
            999_999_999_999_999.0,
            -999_999_999_999_999.0,
        ];
        let mut n = 1.0f64;
        while n < 1e15 {
            for m in [
                n - 1.0,
                n,
                n + 1.0,
                (n * 7.0 / 3.0).floor(),
                1.7e9 + n % 97.0,
            ] {
                numbers.extend([m, -m]);
            }
            n *= 10.0;
        }
        for n in numbers {
            let (mut fast, mut general) = (String::new(), String::new());
            write_number(&mut fast, n);
            general.push_str(ryu_js::Buffer::new().format_finite(n));
            assert_eq!(fast, general, "{n}");
        }
        // At 1e15 and beyond, and with a fraction, the general formatter runs.
        assert_eq!(json(&Value::Number(1e15)), "1000000000000000");
        assert_eq!(json(&Value::Number(1e21)), "1e+21");
        assert_eq!(json(&Value::Number(-2.5)), "-2.5");
    }

    #[test]
    fn strings_escape_like_javascript() {
        let expected = "\"a\\\"b\\\\c\\b\\f\\n\\r\\t\\u0001\\u001f\u{7f}\"";
        assert_eq!(
            json(&s("a\"b\\c\u{8}\u{c}\n\r\t\u{1}\u{1f}\u{7f}")),
            expected
        );
        assert_eq!(json(&s("\u{2028}é😀/<")), "\"\u{2028}é😀/<\"");
    }

    /// The char-at-a-time escaper the byte table replaced, kept as the reference.
    fn reference_write_string(out: &mut String, s: &str) {
        out.push('"');
        let mut start = 0;
        for (i, c) in s.char_indices() {
            let escape = match c {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\u{8}' => "\\b",
                '\u{C}' => "\\f",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                c if (c as u32) < 0x20 => "",
                _ => continue,
            };
            out.push_str(&s[start..i]);
            if escape.is_empty() {
                let _ = write!(out, "\\u{:04x}", c as u32);
            } else {
                out.push_str(escape);
            }
            start = i + c.len_utf8();
        }
        out.push_str(&s[start..]);
        out.push('"');
    }

    #[test]
    fn the_byte_table_escapes_every_char_class_as_the_reference() {
        // Every ASCII character, then characters of 2, 3 and 4 UTF-8 bytes (U+2028 and the
        // last BMP and Unicode code points included), alone, repeated and between others.
        let mut chars: Vec<char> = (0u8..0x80).map(char::from).collect();
        chars.extend([
            '\u{80}',
            '\u{9f}',
            'é',
            '\u{7ff}',
            '\u{800}',
            '\u{2028}',
            '\u{2029}',
            '€',
            '\u{fffd}',
            '\u{ffff}',
            '😀',
            '\u{10ffff}',
        ]);
        let mut samples: Vec<String> = vec![String::new()];
        for &c in &chars {
            samples.push(c.to_string());
            samples.push(format!("a{c}{c}b"));
            samples.push(format!("{c}\"\u{1}é{c}"));
        }
        samples.push(chars.iter().collect());
        samples.push(chars.iter().rev().collect());
        for sample in samples {
            let (mut fast, mut reference) = (String::new(), String::new());
            write_string(&mut fast, &sample);
            reference_write_string(&mut reference, &sample);
            assert_eq!(fast, reference, "{sample:?}");
        }
    }

    #[test]
    fn undefined_functions_and_symbols_are_dropped_or_null() {
        let value = Value::Object(vec![
            ("a".into(), Value::Undefined),
            ("b".into(), Value::Other("function".into())),
            (
                "c".into(),
                Value::Array(vec![
                    Value::Undefined,
                    Value::Other("symbol".into()),
                    Value::Number(f64::NAN),
                ]),
            ),
            ("d".into(), Value::Null),
        ]);
        assert_eq!(json(&value), r#"{"c":[null,null,null],"d":null}"#);
        assert_eq!(Value::Undefined.json_stringify().unwrap(), None);
        assert_eq!(
            Value::Other("function".into()).json_stringify().unwrap(),
            None
        );
    }

    #[test]
    fn objects_enumerate_in_javascript_order() {
        // Node: JSON.stringify({b: 1, 2: 2, a: 3, 1: 4}) === '{"1":4,"2":2,"b":1,"a":3}'
        let value = Value::Object(vec![
            ("b".into(), Value::Number(1.0)),
            ("2".into(), Value::Number(2.0)),
            ("a".into(), Value::Number(3.0)),
            ("1".into(), Value::Number(4.0)),
        ]);
        assert_eq!(json(&value), r#"{"1":4,"2":2,"b":1,"a":3}"#);
    }

    #[test]
    fn buffers_regexps_and_bigints() {
        assert_eq!(
            json(&Value::Bytes(vec![1, 255])),
            r#"{"type":"Buffer","data":[1,255]}"#
        );
        assert_eq!(
            json(&Value::RegExp {
                source: "a".into(),
                flags: "g".into()
            }),
            "{}"
        );
        let err = Value::Array(vec![Value::Other("bigint".into())])
            .json_stringify()
            .unwrap_err();
        assert_eq!(err.message(), "Do not know how to serialize a BigInt");
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let mut value = Value::Null;
        for _ in 0..(MAX_DEPTH + 5) {
            value = Value::Array(vec![value]);
        }
        assert!(value.json_stringify().is_err());
    }
}
