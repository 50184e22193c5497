//! Keys: parsing every supported format once into reusable signing and verifying keys.
//!
//! Private keys: PEM or DER in PKCS#8, PKCS#1 (`RSA PRIVATE KEY`), SEC1 (`EC PRIVATE KEY`, also
//! after an `EC PARAMETERS` block), encrypted PKCS#8 with a passphrase, and JWK. Public keys:
//! SPKI, PKCS#1 (`RSA PUBLIC KEY`), X.509 certificates, JWK, and private keys (their public
//! half). Secrets: any bytes. Key bytes are zeroized on drop and never printed.

use std::sync::{Arc, OnceLock};

use zeroize::Zeroizing;

use crate::alg::{Algorithm, Family};
use crate::error::{Error, ErrorCode, Result};

use self::ec::{EcSigner, EcVerifier};
use self::hmac::Secret;
use self::parse::Found;
use self::rsa::{RsaSigner, RsaVerifier};

pub use self::pem::PemSyntax;

pub mod cache;
mod der;
mod ec;
mod encrypted;
mod hmac;
mod jwk;
mod parse;
mod pem;
mod rsa;
mod rsa_legacy;
#[cfg(test)]
mod tests;

/// A named elliptic curve.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Curve {
    /// P-256 (`prime256v1`), for ES256.
    P256,
    /// P-384 (`secp384r1`), for ES384.
    P384,
    /// P-521 (`secp521r1`), for ES512.
    P521,
}

/// What a key is, as far as algorithm choice and `jsonwebtoken`'s checks care.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum KeyKind {
    /// A shared secret of this many bytes.
    Secret {
        /// Length in bytes.
        len: usize,
    },
    /// An RSA key (`asymmetricKeyType` `"rsa"`).
    Rsa {
        /// Modulus length in bits.
        bits: usize,
    },
    /// An RSA-PSS key (`asymmetricKeyType` `"rsa-pss"`), usable only for PS*.
    RsaPss {
        /// Modulus length in bits.
        bits: usize,
    },
    /// An elliptic-curve key on a supported curve (`asymmetricKeyType` `"ec"`).
    Ec {
        /// The curve.
        curve: Curve,
    },
    /// A key that parsed but that no supported algorithm uses (e.g. `"ed25519"`, or an EC key
    /// on another curve): the name is Node's `asymmetricKeyType`.
    Unsupported {
        /// Node's `asymmetricKeyType` for it, e.g. `"ed25519"`.
        asymmetric_key_type: String,
    },
}

/// Which half of a key pair the caller handed over, for messages and `jsonwebtoken`'s
/// `KeyObject.type` checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyRole {
    /// A shared secret (`type === 'secret'`).
    Secret,
    /// A private key (`type === 'private'`).
    Private,
    /// A public key or certificate (`type === 'public'`).
    Public,
}

/// A key ready to sign: parsed once, cheap to clone, safe to share between threads.
/// `Debug` prints the kind only, never key material.
#[derive(Clone)]
pub struct SigningKey {
    inner: Arc<SigningInner>,
}

/// A key ready to verify: parsed once, cheap to clone, safe to share between threads.
/// `Debug` prints the kind only, never key material.
#[derive(Clone)]
pub struct VerifyingKey {
    inner: Arc<VerifyingInner>,
}

struct SigningInner {
    kind: KeyKind,
    pss: Option<RsaPssParameters>,
    material: PrivateMaterial,
    public: OnceLock<VerifyingKey>,
}

enum PrivateMaterial {
    Secret(Arc<Secret>),
    Rsa(RsaSigner),
    Ec { curve: Curve, signer: EcSigner },
    Unsupported,
}

struct VerifyingInner {
    kind: KeyKind,
    pss: Option<RsaPssParameters>,
    material: PublicMaterial,
}

enum PublicMaterial {
    Secret(Arc<Secret>),
    Rsa(Box<RsaVerifier>),
    Ec(EcVerifier),
    /// A key no algorithm uses; its SPKI when known.
    Unsupported(Option<Vec<u8>>),
}

