//! The local client-managed virtual proxy judges tokens and websocket upgrades as Qlik Sense
//! does: a good token opens a session (cookie, CSRF token), the engine websocket takes the
//! cookie and the CSRF token and nothing else, and every refusal says why.
//!
//! Requests are raw HTTP on a socket (no session client), websockets are tungstenite clients.

mod support;

use std::io::{Read as _, Write as _};
use std::net::TcpStream;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use qlik_jwt::qlik::client_managed::{
    AttributeMapping, ClientManagedSigner, ClientManagedSignerConfig, ClientManagedUser,
    VirtualProxySettings,
};
use qlik_jwt::tenant::client_managed::{ClientManagedTenant, ClientManagedTenantConfig};
use qlik_jwt::{SigningKey, Value, VerifyingKey};
use serde_json::{Value as Json, json};
use support::proxy::{key_file, next_json, now, upgrade};
use tungstenite::{Message, WebSocket};

fn settings() -> VirtualProxySettings {
    let mut proxy = VirtualProxySettings::new("userId", "userDirectory");
    proxy.audience = Some("qlik-sense".into());
    proxy.attributes = vec![AttributeMapping {
        sense_attribute: "group".into(),
        jwt_attribute: "groups".into(),
        is_mandatory: false,
    }];
    proxy
}

fn start(adjust: impl FnOnce(&mut ClientManagedTenantConfig)) -> ClientManagedTenant {
    let certificate = VerifyingKey::from_public(&key_file("rsa2048-cert.pem"), None).unwrap();
    let mut config = ClientManagedTenantConfig::new("jwt", certificate, settings());
    adjust(&mut config);
    ClientManagedTenant::start(config).unwrap()
}

fn signer(adjust: impl FnOnce(&mut VirtualProxySettings)) -> ClientManagedSigner {
    let mut proxy = settings();
    adjust(&mut proxy);
    ClientManagedSigner::new(ClientManagedSignerConfig {
        private_key: SigningKey::from_private(&key_file("rsa2048-private-pkcs8.pem"), None)
            .unwrap(),
        proxy,
        key_id: None,
        algorithm: None,
        not_before_skew_secs: None,
        lifetime_secs: None,
    })
    .unwrap()
}

fn user(id: &str) -> ClientManagedUser {
    ClientManagedUser {
        user_id: id.into(),
        user_directory: "CORP".into(),
        attributes: vec![(
            "groups".into(),
            Value::Array(vec![Value::String("Sales".into())]),
        )],
    }
}

fn token_for(id: &str) -> String {
    signer(|_| {}).sign(&user(id), now()).unwrap()
}

struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Json,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The `name=value` of the session cookie the answer sets.
    fn cookie(&self, cookie_name: &str) -> String {
        let set = self.header("set-cookie").expect("a Set-Cookie header");
        let pair = set.split(';').next().unwrap();
        assert!(pair.starts_with(&format!("{cookie_name}=")), "{set}");
        pair.to_owned()
    }

    fn codes(&self) -> Vec<String> {
        self.body["errors"]
            .as_array()
            .unwrap_or_else(|| panic!("no errors in {}", self.body))
            .iter()
            .map(|e| e["code"].as_str().unwrap().to_owned())
            .collect()
    }
}

/// One raw HTTP/1.1 GET.
fn get(tenant: &ClientManagedTenant, target: &str, headers: &[(&str, &str)]) -> Answer {
    let mut stream = TcpStream::connect(tenant.addr()).unwrap();
    let mut request = format!("GET {target} HTTP/1.1\r\nHost: {}\r\n", tenant.addr());
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("Connection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8(raw).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    let mut lines = head.lines();
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(": "))
        .map(|(n, v)| (n.to_owned(), v.to_owned()))
        .collect();
    let body = if body.is_empty() {
        Json::Null
    } else {
        serde_json::from_str(body).unwrap()
    };
    Answer {
        status,
        headers,
        body,
    }
}

/// A Bearer `GET /jwt/qps/csrftoken`: the session cookie (`name=value`) and the CSRF token.
fn login(tenant: &ClientManagedTenant, token: &str) -> (String, String) {
    let answer = get(
        tenant,
        "/jwt/qps/csrftoken",
        &[("Authorization", &format!("Bearer {token}"))],
    );
    assert_eq!(answer.status, 200, "{}", answer.body);
    let csrf = answer.header("qlik-csrf-token").unwrap().to_owned();
    (answer.cookie(tenant.cookie_name()), csrf)
}

