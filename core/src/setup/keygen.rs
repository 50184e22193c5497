//! Key pair and self-signed certificate generation (aws-lc-rs for the keys, rcgen for the
//! certificate).

use std::fmt;
use std::str::FromStr;

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rsa::KeySize;
use aws_lc_rs::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, ECDSA_P384_SHA384_FIXED_SIGNING};
use zeroize::Zeroizing;

use super::clock::{civil_date, now_secs};
use crate::error::{Error, ErrorCode, Result};

/// The key types `qlik-jwt keygen` makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum KeyAlgorithm {
    /// RSA with a 2048-bit modulus (signs RS256).
    Rsa2048,
    /// RSA with a 3072-bit modulus (signs RS256).
    Rsa3072,
    /// RSA with a 4096-bit modulus, the tutorial's `openssl genrsa 4096` (signs RS256). Default.
    #[default]
    Rsa4096,
    /// EC on P-256 (signs ES256).
    EcP256,
    /// EC on P-384 (signs ES384).
    EcP384,
}

impl KeyAlgorithm {
    /// Every key type, in the order of the names.
    pub const ALL: [KeyAlgorithm; 5] = [
        KeyAlgorithm::Rsa2048,
        KeyAlgorithm::Rsa3072,
        KeyAlgorithm::Rsa4096,
        KeyAlgorithm::EcP256,
        KeyAlgorithm::EcP384,
    ];

    /// The name used by the command and the bindings, e.g. `"rsa4096"`, `"p256"`.
    pub const fn name(self) -> &'static str {
        match self {
            KeyAlgorithm::Rsa2048 => "rsa2048",
            KeyAlgorithm::Rsa3072 => "rsa3072",
            KeyAlgorithm::Rsa4096 => "rsa4096",
            KeyAlgorithm::EcP256 => "p256",
            KeyAlgorithm::EcP384 => "p384",
        }
    }

    /// The JWS algorithm a key of this type signs Qlik tokens with.
    pub const fn jws_algorithm(self) -> crate::alg::Algorithm {
        match self {
            KeyAlgorithm::Rsa2048 | KeyAlgorithm::Rsa3072 | KeyAlgorithm::Rsa4096 => {
                crate::alg::Algorithm::RS256
            }
            KeyAlgorithm::EcP256 => crate::alg::Algorithm::ES256,
            KeyAlgorithm::EcP384 => crate::alg::Algorithm::ES384,
        }
    }
}

impl fmt::Display for KeyAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for KeyAlgorithm {
    type Err = Error;

    /// Accepts the names of [`KeyAlgorithm::name`], case-insensitively, and the aliases
    /// `rsa` (4096), `es256`/`p-256`, `es384`/`p-384`.
    fn from_str(s: &str) -> Result<Self> {
        let lower = s.to_ascii_lowercase();
        let found = match lower.as_str() {
            "rsa2048" | "rsa-2048" => KeyAlgorithm::Rsa2048,
            "rsa3072" | "rsa-3072" => KeyAlgorithm::Rsa3072,
            "rsa" | "rsa4096" | "rsa-4096" => KeyAlgorithm::Rsa4096,
            "p256" | "p-256" | "es256" | "ec" => KeyAlgorithm::EcP256,
            "p384" | "p-384" | "es384" => KeyAlgorithm::EcP384,
            _ => {
                return Err(Error::plain(
                    ErrorCode::InvalidOption,
                    format!(
                        "key type {s:?} is not supported: expected one of rsa2048, rsa3072, \
                         rsa4096, p256, p384"
                    ),
                ));
            }
        };
        Ok(found)
    }
}

/// What goes into the self-signed certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateOptions {
    /// The subject's common name (CN). Qlik reads nothing from it; it helps people tell
    /// certificates apart.
    pub common_name: String,
    /// Days of validity from now, as `openssl req -days` (the tutorial uses 1825).
    pub days: u32,
}

impl Default for CertificateOptions {
    fn default() -> Self {
        CertificateOptions {
            common_name: "qlik-jwt".to_owned(),
            days: 1825,
        }
    }
}

/// A generated key pair: the private key as PKCS#8 PEM and a self-signed certificate as PEM.
/// `Debug` never prints the private key; its text is zeroized on drop.
#[derive(Clone)]
pub struct GeneratedKeys {
    /// The key type.
    pub algorithm: KeyAlgorithm,
    /// `-----BEGIN PRIVATE KEY-----` (PKCS#8) text.
    pub private_key_pem: Zeroizing<String>,
    /// `-----BEGIN CERTIFICATE-----` text of the self-signed certificate.
    pub certificate_pem: String,
}

