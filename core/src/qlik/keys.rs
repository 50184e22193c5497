//! Keys as Qlik users hand them over. The Qlik entry points read key text leniently — a PEM
//! squeezed onto one line (the form Qlik's console shows a certificate in), indented, or with
//! literal `\n` escapes from a JSON file or an environment variable — where the
//! `jsonwebtoken`-compatible entry points must read it exactly as OpenSSL does. Both go through
//! the key cache, so a key passed on every call is parsed once.

use crate::error::Result;
use crate::key::{PemSyntax, SigningKey, VerifyingKey, cache};

/// A signer's private key from PEM text or DER bytes (`passphrase` for an encrypted key).
pub fn signer_key(bytes: &[u8], passphrase: Option<&[u8]>) -> Result<SigningKey> {
    cache::private_key_with(bytes, passphrase, PemSyntax::Lenient)
}

/// An identity provider's certificate or public key (a private key gives its public half) from
/// PEM text, the console's single line, or DER bytes.
pub fn provider_key(bytes: &[u8], passphrase: Option<&[u8]>) -> Result<VerifyingKey> {
    cache::public_key_with(bytes, passphrase, PemSyntax::Lenient)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> String {
        let path = format!("{}/testdata/keys/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{path}: {error}"))
    }

    #[test]
    fn reads_the_console_single_line_certificate_that_openssl_syntax_refuses() {
        let certificate = fixture("rsa4096-publickey.cer");
        let single_line: String = certificate.lines().collect();
        assert!(cache::public_key(single_line.as_bytes(), None).is_err());
        let key = provider_key(single_line.as_bytes(), None).expect("single-line certificate");
        let usual = provider_key(certificate.as_bytes(), None).expect("certificate");
        assert!(key.same_key_as(&usual));
    }

    #[test]
    fn reads_a_private_key_with_escaped_line_breaks() {
        let pem = fixture("rsa2048-private-pkcs8.pem");
        let escaped = pem.trim_end().replace('\n', "\\n");
        assert!(cache::private_key(escaped.as_bytes(), None).is_err());
        let key = signer_key(escaped.as_bytes(), None).expect("escaped PEM");
        let usual = signer_key(pem.as_bytes(), None).expect("PEM");
        assert!(key.verifying_key().same_key_as(&usual.verifying_key()));
    }
}
