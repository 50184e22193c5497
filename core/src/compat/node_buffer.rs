//! Node's `Buffer.from(string, encoding)` and `buffer.toString(encoding)`, which `jws` uses to
//! turn the header (`'binary'`) and the payload (the `encoding` option) into bytes and back.

use std::borrow::Cow;

use crate::error::{Error, ErrorCode, Result};

/// A Node buffer encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Encoding {
    Utf8,
    Utf16le,
    Latin1,
    Ascii,
    Base64,
    Base64url,
    Hex,
}

impl Encoding {
    /// Node's encoding names, in any ASCII case; `Unknown encoding: <name>` (Node's
    /// `TypeError`) otherwise.
    pub(crate) fn parse(name: &str) -> Result<Encoding> {
        // "base64url" is the longest name.
        let mut buffer = [0u8; 9];
        let lowered = crate::ascii_case::lowered(name, &mut buffer).unwrap_or("");
        Ok(match lowered {
            "utf8" | "utf-8" => Encoding::Utf8,
            "ucs2" | "ucs-2" | "utf16le" | "utf-16le" => Encoding::Utf16le,
            "latin1" | "binary" => Encoding::Latin1,
            "ascii" => Encoding::Ascii,
            "base64" => Encoding::Base64,
            "base64url" => Encoding::Base64url,
            "hex" => Encoding::Hex,
            _ => {
                return Err(Error::type_error(
                    ErrorCode::InvalidOption,
                    format!("Unknown encoding: {name}"),
                ));
            }
        })
    }
}

/// `Buffer.from(text, encoding)` (borrowed where the bytes are the text's own).
pub(crate) fn from_string(text: &str, encoding: Encoding) -> Cow<'_, [u8]> {
    Cow::Owned(match encoding {
        Encoding::Utf8 => return Cow::Borrowed(text.as_bytes()),
        Encoding::Latin1 | Encoding::Ascii if text.is_ascii() => {
            return Cow::Borrowed(text.as_bytes());
        }
        Encoding::Utf16le => text.encode_utf16().flat_map(u16::to_le_bytes).collect(),
        // Writing 'ascii' keeps the low byte of each UTF-16 unit, as 'latin1' does.
        Encoding::Latin1 | Encoding::Ascii => latin1(text),
        // Node decodes the low byte of each UTF-16 unit: "😀" (D83D DE00) reads as "=", which
        // ends base64 input.
        Encoding::Base64 | Encoding::Base64url => {
            crate::base64url::node_decode(&latin1_to_string(&latin1(text)))
        }
        Encoding::Hex => hex(&latin1(text)),
    })
}

/// `Buffer.from(text, 'binary')`: the low byte of each UTF-16 code unit.
pub(crate) fn latin1(text: &str) -> Vec<u8> {
    if text.is_ascii() {
        return text.as_bytes().to_vec();
    }
    text.encode_utf16().map(|unit| unit as u8).collect()
}

/// `buffer.toString('binary')`: each byte as the character of the same code.
pub(crate) fn latin1_to_string(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| char::from(b)).collect()
}

/// Hex pairs up to the first pair that is not one, as Node decodes `'hex'`.
fn hex(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() / 2);
    for pair in bytes.chunks_exact(2) {
        let (Some(hi), Some(lo)) = (
            (pair[0] as char).to_digit(16),
            (pair[1] as char).to_digit(16),
        ) else {
            break;
        };
        out.push((hi * 16 + lo) as u8);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex_of(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn encodings_match_node() {
        // Node 20: Buffer.from('{"é€a":1}', enc).toString('hex')
        let text = "{\"é€a\":1}";
        let cases = [
            ("UTF8", "7b22c3a9e282ac61223a317d"),
            ("Utf-8", "7b22c3a9e282ac61223a317d"),
            ("ascii", "7b22e9ac61223a317d"),
            ("hex", ""),
            ("base64", "6b"),
            ("binary", "7b22e9ac61223a317d"),
            ("latin1", "7b22e9ac61223a317d"),
            ("ucs2", "7b002200e900ac20610022003a0031007d00"),
            ("utf16le", "7b002200e900ac20610022003a0031007d00"),
            ("base64url", "6b"),
        ];
        for (name, expected) in cases {
            let encoding = Encoding::parse(name).unwrap();
            assert_eq!(hex_of(&from_string(text, encoding)), expected, "{name}");
        }
        assert_eq!(
            Encoding::parse("bogus").unwrap_err().message(),
            "Unknown encoding: bogus"
        );
    }

    #[test]
    fn base64_reads_the_low_byte_of_each_utf16_unit() {
        // Node: Buffer.from('{"name":"Jürgen 日本 😀","iat":1700000000}', 'base64') → 9da99e26b81e
        let text = "{\"name\":\"Jürgen 日本 😀\",\"iat\":1700000000}";
        assert_eq!(hex_of(&from_string(text, Encoding::Base64)), "9da99e26b81e");
        // Node: 'Zm9v YmFy' and 'abücdefgh' skip what is not base64
        assert_eq!(
            hex_of(&from_string("Zm9v YmFy", Encoding::Base64)),
            "666f6f626172"
        );
        assert_eq!(
            hex_of(&from_string("abücdefgh", Encoding::Base64)),
            "69b71d79f821"
        );
    }

    #[test]
    fn hex_stops_at_the_first_bad_pair() {
        // Node: Buffer.from('abz1', 'hex') → <ab>; 'a' → empty; '0g12' → empty
        assert_eq!(hex(b"abz1"), vec![0xab]);
        assert!(hex(b"a").is_empty());
        assert!(hex(b"0g12").is_empty());
    }

    #[test]
    fn latin1_round_trips_bytes() {
        let bytes: Vec<u8> = (0..=255).collect();
        assert_eq!(latin1(&latin1_to_string(&bytes)), bytes);
    }
}
