//! Setting up Qlik JWT authorization: what the tutorial does with two `openssl` commands and a
//! text editor, in the core so that Rust, Node, Python and the `qlik-jwt` command share it.
//!
//! - [`generate`]: a key pair (RSA 2048/3072/4096, EC P-256/P-384) and a self-signed X.509
//!   certificate for it; [`write_key_files`] writes `privatekey.pem` (PKCS#8, mode 0600) and
//!   `publickey.cer`, the files of the tutorial's
//!   `openssl genrsa -out privatekey.pem 4096` and `openssl req -new -x509 ... -out publickey.cer`.
//! - [`single_line_pem`]: a certificate or public key as the one line Qlik's console field wants.
//! - [`IdentityProviderConfig`]: the JSON body of `POST /api/v1/identity-providers` for a JWT
//!   identity provider.
//! - [`key_matches`]: whether a private key belongs to a certificate or public key.
//! - [`VirtualProxyConfig`]: the JSON body of `POST /qrs/virtualproxyconfig` for a client-managed
//!   JWT virtual proxy.
//! - [`import_pfx`]: the private key and certificate of a PKCS#12/PFX file (Qlik's "Windows
//!   format" certificate export).
//! - [`generate_oauth_keys`]: a key pair for an OAuth client's private key JWT (RSA 4096 for
//!   RS256, or EC P-384 for ES384) and its public JWK; [`write_oauth_key_files`] writes
//!   `privatekey.pem` (mode 0600) and `publickey.jwk.json`.

pub(crate) mod clock;
mod files;
mod idp;
mod keygen;
mod matching;
#[cfg(feature = "protocol")]
mod oauth_keys;
mod pfx;
mod single_line;
mod virtual_proxy;

pub use files::{CERTIFICATE_FILE, KeyFiles, PRIVATE_KEY_FILE, write_key_files};
pub use idp::IdentityProviderConfig;
pub use keygen::{CertificateOptions, GeneratedKeys, KeyAlgorithm, generate};
pub use matching::key_matches;
#[cfg(feature = "protocol")]
pub use oauth_keys::{
    OauthKeyFiles, OauthKeyType, OauthKeys, PUBLIC_JWK_FILE, generate_oauth_keys, public_jwk,
    write_oauth_key_files,
};
pub use pfx::{PfxKey, import_pfx, looks_like_pfx};
pub use single_line::{certificate_from_text, single_line_pem, single_line_pem_of_bytes};
pub use virtual_proxy::{
    AUTHENTICATION_METHOD_JWT, NO_ANONYMOUS_USER, VirtualProxyConfig,
    default_session_cookie_header_name,
};