/// Request headers as (name, value).
type Headers<'a> = Vec<(&'a str, &'a str)>;

const APP: &str = "/jwt/app/00000000-0000-0000-0000-000000000001";

/// Opens the engine websocket with these query and headers (a tungstenite client).
fn open(
    tenant: &ClientManagedTenant,
    query: &str,
    headers: &[(&str, &str)],
) -> WebSocket<TcpStream> {
    let url = format!("ws://{}{APP}{query}", tenant.addr());
    upgrade(tenant.addr(), &url, headers)
        .unwrap_or_else(|status| panic!("the upgrade was refused with {status}"))
}

/// A websocket upgrade as raw HTTP, for a refusal read whole: its status and first code.
fn refused_upgrade(
    tenant: &ClientManagedTenant,
    query: &str,
    headers: &[(&str, &str)],
) -> (u16, String) {
    let mut all = vec![
        ("Upgrade", "websocket"),
        ("Connection", "Upgrade"),
        ("Sec-WebSocket-Version", "13"),
        ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="),
    ];
    all.extend_from_slice(headers);
    let answer = get(tenant, &format!("{APP}{query}"), &all);
    assert_ne!(answer.status, 101, "the upgrade was accepted");
    let code = answer.codes()[0].clone();
    if code == "LOCAL-WEBSOCKET-CSRF" || code == "LOCAL-WEBSOCKET-ORIGIN" {
        assert_eq!(
            answer.body["errors"][0]["title"],
            "Cross-Site Websocket Hijacking attack prevention check failed"
        );
    }
    (answer.status, code)
}

#[test]
fn the_whole_flow_sign_csrftoken_websocket_refused_then_accepted_engine_version() {
    let tenant = start(|_| {});
    assert!(tenant.url().ends_with("/jwt"));
    assert_eq!(tenant.cookie_name(), "X-Qlik-Session-jwt-HTTP");
    let (cookie, csrf) = login(&tenant, &token_for("jdoe"));
    assert_eq!(
        refused_upgrade(&tenant, "", &[("Cookie", &cookie)]),
        (403, "LOCAL-WEBSOCKET-CSRF".to_owned())
    );

    let mut socket = open(
        &tenant,
        &format!("?qlik-csrf-token={csrf}"),
        &[("Cookie", &cookie)],
    );
    assert_eq!(
        next_json(&mut socket),
        json!({"jsonrpc":"2.0","method":"OnConnected","params":{"qSessionState":"SESSION_CREATED"}})
    );
    let ask = json!({"jsonrpc":"2.0","id":1,"handle":-1,"method":"EngineVersion","params":{}});
    socket.send(Message::text(ask.to_string())).unwrap();
    let version = next_json(&mut socket);
    assert_eq!(version["id"], 1);
    assert!(
        version["result"]["qVersion"]["qComponentVersion"]
            .as_str()
            .is_some_and(|v| !v.is_empty())
    );
    let unknown = json!({"jsonrpc":"2.0","id":2,"handle":-1,"method":"OpenDoc","params":["x"]});
    socket.send(Message::text(unknown.to_string())).unwrap();
    let error = next_json(&mut socket);
    assert_eq!(
        (error["id"].clone(), error["error"]["code"].clone()),
        (json!(2), json!(-32601))
    );
    socket.close(None).unwrap();
}

#[test]
fn the_upgrade_is_refused_without_cookie_csrf_with_bearer_or_from_a_foreign_origin() {
    let tenant = start(|_| {});
    let token = token_for("jdoe");
    let (cookie, csrf) = login(&tenant, &token);
    let query = format!("?qlik-csrf-token={csrf}");
    let bearer = format!("Bearer {token}");
    let cases: Vec<(&str, String, Headers<'_>)> = vec![
        ("LOCAL-WEBSOCKET-SESSION", query.clone(), vec![]),
        (
            "LOCAL-WEBSOCKET-CSRF",
            String::new(),
            vec![("Cookie", &cookie)],
        ),
        (
            "LOCAL-WEBSOCKET-CSRF",
            "?qlik-csrf-token=not-the-token".into(),
            vec![("Cookie", &cookie)],
        ),
        (
            "LOCAL-WEBSOCKET-AUTHORIZATION",
            query.clone(),
            vec![("Authorization", &bearer)],
        ),
        (
            "LOCAL-WEBSOCKET-AUTHORIZATION",
            query.clone(),
            vec![("Cookie", &cookie), ("Authorization", &bearer)],
        ),
        (
            "LOCAL-WEBSOCKET-ORIGIN",
            query.clone(),
            vec![("Cookie", &cookie), ("Origin", "https://evil.example")],
        ),
    ];
    for (code, query, headers) in cases {
        let refused = refused_upgrade(&tenant, &query, &headers);
        assert_eq!(refused, (403, code.to_owned()), "{query} {headers:?}");
    }
    // The proxy's own origin is allowed.
    let own = tenant.origin().to_owned();
    let mut socket = open(&tenant, &query, &[("Cookie", &cookie), ("Origin", &own)]);
    assert_eq!(next_json(&mut socket)["method"], "OnConnected");
}

