//! Just enough DER to tell key formats apart and to build the few structures we emit (SPKI,
//! PKCS#1 public keys). Parsing never panics: every read is bounds-checked.

/// ASN.1 tags we meet in key files.
pub(crate) mod tag {
    pub const INTEGER: u8 = 0x02;
    pub const BIT_STRING: u8 = 0x03;
    pub const OCTET_STRING: u8 = 0x04;
    pub const NULL: u8 = 0x05;
    pub const OID: u8 = 0x06;
    pub const SEQUENCE: u8 = 0x30;
    /// `[0]` constructed, explicit context tag (SEC1 parameters, X.509 version).
    pub const CONTEXT_0: u8 = 0xa0;
    /// `[1]` constructed, explicit context tag (SEC1 public key).
    pub const CONTEXT_1: u8 = 0xa1;
    /// `[2]` constructed (RSA-PSS salt length).
    pub const CONTEXT_2: u8 = 0xa2;
    /// `[3]` constructed (RSA-PSS trailer field).
    pub const CONTEXT_3: u8 = 0xa3;
}

/// Object identifiers (DER content bytes, without tag and length).
pub(crate) mod oid {
    pub const RSA_ENCRYPTION: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
    pub const RSASSA_PSS: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a];
    pub const EC_PUBLIC_KEY: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
    pub const P256: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
    pub const P384: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x22];
    pub const P521: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x23];
    pub const X25519: &[u8] = &[0x2b, 0x65, 0x6e];
    pub const X448: &[u8] = &[0x2b, 0x65, 0x6f];
    pub const ED25519: &[u8] = &[0x2b, 0x65, 0x70];
    pub const ED448: &[u8] = &[0x2b, 0x65, 0x71];
    pub const DSA: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x38, 0x04, 0x01];
    pub const DH: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x03, 0x01];
    pub const DHX: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3e, 0x02, 0x01];
    pub const MGF1: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x08];
    pub const SHA1: &[u8] = &[0x2b, 0x0e, 0x03, 0x02, 0x1a];
    pub const SHA224: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x04];
    pub const SHA256: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01];
    pub const SHA384: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02];
    pub const SHA512: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03];
    /// `pbeWithSHAAnd3-KeyTripleDES-CBC` (PKCS#12).
    pub const PBE_SHA1_3DES: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x01, 0x03];
    /// `pbeWithSHAAnd2-KeyTripleDES-CBC` (PKCS#12).
    pub const PBE_SHA1_2DES: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x01, 0x04];
    pub const PBES2: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0d];
}

/// One TLV element: its tag, its content and the whole encoding (tag and length included).
#[derive(Clone, Copy)]
pub(crate) struct Element<'a> {
    pub tag: u8,
    pub content: &'a [u8],
    pub whole: &'a [u8],
}

impl<'a> Element<'a> {
    /// The children of a constructed element.
    pub fn children(&self) -> Option<Vec<Element<'a>>> {
        let mut reader = Reader::new(self.content);
        let mut out = Vec::new();
        while !reader.is_empty() {
            out.push(reader.next()?);
        }
        Some(out)
    }

    /// The content of a BIT STRING without its unused-bits byte (which must be 0).
    pub fn bit_string_bytes(&self) -> Option<&'a [u8]> {
        match (self.tag, self.content.split_first()) {
            (tag::BIT_STRING, Some((0, rest))) => Some(rest),
            _ => None,
        }
    }

    /// The magnitude of a non-negative INTEGER, without leading zero bytes.
    pub fn unsigned_integer(&self) -> Option<&'a [u8]> {
        if self.tag != tag::INTEGER || self.content.is_empty() || self.content[0] & 0x80 != 0 {
            return None;
        }
        let first_nonzero = self
            .content
            .iter()
            .position(|&b| b != 0)
            .unwrap_or(self.content.len());
        Some(&self.content[first_nonzero..])
    }

    /// A small non-negative INTEGER (versions, iteration counts).
    pub fn small_integer(&self) -> Option<u64> {
        let magnitude = self.unsigned_integer()?;
        if magnitude.len() > 8 {
            return None;
        }
        Some(
            magnitude
                .iter()
                .fold(0u64, |acc, &b| (acc << 8) | u64::from(b)),
        )
    }

    /// The content of an OID element.
    pub fn oid(&self) -> Option<&'a [u8]> {
        (self.tag == tag::OID).then_some(self.content)
    }
}

