//! `qlik-jwt keygen --for oauth`: a key pair for an OAuth client's private key JWT, and the
//! public JWK to paste into the console.

use serde_json::json;

use super::args::KeygenArgs;
use super::output::{EXIT_OK, EXIT_USAGE, Failure, Out};
use crate::setup::{OauthKeyType, generate_oauth_keys, write_oauth_key_files};

pub(crate) fn run(args: &KeygenArgs, out: &mut Out<'_>) -> Result<i32, Failure> {
    let usage = |message: &str| Failure::new(EXIT_USAGE, "ERR_USAGE", message);
    if args.jwt_key_type.is_some() || args.issuer.is_some() {
        return Err(usage(
            "--type and --issuer are for an identity provider's keys; with --for oauth use \
             --key-type rsa|ec and --key-id",
        ));
    }
    let key_id = args.key_id.as_deref().ok_or_else(|| {
        usage("--for oauth needs --key-id <kid>: the kid the JWK is registered under")
    })?;
    let key_type: OauthKeyType = args
        .key_type
        .as_deref()
        .unwrap_or("rsa")
        .parse()
        .map_err(|e: crate::Error| usage(e.message()))?;
    if !out.json && key_type == OauthKeyType::Rsa {
        out.note("generating an RSA 4096 key (this can take a few seconds)...");
    }
    let keys = generate_oauth_keys(key_type, key_id)?;
    let files = write_oauth_key_files(&args.out, &keys, args.force)?;
    let jwk: serde_json::Value =
        serde_json::from_str(&keys.public_jwk).unwrap_or(serde_json::Value::Null);
    if out.json {
        out.json_ok(json!({
            "algorithm": key_type.algorithm().to_string(),
            "keyType": key_type.name(),
            "keyId": key_id,
            "privateKey": files.private_key.display().to_string(),
            "publicJwk": files.public_jwk.display().to_string(),
            "jwk": jwk,
        }));
        return Ok(EXIT_OK);
    }
    out.line(format!(
        "wrote {} (private key, PKCS#8, mode 0600: keep it secret)",
        files.private_key.display()
    ));
    out.line(format!(
        "wrote {} (public JWK for the OAuth client)",
        files.public_jwk.display()
    ));
    out.line(format!(
        "assertions are signed with {} and kid {key_id:?}",
        key_type.algorithm()
    ));
    out.line("");
    out.line("Public key (JWK) field of the OAuth client, under Private key JWT:");
    out.line(keys.public_jwk.trim_end());
    Ok(EXIT_OK)
}
