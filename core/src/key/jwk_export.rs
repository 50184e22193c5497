//! A public key written as JWK members (RFC 7517, RFC 7518 section 6): what an OAuth client's
//! console field or a JWKS takes. Only public members are ever written.

use super::der::{self, tag};
use super::{Curve, KeyKind, PublicMaterial, VerifyingKey};
use crate::base64url;

impl VerifyingKey {
    /// The key's public JWK members, in the order RFC 7638 sorts them (`e`, `kty`, `n` for RSA;
    /// `crv`, `kty`, `x`, `y` for EC), each value base64url without padding. `None` for a shared
    /// secret, an RSA-PSS key (no JWK form names its parameters) or a key of another type.
    pub fn public_jwk_members(&self) -> Option<Vec<(&'static str, String)>> {
        match (&self.inner.kind, &self.inner.material) {
            (KeyKind::Rsa { .. }, PublicMaterial::Rsa(verifier)) => {
                let sequence = der::parse_single(&verifier.public_pkcs1)?;
                let numbers = sequence.children()?;
                if sequence.tag != tag::SEQUENCE || numbers.len() != 2 {
                    return None;
                }
                let n = numbers[0].unsigned_integer()?;
                let e = numbers[1].unsigned_integer()?;
                Some(vec![
                    ("e", base64url::encode(e)),
                    ("kty", "RSA".to_owned()),
                    ("n", base64url::encode(n)),
                ])
            }
            (KeyKind::Ec { curve }, PublicMaterial::Ec(verifier)) => {
                let point = ec_point(&verifier.spki)?;
                let size = coordinate_size(*curve);
                if point.len() != 1 + 2 * size || point[0] != 0x04 {
                    return None;
                }
                Some(vec![
                    ("crv", curve.name().to_owned()),
                    ("kty", "EC".to_owned()),
                    ("x", base64url::encode(&point[1..=size])),
                    ("y", base64url::encode(&point[1 + size..])),
                ])
            }
            _ => None,
        }
    }
}

/// The uncompressed point inside an EC SubjectPublicKeyInfo.
fn ec_point(spki: &[u8]) -> Option<&[u8]> {
    let info = der::parse_single(spki)?;
    let parts = info.children()?;
    parts.get(1)?.bit_string_bytes()
}

fn coordinate_size(curve: Curve) -> usize {
    match curve {
        Curve::P256 => 32,
        Curve::P384 => 48,
        Curve::P521 => 66,
    }
}

#[cfg(test)]
mod tests {
    use crate::key::VerifyingKey;

    fn fixture(name: &str) -> Vec<u8> {
        let path = format!("{}/testdata/keys/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(&path).unwrap_or_else(|error| panic!("{path}: {error}"))
    }

    fn round_trip(members: &[(&'static str, String)]) -> VerifyingKey {
        let object: serde_json::Map<String, serde_json::Value> = members
            .iter()
            .map(|(name, value)| ((*name).to_owned(), value.clone().into()))
            .collect();
        VerifyingKey::from_jwk(&serde_json::Value::Object(object).to_string()).unwrap()
    }

    #[test]
    fn rsa_and_ec_public_keys_round_trip_through_their_jwk() {
        for name in [
            "rsa2048-public-spki.pem",
            "ec384-public-spki.pem",
            "ec256-public-spki.pem",
        ] {
            let key = VerifyingKey::from_public(&fixture(name), None).unwrap();
            let members = key.public_jwk_members().expect(name);
            assert!(members.iter().all(|(member, _)| *member != "d"));
            assert!(round_trip(&members).same_key_as(&key), "{name}");
        }
    }

    #[test]
    fn secrets_have_no_public_jwk() {
        assert!(
            VerifyingKey::from_secret(b"shh")
                .public_jwk_members()
                .is_none()
        );
    }
}
