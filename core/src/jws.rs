//! JWS compact serialization: assembling and splitting `header.payload.signature`, and reading
//! a token's header and payload as JSON.

use serde_json::Value as Json;

use crate::alg::Algorithm;
use crate::base64url;
use crate::error::Result;
use crate::key::{SigningKey, VerifyingKey};

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

/// The header and payload of a compact token as JSON: three parts, the first two strict
/// base64url of JSON text. `None` when the token is not that.
pub fn decode_json(token: &str) -> Option<(Json, Json)> {
    let parts = split(token)?;
    let json = |part: &str| serde_json::from_slice(&base64url::decode(part)?).ok();
    Some((json(parts.header)?, json(parts.payload)?))
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
    base64url::append(header_json, &mut token);
    token.push('.');
    base64url::append(payload, &mut token);
    let signature = key.sign(alg, token.as_bytes())?;
    token.push('.');
    base64url::append(&signature, &mut token);
    Ok(token)
}

/// Checks the signature of a split token under `alg`. The signature text is decoded as Node
/// decodes it (see [`base64url::node_decode`]); for HS*, as in `jwa`, the recomputed MAC's
/// base64url text must equal the signature text (compared in constant time).
pub fn verify_parts(parts: &Parts<'_>, alg: Algorithm, key: &VerifyingKey) -> Result<bool> {
    if alg.family() == crate::alg::Family::Hmac {
        let expected = base64url::encode(&key.mac(alg, parts.signing_input.as_bytes())?);
        return Ok(aws_lc_rs::constant_time::verify_slices_are_equal(
            expected.as_bytes(),
            parts.signature.as_bytes(),
        )
        .is_ok());
    }
    let signature = base64url::node_decode(parts.signature);
    key.verify(alg, parts.signing_input.as_bytes(), &signature)
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn decodes_the_json_of_header_and_payload() {
        let token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2ln";
        let (header, payload) = decode_json(token).unwrap();
        assert_eq!(header, serde_json::json!({ "alg": "HS256" }));
        assert_eq!(payload, serde_json::json!({ "sub": "u1" }));
        // Padding is optional, as in the strict reading everywhere else.
        for payload in ["eyJhIjoxfQ", "eyJhIjoxfQ=="] {
            let token = format!("eyJhbGciOiJIUzI1NiJ9.{payload}.x");
            assert_eq!(
                decode_json(&token).unwrap().1,
                serde_json::json!({ "a": 1 })
            );
        }
        for bad in [
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1MSJ9",
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2ln.c2ln",
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1MSJ9!.c2ln",
            "eyJhbGciOiJIUzI1NiJ9.bm90IGpzb24.c2ln",
        ] {
            assert!(decode_json(bad).is_none(), "{bad}");
        }
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
