//! The `qlik-jwt` command end to end, as a subprocess: help, exit codes, JSON output, and the
//! whole path keygen → sign → explain → tenant → login.

mod support;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};

use support::cli::{BIN, TenantProcess, code, json, qlik_jwt, stderr, stdout};

fn with_stdin(args: &[&str], input: &str) -> Output {
    let mut child = std::process::Command::new(BIN)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("qlik-jwt runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("qlik-jwt-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn every_subcommand_has_help() {
    let top = qlik_jwt(&["--help"]);
    assert_eq!(code(&top), 0);
    let text = stdout(&top);
    let subcommands = [
        "keygen",
        "sign",
        "explain",
        "idp-config",
        "login",
        "tenant",
        "demo",
    ];
    for sub in subcommands {
        assert!(text.contains(sub), "top-level help lists {sub}: {text}");
        let help = qlik_jwt(&[sub, "--help"]);
        assert_eq!(code(&help), 0, "{sub} --help");
        assert!(
            stdout(&help).contains(&format!("Usage: qlik-jwt {sub}")),
            "{sub}: {}",
            stdout(&help)
        );
    }
    assert!(
        text.contains("Exit codes"),
        "the exit codes are documented in --help"
    );
    assert_eq!(code(&qlik_jwt(&["--version"])), 0);
}

#[test]
fn usage_errors_exit_2_on_stderr() {
    for args in [
        &["--no-such-flag"][..],
        &[][..],
        &["sign"][..],
        &["sign", "--demo", "--key", "k.pem"][..],
        &["keygen", "--type", "rsa1024"][..],
        &["login"][..],
    ] {
        let out = qlik_jwt(args);
        assert_eq!(code(&out), 2, "{args:?}: {}", stderr(&out));
        assert!(
            !stderr(&out).is_empty(),
            "{args:?}: the error goes to stderr"
        );
    }
    let out = qlik_jwt(&["sign", "--json"]);
    assert_eq!(code(&out), 2);
    let body = json(&out);
    assert_eq!(body["ok"], false);
    assert_eq!(body["error"]["code"], "ERR_USAGE");
}

#[test]
fn files_that_cannot_be_read_exit_3() {
    let out = qlik_jwt(&[
        "sign",
        "--key",
        "/no/such/key.pem",
        "--key-id",
        "k",
        "--issuer",
        "i",
        "--sub",
        "s",
        "--name",
        "n",
    ]);
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    assert!(stderr(&out).contains("/no/such/key.pem"));
    let out = qlik_jwt(&[
        "idp-config",
        "--cert",
        "/no/such/cert.cer",
        "--issuer",
        "i",
        "--key-id",
        "k",
        "--json",
    ]);
    assert_eq!(code(&out), 3);
    assert_eq!(json(&out)["error"]["code"], "ERR_IO");
}

#[test]
fn sign_demo_prints_the_token_and_its_claims() {
    let out = qlik_jwt(&["sign", "--demo"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    let token = text.lines().next().unwrap();
    assert_eq!(token.split('.').count(), 3);
    for expected in [
        "DEMO",
        "\"kid\": \"qlik-jwt-demo\"",
        "\"aud\": \"qlik.api/login/jwt-session\"",
        "\"subType\": \"user\"",
        "Qlik would accept",
    ] {
        assert!(text.contains(expected), "missing {expected}: {text}");
    }
    let only = qlik_jwt(&["sign", "--demo", "--token-only"]);
    assert_eq!(stdout(&only).trim().lines().count(), 1);
    let as_json = json(&qlik_jwt(&[
        "sign", "--demo", "--json", "--sub", "alice", "--group", "A", "--group", "B",
    ]));
    assert_eq!(as_json["ok"], true);
    assert_eq!(as_json["payload"]["sub"], "alice");
    assert_eq!(as_json["payload"]["groups"], serde_json::json!(["A", "B"]));
    assert_eq!(as_json["header"]["alg"], "RS256");
    assert_eq!(as_json["problems"], serde_json::json!([]));
    let explained = qlik_jwt(&["explain", "--demo", as_json["token"].as_str().unwrap()]);
    assert_eq!(code(&explained), 0, "{}", stdout(&explained));
}

#[test]
fn sign_refuses_what_qlik_would_refuse() {
    let dir = temp_dir("refuse");
    let user_file = dir.join("user.json");
    std::fs::write(&user_file, r#"{"sub":"s","name":"n","group":["x"]}"#).unwrap();
    let out = qlik_jwt(&["sign", "--demo", "--user", path(&user_file)]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(stderr(&out).contains("groups, plural"), "{}", stderr(&out));
    std::fs::write(
        &user_file,
        r#"{"sub":"s","name":"n","email_verified":"true"}"#,
    )
    .unwrap();
    assert_eq!(
        code(&qlik_jwt(&["sign", "--demo", "--user", path(&user_file)])),
        1
    );
    std::fs::write(
        &user_file,
        r#"{"sub":"from-file","name":"File User","email":"f@x","groups":["G"]}"#,
    )
    .unwrap();
    let body = json(&qlik_jwt(&[
        "sign",
        "--demo",
        "--json",
        "--user",
        path(&user_file),
        "--name",
        "Flag",
    ]));
    assert_eq!(body["payload"]["sub"], "from-file");
    assert_eq!(body["payload"]["name"], "Flag", "flags override the file");
    assert_eq!(body["payload"]["groups"], serde_json::json!(["G"]));
    let long = qlik_jwt(&["sign", "--demo", "--lifetime", "7200", "--json"]);
    assert_eq!(
        code(&long),
        1,
        "a window over 3600 s is refused: {}",
        stdout(&long)
    );
    assert_eq!(json(&long)["ok"], false);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn explain_reads_stdin_and_exits_1_for_refused_tokens() {
    let token = stdout(&qlik_jwt(&["sign", "--demo", "--token-only"]))
        .trim()
        .to_owned();
    let ok = with_stdin(&["explain", "--demo", "--json"], &format!("{token}\n"));
    assert_eq!(code(&ok), 0, "{}", stdout(&ok));
    assert_eq!(json(&ok)["accepted"], true);
    let wrong_issuer = with_stdin(
        &["explain", "--issuer", "someone-else", "--json", "-"],
        &token,
    );
    assert_eq!(code(&wrong_issuer), 1);
    let body = json(&wrong_issuer);
    assert_eq!(body["ok"], true, "the command worked; the token is refused");
    assert_eq!(body["accepted"], false);
    assert_eq!(body["problems"][0]["code"], "QLIK_ISSUER_MISMATCH");
    let garbage = qlik_jwt(&["explain", "garbage"]);
    assert_eq!(code(&garbage), 1);
    assert!(stdout(&garbage).contains("QLIK_MALFORMED_TOKEN"));
    // Much later the same token has expired.
    let later = qlik_jwt(&["explain", "--demo", "--now", "4000000000", &token]);
    assert_eq!(code(&later), 1);
    assert!(stdout(&later).contains("QLIK_EXPIRED"));
}

#[test]
fn keygen_sign_explain_tenant_login() {
    let dir = temp_dir("path");
    let keygen = qlik_jwt(&[
        "keygen",
        "--type",
        "p256",
        "--out",
        path(&dir),
        "--json",
        "--issuer",
        "https://me",
        "--key-id",
        "k1",
    ]);
    assert_eq!(code(&keygen), 0, "{}", stderr(&keygen));
    let made = json(&keygen);
    assert_eq!(made["algorithm"], "ES256");
    let key = made["privateKey"].as_str().unwrap().to_owned();
    let cert = made["certificate"].as_str().unwrap().to_owned();
    assert!(!made["singleLinePem"].as_str().unwrap().contains('\n'));
    assert_eq!(
        made["identityProvider"]["options"]["staticKeys"][0]["kid"],
        "k1"
    );
    assert_eq!(
        code(&qlik_jwt(&[
            "keygen",
            "--type",
            "p256",
            "--out",
            path(&dir)
        ])),
        3,
        "no overwrite"
    );

    let idp = json(&qlik_jwt(&[
        "idp-config",
        "--cert",
        &cert,
        "--issuer",
        "https://me",
        "--key-id",
        "k1",
        "--key",
        &key,
        "--json",
    ]));
    assert_eq!(idp["body"]["protocol"], "jwtAuth");
    assert_eq!(idp["body"], made["identityProvider"]);
    let line = qlik_jwt(&["idp-config", "--cert", &cert, "--single-line"]);
    assert_eq!(
        stdout(&line).trim(),
        made["singleLinePem"].as_str().unwrap()
    );
    // The single line that Qlik's console holds works as the certificate too.
    let console_cert = dir.join("console.txt");
    std::fs::write(&console_cert, stdout(&line)).unwrap();
    let console_cert = path(&console_cert).to_owned();

    let sign = |sub: &str| {
        let out = qlik_jwt(&[
            "sign",
            "--key",
            &key,
            "--key-id",
            "k1",
            "--issuer",
            "https://me",
            "--sub",
            sub,
            "--name",
            "Person",
            "--email",
            "p@example.com",
            "--email-verified",
            "true",
            "--token-only",
        ]);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        stdout(&out).trim().to_owned()
    };
    let token = sign("person-1");
    // email_verified vouches for the address: outside --demo, the user must say it.
    let unsaid = qlik_jwt(&[
        "sign",
        "--key",
        &key,
        "--key-id",
        "k1",
        "--issuer",
        "https://me",
        "--sub",
        "p",
        "--name",
        "Person",
        "--json",
    ]);
    assert_eq!(code(&unsaid), 2, "{}", stdout(&unsaid));
    let error = &json(&unsaid)["error"];
    assert_eq!(error["code"], "ERR_USAGE");
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("email_verified is required"),
        "{error}"
    );
    let explained = qlik_jwt(&[
        "explain",
        "--cert",
        &cert,
        "--issuer",
        "https://me",
        "--key-id",
        "k1",
        &token,
    ]);
    assert_eq!(code(&explained), 0, "{}", stdout(&explained));
    let with_console_cert = qlik_jwt(&[
        "explain",
        "--cert",
        &console_cert,
        "--issuer",
        "https://me",
        "--key-id",
        "k1",
        &token,
    ]);
    assert_eq!(
        code(&with_console_cert),
        0,
        "{}",
        stdout(&with_console_cert)
    );
    let other_kid = qlik_jwt(&[
        "explain",
        "--cert",
        &cert,
        "--issuer",
        "https://me",
        "--key-id",
        "k2",
        &token,
    ]);
    assert_eq!(code(&other_kid), 1, "{}", stdout(&other_kid));

    let tenant = TenantProcess::start(&[
        "--cert",
        &console_cert,
        "--issuer",
        "https://me",
        "--key-id",
        "k1",
    ]);
    let login = qlik_jwt(&["login", "--url", &tenant.url, "--json", &token]);
    assert_eq!(code(&login), 0, "{}", stderr(&login));
    let session = json(&login);
    assert_eq!(session["get"]["status"], 200);
    assert_eq!(session["get"]["body"]["subject"], "person-1");
    assert_eq!(
        session["cookies"],
        serde_json::json!(["eas.sid", "eas.sid.sig", "_csrfToken", "_csrfToken.sig"])
    );

    let replay = qlik_jwt(&["login", "--url", &tenant.url, "--json", &token]);
    assert_eq!(code(&replay), 1);
    let error = &json(&replay)["error"];
    assert_eq!(error["status"], 401);
    assert_eq!(error["qlikCode"], "LOCAL-TOKEN-REPLAYED");
    assert!(error["traceId"].is_string());

    let text = with_stdin(&["login", "--url", &tenant.url], &sign("person-2"));
    assert_eq!(code(&text), 0, "{}", stderr(&text));
    assert!(stdout(&text).contains("person-2"));

    // A token of the demo key is refused by this tenant, with the core's hint.
    let demo = stdout(&qlik_jwt(&["sign", "--demo", "--token-only"]))
        .trim()
        .to_owned();
    let refused = qlik_jwt(&["login", "--url", &tenant.url, &demo]);
    assert_eq!(code(&refused), 1);
    assert!(
        stderr(&refused).contains("HTTP 401"),
        "{}",
        stderr(&refused)
    );
    drop(tenant);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_key_that_does_not_belong_to_the_certificate_is_refused() {
    let dir = temp_dir("mismatch");
    let (a, b) = (dir.join("a"), dir.join("b"));
    assert_eq!(
        code(&qlik_jwt(&["keygen", "--type", "p256", "--out", path(&a)])),
        0
    );
    assert_eq!(
        code(&qlik_jwt(&["keygen", "--type", "p256", "--out", path(&b)])),
        0
    );
    let out = qlik_jwt(&[
        "idp-config",
        "--cert",
        path(&a.join("publickey.cer")),
        "--key",
        path(&b.join("privatekey.pem")),
        "--issuer",
        "i",
        "--key-id",
        "k",
    ]);
    assert_eq!(code(&out), 1);
    assert!(stderr(&out).contains("does not belong"), "{}", stderr(&out));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_unreachable_tenant_exits_4() {
    let token = stdout(&qlik_jwt(&["sign", "--demo", "--token-only"]))
        .trim()
        .to_owned();
    // A port that was free a moment ago.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let out = qlik_jwt(&[
        "login",
        "--url",
        &format!("http://127.0.0.1:{port}"),
        &token,
    ]);
    assert_eq!(code(&out), 4, "{}", stderr(&out));
    assert_eq!(
        code(&qlik_jwt(&["login", "--url", "acme.example", &token])),
        2,
        "not a URL"
    );
}

#[test]
fn demo_runs_the_whole_path() {
    let out = qlik_jwt(&["demo"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    for expected in [
        "local Qlik tenant",
        "eas.sid",
        "demo-user",
        "LOCAL-TOKEN-REPLAYED",
    ] {
        assert!(text.contains(expected), "missing {expected}: {text}");
    }
    let body = json(&qlik_jwt(&["demo", "--json"]));
    assert_eq!(body["me"]["subject"], "demo-user");
    assert_eq!(body["replay"]["status"], 401);
}

#[test]
fn the_demo_tenant_takes_demo_tokens() {
    let tenant = TenantProcess::start(&["--demo"]);
    let token = stdout(&qlik_jwt(&["sign", "--demo", "--token-only"]))
        .trim()
        .to_owned();
    let out = qlik_jwt(&["login", "--url", &tenant.url, &token, "--json"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(json(&out)["get"]["body"]["subject"], "demo-user");
}
