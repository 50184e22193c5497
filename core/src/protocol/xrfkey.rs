//! The xrfkey of a QRS call: 16 random characters of `0-9`, `a-z`, `A-Z`, sent as the `xrfkey`
//! query parameter and the `X-Qlik-Xrfkey` header (help.qlik.com, "Using Xrfkey headers").

use super::ClientError;
use crate::qlik::client_managed::proxy_protocol::XRFKEY_LENGTH;

const ALPHABET: &[u8; 62] = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

/// A fresh xrfkey from the system's random source.
pub fn new_xrfkey() -> Result<String, ClientError> {
    let mut key = String::with_capacity(XRFKEY_LENGTH);
    let mut buf = [0u8; 32];
    while key.len() < XRFKEY_LENGTH {
        aws_lc_rs::rand::fill(&mut buf)
            .map_err(|_| ClientError::Protocol("the system's random source failed".into()))?;
        // 248 = 4 * 62: bytes at or past it are dropped, so every character is equally likely.
        for byte in buf.iter().filter(|b| **b < 248) {
            if key.len() == XRFKEY_LENGTH {
                break;
            }
            key.push(char::from(ALPHABET[usize::from(*byte) % ALPHABET.len()]));
        }
    }
    Ok(key)
}

/// Whether `key` has an xrfkey's shape.
pub fn is_xrfkey(key: &str) -> bool {
    key.len() == XRFKEY_LENGTH && key.bytes().all(|b| b.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_have_the_shape_qlik_takes_and_differ() {
        let keys: Vec<String> = (0..20).map(|_| new_xrfkey().unwrap()).collect();
        assert!(keys.iter().all(|k| is_xrfkey(k)), "{keys:?}");
        let mut unique = keys.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), keys.len());
        assert!(!is_xrfkey("abc") && !is_xrfkey("abcdefghijklmno!"));
    }
}
