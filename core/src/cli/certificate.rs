//! What `idp-config` and `virtual-proxy-config` share: the certificate read as PEM text, and
//! the check that the private key given belongs to it.

use std::path::Path;

use super::output::{EXIT_PROBLEMS, Failure, read_file};
use crate::key::SigningKey;
use crate::setup::{certificate_from_text, key_matches};

/// The certificate file at `path`: its bytes and its PEM text; `taker` names what takes a PEM
/// certificate, for the error (e.g. "Qlik's form").
pub(crate) fn pem_certificate(path: &Path, taker: &str) -> Result<(Vec<u8>, String), Failure> {
    let bytes = read_file(path, "certificate")?;
    let pem = String::from_utf8(bytes.clone()).map_err(|_| {
        Failure::new(
            EXIT_PROBLEMS,
            "ERR_INVALID_KEY",
            format!(
                "{} is not PEM text: {taker} takes a PEM certificate",
                path.display()
            ),
        )
    })?;
    Ok((bytes, pem))
}

/// Refuses `key` (read from `key_path`) unless it belongs to the certificate `certificate`
/// (read from `cert_path`); `consequence` says what a mismatch would cause.
pub(crate) fn check_key_matches(
    key: &SigningKey,
    key_path: &Path,
    certificate: &[u8],
    cert_path: &Path,
    consequence: &str,
) -> Result<(), Failure> {
    let certificate = certificate_from_text(certificate)?;
    if key_matches(key, &certificate)? {
        return Ok(());
    }
    Err(Failure::new(
        EXIT_PROBLEMS,
        "ERR_KEY_MISMATCH",
        format!(
            "the private key {} does not belong to the certificate {}: {consequence}",
            key_path.display(),
            cert_path.display()
        ),
    ))
}
