//! `qlik-jwt keygen --for oauth`, `qlik-jwt oauth assertion` and `qlik-jwt oauth explain`, as a
//! subprocess.

mod support;

use std::path::PathBuf;
use std::process::Output;

use serde_json::Value as Json;
use support::cli::{code, json, qlik_jwt, qlik_jwt_then};

const TENANT: &str = "https://acme.eu.qlikcloud.com";
const NOW: &str = "1712525123";

fn key_file(name: &str) -> String {
    format!("{}/testdata/keys/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("qlik-jwt-oauth-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// `qlik-jwt oauth assertion` (with `--json` when `json_output`) for client `c`, signing with the
/// key file at `key` under `key_id` for `tenant`, then `extra`.
fn assertion_by_c(
    json_output: bool,
    key: &str,
    key_id: &str,
    tenant: &str,
    extra: &[&str],
) -> Output {
    qlik_jwt_then(
        json_output,
        &[
            "oauth",
            "assertion",
            "--client-id",
            "c",
            "--key",
            key,
            "--key-id",
            key_id,
            "--tenant",
            tenant,
        ],
        extra,
    )
}

fn assertion(key: &str, extra: &[&str]) -> Output {
    let key = key_file(key);
    let mut args = vec![
        "oauth",
        "assertion",
        "--client-id",
        "my-client",
        "--key",
        &key,
        "--key-id",
        "kid-1",
        "--tenant",
        TENANT,
        "--now",
        NOW,
    ];
    args.extend_from_slice(extra);
    qlik_jwt(&args)
}

#[test]
fn the_oauth_subcommands_have_help() {
    for sub in [
        &["oauth"][..],
        &["oauth", "assertion"],
        &["oauth", "explain"],
    ] {
        let mut args = sub.to_vec();
        args.push("--help");
        let help = qlik_jwt(&args);
        assert_eq!(code(&help), 0, "{sub:?}");
        let text = String::from_utf8_lossy(&help.stdout);
        assert!(
            text.contains(&format!("Usage: qlik-jwt {}", sub.join(" "))),
            "{text}"
        );
    }
    let top = String::from_utf8_lossy(&qlik_jwt(&["--help"]).stdout).into_owned();
    assert!(top.contains("oauth"), "{top}");
}

#[test]
fn assertion_prints_qliks_claims_as_json() {
    let output = assertion("rsa2048-private-pkcs8.pem", &["--json"]);
    assert_eq!(
        code(&output),
        0,
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let body = json(&output);
    assert_eq!(body["ok"], true);
    assert_eq!(
        body["header"],
        serde_json::json!({"alg": "RS256", "kid": "kid-1"})
    );
    let payload = &body["payload"];
    assert_eq!(payload["iss"], "my-client");
    assert_eq!(payload["sub"], "my-client");
    assert_eq!(payload["aud"], "https://acme.eu.qlikcloud.com/oauth/token");
    assert_eq!(payload["iat"], 1_712_525_123);
    assert_eq!(payload["exp"], 1_712_525_123 + 240);
    assert_eq!(payload["jti"].as_str().unwrap().len(), 36);
    assert_eq!(
        body["clientAssertionType"],
        "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
    );
    assert_eq!(body["tokenEndpoint"], payload["aud"]);
}

#[test]
fn assertion_reads_a_private_jwk_file() {
    let key = format!(
        "{}/testdata/keys/rsa2048-private.jwk.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let output = assertion_by_c(true, &key, "k", TENANT, &[]);
    assert_eq!(
        code(&output),
        0,
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(json(&output)["header"]["alg"], "RS256");
}

#[test]
fn explain_accepts_the_assertion_and_exits_1_for_a_refused_one() {
    let output = assertion("rsa2048-private-pkcs8.pem", &["--token-only"]);
    assert_eq!(code(&output), 0);
    let token = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    assert_eq!(token.split('.').count(), 3);
    let public = key_file("rsa2048-public-spki.pem");
    let explain = |client: &str, at: &str| {
        qlik_jwt(&[
            "--json",
            "oauth",
            "explain",
            "--client-id",
            client,
            "--tenant",
            "https://acme.eu.qlikcloud.com/",
            "--public-key",
            &public,
            "--key-id",
            "kid-1",
            "--now",
            at,
            &token,
        ])
    };
    let accepted = explain("my-client", NOW);
    assert_eq!(code(&accepted), 0);
    assert_eq!(json(&accepted)["accepted"], true);
    let refused = explain("another-client", "1712526000");
    assert_eq!(code(&refused), 1);
    let codes: Vec<String> = json(&refused)["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["code"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        codes,
        ["OAUTH_ISS_MISMATCH", "OAUTH_SUB_MISMATCH", "OAUTH_EXPIRED"]
    );
}

#[test]
fn assertion_refuses_keys_and_tenants_qlik_would_not_take() {
    let ec256 = assertion("ec256-private-pkcs8.pem", &["--json"]);
    assert_eq!(code(&ec256), 1);
    assert_eq!(json(&ec256)["error"]["code"], "ERR_OAUTH_KEY_NOT_ALLOWED");
    let small = assertion("rsa1024-private-pkcs8.pem", &["--json"]);
    assert_eq!(json(&small)["error"]["code"], "ERR_KEY_TOO_SMALL");
    let key = key_file("rsa2048-private-pkcs8.pem");
    let path = assertion_by_c(
        true,
        &key,
        "k",
        "https://acme.eu.qlikcloud.com/oauth/token",
        &[],
    );
    assert_eq!(code(&path), 1);
    assert_eq!(json(&path)["error"]["code"], "ERR_OAUTH_TENANT_URL");
    let long = assertion("rsa2048-private-pkcs8.pem", &["--lifetime", "301"]);
    assert_eq!(code(&long), 1);
}

#[test]
fn keygen_for_oauth_writes_a_private_key_and_a_jwk_that_explain_reads() {
    let dir = temp_dir("keygen");
    let out = dir.to_string_lossy().into_owned();
    let made = qlik_jwt(&[
        "--json",
        "keygen",
        "--for",
        "oauth",
        "--key-type",
        "ec",
        "--key-id",
        "kid-7",
        "--out",
        &out,
    ]);
    assert_eq!(code(&made), 0, "{}", String::from_utf8_lossy(&made.stderr));
    let body = json(&made);
    assert_eq!(body["algorithm"], "ES384");
    let jwk: Json =
        serde_json::from_str(&std::fs::read_to_string(dir.join("publickey.jwk.json")).unwrap())
            .unwrap();
    assert_eq!(jwk, body["jwk"]);
    for (member, value) in [
        ("kty", "EC"),
        ("crv", "P-384"),
        ("kid", "kid-7"),
        ("alg", "ES384"),
        ("use", "sig"),
    ] {
        assert_eq!(jwk[member], value, "{member}");
    }
    assert!(jwk.get("d").is_none());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(dir.join("privatekey.pem"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let key = dir.join("privatekey.pem").to_string_lossy().into_owned();
    let signed = assertion_by_c(false, &key, "kid-7", TENANT, &["--token-only"]);
    assert_eq!(code(&signed), 0);
    let token = String::from_utf8_lossy(&signed.stdout).trim().to_owned();
    let jwk_path = dir
        .join("publickey.jwk.json")
        .to_string_lossy()
        .into_owned();
    let explained = qlik_jwt(&[
        "oauth",
        "explain",
        "--client-id",
        "c",
        "--tenant",
        TENANT,
        "--jwk",
        &jwk_path,
        &token,
    ]);
    assert_eq!(
        code(&explained),
        0,
        "{}",
        String::from_utf8_lossy(&explained.stdout)
    );
    let again = qlik_jwt(&[
        "keygen",
        "--for",
        "oauth",
        "--key-type",
        "ec",
        "--key-id",
        "k",
        "--out",
        &out,
    ]);
    assert_eq!(code(&again), 3, "an existing key is not replaced");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn keygen_for_oauth_usage_errors_exit_2() {
    for args in [
        &["keygen", "--for", "oauth"][..],
        &[
            "keygen",
            "--for",
            "oauth",
            "--key-id",
            "k",
            "--key-type",
            "p256",
        ],
        &[
            "keygen", "--for", "oauth", "--key-id", "k", "--type", "rsa2048",
        ],
        &["keygen", "--key-type", "ec"],
        &["keygen", "--key-id", "k"],
        &[
            "oauth",
            "explain",
            "--client-id",
            "c",
            "--tenant",
            TENANT,
            "--key-id",
            "k",
            "t.t.t",
        ],
    ] {
        assert_eq!(code(&qlik_jwt(args)), 2, "{args:?}");
    }
}
