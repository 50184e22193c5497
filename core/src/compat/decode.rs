//! `jwt.decode(token, options)` of `jsonwebtoken` 9.0.3 over `jws.decode` (`jws` 4): no
//! signature check, `null` for anything that is not a JWS, and an error only where those
//! libraries throw (a payload that must be JSON and is not).

use std::borrow::Cow;

use super::node_buffer::latin1_to_string;
use super::options::Options;
use crate::base64url;
use crate::error::Result;
use crate::value::Value;

/// A decoded token, as `decode(token, { complete: true })` returns it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Decoded {
    pub(crate) header: Value,
    pub(crate) payload: Value,
    pub(crate) signature: String,
}

impl Decoded {
    /// `{ header, payload, signature }`.
    pub(crate) fn into_value(self) -> Value {
        Value::Object(vec![
            ("header".into(), self.header),
            ("payload".into(), self.payload),
            ("signature".into(), Value::String(self.signature)),
        ])
    }
}

/// `jwt.decode(token, options)`: the payload (or `{ header, payload, signature }` with
/// `complete: true`), `Value::Null` for anything that is not a token, and an error only where
/// `jsonwebtoken` throws one: a payload that must be JSON (header `typ` `"JWT"`, or the `json`
/// option) and is not. That error carries V8's `SyntaxError` message for the common cases; its
/// class is plain `Error` (JavaScript throws a `SyntaxError`).
pub fn decode(token: &Value, options: &Value) -> Result<Value> {
    let options = Options::new(options);
    let Some(text) = token_text(token)? else {
        return Ok(Value::Null);
    };
    let Some(decoded) = decode_text(&text, options.flag("json"))? else {
        return Ok(Value::Null);
    };
    if options.get("complete").strict_equals(&Value::Bool(true)) {
        Ok(decoded.into_value())
    } else {
        Ok(decoded.payload)
    }
}

/// `jws`'s `toString(token)`: a string as is, a `Buffer` as UTF-8, a number printed; for
/// anything else `JSON.stringify`, which never looks like a token (but throws for a bigint).
fn token_text(token: &Value) -> Result<Option<Cow<'_, str>>> {
    Ok(match token {
        Value::String(s) => Some(Cow::Borrowed(s)),
        Value::Bytes(bytes) => Some(String::from_utf8_lossy(bytes)),
        Value::Number(n) => Some(Cow::Owned(crate::value::number_to_string(*n))),
        other => {
            other.json_stringify()?;
            None
        }
    })
}

