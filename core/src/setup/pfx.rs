//! The private key and certificate of a PKCS#12/PFX file, as Qlik's certificate export writes
//! `client.pfx` and `server.pfx` ("Windows format", with the export's password).
//!
//! Decoding is `p12-keystore`'s: legacy PBES1 bags (PBE-SHA1-3DES, PBE-SHA1-RC2-40, as older
//! Windows exports) and PBES2 bags (PBKDF2 with AES, OpenSSL 3's default), the MAC checked
//! against the password first, so that a wrong password is told apart from a damaged file.

use std::fmt;

use base64::Engine as _;
use p12_keystore::error::Error as P12Error;
use p12_keystore::{KeyStore, Pkcs12ImportPolicy};
use zeroize::Zeroizing;

use crate::error::{Error, ErrorCode, Result};
use crate::key::SigningKey;

/// What a PFX file holds for signing: the private key and the certificate that goes with it.
#[derive(Clone)]
pub struct PfxKey {
    /// The private key, ready to sign.
    pub signing_key: SigningKey,
    /// The same key as unencrypted PKCS#8 PEM (`PRIVATE KEY`), for APIs that take PEM.
    pub private_key_pem: Zeroizing<String>,
    /// The key's certificate (PEM), when the file has one.
    pub certificate_pem: Option<String>,
    /// The other certificates of the file (the issuing CA, as Qlik's `root.cer`), PEM.
    pub chain_pem: Vec<String>,
}

impl fmt::Debug for PfxKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PfxKey")
            .field("signing_key", &self.signing_key)
            .field("private_key_pem", &"<redacted>")
            .field("has_certificate", &self.certificate_pem.is_some())
            .field("chain_len", &self.chain_pem.len())
            .finish()
    }
}

/// Whether `bytes` look like a PKCS#12 file: a DER SEQUENCE whose first element is the
/// version INTEGER 3 (a PKCS#8 or PKCS#1 key starts with version 0 instead).
pub fn looks_like_pfx(bytes: &[u8]) -> bool {
    let Some((&0x30, rest)) = bytes.split_first() else {
        return false;
    };
    let header_len = match rest.first() {
        Some(&len) if len < 0x80 => 1,
        Some(&len) if (0x81..=0x84).contains(&len) => 1 + usize::from(len & 0x7f),
        _ => return false,
    };
    rest.get(header_len..header_len + 3) == Some(&[0x02, 0x01, 0x03][..])
}

/// The private key and certificate of the PKCS#12/PFX `bytes`, decrypted with `password` (an
/// export without password has the empty one). Fails with `ERR_INVALID_KEY` when the bytes are
/// not PKCS#12, when the password is wrong, when an encryption scheme is not supported, or
/// when the file holds no private key.
pub fn import_pfx(bytes: &[u8], password: &str) -> Result<PfxKey> {
    if !looks_like_pfx(bytes) {
        let what = if bytes.trim_ascii_start().starts_with(b"-----BEGIN") {
            "it is PEM text: give a PEM key file as the key itself (client_key.pem), not as a PFX"
        } else {
            "it does not start as a PKCS#12 file does (a DER sequence of version 3)"
        };
        return Err(invalid(format!("the PFX file is not PKCS#12: {what}")));
    }
    let store = KeyStore::from_pkcs12(bytes, password, Pkcs12ImportPolicy::Relaxed)
        .map_err(|error| invalid(reason(&error)))?;
    let (_, chain) = store.private_key_chain().ok_or_else(|| {
        invalid("the PFX file holds no private key: export the certificate with its private key")
    })?;
    let der = Zeroizing::new(chain.key().as_der().to_vec());
    let signing_key = SigningKey::from_private(&der, None)?;
    let private_key_pem = Zeroizing::new(pem_block("PRIVATE KEY", &der));
    let mut certificates = chain
        .certs()
        .iter()
        .map(|c| pem_block("CERTIFICATE", c.as_der()));
    let certificate_pem = certificates.next();
    Ok(PfxKey {
        signing_key,
        private_key_pem,
        certificate_pem,
        chain_pem: certificates.collect(),
    })
}

fn invalid(message: impl Into<String>) -> Error {
    Error::plain(ErrorCode::InvalidKey, message)
}

/// The user's reason for a decoding failure; never the library's text, which may quote bytes.
fn reason(error: &P12Error) -> String {
    match error {
        P12Error::MacError(_) => {
            "the PFX password is wrong (the file's integrity check failed with it): give the \
             password the certificates were exported with"
                .to_owned()
        }
        P12Error::UnsupportedEncryptionScheme => {
            "the PFX file is encrypted with a scheme qlik-jwt does not read (MD5-based PBES1?): \
             re-export it, or convert it with openssl pkcs12"
                .to_owned()
        }
        P12Error::UnsupportedMacAlgorithm => {
            "the PFX file's integrity check uses an algorithm qlik-jwt does not read".to_owned()
        }
        P12Error::UnpadError | P12Error::Pkcs5Error(_) => {
            "the PFX file could not be decrypted with this password (wrong password, or a \
             damaged file)"
                .to_owned()
        }
        _ => "the PFX file is damaged or not PKCS#12 (its structure does not decode)".to_owned(),
    }
}

fn pem_block(label: &str, der: &[u8]) -> String {
    let body = Zeroizing::new(base64::engine::general_purpose::STANDARD.encode(der));
    let mut pem = format!("-----BEGIN {label}-----\n");
    for chunk in body.as_bytes().chunks(64) {
        pem.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        pem.push('\n');
    }
    pem.push_str(&format!("-----END {label}-----\n"));
    pem
}
