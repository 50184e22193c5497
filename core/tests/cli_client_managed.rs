//! `qlik-jwt sign`, `explain` and `virtual-proxy-config` for client-managed Qlik Sense, as a
//! subprocess: tokens for a JWT virtual proxy, refusals with exit 1, the QRS body.

mod support;

use std::process::Output;

use serde_json::Value as Json;
use support::cli::{code, command, json, stderr, stdout};

const PASSWORD_VAR: &str = "QLIK_JWT_TEST_PFX_PASSWORD";
const NOW: &str = "1700000000";

fn qlik_jwt(args: &[&str]) -> Output {
    command(args)
        .env(PASSWORD_VAR, "qlik-jwt-test")
        .output()
        .expect("qlik-jwt runs")
}

fn key_file(name: &str) -> String {
    support::keys_dir().join(name).to_str().unwrap().to_owned()
}

fn sign(extra: &[&str]) -> Output {
    sign_at(NOW, extra)
}

/// `sign --profile client-managed` for ann of CORP as if now were `now`, then `extra`.
fn sign_at(now: &str, extra: &[&str]) -> Output {
    let mut args = vec![
        "sign",
        "--profile",
        "client-managed",
        "--user-id",
        "ann",
        "--user-directory",
        "CORP",
        "--now",
        now,
    ];
    args.extend_from_slice(extra);
    qlik_jwt(&args)
}

fn explain(token: &str, extra: &[&str]) -> Output {
    let cert = key_file("qlik-export-client.pem");
    let mut args = vec![
        "explain",
        "--json",
        "--profile",
        "client-managed",
        "--cert",
        &cert,
        "--now",
        NOW,
    ];
    args.extend_from_slice(extra);
    args.push(token);
    qlik_jwt(&args)
}

