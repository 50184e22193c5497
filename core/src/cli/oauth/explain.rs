//! `qlik-jwt oauth explain`.

use serde_json::json;

use super::args::OauthExplainArgs;
use crate::cli::output::{EXIT_OK, EXIT_PROBLEMS, Failure, Out, read_file, token_argument};
use crate::cli::show;
use crate::qlik::oauth::{RegisteredClient, RegisteredKey};
use crate::setup::clock::now_secs;

pub(crate) fn run(args: &OauthExplainArgs, out: &mut Out<'_>) -> Result<i32, Failure> {
    let token = token_argument(args.token.as_deref())?;
    let key = match (&args.jwk, &args.public_key) {
        (Some(path), _) => Some(RegisteredKey::from_jwk(&String::from_utf8_lossy(
            &read_file(path, "JWK")?,
        ))?),
        (None, Some(path)) => Some(RegisteredKey::from_public_key(
            &read_file(path, "public key")?,
            args.key_id.as_deref(),
        )?),
        (None, None) => None,
    };
    let checks_signature = key.is_some();
    let client = RegisteredClient::new(&args.client_id, &args.tenant, key)?;
    let now = args.now.unwrap_or_else(now_secs);
    let problems = client.explain(&token, now);
    let accepted = problems.is_empty();
    let (header, payload) = show::parts(&token);
    if out.json {
        out.json_ok(json!({
            "accepted": accepted,
            "problems": show::problems_json(&problems),
            "header": header,
            "payload": payload,
            "audience": client.audience(),
        }));
    } else {
        if !header.is_null() {
            show::print_decoded(out, &header, &payload, now);
        }
        if !checks_signature {
            out.line("(no --jwk or --public-key: the signature and kid are not checked)");
        }
        if accepted {
            out.line("Qlik checks: none failed; Qlik would accept this assertion (once)");
        } else {
            out.line(format!(
                "Qlik checks: Qlik would refuse this assertion ({} error(s)):",
                problems.len()
            ));
            for problem in &problems {
                out.line(format!(
                    "  {} {}: {}",
                    problem.severity, problem.code, problem.message
                ));
            }
        }
    }
    Ok(if accepted { EXIT_OK } else { EXIT_PROBLEMS })
}
