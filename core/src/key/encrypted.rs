//! Encrypted private keys, decrypted with RustCrypto's crates:
//!
//! - PKCS#8 `ENCRYPTED PRIVATE KEY` with PBES2: PBKDF2 with HMAC-SHA1/224/256/384/512 or scrypt,
//!   then AES-CBC or DES-EDE3-CBC (`pkcs5`). This is what `openssl pkcs8 -topk8` writes by
//!   default (`-v2 aes-256-cbc`), with `-v2 <cipher>`, `-v2prf`, `-scrypt`, and what Node
//!   exports. The further requests OpenSSL 3 writes and Node reads are run here from the key
//!   derivation `pkcs5` parses: AES, Camellia, ARIA and SM4 in ECB, CBC, CFB and OFB mode,
//!   Camellia, ARIA and SM4 in CTR mode, two-key DES-EDE in ECB mode (`cbc`, `ecb`, `cfb-mode`,
//!   `ofb`, `ctr` over `aes`, `camellia`, `aria`, `sm4`, `des`); and PBKDF2 with the HMAC-MD5,
//!   HMAC-SHA-512/224 and HMAC-SHA-512/256 PRFs, whose parameters `pkcs5` does not parse and are
//!   read here, then run by `pbkdf2`.
//! - PKCS#8 with the PKCS#12 password-based schemes `pbeWithSHAAnd3-KeyTripleDES-CBC` and
//!   `pbeWithSHAAnd2-KeyTripleDES-CBC` (`openssl pkcs8 -topk8 -v1 PBE-SHA1-3DES`/`-2DES`):
//!   the RFC 7292 key derivation of the `pkcs12` crate, then `des` in `cbc` mode.
//! - Legacy OpenSSL PEM encryption (`Proc-Type: 4,ENCRYPTED`, `DEK-Info`), as `openssl rsa
//!   -aes256`/`-des3`/`-camellia256`/`-sm4-ctr`/`-aes-128-cfb8`… and Node's PKCS#1/SEC1 export
//!   with a cipher write it: OpenSSL's `EVP_BytesToKey` (one MD5 pass, the IV's first 8 bytes as
//!   salt), then the cipher in CBC, CFB, CFB8 (`cfb8`), CFB1, OFB or CTR mode. `EVP_BytesToKey`
//!   is a few lines over the `md-5` crate, written here because no maintained crate offers it.
//!   So is the 1-bit CFB mode (`-aes-128-cfb1`…, which Node reads): no RustCrypto crate runs it,
//!   and it is a short loop over the crate's block cipher ([`cfb1_decrypt`]), checked against
//!   OpenSSL's own files in the key-form table.
//!
//! Schemes Node reads only through OpenSSL's legacy provider (DES-CBC, RC2, RC4) are refused,
//! as Node refuses them.

use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::consts::{U16, U256};
use cbc::cipher::typenum::{IsLess, Le, NonZero};
use cbc::cipher::{
    AsyncStreamCipher as _, BlockCipher, BlockDecryptMut, BlockEncryptMut, BlockSizeUser, KeyInit,
    KeyIvInit, StreamCipher as _,
};
use md5::{Digest as _, Md5};
use pkcs5::der::Decode as _;
use pkcs5::pbes2;
use zeroize::{Zeroize as _, Zeroizing};

use super::der::{self, Element, oid, tag};
use crate::error::{Error, ErrorCode, Result};

/// Most PBKDF2 or PKCS#12 iterations we run: far above any tool's default, low enough that a
/// hostile key file cannot stall a process for minutes.
const MAX_ITERATIONS: u64 = 10_000_000;

/// Most memory scrypt may take, as OpenSSL's default limit (`SCRYPT_MAX_MEM`, 32 MiB): a key
/// that needs more fails in Node as well.
const MAX_SCRYPT_MEMORY: u64 = 32 * 1024 * 1024;

