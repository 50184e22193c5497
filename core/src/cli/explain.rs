//! `qlik-jwt explain`.

use serde_json::json;

use super::args::{ExplainArgs, ProviderArgs};
use super::output::{EXIT_OK, EXIT_PROBLEMS, Failure, Out, read_file, token_argument};
use super::{demo, show};
use crate::key::VerifyingKey;
use crate::qlik::{IdentityProvider, Severity, explain};
use crate::setup::certificate_from_text;
use crate::setup::clock::now_secs;

pub(crate) fn run(args: &ExplainArgs, out: &mut Out<'_>) -> Result<i32, Failure> {
    let token = token_argument(args.token.as_deref())?;
    let provider = provider(&args.provider)?;
    let now = args.now.unwrap_or_else(now_secs);
    let problems = explain(&token, &provider, now);
    let accepted = !problems.iter().any(|p| p.severity == Severity::Error);
    let (header, payload) = show::parts(&token);
    if out.json {
        out.json_ok(json!({
            "accepted": accepted,
            "problems": show::problems_json(&problems),
            "header": header,
            "payload": payload,
        }));
    } else {
        if !header.is_null() {
            show::print_decoded(out, &header, &payload, now);
        }
        if provider.certificate.is_none() {
            out.line("(no --cert: the signature is not checked)");
        }
        show::print_problems(out, &problems);
    }
    Ok(if accepted { EXIT_OK } else { EXIT_PROBLEMS })
}

/// The identity provider of `--demo` or of the flags.
pub(crate) fn provider(args: &ProviderArgs) -> Result<IdentityProvider, Failure> {
    if args.demo {
        return Ok(IdentityProvider {
            issuer: Some(demo::ISSUER.to_owned()),
            key_id: Some(demo::KEY_ID.to_owned()),
            certificate: Some(VerifyingKey::from_public(
                demo::CERTIFICATE_PEM.as_bytes(),
                None,
            )?),
            clock_tolerance_secs: args.clock_tolerance,
        });
    }
    let certificate = match &args.cert {
        Some(path) => Some(certificate_from_text(&read_file(path, "certificate")?)?),
        None => None,
    };
    Ok(IdentityProvider {
        issuer: args.issuer.clone(),
        key_id: args.key_id.clone(),
        certificate,
        clock_tolerance_secs: args.clock_tolerance,
    })
}
