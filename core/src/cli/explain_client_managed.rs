//! `qlik-jwt explain --profile client-managed`: every reason a Qlik Sense JWT virtual proxy
//! would refuse a token. Exit 1 when it would.

use serde_json::json;

use super::args::ExplainArgs;
use super::output::{EXIT_OK, EXIT_PROBLEMS, Failure, Out, read_file, token_argument};
use super::proxy_settings::{proxy_settings, refuse_flags};
use super::show;
use crate::qlik::Severity;
use crate::qlik::client_managed::explain_client_managed;
use crate::setup::certificate_from_text;
use crate::setup::clock::now_secs;

pub(crate) fn run(args: &ExplainArgs, out: &mut Out<'_>) -> Result<i32, Failure> {
    let provider = &args.provider;
    refuse_flags(
        &[
            (provider.demo, "--demo"),
            (provider.issuer.is_some(), "--issuer"),
            (provider.key_id.is_some(), "--key-id"),
            (provider.clock_tolerance.is_some(), "--clock-tolerance"),
        ],
        "client-managed",
    )?;
    let proxy = proxy_settings(&args.proxy, false)?;
    let certificate = match &provider.cert {
        Some(path) => Some(certificate_from_text(&read_file(path, "certificate")?)?),
        None => None,
    };
    let token = token_argument(args.token.as_deref())?;
    let now = args.now.unwrap_or_else(now_secs);
    let problems = explain_client_managed(&token, &proxy, certificate.as_ref(), now);
    let accepted = !problems.iter().any(|p| p.severity == Severity::Error);
    let (header, payload) = show::parts(&token);
    if out.json {
        out.json_ok(json!({
            "profile": "client-managed",
            "accepted": accepted,
            "problems": show::problems_json(&problems),
            "header": header,
            "payload": payload,
        }));
    } else {
        if !header.is_null() {
            show::print_decoded_times(out, &header, &payload, now, false);
        }
        if certificate.is_none() {
            out.line("(no --cert: the signature is not checked)");
        }
        show::print_problems(out, &problems);
    }
    Ok(if accepted { EXIT_OK } else { EXIT_PROBLEMS })
}

/// Refuses, in the cloud profile, the flags only client-managed takes.
pub(crate) fn refuse_in_cloud(args: &ExplainArgs) -> Result<(), Failure> {
    refuse_flags(&args.proxy.given(), "cloud (add --profile client-managed)")
}
