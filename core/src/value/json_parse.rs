//! `JSON.parse`: strict JSON into a [`Value`], numbers as `f64`, a duplicated key keeping its
//! first position and its last value, objects in JavaScript's property order. Failures carry
//! V8's `SyntaxError` message (Node 20's wording, positions in UTF-16 units), checked against
//! Node on tens of thousands of random broken texts (`tests/value_json.rs`). A lone surrogate
//! escape (`"\ud800"`) becomes U+FFFD, since a Rust string cannot hold it.

use super::depth::MAX_DEPTH;
use super::plain_run::plain_run;
use super::{Value, property_order};
use crate::error::{Error, ErrorClass, ErrorCode, Result};

impl Value {
    /// `JSON.parse(text)`. The error (class `SyntaxError`, code `MalformedToken`) carries the
    /// message V8 gives its `SyntaxError` in the common cases.
    pub fn from_json_str(text: &str) -> Result<Value> {
        let mut parser = Parser {
            text,
            bytes: text.as_bytes(),
            pos: 0,
        };
        let value = parser.value(0)?;
        parser.skip_whitespace();
        if parser.pos < parser.bytes.len() {
            let position = utf16_len(&text[..parser.pos]);
            return Err(parser.error(format!(
                "Unexpected non-whitespace character after JSON at position {position}"
            )));
        }
        Ok(value)
    }
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

/// Sources shorter than this are quoted whole in an "Unexpected token" message.
const SHORT_SOURCE: usize = 21;
/// Characters of context V8 quotes on each side of an unexpected token in a longer source.
const CONTEXT: usize = 10;

impl Parser<'_> {
    /// V8's `SyntaxError` for text that is not JSON.
    fn error(&self, message: String) -> Error {
        Error::new(ErrorCode::MalformedToken, ErrorClass::Syntax, message)
    }

    /// "`what` in JSON at position N", N in UTF-16 units as V8 counts.
    fn at(&self, what: &str, byte_pos: usize) -> Error {
        let position = utf16_len(&self.text[..byte_pos.min(self.text.len())]);
        self.error(format!("{what} in JSON at position {position}"))
    }

    fn unexpected_end(&self) -> Error {
        self.error("Unexpected end of JSON input".into())
    }

    /// V8's "Unexpected token" message, quoting the source (or ten characters around the
    /// token when the source is long).
    fn unexpected_token(&self, byte_pos: usize) -> Error {
        if byte_pos >= self.bytes.len() {
            return self.unexpected_end();
        }
        // V8 names the token by its kind when it starts a string or a number.
        match self.bytes[byte_pos] {
            b'"' => return self.at("Unexpected string", byte_pos),
            b'-' | b'0'..=b'9' => return self.at("Unexpected number", byte_pos),
            _ => {}
        }
        if matches!(
            self.text,
            "undefined" | "NaN" | "Infinity" | "[object Object]"
        ) {
            return self.error(format!("\"{}\" is not valid JSON", self.text));
        }
        // V8 quotes one UTF-16 unit: for a character outside the BMP, a lone high surrogate,
        // which a Rust string holds as U+FFFD.
        let token = self.text[byte_pos..]
            .chars()
            .next()
            .filter(|c| c.len_utf16() == 1)
            .unwrap_or('\u{FFFD}');
        let units: Vec<u16> = self.text.encode_utf16().collect();
        let pos = utf16_len(&self.text[..byte_pos]);
        let len = units.len();
        let slice = |from: usize, to: usize| String::from_utf16_lossy(&units[from..to.min(len)]);
        let quoted = if len < SHORT_SOURCE {
            format!("\"{}\"", self.text)
        } else if pos < CONTEXT {
            format!("\"{}\"...", slice(0, pos + CONTEXT))
        } else if pos < len - CONTEXT {
            format!("...\"{}\"...", slice(pos - CONTEXT, pos + CONTEXT))
        } else {
            format!("...\"{}\"", slice(pos - CONTEXT, len))
        };
        self.error(format!(
            "Unexpected token '{token}', {quoted} is not valid JSON"
        ))
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value> {
        if depth > MAX_DEPTH {
            // V8 runs out of stack (a `RangeError`), which is no statement about the text.
            return Err(Error::plain(
                ErrorCode::MalformedToken,
                "Maximum call stack size exceeded",
            ));
        }
        self.skip_whitespace();
        match self.peek() {
            None => Err(self.unexpected_end()),
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => self.string().map(Value::String),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b't') => self.literal("true", Value::Bool(true)),
            Some(b'f') => self.literal("false", Value::Bool(false)),
            Some(b'n') => self.literal("null", Value::Null),
            Some(_) => Err(self.unexpected_token(self.pos)),
        }
    }

