//! `qlik-jwt oauth token`: a client assertion traded at `POST /oauth/token` for an access token,
//! machine to machine or impersonating a user.

use std::path::PathBuf;

use clap::Args;
use serde_json::json;

use crate::alg::Algorithm;
use crate::cli::login;
use crate::cli::output::{EXIT_OK, EXIT_USAGE, Failure, Out, read_file};
use crate::client::{ClientError, OAuthClient};
use crate::qlik::oauth::{ClientAssertionConfig, ClientAssertionSigner};
use crate::qlik::signer_key;

#[derive(Debug, Args)]
pub(crate) struct OauthTokenArgs {
    /// The tenant, e.g. https://acme.eu.qlikcloud.com.
    #[arg(long, value_name = "URL")]
    pub tenant: String,
    /// The OAuth client ID.
    #[arg(long, value_name = "ID")]
    pub client_id: String,
    /// The private key file (PEM, DER or JWK) whose public JWK is registered on the client.
    #[arg(long, value_name = "FILE")]
    pub key: PathBuf,
    /// Read the key's passphrase from this environment variable (an encrypted key).
    #[arg(long, value_name = "VAR")]
    pub passphrase_env: Option<String>,
    /// The kid of the public JWK registered on the OAuth client.
    #[arg(long, value_name = "KID")]
    pub key_id: String,
    /// RS256 (default for RSA) or RS512; ES384 for an EC P-384 key.
    #[arg(long, value_name = "ALG")]
    pub alg: Option<String>,
    /// Act as the user of this subject (Qlik's user-impersonation grant) instead of as the
    /// client itself (client_credentials).
    #[arg(long, value_name = "SUBJECT")]
    pub impersonate: Option<String>,
    /// The scopes to ask for, space-separated (default: the client's, e.g. user_default).
    #[arg(long, value_name = "SCOPES")]
    pub scope: Option<String>,
}

pub(crate) fn run(args: &OauthTokenArgs, out: &mut Out<'_>) -> Result<i32, Failure> {
    let bytes = read_file(&args.key, "private key")?;
    let passphrase = match &args.passphrase_env {
        Some(var) => Some(std::env::var(var).map_err(|_| {
            Failure::new(
                EXIT_USAGE,
                "ERR_USAGE",
                format!("the environment variable {var} (the key's passphrase) is not set"),
            )
        })?),
        None => None,
    };
    let algorithm = match &args.alg {
        Some(name) => Some(
            name.parse::<Algorithm>()
                .map_err(|e| Failure::new(EXIT_USAGE, "ERR_USAGE", e.message()))?,
        ),
        None => None,
    };
    let signer = ClientAssertionSigner::new(ClientAssertionConfig {
        private_key: signer_key(&bytes, passphrase.as_deref().map(str::as_bytes))?,
        key_id: args.key_id.clone(),
        client_id: args.client_id.clone(),
        tenant_url: args.tenant.clone(),
        algorithm,
        lifetime_secs: None,
    })?;
    let fail = |e: ClientError| login::failure(&e, "POST /oauth/token");
    let mut client = OAuthClient::from_signer(signer).map_err(fail)?;
    if let Some(scope) = &args.scope {
        client = client.with_scope(scope.clone());
    }
    let token = match &args.impersonate {
        Some(subject) => client.impersonate(subject),
        None => client.access_token(),
    }
    .map_err(fail)?;
    if out.json {
        out.json_ok(json!({
            "access_token": token.access_token,
            "token_type": token.token_type,
            "expires_in": token.expires_in,
            "expires_at": token.expires_at,
            "scope": token.scope,
        }));
    } else {
        out.line(&token.access_token);
        let acting = match &args.impersonate {
            Some(subject) => format!("the user {subject:?}"),
            None => format!("the OAuth client {:?}", args.client_id),
        };
        out.line(format!(
            "{} token, expires in {} s, acting as {acting}{}; send it as Authorization: Bearer <token>",
            token.token_type,
            token.expires_in,
            token
                .scope
                .as_deref()
                .map(|s| format!(", scope {s:?}"))
                .unwrap_or_default(),
        ));
    }
    Ok(EXIT_OK)
}
