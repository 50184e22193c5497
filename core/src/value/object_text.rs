//! An object as `JSON.stringify` writes it, its top-level members located in the text and
//! nothing parsed into values.
//!
//! `sign` adds a few claims to a payload and writes it out again. When the payload arrives as
//! the JSON text of a plain object (the Node binding's fast path), parsing every member into a
//! [`Value`] only to write it back costs more than the signature of a small token. For text in
//! exactly the form `JSON.stringify` writes, copying a member's text is the same as parsing and
//! writing it, so only the members `sign` looks at need to become values.
//!
//! [`ObjectText::parse`] accepts only that form and says `None` for anything else, which then
//! takes the general way through [`Value::from_json_str`].

use super::depth::MAX_DEPTH;
use super::json_stringify::ESCAPES;
use super::number_to_string;
use super::plain_run::plain_run;
use super::property_order::{follows_in_order, same_key};

/// The top-level members of an object in `JSON.stringify`'s form: each key (which had no
/// escape, so the text between its quotes is the key) and its value's JSON text.
#[derive(Debug, PartialEq)]
pub(crate) struct ObjectText<'a> {
    text: &'a str,
    members: Vec<(&'a str, &'a str)>,
}

/// Members beyond this many take the general way (the duplicate check is quadratic).
const MAX_MEMBERS: usize = 64;

/// Containers nested deeper than this take the general way (the scanner keeps one bit per
/// open container), which is also where a payload past [`MAX_DEPTH`] is refused.
const MAX_NESTING: u32 = 63;
const _: () = assert!((MAX_NESTING as usize) < MAX_DEPTH);

impl<'a> ObjectText<'a> {
    /// The members of `text` when it is an object exactly as `JSON.stringify` writes one: no
    /// whitespace; top-level keys without escapes, unique, in JavaScript's property order and
    /// other than `__proto__`; strings escaped only where and as `JSON.stringify` escapes them
    /// (no surrogate escapes: the general way turns those into U+FFFD); numbers as JavaScript
    /// prints them. `None` for any other text, valid JSON or not.
    pub(crate) fn parse(text: &'a str) -> Option<Self> {
        let mut scan = Scan {
            text,
            bytes: text.as_bytes(),
            pos: 0,
        };
        scan.expect(b'{')?;
        let mut members: Vec<(&str, &str)> = Vec::with_capacity(16);
        if !scan.eat(b'}') {
            loop {
                let (key, has_escapes) = scan.key()?;
                let siblings = members.iter().map(|(key, _)| *key);
                if has_escapes || key == "__proto__" || !may_follow(siblings, key) {
                    return None;
                }
                scan.expect(b':')?;
                let start = scan.pos;
                scan.value()?;
                members.push((key, &text[start..scan.pos]));
                if members.len() > MAX_MEMBERS {
                    return None;
                }
                if !scan.eat(b',') {
                    scan.expect(b'}')?;
                    break;
                }
            }
        }
        (scan.pos == text.len()).then_some(ObjectText { text, members })
    }

    /// The whole text.
    pub(crate) fn text(&self) -> &'a str {
        self.text
    }

    /// The members, in order.
    pub(crate) fn members(&self) -> &[(&'a str, &'a str)] {
        &self.members
    }
}

/// Whether an object's next key may be `key` after the keys before it (`siblings`): in
/// JavaScript's enumeration order ([`follows_in_order`]) and not one of them. The general way
/// would reorder or fold anything else.
fn may_follow<'k>(
    mut siblings: impl DoubleEndedIterator<Item = &'k str> + Clone,
    key: &str,
) -> bool {
    follows_in_order(siblings.clone().next_back(), key)
        && !siblings.any(|sibling| same_key(sibling, key))
}

/// The keys of the objects open inside a member value, innermost last, for [`may_follow`].
/// Nothing is allocated until a member holds an object.
#[derive(Default)]
struct OpenObjects<'a> {
    keys: Vec<&'a str>,
    starts: Vec<usize>,
}

impl<'a> OpenObjects<'a> {
    fn open(&mut self) {
        self.starts.push(self.keys.len());
    }

    fn close(&mut self) {
        if let Some(start) = self.starts.pop() {
            self.keys.truncate(start);
        }
    }

    /// The innermost object's next key, if it may follow the ones before it.
    fn add(&mut self, key: &'a str) -> Option<()> {
        let start = *self.starts.last()?;
        if !may_follow(self.keys[start..].iter().copied(), key) {
            return None;
        }
        self.keys.push(key);
        Some(())
    }
}