/// Decrypts an `EncryptedPrivateKeyInfo` into the plain PKCS#8 DER.
pub(crate) fn decrypt(
    algorithm: &Element<'_>,
    data: &[u8],
    passphrase: Option<&[u8]>,
) -> Result<Zeroizing<Vec<u8>>> {
    let passphrase = passphrase.ok_or_else(passphrase_required)?;
    let scheme_oid = algorithm
        .children()
        .and_then(|items| items.first().and_then(Element::oid));
    match scheme_oid {
        Some(oid::PBES2) => decrypt_pbes2(algorithm, data, passphrase),
        Some(oid::PBE_SHA1_3DES) => {
            decrypt_pkcs12_pbe::<des::TdesEde3>(algorithm, data, passphrase)
        }
        Some(oid::PBE_SHA1_2DES) => {
            decrypt_pkcs12_pbe::<des::TdesEde2>(algorithm, data, passphrase)
        }
        _ => Err(unsupported_scheme()),
    }
}

fn decrypt_pbes2(
    algorithm: &Element<'_>,
    data: &[u8],
    passphrase: &[u8],
) -> Result<Zeroizing<Vec<u8>>> {
    let Ok(scheme) = pkcs5::EncryptionScheme::try_from(algorithm.whole) else {
        return decrypt_pbes2_other_cipher(algorithm, data, passphrase);
    };
    let parameters = scheme.pbes2().ok_or_else(unsupported_scheme)?;
    if !affordable(&parameters.kdf) {
        return Err(unsupported_scheme());
    }
    let mut buffer = Zeroizing::new(data.to_vec());
    let plain_len = parameters
        .decrypt_in_place(passphrase, &mut buffer)
        .map_err(|error| match error {
            // pkcs5 0.7 reports bad padding (a wrong passphrase) as `EncryptFailed`.
            pkcs5::Error::DecryptFailed | pkcs5::Error::EncryptFailed => wrong_passphrase(),
            _ => unsupported_scheme(),
        })?
        .len();
    buffer.truncate(plain_len);
    checked_structure(buffer)
}

/// PBES2 with a cipher `pkcs5` does not know (Camellia, ARIA): `pkcs5` parses the key
/// derivation, `pbkdf2` or `scrypt` runs it.
fn decrypt_pbes2_other_cipher(
    algorithm: &Element<'_>,
    data: &[u8],
    passphrase: &[u8],
) -> Result<Zeroizing<Vec<u8>>> {
    let items = algorithm.children().ok_or_else(unsupported_scheme)?;
    let parameters = items.get(1).and_then(Element::children);
    let Some([kdf_element, encryption]) = parameters.as_deref() else {
        return Err(unsupported_scheme());
    };
    let encryption = encryption.children().unwrap_or_default();
    let (Some(cipher), Some(iv)) = (
        encryption
            .first()
            .and_then(Element::oid)
            .and_then(Cipher::from_oid),
        encryption.get(1).filter(|e| e.tag == tag::OCTET_STRING),
    ) else {
        return Err(unsupported_scheme());
    };
    if iv.content.len() != cipher.iv_len() {
        return Err(unsupported_scheme());
    }
    let key = match pbes2::Kdf::from_der(kdf_element.whole) {
        Ok(kdf) => {
            let key_length_fits = kdf
                .key_length()
                .is_none_or(|len| usize::from(len) == cipher.key_len());
            if !affordable(&kdf) || !key_length_fits {
                return Err(unsupported_scheme());
            }
            derive_key(&kdf, passphrase, cipher.key_len())?
        }
        // `pkcs5` knows the SHA-1 and SHA-2 PRFs only.
        Err(_) => derive_key_other_prf(kdf_element, passphrase, cipher.key_len())?,
    };
    cipher.decrypt(&key, iv.content, data)
}