fn codes(body: &Json) -> Vec<String> {
    body["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["code"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn sign_makes_a_token_under_the_proxys_attribute_names() {
    let key = key_file("qlik-export-client_key.pem");
    let out = sign(&[
        "--json",
        "--key",
        &key,
        "--user-id-attribute",
        "uid",
        "--user-directory-attribute",
        "dir",
        "--attribute",
        "group=memberOf",
        "--group",
        "Sales",
        "--group",
        "EU",
        "--claim",
        "email=ann@example.com",
        "--audience",
        "qlik.example",
        "--key-id",
        "k1",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let body = json(&out);
    assert_eq!(body["profile"], "client-managed");
    assert_eq!(body["header"]["alg"], "RS256");
    assert_eq!(body["header"]["kid"], "k1");
    let claims = &body["payload"];
    assert_eq!(claims["uid"], "ann");
    assert_eq!(claims["dir"], "CORP");
    assert_eq!(claims["memberOf"], serde_json::json!(["Sales", "EU"]));
    assert_eq!(claims["email"], "ann@example.com");
    assert_eq!(claims["aud"], "qlik.example");
    assert_eq!(claims["iat"], 1_700_000_000);
    assert!(claims.get("iss").is_none() && claims.get("jti").is_none());
    assert_eq!(body["problems"], serde_json::json!([]));
}

#[test]
fn pem_and_pfx_keys_sign_tokens_the_proxy_certificate_accepts() {
    for (key, passphrase) in [
        ("qlik-export-client_key.pem", None),
        ("qlik-export-client.pfx", Some(PASSWORD_VAR)),
        ("qlik-export-client-aes256.pfx", Some(PASSWORD_VAR)),
    ] {
        let key = key_file(key);
        let mut args = vec!["--key", key.as_str(), "--token-only", "--group", "Sales"];
        if let Some(var) = passphrase {
            args.extend_from_slice(&["--passphrase-env", var]);
        }
        let out = sign(&args);
        assert_eq!(code(&out), 0, "{key}: {}", stderr(&out));
        let token = stdout(&out).trim().to_owned();
        assert_eq!(
            token.split('.').count(),
            3,
            "{key}: only the token is printed"
        );
        let judged = explain(
            &token,
            &[
                "--user-id-attribute",
                "userId",
                "--user-directory-attribute",
                "userDirectory",
            ],
        );
        assert_eq!(code(&judged), 0, "{key}: {}", stdout(&judged));
        assert_eq!(json(&judged)["accepted"], true);
    }
}

#[test]
fn explain_exits_1_with_the_reason_the_proxy_would_refuse() {
    let key = key_file("qlik-export-client_key.pem");
    let token = stdout(&sign(&["--key", &key, "--token-only"]))
        .trim()
        .to_owned();
    let cases: [(&[&str], &str); 3] = [
        (
            &[
                "--user-id-attribute",
                "userid",
                "--user-directory-attribute",
                "userDirectory",
            ],
            "QSE_ATTRIBUTE_CASE",
        ),
        (
            &[
                "--user-id-attribute",
                "userId",
                "--user-directory-attribute",
                "userDirectory",
                "--audience",
                "qlik.example",
            ],
            "QSE_AUDIENCE_MISMATCH",
        ),
        (
            &[
                "--user-id-attribute",
                "userId",
                "--user-directory-attribute",
                "userDirectory",
                "--mandatory-attribute",
                "email=email",
            ],
            "QSE_ATTRIBUTE_MISSING",
        ),
    ];
    for (flags, expected) in cases {
        let out = explain(&token, flags);
        assert_eq!(code(&out), 1, "{expected}: {}", stdout(&out));
        let body = json(&out);
        assert_eq!(body["accepted"], false);
        assert!(codes(&body).contains(&expected.to_owned()), "{body}");
    }
    let names = [
        "--user-id-attribute",
        "userId",
        "--user-directory-attribute",
        "userDirectory",
    ];
    let early = ["--key", key.as_str(), "--token-only"];
    let old = sign_at("1600000000", &early);
    let out = explain(stdout(&old).trim(), &names);
    assert_eq!(code(&out), 1);
    assert!(codes(&json(&out)).contains(&"QSE_EXPIRED".to_owned()));

    let other_cert = key_file("rsa2048-cert.pem");
    let out = qlik_jwt(&[
        "explain",
        "--json",
        "--profile",
        "client-managed",
        "--cert",
        &other_cert,
        "--user-id-attribute",
        "userId",
        "--user-directory-attribute",
        "userDirectory",
        "--now",
        NOW,
        &token,
    ]);
    assert_eq!(code(&out), 1);
    assert!(codes(&json(&out)).contains(&"QSE_SIGNATURE_INVALID".to_owned()));
}

#[test]
fn explain_needs_both_attribute_names() {
    let out = explain("a.b.c", &["--user-id-attribute", "userId"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("--user-directory-attribute is required"));
}

#[test]
fn flags_of_the_other_profile_are_usage_errors() {
    let key = key_file("qlik-export-client_key.pem");
    let cases: [(Vec<&str>, &str); 4] = [
        (
            vec!["sign", "--key", &key, "--user-id", "ann", "--sub", "x"],
            "--user-id",
        ),
        (
            vec!["explain", "--user-id-attribute", "userId", "a.b.c"],
            "--user-id-attribute",
        ),
        (
            vec![
                "sign",
                "--profile",
                "client-managed",
                "--key",
                &key,
                "--issuer",
                "x",
                "--user-id",
                "a",
                "--user-directory",
                "b",
            ],
            "--issuer",
        ),
        (
            vec!["explain", "--profile", "client-managed", "--demo", "a.b.c"],
            "--demo",
        ),
    ];
    for (args, flag) in cases {
        let out = qlik_jwt(&args);
        assert_eq!(code(&out), 2, "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(flag), "{args:?}: {}", stderr(&out));
    }
}

#[test]
fn sign_refuses_what_the_proxy_would_refuse() {
    let ec = key_file("ec256-private-pkcs8.pem");
    let out = sign(&["--json", "--key", &ec]);
    assert_eq!(code(&out), 1);
    let body = json(&out);
    assert_eq!(body["error"]["code"], "ERR_QLIK_RULE");
    assert!(body["error"]["message"].as_str().unwrap().contains("RSA"));
    let key = key_file("qlik-export-client_key.pem");
    let out = sign(&["--key", &key, "--user-id-attribute", "sub"]);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("registered JWT claim"),
        "{}",
        stderr(&out)
    );
    let pfx = key_file("qlik-export-client.pfx");
    let out = sign(&["--json", "--key", &pfx]);
    assert_eq!(code(&out), 1);
    let body = json(&out);
    assert_eq!(body["error"]["code"], "ERR_INVALID_KEY");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.contains("password is wrong"), "{message}");
    assert!(message.contains("--passphrase-env"), "{message}");
}

#[test]
fn virtual_proxy_config_prints_the_qrs_body() {
    let cert = key_file("qlik-export-client.pem");
    let key = key_file("qlik-export-client.pfx");
    let out = qlik_jwt(&[
        "virtual-proxy-config",
        "--prefix",
        "jwt",
        "--cert",
        &cert,
        "--attribute",
        "group=groups",
        "--audience",
        "qlik.example",
        "--node",
        "d4b844ba-66cc-4a38-aa6c-8d0516641bc2",
        "--websocket-origin",
        "mashup.example.com",
        "--key",
        &key,
        "--passphrase-env",
        PASSWORD_VAR,
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let body: Json = serde_json::from_str(&stdout(&out)).expect("stdout is the body alone");
    assert_eq!(body["prefix"], "jwt");
    assert_eq!(body["authenticationMethod"], 4);
    assert_eq!(body["sessionCookieHeaderName"], "X-Qlik-Session-jwt");
    assert_eq!(body["jwtAttributeUserId"], "userId");
    assert_eq!(body["jwtAttributeUserDirectory"], "userDirectory");
    assert_eq!(body["jwtAudience"], "qlik.example");
    assert_eq!(body["jwtAttributeMap"][0]["jwtAttribute"], "groups");
    assert_eq!(
        body["loadBalancingServerNodes"][0]["id"],
        "d4b844ba-66cc-4a38-aa6c-8d0516641bc2"
    );
    assert_eq!(
        body["websocketCrossOriginWhiteList"][0],
        "mashup.example.com"
    );
    assert!(
        body["jwtPublicKeyCertificate"]
            .as_str()
            .unwrap()
            .starts_with("-----BEGIN CERTIFICATE-----\n")
    );
    assert!(stderr(&out).contains("/qrs/virtualproxyconfig"));

    let out = qlik_jwt(&[
        "virtual-proxy-config",
        "--json",
        "--prefix",
        "JWT",
        "--cert",
        &cert,
    ]);
    assert_eq!(code(&out), 1);
    let body = json(&out);
    assert_eq!(body["error"]["code"], "ERR_INVALID_OPTION");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("lowercase")
    );

    let other_key = key_file("rsa2048-private-pkcs8.pem");
    let out = qlik_jwt(&[
        "virtual-proxy-config",
        "--json",
        "--prefix",
        "jwt",
        "--cert",
        &cert,
        "--key",
        &other_key,
    ]);
    assert_eq!(code(&out), 1);
    assert_eq!(json(&out)["error"]["code"], "ERR_KEY_MISMATCH");

    let help = qlik_jwt(&["--help"]);
    assert!(stdout(&help).contains("virtual-proxy-config"));
    let help = qlik_jwt(&["virtual-proxy-config", "--help"]);
    assert_eq!(code(&help), 0);
    assert!(stdout(&help).contains("Usage: qlik-jwt virtual-proxy-config"));
}
