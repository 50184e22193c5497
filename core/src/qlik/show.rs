//! Short renderings of claim values for problem messages. Only header and claim values are
//! ever shown (never key material), and long ones are cut so a message stays readable.

use crate::value::Value;

/// The longest part of a string value a message quotes.
const MAX_SHOWN_CHARS: usize = 60;

/// A string value, quoted and cut to [`MAX_SHOWN_CHARS`].
pub(crate) fn text(s: &str) -> String {
    if s.chars().count() <= MAX_SHOWN_CHARS {
        format!("{s:?}")
    } else {
        let head: String = s.chars().take(MAX_SHOWN_CHARS).collect();
        format!("{head:?}...")
    }
}

/// A number as JavaScript prints it.
pub(crate) fn number(n: f64) -> String {
    crate::value::number_to_string(n)
}

/// The JSON type name of a value, as used in messages ("a string", "a number", ...).
pub(crate) fn kind(value: &Value) -> String {
    match value {
        Value::Undefined => "undefined".into(),
        Value::Null => "null".into(),
        Value::Bool(_) => "a boolean".into(),
        Value::Number(n) if n.is_finite() => "a number".into(),
        Value::Number(_) => "a non-finite number".into(),
        Value::String(_) => "a string".into(),
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
        Value::Bytes(_) => "bytes".into(),
        Value::RegExp { .. } => "a regular expression".into(),
        Value::Other(name) => format!("a {name}"),
    }
}

/// A value with its type, e.g. `the string "true"`, `the number 12`, `an array`.
pub(crate) fn value(value: &Value) -> String {
    match value {
        Value::String(s) => format!("the string {}", text(s)),
        Value::Number(n) if n.is_finite() => format!("the number {}", number(*n)),
        Value::Bool(b) => format!("the boolean {b}"),
        other => kind(other),
    }
}

/// The UTC date and time of `secs` since the epoch, ISO 8601 (for messages about `exp`/`nbf`).
pub(crate) fn utc(secs: f64) -> String {
    if !secs.is_finite() || secs.abs() > 8.64e12 {
        return number(secs);
    }
    let whole = secs.floor() as i64;
    let (days, rem) = (whole.div_euclid(86_400), whole.rem_euclid(86_400));
    // Civil date from days since 1970-01-01 (proleptic Gregorian calendar).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_matches_known_instants() {
        // Instants and their dates as `date -u -d @N` prints them.
        assert_eq!(utc(0.0), "1970-01-01T00:00:00Z");
        assert_eq!(utc(1_658_416_389.0), "2022-07-21T15:13:09Z");
        assert_eq!(utc(951_782_400.0), "2000-02-29T00:00:00Z");
        assert_eq!(utc(-1.0), "1969-12-31T23:59:59Z");
    }

    #[test]
    fn long_text_is_cut() {
        let long = "x".repeat(100);
        assert_eq!(text(&long), format!("{:?}...", "x".repeat(60)));
        assert_eq!(text("abc"), "\"abc\"");
    }
}