/// PBKDF2 or scrypt as PBES2 describes it, into a key of `len` bytes.
fn derive_key(kdf: &pbes2::Kdf<'_>, passphrase: &[u8], len: usize) -> Result<Zeroizing<Vec<u8>>> {
    use pbkdf2::pbkdf2_hmac;
    let mut key = Zeroizing::new(vec![0u8; len]);
    match kdf {
        pbes2::Kdf::Pbkdf2(parameters) => {
            let (salt, rounds) = (parameters.salt, parameters.iteration_count);
            match parameters.prf {
                pbes2::Pbkdf2Prf::HmacWithSha1 => {
                    pbkdf2_hmac::<sha1::Sha1>(passphrase, salt, rounds, &mut key);
                }
                pbes2::Pbkdf2Prf::HmacWithSha224 => {
                    pbkdf2_hmac::<sha2::Sha224>(passphrase, salt, rounds, &mut key);
                }
                pbes2::Pbkdf2Prf::HmacWithSha256 => {
                    pbkdf2_hmac::<sha2::Sha256>(passphrase, salt, rounds, &mut key);
                }
                pbes2::Pbkdf2Prf::HmacWithSha384 => {
                    pbkdf2_hmac::<sha2::Sha384>(passphrase, salt, rounds, &mut key);
                }
                pbes2::Pbkdf2Prf::HmacWithSha512 => {
                    pbkdf2_hmac::<sha2::Sha512>(passphrase, salt, rounds, &mut key);
                }
                _ => return Err(unsupported_scheme()),
            }
        }
        pbes2::Kdf::Scrypt(parameters) => {
            let cost =
                pkcs5::scrypt::Params::try_from(parameters).map_err(|_| unsupported_scheme())?;
            pkcs5::scrypt::scrypt(passphrase, parameters.salt, &cost, &mut key)
                .map_err(|_| unsupported_scheme())?;
        }
        _ => return Err(unsupported_scheme()),
    }
    Ok(key)
}

/// `id-PBKDF2`, 1.2.840.113549.1.5.12.
const PBKDF2: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0c];
/// The RSADSI digest arc, 1.2.840.113549.2: 6 `hmacWithMD5`, 12 `hmacWithSHA512-224`, 13
/// `hmacWithSHA512-256` (the PRFs OpenSSL's `-v2prf` offers beyond those `pkcs5` knows).
const HMAC_PREFIX: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02];

/// PBKDF2 with a PRF `pkcs5` does not parse: `PBKDF2-params` read here, `pbkdf2` runs it.
fn derive_key_other_prf(
    kdf: &Element<'_>,
    passphrase: &[u8],
    len: usize,
) -> Result<Zeroizing<Vec<u8>>> {
    use pbkdf2::pbkdf2_hmac;
    let items = kdf.children().ok_or_else(unsupported_scheme)?;
    let (Some(PBKDF2), Some(parameters)) = (
        items.first().and_then(Element::oid),
        items.get(1).and_then(Element::children),
    ) else {
        return Err(unsupported_scheme());
    };
    let (salt, rounds, rest) = match parameters.as_slice() {
        [salt, rounds, rest @ ..] if salt.tag == tag::OCTET_STRING => (salt.content, rounds, rest),
        _ => return Err(unsupported_scheme()),
    };
    let rounds = rounds
        .small_integer()
        .filter(|&n| n > 0 && n <= MAX_ITERATIONS)
        .and_then(|n| u32::try_from(n).ok())
        .ok_or_else(unsupported_scheme)?;
    let prf = match rest {
        [prf] => prf,
        [key_length, prf] if key_length.small_integer() == u64::try_from(len).ok() => prf,
        _ => return Err(unsupported_scheme()),
    };
    let prf_arc = prf
        .children()
        .and_then(|items| items.first().and_then(Element::oid))
        .and_then(|oid| oid.strip_prefix(HMAC_PREFIX));
    let mut key = Zeroizing::new(vec![0u8; len]);
    match prf_arc {
        Some([6]) => pbkdf2_hmac::<Md5>(passphrase, salt, rounds, &mut key),
        Some([12]) => pbkdf2_hmac::<sha2::Sha512_224>(passphrase, salt, rounds, &mut key),
        Some([13]) => pbkdf2_hmac::<sha2::Sha512_256>(passphrase, salt, rounds, &mut key),
        _ => return Err(unsupported_scheme()),
    }
    Ok(key)
}

/// Whether the key derivation's cost stays within what OpenSSL (and so Node) would run.
fn affordable(kdf: &pbes2::Kdf<'_>) -> bool {
    match kdf {
        pbes2::Kdf::Pbkdf2(parameters) => u64::from(parameters.iteration_count) <= MAX_ITERATIONS,
        pbes2::Kdf::Scrypt(parameters) => {
            let n = parameters.cost_parameter;
            let r = u64::from(parameters.block_size);
            let p = u64::from(parameters.parallelization);
            // OpenSSL's estimate: 128·r·(N + 2 + p) bytes.
            n.checked_add(2 + p)
                .and_then(|blocks| blocks.checked_mul(128 * r))
                .is_some_and(|bytes| bytes <= MAX_SCRYPT_MEMORY)
        }
        _ => false,
    }
}

