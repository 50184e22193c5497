//! The few JavaScript operations `jsonwebtoken`'s rules are written in: truthiness, `typeof`,
//! property reads, `String(x)`, `===`, and `+`/`<` between a number and anything.

use super::{Value, property_order};

static UNDEFINED: Value = Value::Undefined;

/// JavaScript's white space and line terminators, as `String.prototype.trim` removes them and
/// `Number("...")` skips them.
pub(crate) fn is_js_whitespace(c: char) -> bool {
    matches!(
        c,
        '\u{9}' | '\u{A}' | '\u{B}' | '\u{C}' | '\u{D}' | ' ' | '\u{A0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200A}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202F}'
                | '\u{205F}'
                | '\u{3000}'
                | '\u{FEFF}'
    )
}

/// `Number.prototype.toString()` for a number (`1`, `1.5`, `1e+21`, `NaN`, `-Infinity`).
pub fn number_to_string(n: f64) -> String {
    ryu_js::Buffer::new().format(n).to_owned()
}

impl Value {
    /// JavaScript truthiness (`if (x)`): `undefined`, `null`, `false`, `0`, `NaN` and `''`
    /// are falsy. An `Other` value is truthy (objects, functions and symbols are).
    pub fn is_truthy(&self) -> bool {
        match self {
            Value::Undefined | Value::Null => false,
            Value::Bool(b) => *b,
            Value::Number(n) => *n != 0.0 && !n.is_nan(),
            Value::String(s) => !s.is_empty(),
            _ => true,
        }
    }

    /// `typeof x`, with a `Buffer`, an array, a regular expression and `null` as `"object"`.
    pub fn type_of(&self) -> &str {
        match self {
            Value::Undefined => "undefined",
            Value::Bool(_) => "boolean",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Null
            | Value::Array(_)
            | Value::Object(_)
            | Value::Bytes(_)
            | Value::RegExp { .. } => "object",
            Value::Other(name) => match name.as_str() {
                "function" | "symbol" | "bigint" | "undefined" => name,
                _ => "object",
            },
        }
    }

    /// `x[key]` for an ordinary property: the value of an object's own key (the last one if it
    /// is duplicated), `undefined` for everything else. Reading a property of `null` or
    /// `undefined` throws in JavaScript; callers that must mirror that check first.
    pub fn get(&self, key: &str) -> &Value {
        match self {
            Value::Object(entries) => property_order::lookup(entries, key).unwrap_or(&UNDEFINED),
            _ => &UNDEFINED,
        }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The number, if this is one.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(*n),
            _ => None,
        }
    }

    /// `String(x)`: how JavaScript prints a value when it builds a message. Arrays join their
    /// elements with `,` (`undefined` and `null` as empty), objects print `[object Object]`,
    /// a regular expression `/source/flags`, a `Buffer` its UTF-8 text.
    pub fn to_js_string(&self) -> String {
        match self {
            Value::Undefined => "undefined".into(),
            Value::Null => "null".into(),
            Value::Bool(b) => b.to_string(),
            Value::Number(n) => number_to_string(*n),
            Value::String(s) => s.clone(),
            Value::Array(items) => items
                .iter()
                .map(|item| match item {
                    Value::Undefined | Value::Null => String::new(),
                    other => other.to_js_string(),
                })
                .collect::<Vec<_>>()
                .join(","),
            Value::Object(_) => "[object Object]".into(),
            Value::Bytes(bytes) => String::from_utf8_lossy(bytes).into_owned(),
            Value::RegExp { source, flags } => format!("/{source}/{flags}"),
            Value::Other(name) => format!("[object {name}]"),
        }
    }

    /// `a === b`. Objects, arrays, buffers and regular expressions are compared by identity in
    /// JavaScript, and two values handed over separately are never the same object.
    pub fn strict_equals(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Undefined, Value::Undefined) | (Value::Null, Value::Null) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Number(a), Value::Number(b)) => a == b,
            (Value::String(a), Value::String(b)) => a == b,
            _ => false,
        }
    }

    /// `ToNumber(x)` for the values a comparison may meet.
    pub(crate) fn to_js_number(&self) -> f64 {
        match self {
            Value::Undefined => f64::NAN,
            Value::Null => 0.0,
            Value::Bool(b) => f64::from(u8::from(*b)),
            Value::Number(n) => *n,
            Value::String(s) => string_to_number(s),
            Value::Array(_) | Value::Bytes(_) => string_to_number(&self.to_js_string()),
            _ => f64::NAN,
        }
    }
}

/// The result of `number + x` in JavaScript: a number, or a string when `x` turns into one.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Sum {
    Number(f64),
    String(String),
}