/// A cursor over consecutive DER elements.
pub(crate) struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Reader { rest: bytes }
    }

    pub fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    /// Reads the next element; `None` on malformed or truncated input.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Option<Element<'a>> {
        let input = self.rest;
        let (&tag, after_tag) = input.split_first()?;
        if tag & 0x1f == 0x1f {
            return None; // high tag numbers never occur in key files
        }
        let (&first, after_len) = after_tag.split_first()?;
        let (len, header) = if first < 0x80 {
            (usize::from(first), 2)
        } else {
            let count = usize::from(first & 0x7f);
            if count == 0 || count > 4 || after_len.len() < count {
                return None;
            }
            let len = after_len[..count]
                .iter()
                .fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
            (len, 2 + count)
        };
        let end = header.checked_add(len)?;
        if input.len() < end {
            return None;
        }
        self.rest = &input[end..];
        Some(Element {
            tag,
            content: &input[header..end],
            whole: &input[..end],
        })
    }
}

/// Parses `bytes` as exactly one element (no trailing garbage).
pub(crate) fn parse_single(bytes: &[u8]) -> Option<Element<'_>> {
    let mut reader = Reader::new(bytes);
    let element = reader.next()?;
    reader.is_empty().then_some(element)
}

/// Encodes one TLV element.
pub(crate) fn encode(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(content.len() + 6);
    out.push(tag);
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes
            .iter()
            .position(|&b| b != 0)
            .unwrap_or(bytes.len() - 1);
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
    out.extend_from_slice(content);
    out
}

/// Encodes a non-negative INTEGER from its big-endian magnitude.
pub(crate) fn encode_unsigned(magnitude: &[u8]) -> Vec<u8> {
    let first_nonzero = magnitude
        .iter()
        .position(|&b| b != 0)
        .unwrap_or(magnitude.len());
    let trimmed = &magnitude[first_nonzero..];
    // The magnitude may be a private exponent or scalar: the copy is wiped when dropped.
    let mut content = zeroize::Zeroizing::new(Vec::with_capacity(trimmed.len() + 1));
    if trimmed.first().is_none_or(|&b| b & 0x80 != 0) {
        content.push(0);
    }
    content.extend_from_slice(trimmed);
    encode(tag::INTEGER, &content)
}

/// A SubjectPublicKeyInfo for an algorithm identifier (already encoded) and key bytes.
pub(crate) fn spki(algorithm_identifier: &[u8], public_key: &[u8]) -> Vec<u8> {
    let mut bits = Vec::with_capacity(public_key.len() + 1);
    bits.push(0);
    bits.extend_from_slice(public_key);
    let mut content = algorithm_identifier.to_vec();
    content.extend_from_slice(&encode(tag::BIT_STRING, &bits));
    encode(tag::SEQUENCE, &content)
}

/// An AlgorithmIdentifier with an OID and an optional parameter element (already encoded).
pub(crate) fn algorithm_identifier(oid: &[u8], parameters: Option<&[u8]>) -> Vec<u8> {
    let mut content = encode(tag::OID, oid);
    if let Some(parameters) = parameters {
        content.extend_from_slice(parameters);
    }
    encode(tag::SEQUENCE, &content)
}

/// The bit length of a big-endian magnitude.
pub(crate) fn bit_length(magnitude: &[u8]) -> usize {
    match magnitude.iter().position(|&b| b != 0) {
        Some(i) => (magnitude.len() - i - 1) * 8 + (8 - magnitude[i].leading_zeros() as usize),
        None => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_long_lengths_and_integers() {
        let content = vec![7u8; 300];
        let encoded = encode(tag::OCTET_STRING, &content);
        assert_eq!(&encoded[..4], &[0x04, 0x82, 0x01, 0x2c]);
        let element = parse_single(&encoded).unwrap();
        assert_eq!(element.content, &content[..]);
        let int = encode_unsigned(&[0x00, 0x80, 0x01]);
        assert_eq!(int, vec![0x02, 0x03, 0x00, 0x80, 0x01]);
        assert_eq!(
            parse_single(&int).unwrap().unsigned_integer().unwrap(),
            &[0x80, 0x01]
        );
        assert_eq!(bit_length(&[0x00, 0x80, 0x01]), 16);
        assert_eq!(bit_length(&[0x01]), 1);
    }

    #[test]
    fn rejects_truncated_and_trailing_input() {
        assert!(parse_single(&[0x30, 0x05, 0x01]).is_none());
        assert!(parse_single(&[0x05, 0x00, 0x00]).is_none());
        assert!(parse_single(&[]).is_none());
        assert!(parse_single(&[0x30, 0x80]).is_none());
    }
}
