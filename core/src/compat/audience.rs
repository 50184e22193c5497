//! The audience check of `jsonwebtoken` 9.0.3's `verify`: the expected audience (a string, a
//! regular expression, or a list of them) must match one of the token's `aud` values; a
//! regular expression is tested against `String(aud)`, so `/undefined/` matches a token
//! without `aud`, as in JavaScript.
//!
//! JavaScript regular expressions are evaluated with the `regex` crate after a translation of
//! the constructs whose meaning differs (`\d`, `\w`, `\s`, `\b` and `.` are ASCII- or
//! JavaScript-specific). Lookaround and backreferences are not supported there: such a pattern
//! is refused with an error naming it, rather than answered wrongly. Case-insensitive matching
//! uses Unicode simple case folding, where JavaScript without the `u` flag folds with
//! `toUpperCase`; they differ only for a few non-ASCII letters.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use regex::{Regex, RegexBuilder};

use crate::error::{Error, ErrorCode, Result};
use crate::value::Value;

/// `options.audience` against `payload.aud`.
pub(crate) fn check(expected: &Value, aud: &Value) -> Result<()> {
    let audiences: Vec<&Value> = match expected {
        Value::Array(items) => items.iter().collect(),
        other => vec![other],
    };
    let targets: Vec<&Value> = match aud {
        Value::Array(items) => items.iter().collect(),
        other => vec![other],
    };
    for target in &targets {
        for audience in &audiences {
            let matched = match audience {
                Value::RegExp { source, flags } => test(source, flags, &target.to_js_string())?,
                other => other.strict_equals(target),
            };
            if matched {
                return Ok(());
            }
        }
    }
    let expected_text: Vec<String> = audiences
        .iter()
        .map(|audience| match audience {
            Value::Undefined | Value::Null => String::new(),
            other => other.to_js_string(),
        })
        .collect();
    Err(Error::token(
        ErrorCode::AudienceMismatch,
        format!(
            "jwt audience invalid. expected: {}",
            expected_text.join(" or ")
        ),
    ))
}

/// `new RegExp(source, flags).test(text)` on a fresh expression (`lastIndex` 0, so the `y`
/// flag anchors the match at the start).
pub(crate) fn test(source: &str, flags: &str, text: &str) -> Result<bool> {
    let regex = compiled(source, flags)?;
    if flags.contains('y') {
        return Ok(regex.find(text).is_some_and(|m| m.start() == 0));
    }
    Ok(regex.is_match(text))
}

/// Patterns compiled once: a `verify` loop with the same audience pattern compiles it once.
/// Bounded; cleared when full.
const CACHE_CAPACITY: usize = 64;

type PatternCache = Mutex<HashMap<(String, String), Regex>>;

fn compiled(source: &str, flags: &str) -> Result<Regex> {
    static CACHE: OnceLock<PatternCache> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    let key = (source.to_owned(), flags.to_owned());
    if let Some(regex) = cache.lock().ok().and_then(|map| map.get(&key).cloned()) {
        return Ok(regex);
    }
    let regex = RegexBuilder::new(&translate(source, flags))
        .case_insensitive(flags.contains('i'))
        .multi_line(flags.contains('m'))
        .build()
        .map_err(|_| {
            Error::token(
                ErrorCode::InvalidOption,
                format!(
                    "the audience pattern /{source}/{flags} uses a regular expression feature \
                     qlik-jwt cannot evaluate (lookaround or backreferences); use a string or a \
                     simpler pattern"
                ),
            )
        })?;
    if let Ok(mut map) = cache.lock() {
        if map.len() >= CACHE_CAPACITY {
            map.clear();
        }
        map.insert(key, regex.clone());
    }
    Ok(regex)
}

