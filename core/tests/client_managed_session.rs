//! The client-managed session client on `ureq`: one Bearer call opens the session, every later
//! call carries the proxy's cookie (and an xrfkey on QRS paths), never the token. Judged by what
//! a scripted proxy receives.

mod support;

use std::collections::HashMap;

use qlik_jwt::client::{ClientError, ClientManagedOptions, login_client_managed};
use support::scripted::{self, Seen};

/// A loopback proxy under `/jwt` that answers by path, and records each request.
fn scripted_proxy() -> (String, Seen) {
    let (origin, seen) = scripted::serve(|path, headers| {
        let bearer = headers
            .get("authorization")
            .map(|a| a.trim_start_matches("Bearer "));
        match (path.split('?').next().unwrap_or(""), bearer) {
            ("/jwt/qps/csrftoken", Some("full")) => (
                "429 Too Many Requests",
                "OnMaxParallelSessionsExceeded: too many sessions",
            ),
            ("/jwt/qps/csrftoken", Some("expired")) => ("401 Unauthorized", ""),
            ("/jwt/qps/csrftoken", Some(_)) => (
                "200 OK\r\n\
                 Set-Cookie: X-Qlik-Session-jwt-HTTP=sess-1; Path=/; HttpOnly\r\n\
                 qlik-csrf-token: csrf+1",
                "",
            ),
            ("/jwt/qrs/about", None) => (
                "200 OK\r\nContent-Type: application/json",
                r#"{"buildVersion":"x"}"#,
            ),
            _ => ("403 Forbidden", "Forbidden"),
        }
    });
    (format!("{origin}/jwt"), seen)
}

fn requests(seen: &Seen) -> Vec<(String, HashMap<String, String>)> {
    seen.lock().unwrap().clone()
}

#[test]
fn one_bearer_call_then_the_cookie_and_xrfkey_on_every_call() {
    let (url, seen) = scripted_proxy();
    let session =
        login_client_managed(&url, "signed.jwt.token", &ClientManagedOptions::default()).unwrap();
    assert_eq!(session.cookie_name(), "X-Qlik-Session-jwt-HTTP");
    assert_eq!(session.cookie_value().as_deref(), Some("sess-1"));
    assert_eq!(session.csrf_token(), "csrf+1");
    let port_url = url.trim_start_matches("http://");
    assert_eq!(
        session.websocket_url("my app"),
        format!("ws://{port_url}/app/my%20app?qlik-csrf-token=csrf%2B1")
    );
    let debug = format!("{session:?}");
    assert!(
        debug.contains("X-Qlik-Session-jwt-HTTP") && !debug.contains("sess-1"),
        "{debug}"
    );

    for _ in 0..3 {
        let about = session.get("/qrs/about").unwrap();
        assert_eq!(about.json().unwrap()["buildVersion"], "x");
    }
    let seen = requests(&seen);
    let logins: Vec<_> = seen
        .iter()
        .filter(|(_, h)| h.contains_key("authorization"))
        .collect();
    assert_eq!(logins.len(), 1, "one Bearer call opens one proxy session");
    assert!(logins[0].0.starts_with("GET /jwt/qps/csrftoken "));
    let calls: Vec<_> = seen
        .iter()
        .filter(|(l, _)| l.contains("/qrs/about"))
        .collect();
    assert_eq!(calls.len(), 3);
    let mut keys = Vec::new();
    for (line, headers) in calls {
        let key = headers.get("x-qlik-xrfkey").unwrap();
        assert!(
            line.contains(&format!("/jwt/qrs/about?xrfkey={key} ")),
            "{line}"
        );
        assert_eq!(
            headers.get("cookie").map(String::as_str),
            Some("X-Qlik-Session-jwt-HTTP=sess-1")
        );
        keys.push(key.clone());
    }
    keys.dedup();
    assert_eq!(keys.len(), 3, "a fresh xrfkey per call");
}

