//! `qlik-jwt tenant --profile client-managed` as a subprocess: it serves the local virtual
//! proxy with the given settings, prints where and what to try, and refuses the Qlik Cloud
//! tenant's flags (and the proxy's flags without the profile) as usage errors.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::{SystemTime, UNIX_EPOCH};

use qlik_jwt::SigningKey;
use qlik_jwt::qlik::client_managed::{
    ClientManagedSigner, ClientManagedSignerConfig, ClientManagedUser, VirtualProxySettings,
};
use serde_json::Value as Json;

const BIN: &str = env!("CARGO_BIN_EXE_qlik-jwt");

fn key_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/keys")
        .join(name)
}

fn proxy_args() -> Vec<String> {
    [
        "tenant",
        "--profile",
        "client-managed",
        "--prefix",
        "jwt",
        "--cert",
        key_path("rsa2048-cert.pem").to_str().unwrap(),
        "--user-id-attribute",
        "userId",
        "--user-directory-attribute",
        "userDirectory",
        "--audience",
        "qlik-sense",
        "--max-parallel-sessions",
        "2",
        "--session-cookie-header-name",
        "X-Qlik-Session-cli",
        "--for",
        "120",
    ]
    .map(str::to_owned)
    .to_vec()
}

/// The proxy subprocess, its output and the first line it printed; killed when dropped.
struct Proxy {
    child: Child,
    output: BufReader<ChildStdout>,
    first_line: String,
}