struct Scan<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Scan<'a> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn eat(&mut self, byte: u8) -> bool {
        let found = self.peek() == Some(byte);
        self.pos += usize::from(found);
        found
    }

    fn expect(&mut self, byte: u8) -> Option<()> {
        self.eat(byte).then_some(())
    }

    /// A key: its text between the quotes, and whether it holds an escape. Escapes are
    /// written only one way (see [`Scan::escape`]), so equal keys have equal text.
    fn key(&mut self) -> Option<(&'a str, bool)> {
        let start = self.pos + 1;
        let has_escapes = self.string()?;
        Some((&self.text[start..self.pos - 1], has_escapes))
    }

    /// One JSON value of any depth, checked and skipped without recursion.
    fn value(&mut self) -> Option<()> {
        // One bit per open container, innermost lowest: 1 for an object, 0 for an array.
        let mut open: u64 = 0;
        let mut depth: u32 = 0;
        let mut objects = OpenObjects::default();
        loop {
            match self.peek()? {
                b'{' | b'[' if depth == MAX_NESTING => return None,
                b'{' => {
                    self.pos += 1;
                    if !self.eat(b'}') {
                        open = (open << 1) | 1;
                        depth += 1;
                        objects.open();
                        objects.add(self.key()?.0)?;
                        self.expect(b':')?;
                        continue;
                    }
                }
                b'[' => {
                    self.pos += 1;
                    if !self.eat(b']') {
                        open <<= 1;
                        depth += 1;
                        continue;
                    }
                }
                b'"' => {
                    self.string()?;
                }
                b'-' | b'0'..=b'9' => self.number()?,
                b't' => self.literal(b"true")?,
                b'f' => self.literal(b"false")?,
                b'n' => self.literal(b"null")?,
                _ => return None,
            }
            // A value is complete: close the containers it completes, then go on after a comma.
            loop {
                if depth == 0 {
                    return Some(());
                }
                let in_object = open & 1 == 1;
                if self.eat(b',') {
                    if in_object {
                        objects.add(self.key()?.0)?;
                        self.expect(b':')?;
                    }
                    break;
                }
                self.expect(if in_object { b'}' } else { b']' })?;
                if in_object {
                    objects.close();
                }
                open >>= 1;
                depth -= 1;
            }
        }
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        let end = self.pos + word.len();
        (self.bytes.get(self.pos..end)? == word).then(|| self.pos = end)
    }

    /// A string whose escapes are all ones `JSON.stringify` writes; whether it had any.
    fn string(&mut self) -> Option<bool> {
        self.expect(b'"')?;
        let mut has_escapes = false;
        loop {
            self.pos += plain_run(&self.bytes[self.pos..]);
            match self.peek()? {
                b'"' => {
                    self.pos += 1;
                    return Some(has_escapes);
                }
                b'\\' => {
                    self.escape()?;
                    has_escapes = true;
                }
                _ => return None,
            }
        }
    }

    /// An escape as `JSON.stringify` writes it for the character it stands for: `\"`, `\\`,
    /// `\b \f \n \r \t`, or `\u00xx` (lowercase) for another control character.
    fn escape(&mut self) -> Option<()> {
        let letter = *self.bytes.get(self.pos + 1)?;
        let character = match letter {
            b'"' | b'\\' => letter,
            b'b' => 0x08,
            b'f' => 0x0c,
            b'n' => b'\n',
            b'r' => b'\r',
            b't' => b'\t',
            b'u' => {
                let digits = self.bytes.get(self.pos + 2..self.pos + 6)?;
                let [b'0', b'0', high @ b'0'..=b'1', low] = *digits else {
                    return None;
                };
                let low = match low {
                    b'0'..=b'9' => low - b'0',
                    b'a'..=b'f' => low - b'a' + 10,
                    _ => return None,
                };
                let character = (high - b'0') << 4 | low;
                if ESCAPES[usize::from(character)] != b'u' {
                    return None;
                }
                self.pos += 6;
                return Some(());
            }
            _ => return None,
        };
        (ESCAPES[usize::from(character)] == letter).then(|| self.pos += 2)
    }

    /// A number in the form JavaScript prints it (`1`, `-2.5`, `1e+21`; not `1.0`, `-0`, `1E3`).
    fn number(&mut self) -> Option<()> {
        let start = self.pos;
        self.eat(b'-');
        let digits_start = self.pos;
        while let Some(b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-') = self.peek() {
            self.pos += 1;
        }
        let token = std::str::from_utf8(&self.bytes[start..self.pos]).ok()?;
        let digits = &self.bytes[digits_start..self.pos];
        // Whole numbers of up to 15 digits are exact and print as their digits; only "-0" and
        // leading zeros are not JavaScript's form.
        let small_integer = !digits.is_empty()
            && digits.len() <= 15
            && digits.iter().all(u8::is_ascii_digit)
            && (digits[0] != b'0' || digits.len() == 1);
        if small_integer {
            return (token != "-0").then_some(());
        }
        let n: f64 = token.parse().ok()?;
        (n.is_finite() && number_to_string(n) == token).then_some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Value;

    fn members(text: &str) -> Option<Vec<(&str, &str)>> {
        ObjectText::parse(text).map(|object| object.members().to_vec())
    }

    #[test]
    fn locates_the_members_of_json_stringify_output() {
        let text = r#"{"1":true,"jti":"a\"b","groups":["x",{"y":[null,-1.5e-7]}],"n":12,"e":{}}"#;
        assert_eq!(
            members(text),
            Some(vec![
                ("1", "true"),
                ("jti", r#""a\"b""#),
                ("groups", r#"["x",{"y":[null,-1.5e-7]}]"#),
                ("n", "12"),
                ("e", "{}"),
            ])
        );
        assert_eq!(members("{}"), Some(vec![]));
    }

    #[test]
    fn anything_json_stringify_would_not_write_takes_the_general_way() {
        let refused = [
            r#"{ "a":1}"#,
            r#"{"a":1} "#,
            r#"{"a" :1}"#,
            r#"{"a":[1, 2]}"#,
            r#"{"a":1,"a":2}"#,
            r#"{"n":{"a":1,"b":{},"a":2}}"#,
            r#"{"n":[{"b":1,"0":2}]}"#,
            r#"{"n":{"2":1,"1":2}}"#,
            r#"{"b":1,"2":2}"#,
            r#"{"2":1,"1":2}"#,
            r#"{"__proto__":{}}"#,
            r#"{"a\n":1}"#,
            r#"{"x":1,"say \"hi\"":2}"#,
            r#"{"a":"\/"}"#,
            r#"{"a":"\u0041"}"#,
            r#"{"a":"\u000a"}"#,
            r#"{"a":"\u001F"}"#,
            r#"{"a":"\ud800"}"#,
            r#"{"a":1.0}"#,
            r#"{"a":-0}"#,
            r#"{"a":1E3}"#,
            r#"{"a":01}"#,
            r#"{"a":1e999}"#,
            r#"{"a":12345678901234567890}"#,
            r#"{"a":tru}"#,
            r#"{"a":[1,]}"#,
            r#"{"a":{"b":1]}"#,
            r#"{"a":1"#,
            r#"{"a":"x"#,
            "{\"a\":\"\u{1}\"}",
            "[1]",
            r#""text""#,
        ];
        for text in refused {
            assert_eq!(members(text), None, "{text}");
        }
    }

    #[test]
    fn every_accepted_text_is_what_parsing_and_writing_it_gives() {
        let accepted = [
            "{\"a\":\"\\u001f\\b\\f\\n\\r\\t\\\"\\\\ \u{2028} é 😀\"}",
            r#"{"big":1e+21,"tiny":5e-324,"x":123456789012345680000,"f":0.30000000000000004}"#,
            r#"{"0":0,"7":[],"4294967295":1,"k":{"b":{"c":{"d":[[[]]]}}}}"#,
            r#"{"n":[{"a":1},{"a":2,"b":{"a":3}}],"m":{"1":1,"2":{"1":0},"x":1}}"#,
            // Only a top-level key must be free of escapes (it is compared as its text).
            r#"{"n":{"say \"hi\"":1,"tab\t":2}}"#,
        ];
        for text in accepted {
            assert!(members(text).is_some(), "{text}");
            let value = Value::from_json_str(text).unwrap();
            assert_eq!(value.to_json_string().unwrap(), text);
        }
    }

    #[test]
    fn nesting_past_the_scanner_takes_the_general_way() {
        let nested =
            |depth: usize| format!("{{\"a\":{}1{}}}", "[".repeat(depth), "]".repeat(depth));
        assert!(members(&nested(MAX_NESTING as usize)).is_some());
        assert_eq!(members(&nested(MAX_NESTING as usize + 1)), None);
    }
}
