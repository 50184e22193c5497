//! `qlik-jwt keygen`.

use serde_json::json;

use super::args::{KeygenArgs, KeygenPurpose};
use super::output::{EXIT_OK, EXIT_USAGE, Failure, Out};
use crate::setup::{
    CertificateOptions, IdentityProviderConfig, KeyAlgorithm, generate, single_line_pem,
    write_key_files,
};

pub(crate) fn run(args: &KeygenArgs, out: &mut Out<'_>) -> Result<i32, Failure> {
    if args.purpose == KeygenPurpose::Oauth {
        return super::oauth_keygen::run(args, out);
    }
    if args.key_type.is_some() {
        return Err(usage(
            "--key-type is for --for oauth; for an identity provider use --type",
        ));
    }
    if args.key_id.is_some() != args.issuer.is_some() {
        return Err(usage(
            "--issuer and --key-id go together (the identity-provider body needs both)",
        ));
    }
    let key_type = args.jwt_key_type.as_deref().unwrap_or("rsa4096");
    let algorithm: KeyAlgorithm = key_type
        .parse()
        .map_err(|e: crate::Error| usage(e.message()))?;
    if !out.json && matches!(algorithm, KeyAlgorithm::Rsa4096 | KeyAlgorithm::Rsa3072) {
        out.note(format!(
            "generating a {algorithm} key (this can take a few seconds)..."
        ));
    }
    let options = CertificateOptions {
        common_name: args.cn.clone(),
        days: args.days,
    };
    let keys = generate(algorithm, &options)?;
    let files = write_key_files(&args.out, &keys, args.force)?;
    let single_line = single_line_pem(&keys.certificate_pem)?;
    let provider = match (&args.issuer, &args.key_id) {
        (Some(issuer), Some(key_id)) => Some(
            IdentityProviderConfig {
                issuer: issuer.clone(),
                key_id: key_id.clone(),
                certificate_pem: keys.certificate_pem.clone(),
                description: None,
                clock_tolerance_secs: None,
            }
            .to_json_value()?,
        ),
        _ => None,
    };
    if out.json {
        out.json_ok(json!({
            "algorithm": algorithm.jws_algorithm().to_string(),
            "keyType": algorithm.name(),
            "privateKey": files.private_key.display().to_string(),
            "certificate": files.certificate.display().to_string(),
            "singleLinePem": single_line,
            "identityProvider": provider,
        }));
        return Ok(EXIT_OK);
    }
    out.line(format!(
        "wrote {} (private key, PKCS#8, mode 0600: keep it secret)",
        files.private_key.display()
    ));
    out.line(format!(
        "wrote {} (certificate for the identity provider)",
        files.certificate.display()
    ));
    out.line(format!(
        "sign with: {} (qlik-jwt picks it for this key)",
        algorithm.jws_algorithm()
    ));
    out.line("");
    out.line("Certificate field of the JWT identity provider (one line):");
    out.line(&single_line);
    if let Some(provider) = provider {
        out.line("");
        out.line("Body of POST /api/v1/identity-providers:");
        out.line(serde_json::to_string_pretty(&provider).unwrap_or_default());
    }
    Ok(EXIT_OK)
}

fn usage(message: &str) -> Failure {
    Failure::new(EXIT_USAGE, "ERR_USAGE", message)
}