#[test]
fn refusals_say_what_they_mean() {
    let (url, seen) = scripted_proxy();
    let options = ClientManagedOptions::default();
    // 429 is retried (with the same token) before the answer is final.
    let Err(ClientError::Qlik(full)) = qlik_jwt::client::login_client_managed_with(
        &url,
        "full",
        &options,
        qlik_jwt::client::RetryPolicy {
            retries: 1,
            first_delay: std::time::Duration::ZERO,
        },
    ) else {
        panic!("the proxy is full")
    };
    assert_eq!(full.status, 429);
    assert!(
        full.hint
            .as_deref()
            .unwrap()
            .contains("5 parallel sessions")
    );
    assert_eq!(requests(&seen).len(), 2);

    let Err(ClientError::Qlik(refused)) = login_client_managed(&url, "expired", &options) else {
        panic!("401")
    };
    assert_eq!(refused.status, 401);
    assert!(
        refused
            .hint
            .as_deref()
            .unwrap()
            .starts_with("QSE_MALFORMED_TOKEN")
    );

    let session = login_client_managed(&url, "t", &options).unwrap();
    let Err(ClientError::Qlik(forbidden)) = session.get("/hub") else {
        panic!("403")
    };
    assert!(
        forbidden
            .hint
            .as_deref()
            .unwrap()
            .starts_with("QSE_HOST_NOT_ALLOWED")
    );
    assert!(matches!(
        login_client_managed(&url.replace("/jwt", ""), "t", &options),
        Err(ClientError::InvalidUrl(_))
    ));
}

fn cli(args: &[&str]) -> (i32, String, String) {
    let mut argv = vec!["qlik-jwt".to_owned()];
    argv.extend(args.iter().map(|a| (*a).to_owned()));
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    let code = qlik_jwt::cli::run(argv, &mut stdout, &mut stderr);
    (
        code,
        String::from_utf8(stdout).unwrap(),
        String::from_utf8(stderr).unwrap(),
    )
}

#[test]
fn the_command_prints_the_session_but_not_the_cookie_value_unless_asked() {
    let (url, seen) = scripted_proxy();
    let base = [
        "login",
        "--profile",
        "client-managed",
        "--url",
        url.as_str(),
    ];
    let (code, stdout, stderr) = cli(&[&base[..], &["tok"]].concat());
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("session cookie: X-Qlik-Session-jwt-HTTP"),
        "{stdout}"
    );
    assert!(stdout.contains("qlik-csrf-token: csrf+1"), "{stdout}");
    assert!(
        stdout.contains("/jwt/app/engineData?qlik-csrf-token=csrf%2B1"),
        "{stdout}"
    );
    assert!(stdout.contains("global context"), "{stdout}");
    assert!(!stdout.contains("sess-1") && !stderr.contains("sess-1"));

    let (code, stdout, _) = cli(&[
        &base[..],
        &["--json", "--app", "a1", "--show-cookie", "tok"],
    ]
    .concat());
    assert_eq!(code, 0);
    let body: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(body["ok"], true);
    assert_eq!(body["cookieName"], "X-Qlik-Session-jwt-HTTP");
    assert_eq!(body["cookieValue"], "sess-1");
    assert_eq!(body["csrfToken"], "csrf+1");
    assert!(
        body["websocketUrl"]
            .as_str()
            .unwrap()
            .ends_with("/jwt/app/a1?qlik-csrf-token=csrf%2B1")
    );
    assert_eq!(requests(&seen).len(), 2, "one call per login");

    let (code, stdout, _) = cli(&[&base[..], &["--json", "expired"]].concat());
    assert_eq!(code, 1);
    let body: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(body["error"]["code"], "ERR_QLIK_REFUSED");
    assert_eq!(body["error"]["status"], 401);
    let (code, _, stderr) = cli(&[&base[..], &["--web-integration-id", "w", "tok"]].concat());
    assert_eq!(code, 2, "{stderr}");
}

#[test]
fn a_cloud_login_refuses_the_client_managed_flags() {
    let (code, _, stderr) = cli(&["login", "--url", "http://127.0.0.1:1", "--show-cookie", "t"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("--show-cookie belong to --profile client-managed"),
        "{stderr}"
    );
}
