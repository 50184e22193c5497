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

/// Base64url without padding, as JWS uses.
pub fn b64url_encode(bytes: &[u8]) -> String {
    URL_SAFE.encode(bytes)
}

/// Strict base64url (URL alphabet, padding optional); `None` on any other character.
pub fn b64url_decode(text: &str) -> Option<Vec<u8>> {
    URL_SAFE.decode(text).ok()
}

/// Decodes base64 the way Node's `Buffer.from(text, 'base64')` does, which is how
/// `jsonwebtoken` (through `jws`) decodes token parts: both alphabets (`+/` and `-_`) are
/// accepted, characters outside them are skipped, decoding stops at the first `=`, and a
/// trailing lone character is dropped. Never fails.
pub fn node_base64_decode(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
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
    URL_SAFE.encode_string(header_json, &mut token);
    token.push('.');
    URL_SAFE.encode_string(payload, &mut token);
    let signature = key.sign(alg, token.as_bytes())?;
    token.push('.');
    URL_SAFE.encode_string(&signature, &mut token);
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
    fn base64url_round_trips_and_node_decoding_is_lenient() {
        for len in 0..40 {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + 11) as u8).collect();
            let text = b64url_encode(&bytes);
            assert!(!text.contains('=') && !text.contains('+') && !text.contains('/'));
            assert_eq!(b64url_decode(&text).unwrap(), bytes);
            assert_eq!(node_base64_decode(&text), bytes);
        }
        // Node: Buffer.from('-_+/', 'base64') is <fb ff bf> in both alphabets.
        assert_eq!(node_base64_decode("-_+/"), vec![0xfb, 0xff, 0xbf]);
        assert_eq!(node_base64_decode("ab!c=zz"), node_base64_decode("abc"));
        assert_eq!(node_base64_decode("Zg"), b"f");
        assert!(b64url_decode("ab!c").is_none());
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