/// Whether these bytes look like PEM text (they contain a `-----BEGIN ` line). Node's
/// `createPrivateKey`/`createPublicKey` read strings and buffers as PEM by default, so the
/// compatibility layer may want to treat non-PEM bytes as a secret without trying DER.
pub fn looks_like_pem(bytes: &[u8]) -> bool {
    pem::looks_like_pem(bytes)
}

const PRIVATE_LABELS: [&str; 4] = [
    "PRIVATE KEY",
    "RSA PRIVATE KEY",
    "EC PRIVATE KEY",
    "ENCRYPTED PRIVATE KEY",
];
/// In the order Node's `createPublicKey` tries them.
const PUBLIC_LABELS: [&str; 5] = [
    "PUBLIC KEY",
    "RSA PUBLIC KEY",
    "CERTIFICATE",
    "X509 CERTIFICATE",
    "TRUSTED CERTIFICATE",
];

impl SigningKey {
    /// Parses a private key: PEM text or DER bytes in PKCS#8, PKCS#1, SEC1 (with or without an
    /// `EC PARAMETERS` block) or encrypted PKCS#8 (`passphrase` needed). Fails with
    /// `ErrorCode::InvalidKey` when the bytes are not a private key (a public key or
    /// certificate included), naming what was found. PEM is read leniently
    /// ([`PemSyntax::Lenient`]: one-line and escaped forms too).
    pub fn from_private(bytes: &[u8], passphrase: Option<&[u8]>) -> Result<Self> {
        Self::from_private_with(bytes, passphrase, PemSyntax::Lenient)
    }

    /// [`SigningKey::from_private`] with a choice of PEM strictness; [`PemSyntax::OpenSsl`]
    /// accepts exactly the PEM layouts Node's `createPrivateKey` accepts.
    pub fn from_private_with(
        bytes: &[u8],
        passphrase: Option<&[u8]>,
        syntax: PemSyntax,
    ) -> Result<Self> {
        if pem::looks_like_pem(bytes) {
            let blocks = pem::decode_all(bytes, syntax)?;
            let Some(block) = blocks
                .iter()
                .find(|b| PRIVATE_LABELS.contains(&b.label.as_str()))
            else {
                let labels: Vec<&str> = blocks.iter().map(|b| b.label.as_str()).collect();
                return Err(invalid(format!(
                    "expected a private key, but the PEM text holds {}",
                    describe_labels(&labels)
                )));
            };
            return plain_der(block, passphrase)
                .and_then(|der| Self::from_private_der(&der, passphrase))
                .map_err(|e| in_pem_block(e, &block.label));
        }
        Self::from_private_der(bytes, passphrase)
    }

    fn from_private_der(der: &[u8], passphrase: Option<&[u8]>) -> Result<Self> {
        let found = parse::classify(der).ok_or_else(|| {
            invalid(
                "not a private key in a supported format: expected PEM or DER of PKCS#8, \
                 PKCS#1, SEC1 or encrypted PKCS#8"
                    .to_string(),
            )
        })?;
        if !parse::is_private(&found) {
            return Err(invalid(
                "expected a private key, but found a public key or certificate".to_string(),
            ));
        }
        if let Found::EncryptedPrivate { algorithm, data } = found {
            let plain: Zeroizing<Vec<u8>> = encrypted::decrypt(&algorithm, data, passphrase)?;
            return match parse::classify(&plain) {
                Some(found @ (Found::RsaPrivate { .. } | Found::EcPrivate { .. })) => {
                    Self::from_found(found)
                }
                Some(found @ Found::Unsupported { private: true, .. }) => Self::from_found(found),
                _ => Err(invalid(
                    "the decrypted private key is not a PKCS#8 private key".to_string(),
                )),
            };
        }
        Self::from_found(found)
    }

