//! PEM text: `-----BEGIN LABEL-----`, base64, `-----END LABEL-----`, in two syntaxes: what
//! OpenSSL (and so Node) accepts, and a lenient one that also takes a PEM squeezed onto one
//! line (as Qlik's console shows keys), indented, or with literal `\n` escapes (as keys pasted
//! into JSON or environment variables carry). Legacy encryption headers are read, not applied.

use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use zeroize::Zeroizing;

use crate::error::{Error, ErrorCode, Result};

/// One decoded PEM block.
pub(crate) struct Block {
    /// The label, e.g. `PRIVATE KEY`.
    pub label: String,
    /// The decoded DER bytes (still encrypted when `dek_info` is set).
    pub der: Zeroizing<Vec<u8>>,
    /// For a block encrypted the legacy OpenSSL way (`Proc-Type: 4,ENCRYPTED`), the value of
    /// its `DEK-Info` header, e.g. `AES-256-CBC,<hex IV>`.
    pub dek_info: Option<String>,
}

const BEGIN: &str = "-----BEGIN ";
const DASHES: &str = "-----";

const BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Whether these bytes look like PEM text (a `-----BEGIN ` marker somewhere).
pub(crate) fn looks_like_pem(bytes: &[u8]) -> bool {
    bytes.windows(BEGIN.len()).any(|w| w == BEGIN.as_bytes())
}

/// How forgiving PEM parsing is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum PemSyntax {
    /// What OpenSSL, and so Node's `createPrivateKey`/`createPublicKey`, accepts: the BEGIN
    /// and END lines each on a line of their own, starting at the line's first character.
    /// Whitespace inside the base64 lines, CRLF and long lines are fine.
    OpenSsl,
    /// Also a PEM squeezed onto one line (as Qlik's console shows keys), indented, or with
    /// literal `\n` escapes (as keys pasted into JSON or environment variables carry).
    #[default]
    Lenient,
}

/// Decodes every PEM block in `text`, in order. Fails on a block that is not terminated or
/// has bad base64, or when no block is found.
pub(crate) fn decode_all(text: &[u8], syntax: PemSyntax) -> Result<Vec<Block>> {
    let text = std::str::from_utf8(text)
        .map_err(|_| invalid("the PEM text is not valid UTF-8".to_string()))?;
    let strict = syntax == PemSyntax::OpenSsl;
    let mut blocks = Vec::new();
    let mut rest = text;
    let mut at_line_start = true;
    while let Some(start) = rest.find(BEGIN) {
        let begins_line = if start == 0 {
            at_line_start
        } else {
            rest.as_bytes()[start - 1] == b'\n'
        };
        let after_begin = &rest[start + BEGIN.len()..];
        let Some(label_end) = after_begin.find(DASHES) else {
            return Err(invalid(
                "a PEM BEGIN line is not closed by -----".to_string(),
            ));
        };
        let label = after_begin[..label_end].trim().to_string();
        let mut body_start = &after_begin[label_end + DASHES.len()..];
        if strict {
            let line_end = body_start.find('\n');
            let rest_of_line = &body_start[..line_end.unwrap_or(body_start.len())];
            if !begins_line || line_end.is_none() || !is_blank(rest_of_line) || label.contains('\n')
            {
                // Not a BEGIN line to OpenSSL: keep scanning after it.
                rest = after_begin;
                at_line_start = false;
                continue;
            }
            body_start = &body_start[rest_of_line.len()..];
        }
        let end_marker = format!("-----END {label}-----");
        let body_end = find_end(body_start, &end_marker, strict).ok_or_else(|| {
            invalid(format!(
                "the PEM block \"{label}\" has no matching \"{end_marker}\" line"
            ))
        })?;
        let (dek_info, body) = split_headers(&body_start[..body_end]);
        let base64_text = base64_characters(body, strict);
        let der = BASE64
            .decode(&*base64_text)
            .map_err(|_| invalid(format!("the PEM block \"{label}\" is not valid base64")))?;
        blocks.push(Block {
            label,
            der: Zeroizing::new(der),
            dek_info,
        });
        rest = &body_start[body_end + end_marker.len()..];
        at_line_start = false;
    }
    if blocks.is_empty() {
        return Err(invalid("no PEM block found".to_string()));
    }
    Ok(blocks)
}

fn is_blank(text: &str) -> bool {
    text.bytes().all(|b| matches!(b, b' ' | b'\t' | b'\r'))
}

/// Where the END line starts. Strictly, it must begin a line and end one (or the text).
fn find_end(body: &str, end_marker: &str, strict: bool) -> Option<usize> {
    if !strict {
        return body.find(end_marker);
    }
    let mut from = 0;
    while let Some(found) = body[from..].find(end_marker) {
        let at = from + found;
        let after = &body[at + end_marker.len()..];
        let rest_of_line = &after[..after.find('\n').unwrap_or(after.len())];
        if at > 0 && body.as_bytes()[at - 1] == b'\n' && is_blank(rest_of_line) {
            return Some(at);
        }
        from = at + end_marker.len();
    }
    None
}

