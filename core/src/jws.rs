//! JWS compact serialization: base64url, and assembling and splitting
//! `header.payload.signature`.

use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

use crate::alg::Algorithm;
use crate::error::Result;
use crate::key::{SigningKey, VerifyingKey};

const URL_SAFE: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// The encoder of every token part: `base64-simd` picks the widest SIMD the CPU has at run
/// time, and the `base64` crate's scalar encoder took several times the instructions per byte.
const ENCODER: base64_simd::Base64 = base64_simd::URL_SAFE_NO_PAD;

/// Base64url without padding, as JWS uses.
pub fn b64url_encode(bytes: &[u8]) -> String {
    ENCODER.encode_to_string(bytes)
}

/// [`b64url_encode`] appended to `out`.
pub fn b64url_append(bytes: &[u8], out: &mut String) {
    ENCODER.encode_append(bytes, out);
}

/// [`b64url_encode`] into `buffer`, which must have room (4 characters per 3 bytes): the
/// encoded part of it, or nothing when it has not.
pub fn b64url_encode_slice<'a>(bytes: &[u8], buffer: &'a mut [u8]) -> &'a [u8] {
    if buffer.len() < ENCODER.encoded_length(bytes.len()) {
        return &[];
    }
    ENCODER.encode(bytes, base64_simd::Out::from_slice(buffer))
}

/// Strict base64url (URL alphabet, padding optional); `None` on any other character.
pub fn b64url_decode(text: &str) -> Option<Vec<u8>> {
    URL_SAFE.decode(text).ok()
}

/// A character's 6-bit value in either base64 alphabet (`+/` and `-_` both), [`PAD`] for `=`,
/// [`SKIP`] for anything else.
static DECODE: [u8; 256] = decode_table();
const PAD: u8 = 0x40;
const SKIP: u8 = 0x80;

const fn decode_table() -> [u8; 256] {
    let mut table = [SKIP; 256];
    let mut i = 0;
    while i < 26 {
        table[b'A' as usize + i] = i as u8;
        table[b'a' as usize + i] = 26 + i as u8;
        if i < 10 {
            table[b'0' as usize + i] = 52 + i as u8;
        }
        i += 1;
    }
    table[b'+' as usize] = 62;
    table[b'-' as usize] = 62;
    table[b'/' as usize] = 63;
    table[b'_' as usize] = 63;
    table[b'=' as usize] = PAD;
    table
}

/// Whether `text` is all base64url characters (`A-Z a-z 0-9 - _`), as `jws`'s token regex
/// requires of each part.
pub fn is_base64url(text: &str) -> bool {
    // Branch-free range tests over a block compile to vector compares; blocks still stop at
    // the first bad one.
    text.as_bytes().chunks(32).all(|block| {
        block.iter().fold(true, |ok, &b| {
            ok & (b.is_ascii_lowercase()
                | b.is_ascii_uppercase()
                | b.is_ascii_digit()
                | (b == b'-')
                | (b == b'_'))
        })
    })
}

/// Decodes base64 the way Node's `Buffer.from(text, 'base64')` does, which is how
/// `jsonwebtoken` (through `jws`) decodes token parts: both alphabets (`+/` and `-_`) are
/// accepted, characters outside them are skipped, decoding stops at the first `=`, and a
/// trailing lone character is dropped. Never fails.
pub fn node_base64_decode(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    // Token parts are clean base64url: four characters at a time until one is not, then the
    // character-by-character rules for the rest (from a quantum boundary, so no state carries).
    let mut out = Vec::with_capacity(bytes.len() / 4 * 3 + 2);
    let mut clean = 0;
    for chunk in bytes.chunks_exact(4) {
        let [a, b, c, d] = [0, 1, 2, 3].map(|i| DECODE[usize::from(chunk[i])]);
        if (a | b | c | d) >= PAD {
            break;
        }
        let quantum = u32::from(a) << 18 | u32::from(b) << 12 | u32::from(c) << 6 | u32::from(d);
        out.extend_from_slice(&quantum.to_be_bytes()[1..]);
        clean += 4;
    }
    decode_rest(&bytes[clean..], &mut out);
    out
}

