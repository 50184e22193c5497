//! Matching short names in any ASCII case without allocating a lowered copy.

/// `text` with ASCII letters lowered, written into `buffer`; `None` when it does not fit.
/// Callers size `buffer` to their longest name, so text that does not fit matches none.
pub(crate) fn lowered<'b>(text: &str, buffer: &'b mut [u8]) -> Option<&'b str> {
    let lowered = buffer.get_mut(..text.len())?;
    for (to, from) in lowered.iter_mut().zip(text.bytes()) {
        *to = from.to_ascii_lowercase();
    }
    // Lowering ASCII letters leaves every multi-byte character as it was: still UTF-8.
    std::str::from_utf8(lowered).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lowers_ascii_only_and_refuses_what_does_not_fit() {
        let mut buffer = [0u8; 12];
        assert_eq!(lowered("MilliSeconds", &mut buffer), Some("milliseconds"));
        assert_eq!(lowered("ÅBc", &mut buffer), Some("Åbc"));
        assert_eq!(lowered("", &mut buffer), Some(""));
        assert_eq!(lowered("milliseconds!", &mut buffer), None);
    }
}