impl Proxy {
    fn start(extra: &[&str]) -> Proxy {
        let mut child = Command::new(BIN)
            .args(proxy_args())
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("qlik-jwt runs");
        let mut output = BufReader::new(child.stdout.take().unwrap());
        let mut first_line = String::new();
        output.read_line(&mut first_line).unwrap();
        Proxy {
            child,
            output,
            first_line,
        }
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn token() -> String {
    let mut proxy = VirtualProxySettings::new("userId", "userDirectory");
    proxy.audience = Some("qlik-sense".into());
    let signer = ClientManagedSigner::new(ClientManagedSignerConfig {
        private_key: SigningKey::from_private(
            &std::fs::read(key_path("rsa2048-private-pkcs8.pem")).unwrap(),
            None,
        )
        .unwrap(),
        proxy,
        key_id: None,
        algorithm: None,
        not_before_skew_secs: None,
        lifetime_secs: None,
    })
    .unwrap();
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let user = ClientManagedUser {
        user_id: "jdoe".into(),
        user_directory: "CORP".into(),
        attributes: Vec::new(),
    };
    signer.sign(&user, now).unwrap()
}

/// A Bearer GET of `<url>/qps/csrftoken`: the raw response.
fn csrftoken(url: &str, token: &str) -> String {
    let rest = url.strip_prefix("http://").unwrap();
    let (host, path) = rest.split_once('/').unwrap();
    let mut stream = TcpStream::connect(host).unwrap();
    write!(
        stream,
        "GET /{path}/qps/csrftoken HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\n\
         Connection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
}

#[test]
fn the_proxy_runs_with_its_flags_and_takes_a_signed_token() {
    let proxy = Proxy::start(&["--json"]);
    let first: Json = serde_json::from_str(&proxy.first_line)
        .unwrap_or_else(|e| panic!("{e}: {:?}", proxy.first_line));
    assert_eq!(first["ok"], true);
    assert_eq!(first["profile"], "client-managed");
    assert_eq!(first["cookieName"], "X-Qlik-Session-cli-HTTP");
    let url = first["url"].as_str().unwrap();
    assert!(
        url.starts_with("http://127.0.0.1:") && url.ends_with("/jwt"),
        "{url}"
    );
    let token = token();
    for _ in 0..2 {
        let answer = csrftoken(url, &token);
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        assert!(
            answer.contains("Set-Cookie: X-Qlik-Session-cli-HTTP="),
            "{answer}"
        );
        assert!(answer.contains("qlik-csrf-token: "), "{answer}");
    }
    // --max-parallel-sessions 2: the third Bearer login of the user is refused.
    let third = csrftoken(url, &token);
    assert!(third.starts_with("HTTP/1.1 403"), "{third}");
    assert!(third.contains("LOCAL-MAX-PARALLEL-SESSIONS"), "{third}");
}

#[test]
fn a_mandatory_attribute_of_the_proxy_is_required_of_every_token() {
    let proxy = Proxy::start(&["--json", "--mandatory-attribute", "group=groups"]);
    let first: Json = serde_json::from_str(&proxy.first_line)
        .unwrap_or_else(|e| panic!("{e}: {:?}", proxy.first_line));
    let url = first["url"].as_str().unwrap();
    // The token carries no groups claim: the proxy refuses it, naming the missing attribute.
    let answer = csrftoken(url, &token());
    assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");
    assert!(answer.contains("groups"), "{answer}");
}

#[test]
fn the_text_output_says_where_the_proxy_is_and_what_to_try() {
    let mut proxy = Proxy::start(&[]);
    let mut text = proxy.first_line.clone();
    // The guide is eight lines; read the rest (the proxy keeps running, so read by lines).
    for _ in 0..7 {
        proxy.output.read_line(&mut text).unwrap();
    }
    assert!(
        text.starts_with("local client-managed Qlik Sense virtual proxy at http://127.0.0.1:"),
        "{text}"
    );
    for expected in [
        "user id attribute \"userId\"",
        "audience \"qlik-sense\"",
        "session cookie X-Qlik-Session-cli-HTTP; at most 2 parallel sessions per user",
        "--user-id-attribute userId --user-directory-attribute userDirectory --token-only",
        "/jwt/qps/csrftoken",
        "/jwt/app/<appId>?qlik-csrf-token=<token>",
    ] {
        assert!(text.contains(expected), "missing {expected}: {text}");
    }
}

fn usage_error(args: &[&str]) -> String {
    let output = Command::new(BIN)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{args:?}");
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn flags_of_the_other_profile_and_missing_settings_are_usage_errors() {
    let cert = key_path("rsa2048-cert.pem");
    let cert = cert.to_str().unwrap();
    let base = ["tenant", "--profile", "client-managed", "--cert", cert];
    let missing = usage_error(&[&base[..], &["--prefix", "jwt"]].concat());
    assert!(
        missing.contains("--user-id-attribute is required"),
        "{missing}"
    );
    let cloud_flag = usage_error(
        &[
            &base[..],
            &[
                "--prefix",
                "jwt",
                "--user-id-attribute",
                "u",
                "--user-directory-attribute",
                "d",
                "--issuer",
                "i",
            ],
        ]
        .concat(),
    );
    assert!(
        cloud_flag.contains("--issuer is a Qlik Cloud tenant flag"),
        "{cloud_flag}"
    );
    let oauth_flag = usage_error(
        &[
            &base[..],
            &[
                "--prefix",
                "jwt",
                "--user-id-attribute",
                "u",
                "--user-directory-attribute",
                "d",
                "--oauth-client-id",
                "c",
                "--oauth-jwk",
                cert,
            ],
        ]
        .concat(),
    );
    assert!(
        oauth_flag.contains("--oauth-client-id is a Qlik Cloud tenant flag"),
        "{oauth_flag}"
    );
    let proxy_flag = usage_error(&["tenant", "--demo", "--prefix", "jwt"]);
    assert!(
        proxy_flag.contains("--prefix is a client-managed virtual proxy flag"),
        "{proxy_flag}"
    );
    let cloud_missing = usage_error(&["tenant", "--cert", cert]);
    assert!(
        cloud_missing.contains("--issuer is required"),
        "{cloud_missing}"
    );
    let bad_prefix = Command::new(BIN)
        .args([&base[..], &["--prefix", "a/b", "--user-id-attribute", "u"]].concat())
        .args(["--user-directory-attribute", "d"])
        .output()
        .unwrap();
    assert_ne!(bad_prefix.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&bad_prefix.stderr).contains("prefix is \"a/b\""));
}