/// [`node_base64_decode`]'s rules one character at a time, appending to `out`.
fn decode_rest(bytes: &[u8], out: &mut Vec<u8>) {
    let mut accumulator: u32 = 0;
    let mut count = 0;
    for &byte in bytes {
        let value = DECODE[usize::from(byte)];
        if value == PAD {
            break;
        }
        if value == SKIP {
            continue;
        }
        accumulator = (accumulator << 6) | u32::from(value);
        count += 1;
        if count == 4 {
            out.extend_from_slice(&accumulator.to_be_bytes()[1..]);
            accumulator = 0;
            count = 0;
        }
    }
    match count {
        2 => out.push((accumulator >> 4) as u8),
        3 => out.extend_from_slice(&((accumulator >> 2) as u16).to_be_bytes()),
        _ => {}
    }
}

/// The three parts of a compact JWS, still encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parts<'a> {
    /// The base64url header.
    pub header: &'a str,
    /// The base64url payload.
    pub payload: &'a str,
    /// The base64url signature (empty for `none`).
    pub signature: &'a str,
    /// `header.payload`, the bytes the signature covers.
    pub signing_input: &'a str,
}

/// Splits a compact token into its three parts; `None` unless there are exactly two dots.
pub fn split(token: &str) -> Option<Parts<'_>> {
    let first = token.find('.')?;
    let second = first + 1 + token[first + 1..].find('.')?;
    let signature = &token[second + 1..];
    if signature.contains('.') {
        return None;
    }
    Some(Parts {
        header: &token[..first],
        payload: &token[first + 1..second],
        signature,
        signing_input: &token[..second],
    })
}

/// Assembles a compact token: base64url of the header JSON and of the payload bytes, signed
/// with `key` under `alg` (for `none`, an empty signature and a trailing dot).
pub fn sign_compact(
    header_json: &[u8],
    payload: &[u8],
    alg: Algorithm,
    key: &SigningKey,
) -> Result<String> {
    let mut token = String::with_capacity((header_json.len() + payload.len()) * 4 / 3 + 700);
    b64url_append(header_json, &mut token);
    token.push('.');
    b64url_append(payload, &mut token);
    let signature = key.sign(alg, token.as_bytes())?;
    token.push('.');
    b64url_append(&signature, &mut token);
    Ok(token)
}

