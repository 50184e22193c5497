//! Key tests over the key files in `core/testdata/keys/` (copies of `tests/keys/`, made by
//! openssl and Node; see its README).

use std::path::PathBuf;

pub(super) use super::*;
pub(super) use crate::alg::Algorithm::{
    self, ES256, ES384, ES512, HS256, HS384, HS512, PS256, PS384, PS512, RS256, RS384, RS512,
};
pub(super) use crate::error::ErrorCode;

mod encrypted;
mod formats;
mod interop;
mod pem_layout;
mod refusals;

pub(super) fn path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/keys")
        .join(name)
}

pub(super) fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(path(name)).unwrap_or_else(|e| panic!("fixture {name}: {e}"))
}

pub(super) fn private(name: &str) -> SigningKey {
    SigningKey::from_private(&fixture(name), None).unwrap_or_else(|e| panic!("{name}: {e}"))
}

pub(super) fn public(name: &str) -> VerifyingKey {
    VerifyingKey::from_public(&fixture(name), None).unwrap_or_else(|e| panic!("{name}: {e}"))
}

pub(super) const RSA: [Algorithm; 6] = [RS256, RS384, RS512, PS256, PS384, PS512];

pub(super) const MESSAGE: &[u8] = b"eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJxbGlrLWp3dCJ9";

/// Signs with every algorithm in `algs` and checks each signature with every verifying key,
/// and that a changed message or signature fails.
pub(super) fn round_trip(
    name: &str,
    key: &SigningKey,
    algs: &[Algorithm],
    verifiers: &[VerifyingKey],
) {
    for &alg in algs {
        let signature = key
            .sign(alg, MESSAGE)
            .unwrap_or_else(|e| panic!("{name} {alg}: {e}"));
        for verifier in verifiers {
            assert!(
                verifier.verify(alg, MESSAGE, &signature).unwrap(),
                "{name} {alg}"
            );
            assert!(
                !verifier.verify(alg, b"other message", &signature).unwrap(),
                "{name} {alg}"
            );
            let mut bad = signature.clone();
            bad[signature.len() / 2] ^= 1;
            assert!(
                !verifier.verify(alg, MESSAGE, &bad).unwrap(),
                "{name} {alg}"
            );
        }
    }
}

/// Converts an ECDSA DER signature (openssl's) to the JWS `r || s` form.
pub(super) fn der_to_jose(der: &[u8], size: usize) -> Vec<u8> {
    let sequence = der::parse_single(der).unwrap();
    let items = sequence.children().unwrap();
    let mut out = Vec::new();
    for item in &items {
        let magnitude = item.unsigned_integer().unwrap();
        out.resize(out.len() + size - magnitude.len(), 0);
        out.extend_from_slice(magnitude);
    }
    out
}

/// Converts a JWS `r || s` ECDSA signature to DER.
pub(super) fn jose_to_der(jose: &[u8]) -> Vec<u8> {
    let (r, s) = jose.split_at(jose.len() / 2);
    let mut content = der::encode_unsigned(r);
    content.extend_from_slice(&der::encode_unsigned(s));
    der::encode(der::tag::SEQUENCE, &content)
}