/// RFC 7292's PKCS#12 password-based encryption with SHA-1 and a DES-EDE cipher.
fn decrypt_pkcs12_pbe<C>(
    algorithm: &Element<'_>,
    data: &[u8],
    passphrase: &[u8],
) -> Result<Zeroizing<Vec<u8>>>
where
    C: BlockCipher + BlockDecryptMut + KeyInit,
{
    let (salt, iterations) = pkcs12_parameters(algorithm).ok_or_else(unsupported_scheme)?;
    let password = bmp_password(passphrase);
    let derive = |id, len| {
        Zeroizing::new(pkcs12::kdf::derive_key::<sha1::Sha1>(
            &password, salt, id, iterations, len,
        ))
    };
    let key = derive(pkcs12::kdf::Pkcs12KeyType::EncryptionKey, C::key_size());
    let iv = derive(pkcs12::kdf::Pkcs12KeyType::Iv, C::block_size());
    cbc_decrypt::<C>(&key, &iv, data)
}

/// `pkcs-12PbeParams`: `SEQUENCE { salt OCTET STRING, iterations INTEGER }`.
fn pkcs12_parameters<'a>(algorithm: &Element<'a>) -> Option<(&'a [u8], i32)> {
    let items = algorithm.children()?;
    let parameters = items.get(1)?.children()?;
    let [salt, iterations] = parameters.as_slice() else {
        return None;
    };
    if salt.tag != tag::OCTET_STRING {
        return None;
    }
    let iterations = iterations.small_integer()?;
    if iterations == 0 || iterations > MAX_ITERATIONS {
        return None;
    }
    Some((salt.content, i32::try_from(iterations).ok()?))
}

/// The password as the PKCS#12 key derivation takes it: UTF-16BE with a terminating zero, as
/// OpenSSL converts a UTF-8 passphrase (and, for bytes that are not UTF-8, each byte widened).
fn bmp_password(passphrase: &[u8]) -> Zeroizing<Vec<u8>> {
    let mut out = Zeroizing::new(Vec::with_capacity(passphrase.len() * 2 + 2));
    match std::str::from_utf8(passphrase) {
        Ok(text) => text
            .encode_utf16()
            .for_each(|unit| out.extend_from_slice(&unit.to_be_bytes())),
        Err(_) => passphrase
            .iter()
            .for_each(|&b| out.extend_from_slice(&[0, b])),
    }
    out.extend_from_slice(&[0, 0]);
    out
}

/// Decrypts the body of a legacy encrypted PEM block given its `DEK-Info` value.
pub(crate) fn decrypt_legacy_pem(
    dek_info: &str,
    data: &[u8],
    passphrase: Option<&[u8]>,
) -> Result<Zeroizing<Vec<u8>>> {
    let passphrase = passphrase.ok_or_else(passphrase_required)?;
    let (cipher_name, iv_hex) = dek_info.split_once(',').unwrap_or((dek_info, ""));
    let Some(cipher) = Cipher::from_dek_info_name(cipher_name.trim()) else {
        return Err(invalid(
            "the private key is encrypted the legacy OpenSSL way with a cipher other than \
             AES, DES-EDE3, DES-EDE, Camellia, ARIA or SM4 in CBC, CFB, CFB8, CFB1, OFB or CTR mode: \
             convert it with `openssl pkcs8 -topk8 -v2 aes-256-cbc -in key.pem -out \
             key-pkcs8.pem`",
        ));
    };
    let iv = hex(iv_hex.trim())
        .filter(|iv| iv.len() == cipher.iv_len())
        .ok_or_else(|| invalid("the DEK-Info header of the encrypted PEM block is malformed"))?;
    let key = bytes_to_key(passphrase, &iv[..8], cipher.key_len());
    cipher.decrypt(&key, &iv, data)
}