#[test]
fn origins_follow_the_allow_list_and_a_missing_origin_can_be_refused() {
    let tenant = start(|config| {
        config.allowed_origins = vec!["https://mashup.example".into()];
        config.allow_missing_origin = false;
    });
    let (cookie, csrf) = login(&tenant, &token_for("jdoe"));
    let query = format!("?qlik-csrf-token={csrf}");
    let own = tenant.origin().to_owned();
    for headers in [
        vec![("Cookie", cookie.as_str())],
        vec![("Cookie", &cookie), ("Origin", &own)],
    ] {
        let refused = refused_upgrade(&tenant, &query, &headers);
        assert_eq!(refused, (403, "LOCAL-WEBSOCKET-ORIGIN".to_owned()));
    }
    let allowed = [
        ("Cookie", cookie.as_str()),
        ("Origin", "https://mashup.example"),
    ];
    let mut socket = open(&tenant, &query, &allowed);
    assert_eq!(next_json(&mut socket)["method"], "OnConnected");
}

#[test]
fn bad_tokens_are_refused_with_the_explain_code() {
    let tenant = start(|_| {});
    let expired = signer(|_| {}).sign(&user("jdoe"), now() - 3600).unwrap();
    let mis_cased = signer(|p| p.user_id_attribute = "userid".into())
        .sign(&user("jdoe"), now())
        .unwrap();
    let wrong_audience = signer(|p| p.audience = Some("another-proxy".into()))
        .sign(&user("jdoe"), now())
        .unwrap();
    let good = token_for("jdoe");
    let (_, payload_and_signature) = good.split_once('.').unwrap();
    let hs256 = format!(
        "{}.{payload_and_signature}",
        URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#)
    );
    let cases = [
        (expired, "QSE_EXPIRED"),
        (mis_cased, "QSE_ATTRIBUTE_CASE"),
        (wrong_audience, "QSE_AUDIENCE_MISMATCH"),
        (hs256, "QSE_ALG_NOT_ALLOWED"),
        ("not.a.token".to_owned(), "QSE_MALFORMED_TOKEN"),
    ];
    for (token, code) in cases {
        let answer = get(
            &tenant,
            "/jwt/qps/csrftoken",
            &[("Authorization", &format!("Bearer {token}"))],
        );
        assert_eq!(answer.status, 401, "{code}: {}", answer.body);
        assert_eq!(answer.codes()[0], code, "{}", answer.body);
        assert!(answer.header("set-cookie").is_none());
        assert!(answer.header("qlik-csrf-token").is_none());
    }
    // A proxy holding another certificate: the signature does not verify.
    let other = start(|config| {
        config.certificate =
            VerifyingKey::from_public(&key_file("rsa4096-public-spki.pem"), None).unwrap();
    });
    let answer = get(
        &other,
        "/jwt/qps/csrftoken",
        &[("Authorization", &format!("Bearer {good}"))],
    );
    assert_eq!(
        (answer.status, answer.codes()),
        (401, vec!["QSE_SIGNATURE_INVALID".to_owned()])
    );
}

#[test]
fn a_user_holds_five_parallel_sessions_and_the_sixth_bearer_login_is_refused() {
    let tenant = start(|_| {});
    let cookies: Vec<String> = (0..5)
        .map(|_| login(&tenant, &token_for("jdoe")).0)
        .collect();
    let sixth = get(
        &tenant,
        "/jwt/qps/csrftoken",
        &[("Authorization", &format!("Bearer {}", token_for("jdoe")))],
    );
    assert_eq!(sixth.status, 403);
    assert_eq!(sixth.codes(), ["LOCAL-MAX-PARALLEL-SESSIONS"]);
    assert_eq!(sixth.body["errors"][0]["title"], "Access denied");
    assert!(sixth.header("set-cookie").is_none());
    // The five sessions still work, and another user has their own five.
    for cookie in &cookies {
        let again = get(&tenant, "/jwt/qps/csrftoken", &[("Cookie", cookie)]);
        assert_eq!(again.status, 200);
        assert!(again.header("set-cookie").is_none());
    }
    login(&tenant, &token_for("asmith"));
}

