//! JWK (RFC 7517) keys: public keys through `jsonwebtoken`'s JWK types, private keys by
//! re-encoding their components as PKCS#1 or SEC1 DER so they take the same path as PEM keys.

use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, Jwk};
use serde::Deserialize;
use zeroize::{Zeroize, Zeroizing};

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

/// A JWK member that may hold key material: zeroized on drop.
#[derive(Deserialize)]
#[serde(transparent)]
struct SecretText(String);

impl Drop for SecretText {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

/// The members of a JWK that qlik-jwt reads; others are ignored.
#[derive(Deserialize)]
struct Members {
    kty: Option<String>,
    crv: Option<String>,
    n: Option<SecretText>,
    e: Option<SecretText>,
    d: Option<SecretText>,
    p: Option<SecretText>,
    q: Option<SecretText>,
    dp: Option<SecretText>,
    dq: Option<SecretText>,
    qi: Option<SecretText>,
    x: Option<SecretText>,
    y: Option<SecretText>,
    k: Option<SecretText>,
}

impl Members {
    fn parse(jwk_json: &str) -> Result<Self> {
        serde_json::from_str(jwk_json).map_err(|_| {
            invalid("the JWK is not a JSON object with string members (kty, crv, n, e, d...)")
        })
    }

    fn kty(&self) -> Result<&str> {
        self.kty
            .as_deref()
            .ok_or_else(|| invalid("the JWK has no string \"kty\" member"))
    }

    fn crv(&self) -> Result<&str> {
        self.crv
            .as_deref()
            .ok_or_else(|| invalid("the JWK has no string \"crv\" member"))
    }

    /// A base64url member, decoded into a buffer zeroized on drop.
    fn bytes(member: &Option<SecretText>, name: &str) -> Result<Zeroizing<Vec<u8>>> {
        let text = member
            .as_ref()
            .ok_or_else(|| invalid(&format!("the JWK has no string \"{name}\" member")))?;
        decode(&text.0, name)
    }
}

/// The parts one after another, in a buffer allocated once at its final size: growing a buffer
/// would free the smaller one with its bytes still in it, and `Zeroizing` only wipes the last.
fn concat_zeroized(parts: &[Zeroizing<Vec<u8>>]) -> Zeroizing<Vec<u8>> {
    let mut out = Zeroizing::new(Vec::with_capacity(
        parts.iter().map(|part| part.len()).sum(),
    ));
    for part in parts {
        out.extend_from_slice(part);
    }
    out
}

/// Parses a private JWK.
pub(crate) fn private_der(jwk_json: &str) -> Result<PrivateJwk> {
    let jwk = Members::parse(jwk_json)?;
    match jwk.kty()? {
        "RSA" => {
            if jwk.d.is_none() {
                return Err(invalid(
                    "the RSA JWK has no private part (\"d\"): it is a public key",
                ));
            }
            let mut numbers = vec![Zeroizing::new(der::encode_unsigned(&[0]))];
            for (member, name) in [
                (&jwk.n, "n"),
                (&jwk.e, "e"),
                (&jwk.d, "d"),
                (&jwk.p, "p"),
                (&jwk.q, "q"),
                (&jwk.dp, "dp"),
                (&jwk.dq, "dq"),
                (&jwk.qi, "qi"),
            ] {
                let number = Members::bytes(member, name)?;
                numbers.push(Zeroizing::new(der::encode_unsigned(&number)));
            }
            let content = concat_zeroized(&numbers);
            Ok(PrivateJwk::Der(Zeroizing::new(der::encode(
                tag::SEQUENCE,
                &content,
            ))))
        }
        "EC" => {
            if jwk.d.is_none() {
                return Err(invalid(
                    "the EC JWK has no private part (\"d\"): it is a public key",
                ));
            }
            let Some(curve) = curve(jwk.crv()?) else {
                return Ok(PrivateJwk::Unsupported("ec".to_string()));
            };
            let size = field_size(curve);
            let d = Members::bytes(&jwk.d, "d")?;
            if d.len() > size {
                return Err(invalid(
                    "the EC JWK's \"d\" is longer than its curve allows",
                ));
            }
            let padding = Zeroizing::new(vec![0u8; size - d.len()]);
            let scalar = concat_zeroized(&[padding, d]);
            let point = point(&jwk, size)?;
            let mut bits = vec![0u8];
            bits.extend_from_slice(&point);
            let content = concat_zeroized(&[
                Zeroizing::new(der::encode_unsigned(&[1])),
                Zeroizing::new(der::encode(tag::OCTET_STRING, &scalar)),
                Zeroizing::new(der::encode(
                    tag::CONTEXT_0,
                    &der::encode(tag::OID, parse::curve_oid(curve)),
                )),
                Zeroizing::new(der::encode(
                    tag::CONTEXT_1,
                    &der::encode(tag::BIT_STRING, &bits),
                )),
            ]);
            Ok(PrivateJwk::Der(Zeroizing::new(der::encode(
                tag::SEQUENCE,
                &content,
            ))))
        }
        "oct" => Ok(PrivateJwk::Secret(Members::bytes(&jwk.k, "k")?)),
        "OKP" => Ok(PrivateJwk::Unsupported(jwk.crv()?.to_ascii_lowercase())),
        other => Err(invalid(&format!(
            "unsupported JWK key type \"{other}\": expected \"RSA\", \"EC\" or \"oct\""
        ))),
    }
}

/// Parses a public JWK (a private one gives its public half; its private members are never
/// copied).
pub(crate) fn public_key(jwk_json: &str) -> Result<PublicJwk> {
    let members = Members::parse(jwk_json)?;
    let kty = members.kty()?;
    if kty == "EC" && curve(members.crv()?).is_none() {
        return Ok(PublicJwk::Unsupported("ec".to_string()));
    }
    if kty == "oct" {
        // Read here rather than through `Jwk`, which would keep the secret in a plain String.
        return Ok(PublicJwk::Secret(Members::bytes(&members.k, "k")?));
    }
    let jwk: Jwk = serde_json::from_str(jwk_json)
        // serde's message may quote member values: keep it out of the error.
        .map_err(|_| {
            invalid("the JWK is not valid: expected the members of an RSA, EC or OKP key")
        })?;
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
                point: point(&members, field_size(curve))?,
            })
        }
        AlgorithmParameters::OctetKeyPair(_) => {
            Ok(PublicJwk::Unsupported(members.crv()?.to_ascii_lowercase()))
        }
        _ => Err(invalid(&format!(
            "unsupported JWK key type \"{kty}\": expected \"RSA\", \"EC\" or \"oct\""
        ))),
    }
}

fn decode(text: &str, name: &str) -> Result<Zeroizing<Vec<u8>>> {
    b64url_decode(text)
        .map(Zeroizing::new)
        .ok_or_else(|| invalid(&format!("the JWK member \"{name}\" is not base64url")))
}

/// The uncompressed point `04 || x || y`, each coordinate left-padded to the field size.
fn point(jwk: &Members, size: usize) -> Result<Vec<u8>> {
    let mut out = vec![0x04];
    for (member, name) in [(&jwk.x, "x"), (&jwk.y, "y")] {
        let coordinate = Members::bytes(member, name)?;
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
