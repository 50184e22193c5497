//! `qlik-jwt sign --profile client-managed`: a token for a Qlik Sense JWT virtual proxy.

use serde_json::json;

use super::args::SignArgs;
use super::output::{EXIT_OK, Failure, Out};
use super::proxy_settings::{proxy_settings, refuse_flags, signing_key_file, usage};
use super::show;
use crate::alg::Algorithm;
use crate::qlik::client_managed::{
    ClientManagedSigner, ClientManagedSignerConfig, ClientManagedUser, explain_client_managed,
};
use crate::setup::clock::now_secs;
use crate::value::Value;

/// The claim `--group` fills when the attribute map names none for the `group` attribute.
const DEFAULT_GROUPS_CLAIM: &str = "groups";

pub(crate) fn run(args: &SignArgs, out: &mut Out<'_>) -> Result<i32, Failure> {
    refuse_flags(
        &[
            (args.demo, "--demo"),
            (args.issuer.is_some(), "--issuer"),
            (args.user.is_some(), "--user"),
            (args.who.sub.is_some(), "--sub (use --user-id)"),
            (args.who.email.is_some(), "--email"),
            (args.who.email_verified.is_some(), "--email-verified"),
        ],
        "client-managed",
    )?;
    let proxy = proxy_settings(&args.proxy, true)?;
    let path = args
        .key
        .as_deref()
        .ok_or_else(|| usage("--key is required"))?;
    let (key, _) = signing_key_file(path, args.passphrase_env.as_deref())?;
    let certificate = key.verifying_key();
    let algorithm = match &args.alg {
        Some(name) => Some(name.parse::<Algorithm>().map_err(|e| usage(e.message()))?),
        None => None,
    };
    let user = user(args, &proxy)?;
    let signer = ClientManagedSigner::new(ClientManagedSignerConfig {
        private_key: key,
        proxy,
        key_id: args.key_id.clone(),
        algorithm,
        not_before_skew_secs: args.not_before,
        lifetime_secs: args.lifetime,
    })?;
    let now = args.now.unwrap_or_else(now_secs);
    let token = signer.sign(&user, now)?;
    let problems = explain_client_managed(&token, signer.proxy(), Some(&certificate), now);
    if args.token_only {
        out.line(&token);
        return Ok(EXIT_OK);
    }
    let (header, payload) = show::parts(&token);
    if out.json {
        out.json_ok(json!({
            "profile": "client-managed",
            "token": token,
            "header": header,
            "payload": payload,
            "problems": show::problems_json(&problems),
        }));
        return Ok(EXIT_OK);
    }
    out.line(&token);
    out.line("");
    show::print_decoded_times(out, &header, &payload, now, false);
    show::print_problems(out, &problems);
    Ok(EXIT_OK)
}

/// The user of the flags: `--user-id`, `--user-directory`, `--name`, `--group`s under the
/// attribute map's claim for `group`, and `--claim NAME=VALUE`s.
fn user(
    args: &SignArgs,
    proxy: &crate::qlik::client_managed::VirtualProxySettings,
) -> Result<ClientManagedUser, Failure> {
    let required = |value: &Option<String>, flag: &str| {
        value
            .clone()
            .ok_or_else(|| usage(&format!("{flag} is required with --profile client-managed")))
    };
    let mut attributes: Vec<(String, Value)> = Vec::new();
    if let Some(name) = &args.who.name {
        attributes.push(("name".into(), Value::String(name.clone())));
    }
    if !args.who.groups.is_empty() {
        let claim = proxy
            .attributes
            .iter()
            .find(|m| m.sense_attribute.eq_ignore_ascii_case("group"))
            .map_or(DEFAULT_GROUPS_CLAIM, |m| m.jwt_attribute.as_str());
        let groups = args
            .who
            .groups
            .iter()
            .map(|g| Value::String(g.clone()))
            .collect();
        attributes.push((claim.to_owned(), Value::Array(groups)));
    }
    for entry in &args.client_managed.claims {
        let (name, value) = entry.split_once('=').ok_or_else(|| {
            usage(&format!(
                "--claim {entry:?}: expected NAME=VALUE, e.g. email=ann@example.com"
            ))
        })?;
        attributes.push((name.to_owned(), Value::String(value.to_owned())));
    }
    Ok(ClientManagedUser {
        user_id: required(&args.client_managed.user_id, "--user-id")?,
        user_directory: required(&args.client_managed.user_directory, "--user-directory")?,
        attributes,
    })
}

/// Refuses, in the cloud profile, the flags only client-managed takes.
pub(crate) fn refuse_in_cloud(args: &SignArgs) -> Result<(), Failure> {
    let cm = &args.client_managed;
    let mut given = vec![
        (cm.user_id.is_some(), "--user-id"),
        (cm.user_directory.is_some(), "--user-directory"),
        (!cm.claims.is_empty(), "--claim"),
    ];
    given.extend(args.proxy.given());
    refuse_flags(&given, "cloud (add --profile client-managed)")
}