#[test]
fn the_max_of_parallel_sessions_is_configurable() {
    let tenant = start(|config| config.max_parallel_sessions = 1);
    login(&tenant, &token_for("jdoe"));
    let second = get(
        &tenant,
        "/jwt/qps/csrftoken",
        &[("Authorization", &format!("Bearer {}", token_for("jdoe")))],
    );
    assert_eq!(second.status, 403);
}

#[test]
fn the_session_shows_its_user_and_qrs_calls_need_the_xrfkey() {
    let tenant = start(|config| {
        config.session_cookie_header_name = Some("X-Qlik-Session-custom".into());
    });
    let (cookie, _) = login(&tenant, &token_for("jdoe"));
    assert!(cookie.starts_with("X-Qlik-Session-custom-HTTP="));
    let me = get(&tenant, "/jwt/qps/user", &[("Cookie", &cookie)]);
    assert_eq!(me.status, 200);
    assert_eq!(
        (
            &me.body["userDirectory"],
            &me.body["userId"],
            &me.body["attributes"]
        ),
        (
            &json!("CORP"),
            &json!("jdoe"),
            &json!([{ "group": ["Sales"] }])
        )
    );
    let key = "abcdefghijklmnop";
    let about = get(
        &tenant,
        &format!("/jwt/qrs/about?xrfkey={key}"),
        &[("Cookie", &cookie), ("X-Qlik-Xrfkey", key)],
    );
    assert_eq!(about.status, 200, "{}", about.body);
    assert!(about.body["buildVersion"].is_string());
    let refusals = [
        ("/jwt/qrs/about".to_owned(), Some(key)),
        (format!("/jwt/qrs/about?xrfkey={key}"), None),
        (
            format!("/jwt/qrs/about?xrfkey={key}"),
            Some("abcdefghijklmnoX"),
        ),
        ("/jwt/qrs/about?xrfkey=short".to_owned(), Some("short")),
    ];
    for (target, header) in refusals {
        let mut headers = vec![("Cookie", cookie.as_str())];
        headers.extend(header.map(|h| ("X-Qlik-Xrfkey", h)));
        let refused = get(&tenant, &target, &headers);
        assert_eq!(
            (refused.status, refused.codes()),
            (403, vec!["LOCAL-XRFKEY".to_owned()])
        );
    }
    let anonymous = get(&tenant, "/jwt/qps/user", &[]);
    assert_eq!(
        (anonymous.status, anonymous.codes()),
        (401, vec!["LOCAL-NOT-LOGGED-IN".to_owned()])
    );
    let elsewhere = get(&tenant, "/other/qps/user", &[("Cookie", &cookie)]);
    assert_eq!(elsewhere.status, 404);
    let plain = get(&tenant, "/jwt/app/x", &[("Cookie", &cookie)]);
    assert_eq!(plain.status, 400);
}

#[test]
fn stopping_the_proxy_closes_its_websockets() {
    let tenant = start(|_| {});
    let (cookie, csrf) = login(&tenant, &token_for("jdoe"));
    let mut socket = open(
        &tenant,
        &format!("?qlik-csrf-token={csrf}"),
        &[("Cookie", &cookie)],
    );
    assert_eq!(next_json(&mut socket)["method"], "OnConnected");
    tenant.shutdown();
    // The server end is shut: reading ends with a close or an error instead of hanging.
    while let Ok(message) = socket.read() {
        if let Message::Close(_) = message {
            break;
        }
    }
}

#[test]
fn settings_are_checked_before_listening() {
    let certificate = VerifyingKey::from_public(&key_file("rsa2048-cert.pem"), None).unwrap();
    let config = ClientManagedTenantConfig::new("a/b", certificate, settings());
    let error = ClientManagedTenant::start(config).unwrap_err();
    assert!(
        error.message().starts_with("prefix is \"a/b\""),
        "{}",
        error.message()
    );
}