    fn literal(&mut self, word: &str, value: Value) -> Result<Value> {
        for expected in word.bytes() {
            match self.peek() {
                None => return Err(self.unexpected_end()),
                Some(b) if b == expected => self.pos += 1,
                Some(_) => return Err(self.unexpected_token(self.pos)),
            }
        }
        Ok(value)
    }

    fn object(&mut self, depth: usize) -> Result<Value> {
        self.pos += 1; // '{'
        // Room for a token's claims in one allocation.
        let mut entries: Vec<(String, Value)> = Vec::with_capacity(8);
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Value::Object(entries));
        }
        loop {
            self.skip_whitespace();
            if self.peek() != Some(b'"') {
                let what = if entries.is_empty() {
                    "Expected property name or '}'"
                } else {
                    "Expected double-quoted property name"
                };
                return Err(self.at(what, self.pos));
            }
            let key = self.string()?;
            self.skip_whitespace();
            if self.peek() != Some(b':') {
                if self.peek().is_none() && !entries.is_empty() {
                    return Err(self.unexpected_end());
                }
                return Err(self.at("Expected ':' after property name", self.pos));
            }
            self.pos += 1;
            let value = self.value(depth + 1)?;
            entries.push((key, value));
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Value::Object(property_order::normalize(entries)));
                }
                _ => return Err(self.at("Expected ',' or '}' after property value", self.pos)),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value> {
        self.pos += 1; // '['
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Value::Array(items));
        }
        loop {
            items.push(self.value(depth + 1)?);
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Value::Array(items));
                }
                _ => return Err(self.at("Expected ',' or ']' after array element", self.pos)),
            }
        }
    }

    fn string(&mut self) -> Result<String> {
        self.pos += 1; // opening quote
        let mut out = String::new();
        let mut run_start = self.pos;
        loop {
            self.pos += plain_run(&self.bytes[self.pos..]);
            match self.peek() {
                None => return Err(self.at("Unterminated string", self.pos)),
                Some(b'"') => {
                    let run = &self.text[run_start..self.pos];
                    self.pos += 1;
                    if out.is_empty() {
                        // No escape before: one allocation of the exact size, no growth.
                        return Ok(run.to_owned());
                    }
                    out.push_str(run);
                    return Ok(out);
                }
                Some(b'\\') => {
                    out.push_str(&self.text[run_start..self.pos]);
                    self.pos += 1;
                    self.escape(&mut out)?;
                    run_start = self.pos;
                }
                Some(_) => {
                    return Err(self.at("Bad control character in string literal", self.pos));
                }
            }
        }
    }

    /// One escape after its backslash, appended to `out`.
    fn escape(&mut self, out: &mut String) -> Result<()> {
        let Some(b) = self.peek() else {
            return Err(self.unexpected_end());
        };
        self.pos += 1;
        let simple = match b {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{C}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let unit = self.hex4()?;
                out.push(self.code_point(unit)?);
                return Ok(());
            }
            _ => {
                // V8 says "Bad escaped character" up to U+00FF, "Unexpected token" above.
                let at = self.pos - 1;
                let beyond_latin1 = self.text[at..].chars().next().is_some_and(|c| c > '\u{FF}');
                return Err(if beyond_latin1 {
                    self.unexpected_token(at)
                } else {
                    self.at("Bad escaped character", at)
                });
            }
        };
        out.push(simple);
        Ok(())
    }

    fn hex4(&mut self) -> Result<u16> {
        let mut unit: u16 = 0;
        for _ in 0..4 {
            let digit = self.peek().and_then(|b| (b as char).to_digit(16));
            let Some(digit) = digit else {
                return Err(self.at("Bad Unicode escape", self.pos));
            };
            unit = unit * 16 + digit as u16;
            self.pos += 1;
        }
        Ok(unit)
    }

    /// The character for a `\uXXXX` escape, pairing a high surrogate with a following
    /// `\uXXXX` low surrogate; an unpaired surrogate becomes U+FFFD.
    fn code_point(&mut self, unit: u16) -> Result<char> {
        if (0xD800..0xDC00).contains(&unit) && self.bytes[self.pos..].starts_with(b"\\u") {
            let save = self.pos;
            self.pos += 2;
            let low = self.hex4()?;
            if (0xDC00..0xE000).contains(&low) {
                let c = 0x10000 + ((u32::from(unit) - 0xD800) << 10) + (u32::from(low) - 0xDC00);
                return Ok(char::from_u32(c).unwrap_or('\u{FFFD}'));
            }
            self.pos = save;
        }
        Ok(char::from_u32(u32::from(unit)).unwrap_or('\u{FFFD}'))
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
        self.pos - start
    }

    fn number(&mut self) -> Result<Value> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.at("No number after minus sign", self.pos));
            }
        }
        if self.peek() == Some(b'0') {
            self.pos += 1;
            if matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.at("Unexpected number", self.pos));
            }
        } else {
            self.digits();
        }
        let integer_end = self.pos;
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if self.digits() == 0 {
                return Err(self.at("Unterminated fractional number", self.pos));
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return Err(self.at("Exponent part is missing a number", self.pos));
            }
        }
        if integer_end == self.pos
            && let Some(n) = small_integer(&self.text[start..self.pos])
        {
            return Ok(Value::Number(n));
        }
        let n = self.text[start..self.pos]
            .parse::<f64>()
            .unwrap_or(f64::NAN);
        Ok(Value::Number(n))
    }
}