/// Checks the signature of a split token under `alg`. The signature text is decoded as Node
/// decodes it (see [`node_base64_decode`]); for HS*, as in `jwa`, the recomputed MAC's
/// base64url text must equal the signature text (compared in constant time).
pub fn verify_parts(parts: &Parts<'_>, alg: Algorithm, key: &VerifyingKey) -> Result<bool> {
    if alg.family() == crate::alg::Family::Hmac {
        let expected = b64url_encode(&key.mac(alg, parts.signing_input.as_bytes())?);
        return Ok(aws_lc_rs::constant_time::verify_slices_are_equal(
            expected.as_bytes(),
            parts.signature.as_bytes(),
        )
        .is_ok());
    }
    let signature = node_base64_decode(parts.signature);
    key.verify(alg, parts.signing_input.as_bytes(), &signature)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_simd_encoder_writes_what_the_scalar_encoder_writes() {
        // Lengths across several SIMD blocks and every remainder, at every alignment.
        let bytes: Vec<u8> = (0..400u32).map(|i| (i * 151 + 7) as u8).collect();
        for start in 0..32 {
            for len in 0..bytes.len() - start {
                let part = &bytes[start..start + len];
                let expected = URL_SAFE.encode(part);
                assert_eq!(b64url_encode(part), expected, "{start}+{len}");
                let mut appended = String::from("x.");
                b64url_append(part, &mut appended);
                assert_eq!(appended, format!("x.{expected}"));
            }
        }
        let mut small = [0u8; 3];
        assert_eq!(b64url_encode_slice(b"abcd", &mut small), b"");
    }

    #[test]
    fn base64url_round_trips_and_node_decoding_is_lenient() {
        for len in 0..40 {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + 11) as u8).collect();
            let text = b64url_encode(&bytes);
            assert!(!text.contains('=') && !text.contains('+') && !text.contains('/'));
            assert_eq!(b64url_decode(&text).unwrap(), bytes);
            let mut buffer = [0u8; 64];
            assert_eq!(b64url_encode_slice(&bytes, &mut buffer), text.as_bytes());
            assert_eq!(node_base64_decode(&text), bytes);
        }
        // Node: Buffer.from('-_+/', 'base64') is <fb ff bf> in both alphabets.
        assert_eq!(node_base64_decode("-_+/"), vec![0xfb, 0xff, 0xbf]);
        assert_eq!(node_base64_decode("ab!c=zz"), node_base64_decode("abc"));
        assert_eq!(node_base64_decode("Zg"), b"f");
        assert!(b64url_decode("ab!c").is_none());
    }

    /// The byte-at-a-time decoder the table-driven one replaced, kept as the reference.
    fn reference_node_base64_decode(text: &str) -> Vec<u8> {
        let mut out = Vec::new();
        let mut accumulator: u32 = 0;
        let mut count = 0;
        for byte in text.bytes() {
            let value = match byte {
                b'A'..=b'Z' => byte - b'A',
                b'a'..=b'z' => byte - b'a' + 26,
                b'0'..=b'9' => byte - b'0' + 52,
                b'+' | b'-' => 62,
                b'/' | b'_' => 63,
                b'=' => break,
                _ => continue,
            };
            accumulator = (accumulator << 6) | u32::from(value);
            count += 1;
            if count == 4 {
                out.extend_from_slice(&accumulator.to_be_bytes()[1..]);
                accumulator = 0;
                count = 0;
            }
        }
        match count {
            2 => out.push((accumulator >> 4) as u8),
            3 => out.extend_from_slice(&((accumulator >> 2) as u16).to_be_bytes()),
            _ => {}
        }
        out
    }

    #[test]
    fn table_decoder_equals_the_reference_on_generated_inputs() {
        // Both alphabets, padding, junk (ASCII and multi-byte) at every position, lengths 0..20.
        const CHARS: [&str; 16] = [
            "A", "z", "0", "9", "-", "_", "+", "/", "=", "!", ".", " ", "\n", "é", "😀", "Q",
        ];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut checked = 0;
        for len in 0..20 {
            for round in 0..400 {
                let text: String = (0..len)
                    .map(|_| {
                        let r = next();
                        // Mostly clean base64url, so the fast path runs before the junk.
                        if round % 4 == 0 || r % 5 == 0 {
                            CHARS[(r >> 8) as usize % CHARS.len()].to_owned()
                        } else {
                            let alphabet =
                                b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
                            char::from(alphabet[(r >> 8) as usize % alphabet.len()]).to_string()
                        }
                    })
                    .collect();
                assert_eq!(
                    node_base64_decode(&text),
                    reference_node_base64_decode(&text),
                    "{text:?}"
                );
                checked += 1;
            }
        }
        assert_eq!(checked, 8000);
        for byte in 0..=255u8 {
            let text = format!("QUJD{}RA", char::from(byte));
            assert_eq!(
                node_base64_decode(&text),
                reference_node_base64_decode(&text)
            );
            let clean = byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_';
            assert_eq!(is_base64url(&text), clean, "{byte}");
        }
        // '=' among zero-valued characters, where a sloppy "is this chunk clean" test slips.
        for text in [
            "AAA=",
            "AA==",
            "A===",
            "====",
            "AAAA=AAA",
            "AAAAAAA=AAAA",
            "=AAA",
        ] {
            assert_eq!(
                node_base64_decode(text),
                reference_node_base64_decode(text),
                "{text}"
            );
        }
        assert!(is_base64url(""));
        assert!(!is_base64url("é"));
    }

    #[test]
    fn splits_exactly_three_parts() {
        let parts = split("a.b.c").unwrap();
        assert_eq!(
            (parts.header, parts.payload, parts.signature),
            ("a", "b", "c")
        );
        assert_eq!(parts.signing_input, "a.b");
        assert_eq!(split("a.b.").unwrap().signature, "");
        assert!(split("a.b").is_none());
        assert!(split("a.b.c.d").is_none());
    }

    #[test]
    fn sign_compact_then_verify_parts() {
        let key = SigningKey::from_secret(b"secret");
        let token = sign_compact(
            br#"{"alg":"HS256","typ":"JWT"}"#,
            br#"{"a":1}"#,
            Algorithm::HS256,
            &key,
        )
        .unwrap();
        let parts = split(&token).unwrap();
        assert_eq!(parts.header, "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9");
        let public = key.verifying_key();
        assert!(verify_parts(&parts, Algorithm::HS256, &public).unwrap());
        let tampered = format!("{}.{}x", parts.signing_input, parts.signature);
        assert!(!verify_parts(&split(&tampered).unwrap(), Algorithm::HS256, &public).unwrap());
        let unsigned = sign_compact(b"{}", b"{}", Algorithm::None, &key).unwrap();
        assert!(unsigned.ends_with('.'));
    }
}
