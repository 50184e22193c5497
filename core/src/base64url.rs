//! Base64url, the text of every token part, in the two readings a token meets: the strict one
//! of RFC 7515 (what the core writes, and what the Qlik checks and JWKs are read with), and the
//! lenient one of Node's `Buffer.from(text, 'base64')`, which is how `jsonwebtoken` reads a
//! token and which must be matched byte for byte.
//!
//! Encoding and strict decoding are the `base64` crate's, the one base64 library in the build
//! (`rcgen` and `ureq` use it too). Encoding uses its SIMD engine, which picks AVX2 (x86-64) or
//! NEON (aarch64) at run time. Instructions to encode the three parts of the bench's HS256 token
//! (27, 292 and 32 bytes: 471 characters) onto the token's `String`, counted by callgrind
//! (AVX2), the cost of the loop itself taken out:
//!
//! | encoder | instructions |
//! |---|---:|
//! | `base64` 0.23 `Simd`, written in the `String`'s own buffer (used here) | 1,594 |
//! | `base64` 0.23 `Simd`, `encode_string` | 2,180 |
//! | `base64` 0.23 `GeneralPurpose` (scalar), written in the buffer | 3,086 |
//! | `base64-simd` 0.8 (AVX2), a second library kept for this before | 1,009 |
//!
//! `base64-simd` would save about 585 instructions per token: under 1 % of the roughly 70,000
//! of a Node `sign` call (`bench/analysis.md`), and within the spread of repeated counts of the
//! same build. Not worth a second library.
//!
//! Node's lenient decoding is hand-written ([`node_decode`]): no library skips foreign
//! characters and stops at the first `=` the way Node does.

use std::sync::LazyLock;

use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig, Simd};

const CONFIG: GeneralPurposeConfig = GeneralPurposeConfig::new()
    .with_encode_padding(false)
    .with_decode_padding_mode(DecodePaddingMode::Indifferent);

/// The strict decoder: URL alphabet, padding optional.
const STRICT: GeneralPurpose = GeneralPurpose::new(&base64::alphabet::URL_SAFE, CONFIG);

/// The encoder of every token part: the CPU's widest SIMD, checked once.
static ENCODER: LazyLock<Simd> = LazyLock::new(|| Simd::url_safe(CONFIG));

/// Base64url without padding, as JWS uses.
pub fn encode(bytes: &[u8]) -> String {
    ENCODER.encode(bytes)
}

/// [`encode`] appended to `out`, in its own buffer (`encode_string` would go through a chunked
/// copy, a third more instructions for a token).
pub fn append(bytes: &[u8], out: &mut String) {
    let start = out.len();
    let len = encoded_len(bytes.len());
    // SAFETY: the bytes added are zeros, then the base64 characters written over them: ASCII
    // either way, so `out` stays UTF-8 whatever `encode_slice` does.
    let buffer = unsafe { out.as_mut_vec() };
    buffer.resize(start + len, 0);
    let written = ENCODER.encode_slice(bytes, &mut buffer[start..]);
    debug_assert_eq!(written, Ok(len));
}

/// Characters of the base64url of `len` bytes, without padding.
fn encoded_len(len: usize) -> usize {
    len / 3 * 4 + [0, 2, 3][len % 3]
}

/// [`encode`] into `buffer`, which must have room (4 characters per 3 bytes): the encoded part
/// of it, or nothing when it has not.
pub fn encode_into<'a>(bytes: &[u8], buffer: &'a mut [u8]) -> &'a [u8] {
    match ENCODER.encode_slice(bytes, buffer) {
        Ok(len) => &buffer[..len],
        Err(_) => &[],
    }
}

/// Strict base64url (URL alphabet, padding optional); `None` on any other character.
pub fn decode(text: &str) -> Option<Vec<u8>> {
    STRICT.decode(text).ok()
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
pub fn node_decode(text: &str) -> Vec<u8> {
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

/// [`node_decode`]'s rules one character at a time, appending to `out`.
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
                let expected = STRICT.encode(part);
                assert_eq!(encode(part), expected, "{start}+{len}");
                let mut appended = String::from("x.");
                append(part, &mut appended);
                assert_eq!(appended, format!("x.{expected}"));
            }
        }
        let mut small = [0u8; 3];
        assert_eq!(encode_into(b"abcd", &mut small), b"");
        for len in 0..100 {
            assert_eq!(encoded_len(len), encode(&vec![0; len]).len());
        }
    }

    #[test]
    fn base64url_round_trips_and_node_decoding_is_lenient() {
        for len in 0..40 {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + 11) as u8).collect();
            let text = encode(&bytes);
            assert!(!text.contains('=') && !text.contains('+') && !text.contains('/'));
            assert_eq!(decode(&text).unwrap(), bytes);
            let mut buffer = [0u8; 64];
            assert_eq!(encode_into(&bytes, &mut buffer), text.as_bytes());
            assert_eq!(node_decode(&text), bytes);
        }
        // Node: Buffer.from('-_+/', 'base64') is <fb ff bf> in both alphabets.
        assert_eq!(node_decode("-_+/"), vec![0xfb, 0xff, 0xbf]);
        assert_eq!(node_decode("ab!c=zz"), node_decode("abc"));
        assert_eq!(node_decode("Zg"), b"f");
        assert!(decode("ab!c").is_none());
    }

    /// The byte-at-a-time decoder the table-driven one replaced, kept as the reference.
    fn reference_node_decode(text: &str) -> Vec<u8> {
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
                assert_eq!(node_decode(&text), reference_node_decode(&text), "{text:?}");
                checked += 1;
            }
        }
        assert_eq!(checked, 8000);
        for byte in 0..=255u8 {
            let text = format!("QUJD{}RA", char::from(byte));
            assert_eq!(node_decode(&text), reference_node_decode(&text));
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
            assert_eq!(node_decode(text), reference_node_decode(text), "{text}");
        }
        assert!(is_base64url(""));
        assert!(!is_base64url("é"));
    }
}
