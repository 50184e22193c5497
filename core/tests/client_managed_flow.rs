//! The whole client-managed flow on the Rust client against the local virtual proxy: sign →
//! `login_client_managed` (csrftoken) → the engine websocket refused without the CSRF token →
//! accepted with the session's URL and headers → `EngineVersion` answered; QRS calls with the
//! session's xrfkey, and the parallel session limit explained.

mod support;

use qlik_jwt::client::{
    ClientError, ClientManagedOptions, ClientManagedSession, login_client_managed,
};
use qlik_jwt::qlik::client_managed::{
    ClientManagedSigner, ClientManagedSignerConfig, ClientManagedUser, VirtualProxySettings,
};
use qlik_jwt::tenant::client_managed::{ClientManagedTenant, ClientManagedTenantConfig};
use qlik_jwt::{SigningKey, VerifyingKey};
use serde_json::{Value as Json, json};
use support::proxy::{key_file, next_json, now, upgrade};
use tungstenite::Message;

fn proxy() -> ClientManagedTenant {
    let certificate = VerifyingKey::from_public(&key_file("rsa2048-cert.pem"), None).unwrap();
    let settings = VirtualProxySettings::new("userId", "userDirectory");
    ClientManagedTenant::start(ClientManagedTenantConfig::new("jwt", certificate, settings))
        .unwrap()
}

fn token_for(user_id: &str) -> String {
    let signer = ClientManagedSigner::new(ClientManagedSignerConfig {
        private_key: SigningKey::from_private(&key_file("rsa2048-private-pkcs8.pem"), None)
            .unwrap(),
        proxy: VirtualProxySettings::new("userId", "userDirectory"),
        key_id: None,
        algorithm: None,
        not_before_skew_secs: None,
        lifetime_secs: None,
    })
    .unwrap();
    let user = ClientManagedUser {
        user_id: user_id.into(),
        user_directory: "CORP".into(),
        attributes: Vec::new(),
    };
    signer.sign(&user, now()).unwrap()
}

fn login(tenant: &ClientManagedTenant, user_id: &str) -> Result<ClientManagedSession, ClientError> {
    login_client_managed(
        tenant.url(),
        &token_for(user_id),
        &ClientManagedOptions::default(),
    )
}

#[test]
fn sign_login_websocket_refused_then_accepted_engine_version() {
    let tenant = proxy();
    let session = login(&tenant, "jdoe").unwrap();
    assert_eq!(session.cookie_name(), tenant.cookie_name());
    assert_eq!(session.origin(), tenant.origin());
    assert!(!session.csrf_token().is_empty());

    let url = session.websocket_url("my-app");
    let without_csrf = url.split('?').next().unwrap();
    assert_eq!(
        upgrade(tenant.addr(), without_csrf, &session.websocket_headers()).err(),
        Some(403),
        "no CSRF token: refused"
    );
    let mut socket = upgrade(tenant.addr(), &url, &session.websocket_headers())
        .unwrap_or_else(|status| panic!("refused with {status}"));
    assert_eq!(next_json(&mut socket)["method"], "OnConnected");
    let ask = json!({"jsonrpc":"2.0","id":1,"handle":-1,"method":"EngineVersion","params":{}});
    socket.send(Message::text(ask.to_string())).unwrap();
    let version = next_json(&mut socket);
    assert_eq!(version["id"], 1);
    assert!(
        version["result"]["qVersion"]["qComponentVersion"].is_string(),
        "{version}"
    );

    // The same session serves QRS: the proxy checks the xrfkey the session adds.
    let about = session.get("/qrs/about").unwrap().json().unwrap();
    assert!(about["buildVersion"].is_string(), "{about}");
}

#[test]
fn the_websocket_needs_the_cookie_and_no_authorization() {
    let tenant = proxy();
    let session = login(&tenant, "jdoe").unwrap();
    let url = session.websocket_url("my-app");
    let origin_only = vec![("Origin".to_owned(), session.origin())];
    assert_eq!(upgrade(tenant.addr(), &url, &origin_only).err(), Some(403));
    let mut with_bearer = session.websocket_headers();
    with_bearer.push((
        "Authorization".to_owned(),
        format!("Bearer {}", token_for("jdoe")),
    ));
    assert_eq!(upgrade(tenant.addr(), &url, &with_bearer).err(), Some(403));
}

#[test]
fn one_session_is_reused_and_the_limit_is_explained() {
    let tenant = proxy();
    let session = login(&tenant, "busy").unwrap();
    for _ in 0..6 {
        session.get("/qrs/about").unwrap();
    }
    // Four more logins reach the limit of five; the sixth is refused, with the reason.
    for _ in 0..4 {
        login(&tenant, "busy").unwrap();
    }
    let Err(ClientError::Qlik(refused)) = login(&tenant, "busy") else {
        panic!("the sixth session is refused")
    };
    assert_eq!(refused.status, 403);
    assert!(
        refused
            .hint
            .as_deref()
            .unwrap_or("")
            .starts_with("QSE_SESSION_LIMIT"),
        "{refused}"
    );
    // The first session still works: it was reused, not re-opened.
    session.get("/qrs/about").unwrap();
    let Err(ClientError::Qlik(bad)) = login_client_managed(
        tenant.url(),
        "not.a.token",
        &ClientManagedOptions::default(),
    ) else {
        panic!("a bad token is refused")
    };
    assert_eq!(bad.status, 401);
    assert!(bad.hint.is_some());
}

#[test]
fn the_command_prints_a_session_whose_websocket_opens() {
    let tenant = proxy();
    let token = token_for("jdoe");
    let argv: Vec<String> = [
        "qlik-jwt",
        "login",
        "--profile",
        "client-managed",
        "--url",
        tenant.url(),
        "--json",
        "--show-cookie",
        "--app",
        "my-app",
        &token,
    ]
    .iter()
    .map(|a| (*a).to_owned())
    .collect();
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    let code = qlik_jwt::cli::run(argv, &mut stdout, &mut stderr);
    assert_eq!(code, 0, "{}", String::from_utf8_lossy(&stderr));
    let printed: Json = serde_json::from_slice(&stdout).unwrap();
    assert_eq!(printed["cookieName"], tenant.cookie_name());
    let headers = vec![
        (
            "Cookie".to_owned(),
            printed["cookieHeader"].as_str().unwrap().to_owned(),
        ),
        ("Origin".to_owned(), tenant.origin().to_owned()),
    ];
    let url = printed["websocketUrl"].as_str().unwrap();
    let mut socket = upgrade(tenant.addr(), url, &headers)
        .unwrap_or_else(|status| panic!("refused with {status}"));
    assert_eq!(next_json(&mut socket)["method"], "OnConnected");
}