/// A block cipher keys are encrypted with, beyond the AES-CBC and DES-EDE3-CBC `pkcs5` runs itself.
#[derive(Clone, Copy)]
enum Block {
    Aes128,
    Aes192,
    Aes256,
    /// Three-key triple DES.
    DesEde3,
    /// Two-key triple DES.
    DesEde,
    Camellia128,
    Camellia192,
    Camellia256,
    Aria128,
    Aria192,
    Aria256,
    Sm4,
}

/// The mode of operation, as OpenSSL runs it: ECB and CBC with PKCS#7 padding, the others as
/// stream modes without padding; CFB is full-block feedback, CTR a 128-bit big-endian counter.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Ecb,
    Cbc,
    Cfb,
    Cfb8,
    Cfb1,
    Ofb,
    Ctr,
}

/// A cipher and its mode.
#[derive(Clone, Copy)]
struct Cipher {
    block: Block,
    mode: Mode,
}

/// The AES arc, 2.16.840.1.101.3.4.1: 1-4 ECB, CBC, OFB, CFB for 128 bits, 21-24 and 41-44 for
/// 192 and 256.
const AES_PREFIX: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01];
/// `camellia128-cbc` (RFC 3657), 1.2.392.200011.61.1.1.1.2; 192 and 256 end in 3 and 4.
const CAMELLIA_CBC_PREFIX: &[u8] = &[0x2a, 0x83, 0x08, 0x8c, 0x9a, 0x4b, 0x3d, 0x01, 0x01, 0x01];
/// Camellia's other modes, 0.3.4401.5.3.1.9: 1, 3, 4, 9 ECB, OFB, CFB, CTR for 128 bits, then
/// 21-29 and 41-49 for 192 and 256.
const CAMELLIA_PREFIX: &[u8] = &[0x03, 0xa2, 0x31, 0x05, 0x03, 0x01, 0x09];
/// ARIA (RFC 5794), 1.2.410.200046.1.1: 1-5 ECB, CBC, CFB, OFB, CTR for 128 bits, 6-10 and 11-15
/// for 192 and 256.
const ARIA_PREFIX: &[u8] = &[0x2a, 0x83, 0x1a, 0x8c, 0x9a, 0x6e, 0x01, 0x01];
/// SM4 (GB/T 32907), 1.2.156.10197.1.104: 1 ECB, 2 CBC, 3 OFB, 4 CFB, 7 CTR.
const SM4_PREFIX: &[u8] = &[0x2a, 0x81, 0x1c, 0xcf, 0x55, 0x01, 0x68];
/// `desEDE` (two-key triple DES in ECB mode), 1.3.14.3.2.17.
const DES_EDE_ECB: &[u8] = &[0x2b, 0x0e, 0x03, 0x02, 0x11];
/// `des-ede3-cbc`, 1.2.840.113549.3.7 (reached here when `pkcs5` refuses the PRF).
const DES_EDE3_CBC: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x03, 0x07];

impl Cipher {
    const fn new(block: Block, mode: Mode) -> Self {
        Cipher { block, mode }
    }

    /// A `DEK-Info` cipher name, as OpenSSL writes it (`AES-128-CBC`, `SM4-CTR`,
    /// `DES-EDE3-CFB8`…). ECB is absent: OpenSSL cannot write a PEM block without an IV.
    fn from_dek_info_name(name: &str) -> Option<Self> {
        let name = name.to_ascii_uppercase();
        let (block, mode) = name.rsplit_once('-')?;
        let mode = match mode {
            "CBC" => Mode::Cbc,
            "CFB" => Mode::Cfb,
            "CFB8" => Mode::Cfb8,
            "CFB1" => Mode::Cfb1,
            "OFB" => Mode::Ofb,
            "CTR" => Mode::Ctr,
            _ => return None,
        };
        let block = match block {
            "AES-128" => Block::Aes128,
            "AES-192" => Block::Aes192,
            "AES-256" => Block::Aes256,
            "DES-EDE3" => Block::DesEde3,
            "DES-EDE" => Block::DesEde,
            "CAMELLIA-128" => Block::Camellia128,
            "CAMELLIA-192" => Block::Camellia192,
            "CAMELLIA-256" => Block::Camellia256,
            "ARIA-128" => Block::Aria128,
            "ARIA-192" => Block::Aria192,
            "ARIA-256" => Block::Aria256,
            "SM4" => Block::Sm4,
            _ => return None,
        };
        Some(Cipher::new(block, mode))
    }

