//! Telling key formats apart: one DER structure in, a description of the key out. The key
//! objects themselves are built by the family modules from the slices found here.

use super::Curve;
use super::der::{self, Element, oid, tag};

/// An RSA key's public numbers, re-encoded as a PKCS#1 `RSAPublicKey`.
pub(crate) struct RsaPublic {
    /// DER of `RSAPublicKey { n, e }`.
    pub pkcs1: Vec<u8>,
    /// Modulus length in bits.
    pub bits: usize,
}

/// What a DER structure turned out to be.
pub(crate) enum Found<'a> {
    /// An RSA private key; `pkcs1` is the DER of the `RSAPrivateKey` inside.
    RsaPrivate {
        pkcs1: &'a [u8],
        public: RsaPublic,
        pss: bool,
    },
    /// An EC private key on a supported curve; `der` is the PKCS#8 or SEC1 encoding.
    EcPrivate { curve: Curve, der: &'a [u8] },
    /// An RSA public key.
    RsaPublic { public: RsaPublic, pss: bool },
    /// An EC public key on a supported curve: the SEC1 point.
    EcPublic { curve: Curve, point: &'a [u8] },
    /// A key of a type no supported algorithm uses (Node's `asymmetricKeyType`), with its SPKI
    /// when it is a public key.
    Unsupported {
        asymmetric_key_type: &'static str,
        private: bool,
        spki: Option<&'a [u8]>,
    },
    /// An encrypted PKCS#8 `EncryptedPrivateKeyInfo`.
    EncryptedPrivate {
        algorithm: Element<'a>,
        data: &'a [u8],
    },
}

/// The format, for messages about a public key met where a private one was expected.
pub(crate) fn is_private(found: &Found<'_>) -> bool {
    match found {
        Found::RsaPrivate { .. } | Found::EcPrivate { .. } | Found::EncryptedPrivate { .. } => true,
        Found::Unsupported { private, .. } => *private,
        Found::RsaPublic { .. } | Found::EcPublic { .. } => false,
    }
}

/// Classifies one DER key structure: PKCS#8 (plain or encrypted), PKCS#1 private or public,
/// SEC1, SPKI or an X.509 certificate (its SPKI). `None` when it is none of these.
pub(crate) fn classify(bytes: &[u8]) -> Option<Found<'_>> {
    let top = der::parse_single(bytes)?;
    if top.tag != tag::SEQUENCE {
        return None;
    }
    let items = top.children()?;
    let tags: Vec<u8> = items.iter().map(|e| e.tag).collect();
    match tags.as_slice() {
        [tag::INTEGER, tag::SEQUENCE, tag::OCTET_STRING, ..] => pkcs8(bytes, &items),
        [tag::SEQUENCE, tag::OCTET_STRING] => {
            let algorithm = items[0];
            algorithm.children()?.first()?.oid()?;
            Some(Found::EncryptedPrivate {
                algorithm,
                data: items[1].content,
            })
        }
        [tag::SEQUENCE, tag::BIT_STRING] => spki(bytes, &items),
        [tag::SEQUENCE, tag::SEQUENCE, tag::BIT_STRING] => certificate(&items[0]),
        [tag::INTEGER, tag::INTEGER] => {
            let public = rsa_public(&items[0], &items[1])?;
            Some(Found::RsaPublic { public, pss: false })
        }
        [tag::INTEGER, tag::OCTET_STRING, ..] => sec1(bytes, &items),
        [tag::INTEGER, tag::INTEGER, tag::INTEGER, ..] => {
            let public = rsa_private(bytes)?;
            Some(Found::RsaPrivate {
                pkcs1: bytes,
                public,
                pss: false,
            })
        }
        _ => None,
    }
}

