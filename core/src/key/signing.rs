//! Signing keys: parsing private keys and secrets, and signing.

use std::sync::{Arc, OnceLock};

use zeroize::Zeroizing;

use super::ec::{EcSigner, EcVerifier};
use super::hmac::Secret;
use super::kind::{check_fits, mismatch, rsa_kind};
use super::parse::{self, Found};
use super::rsa::{RsaSigner, RsaVerifier};
use super::{
    KeyKind, KeyRole, PRIVATE_LABELS, PemSyntax, PrivateMaterial, PublicMaterial, RsaPssParameters,
    SigningInner, SigningKey, VerifyingKey, describe_labels, encrypted, in_pem_block, invalid, jwk,
    pem, plain_der,
};
use crate::alg::Algorithm;
use crate::error::{Error, Result};

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

    pub(super) fn from_private_der(der: &[u8], passphrase: Option<&[u8]>) -> Result<Self> {
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
                    signer: EcSigner::new(curve, &der)?,
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

    pub(super) fn with_pss(
        kind: KeyKind,
        pss: Option<RsaPssParameters>,
        material: PrivateMaterial,
    ) -> Self {
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

    /// Whether this key is the shared secret `bytes` (constant time in the contents).
    pub(crate) fn is_secret(&self, bytes: &[u8]) -> bool {
        matches!(&self.inner.material, PrivateMaterial::Secret(secret) if secret.is(bytes))
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