    /// A PBES2 encryption scheme OID.
    fn from_oid(oid: &[u8]) -> Option<Self> {
        use Block::*;
        use Mode::*;
        let sized = |arc: u8, step: u8, blocks: [Block; 3]| {
            let size = usize::from(arc.checked_sub(1)? / step);
            Some((*blocks.get(size)?, (arc - 1) % step + 1))
        };
        if oid == DES_EDE_ECB {
            return Some(Cipher::new(DesEde, Ecb));
        }
        if oid == DES_EDE3_CBC {
            return Some(Cipher::new(DesEde3, Cbc));
        }
        if let Some(&[arc]) = oid.strip_prefix(AES_PREFIX) {
            let (block, mode) = sized(arc, 20, [Aes128, Aes192, Aes256])?;
            let mode = [Ecb, Cbc, Ofb, Cfb].get(usize::from(mode).checked_sub(1)?)?;
            return Some(Cipher::new(block, *mode));
        }
        if let Some(&[arc]) = oid.strip_prefix(CAMELLIA_CBC_PREFIX) {
            let block =
                [Camellia128, Camellia192, Camellia256].get(usize::from(arc.checked_sub(2)?))?;
            return Some(Cipher::new(*block, Cbc));
        }
        if let Some(&[arc]) = oid.strip_prefix(CAMELLIA_PREFIX) {
            let (block, mode) = sized(arc, 20, [Camellia128, Camellia192, Camellia256])?;
            let mode = match mode {
                1 => Ecb,
                3 => Ofb,
                4 => Cfb,
                9 => Ctr,
                _ => return None,
            };
            return Some(Cipher::new(block, mode));
        }
        if let Some(&[arc]) = oid.strip_prefix(ARIA_PREFIX) {
            let (block, mode) = sized(arc, 5, [Aria128, Aria192, Aria256])?;
            let mode = [Ecb, Cbc, Cfb, Ofb, Ctr].get(usize::from(mode).checked_sub(1)?)?;
            return Some(Cipher::new(block, *mode));
        }
        let mode = match oid.strip_prefix(SM4_PREFIX)? {
            [1] => Ecb,
            [2] => Cbc,
            [3] => Ofb,
            [4] => Cfb,
            [7] => Ctr,
            _ => return None,
        };
        Some(Cipher::new(Sm4, mode))
    }

    fn key_len(self) -> usize {
        use Block::*;
        match self.block {
            Aes128 | Camellia128 | Aria128 | Sm4 | DesEde => 16,
            Aes192 | DesEde3 | Camellia192 | Aria192 => 24,
            Aes256 | Camellia256 | Aria256 => 32,
        }
    }

    fn iv_len(self) -> usize {
        match (self.mode, self.block) {
            (Mode::Ecb, _) => 0,
            (_, Block::DesEde3 | Block::DesEde) => 8,
            _ => 16,
        }
    }

    fn decrypt(self, key: &[u8], iv: &[u8], data: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
        use Block::*;
        let mode = self.mode;
        match self.block {
            Aes128 => decrypt_block128::<aes::Aes128>(mode, key, iv, data),
            Aes192 => decrypt_block128::<aes::Aes192>(mode, key, iv, data),
            Aes256 => decrypt_block128::<aes::Aes256>(mode, key, iv, data),
            Camellia128 => decrypt_block128::<camellia::Camellia128>(mode, key, iv, data),
            Camellia192 => decrypt_block128::<camellia::Camellia192>(mode, key, iv, data),
            Camellia256 => decrypt_block128::<camellia::Camellia256>(mode, key, iv, data),
            Aria128 => decrypt_block128::<aria::Aria128>(mode, key, iv, data),
            Aria192 => decrypt_block128::<aria::Aria192>(mode, key, iv, data),
            Aria256 => decrypt_block128::<aria::Aria256>(mode, key, iv, data),
            Sm4 => decrypt_block128::<sm4::Sm4>(mode, key, iv, data),
            DesEde3 => decrypt_any_block::<des::TdesEde3>(mode, key, iv, data),
            DesEde => decrypt_any_block::<des::TdesEde2>(mode, key, iv, data),
        }
    }
}

