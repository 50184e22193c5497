//! Assertion ids: Qlik wants a new UUID for every token request. A version 4 UUID is 122 bits
//! from the operating system's CSPRNG, so ids never repeat.

use crate::error::{Error, Result};

/// A fresh random (version 4) UUID in its canonical lower-case form,
/// e.g. `550e8400-e29b-41d4-a716-446655440000`.
pub fn new_uuid_v4() -> Result<String> {
    let mut bytes = [0u8; 16];
    aws_lc_rs::rand::fill(&mut bytes)
        .map_err(|_| Error::internal("the system's random number generator failed"))?;
    bytes[6] = (bytes[6] & 0x0f) | 0x40; // version 4
    bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 9562 variant
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    Ok(format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    ))
}

/// Whether `text` is a UUID in the canonical 8-4-4-4-12 hexadecimal form (either case).
pub fn is_uuid(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 36
        && bytes.iter().enumerate().all(|(at, b)| match at {
            8 | 13 | 18 | 23 => *b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn fresh_uuids_are_version_4_canonical_and_unique() {
        let mut seen = HashSet::new();
        for _ in 0..10_000 {
            let id = new_uuid_v4().unwrap();
            assert!(is_uuid(&id), "{id}");
            assert_eq!(&id[14..15], "4");
            assert!(matches!(&id[19..20], "8" | "9" | "a" | "b"), "{id}");
            assert_eq!(id, id.to_ascii_lowercase());
            assert!(seen.insert(id), "a UUID repeated");
        }
    }

    #[test]
    fn tells_uuids_from_other_ids() {
        assert!(is_uuid("550e8400-e29b-41d4-a716-446655440000"));
        assert!(is_uuid("550E8400-E29B-41D4-A716-446655440000"));
        for other in [
            "",
            "550e8400e29b41d4a716446655440000",
            "550e8400-e29b-41d4-a716-44665544000",
            "550e8400-e29b-41d4-a716-4466554400000",
            "g50e8400-e29b-41d4-a716-446655440000",
            "550e8400-e29b-41d4-a716_446655440000",
            "Uu4OiA0Ui5ZqC1EmQOZe1yv0RbEyAPnRSBNUZDMqLsk",
        ] {
            assert!(!is_uuid(other), "{other}");
        }
    }
}
