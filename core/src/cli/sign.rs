//! `qlik-jwt sign`.

use serde_json::{Value as Json, json};

use super::args::SignArgs;
use super::output::{EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, Failure, Out, read_file};
use super::{demo, show};
use crate::alg::Algorithm;
use crate::key::SigningKey;
use crate::qlik::{IdentityProvider, QlikSigner, QlikUser, SignerConfig, explain};
use crate::setup::clock::now_secs;

/// The fields a user file may hold.
const USER_FIELDS: [&str; 5] = ["sub", "name", "email", "email_verified", "groups"];

pub(crate) fn run(args: &SignArgs, out: &mut Out<'_>) -> Result<i32, Failure> {
    let (key, key_id, issuer) = if args.demo {
        let key = SigningKey::from_private(demo::PRIVATE_KEY_PEM.as_bytes(), None)?;
        (key, demo::KEY_ID.to_owned(), demo::ISSUER.to_owned())
    } else {
        let path = args
            .key
            .as_deref()
            .ok_or_else(|| usage("--key is required"))?;
        let bytes = read_file(path, "private key")?;
        let passphrase = match &args.passphrase_env {
            Some(var) => Some(std::env::var(var).map_err(|_| {
                usage(&format!(
                    "the environment variable {var} (the key's passphrase) is not set"
                ))
            })?),
            None => None,
        };
        let key = SigningKey::from_private(&bytes, passphrase.as_deref().map(str::as_bytes))?;
        let key_id = args
            .key_id
            .clone()
            .ok_or_else(|| usage("--key-id is required"))?;
        let issuer = args
            .issuer
            .clone()
            .ok_or_else(|| usage("--issuer is required"))?;
        (key, key_id, issuer)
    };
    let algorithm = match &args.alg {
        Some(name) => Some(name.parse::<Algorithm>().map_err(|e| usage(e.message()))?),
        None => None,
    };
    let user = user(args)?;
    let signer = QlikSigner::new(SignerConfig {
        private_key: key,
        key_id: key_id.clone(),
        issuer: issuer.clone(),
        algorithm,
        not_before_skew_secs: args.not_before,
        lifetime_secs: args.lifetime,
    })?;
    let now = args.now.unwrap_or_else(now_secs);
    let token = signer.sign(&user, now)?;
    let provider = IdentityProvider {
        issuer: Some(issuer),
        key_id: Some(key_id),
        certificate: None,
        clock_tolerance_secs: None,
    };
    let problems = explain(&token, &provider, now);
    if args.token_only {
        out.line(&token);
        return Ok(EXIT_OK);
    }
    let (header, payload) = show::parts(&token);
    if out.json {
        out.json_ok(json!({
            "token": token,
            "header": header,
            "payload": payload,
            "problems": show::problems_json(&problems),
            "demo": args.demo,
        }));
        return Ok(EXIT_OK);
    }
    out.line(&token);
    out.line("");
    if args.demo {
        out.line(format!("({})", demo::WARNING));
    }
    show::print_decoded(out, &header, &payload, now);
    show::print_problems(out, &problems);
    Ok(EXIT_OK)
}

/// The user from the file (if any), the flags over it, and the demo user's defaults with
/// `--demo`.
fn user(args: &SignArgs) -> Result<QlikUser, Failure> {
    let mut from_file = serde_json::Map::new();
    if let Some(path) = &args.user {
        let bytes = read_file(path, "user file")?;
        let parsed: Json = serde_json::from_slice(&bytes).map_err(|e| {
            refused(&format!(
                "the user file {} is not JSON: {e}",
                path.display()
            ))
        })?;
        let Json::Object(fields) = parsed else {
            return Err(refused(&format!(
                "the user file {} must hold a JSON object with {}",
                path.display(),
                USER_FIELDS.join(", ")
            )));
        };
        let unknown: Vec<&str> = fields
            .keys()
            .map(String::as_str)
            .filter(|k| !USER_FIELDS.contains(k))
            .collect();
        if !unknown.is_empty() {
            let hint = if unknown.contains(&"group") {
                " (Qlik reads groups, plural)"
            } else {
                ""
            };
            return Err(refused(&format!(
                "the user file has {}: it takes only {}{hint}; the other claims are set by the \
                 signer",
                unknown.join(", "),
                USER_FIELDS.join(", ")
            )));
        }
        from_file = fields;
    }
    let text = |name: &str| -> Result<Option<String>, Failure> {
        match from_file.get(name) {
            None => Ok(None),
            Some(Json::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err(refused(&format!(
                "{name} in the user file is {other}: expected a string"
            ))),
        }
    };
    let who = &args.who;
    let demo_default = |value: &str| args.demo.then(|| value.to_owned());
    let sub = who
        .sub
        .clone()
        .or(text("sub")?)
        .or_else(|| demo_default("demo-user"));
    let name = who
        .name
        .clone()
        .or(text("name")?)
        .or_else(|| demo_default("Demo User"));
    let email = who
        .email
        .clone()
        .or(text("email")?)
        .or_else(|| demo_default("demo.user@example.com"));
    let email_verified = match (who.email_verified, from_file.get("email_verified")) {
        (Some(flag), _) => flag,
        (None, Some(Json::Bool(b))) => *b,
        (None, Some(other)) => {
            return Err(refused(&format!(
                "email_verified in the user file is {other}: expected true or false (a boolean, \
                 not a string)"
            )));
        }
        (None, None) if args.demo => true,
        (None, None) => {
            return Err(usage(
                "email_verified is required: pass --email-verified true (or false) or put it in \
                 --user FILE; it tells Qlik whether your app verified that the address belongs \
                 to the user",
            ));
        }
    };
    let groups = if !who.groups.is_empty() {
        Some(who.groups.clone())
    } else {
        match from_file.get("groups") {
            None => args.demo.then(|| vec!["Everyone".to_owned()]),
            Some(Json::Array(items)) => Some(
                items
                    .iter()
                    .map(|g| match g {
                        Json::String(s) => Ok(s.clone()),
                        other => Err(refused(&format!(
                            "groups in the user file holds {other}: expected strings"
                        ))),
                    })
                    .collect::<Result<Vec<_>, _>>()?,
            ),
            Some(other) => {
                return Err(refused(&format!(
                    "groups in the user file is {other}: expected an array of strings"
                )));
            }
        }
    };
    let missing = |what: &str| {
        usage(&format!(
            "{what} is required: pass --{what} or put it in --user FILE"
        ))
    };
    Ok(QlikUser {
        sub: sub.ok_or_else(|| missing("sub"))?,
        name: name.ok_or_else(|| missing("name"))?,
        email: email.unwrap_or_default(),
        email_verified,
        groups,
    })
}

fn usage(message: &str) -> Failure {
    Failure::new(EXIT_USAGE, "ERR_USAGE", message)
}

fn refused(message: &str) -> Failure {
    Failure::new(EXIT_PROBLEMS, "ERR_INVALID_PAYLOAD", message)
}
