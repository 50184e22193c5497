//! JWK (RFC 7517) keys: public keys from their components, private keys by re-encoding their
//! components as PKCS#1 or SEC1 DER so they take the same path as PEM keys. Only the members
//! of the key type are read, into buffers zeroized on drop.

use serde::Deserialize;
use zeroize::{Zeroize, Zeroizing};

use super::Curve;
use super::der::{self, tag};
use super::parse::{self, RsaPublic};
use crate::base64url;
use crate::error::{Error, ErrorCode, Result};

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
/// copied). As Node's `createPublicKey` with `format: 'jwk'`, only the members of the key type
/// are read: `kid`, `alg`, `use` and the rest are ignored.
pub(crate) fn public_key(jwk_json: &str) -> Result<PublicJwk> {
    let jwk = Members::parse(jwk_json)?;
    match jwk.kty()? {
        "RSA" => {
            let n = Members::bytes(&jwk.n, "n")?;
            let e = Members::bytes(&jwk.e, "e")?;
            let mut content = der::encode_unsigned(&n);
            content.extend_from_slice(&der::encode_unsigned(&e));
            let pkcs1 = der::encode(tag::SEQUENCE, &content);
            Ok(PublicJwk::Rsa(RsaPublic {
                pkcs1,
                bits: der::bit_length(&n),
            }))
        }
        "EC" => match curve(jwk.crv()?) {
            Some(curve) => Ok(PublicJwk::Ec {
                curve,
                point: point(&jwk, field_size(curve))?,
            }),
            None => Ok(PublicJwk::Unsupported("ec".to_string())),
        },
        // Read here rather than into a plain String, so the secret is zeroized.
        "oct" => Ok(PublicJwk::Secret(Members::bytes(&jwk.k, "k")?)),
        "OKP" => {
            let crv = jwk.crv()?;
            if !OKP_CURVES.contains(&crv) {
                return Err(invalid(&format!(
                    "unsupported OKP JWK curve \"{crv}\": expected {}",
                    OKP_CURVES.join(", ")
                )));
            }
            Members::bytes(&jwk.x, "x")?;
            Ok(PublicJwk::Unsupported(crv.to_ascii_lowercase()))
        }
        other => Err(invalid(&format!(
            "unsupported JWK key type \"{other}\": expected \"RSA\", \"EC\" or \"oct\""
        ))),
    }
}

/// The curves of an `OKP` JWK that Node reads (as keys no JWS algorithm here uses).
const OKP_CURVES: [&str; 4] = ["Ed25519", "Ed448", "X25519", "X448"];

fn decode(text: &str, name: &str) -> Result<Zeroizing<Vec<u8>>> {
    base64url::decode(text)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::key::{SigningKey, VerifyingKey};

    fn fixture(name: &str) -> String {
        let path = format!("{}/testdata/keys/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(path).unwrap()
    }

    /// `json` with `member` set to the JSON `value` (or removed, for `None`).
    fn with(json: &str, member: &str, value: Option<&str>) -> String {
        let mut object: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(json).unwrap();
        match value {
            Some(value) => object.insert(member.into(), serde_json::from_str(value).unwrap()),
            None => object.remove(member),
        };
        serde_json::Value::Object(object).to_string()
    }

    fn refusal(jwk: &str) -> String {
        let Err(error) = VerifyingKey::from_jwk(jwk) else {
            panic!("{jwk} was read");
        };
        assert_eq!(error.code(), ErrorCode::InvalidKey, "{}", error.message());
        error.message().to_owned()
    }

    #[test]
    fn public_jwks_read_their_key_type_members_and_ignore_the_rest() {
        for (jwk, spki) in [
            ("rsa2048-public.jwk.json", "rsa2048-public-spki.pem"),
            ("rsa2048-private.jwk.json", "rsa2048-public-spki.pem"),
            ("ec256-public.jwk.json", "ec256-public-spki.pem"),
            ("ec384-public.jwk.json", "ec384-public-spki.pem"),
            ("ec521-private.jwk.json", "ec521-public-spki.pem"),
        ] {
            let expected = VerifyingKey::from_public(fixture(spki).as_bytes(), None).unwrap();
            let jwk = fixture(jwk);
            assert!(VerifyingKey::from_jwk(&jwk).unwrap().same_key_as(&expected));
            // Node reads a JWK whose other members have any type.
            for (member, value) in [("kid", "7"), ("alg", "5"), ("use", "1"), ("x5c", "5")] {
                let other = with(&jwk, member, Some(value));
                assert!(
                    VerifyingKey::from_jwk(&other)
                        .unwrap()
                        .same_key_as(&expected)
                );
            }
        }
    }

    #[test]
    fn a_missing_component_is_named() {
        let rsa = fixture("rsa2048-public.jwk.json");
        let ec = fixture("ec256-public.jwk.json");
        for (jwk, name) in [
            (with(&rsa, "n", None), "n"),
            (with(&rsa, "e", None), "e"),
            (with(&ec, "x", None), "x"),
            (with(&ec, "y", None), "y"),
        ] {
            let message = refusal(&jwk);
            assert!(message.contains(&format!("\"{name}\"")), "{message}");
        }
        assert!(refusal(&with(&ec, "y", Some("1"))).contains("string members"));
        let message = refusal(&with(&rsa, "n", Some("\"a!b\"")));
        assert_eq!(message, "the JWK member \"n\" is not base64url");
    }

    #[test]
    fn okp_keys_are_read_as_node_reads_them() {
        let x = "\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"";
        for crv in ["Ed25519", "Ed448", "X25519", "X448"] {
            let jwk = format!(r#"{{"kty":"OKP","crv":"{crv}","x":{x}}}"#);
            let key = VerifyingKey::from_jwk(&jwk).unwrap();
            let expected = crv.to_ascii_lowercase();
            assert_eq!(key.kind().asymmetric_key_type(), Some(expected.as_str()));
        }
        let unknown = refusal(&format!(r#"{{"kty":"OKP","crv":"Foo","x":{x}}}"#));
        assert!(unknown.contains("\"Foo\""), "{unknown}");
        let no_x = refusal(r#"{"kty":"OKP","crv":"Ed448"}"#);
        assert!(no_x.contains("\"x\""), "{no_x}");
    }

    #[test]
    fn other_key_types_and_shapes_are_refused() {
        assert!(refusal(r#"{"kty":"XYZ"}"#).contains("\"XYZ\""));
        assert!(refusal(r#"{"n":"AQAB"}"#).contains("\"kty\""));
        assert!(refusal("[1]").contains("JSON object"));
        let secret = VerifyingKey::from_jwk(r#"{"kty":"oct","k":"c2VjcmV0"}"#).unwrap();
        assert!(secret.same_key_as(&VerifyingKey::from_secret(b"secret")));
        assert!(SigningKey::from_jwk(&fixture("rsa2048-public.jwk.json")).is_err());
    }
}
