//! Telling key formats apart: one DER structure in, a description of the key out. The key
//! objects themselves are built by the family modules from the slices found here.

use std::ops::Deref;

use zeroize::Zeroizing;

use super::der::{self, Element, oid, tag};
use super::ec_parameters::{self, ExplicitCurve};
use super::{Curve, RsaPssParameters};

/// An RSA key's public numbers, re-encoded as a PKCS#1 `RSAPublicKey`.
pub(crate) struct RsaPublic {
    /// DER of `RSAPublicKey { n, e }`.
    pub pkcs1: Vec<u8>,
    /// Modulus length in bits.
    pub bits: usize,
}

/// Plain RSA (`rsaEncryption`) or RSA-PSS (`id-RSASSA-PSS`, with its parameters if any).
#[derive(Clone)]
pub(crate) enum RsaType {
    Rsa,
    Pss(Option<RsaPssParameters>),
}

/// What a DER structure turned out to be.
pub(crate) enum Found<'a> {
    /// An RSA private key; `pkcs1` is the DER of the `RSAPrivateKey` inside.
    RsaPrivate {
        pkcs1: &'a [u8],
        public: RsaPublic,
        rsa_type: RsaType,
    },
    /// An EC private key on a supported curve; `der` is the PKCS#8 or SEC1 encoding, or, for
    /// a key written with explicit parameters, SEC1 rewritten with the curve's name.
    EcPrivate { curve: Curve, der: EcDer<'a> },
    /// An RSA public key.
    RsaPublic {
        public: RsaPublic,
        rsa_type: RsaType,
    },
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

/// The DER of an EC private key: the caller's bytes, or a SEC1 rewrite (wiped when dropped).
pub(crate) enum EcDer<'a> {
    Borrowed(&'a [u8]),
    Rewritten(Zeroizing<Vec<u8>>),
}

impl Deref for EcDer<'_> {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            EcDer::Borrowed(bytes) => bytes,
            EcDer::Rewritten(bytes) => bytes,
        }
    }
}

/// A key's curve, from its parameters: a named curve's OID, or explicit parameters.
enum CurveFound {
    /// A supported curve, named by its OID.
    Named(Curve),
    /// A supported curve, its parameters written out.
    Explicit(Curve),
    /// Another curve (named or explicit), which no ES algorithm uses.
    Other,
}

/// Reads the `parameters` of an `id-ecPublicKey` key; `None` when they are malformed or absent
/// (Node cannot read such a key either).
fn ec_curve(parameters: Option<&Element<'_>>) -> Option<CurveFound> {
    let parameters = parameters?;
    if let Some(named) = parameters.oid() {
        return Some(curve(named).map_or(CurveFound::Other, CurveFound::Named));
    }
    Some(match ec_parameters::identify(parameters)? {
        ExplicitCurve::Supported(c) => CurveFound::Explicit(c),
        ExplicitCurve::Other => CurveFound::Other,
    })
}

