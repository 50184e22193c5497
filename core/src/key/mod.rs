//! Keys: parsing every supported format once into reusable signing and verifying keys.
//!
//! Private keys: PEM or DER in PKCS#8, PKCS#1 (`RSA PRIVATE KEY`), SEC1 (`EC PRIVATE KEY`, also
//! after an `EC PARAMETERS` block), encrypted PKCS#8 or legacy encrypted PEM with a passphrase
//! (the schemes are listed in `encrypted.rs`), and JWK. Public keys: SPKI, PKCS#1 (`RSA PUBLIC
//! KEY`), X.509 certificates, JWK, and private keys (their public half). EC keys may name their
//! curve or write its parameters out (`ec_parameters.rs`). Keys of types no algorithm uses
//! (Ed25519, X25519, DSA, EC on other curves...) parse as [`KeyKind::Unsupported`], so that
//! errors can name them as `jsonwebtoken` does. Secrets: any bytes. Key bytes are zeroized on
//! drop and never printed.

use std::sync::{Arc, OnceLock};

use zeroize::Zeroizing;

use crate::error::{Error, ErrorCode, Result};

use self::ec::{EcSigner, EcVerifier};
use self::hmac::Secret;
use self::rsa::{RsaSigner, RsaVerifier};

pub use self::kind::curve_for;
pub use self::pem::PemSyntax;

pub mod cache;
mod der;
mod ec;
mod ec_parameters;
mod encrypted;
mod hmac;
mod jwk;
mod jwk_export;
mod kind;
mod parse;
mod pem;
mod rsa;
mod rsa_legacy;
mod signing;
#[cfg(test)]
mod tests;
mod verifying;

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

const PRIVATE_LABELS: [&str; 5] = [
    "PRIVATE KEY",
    "RSA PRIVATE KEY",
    "EC PRIVATE KEY",
    "ENCRYPTED PRIVATE KEY",
    "DSA PRIVATE KEY",
];
/// In the order Node's `createPublicKey` tries them.
const PUBLIC_LABELS: [&str; 5] = [
    "PUBLIC KEY",
    "RSA PUBLIC KEY",
    "CERTIFICATE",
    "X509 CERTIFICATE",
    "TRUSTED CERTIFICATE",
];

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
