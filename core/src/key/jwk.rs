//! JWK (RFC 7517) keys: public keys through `jsonwebtoken`'s JWK types, private keys by
//! re-encoding their components as PKCS#1 or SEC1 DER so they take the same path as PEM keys.

use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, Jwk};
use serde_json::{Map, Value};
use zeroize::Zeroizing;

use super::Curve;
use super::der::{self, tag};
use super::parse::{self, RsaPublic};
use crate::error::{Error, ErrorCode, Result};
use crate::jws::b64url_decode;

/// A private JWK, ready for the DER path.
pub(crate) enum PrivateJwk {
    /// PKCS#1 `RSAPrivateKey` or SEC1 `ECPrivateKey` DER.
    Der(Zeroizing<Vec<u8>>),
    /// An `oct` key.
    Secret(Zeroizing<Vec<u8>>),
    /// A key type no algorithm here uses (Node's `asymmetricKeyType`).
    Unsupported(String),
}

/// A public JWK.
pub(crate) enum PublicJwk {
    Rsa(RsaPublic),
    Ec { curve: Curve, point: Vec<u8> },
    Secret(Zeroizing<Vec<u8>>),
    Unsupported(String),
}

/// Parses a private JWK.
pub(crate) fn private_der(jwk_json: &str) -> Result<PrivateJwk> {
    let object = object(jwk_json)?;
    match field(&object, "kty")? {
        "RSA" => {
            if !object.contains_key("d") {
                return Err(invalid(
                    "the RSA JWK has no private part (\"d\"): it is a public key",
                ));
            }
            let mut content = der::encode_unsigned(&[0]);
            for name in ["n", "e", "d", "p", "q", "dp", "dq", "qi"] {
                let number = Zeroizing::new(number(&object, name)?);
                content.extend_from_slice(&der::encode_unsigned(&number));
            }
            let content = Zeroizing::new(content);
            Ok(PrivateJwk::Der(Zeroizing::new(der::encode(
                tag::SEQUENCE,
                &content,
            ))))
        }
        "EC" => {
            if !object.contains_key("d") {
                return Err(invalid(
                    "the EC JWK has no private part (\"d\"): it is a public key",
                ));
            }
            let Some(curve) = curve(field(&object, "crv")?) else {
                return Ok(PrivateJwk::Unsupported("ec".to_string()));
            };
            let size = field_size(curve);
            let d = Zeroizing::new(number(&object, "d")?);
            if d.len() > size {
                return Err(invalid(
                    "the EC JWK's \"d\" is longer than its curve allows",
                ));
            }
            let mut scalar = Zeroizing::new(vec![0u8; size - d.len()]);
            scalar.extend_from_slice(&d);
            let point = point(&object, size)?;
            let mut content = der::encode_unsigned(&[1]);
            content.extend_from_slice(&der::encode(tag::OCTET_STRING, &scalar));
            content.extend_from_slice(&der::encode(
                tag::CONTEXT_0,
                &der::encode(tag::OID, parse::curve_oid(curve)),
            ));
            let mut bits = vec![0u8];
            bits.extend_from_slice(&point);
            content.extend_from_slice(&der::encode(
                tag::CONTEXT_1,
                &der::encode(tag::BIT_STRING, &bits),
            ));
            let content = Zeroizing::new(content);
            Ok(PrivateJwk::Der(Zeroizing::new(der::encode(
                tag::SEQUENCE,
                &content,
            ))))
        }
        "oct" => Ok(PrivateJwk::Secret(Zeroizing::new(number(&object, "k")?))),
        "OKP" => Ok(PrivateJwk::Unsupported(
            field(&object, "crv")?.to_ascii_lowercase(),
        )),
        other => Err(invalid(&format!(
            "unsupported JWK key type \"{other}\": expected \"RSA\", \"EC\" or \"oct\""
        ))),
    }
}