impl fmt::Debug for GeneratedKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GeneratedKeys")
            .field("algorithm", &self.algorithm)
            .field("private_key_pem", &"<redacted>")
            .field("certificate_pem", &self.certificate_pem)
            .finish()
    }
}

/// Generates a key pair of type `algorithm` and a self-signed certificate for it. RSA 4096
/// takes a second or more.
pub fn generate(algorithm: KeyAlgorithm, options: &CertificateOptions) -> Result<GeneratedKeys> {
    let pkcs8 = generate_pkcs8(algorithm)?;
    let certificate_pem = self_signed_certificate(&pkcs8, options)?;
    let private_key_pem = Zeroizing::new(pem_encode("PRIVATE KEY", &pkcs8));
    Ok(GeneratedKeys {
        algorithm,
        private_key_pem,
        certificate_pem,
    })
}

pub(crate) fn generate_pkcs8(algorithm: KeyAlgorithm) -> Result<Zeroizing<Vec<u8>>> {
    let failed = |_| Error::internal(format!("generating a {algorithm} key failed"));
    let rsa = |size: KeySize| -> Result<Zeroizing<Vec<u8>>> {
        let pair = aws_lc_rs::rsa::KeyPair::generate(size).map_err(failed)?;
        let der = pair.as_der().map_err(failed)?;
        Ok(Zeroizing::new(der.as_ref().to_vec()))
    };
    let ec = |alg| -> Result<Zeroizing<Vec<u8>>> {
        let pair = aws_lc_rs::signature::EcdsaKeyPair::generate(alg).map_err(failed)?;
        let der = pair.to_pkcs8v1().map_err(failed)?;
        Ok(Zeroizing::new(der.as_ref().to_vec()))
    };
    match algorithm {
        KeyAlgorithm::Rsa2048 => rsa(KeySize::Rsa2048),
        KeyAlgorithm::Rsa3072 => rsa(KeySize::Rsa3072),
        KeyAlgorithm::Rsa4096 => rsa(KeySize::Rsa4096),
        KeyAlgorithm::EcP256 => ec(&ECDSA_P256_SHA256_FIXED_SIGNING),
        KeyAlgorithm::EcP384 => ec(&ECDSA_P384_SHA384_FIXED_SIGNING),
    }
}

fn self_signed_certificate(pkcs8: &[u8], options: &CertificateOptions) -> Result<String> {
    let cert_error =
        |e: rcgen::Error| Error::internal(format!("making the certificate failed: {e}"));
    // rcgen keeps a copy of the key's DER: wiped when this guard drops, on every path.
    let key_pair = Zeroizing::new(rcgen::KeyPair::try_from(pkcs8).map_err(cert_error)?);
    let mut params = rcgen::CertificateParams::default();
    params.distinguished_name = rcgen::DistinguishedName::new();
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, options.common_name.as_str());
    // Back-dated a day so that a verifier whose clock lags still finds the certificate valid.
    let (year, month, day) = civil_date(now_secs() - 86_400);
    params.not_before = rcgen::date_time_ymd(year, month, day);
    let (year, month, day) = civil_date(now_secs() + i64::from(options.days) * 86_400);
    params.not_after = rcgen::date_time_ymd(year, month, day);
    params.serial_number = Some(rcgen::SerialNumber::from_slice(&random_serial()?));
    let certificate = params.self_signed(&*key_pair).map_err(cert_error)?;
    Ok(certificate.pem())
}

/// A positive 16-byte serial number: random, as RFC 5280 recommends for self-signed
/// certificates, so two certificates of one subject differ.
fn random_serial() -> Result<[u8; 16]> {
    let mut serial = [0u8; 16];
    aws_lc_rs::rand::fill(&mut serial).map_err(|_| Error::internal("the random source failed"))?;
    serial[0] = (serial[0] & 0x7f) | 0x01;
    Ok(serial)
}

/// PEM text with 64-character lines, as OpenSSL writes it.
pub(crate) fn pem_encode(label: &str, der: &[u8]) -> String {
    use base64::Engine as _;
    let body = Zeroizing::new(base64::engine::general_purpose::STANDARD.encode(der));
    let mut out = String::with_capacity(body.len() + body.len() / 64 + 2 * label.len() + 40);
    out.push_str("-----BEGIN ");
    out.push_str(label);
    out.push_str("-----\n");
    for line in body.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(line).unwrap_or_default());
        out.push('\n');
    }
    out.push_str("-----END ");
    out.push_str(label);
    out.push_str("-----\n");
    out
}
