//! Token ids: each `jti` is accepted once by Qlik (replay protection), so it must never repeat.

use crate::base64url;
use crate::error::{Error, Result};

/// Random bytes per `jti`, as the tutorial's `uid.sync(32)`.
pub const JTI_BYTES: usize = 32;

/// Characters of a `jti`: 32 bytes in base64url without padding.
pub const JTI_CHARS: usize = 43;

/// A fresh `jti`: [`JTI_BYTES`] bytes from the operating system's CSPRNG, base64url without
/// padding (what `uid-safe` makes).
pub fn new_jti() -> Result<String> {
    let mut bytes = [0u8; JTI_BYTES];
    aws_lc_rs::rand::fill(&mut bytes)
        .map_err(|_| Error::internal("the system's random number generator failed"))?;
    Ok(base64url::encode(&bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn jtis_are_43_url_safe_characters_and_unique() {
        let mut seen = HashSet::new();
        for _ in 0..10_000 {
            let jti = new_jti().unwrap();
            assert_eq!(jti.len(), JTI_CHARS);
            assert!(
                jti.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            );
            assert!(seen.insert(jti), "a jti repeated");
        }
    }

    #[test]
    fn jti_decodes_to_32_bytes() {
        let bytes = base64url::decode(&new_jti().unwrap()).unwrap();
        assert_eq!(bytes.len(), JTI_BYTES);
    }
}
