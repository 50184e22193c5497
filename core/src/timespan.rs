//! Time spans as `jsonwebtoken` 9.0.3 reads them: a number of seconds, or a string in the
//! grammar of `ms` 2.1.3 (`"2 days"`, `"1h"`, `"-1.5y"`, and `"100"`, which is 100
//! milliseconds).

use crate::error::{Error, ErrorCode, Result};
use crate::value::Value;

const SECOND: f64 = 1000.0;
const MINUTE: f64 = SECOND * 60.0;
const HOUR: f64 = MINUTE * 60.0;
const DAY: f64 = HOUR * 24.0;
const WEEK: f64 = DAY * 7.0;
const YEAR: f64 = DAY * 365.25;

/// `ms(text)` of `ms` 2.1.3 for a non-empty string: the milliseconds it stands for, or `None`
/// where `ms` returns `undefined` (over 100 characters, or not of the form
/// `-?(\d+)?\.?\d+ *unit?`, unit one of ms/s/m/h/d/w/y or their long forms, any ASCII case;
/// no unit means milliseconds).
pub fn ms(text: &str) -> Option<f64> {
    if text.encode_utf16().count() > 100 {
        return None;
    }
    let (number, rest) = split_number(text)?;
    let unit = rest.trim_start_matches(' ');
    let mut buffer = [0u8; LONGEST_UNIT];
    let factor = if unit.is_empty() {
        1.0
    } else {
        unit_factor(crate::ascii_case::lowered(unit, &mut buffer)?)?
    };
    let n: f64 = number.parse().ok()?;
    Some(n * factor)
}

/// Splits `-?(?:\d+)?\.?\d+` off the front, as the regular expression of `ms` matches it.
fn split_number(text: &str) -> Option<(&str, &str)> {
    let bytes = text.as_bytes();
    let mut i = usize::from(bytes.first() == Some(&b'-'));
    let int_start = i;
    while bytes.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    let int_digits = i - int_start;
    if bytes.get(i) == Some(&b'.') {
        let frac_start = i + 1;
        let mut j = frac_start;
        while bytes.get(j).is_some_and(u8::is_ascii_digit) {
            j += 1;
        }
        if j > frac_start {
            return Some((&text[..j], &text[j..]));
        }
        // "5." has no digit after the dot: the regex backtracks to the integer part alone,
        // and the dot is then left for the unit, which cannot match.
        return None;
    }
    if int_digits == 0 {
        return None;
    }
    Some((&text[..i], &text[i..]))
}

/// `"milliseconds"`: no longer text names a unit.
const LONGEST_UNIT: usize = 12;

fn unit_factor(unit: &str) -> Option<f64> {
    Some(match unit {
        "years" | "year" | "yrs" | "yr" | "y" => YEAR,
        "weeks" | "week" | "w" => WEEK,
        "days" | "day" | "d" => DAY,
        "hours" | "hour" | "hrs" | "hr" | "h" => HOUR,
        "minutes" | "minute" | "mins" | "min" | "m" => MINUTE,
        "seconds" | "second" | "secs" | "sec" | "s" => SECOND,
        "milliseconds" | "millisecond" | "msecs" | "msec" | "ms" => 1.0,
        _ => return None,
    })
}

/// `timespan(time, iat)` of `jsonwebtoken` 9.0.3: the instant (seconds) `time` after `iat`,
/// where `iat` falls back to the current second (`now_ms` floored) when it is falsy.
/// A string goes through [`ms`] and the sum is floored; a number is added as is. `Ok(None)` is
/// `jsonwebtoken`'s `undefined` (callers turn it into their own message); the error is what
/// `ms` throws for an empty string.
pub fn timespan(time: &Value, iat: &Value, now_ms: f64) -> Result<Option<f64>> {
    let timestamp = match iat {
        Value::Number(n) if iat.is_truthy() => *n,
        _ if iat.is_truthy() => iat.to_js_number(),
        _ => (now_ms / 1000.0).floor(),
    };
    match time {
        Value::String(text) if text.is_empty() => Err(Error::plain(
            ErrorCode::InvalidTimespan,
            "val is not a non-empty string or a valid number. val=\"\"",
        )),
        Value::String(text) => Ok(ms(text).map(|millis| (timestamp + millis / 1000.0).floor())),
        Value::Number(seconds) => Ok(Some(timestamp + seconds)),
        _ => Ok(None),
    }
}

/// `jsonwebtoken`'s message when `option` (`"expiresIn"`, `"notBefore"`, `"maxAge"`) is not a
/// time span.
pub fn invalid_timespan_message(option: &str) -> String {
    format!(
        "\"{option}\" should be a number of seconds or string representing a timespan eg: \"1d\", \"20h\", 60"
    )
}

/// `seconds` when it is a finite number. An API that takes a clock reading or a tolerance as a
/// number (the Python package's `now` and `leeway`) refuses NaN and the infinities with this
/// message naming `param`: every comparison with them is false, which would switch the expiry
/// and not-before checks off. (The Node drop-in keeps `jsonwebtoken`'s behaviour for
/// `clockTimestamp` and `clockTolerance`, as `SECURITY.md` says.)
pub fn finite_seconds(seconds: f64, param: &str) -> std::result::Result<f64, String> {
    if seconds.is_finite() {
        Ok(seconds)
    } else {
        Err(format!(
            "{param} must be a finite number of seconds, not {}",
            crate::value::number_to_string(seconds)
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_finite_seconds_pass() {
        assert_eq!(finite_seconds(1.5, "now"), Ok(1.5));
        assert_eq!(
            finite_seconds(f64::NAN, "leeway").unwrap_err(),
            "leeway must be a finite number of seconds, not NaN"
        );
        assert!(
            finite_seconds(f64::NEG_INFINITY, "now")
                .unwrap_err()
                .ends_with("-Infinity")
        );
    }

    #[test]
    fn numbers_are_added_and_strings_floored() {
        let iat = Value::Number(1_000.0);
        assert_eq!(
            timespan(&Value::Number(60.0), &iat, 0.0).unwrap(),
            Some(1_060.0)
        );
        assert_eq!(
            timespan(&Value::Number(1.5), &iat, 0.0).unwrap(),
            Some(1_001.5)
        );
        assert_eq!(
            timespan(&Value::String("1500".into()), &iat, 0.0).unwrap(),
            Some(1_001.0)
        );
        assert_eq!(timespan(&Value::Bool(true), &iat, 0.0).unwrap(), None);
        assert_eq!(
            timespan(&Value::String("nope".into()), &iat, 0.0).unwrap(),
            None
        );
    }

    #[test]
    fn a_falsy_iat_means_now() {
        let now_ms = 1_700_000_000_999.0;
        assert_eq!(
            timespan(&Value::Number(1.0), &Value::Number(0.0), now_ms).unwrap(),
            Some(1_700_000_001.0)
        );
        assert_eq!(
            timespan(&Value::Number(1.0), &Value::Undefined, now_ms).unwrap(),
            Some(1_700_000_001.0)
        );
    }

    #[test]
    fn empty_string_is_what_ms_throws() {
        let err = timespan(&Value::String(String::new()), &Value::Number(1.0), 0.0).unwrap_err();
        assert_eq!(
            err.message(),
            "val is not a non-empty string or a valid number. val=\"\""
        );
    }
}