    fn from_found(found: Found<'_>) -> Result<Self> {
        let (kind, material) = match found {
            Found::RsaPrivate {
                pkcs1,
                public,
                rsa_type,
            } => {
                let (kind, pss) = rsa_kind(public.bits, rsa_type);
                let material = PrivateMaterial::Rsa(RsaSigner::new(pkcs1, public)?);
                return Ok(Self::with_pss(kind, pss, material));
            }
            Found::EcPrivate { curve, der } => (
                KeyKind::Ec { curve },
                PrivateMaterial::Ec {
                    curve,
                    signer: EcSigner::new(curve, der)?,
                },
            ),
            Found::Unsupported {
                asymmetric_key_type,
                ..
            } => (
                KeyKind::Unsupported {
                    asymmetric_key_type: asymmetric_key_type.to_string(),
                },
                PrivateMaterial::Unsupported,
            ),
            Found::RsaPublic { .. } | Found::EcPublic { .. } | Found::EncryptedPrivate { .. } => {
                return Err(Error::internal(
                    "a non-private key reached SigningKey::from_found",
                ));
            }
        };
        Ok(Self::new(kind, material))
    }

    fn new(kind: KeyKind, material: PrivateMaterial) -> Self {
        Self::with_pss(kind, None, material)
    }

    fn with_pss(kind: KeyKind, pss: Option<RsaPssParameters>, material: PrivateMaterial) -> Self {
        SigningKey {
            inner: Arc::new(SigningInner {
                kind,
                pss,
                material,
                public: OnceLock::new(),
            }),
        }
    }

    /// The parameters an RSA-PSS key is restricted to (Node's `asymmetricKeyDetails`
    /// `hashAlgorithm`, `mgf1HashAlgorithm`, `saltLength`); `None` for other keys and for an
    /// RSA-PSS key without parameters.
    pub fn rsa_pss_parameters(&self) -> Option<&RsaPssParameters> {
        self.inner.pss.as_ref()
    }

    /// Parses a private JWK (JSON text of an RSA or EC key with its private parts; an `oct`
    /// JWK gives a secret).
    pub fn from_jwk(jwk_json: &str) -> Result<Self> {
        match jwk::private_der(jwk_json)? {
            jwk::PrivateJwk::Der(der) => Self::from_private_der(&der, None),
            jwk::PrivateJwk::Secret(secret) => Ok(Self::from_secret(&secret)),
            jwk::PrivateJwk::Unsupported(name) => Ok(Self::new(
                KeyKind::Unsupported {
                    asymmetric_key_type: name,
                },
                PrivateMaterial::Unsupported,
            )),
        }
    }

    /// A shared secret for HS*.
    pub fn from_secret(secret: &[u8]) -> Self {
        let secret = Arc::new(Secret::new(secret));
        Self::new(
            KeyKind::Secret { len: secret.len() },
            PrivateMaterial::Secret(secret),
        )
    }

    /// What kind of key this is.
    pub fn kind(&self) -> &KeyKind {
        &self.inner.kind
    }

    /// Secret or private.
    pub fn role(&self) -> KeyRole {
        match self.inner.material {
            PrivateMaterial::Secret(_) => KeyRole::Secret,
            _ => KeyRole::Private,
        }
    }

    /// Signs `message` (the ASCII `header.payload`) and returns the raw JWS signature bytes
    /// (for ES*, the fixed-width `r || s` form). Fails when the key does not fit `alg`.
    /// `Algorithm::None` returns an empty signature.
    pub fn sign(&self, alg: Algorithm, message: &[u8]) -> Result<Vec<u8>> {
        if alg == Algorithm::None {
            return Ok(Vec::new());
        }
        check_fits(&self.inner.kind, alg)?;
        match &self.inner.material {
            PrivateMaterial::Secret(secret) => secret
                .sign(alg, message)
                .ok_or_else(|| mismatch(&self.inner.kind, alg)),
            PrivateMaterial::Rsa(signer) => signer.sign(alg, message),
            PrivateMaterial::Ec { signer, .. } => signer.sign(message),
            PrivateMaterial::Unsupported => Err(mismatch(&self.inner.kind, alg)),
        }
    }

    /// The public half (for a secret: the same secret), to check a key against a certificate.
    pub fn verifying_key(&self) -> VerifyingKey {
        self.inner
            .public
            .get_or_init(|| self.derive_verifying_key())
            .clone()
    }

