//! The whole OAuth path from the command line, as a subprocess: `keygen --for oauth`, a local
//! `tenant --oauth-client-id --oauth-jwk`, then `oauth token` machine to machine and with
//! `--impersonate`, each token honoured by `/api/v1/users/me`; a refusal keeps Qlik's fields.

mod support;

use std::path::PathBuf;
use std::process::Output;

use serde_json::Value as Json;
use support::cli::{TenantProcess, json, qlik_jwt, qlik_jwt_then};

/// `qlik-jwt oauth token` (with `--json` when `json_output`) at `tenant` as `client_id`, signing
/// with `key` under kid-9, then `extra`.
fn oauth_token(
    json_output: bool,
    tenant: &str,
    client_id: &str,
    key: &str,
    extra: &[&str],
) -> Output {
    qlik_jwt_then(
        json_output,
        &[
            "oauth",
            "token",
            "--tenant",
            tenant,
            "--client-id",
            client_id,
            "--key",
            key,
            "--key-id",
            "kid-9",
        ],
        extra,
    )
}

fn users_me(url: &str, token: &str) -> Json {
    let mut answer = ureq::get(format!("{url}/api/v1/users/me"))
        .header("Authorization", format!("Bearer {token}"))
        .call()
        .unwrap();
    serde_json::from_str(&answer.body_mut().read_to_string().unwrap()).unwrap()
}

#[test]
fn keygen_tenant_and_token_machine_to_machine_and_impersonating() {
    let dir = std::env::temp_dir().join(format!("qlik-jwt-oauth-token-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let out = dir.to_string_lossy().into_owned();
    let made = qlik_jwt(&[
        "keygen",
        "--for",
        "oauth",
        "--key-type",
        "ec",
        "--key-id",
        "kid-9",
        "--out",
        &out,
    ]);
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let key = PathBuf::from(&out).join("privatekey.pem");
    let jwk = PathBuf::from(&out).join("publickey.jwk.json");
    let (key, jwk) = (key.to_str().unwrap(), jwk.to_str().unwrap());

    // No JWT identity provider flags: OAuth alone.
    let tenant = TenantProcess::start(&["--oauth-client-id", "cli-client", "--oauth-jwk", jwk]);
    assert_eq!(tenant.first["oauthClients"][0], "cli-client");
    assert!(tenant.first.get("issuer").is_none());
    let token_args = |extra: &[&str]| oauth_token(true, &tenant.url, "cli-client", key, extra);

    let m2m = token_args(&[]);
    assert!(
        m2m.status.success(),
        "{}",
        String::from_utf8_lossy(&m2m.stderr)
    );
    let body = json(&m2m);
    assert_eq!(body["ok"], true);
    assert_eq!(body["expires_in"], 3600);
    // `expires_at` as Qlik's token endpoint writes it: an ISO 8601 date-time.
    let expires_at = body["expires_at"].as_str().unwrap_or_default();
    assert!(
        expires_at.len() == 24 && expires_at.ends_with(".000Z") && expires_at.contains('T'),
        "{body}"
    );
    let token = body["access_token"].as_str().unwrap();
    assert_eq!(users_me(&tenant.url, token)["subject"], "cli-client");

    let as_alice = json(&token_args(&["--impersonate", "auth0|alice"]));
    let token = as_alice["access_token"].as_str().unwrap();
    assert_eq!(users_me(&tenant.url, token)["subject"], "auth0|alice");

    // Text output: the token on the first line.
    let text = oauth_token(false, &tenant.url, "cli-client", key, &[]);
    let stdout = String::from_utf8_lossy(&text.stdout);
    let first_line = stdout.lines().next().unwrap();
    assert_eq!(users_me(&tenant.url, first_line)["subject"], "cli-client");

    // A refusal: exit 1 with Qlik's fields.
    let refused = oauth_token(true, &tenant.url, "someone-else", key, &[]);
    assert_eq!(refused.status.code(), Some(1));
    let body = json(&refused);
    assert_eq!(body["ok"], false);
    assert_eq!(body["error"]["qlikCode"], "LOCAL-OAUTH-CLIENT", "{body}");
    assert_eq!(body["error"]["status"], 401);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_tenant_serves_oauth_beside_a_jwt_identity_provider() {
    let jwk_file =
        std::env::temp_dir().join(format!("qlik-jwt-oauth-jwk-{}.json", std::process::id()));
    let mut jwk: Json = serde_json::from_str(
        &std::fs::read_to_string(format!(
            "{}/testdata/keys/rsa2048-public.jwk.json",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap(),
    )
    .unwrap();
    jwk["kid"] = "k".into();
    jwk["alg"] = "RS256".into();
    jwk["use"] = "sig".into();
    std::fs::write(&jwk_file, jwk.to_string()).unwrap();
    let tenant = TenantProcess::start(&[
        "--demo",
        "--oauth-client-id",
        "both",
        "--oauth-jwk",
        jwk_file.to_str().unwrap(),
    ]);
    assert_eq!(tenant.first["keyId"], "qlik-jwt-demo");
    assert_eq!(tenant.first["oauthClients"][0], "both");
    let key = format!(
        "{}/testdata/keys/rsa2048-private-pkcs8.pem",
        env!("CARGO_MANIFEST_DIR")
    );
    let token = json(&qlik_jwt(&[
        "--json",
        "oauth",
        "token",
        "--tenant",
        &tenant.url,
        "--client-id",
        "both",
        "--key",
        &key,
        "--key-id",
        "k",
    ]));
    assert_eq!(
        users_me(&tenant.url, token["access_token"].as_str().unwrap())["subject"],
        "both"
    );
    // The key may also be a private JWK file, as the help says and `oauth assertion` reads.
    let jwk_key = format!(
        "{}/testdata/keys/rsa2048-private.jwk.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let from_jwk = json(&qlik_jwt(&[
        "--json",
        "oauth",
        "token",
        "--tenant",
        &tenant.url,
        "--client-id",
        "both",
        "--key",
        &jwk_key,
        "--key-id",
        "k",
    ]));
    assert_eq!(
        users_me(&tenant.url, from_jwk["access_token"].as_str().unwrap())["subject"],
        "both",
        "{from_jwk}"
    );
    // --oauth-jwk without --oauth-client-id is a usage error.
    let usage = qlik_jwt(&["tenant", "--oauth-jwk", jwk_file.to_str().unwrap()]);
    assert_eq!(usage.status.code(), Some(2));
    let _ = std::fs::remove_file(&jwk_file);
}
