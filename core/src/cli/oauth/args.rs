//! The arguments of `qlik-jwt oauth` and its subcommands.

use std::path::PathBuf;

use clap::{Args, Subcommand};

#[derive(Debug, Args)]
pub(crate) struct OauthArgs {
    #[command(subcommand)]
    pub command: OauthCommand,
}

#[derive(Debug, Subcommand)]
pub(crate) enum OauthCommand {
    /// Sign a client assertion (private key JWT) for POST /oauth/token and show it decoded.
    Assertion(AssertionArgs),
    /// Explain a client assertion: every reason Qlik Cloud would refuse it, against the OAuth
    /// client's ID, the tenant and the registered public key. Exit 1 when Qlik would refuse it.
    Explain(OauthExplainArgs),
    /// Trade a client assertion for an access token at POST /oauth/token: machine to machine,
    /// or with --impersonate as a user. Prints the token (with --json: access_token, expires_in).
    Token(super::token::OauthTokenArgs),
}

/// The flags of the OAuth client and its signing key, shared by `assertion` and `token`.
#[derive(Debug, Args)]
pub(crate) struct AssertionKeyArgs {
    /// The OAuth client ID (iss and sub).
    #[arg(long, value_name = "ID")]
    pub client_id: String,
    /// The private key file (PEM, DER or JWK; RSA of 2048 bits or more, or EC P-384) whose
    /// public JWK is registered on the OAuth client.
    #[arg(long, value_name = "FILE")]
    pub key: PathBuf,
    /// Read the key's passphrase from this environment variable (an encrypted key).
    #[arg(long, value_name = "VAR")]
    pub passphrase_env: Option<String>,
    /// The kid of the public JWK registered on the OAuth client.
    #[arg(long, value_name = "KID")]
    pub key_id: String,
    /// The tenant, e.g. https://acme.eu.qlikcloud.com (aud is its /oauth/token).
    #[arg(long, value_name = "URL")]
    pub tenant: String,
    /// RS256 (default for RSA) or RS512; ES384 for an EC P-384 key.
    #[arg(long, value_name = "ALG")]
    pub alg: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct AssertionArgs {
    #[command(flatten)]
    pub client: AssertionKeyArgs,
    /// Seconds from iat to exp (1 to 300, default 240).
    #[arg(long, value_name = "SECS", allow_hyphen_values = true)]
    pub lifetime: Option<i64>,
    /// Sign as if now were this instant (seconds since the epoch).
    #[arg(long, value_name = "SECS")]
    pub now: Option<i64>,
    /// Print the assertion alone (for scripts).
    #[arg(long, conflicts_with = "json")]
    pub token_only: bool,
}

#[derive(Debug, Args)]
pub(crate) struct OauthExplainArgs {
    /// The assertion; omitted or "-": read from stdin.
    #[arg(value_name = "TOKEN")]
    pub token: Option<String>,
    /// The OAuth client ID.
    #[arg(long, value_name = "ID")]
    pub client_id: String,
    /// The tenant, e.g. https://acme.eu.qlikcloud.com.
    #[arg(long, value_name = "URL")]
    pub tenant: String,
    /// The public JWK registered on the OAuth client (publickey.jwk.json).
    #[arg(long, value_name = "FILE", conflicts_with = "public_key")]
    pub jwk: Option<PathBuf>,
    /// The public key (PEM or DER) instead of the JWK; with --key-id to check the kid.
    #[arg(long, value_name = "FILE")]
    pub public_key: Option<PathBuf>,
    /// The kid the public key is registered under (with --public-key).
    #[arg(long, value_name = "KID", requires = "public_key")]
    pub key_id: Option<String>,
    /// Judge as if now were this instant (seconds since the epoch).
    #[arg(long, value_name = "SECS")]
    pub now: Option<i64>,
}