/// A cipher with 128-bit blocks: every mode, CTR included.
fn decrypt_block128<C>(mode: Mode, key: &[u8], iv: &[u8], data: &[u8]) -> Result<Zeroizing<Vec<u8>>>
where
    C: BlockCipher + BlockEncryptMut + BlockDecryptMut + KeyInit + BlockSizeUser<BlockSize = U16>,
{
    if mode != Mode::Ctr {
        return decrypt_any_block::<C>(mode, key, iv, data);
    }
    let mut buffer = Zeroizing::new(data.to_vec());
    ctr::Ctr128BE::<C>::new_from_slices(key, iv)
        .map_err(|_| Error::internal("CTR cipher setup failed"))?
        .apply_keystream(&mut buffer);
    checked_structure(buffer)
}

/// Any block size; CTR is refused (OpenSSL has no 64-bit-block CTR cipher).
fn decrypt_any_block<C>(
    mode: Mode,
    key: &[u8],
    iv: &[u8],
    data: &[u8],
) -> Result<Zeroizing<Vec<u8>>>
where
    C: BlockCipher + BlockEncryptMut + BlockDecryptMut + KeyInit,
    C::BlockSize: IsLess<U256>,
    Le<C::BlockSize, U256>: NonZero,
{
    let setup_failed = |_| Error::internal("block cipher setup failed");
    let mut buffer = Zeroizing::new(data.to_vec());
    match mode {
        Mode::Cbc => return cbc_decrypt::<C>(key, iv, data),
        Mode::Ecb => {
            let plain_len = ecb::Decryptor::<C>::new_from_slice(key)
                .map_err(setup_failed)?
                .decrypt_padded_mut::<Pkcs7>(&mut buffer)
                .map_err(|_| wrong_passphrase())?
                .len();
            buffer.truncate(plain_len);
        }
        Mode::Cfb => cfb_mode::Decryptor::<C>::new_from_slices(key, iv)
            .map_err(setup_failed)?
            .decrypt(&mut buffer),
        Mode::Cfb8 => cfb8::Decryptor::<C>::new_from_slices(key, iv)
            .map_err(setup_failed)?
            .decrypt(&mut buffer),
        Mode::Cfb1 => cfb1_decrypt::<C>(key, iv, &mut buffer)?,
        Mode::Ofb => ofb::Ofb::<C>::new_from_slices(key, iv)
            .map_err(setup_failed)?
            .apply_keystream(&mut buffer),
        Mode::Ctr => return Err(unsupported_scheme()),
    }
    checked_structure(buffer)
}

/// 1-bit CFB decryption (NIST SP 800-38A, 6.3, with s = 1), as OpenSSL runs it: each bit of the
/// ciphertext, most significant first, is XORed with the top bit of the encrypted shift register,
/// then shifted into the register. One block encryption per bit: a key file is a few kilobytes.
fn cfb1_decrypt<C>(key: &[u8], iv: &[u8], data: &mut [u8]) -> Result<()>
where
    C: BlockEncryptMut + KeyInit,
{
    let mut cipher =
        C::new_from_slice(key).map_err(|_| Error::internal("CFB1 cipher setup failed"))?;
    let mut register = cbc::cipher::Block::<C>::default();
    if iv.len() != register.len() {
        return Err(Error::internal("CFB1 IV of the wrong size"));
    }
    register.copy_from_slice(iv);
    let mut keystream = cbc::cipher::Block::<C>::default();
    for byte in data.iter_mut() {
        let mut plain = 0u8;
        for bit in (0..8).rev() {
            cipher.encrypt_block_b2b_mut(&register, &mut keystream);
            let cipher_bit = (*byte >> bit) & 1;
            plain |= (cipher_bit ^ (keystream[0] >> 7)) << bit;
            shift_in_bit(&mut register, cipher_bit);
        }
        *byte = plain;
    }
    // The register holds ciphertext only, the keystream is key-derived: wiped all the same.
    register.as_mut_slice().zeroize();
    keystream.as_mut_slice().zeroize();
    Ok(())
}