/// Splits RFC 1421 headers (`Name: value` lines, ended by a blank line) from the body; returns
/// the `DEK-Info` value if any and the base64 part.
fn split_headers(body: &str) -> (Option<String>, &str) {
    if !body.contains(':') {
        return (None, body);
    }
    let mut dek_info = None;
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        let trimmed = line.trim();
        if offset > 0 && trimmed.is_empty() {
            offset += line.len();
            break;
        }
        match trimmed.split_once(':') {
            Some((name, value)) => {
                if name.trim() == "DEK-Info" {
                    dek_info = Some(value.trim().to_string());
                }
                offset += line.len();
            }
            None if trimmed.is_empty() => offset += line.len(),
            None => break,
        }
    }
    (dek_info, &body[offset..])
}

/// The base64 characters of a PEM body: whitespace (and, unless strict, literal `\n` / `\r`
/// escapes) dropped, collected straight into a buffer that is zeroized on drop.
fn base64_characters(body: &str, strict: bool) -> Zeroizing<Vec<u8>> {
    let mut out = Zeroizing::new(Vec::with_capacity(body.len()));
    let mut bytes = body.bytes().peekable();
    while let Some(byte) = bytes.next() {
        if !strict && byte == b'\\' && matches!(bytes.peek(), Some(b'n' | b'r')) {
            bytes.next();
        } else if !byte.is_ascii_whitespace() {
            out.push(byte);
        }
    }
    out
}

/// Encodes DER as PEM with 64-character lines.
pub(crate) fn encode(label: &str, der: &[u8]) -> String {
    let body = base64::engine::general_purpose::STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for chunk in body.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

fn invalid(message: String) -> Error {
    Error::plain(ErrorCode::InvalidKey, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_multiline_crlf_single_line_and_escaped_forms() {
        let forms = [
            "-----BEGIN TEST-----\nAAEC\nAwQ=\n-----END TEST-----\n",
            "junk\r\n-----BEGIN TEST-----\r\nAAEC\r\n  AwQ=\r\n-----END TEST-----\r\n",
            "-----BEGIN TEST----- AAECAwQ= -----END TEST-----",
            "-----BEGIN TEST-----AAECAwQ-----END TEST-----",
            "-----BEGIN TEST-----\\nAAEC\\nAwQ=\\n-----END TEST-----\\n",
        ];
        for form in forms {
            let blocks = decode_all(form.as_bytes(), PemSyntax::Lenient).unwrap();
            assert_eq!(blocks.len(), 1, "{form:?}");
            assert_eq!(blocks[0].label, "TEST");
            assert_eq!(&blocks[0].der[..], &[0, 1, 2, 3, 4], "{form:?}");
        }
    }

    #[test]
    fn encode_then_decode_round_trips() {
        let der: Vec<u8> = (0..=255).collect();
        let pem = encode("PUBLIC KEY", &der);
        assert!(pem.lines().all(|line| line.len() <= 64));
        let blocks = decode_all(pem.as_bytes(), PemSyntax::Lenient).unwrap();
        assert_eq!(&blocks[0].der[..], &der[..]);
    }

    #[test]
    fn reads_legacy_encryption_headers() {
        let text = "-----BEGIN RSA PRIVATE KEY-----\r\nProc-Type: 4,ENCRYPTED\r\nDEK-Info: \
                    AES-256-CBC,00FF\r\n\r\nAAEC\r\nAwQ=\r\n-----END RSA PRIVATE KEY-----\r\n";
        let blocks = decode_all(text.as_bytes(), PemSyntax::Lenient).unwrap();
        assert_eq!(blocks[0].dek_info.as_deref(), Some("AES-256-CBC,00FF"));
        assert_eq!(&blocks[0].der[..], &[0, 1, 2, 3, 4]);
        let plain = decode_all(
            b"-----BEGIN A-----\nAAEC\n-----END A-----",
            PemSyntax::OpenSsl,
        )
        .unwrap();
        assert!(plain[0].dek_info.is_none());
    }

    #[test]
    fn refuses_unterminated_blocks_and_bad_base64() {
        let cases = [
            ("-----BEGIN TEST-----\nAAEC\n", "no matching"),
            (
                "-----BEGIN TEST-----\n!!!!\n-----END TEST-----",
                "not valid base64",
            ),
            ("just text", "no PEM block"),
        ];
        for (text, expected) in cases {
            let error = decode_all(text.as_bytes(), PemSyntax::Lenient)
                .err()
                .unwrap();
            assert_eq!(error.code(), ErrorCode::InvalidKey);
            assert!(error.message().contains(expected), "{}", error.message());
        }
    }
}
