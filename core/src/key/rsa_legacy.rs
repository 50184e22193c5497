//! RSA keys that aws-lc-rs refuses for their size (under 2048 or over 8192 bits), which
//! `jsonwebtoken` still signs with when `allowInsecureKeySizes` is set and always verifies
//! with. Uses the same AWS-LC library through its C API.

use std::ffi::c_int;
use std::ptr::NonNull;

use aws_lc_rs::digest;
use aws_lc_sys as ffi;

use crate::alg::Algorithm;

/// An owned AWS-LC `RSA` object (private or public).
pub(crate) struct LegacyRsa {
    rsa: NonNull<ffi::RSA>,
}

// SAFETY: AWS-LC `RSA` objects may be used from several threads at once for signing and
// verifying (blinding state is locked internally); we never mutate the key after creation.
unsafe impl Send for LegacyRsa {}
unsafe impl Sync for LegacyRsa {}

impl Drop for LegacyRsa {
    fn drop(&mut self) {
        // SAFETY: we own the only reference; RSA_free clears and frees the key material.
        unsafe { ffi::RSA_free(self.rsa.as_ptr()) }
    }
}

impl LegacyRsa {
    /// From a PKCS#1 `RSAPrivateKey` DER; `None` if AWS-LC rejects it.
    pub fn private(pkcs1: &[u8]) -> Option<Self> {
        // SAFETY: pointer and length describe a live slice; the result is owned or null.
        let rsa =
            NonNull::new(unsafe { ffi::RSA_private_key_from_bytes(pkcs1.as_ptr(), pkcs1.len()) })?;
        let key = LegacyRsa { rsa };
        // SAFETY: `rsa` is a valid key object.
        (unsafe { ffi::RSA_check_key(key.rsa.as_ptr()) } == 1).then_some(key)
    }

    /// From a PKCS#1 `RSAPublicKey` DER; `None` if AWS-LC rejects it.
    pub fn public(pkcs1: &[u8]) -> Option<Self> {
        // SAFETY: as above.
        let rsa =
            NonNull::new(unsafe { ffi::RSA_public_key_from_bytes(pkcs1.as_ptr(), pkcs1.len()) })?;
        Some(LegacyRsa { rsa })
    }

    /// Signs with an RS or PS algorithm (PSS salt length = hash length); `None` on failure.
    pub fn sign(&self, alg: Algorithm, message: &[u8]) -> Option<Vec<u8>> {
        let (nid, md, pss) = parameters(alg)?;
        let hash = digest::digest(digest_algorithm(alg)?, message);
        let hash = hash.as_ref();
        // SAFETY: valid key object.
        let size = unsafe { ffi::RSA_size(self.rsa.as_ptr()) } as usize;
        let mut out = vec![0u8; size];
        let ok = if pss {
            let mut out_len = 0usize;
            // SAFETY: `out` has `size` writable bytes; digest and md are valid for the call.
            let ok = unsafe {
                ffi::RSA_sign_pss_mgf1(
                    self.rsa.as_ptr(),
                    &mut out_len,
                    out.as_mut_ptr(),
                    out.len(),
                    hash.as_ptr(),
                    hash.len(),
                    md,
                    md,
                    -1, // salt length = digest length
                )
            };
            out.truncate(out_len);
            ok
        } else {
            let mut out_len: u32 = 0;
            // SAFETY: `out` has RSA_size bytes, which RSA_sign requires.
            let ok = unsafe {
                ffi::RSA_sign(
                    nid,
                    hash.as_ptr(),
                    hash.len(),
                    out.as_mut_ptr(),
                    &mut out_len,
                    self.rsa.as_ptr(),
                )
            };
            out.truncate(out_len as usize);
            ok
        };
        (ok == 1).then_some(out)
    }

    /// Verifies an RS or PS signature; `false` for anything that does not verify.
    pub fn verify(&self, alg: Algorithm, message: &[u8], signature: &[u8]) -> bool {
        let Some((nid, md, pss)) = parameters(alg) else {
            return false;
        };
        let Some(digest_algorithm) = digest_algorithm(alg) else {
            return false;
        };
        let hash = digest::digest(digest_algorithm, message);
        let hash = hash.as_ref();
        // SAFETY: all pointers are valid for the given lengths during the call.
        let ok = unsafe {
            if pss {
                ffi::RSA_verify_pss_mgf1(
                    self.rsa.as_ptr(),
                    hash.as_ptr(),
                    hash.len(),
                    md,
                    md,
                    -1,
                    signature.as_ptr(),
                    signature.len(),
                )
            } else {
                ffi::RSA_verify(
                    nid,
                    hash.as_ptr(),
                    hash.len(),
                    signature.as_ptr(),
                    signature.len(),
                    self.rsa.as_ptr(),
                )
            }
        };
        if ok != 1 {
            // Failed verifications leave an entry on AWS-LC's thread-local error queue.
            // SAFETY: no arguments.
            unsafe { ffi::ERR_clear_error() };
        }
        ok == 1
    }
}

fn parameters(alg: Algorithm) -> Option<(c_int, *const ffi::EVP_MD, bool)> {
    // SAFETY: EVP_sha* return pointers to static method tables.
    Some(unsafe {
        match alg {
            Algorithm::RS256 => (ffi::NID_sha256, ffi::EVP_sha256(), false),
            Algorithm::RS384 => (ffi::NID_sha384, ffi::EVP_sha384(), false),
            Algorithm::RS512 => (ffi::NID_sha512, ffi::EVP_sha512(), false),
            Algorithm::PS256 => (ffi::NID_sha256, ffi::EVP_sha256(), true),
            Algorithm::PS384 => (ffi::NID_sha384, ffi::EVP_sha384(), true),
            Algorithm::PS512 => (ffi::NID_sha512, ffi::EVP_sha512(), true),
            _ => return None,
        }
    })
}

fn digest_algorithm(alg: Algorithm) -> Option<&'static digest::Algorithm> {
    match alg {
        Algorithm::RS256 | Algorithm::PS256 => Some(&digest::SHA256),
        Algorithm::RS384 | Algorithm::PS384 => Some(&digest::SHA384),
        Algorithm::RS512 | Algorithm::PS512 => Some(&digest::SHA512),
        _ => None,
    }
}
