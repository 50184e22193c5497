//! Keys: parsing every supported format once into reusable signing and verifying keys.
//!
//! Private keys: PEM or DER in PKCS#8, PKCS#1 (`RSA PRIVATE KEY`), SEC1 (`EC PRIVATE KEY`, also
//! after an `EC PARAMETERS` block), encrypted PKCS#8 with a passphrase, and JWK. Public keys:
//! SPKI, PKCS#1 (`RSA PUBLIC KEY`), X.509 certificates, JWK, and private keys (their public
//! half). Secrets: any bytes. Key bytes are zeroized on drop and never printed.

use std::sync::Arc;

use crate::alg::Algorithm;
use crate::error::Result;

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
    inner: Arc<()>, // SKELETON: replaced by the key implementation
}

/// A key ready to verify: parsed once, cheap to clone, safe to share between threads.
/// `Debug` prints the kind only, never key material.
#[derive(Clone)]
pub struct VerifyingKey {
    inner: Arc<()>, // SKELETON: replaced by the key implementation
}

impl SigningKey {
    /// Parses a private key: PEM text or DER bytes in PKCS#8, PKCS#1, SEC1 (with or without an
    /// `EC PARAMETERS` block) or encrypted PKCS#8 (`passphrase` needed). Fails with
    /// `ErrorCode::InvalidKey` when the bytes are not a private key (a public key or
    /// certificate included), naming what was found.
    pub fn from_private(bytes: &[u8], passphrase: Option<&[u8]>) -> Result<Self> {
        let _ = (bytes, passphrase);
        todo!("SKELETON")
    }

    /// Parses a private JWK (JSON text of an RSA or EC key with its private parts).
    pub fn from_jwk(jwk_json: &str) -> Result<Self> {
        let _ = jwk_json;
        todo!("SKELETON")
    }

    /// A shared secret for HS*.
    pub fn from_secret(secret: &[u8]) -> Self {
        let _ = secret;
        todo!("SKELETON")
    }

    /// What kind of key this is.
    pub fn kind(&self) -> &KeyKind {
        todo!("SKELETON")
    }

    /// Secret or private.
    pub fn role(&self) -> KeyRole {
        todo!("SKELETON")
    }

    /// Signs `message` (the ASCII `header.payload`) and returns the raw JWS signature bytes
    /// (for ES*, the fixed-width `r || s` form). Fails when the key does not fit `alg`.
    /// `Algorithm::None` returns an empty signature.
    pub fn sign(&self, alg: Algorithm, message: &[u8]) -> Result<Vec<u8>> {
        let _ = (alg, message);
        todo!("SKELETON")
    }

    /// The public half (for a secret: the same secret), to check a key against a certificate.
    pub fn verifying_key(&self) -> VerifyingKey {
        todo!("SKELETON")
    }
}

impl VerifyingKey {
    /// Parses a key to verify with: PEM or DER of an SPKI or PKCS#1 public key, an X.509
    /// certificate, or any private key `SigningKey::from_private` takes (its public half is
    /// used, as Node's `createPublicKey` does). Fails with `ErrorCode::InvalidKey` when the
    /// bytes are none of these.
    pub fn from_public(bytes: &[u8], passphrase: Option<&[u8]>) -> Result<Self> {
        let _ = (bytes, passphrase);
        todo!("SKELETON")
    }

    /// Parses a public (or private) JWK.
    pub fn from_jwk(jwk_json: &str) -> Result<Self> {
        let _ = jwk_json;
        todo!("SKELETON")
    }

    /// A shared secret for HS*.
    pub fn from_secret(secret: &[u8]) -> Self {
        let _ = secret;
        todo!("SKELETON")
    }

    /// What kind of key this is.
    pub fn kind(&self) -> &KeyKind {
        todo!("SKELETON")
    }

    /// Secret or public.
    pub fn role(&self) -> KeyRole {
        todo!("SKELETON")
    }

    /// Checks a raw JWS signature over `message`. `Ok(false)` for a wrong signature (also a
    /// malformed one, e.g. an ECDSA signature of the wrong length or with r = s = 0); `Err`
    /// when the key does not fit `alg`. For `Algorithm::None`, true only for an empty
    /// signature.
    pub fn verify(&self, alg: Algorithm, message: &[u8], signature: &[u8]) -> Result<bool> {
        let _ = (alg, message, signature);
        todo!("SKELETON")
    }
}

pub mod cache;

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKey").finish_non_exhaustive() // SKELETON
    }
}

impl std::fmt::Debug for VerifyingKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VerifyingKey").finish_non_exhaustive() // SKELETON
    }
}
