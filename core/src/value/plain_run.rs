//! How far a JSON string's plain characters run: the bytes before the first `"`, `\` or
//! control character, found eight bytes at a time.

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// The length of the longest prefix of `bytes` with no `"`, `\` or byte below 0x20.
pub(super) fn plain_run(bytes: &[u8]) -> usize {
    let mut at = 0;
    while let Some(word) = bytes.get(at..).and_then(<[u8]>::first_chunk::<8>) {
        let specials = specials(u64::from_le_bytes(*word));
        if specials != 0 {
            return at + (specials.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    at + bytes[at..]
        .iter()
        .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
        .unwrap_or(bytes.len() - at)
}

/// The high bit of each byte of `word` (little-endian) that is `"`, `\` or below 0x20. Bytes
/// after the first such byte may be flagged falsely (a borrow runs on), the first never is.
fn specials(word: u64) -> u64 {
    let below = |limit: u8| word.wrapping_sub(ONES * u64::from(limit)) & !word;
    let equal = |byte: u8| {
        let x = word ^ (ONES * u64::from(byte));
        x.wrapping_sub(ONES) & !x
    };
    (below(0x20) | equal(b'"') | equal(b'\\')) & HIGH_BITS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn by_bytes(bytes: &[u8]) -> usize {
        bytes
            .iter()
            .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
            .unwrap_or(bytes.len())
    }

    #[test]
    fn finds_the_first_special_byte_at_every_offset() {
        let specials = [b'"', b'\\', 0x00, 0x1f, b'\n'];
        let plain = [b'a', b' ', 0x20, 0x21, 0x5b, 0x5d, 0x7f, 0x80, 0xe2, 0xff];
        for len in 0..40 {
            for at in 0..=len {
                for &special in &specials {
                    for &filler in &plain {
                        let mut bytes = vec![filler; len];
                        if at < len {
                            bytes[at] = special;
                        }
                        // A second special later must not move the first.
                        if at + 3 < len {
                            bytes[at + 3] = b'"';
                        }
                        assert_eq!(plain_run(&bytes), by_bytes(&bytes), "{bytes:?}");
                    }
                }
            }
        }
    }
}
