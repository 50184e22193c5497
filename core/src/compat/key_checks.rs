//! `lib/validateAsymmetricKey.js` of `jsonwebtoken` 9.0.3 (the fix of CVE-2022-23541): the
//! key type must fit the algorithm, the curve must fit the ES algorithm, and an RSA-PSS key's
//! parameters must fit the PS algorithm.

use super::key_arg::KeyObject;
use crate::error::{Error, ErrorCode, Result};
use crate::key::{Curve, KeyKind};

fn fail(message: String) -> Error {
    Error::plain(ErrorCode::KeyAlgorithmMismatch, message)
}

/// Node's `namedCurve` for a curve.
fn node_curve_name(curve: Curve) -> &'static str {
    match curve {
        Curve::P256 => "prime256v1",
        Curve::P384 => "secp384r1",
        Curve::P521 => "secp521r1",
    }
}

/// `validateAsymmetricKey(algorithm, key)`; a secret key (no `asymmetricKeyType`), an empty
/// algorithm or a missing key pass. Errors are plain `Error`s, as there.
pub(crate) fn validate_asymmetric_key(algorithm: &str, key: Option<&KeyObject>) -> Result<()> {
    let Some(key) = key else { return Ok(()) };
    if algorithm.is_empty() {
        return Ok(());
    }
    let kind = key.kind();
    let Some(key_type) = kind.asymmetric_key_type() else {
        return Ok(());
    };
    let allowed: &[&str] = match key_type {
        "ec" => &["ES256", "ES384", "ES512"],
        "rsa" => &["RS256", "PS256", "RS384", "PS384", "RS512", "PS512"],
        "rsa-pss" => &["PS256", "PS384", "PS512"],
        _ => return Err(fail(format!("Unknown key type \"{key_type}\"."))),
    };
    if !allowed.contains(&algorithm) {
        return Err(fail(format!(
            "\"alg\" parameter for \"{key_type}\" key type must be one of: {}.",
            allowed.join(", ")
        )));
    }
    let required_curve = match algorithm {
        "ES256" => "prime256v1",
        "ES384" => "secp384r1",
        _ => "secp521r1",
    };
    match kind {
        // An EC key on a curve no ES algorithm uses (e.g. secp256k1) never fits.
        KeyKind::Unsupported { .. } if key_type == "ec" => {
            return Err(fail(format!(
                "\"alg\" parameter \"{algorithm}\" requires curve \"{required_curve}\"."
            )));
        }
        KeyKind::Ec { curve } => {
            let required = required_curve;
            if node_curve_name(*curve) != required {
                return Err(fail(format!(
                    "\"alg\" parameter \"{algorithm}\" requires curve \"{required}\"."
                )));
            }
        }
        KeyKind::RsaPss { .. } => {
            // A key without RSASSA-PSS parameters has no hashAlgorithm in Node, which never
            // equals "sha256": jsonwebtoken refuses it.
            let length: u32 = algorithm[algorithm.len() - 3..].parse().unwrap_or(0);
            let hash = format!("sha{length}");
            let params = key.rsa_pss_parameters();
            let fits = params.is_some_and(|p| {
                p.hash_algorithm == hash && p.mgf1_hash_algorithm == p.hash_algorithm
            });
            if !fits {
                return Err(fail(format!(
                    "Invalid key for this operation, its RSA-PSS parameters do not meet the requirements of \"alg\" {algorithm}."
                )));
            }
            if params.is_some_and(|p| p.salt_length > length >> 3) {
                return Err(fail(format!(
                    "Invalid key for this operation, its RSA-PSS parameter saltLength does not meet the requirements of \"alg\" {algorithm}."
                )));
            }
        }
        _ => {}
    }
    Ok(())
}