    fn derive_verifying_key(&self) -> VerifyingKey {
        let kind = self.inner.kind.clone();
        let material = match &self.inner.material {
            PrivateMaterial::Secret(secret) => PublicMaterial::Secret(secret.clone()),
            PrivateMaterial::Rsa(signer) => {
                PublicMaterial::Rsa(Box::new(RsaVerifier::new(parse::RsaPublic {
                    pkcs1: signer.public_pkcs1.clone(),
                    bits: signer.bits,
                })))
            }
            PrivateMaterial::Ec { curve, signer } => {
                match EcVerifier::new(*curve, &signer.public_point()) {
                    Ok(verifier) => PublicMaterial::Ec(verifier),
                    // The point came from a valid key pair; this cannot fail in practice.
                    Err(_) => PublicMaterial::Unsupported(None),
                }
            }
            PrivateMaterial::Unsupported => PublicMaterial::Unsupported(None),
        };
        VerifyingKey::with_pss(kind, self.inner.pss.clone(), material)
    }

    /// Whether this private key is the other half of `public` (same public key), e.g. whether
    /// a Qlik identity provider's certificate belongs to the key that signs. Secrets match
    /// the same secret.
    pub fn public_key_matches(&self, public: &VerifyingKey) -> bool {
        self.verifying_key().same_key_as(public)
    }

    /// The public key as DER SubjectPublicKeyInfo; `None` for a secret or an unsupported key.
    pub fn public_key_spki_der(&self) -> Option<Vec<u8>> {
        self.verifying_key().public_key_spki_der()
    }
}

impl VerifyingKey {
    /// Parses a key to verify with: PEM or DER of an SPKI or PKCS#1 public key, an X.509
    /// certificate, or any private key `SigningKey::from_private` takes (its public half is
    /// used, as Node's `createPublicKey` does). Fails with `ErrorCode::InvalidKey` when the
    /// bytes are none of these. PEM is read leniently ([`PemSyntax::Lenient`]).
    pub fn from_public(bytes: &[u8], passphrase: Option<&[u8]>) -> Result<Self> {
        Self::from_public_with(bytes, passphrase, PemSyntax::Lenient)
    }

    /// [`VerifyingKey::from_public`] with a choice of PEM strictness; [`PemSyntax::OpenSsl`]
    /// accepts exactly the PEM layouts Node's `createPublicKey` accepts.
    pub fn from_public_with(
        bytes: &[u8],
        passphrase: Option<&[u8]>,
        syntax: PemSyntax,
    ) -> Result<Self> {
        if pem::looks_like_pem(bytes) {
            let blocks = pem::decode_all(bytes, syntax)?;
            // As Node's createPublicKey: a public key, then a certificate, anywhere in the
            // text, before falling back to a private key's public half.
            let Some(block) = PUBLIC_LABELS
                .iter()
                .chain(PRIVATE_LABELS.iter())
                .find_map(|label| blocks.iter().find(|b| b.label == *label))
            else {
                let labels: Vec<&str> = blocks.iter().map(|b| b.label.as_str()).collect();
                return Err(invalid(format!(
                    "expected a public key, certificate or private key, but the PEM text holds \
                     {}",
                    describe_labels(&labels)
                )));
            };
            return plain_der(block, passphrase)
                .and_then(|der| Self::from_public_der(&der, passphrase))
                .map_err(|e| in_pem_block(e, &block.label));
        }
        Self::from_public_der(bytes, passphrase)
    }

    fn from_public_der(der: &[u8], passphrase: Option<&[u8]>) -> Result<Self> {
        let found = parse::classify(der).ok_or_else(|| {
            invalid(
                "not a key in a supported format: expected PEM or DER of an SPKI or PKCS#1 \
                 public key, an X.509 certificate or a private key"
                    .to_string(),
            )
        })?;
        let (kind, material) = match found {
            Found::RsaPublic { public, rsa_type } => {
                let (kind, pss) = rsa_kind(public.bits, rsa_type);
                let material = PublicMaterial::Rsa(Box::new(RsaVerifier::new(public)));
                return Ok(Self::with_pss(kind, pss, material));
            }
            Found::EcPublic { curve, point } => (
                KeyKind::Ec { curve },
                PublicMaterial::Ec(EcVerifier::new(curve, point)?),
            ),
            Found::Unsupported {
                asymmetric_key_type,
                private: false,
                spki,
            } => (
                KeyKind::Unsupported {
                    asymmetric_key_type: asymmetric_key_type.to_string(),
                },
                PublicMaterial::Unsupported(spki.map(<[u8]>::to_vec)),
            ),
            _ => return Ok(SigningKey::from_private_der(der, passphrase)?.verifying_key()),
        };
        Ok(Self::new(kind, material))
    }