/// Shifts `block` left by one bit, the new bit entering at the end.
fn shift_in_bit(block: &mut [u8], bit: u8) {
    let mut carry = bit;
    for byte in block.iter_mut().rev() {
        let out = *byte >> 7;
        *byte = (*byte << 1) | carry;
        carry = out;
    }
}

/// OpenSSL's `EVP_BytesToKey` with MD5 and one iteration:
/// `D_i = MD5(D_{i-1} || passphrase || salt)`, concatenated.
fn bytes_to_key(passphrase: &[u8], salt: &[u8], len: usize) -> Zeroizing<Vec<u8>> {
    let mut key = Zeroizing::new(Vec::with_capacity(len + 16));
    let mut previous = Zeroizing::new([0u8; 16]);
    while key.len() < len {
        let mut md5 = Md5::new();
        if !key.is_empty() {
            md5.update(&previous[..]);
        }
        md5.update(passphrase);
        md5.update(salt);
        md5.finalize_into((&mut previous[..]).into());
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

fn cbc_decrypt<C>(key: &[u8], iv: &[u8], data: &[u8]) -> Result<Zeroizing<Vec<u8>>>
where
    C: BlockCipher + BlockDecryptMut + KeyInit,
{
    let decryptor = cbc::Decryptor::<C>::new_from_slices(key, iv)
        .map_err(|_| Error::internal("CBC cipher setup failed"))?;
    let mut buffer = Zeroizing::new(data.to_vec());
    let plain_len = decryptor
        .decrypt_padded_mut::<Pkcs7>(&mut buffer)
        .map_err(|_| wrong_passphrase())?
        .len();
    buffer.truncate(plain_len);
    checked_structure(buffer)
}

/// A wrong passphrase passes the padding check about 1 time in 256: check the structure too.
fn checked_structure(plain: Zeroizing<Vec<u8>>) -> Result<Zeroizing<Vec<u8>>> {
    if der::parse_single(&plain).is_none_or(|e| e.tag != tag::SEQUENCE) {
        return Err(wrong_passphrase());
    }
    Ok(plain)
}

fn passphrase_required() -> Error {
    invalid("the private key is encrypted: a passphrase is required")
}

fn unsupported_scheme() -> Error {
    invalid(
        "the encrypted private key uses an unsupported scheme: expected PBES2 (PBKDF2 with \
         HMAC-SHA1/SHA-2/MD5, or scrypt) with AES, DES-EDE3, Camellia, ARIA or SM4 (in ECB, \
         CBC, CFB, OFB or CTR mode), or PKCS#12 PBE with SHA-1 and DES-EDE (re-encrypt it with \
         `openssl pkcs8 -topk8 -v2 aes-256-cbc`)",
    )
}

fn wrong_passphrase() -> Error {
    invalid("the encrypted private key could not be decrypted: wrong passphrase or damaged key")
}

fn invalid(message: &str) -> Error {
    Error::plain(ErrorCode::InvalidKey, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pkcs12_passphrase_is_read_as_openssl_reads_it() {
        // UTF-8 text becomes UTF-16 (beyond the BMP as surrogate pairs); other bytes widen.
        assert_eq!(
            &bmp_password("aé😀".as_bytes())[..],
            &[0, 0x61, 0, 0xe9, 0xd8, 0x3d, 0xde, 0x00, 0, 0][..]
        );
        assert_eq!(
            &bmp_password(&[0xff, 0x41])[..],
            &[0, 0xff, 0, 0x41, 0, 0][..]
        );
    }

    #[test]
    fn evp_bytes_to_key_matches_openssl() {
        // `openssl enc -aes-256-cbc -P -md md5 -S 0102030405060708 -pass pass:secret`
        let key = bytes_to_key(b"secret", &[1, 2, 3, 4, 5, 6, 7, 8], 32);
        assert_eq!(hex_of(&key), EXPECTED_KEY);
    }

    fn hex_of(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02X}")).collect()
    }

    const EXPECTED_KEY: &str = "C9E5A1BD216DBE1317E230CEF48F38EE7F0E17AD64022144BCCEC4A1AA2879AB";
}
