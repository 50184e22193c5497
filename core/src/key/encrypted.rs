//! Encrypted private keys. PKCS#8 (`ENCRYPTED PRIVATE KEY`): PBES2 with PBKDF2
//! (HMAC-SHA1/256/384/512) and AES-128/192/256-CBC, which covers what openssl and Node produce
//! by default. Legacy OpenSSL PEM encryption (`Proc-Type: 4,ENCRYPTED`, `DEK-Info`): AES-CBC
//! with OpenSSL's MD5-based `EVP_BytesToKey`, as `openssl rsa -aes256` and Node's PKCS#1/SEC1
//! export with a cipher produce.

use std::num::NonZeroU32;

use aws_lc_rs::cipher::{self, DecryptionContext, PaddedBlockDecryptingKey, UnboundCipherKey};
use aws_lc_rs::iv::FixedLength;
use aws_lc_rs::pbkdf2;
use zeroize::Zeroizing;

use super::der::{self, Element, oid, tag};
use crate::error::{Error, ErrorCode, Result};

/// Most PBKDF2 iterations we run: far above any tool's default, low enough that a hostile key
/// file cannot stall a process for minutes.
const MAX_ITERATIONS: u64 = 10_000_000;

/// Decrypts an `EncryptedPrivateKeyInfo` into the plain PKCS#8 DER.
pub(crate) fn decrypt(
    algorithm: &Element<'_>,
    data: &[u8],
    passphrase: Option<&[u8]>,
) -> Result<Zeroizing<Vec<u8>>> {
    let Some(passphrase) = passphrase else {
        return Err(invalid(
            "the private key is encrypted: a passphrase is required",
        ));
    };
    let scheme = Pbes2::parse(algorithm).ok_or_else(|| {
        invalid(
            "the encrypted private key uses an unsupported scheme: expected PBES2 with PBKDF2 \
             and AES-CBC (re-encrypt it with `openssl pkcs8 -topk8 -v2 aes-256-cbc`)",
        )
    })?;
    let mut key = Zeroizing::new(vec![0u8; scheme.cipher_key_len()]);
    pbkdf2::derive(
        scheme.prf,
        scheme.iterations,
        scheme.salt,
        passphrase,
        &mut key,
    );
    aes_cbc_decrypt(scheme.cipher, &key, scheme.iv, data)
}

/// Decrypts the body of a legacy encrypted PEM block given its `DEK-Info` value.
pub(crate) fn decrypt_legacy_pem(
    dek_info: &str,
    data: &[u8],
    passphrase: Option<&[u8]>,
) -> Result<Zeroizing<Vec<u8>>> {
    let Some(passphrase) = passphrase else {
        return Err(invalid(
            "the private key is encrypted: a passphrase is required",
        ));
    };
    let (cipher_name, iv_hex) = dek_info.split_once(',').unwrap_or((dek_info, ""));
    let (cipher, key_len) = match cipher_name.trim().to_ascii_uppercase().as_str() {
        "AES-128-CBC" => (&cipher::AES_128, cipher::AES_128_KEY_LEN),
        "AES-192-CBC" => (&cipher::AES_192, cipher::AES_192_KEY_LEN),
        "AES-256-CBC" => (&cipher::AES_256, cipher::AES_256_KEY_LEN),
        _ => {
            return Err(invalid(
                "the private key is encrypted the legacy OpenSSL way with a cipher other than \
                 AES-CBC: convert it with `openssl pkcs8 -topk8 -v2 aes-256-cbc -in key.pem \
                 -out key-pkcs8.pem`",
            ));
        }
    };
    let iv: [u8; 16] = hex(iv_hex.trim())
        .and_then(|bytes| bytes.try_into().ok())
        .ok_or_else(|| invalid("the DEK-Info header of the encrypted PEM block is malformed"))?;
    let key = bytes_to_key(passphrase, &iv[..8], key_len);
    aes_cbc_decrypt(cipher, &key, iv, data)
}

/// OpenSSL's `EVP_BytesToKey` with MD5 and one iteration:
/// `D_i = MD5(D_{i-1} || passphrase || salt)`, concatenated.
fn bytes_to_key(passphrase: &[u8], salt: &[u8], len: usize) -> Zeroizing<Vec<u8>> {
    let mut key = Zeroizing::new(Vec::with_capacity(len + 16));
    let mut previous = Zeroizing::new([0u8; 16]);
    let mut input = Zeroizing::new(Vec::with_capacity(16 + passphrase.len() + salt.len()));
    while key.len() < len {
        input.clear();
        if !key.is_empty() {
            input.extend_from_slice(&previous[..]);
        }
        input.extend_from_slice(passphrase);
        input.extend_from_slice(salt);
        // SAFETY: `input` is readable for its length and `previous` has the 16 bytes MD5
        // writes.
        unsafe { aws_lc_sys::MD5(input.as_ptr(), input.len(), previous.as_mut_ptr()) };
        key.extend_from_slice(&previous[..]);
    }
    key.truncate(len);
    key
}