/// A JavaScript pattern rewritten for the `regex` crate.
fn translate(source: &str, flags: &str) -> String {
    const DIGIT: &str = "0-9";
    const WORD: &str = "0-9A-Za-z_";
    const SPACE: &str =
        r"\t\n\x0B\x0C\r \xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\uFEFF";
    let dot_all = flags.contains('s');
    let mut out = String::with_capacity(source.len() + 16);
    let mut in_class = false;
    let mut chars = source.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let Some(next) = chars.next() else {
                    out.push_str(r"\\");
                    break;
                };
                let class = |set: &str, negated: bool| {
                    if in_class && !negated {
                        set.to_owned()
                    } else {
                        format!("[{}{set}]", if negated { "^" } else { "" })
                    }
                };
                match next {
                    'd' => out.push_str(&class(DIGIT, false)),
                    'D' => out.push_str(&class(DIGIT, true)),
                    'w' => out.push_str(&class(WORD, false)),
                    'W' => out.push_str(&class(WORD, true)),
                    's' => out.push_str(&class(SPACE, false)),
                    'S' => out.push_str(&class(SPACE, true)),
                    'b' if !in_class => out.push_str(r"(?-u:\b)"),
                    'B' if !in_class => out.push_str(r"(?-u:\B)"),
                    'b' => out.push_str(r"\x08"),
                    '/' => out.push('/'),
                    'u' if chars.peek().is_some_and(char::is_ascii_hexdigit) => {
                        let hex: String = chars.by_ref().take(4).collect();
                        out.push_str(&format!(r"\u{{{hex}}}"));
                    }
                    other => {
                        out.push('\\');
                        out.push(other);
                    }
                }
            }
            '[' if !in_class => {
                in_class = true;
                out.push('[');
                // `[]` matches nothing and `[^]` anything in JavaScript.
                if chars.peek() == Some(&'^') {
                    chars.next();
                    if chars.peek() == Some(&']') {
                        chars.next();
                        in_class = false;
                        out.pop();
                        out.push_str(r"(?s:.)");
                        continue;
                    }
                    out.push('^');
                } else if chars.peek() == Some(&']') {
                    chars.next();
                    in_class = false;
                    out.pop();
                    out.push_str(r"[^\x00-\x{10FFFF}]");
                    continue;
                }
            }
            '[' => out.push_str(r"\["),
            ']' if in_class => {
                in_class = false;
                out.push(']');
            }
            '.' if !in_class => {
                out.push_str(if dot_all {
                    r"(?s:.)"
                } else {
                    r"[^\n\r\u2028\u2029]"
                });
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn re(source: &str, flags: &str) -> Value {
        Value::RegExp {
            source: source.into(),
            flags: flags.into(),
        }
    }

    fn s(text: &str) -> Value {
        Value::String(text.into())
    }

    #[test]
    fn strings_lists_and_patterns_match_like_jsonwebtoken() {
        assert!(check(&s("a"), &s("a")).is_ok());
        assert!(check(&s("a"), &Value::Array(vec![s("b"), s("a")])).is_ok());
        assert!(check(&Value::Array(vec![s("x"), re("^a+$", "")]), &s("aaa")).is_ok());
        assert!(check(&re("^A$", "i"), &s("a")).is_ok());
        // String(undefined) is "undefined": a pattern can match a token without aud.
        assert!(check(&re("undefined", ""), &Value::Undefined).is_ok());
        assert!(check(&re("^1$", ""), &Value::Number(1.0)).is_ok());
    }

    #[test]
    fn the_message_joins_expected_audiences_with_or() {
        // Node: jwt.verify(t, k, {audience: ['a', /b/i, null]}) → 'jwt audience invalid. expected: a or /b/i or '
        let expected = Value::Array(vec![s("a"), re("b", "i"), Value::Null]);
        let err = check(&expected, &s("c")).unwrap_err();
        assert_eq!(
            err.message(),
            "jwt audience invalid. expected: a or /b/i or "
        );
        assert_eq!(err.class(), crate::ErrorClass::JsonWebToken);
    }

    #[test]
    fn javascript_classes_keep_their_meaning() {
        assert!(test(r"^\d+$", "", "123").unwrap());
        assert!(!test(r"^\d+$", "", "١٢٣").unwrap()); // Arabic-Indic digits are not \d in JS
        assert!(!test(r"^\w$", "", "é").unwrap());
        assert!(test(r"^a.c$", "", "abc").unwrap());
        assert!(!test(r"^a.c$", "", "a\rc").unwrap());
        assert!(test(r"^a.c$", "s", "a\rc").unwrap());
        assert!(test(r"^[\d_]+$", "", "1_2").unwrap());
        assert!(test(r"^a\/b$", "", "a/b").unwrap());
        assert!(test(r"^\u0041$", "", "A").unwrap());
        assert!(test(r"b", "y", "bc").unwrap());
        assert!(!test(r"c", "y", "bc").unwrap());
        assert!(test(r"qlik\.api", "g", "qlik.api/login/jwt-session").unwrap());
    }

    #[test]
    fn unsupported_features_are_refused_not_guessed() {
        let err = test(r"^(?=a)a$", "", "a").unwrap_err();
        assert!(err.message().contains("/^(?=a)a$/"));
    }
}
