//! Encrypted PKCS#8 (`ENCRYPTED PRIVATE KEY`): PBES2 with PBKDF2 (HMAC-SHA1/256/384/512) and
//! AES-128/192/256-CBC, which covers what openssl and Node produce by default.

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
    let unbound = UnboundCipherKey::new(scheme.cipher, &key)
        .map_err(|_| Error::internal("AES key setup failed"))?;
    let decrypting = PaddedBlockDecryptingKey::cbc_pkcs7(unbound)
        .map_err(|_| Error::internal("AES-CBC setup failed"))?;
    let mut buffer = Zeroizing::new(data.to_vec());
    let plain_len = decrypting
        .decrypt(
            &mut buffer,
            DecryptionContext::Iv128(FixedLength::from(scheme.iv)),
        )
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