/// An `ECPrivateKey` (SEC1) on `curve` rewritten with the curve's OID in place of explicit
/// parameters: version, private key, `[0]` named curve, and `[1]` public key when present.
fn named_sec1(ec_private_key: &[u8], curve: Curve) -> Option<Zeroizing<Vec<u8>>> {
    let top = der::parse_single(ec_private_key)?;
    if top.tag != tag::SEQUENCE {
        return None;
    }
    let items = top.children()?;
    let [version, private, rest @ ..] = items.as_slice() else {
        return None;
    };
    if version.small_integer()? != 1 || private.tag != tag::OCTET_STRING {
        return None;
    }
    let mut content = Zeroizing::new(Vec::with_capacity(ec_private_key.len()));
    content.extend_from_slice(version.whole);
    content.extend_from_slice(private.whole);
    let named = der::encode(tag::OID, curve_oid(curve));
    content.extend_from_slice(&der::encode(tag::CONTEXT_0, &named));
    if let Some(public) = rest.iter().find(|e| e.tag == tag::CONTEXT_1) {
        content.extend_from_slice(public.whole);
    }
    Some(Zeroizing::new(der::encode(tag::SEQUENCE, &content)))
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
            Some(Found::RsaPublic {
                public,
                rsa_type: RsaType::Rsa,
            })
        }
        [tag::INTEGER, tag::OCTET_STRING, ..] => sec1(bytes, &items),
        // OpenSSL's traditional `DSA PRIVATE KEY`: version 0, p, q, g, y, x.
        [
            tag::INTEGER,
            tag::INTEGER,
            tag::INTEGER,
            tag::INTEGER,
            tag::INTEGER,
            tag::INTEGER,
        ] if items[0].small_integer()? == 0 => Some(unsupported("dsa", true, None)),
        [tag::INTEGER, tag::INTEGER, tag::INTEGER, ..] => {
            let public = rsa_private(bytes)?;
            Some(Found::RsaPrivate {
                pkcs1: bytes,
                public,
                rsa_type: RsaType::Rsa,
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
    if let Some(rsa_type) = rsa_type(&algorithm) {
        let public = rsa_private(inner)?;
        return Some(Found::RsaPrivate {
            pkcs1: inner,
            public,
            rsa_type: rsa_type?,
        });
    }
    if algorithm_oid == oid::EC_PUBLIC_KEY {
        return Some(match ec_curve(algorithm.get(1))? {
            CurveFound::Named(curve) => Found::EcPrivate {
                curve,
                der: EcDer::Borrowed(whole),
            },
            CurveFound::Explicit(curve) => Found::EcPrivate {
                curve,
                der: EcDer::Rewritten(named_sec1(inner, curve)?),
            },
            CurveFound::Other => unsupported("ec", true, None),
        });
    }
    other_type(algorithm_oid).map(|name| unsupported(name, true, None))
}

fn spki<'a>(whole: &'a [u8], items: &[Element<'a>]) -> Option<Found<'a>> {
    let algorithm = items[0].children()?;
    let algorithm_oid = algorithm.first()?.oid()?;
    let key = items[1].bit_string_bytes()?;
    if let Some(rsa_type) = rsa_type(&algorithm) {
        let numbers = der::parse_single(key)?;
        let numbers = numbers.children()?;
        let [n, e] = numbers.as_slice() else {
            return None;
        };
        return Some(Found::RsaPublic {
            public: rsa_public(n, e)?,
            rsa_type: rsa_type?,
        });
    }
    if algorithm_oid == oid::EC_PUBLIC_KEY {
        return Some(match ec_curve(algorithm.get(1))? {
            CurveFound::Named(curve) | CurveFound::Explicit(curve) => {
                Found::EcPublic { curve, point: key }
            }
            CurveFound::Other => unsupported("ec", false, Some(whole)),
        });
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
    let parameters = der::parse_single(parameters.content)?;
    Some(match ec_curve(Some(&parameters))? {
        CurveFound::Named(curve) => Found::EcPrivate {
            curve,
            der: EcDer::Borrowed(whole),
        },
        CurveFound::Explicit(curve) => Found::EcPrivate {
            curve,
            der: EcDer::Rewritten(named_sec1(whole, curve)?),
        },
        CurveFound::Other => unsupported("ec", true, None),
    })
}

/// For an RSA algorithm identifier (its children): `Some(Some(type))`, or `Some(None)` when
/// the RSA-PSS parameters are malformed; `None` for other algorithms.
fn rsa_type(algorithm: &[Element<'_>]) -> Option<Option<RsaType>> {
    let algorithm_oid = algorithm.first()?.oid()?;
    if algorithm_oid == oid::RSA_ENCRYPTION {
        return Some(Some(RsaType::Rsa));
    }
    if algorithm_oid != oid::RSASSA_PSS {
        return None;
    }
    Some(match algorithm.get(1) {
        None => Some(RsaType::Pss(None)),
        Some(parameters) => pss_parameters(parameters).map(|p| RsaType::Pss(Some(p))),
    })
}

/// `RSASSA-PSS-params` (RFC 4055), with its defaults (SHA-1, MGF1 with SHA-1, salt 20), named
/// as Node's `asymmetricKeyDetails` names them.
fn pss_parameters(parameters: &Element<'_>) -> Option<RsaPssParameters> {
    if parameters.tag != tag::SEQUENCE {
        return None;
    }
    let mut details = RsaPssParameters {
        hash_algorithm: "sha1".to_string(),
        mgf1_hash_algorithm: "sha1".to_string(),
        salt_length: 20,
    };
    for field in parameters.children()? {
        let inner = der::parse_single(field.content)?;
        match field.tag {
            tag::CONTEXT_0 => details.hash_algorithm = hash_name(&inner)?,
            tag::CONTEXT_1 => {
                let mask = inner.children()?;
                if mask.first()?.oid()? != oid::MGF1 {
                    return None;
                }
                details.mgf1_hash_algorithm = hash_name(mask.get(1)?)?;
            }
            tag::CONTEXT_2 => details.salt_length = u32::try_from(inner.small_integer()?).ok()?,
            tag::CONTEXT_3 => {}
            _ => return None,
        }
    }
    Some(details)
}

fn hash_name(algorithm: &Element<'_>) -> Option<String> {
    let items = algorithm.children()?;
    let name = match items.first()?.oid()? {
        oid::SHA1 => "sha1",
        oid::SHA224 => "sha224",
        oid::SHA256 => "sha256",
        oid::SHA384 => "sha384",
        oid::SHA512 => "sha512",
        _ => return None,
    };
    Some(name.to_string())
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

/// The `id-RSASSA-PSS` AlgorithmIdentifier for these parameters (none: no parameters), in
/// DER as openssl writes it (hash identifiers with NULL parameters, defaults left out).
pub(crate) fn pss_algorithm_identifier(parameters: Option<&RsaPssParameters>) -> Vec<u8> {
    let Some(parameters) = parameters else {
        return der::algorithm_identifier(oid::RSASSA_PSS, None);
    };
    let null = der::encode(tag::NULL, &[]);
    let hash_identifier = |name: &str| {
        let hash_oid = match name {
            "sha224" => oid::SHA224,
            "sha256" => oid::SHA256,
            "sha384" => oid::SHA384,
            "sha512" => oid::SHA512,
            _ => oid::SHA1,
        };
        der::algorithm_identifier(hash_oid, Some(&null))
    };
    let mut content = Vec::new();
    if parameters.hash_algorithm != "sha1" {
        let hash = hash_identifier(&parameters.hash_algorithm);
        content.extend_from_slice(&der::encode(tag::CONTEXT_0, &hash));
    }
    if parameters.mgf1_hash_algorithm != "sha1" {
        let mgf1_hash = hash_identifier(&parameters.mgf1_hash_algorithm);
        let mask = der::algorithm_identifier(oid::MGF1, Some(&mgf1_hash));
        content.extend_from_slice(&der::encode(tag::CONTEXT_1, &mask));
    }
    if parameters.salt_length != 20 {
        let salt = der::encode_unsigned(&parameters.salt_length.to_be_bytes());
        content.extend_from_slice(&der::encode(tag::CONTEXT_2, &salt));
    }
    let encoded = der::encode(tag::SEQUENCE, &content);
    der::algorithm_identifier(oid::RSASSA_PSS, Some(&encoded))
}

/// The curve's OID, for building SPKI.
pub(crate) fn curve_oid(curve: Curve) -> &'static [u8] {
    match curve {
        Curve::P256 => oid::P256,
        Curve::P384 => oid::P384,
        Curve::P521 => oid::P521,
    }
}