    fn new(kind: KeyKind, material: PublicMaterial) -> Self {
        Self::with_pss(kind, None, material)
    }

    fn with_pss(kind: KeyKind, pss: Option<RsaPssParameters>, material: PublicMaterial) -> Self {
        VerifyingKey {
            inner: Arc::new(VerifyingInner {
                kind,
                pss,
                material,
            }),
        }
    }

    /// The parameters an RSA-PSS key is restricted to; see
    /// [`SigningKey::rsa_pss_parameters`].
    pub fn rsa_pss_parameters(&self) -> Option<&RsaPssParameters> {
        self.inner.pss.as_ref()
    }

    /// Parses a public (or private) JWK.
    pub fn from_jwk(jwk_json: &str) -> Result<Self> {
        match jwk::public_key(jwk_json)? {
            jwk::PublicJwk::Rsa(public) => {
                let kind = KeyKind::Rsa { bits: public.bits };
                Ok(Self::new(
                    kind,
                    PublicMaterial::Rsa(Box::new(RsaVerifier::new(public))),
                ))
            }
            jwk::PublicJwk::Ec { curve, point } => Ok(Self::new(
                KeyKind::Ec { curve },
                PublicMaterial::Ec(EcVerifier::new(curve, &point)?),
            )),
            jwk::PublicJwk::Secret(secret) => Ok(Self::from_secret(&secret)),
            jwk::PublicJwk::Unsupported(name) => Ok(Self::new(
                KeyKind::Unsupported {
                    asymmetric_key_type: name,
                },
                PublicMaterial::Unsupported(None),
            )),
        }
    }

    /// A shared secret for HS*.
    pub fn from_secret(secret: &[u8]) -> Self {
        let secret = Arc::new(Secret::new(secret));
        Self::new(
            KeyKind::Secret { len: secret.len() },
            PublicMaterial::Secret(secret),
        )
    }

    /// What kind of key this is.
    pub fn kind(&self) -> &KeyKind {
        &self.inner.kind
    }

    /// Secret or public.
    pub fn role(&self) -> KeyRole {
        match self.inner.material {
            PublicMaterial::Secret(_) => KeyRole::Secret,
            _ => KeyRole::Public,
        }
    }

    /// Checks a raw JWS signature over `message`. `Ok(false)` for a wrong signature (also a
    /// malformed one, e.g. an ECDSA signature of the wrong length or with r = s = 0); `Err`
    /// when the key does not fit `alg`. For `Algorithm::None`, true only for an empty
    /// signature.
    pub fn verify(&self, alg: Algorithm, message: &[u8], signature: &[u8]) -> Result<bool> {
        if alg == Algorithm::None {
            return Ok(signature.is_empty());
        }
        check_fits(&self.inner.kind, alg)?;
        match &self.inner.material {
            PublicMaterial::Secret(secret) => secret
                .verify(alg, message, signature)
                .ok_or_else(|| mismatch(&self.inner.kind, alg)),
            PublicMaterial::Rsa(verifier) => verifier.verify(alg, message, signature),
            PublicMaterial::Ec(verifier) => Ok(verifier.verify(message, signature)),
            PublicMaterial::Unsupported(_) => Err(mismatch(&self.inner.kind, alg)),
        }
    }