fn hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

fn aes_cbc_decrypt(
    cipher: &'static cipher::Algorithm,
    key: &[u8],
    iv: [u8; 16],
    data: &[u8],
) -> Result<Zeroizing<Vec<u8>>> {
    let unbound =
        UnboundCipherKey::new(cipher, key).map_err(|_| Error::internal("AES key setup failed"))?;
    let decrypting = PaddedBlockDecryptingKey::cbc_pkcs7(unbound)
        .map_err(|_| Error::internal("AES-CBC setup failed"))?;
    let mut buffer = Zeroizing::new(data.to_vec());
    let plain_len = decrypting
        .decrypt(&mut buffer, DecryptionContext::Iv128(FixedLength::from(iv)))
        .map_err(|_| wrong_passphrase())?
        .len();
    buffer.truncate(plain_len);
    // A wrong passphrase passes the padding check about 1 time in 256: check the structure too.
    if der::parse_single(&buffer).is_none_or(|e| e.tag != tag::SEQUENCE) {
        return Err(wrong_passphrase());
    }
    Ok(buffer)
}

struct Pbes2<'a> {
    prf: pbkdf2::Algorithm,
    iterations: NonZeroU32,
    salt: &'a [u8],
    cipher: &'static cipher::Algorithm,
    key_len: usize,
    iv: [u8; 16],
}

impl<'a> Pbes2<'a> {
    fn parse(algorithm: &Element<'a>) -> Option<Self> {
        let items = algorithm.children()?;
        if items.first()?.oid()? != oid::PBES2 {
            return None;
        }
        let parameters = items.get(1)?.children()?;
        let [kdf, encryption] = parameters.as_slice() else {
            return None;
        };

        let kdf = kdf.children()?;
        if kdf.first()?.oid()? != oid::PBKDF2 {
            return None;
        }
        let kdf_parameters = kdf.get(1)?.children()?;
        let salt = kdf_parameters
            .first()
            .filter(|e| e.tag == tag::OCTET_STRING)?
            .content;
        let iterations = kdf_parameters.get(1)?.small_integer()?;
        if iterations > MAX_ITERATIONS {
            return None;
        }
        let iterations = NonZeroU32::new(u32::try_from(iterations).ok()?)?;
        // Optional keyLength (INTEGER), then optional prf (SEQUENCE, default HMAC-SHA1).
        let prf_oid = kdf_parameters[2..]
            .iter()
            .find(|e| e.tag == tag::SEQUENCE)
            .map(|e| e.children().and_then(|c| c.first().and_then(|o| o.oid())))
            .unwrap_or(Some(oid::HMAC_SHA1))?;
        let prf = match prf_oid {
            oid::HMAC_SHA1 => pbkdf2::PBKDF2_HMAC_SHA1,
            oid::HMAC_SHA256 => pbkdf2::PBKDF2_HMAC_SHA256,
            oid::HMAC_SHA384 => pbkdf2::PBKDF2_HMAC_SHA384,
            oid::HMAC_SHA512 => pbkdf2::PBKDF2_HMAC_SHA512,
            _ => return None,
        };

        let encryption = encryption.children()?;
        let (cipher, key_len) = match encryption.first()?.oid()? {
            oid::AES128_CBC => (&cipher::AES_128, cipher::AES_128_KEY_LEN),
            oid::AES192_CBC => (&cipher::AES_192, cipher::AES_192_KEY_LEN),
            oid::AES256_CBC => (&cipher::AES_256, cipher::AES_256_KEY_LEN),
            _ => return None,
        };
        let iv_element = encryption.get(1).filter(|e| e.tag == tag::OCTET_STRING)?;
        let iv: [u8; 16] = iv_element.content.try_into().ok()?;
        Some(Pbes2 {
            prf,
            iterations,
            salt,
            cipher,
            key_len,
            iv,
        })
    }

    fn cipher_key_len(&self) -> usize {
        self.key_len
    }
}

fn wrong_passphrase() -> Error {
    invalid("the encrypted private key could not be decrypted: wrong passphrase or damaged key")
}

fn invalid(message: &str) -> Error {
    Error::plain(ErrorCode::InvalidKey, message)
}