/// An optionally negative integer of at most 15 digits (every NumericDate is one), which an
/// f64 holds exactly: its value without the general decimal-to-float conversion.
fn small_integer(text: &str) -> Option<f64> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(digits) => (true, digits),
        None => (false, text),
    };
    if digits.is_empty() || digits.len() > 15 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n = digits
        .bytes()
        .fold(0u64, |n, digit| n * 10 + u64::from(digit - b'0')) as f64;
    Some(if negative { -n } else { n })
}

fn utf16_len(s: &str) -> usize {
    s.chars().map(char::len_utf16).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Value {
        Value::from_json_str(text).unwrap()
    }

    fn message(text: &str) -> String {
        Value::from_json_str(text).unwrap_err().message().to_owned()
    }

    #[test]
    fn parses_every_json_type() {
        let value =
            parse(r#" {"a": [1, -0.5e2, true, false, null], "b": "x\u00e9\ud83d\ude00\n"} "#);
        assert_eq!(
            value,
            Value::Object(vec![
                (
                    "a".into(),
                    Value::Array(vec![
                        Value::Number(1.0),
                        Value::Number(-50.0),
                        Value::Bool(true),
                        Value::Bool(false),
                        Value::Null
                    ])
                ),
                ("b".into(), Value::String("xé😀\n".into())),
            ])
        );
    }

    #[test]
    fn duplicate_keys_keep_first_position_last_value_and_js_order() {
        // Node: JSON.stringify(JSON.parse('{"b":1,"a":2,"b":3,"1":4}')) === '{"1":4,"b":3,"a":2}'
        let value = parse(r#"{"b":1,"a":2,"b":3,"1":4}"#);
        assert_eq!(value.to_json_string().unwrap(), r#"{"1":4,"b":3,"a":2}"#);
    }

    #[test]
    fn lone_surrogates_become_replacement_characters() {
        assert_eq!(parse(r#""\ud800x""#), Value::String("\u{FFFD}x".into()));
        assert_eq!(
            parse(r#""\udc00\ud800\u0041""#),
            Value::String("\u{FFFD}\u{FFFD}A".into())
        );
    }

    #[test]
    fn numbers_round_like_javascript() {
        assert_eq!(parse("1e400"), Value::Number(f64::INFINITY));
        assert_eq!(parse("0.1"), Value::Number(0.1));
        assert_eq!(parse("-0"), Value::Number(-0.0));
    }

    #[test]
    fn errors_carry_v8_messages() {
        // Messages printed by Node 20 for JSON.parse of the same text.
        let cases = [
            ("", "Unexpected end of JSON input"),
            ("abc", "Unexpected token 'a', \"abc\" is not valid JSON"),
            (
                "{\"a\":1",
                "Expected ',' or '}' after property value in JSON at position 6",
            ),
            ("{a", "Expected property name or '}' in JSON at position 1"),
            ("[1,]", "Unexpected token ']', \"[1,]\" is not valid JSON"),
            (
                "[1 2]",
                "Expected ',' or ']' after array element in JSON at position 3",
            ),
            (
                "{\"a\" 1}",
                "Expected ':' after property name in JSON at position 5",
            ),
            (
                "\"a\u{1}\"",
                "Bad control character in string literal in JSON at position 2",
            ),
            ("\"\\x\"", "Bad escaped character in JSON at position 2"),
            ("\"abc", "Unterminated string in JSON at position 4"),
            ("-", "No number after minus sign in JSON at position 1"),
            (
                "1e",
                "Exponent part is missing a number in JSON at position 2",
            ),
            ("1.", "Unterminated fractional number in JSON at position 2"),
            (
                "1 2",
                "Unexpected non-whitespace character after JSON at position 2",
            ),
            ("tru", "Unexpected end of JSON input"),
            ("01", "Unexpected number in JSON at position 1"),
            (
                "{\"a\":}",
                "Unexpected token '}', \"{\"a\":}\" is not valid JSON",
            ),
            ("\"\\u12\"", "Bad Unicode escape in JSON at position 5"),
            (
                "{\"a\":1,}",
                "Expected double-quoted property name in JSON at position 7",
            ),
            ("{\"a\":1,\"b\"", "Unexpected end of JSON input"),
            ("undefined", "\"undefined\" is not valid JSON"),
            ("\"\\u", "Bad Unicode escape in JSON at position 3"),
            ("[1,", "Unexpected end of JSON input"),
            ("nulx", "Unexpected token 'x', \"nulx\" is not valid JSON"),
            ("-01", "Unexpected number in JSON at position 2"),
            (
                "1.5e+",
                "Exponent part is missing a number in JSON at position 5",
            ),
            ("[\"a\\\"]", "Unterminated string in JSON at position 6"),
            (
                "{\"a\"}",
                "Expected ':' after property name in JSON at position 4",
            ),
            ("{]", "Expected property name or '}' in JSON at position 1"),
            (
                "{\"a\":[}",
                "Unexpected token '}', \"{\"a\":[}\" is not valid JSON",
            ),
            (
                "\u{feff}{}",
                "Unexpected token '\u{feff}', \"\u{feff}{}\" is not valid JSON",
            ),
            ("[-", "No number after minus sign in JSON at position 2"),
            (
                "😀true",
                "Unexpected token '\u{FFFD}', \"😀true\" is not valid JSON",
            ),
            (
                "\"\t\"",
                "Bad control character in string literal in JSON at position 1",
            ),
            (
                "[1,2,3,4,5,6,7,8,9,10,11,12,13,x]",
                "Unexpected token 'x', ...\",11,12,13,x]\" is not valid JSON",
            ),
            (
                "{\"aaaaaaaaaaaaaaaaaaaaa\":tx}",
                "Unexpected token 'x', ...\"aaaaaaa\":tx}\" is not valid JSON",
            ),
            (
                "[\"é😀\",x]",
                "Unexpected token 'x', \"[\"é😀\",x]\" is not valid JSON",
            ),
            (
                "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
                "Unexpected token 'x', \"xxxxxxxxxx\"... is not valid JSON",
            ),
            (
                "[1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,x,1,1,1]",
                "Unexpected token 'x', ...\"1,1,1,1,1,x,1,1,1]\" is not valid JSON",
            ),
            (
                "[1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,x,1,1,1,1,1,1,1,1,1,1,1]",
                "Unexpected token 'x', ...\"1,1,1,1,1,x,1,1,1,1,\"... is not valid JSON",
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(message(text), expected, "JSON.parse({text:?})");
        }
    }

    #[test]
    fn strings_read_the_same_whatever_block_a_special_character_falls_in() {
        // Lengths around the sixteen-byte blocks of plain characters, with an escape, a control
        // character, a multi-byte character or the missing end quote at every position.
        for len in 0..40 {
            for at in 0..=len {
                let (head, tail) = ("a".repeat(at), "b".repeat(len - at));
                let text = format!("\"{head}\\n{tail}\"");
                assert_eq!(parse(&text), Value::String(format!("{head}\n{tail}")));
                let text = format!("\"{head}é{tail}\"");
                assert_eq!(parse(&text), Value::String(format!("{head}é{tail}")));
                let text = format!("\"{head}\u{1}{tail}\"");
                assert_eq!(
                    message(&text),
                    format!(
                        "Bad control character in string literal in JSON at position {}",
                        at + 1
                    )
                );
                let text = format!("[\"{head}{tail}");
                assert_eq!(
                    message(&text),
                    format!("Unterminated string in JSON at position {}", len + 2)
                );
            }
        }
    }

    #[test]
    fn small_integers_equal_the_general_conversion() {
        let mut texts: Vec<String> = ["0", "-0", "7", "-7", "999999999999999", "-999999999999999"]
            .map(String::from)
            .to_vec();
        let mut n: u64 = 1;
        while n < 10u64.pow(15) {
            for m in [n - 1, n, n + 1, n * 7 / 3, 1_700_000_000 + n % 97] {
                texts.push(m.to_string());
                texts.push(format!("-{m}"));
            }
            n *= 10;
        }
        for text in &texts {
            let general: f64 = text.parse().unwrap();
            let fast = small_integer(text).unwrap();
            assert_eq!(fast.to_bits(), general.to_bits(), "{text}");
            assert_eq!(parse(text), Value::Number(general), "{text}");
        }
        // Longer integers, fractions and exponents take the general conversion.
        for text in [
            "1234567890123456",
            "9007199254740993",
            "1.5",
            "1e3",
            "-",
            "",
        ] {
            assert_eq!(small_integer(text), None, "{text}");
        }
        assert_eq!(parse("9007199254740993"), Value::Number(9007199254740992.0));
        assert_eq!(parse("-0").to_json_string().unwrap(), "0");
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let text = "[".repeat(MAX_DEPTH + 10);
        assert!(Value::from_json_str(&text).is_err());
    }
}
