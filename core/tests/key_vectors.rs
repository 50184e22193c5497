//! The shared `jsonwebtoken` vectors (tests/vectors) as an oracle for the key layer.

mod support;

use qlik_jwt::alg::{Algorithm, Family};
use qlik_jwt::{SigningKey, VerifyingKey, base64url, jws};

fn fixture(name: &str) -> Vec<u8> {
    let path = support::keys_dir().join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("fixture {}: {e}", path.display()))
}

/// The key material a vector describes: its bytes (a file, a string secret) and passphrase.
fn vector_key(key: &serde_json::Value) -> Option<(String, Vec<u8>, Option<Vec<u8>>)> {
    let kind = key.get("kind")?.as_str()?;
    let passphrase = key
        .get("passphrase")
        .and_then(|p| p.as_str())
        .map(|p| p.as_bytes().to_vec());
    let bytes = match (kind, key.get("file").and_then(|f| f.as_str())) {
        ("text" | "buffer" | "passphrase" | "jwk", Some(file)) => fixture(file),
        ("value", _) => key.get("value")?.as_str()?.as_bytes().to_vec(),
        _ => return None,
    };
    Some((kind.to_string(), bytes, passphrase))
}

/// The token's `alg`; `None` for headers that are not plain JSON (some vectors test odd
/// headers) or the `none` algorithm.
fn token_algorithm(parts: &jws::Parts<'_>) -> Option<Algorithm> {
    let header = base64url::decode(parts.header)?;
    let header: serde_json::Value = serde_json::from_slice(&header).ok()?;
    let alg: Algorithm = header["alg"].as_str()?.parse().ok()?;
    (alg != Algorithm::None).then_some(alg)
}

fn vectors(file: &str) -> Vec<serde_json::Value> {
    support::read(file)["vectors"].as_array().unwrap().clone()
}

/// The real `jsonwebtoken` 9.0.3 made these tokens (tests/vectors): the key layer must produce
/// the same RS*/HS* signatures byte for byte and accept the randomized ES*/PS* ones.
#[test]
fn signatures_match_the_jsonwebtoken_sign_vectors() {
    let mut checked = 0;
    for vector in vectors("sign.json") {
        let (Some(token), Some((kind, bytes, passphrase))) = (
            vector["expect"]["token"].as_str(),
            vector_key(&vector["key"]),
        ) else {
            continue;
        };
        let id = vector["id"].as_str().unwrap();
        let parts = jws::split(token).unwrap();
        let Some(alg) = token_algorithm(&parts) else {
            continue;
        };
        let key = if alg.family() == Family::Hmac {
            SigningKey::from_secret(&bytes)
        } else if kind == "jwk" {
            SigningKey::from_jwk(std::str::from_utf8(&bytes).unwrap()).unwrap()
        } else {
            SigningKey::from_private(&bytes, passphrase.as_deref())
                .unwrap_or_else(|e| panic!("{id}: {e}"))
        };
        let expected = base64url::node_decode(parts.signature);
        match alg.family() {
            Family::Hmac | Family::Rsa => {
                let ours = key.sign(alg, parts.signing_input.as_bytes()).unwrap();
                assert_eq!(ours, expected, "{id}");
            }
            _ => {
                let verifier = key.verifying_key();
                let ok = verifier.verify(alg, parts.signing_input.as_bytes(), &expected);
                assert!(ok.unwrap(), "{id}");
            }
        }
        checked += 1;
    }
    assert!(checked >= 100, "only {checked} sign vectors checked");
}

/// Every token `jsonwebtoken` accepted in tests/vectors/verify.json has a signature the key
/// layer accepts with the same key.
#[test]
fn signatures_of_accepted_verify_vectors_verify() {
    let mut checked = 0;
    for vector in vectors("verify.json") {
        let (Some(token), Some((kind, bytes, passphrase))) =
            (vector["token"].as_str(), vector_key(&vector["key"]))
        else {
            continue;
        };
        if vector["expect"].get("result").is_none() {
            continue;
        }
        let id = vector["id"].as_str().unwrap();
        let parts = jws::split(token).unwrap();
        let Some(alg) = token_algorithm(&parts) else {
            continue;
        };
        let key = if alg.family() == Family::Hmac {
            VerifyingKey::from_secret(&bytes)
        } else if kind == "jwk" {
            VerifyingKey::from_jwk(std::str::from_utf8(&bytes).unwrap()).unwrap()
        } else {
            VerifyingKey::from_public(&bytes, passphrase.as_deref())
                .unwrap_or_else(|e| panic!("{id}: {e}"))
        };
        assert!(jws::verify_parts(&parts, alg, &key).unwrap(), "{id}");
        checked += 1;
    }
    assert!(checked >= 50, "only {checked} verify vectors checked");
}
