//! `qlik-jwt idp-config`.

use serde_json::json;

use super::args::IdpConfigArgs;
use super::certificate::{check_key_matches, pem_certificate};
use super::output::{EXIT_OK, Failure, Out, read_file};
use crate::key::SigningKey;
use crate::setup::{IdentityProviderConfig, single_line_pem};

pub(crate) fn run(args: &IdpConfigArgs, out: &mut Out<'_>) -> Result<i32, Failure> {
    let (certificate_bytes, certificate_pem) = pem_certificate(&args.cert, "Qlik's form")?;
    if let Some(key_path) = &args.key {
        let key = SigningKey::from_private(&read_file(key_path, "private key")?, None)?;
        check_key_matches(
            &key,
            key_path,
            &certificate_bytes,
            &args.cert,
            "tokens it signs would be refused with 401",
        )?;
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
