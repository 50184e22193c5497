//! `qlik-jwt idp-config`.

use serde_json::json;

use super::args::IdpConfigArgs;
use super::output::{EXIT_OK, EXIT_PROBLEMS, Failure, Out, read_file};
use crate::key::SigningKey;
use crate::setup::{IdentityProviderConfig, certificate_from_text, key_matches, single_line_pem};

pub(crate) fn run(args: &IdpConfigArgs, out: &mut Out<'_>) -> Result<i32, Failure> {
    let certificate_bytes = read_file(&args.cert, "certificate")?;
    let certificate_pem = String::from_utf8(certificate_bytes.clone()).map_err(|_| {
        Failure::new(
            EXIT_PROBLEMS,
            "ERR_INVALID_KEY",
            format!(
                "{} is not PEM text: Qlik's form takes a PEM certificate",
                args.cert.display()
            ),
        )
    })?;
    if let Some(key_path) = &args.key {
        let key = SigningKey::from_private(&read_file(key_path, "private key")?, None)?;
        let certificate = certificate_from_text(&certificate_bytes)?;
        if !key_matches(&key, &certificate)? {
            return Err(Failure::new(
                EXIT_PROBLEMS,
                "ERR_KEY_MISMATCH",
                format!(
                    "the private key {} does not belong to the certificate {}: tokens it signs \
                     would be refused with 401",
                    key_path.display(),
                    args.cert.display()
                ),
            ));
        }
    }
    if args.single_line {
        let line = single_line_pem(&certificate_pem)?;
        if out.json {
            out.json_ok(json!({ "singleLinePem": line }));
        } else {
            out.line(line);
        }
        return Ok(EXIT_OK);
    }
    let config = IdentityProviderConfig {
        issuer: args.issuer.clone().unwrap_or_default(),
        key_id: args.key_id.clone().unwrap_or_default(),
        certificate_pem,
        description: args.description.clone(),
        clock_tolerance_secs: args.clock_tolerance.map(i64::from),
    };
    let body = config.to_json_value()?;
    if out.json {
        out.json_ok(json!({ "body": body }));
    } else {
        out.line(serde_json::to_string_pretty(&body).unwrap_or_default());
    }
    Ok(EXIT_OK)
}
