//! The client assertion signer that `assertion` and `token` build from their shared flags.

use crate::alg::Algorithm;
use crate::cli::output::{EXIT_USAGE, Failure, read_file};
use crate::error::Result;
use crate::key::SigningKey;
use crate::qlik::oauth::{ClientAssertionConfig, ClientAssertionSigner};

use super::args::AssertionKeyArgs;

impl AssertionKeyArgs {
    /// The signer of these flags' client and key, read with `read_key`, its assertions living
    /// `lifetime_secs` (the default when `None`).
    pub(crate) fn signer(
        &self,
        read_key: fn(&[u8], Option<&[u8]>) -> Result<SigningKey>,
        lifetime_secs: Option<i64>,
    ) -> std::result::Result<ClientAssertionSigner, Failure> {
        let bytes = read_file(&self.key, "private key")?;
        let passphrase = match &self.passphrase_env {
            Some(var) => Some(std::env::var(var).map_err(|_| {
                Failure::new(
                    EXIT_USAGE,
                    "ERR_USAGE",
                    format!("the environment variable {var} (the key's passphrase) is not set"),
                )
            })?),
            None => None,
        };
        let algorithm = match &self.alg {
            Some(name) => Some(
                name.parse::<Algorithm>()
                    .map_err(|e| Failure::new(EXIT_USAGE, "ERR_USAGE", e.message()))?,
            ),
            None => None,
        };
        Ok(ClientAssertionSigner::new(ClientAssertionConfig {
            private_key: read_key(&bytes, passphrase.as_deref().map(str::as_bytes))?,
            key_id: self.key_id.clone(),
            client_id: self.client_id.clone(),
            tenant_url: self.tenant.clone(),
            algorithm,
            lifetime_secs,
        })?)
    }
}
