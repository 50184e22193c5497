//! The certificate or public key as the single line that Qlik's identity-provider form wants.

use crate::error::{Error, ErrorCode, Result};

/// The PEM labels Qlik's identity provider takes: a certificate or a public key.
const ACCEPTED_LABELS: [&str; 3] = ["CERTIFICATE", "PUBLIC KEY", "RSA PUBLIC KEY"];

/// `text` (a PEM certificate or public key, as in `publickey.cer`) as one line: every line
/// break, space and tab outside the BEGIN and END markers removed, e.g.
/// `-----BEGIN CERTIFICATE-----MIIF...-----END CERTIFICATE-----`. Qlik refuses to save, or later
/// fails to decode, a key with line breaks or trailing spaces. Text already on one line comes
/// back unchanged. Fails when `text` is not exactly one certificate or public key block (a
/// private key is refused: it must never be pasted there).
pub fn single_line_pem(text: &str) -> Result<String> {
    let start = text.trim_start();
    let after_begin = start
        .strip_prefix("-----BEGIN ")
        .ok_or_else(|| not_pem("it does not start with a -----BEGIN ...----- line"))?;
    let label_end = after_begin
        .find("-----")
        .ok_or_else(|| not_pem("its BEGIN line is not closed by -----"))?;
    let label = &after_begin[..label_end];
    if !ACCEPTED_LABELS.contains(&label) {
        let what = if label.contains("PRIVATE") {
            "it is a private key, which must never leave your server: give the certificate \
             (publickey.cer) or the public key instead"
                .to_owned()
        } else {
            format!("it is a {label:?} block")
        };
        return Err(Error::plain(
            ErrorCode::InvalidKey,
            format!("expected a PEM certificate or public key, but {what}"),
        ));
    }
    let rest = &after_begin[label_end + 5..];
    let end = format!("-----END {label}-----");
    let end_at = rest
        .find(&end)
        .ok_or_else(|| not_pem(&format!("{end} is missing")))?;
    if !rest[end_at + end.len()..].trim().is_empty() {
        return Err(not_pem(
            "there is text after the END line; give one certificate or key",
        ));
    }
    let mut out = String::with_capacity(text.len());
    out.push_str("-----BEGIN ");
    out.push_str(label);
    out.push_str("-----");
    for c in rest[..end_at].chars().filter(|c| !c.is_whitespace()) {
        if !is_base64_char(c) {
            return Err(not_pem(&format!(
                "its body holds {c:?}, which is not base64 (headers or a second block?)"
            )));
        }
        out.push(c);
    }
    if out.len() == label.len() + 16 {
        return Err(not_pem("its body is empty"));
    }
    out.push_str(&end);
    Ok(out)
}

fn is_base64_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=')
}

/// [`single_line_pem`] of bytes (a file's or a buffer's), which must be UTF-8 text.
pub fn single_line_pem_of_bytes(bytes: &[u8]) -> Result<String> {
    let text = std::str::from_utf8(bytes).map_err(|_| not_pem("the bytes are not text"))?;
    single_line_pem(text)
}

fn not_pem(why: &str) -> Error {
    Error::plain(
        ErrorCode::InvalidKey,
        format!("expected a PEM certificate or public key, but {why}"),
    )
}

/// A certificate or public key from PEM text as usual, or from the single line that Qlik's
/// console holds (what [`single_line_pem`] makes): the line is wrapped back into PEM lines
/// first, since PEM readers want the BEGIN and END markers on lines of their own.
pub fn certificate_from_text(text: &[u8]) -> Result<crate::key::VerifyingKey> {
    let direct = crate::key::VerifyingKey::from_public(text, None);
    let Err(error) = direct else { return direct };
    let Ok(text) = std::str::from_utf8(text) else {
        return Err(error);
    };
    let trimmed = text.trim();
    if trimmed.contains('\n') || !trimmed.starts_with("-----BEGIN ") {
        return Err(error);
    }
    let Ok(line) = single_line_pem(trimmed) else {
        return Err(error);
    };
    let after_begin = &line["-----BEGIN ".len()..];
    let Some(label_end) = after_begin.find("-----") else {
        return Err(error);
    };
    let label = &after_begin[..label_end];
    let body =
        &after_begin[label_end + 5..after_begin.len() - label.len() - "-----END -----".len()];
    let mut pem = format!("-----BEGIN {label}-----\n");
    for chunk in body.as_bytes().chunks(64) {
        pem.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        pem.push('\n');
    }
    pem.push_str(&format!("-----END {label}-----\n"));
    crate::key::VerifyingKey::from_public(pem.as_bytes(), None)
}