fn pkcs8<'a>(whole: &'a [u8], items: &[Element<'a>]) -> Option<Found<'a>> {
    if items[0].small_integer()? > 1 {
        return None;
    }
    let algorithm = items[1].children()?;
    let algorithm_oid = algorithm.first()?.oid()?;
    let inner = items[2].content;
    let pss = algorithm_oid == oid::RSASSA_PSS;
    if algorithm_oid == oid::RSA_ENCRYPTION || pss {
        let public = rsa_private(inner)?;
        return Some(Found::RsaPrivate {
            pkcs1: inner,
            public,
            pss,
        });
    }
    if algorithm_oid == oid::EC_PUBLIC_KEY {
        return Some(
            match algorithm.get(1).and_then(|p| p.oid()).and_then(curve) {
                Some(curve) => Found::EcPrivate { curve, der: whole },
                None => unsupported("ec", true, None),
            },
        );
    }
    other_type(algorithm_oid).map(|name| unsupported(name, true, None))
}

fn spki<'a>(whole: &'a [u8], items: &[Element<'a>]) -> Option<Found<'a>> {
    let algorithm = items[0].children()?;
    let algorithm_oid = algorithm.first()?.oid()?;
    let key = items[1].bit_string_bytes()?;
    let pss = algorithm_oid == oid::RSASSA_PSS;
    if algorithm_oid == oid::RSA_ENCRYPTION || pss {
        let numbers = der::parse_single(key)?;
        let numbers = numbers.children()?;
        let [n, e] = numbers.as_slice() else {
            return None;
        };
        return Some(Found::RsaPublic {
            public: rsa_public(n, e)?,
            pss,
        });
    }
    if algorithm_oid == oid::EC_PUBLIC_KEY {
        return Some(
            match algorithm.get(1).and_then(|p| p.oid()).and_then(curve) {
                Some(curve) => Found::EcPublic { curve, point: key },
                None => unsupported("ec", false, Some(whole)),
            },
        );
    }
    other_type(algorithm_oid).map(|name| unsupported(name, false, Some(whole)))
}

fn certificate<'a>(tbs: &Element<'a>) -> Option<Found<'a>> {
    let fields = tbs.children()?;
    // version [0] is optional; then serial, signature, issuer, validity, subject, SPKI.
    let skip = usize::from(fields.first()?.tag == tag::CONTEXT_0);
    let spki_element = fields.get(skip + 5)?;
    if spki_element.tag != tag::SEQUENCE {
        return None;
    }
    let items = spki_element.children()?;
    let tags: Vec<u8> = items.iter().map(|e| e.tag).collect();
    if tags != [tag::SEQUENCE, tag::BIT_STRING] {
        return None;
    }
    spki(spki_element.whole, &items)
}

fn sec1<'a>(whole: &'a [u8], items: &[Element<'a>]) -> Option<Found<'a>> {
    if items[0].small_integer()? != 1 {
        return None;
    }
    let parameters = items.iter().find(|e| e.tag == tag::CONTEXT_0)?;
    let named = der::parse_single(parameters.content)?;
    Some(match named.oid().and_then(curve) {
        Some(curve) => Found::EcPrivate { curve, der: whole },
        None => unsupported("ec", true, None),
    })
}

/// Checks an `RSAPrivateKey` (two-prime or multi-prime) and returns its public numbers.
fn rsa_private(pkcs1: &[u8]) -> Option<RsaPublic> {
    let top = der::parse_single(pkcs1)?;
    if top.tag != tag::SEQUENCE {
        return None;
    }
    let items = top.children()?;
    if items.len() < 9 || items[..9].iter().any(|e| e.tag != tag::INTEGER) {
        return None;
    }
    if items[0].small_integer()? > 1 {
        return None;
    }
    rsa_public(&items[1], &items[2])
}

fn rsa_public(n: &Element<'_>, e: &Element<'_>) -> Option<RsaPublic> {
    let modulus = n.unsigned_integer()?;
    let exponent = e.unsigned_integer()?;
    if modulus.is_empty() || exponent.is_empty() {
        return None;
    }
    let mut content = der::encode_unsigned(modulus);
    content.extend_from_slice(&der::encode_unsigned(exponent));
    Some(RsaPublic {
        pkcs1: der::encode(tag::SEQUENCE, &content),
        bits: der::bit_length(modulus),
    })
}

fn curve(named: &[u8]) -> Option<Curve> {
    match named {
        oid::P256 => Some(Curve::P256),
        oid::P384 => Some(Curve::P384),
        oid::P521 => Some(Curve::P521),
        _ => None,
    }
}

/// Node's `asymmetricKeyType` for key algorithms no JWS algorithm here uses.
fn other_type(algorithm_oid: &[u8]) -> Option<&'static str> {
    Some(match algorithm_oid {
        oid::ED25519 => "ed25519",
        oid::ED448 => "ed448",
        oid::X25519 => "x25519",
        oid::X448 => "x448",
        oid::DSA => "dsa",
        oid::DH | oid::DHX => "dh",
        _ => return None,
    })
}

fn unsupported<'a>(
    asymmetric_key_type: &'static str,
    private: bool,
    spki: Option<&'a [u8]>,
) -> Found<'a> {
    Found::Unsupported {
        asymmetric_key_type,
        private,
        spki,
    }
}

/// The curve's OID, for building SPKI.
pub(crate) fn curve_oid(curve: Curve) -> &'static [u8] {
    match curve {
        Curve::P256 => oid::P256,
        Curve::P384 => oid::P384,
        Curve::P521 => oid::P521,
    }
}
