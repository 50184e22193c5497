//! Verifying keys: parsing public keys, certificates, JWKs and secrets, verifying, and
//! exporting the public key.

use std::sync::Arc;

use super::ec::EcVerifier;
use super::hmac::Secret;
use super::kind::{check_fits, mismatch, rsa_kind};
use super::parse::{self, Found};
use super::rsa::RsaVerifier;
use super::{
    KeyKind, KeyRole, PRIVATE_LABELS, PUBLIC_LABELS, PemSyntax, PublicMaterial, RsaPssParameters,
    SigningKey, VerifyingInner, VerifyingKey, der, describe_labels, in_pem_block, invalid, jwk,
    pem, plain_der,
};
use crate::alg::Algorithm;
use crate::error::Result;

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

    pub(super) fn with_pss(
        kind: KeyKind,
        pss: Option<RsaPssParameters>,
        material: PublicMaterial,
    ) -> Self {
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
