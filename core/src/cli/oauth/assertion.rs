//! `qlik-jwt oauth assertion`.

use serde_json::json;

use super::args::AssertionArgs;
use crate::alg::Algorithm;
use crate::cli::output::{EXIT_OK, EXIT_USAGE, Failure, Out, read_file};
use crate::cli::show;
use crate::qlik::oauth::{
    CLIENT_ASSERTION_TYPE, ClientAssertionConfig, ClientAssertionSigner, assertion_private_key,
};
use crate::setup::clock::now_secs;

pub(crate) fn run(args: &AssertionArgs, out: &mut Out<'_>) -> Result<i32, Failure> {
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
        private_key: assertion_private_key(&bytes, passphrase.as_deref().map(str::as_bytes))?,
        key_id: args.key_id.clone(),
        client_id: args.client_id.clone(),
        tenant_url: args.tenant.clone(),
        algorithm,
        lifetime_secs: args.lifetime,
    })?;
    let now = args.now.unwrap_or_else(now_secs);
    let assertion = signer.sign_at(now)?;
    if args.token_only {
        out.line(&assertion);
        return Ok(EXIT_OK);
    }
    let (header, payload) = show::parts(&assertion);
    if out.json {
        out.json_ok(json!({
            "assertion": assertion,
            "header": header,
            "payload": payload,
            "tokenEndpoint": signer.audience(),
            "clientAssertionType": CLIENT_ASSERTION_TYPE,
        }));
        return Ok(EXIT_OK);
    }
    out.line("assertion:");
    out.line(&assertion);
    out.line("");
    show::print_decoded(out, &header, &payload, now);
    out.line("");
    out.line(format!(
        "send it once, within {} s, to POST {} with client_id={}, \
         client_assertion_type={CLIENT_ASSERTION_TYPE} and client_assertion=<the assertion>",
        signer.lifetime_secs(),
        signer.audience(),
        signer.client_id()
    ));
    Ok(EXIT_OK)
}