    /// The HMAC of `message` under an HS algorithm, for comparisons that `jwa` makes on the
    /// encoded text. Fails when this is not a secret or `alg` is not HS*.
    pub(crate) fn mac(&self, alg: Algorithm, message: &[u8]) -> Result<Vec<u8>> {
        check_fits(&self.inner.kind, alg)?;
        match &self.inner.material {
            PublicMaterial::Secret(secret) => secret
                .sign(alg, message)
                .ok_or_else(|| mismatch(&self.inner.kind, alg)),
            _ => Err(mismatch(&self.inner.kind, alg)),
        }
    }

    /// The public key as DER SubjectPublicKeyInfo, as openssl writes it (RSA keys as
    /// `rsaEncryption`, RSA-PSS keys as `id-RSASSA-PSS` with their parameters); `None` for a
    /// secret or a key parsed from a private key of an unsupported type.
    pub fn public_key_spki_der(&self) -> Option<Vec<u8>> {
        match &self.inner.material {
            PublicMaterial::Secret(_) => None,
            PublicMaterial::Rsa(verifier) => {
                let algorithm = match self.inner.kind {
                    KeyKind::RsaPss { .. } => {
                        parse::pss_algorithm_identifier(self.inner.pss.as_ref())
                    }
                    _ => der::algorithm_identifier(
                        der::oid::RSA_ENCRYPTION,
                        Some(&der::encode(der::tag::NULL, &[])),
                    ),
                };
                Some(der::spki(&algorithm, &verifier.public_pkcs1))
            }
            PublicMaterial::Ec(verifier) => Some(verifier.spki.clone()),
            PublicMaterial::Unsupported(spki) => spki.clone(),
        }
    }

    /// The public key as PEM (`-----BEGIN PUBLIC KEY-----`, 64-character lines); `None` where
    /// [`VerifyingKey::public_key_spki_der`] is `None`.
    pub fn public_key_pem(&self) -> Option<String> {
        self.public_key_spki_der()
            .map(|der| pem::encode("PUBLIC KEY", &der))
    }

    /// Whether two verifying keys hold the same key (the same public key, or the same secret).
    pub fn same_key_as(&self, other: &VerifyingKey) -> bool {
        match (&self.inner.material, &other.inner.material) {
            (PublicMaterial::Secret(a), PublicMaterial::Secret(b)) => a.same_as(b),
            (PublicMaterial::Rsa(a), PublicMaterial::Rsa(b)) => a.public_pkcs1 == b.public_pkcs1,
            (PublicMaterial::Ec(a), PublicMaterial::Ec(b)) => a.spki == b.spki,
            (PublicMaterial::Unsupported(Some(a)), PublicMaterial::Unsupported(Some(b))) => a == b,
            _ => false,
        }
    }
}

/// The restrictions in an RSA-PSS key's `RSASSA-PSS-params`, named as Node's
/// `KeyObject.asymmetricKeyDetails` names them (`jsonwebtoken` checks them against `alg`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RsaPssParameters {
    /// The message digest, e.g. `"sha256"` (default `"sha1"`).
    pub hash_algorithm: String,
    /// The MGF1 digest, e.g. `"sha256"` (default `"sha1"`).
    pub mgf1_hash_algorithm: String,
    /// The minimum salt length in bytes (default 20).
    pub salt_length: u32,
}

fn rsa_kind(bits: usize, rsa_type: parse::RsaType) -> (KeyKind, Option<RsaPssParameters>) {
    match rsa_type {
        parse::RsaType::Rsa => (KeyKind::Rsa { bits }, None),
        parse::RsaType::Pss(parameters) => (KeyKind::RsaPss { bits }, parameters),
    }
}

/// Checks that a key of `kind` can be used with `alg` (family and curve).
fn check_fits(kind: &KeyKind, alg: Algorithm) -> Result<()> {
    let fits = match (alg.family(), kind) {
        (Family::None, _) => true,
        (Family::Hmac, KeyKind::Secret { .. }) => true,
        (Family::Rsa, KeyKind::Rsa { .. }) => true,
        (Family::RsaPss, KeyKind::Rsa { .. } | KeyKind::RsaPss { .. }) => true,
        (Family::Ecdsa, KeyKind::Ec { curve }) => Some(*curve) == curve_for(alg),
        _ => false,
    };
    if fits {
        Ok(())
    } else {
        Err(mismatch(kind, alg))
    }
}

