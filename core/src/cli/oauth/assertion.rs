//! `qlik-jwt oauth assertion`.

use serde_json::json;

use super::args::AssertionArgs;
use crate::cli::output::{EXIT_OK, Failure, Out};
use crate::cli::show;
use crate::qlik::oauth::{CLIENT_ASSERTION_TYPE, assertion_private_key};
use crate::setup::clock::now_secs;

pub(crate) fn run(args: &AssertionArgs, out: &mut Out<'_>) -> Result<i32, Failure> {
    let signer = args.client.signer(assertion_private_key, args.lifetime)?;
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