/// Parses a public JWK (a private one gives its public half).
pub(crate) fn public_key(jwk_json: &str) -> Result<PublicJwk> {
    let object = object(jwk_json)?;
    let kty = field(&object, "kty")?;
    if kty == "EC" && curve(field(&object, "crv")?).is_none() {
        return Ok(PublicJwk::Unsupported("ec".to_string()));
    }
    let jwk: Jwk = serde_json::from_value(Value::Object(object.clone()))
        .map_err(|e| invalid(&format!("the JWK is not valid: {e}")))?;
    match jwk.algorithm {
        AlgorithmParameters::RSA(rsa) => {
            let n = decode(&rsa.n, "n")?;
            let e = decode(&rsa.e, "e")?;
            let mut content = der::encode_unsigned(&n);
            content.extend_from_slice(&der::encode_unsigned(&e));
            let pkcs1 = der::encode(tag::SEQUENCE, &content);
            Ok(PublicJwk::Rsa(RsaPublic {
                pkcs1,
                bits: der::bit_length(&n),
            }))
        }
        AlgorithmParameters::EllipticCurve(ec) => {
            let curve = match ec.curve {
                EllipticCurve::P256 => Curve::P256,
                EllipticCurve::P384 => Curve::P384,
                EllipticCurve::P521 => Curve::P521,
                _ => return Ok(PublicJwk::Unsupported("ec".to_string())),
            };
            Ok(PublicJwk::Ec {
                curve,
                point: point(&object, field_size(curve))?,
            })
        }
        AlgorithmParameters::OctetKey(oct) => {
            Ok(PublicJwk::Secret(Zeroizing::new(decode(&oct.value, "k")?)))
        }
        AlgorithmParameters::OctetKeyPair(_) => Ok(PublicJwk::Unsupported(
            field(&object, "crv")?.to_ascii_lowercase(),
        )),
        _ => Err(invalid(&format!(
            "unsupported JWK key type \"{kty}\": expected \"RSA\", \"EC\" or \"oct\""
        ))),
    }
}

fn object(jwk_json: &str) -> Result<Map<String, Value>> {
    match serde_json::from_str::<Value>(jwk_json) {
        Ok(Value::Object(object)) => Ok(object),
        _ => Err(invalid("the JWK is not a JSON object")),
    }
}

fn field<'a>(object: &'a Map<String, Value>, name: &str) -> Result<&'a str> {
    object
        .get(name)
        .and_then(Value::as_str)
        .ok_or_else(|| invalid(&format!("the JWK has no string \"{name}\" member")))
}

fn number(object: &Map<String, Value>, name: &str) -> Result<Vec<u8>> {
    decode(field(object, name)?, name)
}

fn decode(text: &str, name: &str) -> Result<Vec<u8>> {
    b64url_decode(text)
        .ok_or_else(|| invalid(&format!("the JWK member \"{name}\" is not base64url")))
}

/// The uncompressed point `04 || x || y`, each coordinate left-padded to the field size.
fn point(object: &Map<String, Value>, size: usize) -> Result<Vec<u8>> {
    let mut out = vec![0x04];
    for name in ["x", "y"] {
        let coordinate = number(object, name)?;
        if coordinate.len() > size {
            return Err(invalid(&format!(
                "the JWK member \"{name}\" is too long for its curve"
            )));
        }
        out.resize(out.len() + size - coordinate.len(), 0);
        out.extend_from_slice(&coordinate);
    }
    Ok(out)
}

fn curve(name: &str) -> Option<Curve> {
    match name {
        "P-256" => Some(Curve::P256),
        "P-384" => Some(Curve::P384),
        "P-521" => Some(Curve::P521),
        _ => None,
    }
}

fn field_size(curve: Curve) -> usize {
    match curve {
        Curve::P256 => 32,
        Curve::P384 => 48,
        Curve::P521 => 66,
    }
}

fn invalid(message: &str) -> Error {
    Error::plain(ErrorCode::InvalidKey, message)
}