/// `/^[a-zA-Z0-9\-_]+?\.[a-zA-Z0-9\-_]+?\.([a-zA-Z0-9\-_]+)?$/`, split into its three parts.
fn jws_parts(text: &str) -> Option<[&str; 3]> {
    let mut parts = text.split('.');
    let (Some(header), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    let valid = !header.is_empty()
        && !payload.is_empty()
        && base64url::is_base64url(header)
        && base64url::is_base64url(payload)
        && base64url::is_base64url(signature);
    valid.then_some([header, payload, signature])
}

/// `jws.decode` followed by `jsonwebtoken`'s attempt to read a string payload as JSON.
pub(crate) fn decode_text(text: &str, json: bool) -> Result<Option<Decoded>> {
    let Some([header_part, payload_part, signature]) = jws_parts(text) else {
        return Ok(None);
    };
    // The header is read as 'binary' (latin1) text, then JSON; it must parse to a truthy value.
    let header_text = latin1_text(base64url::node_decode(header_part));
    let header = match Value::from_json_str(&header_text) {
        Ok(header) if header.is_truthy() => header,
        _ => return Ok(None),
    };
    let payload_text = utf8_lossy(base64url::node_decode(payload_part));
    let mut payload = if header.get("typ").as_str() == Some("JWT") || json {
        Value::from_json_str(&payload_text)?
    } else {
        Value::String(payload_text)
    };
    if let Value::String(text) = &payload
        && let Ok(parsed @ (Value::Object(_) | Value::Array(_))) = Value::from_json_str(text)
    {
        payload = parsed;
    }
    Ok(Some(Decoded {
        header,
        payload,
        signature: signature.to_owned(),
    }))
}

/// `buffer.toString('binary')`, taking the bytes as they are when they are ASCII (the same
/// text in latin1 and UTF-8, and the common case).
fn latin1_text(bytes: Vec<u8>) -> String {
    if bytes.is_ascii() {
        return String::from_utf8(bytes).unwrap_or_default();
    }
    latin1_to_string(&bytes)
}

/// `buffer.toString('utf8')`: the bytes as they are when they are UTF-8 (the common case,
/// without a copy), else with U+FFFD for each bad sequence.
fn utf8_lossy(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes)
        .unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base64url;

    fn token(header: &str, payload: &str, signature: &str) -> Value {
        Value::String(format!(
            "{}.{}.{signature}",
            base64url::encode(header.as_bytes()),
            base64url::encode(payload.as_bytes())
        ))
    }

    fn complete() -> Value {
        [("complete", Value::Bool(true))].into_iter().collect()
    }

    #[test]
    fn garbage_is_null() {
        for garbage in [
            Value::Undefined,
            Value::Null,
            Value::String(String::new()),
            Value::String("a.b".into()),
            Value::String("a.b.c.d".into()),
            Value::String("a..c".into()),
            Value::String("a.b.c!".into()),
            Value::Number(1.5),
            Value::Object(vec![]),
            token("0", "{}", ""),
            token("null", "{}", ""),
            token("{", "{}", ""),
        ] {
            assert_eq!(
                decode(&garbage, &Value::Undefined).unwrap(),
                Value::Null,
                "{garbage:?}"
            );
        }
    }

    #[test]
    fn payload_is_json_when_it_parses_to_an_object() {
        let t = token(r#"{"alg":"none"}"#, r#"{"a":1}"#, "");
        assert_eq!(
            decode(&t, &Value::Undefined).unwrap(),
            [("a", Value::Number(1.0))].into_iter().collect()
        );
        let t = token(r#"{"alg":"none"}"#, "123", "");
        assert_eq!(
            decode(&t, &Value::Undefined).unwrap(),
            Value::String("123".into())
        );
        let t = token(r#"{"alg":"none"}"#, "[1]", "");
        assert_eq!(
            decode(&t, &Value::Undefined).unwrap(),
            Value::Array(vec![Value::Number(1.0)])
        );
    }

    #[test]
    fn typ_jwt_or_json_option_make_bad_json_an_error() {
        let t = token(r#"{"typ":"JWT"}"#, "abc", "");
        assert_eq!(
            decode(&t, &Value::Undefined).unwrap_err().message(),
            "Unexpected token 'a', \"abc\" is not valid JSON"
        );
        let t = token(r#"{"alg":"HS256"}"#, "abc", "sig");
        let json: Value = [("json", Value::Bool(true))].into_iter().collect();
        assert!(decode(&t, &json).is_err());
        assert_eq!(
            decode(&t, &Value::Undefined).unwrap(),
            Value::String("abc".into())
        );
    }

    #[test]
    fn complete_returns_header_payload_signature() {
        let t = token(r#"{"alg":"HS256","typ":"JWT"}"#, r#"{"sub":"x"}"#, "c2ln");
        let got = decode(&t, &complete()).unwrap();
        assert_eq!(got.get("header").get("alg"), &Value::String("HS256".into()));
        assert_eq!(got.get("payload").get("sub"), &Value::String("x".into()));
        assert_eq!(got.get("signature"), &Value::String("c2ln".into()));
    }

    #[test]
    fn header_is_latin1_and_payload_utf8() {
        // The header bytes C3 A9 read as latin1 are "Ã©"; the payload's as UTF-8 are "é".
        let t = token("{\"kid\":\"é\"}", "{\"n\":\"é\"}", "");
        let got = decode(&t, &complete()).unwrap();
        assert_eq!(got.get("header").get("kid"), &Value::String("Ã©".into()));
        assert_eq!(got.get("payload").get("n"), &Value::String("é".into()));
    }

    #[test]
    fn the_no_copy_text_conversions_equal_the_general_ones() {
        let mut samples: Vec<Vec<u8>> = vec![Vec::new(), b"{\"alg\":\"HS256\"}".to_vec()];
        samples.extend((0..=255u8).map(|b| vec![b'a', b, b'z']));
        samples.push("é😀".as_bytes().to_vec());
        samples.push(vec![0xf0, 0x9f, 0x98]);
        for bytes in samples {
            assert_eq!(latin1_text(bytes.clone()), latin1_to_string(&bytes));
            assert_eq!(
                utf8_lossy(bytes.clone()),
                String::from_utf8_lossy(&bytes).into_owned()
            );
        }
    }

    #[test]
    fn buffers_decode_as_utf8_text() {
        let Value::String(text) = token(r#"{"alg":"none"}"#, r#"{"a":1}"#, "") else {
            unreachable!()
        };
        let got = decode(&Value::Bytes(text.into_bytes()), &Value::Undefined).unwrap();
        assert_eq!(got.get("a"), &Value::Number(1.0));
    }
}
