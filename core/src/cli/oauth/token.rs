//! `qlik-jwt oauth token`: a client assertion traded at `POST /oauth/token` for an access token,
//! machine to machine or impersonating a user.

use clap::Args;
use serde_json::json;

use super::args::AssertionKeyArgs;
use crate::cli::login;
use crate::cli::output::{EXIT_OK, Failure, Out};
use crate::client::{ClientError, OAuthClient};
use crate::qlik::oauth::assertion_private_key;
use crate::setup::clock::iso_utc;

#[derive(Debug, Args)]
pub(crate) struct OauthTokenArgs {
    #[command(flatten)]
    pub client: AssertionKeyArgs,
    /// Act as the user of this subject (Qlik's user-impersonation grant) instead of as the
    /// client itself (client_credentials).
    #[arg(long, value_name = "SUBJECT")]
    pub impersonate: Option<String>,
    /// The scopes to ask for, space-separated (default: the client's, e.g. user_default).
    #[arg(long, value_name = "SCOPES")]
    pub scope: Option<String>,
}

pub(crate) fn run(args: &OauthTokenArgs, out: &mut Out<'_>) -> Result<i32, Failure> {
    let signer = args.client.signer(assertion_private_key, None)?;
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
            "expires_at": iso_utc(token.expires_at),
            "scope": token.scope,
        }));
    } else {
        out.line(&token.access_token);
        let acting = match &args.impersonate {
            Some(subject) => format!("the user {subject:?}"),
            None => format!("the OAuth client {:?}", args.client.client_id),
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