/// The curve an ES algorithm needs.
pub fn curve_for(alg: Algorithm) -> Option<Curve> {
    match alg {
        Algorithm::ES256 => Some(Curve::P256),
        Algorithm::ES384 => Some(Curve::P384),
        Algorithm::ES512 => Some(Curve::P521),
        _ => None,
    }
}

fn mismatch(kind: &KeyKind, alg: Algorithm) -> Error {
    let needs = match alg.family() {
        Family::Hmac => "a shared secret".to_string(),
        Family::Rsa => "an RSA key".to_string(),
        Family::RsaPss => "an RSA or RSA-PSS key".to_string(),
        Family::Ecdsa => match curve_for(alg) {
            Some(curve) => format!("an EC key on {}", curve.name()),
            None => "an EC key".to_string(),
        },
        Family::None => "no key".to_string(),
    };
    Error::plain(
        ErrorCode::KeyAlgorithmMismatch,
        format!("{alg} needs {needs}, but the key is {}", kind.describe()),
    )
}

impl Curve {
    /// The curve's JOSE name: `P-256`, `P-384` or `P-521`.
    pub const fn name(self) -> &'static str {
        match self {
            Curve::P256 => "P-256",
            Curve::P384 => "P-384",
            Curve::P521 => "P-521",
        }
    }

    /// The ES algorithm that uses this curve.
    pub const fn algorithm(self) -> Algorithm {
        match self {
            Curve::P256 => Algorithm::ES256,
            Curve::P384 => Algorithm::ES384,
            Curve::P521 => Algorithm::ES512,
        }
    }
}

impl KeyKind {
    /// Node's `asymmetricKeyType` (`"rsa"`, `"rsa-pss"`, `"ec"`, `"ed25519"`...); `None` for a
    /// secret.
    pub fn asymmetric_key_type(&self) -> Option<&str> {
        match self {
            KeyKind::Secret { .. } => None,
            KeyKind::Rsa { .. } => Some("rsa"),
            KeyKind::RsaPss { .. } => Some("rsa-pss"),
            KeyKind::Ec { .. } => Some("ec"),
            KeyKind::Unsupported {
                asymmetric_key_type,
            } => Some(asymmetric_key_type),
        }
    }

    /// A short description for messages, e.g. "a 2048-bit RSA key".
    pub fn describe(&self) -> String {
        match self {
            KeyKind::Secret { .. } => "a shared secret".to_string(),
            KeyKind::Rsa { bits } => format!("a {bits}-bit RSA key"),
            KeyKind::RsaPss { bits } => format!("a {bits}-bit RSA-PSS key"),
            KeyKind::Ec { curve } => format!("an EC key on {}", curve.name()),
            KeyKind::Unsupported {
                asymmetric_key_type,
            } => {
                format!("an unsupported key of type \"{asymmetric_key_type}\"")
            }
        }
    }
}

/// A PEM block's DER, decrypted first when the block is encrypted the legacy OpenSSL way.
fn plain_der(block: &pem::Block, passphrase: Option<&[u8]>) -> Result<Zeroizing<Vec<u8>>> {
    match &block.dek_info {
        Some(dek_info) => encrypted::decrypt_legacy_pem(dek_info, &block.der, passphrase),
        None => Ok(block.der.clone()),
    }
}

fn invalid(message: String) -> Error {
    Error::plain(ErrorCode::InvalidKey, message)
}

fn in_pem_block(error: Error, label: &str) -> Error {
    if error.code() == ErrorCode::InvalidKey && !error.message().contains('"') {
        invalid(format!("PEM block \"{label}\": {}", error.message()))
    } else {
        error
    }
}

fn describe_labels(labels: &[&str]) -> String {
    let quoted: Vec<String> = labels.iter().map(|l| format!("\"{l}\"")).collect();
    format!("only {}", quoted.join(", "))
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKey")
            .field("kind", &self.inner.kind)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for VerifyingKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VerifyingKey")
            .field("kind", &self.inner.kind)
            .finish_non_exhaustive()
    }
}