/// `n + x`, as `clockTimestamp + (options.clockTolerance || 0)` computes it.
pub(crate) fn add(n: f64, x: &Value) -> Sum {
    match x {
        Value::Undefined | Value::Null | Value::Bool(_) | Value::Number(_) => {
            Sum::Number(n + x.to_js_number())
        }
        other => Sum::String(number_to_string(n) + &other.to_js_string()),
    }
}

impl Sum {
    fn to_number(&self) -> f64 {
        match self {
            Sum::Number(n) => *n,
            Sum::String(s) => string_to_number(s),
        }
    }
}

/// `a > b` where `a` is a number.
pub(crate) fn greater_than(a: f64, b: &Sum) -> bool {
    a > b.to_number()
}

/// `a >= b` where `a` is a number (false when either side is `NaN`).
pub(crate) fn greater_or_equal(a: f64, b: &Sum) -> bool {
    a >= b.to_number()
}

/// `Number(s)`: white space trimmed, empty is 0, decimal, `Infinity`, or `0x`/`0o`/`0b`
/// integers; anything else is `NaN`.
pub(crate) fn string_to_number(s: &str) -> f64 {
    let t = s.trim_matches(is_js_whitespace);
    if t.is_empty() {
        return 0.0;
    }
    let radix = match t.get(..2) {
        Some("0x" | "0X") => Some(16),
        Some("0o" | "0O") => Some(8),
        Some("0b" | "0B") => Some(2),
        _ => None,
    };
    if let Some(radix) = radix {
        let digits = &t[2..];
        if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
            return f64::NAN;
        }
        return digits.chars().fold(0.0, |acc, c| {
            acc * f64::from(radix) + f64::from(c.to_digit(radix).unwrap_or(0))
        });
    }
    let unsigned = t.strip_prefix(['+', '-']).unwrap_or(t);
    if unsigned == "Infinity" {
        return if t.starts_with('-') {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        };
    }
    let valid = !unsigned.is_empty()
        && unsigned
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'))
        && unsigned
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit() || c == '.');
    if !valid {
        return f64::NAN;
    }
    t.parse::<f64>().unwrap_or(f64::NAN)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truthiness_follows_javascript() {
        for falsy in [
            Value::Undefined,
            Value::Null,
            Value::Bool(false),
            Value::Number(0.0),
            Value::Number(-0.0),
            Value::Number(f64::NAN),
            Value::String(String::new()),
        ] {
            assert!(!falsy.is_truthy(), "{falsy:?}");
        }
        for truthy in [
            Value::Bool(true),
            Value::Number(-1.0),
            Value::String("0".into()),
            Value::Array(vec![]),
            Value::Object(vec![]),
            Value::Bytes(vec![]),
        ] {
            assert!(truthy.is_truthy(), "{truthy:?}");
        }
    }

    #[test]
    fn string_conversion_follows_javascript() {
        // Node: String([1, null, undefined, 'a', [2, 3]]) === '1,,,a,2,3'
        let list = Value::Array(vec![
            Value::Number(1.0),
            Value::Null,
            Value::Undefined,
            Value::String("a".into()),
            Value::Array(vec![Value::Number(2.0), Value::Number(3.0)]),
        ]);
        assert_eq!(list.to_js_string(), "1,,,a,2,3");
        assert_eq!(Value::Number(1e21).to_js_string(), "1e+21");
        assert_eq!(Value::Number(-0.0).to_js_string(), "0");
        assert_eq!(
            Value::Number(0.1 + 0.2).to_js_string(),
            "0.30000000000000004"
        );
        assert_eq!(
            Value::RegExp {
                source: "abc".into(),
                flags: "i".into()
            }
            .to_js_string(),
            "/abc/i"
        );
        assert_eq!(Value::Object(vec![]).to_js_string(), "[object Object]");
    }

    #[test]
    fn number_plus_value_concatenates_like_javascript() {
        // Node: 1700000000 + '5' === '17000000005'; 10 + true === 11; 10 + null === 10
        assert_eq!(
            add(1_700_000_000.0, &Value::String("5".into())),
            Sum::String("17000000005".into())
        );
        assert_eq!(add(10.0, &Value::Bool(true)), Sum::Number(11.0));
        assert_eq!(add(10.0, &Value::Null), Sum::Number(10.0));
        assert!(matches!(add(10.0, &Value::Undefined), Sum::Number(n) if n.is_nan()));
    }

    #[test]
    fn strings_convert_to_numbers_like_javascript() {
        assert_eq!(string_to_number(" 12 "), 12.0);
        assert_eq!(string_to_number(""), 0.0);
        assert_eq!(string_to_number("0x1f"), 31.0);
        assert_eq!(string_to_number("-Infinity"), f64::NEG_INFINITY);
        assert_eq!(string_to_number(".5e1"), 5.0);
        assert!(string_to_number("12px").is_nan());
        assert!(string_to_number("inf").is_nan());
        assert!(string_to_number("-0x10").is_nan());
    }
}
