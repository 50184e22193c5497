//! The session client keeps cookies as a browser would: `Path` scopes them, `Expires` in the past
//! and `Max-Age=0` delete them, and `Secure` ones go back over loopback HTTP. Judged by what a
//! scripted server receives.

mod support;

use qlik_jwt::client::{LoginOptions, login};
use qlik_jwt::tenant::{Tenant, TenantConfig};
use support::scripted::{self, Seen};

/// A loopback server that answers by path and records each request line and `Cookie` header.
fn scripted_tenant() -> (String, Seen) {
    scripted::serve(|path, _| match path {
        "/login/jwt-session" => (
            "200 OK\r\n\
             Set-Cookie: eas.sid=s1; Path=/; HttpOnly; Secure\r\n\
             Set-Cookie: scoped=v2; Path=/api/v2\r\n\
             Set-Cookie: stale=x; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT\r\n\
             Set-Cookie: gone=y; Path=/; Max-Age=0",
            "{}",
        ),
        "/api/v1/csrf-token" => ("204 No Content\r\nqlik-csrf-token: csrf-1", ""),
        "/api/v1/logout" => (
            "200 OK\r\nSet-Cookie: eas.sid=; Path=/; Max-Age=0\r\nContent-Type: application/json",
            "{}",
        ),
        _ => ("200 OK\r\nContent-Type: application/json", "{}"),
    })
}

fn cookie_sent(seen: &Seen, request_line: &str) -> Option<String> {
    let seen = seen.lock().unwrap();
    let (_, headers) = seen
        .iter()
        .rev()
        .find(|(line, _)| line.starts_with(request_line))
        .unwrap_or_else(|| panic!("no {request_line} among {seen:?}"));
    headers.get("cookie").cloned()
}

#[test]
fn path_expires_and_max_age_zero_rule_the_cookies() {
    let (url, seen) = scripted_tenant();
    let session = login(&url, "a.b.c", &LoginOptions::default()).unwrap();
    // Expired at birth (a past Expires, Max-Age=0): never kept. /api/v2's cookie is kept but
    // not sent outside its path.
    assert_eq!(session.cookie_names(), ["eas.sid", "scoped"]);
    assert_eq!(
        cookie_sent(&seen, "GET /api/v1/csrf-token ").as_deref(),
        Some("eas.sid=s1")
    );
    session.get("/api/v2/apps").unwrap();
    assert_eq!(
        cookie_sent(&seen, "GET /api/v2/apps ").as_deref(),
        Some("scoped=v2; eas.sid=s1")
    );
    // An answer's Max-Age=0 deletes the cookie: it is neither listed nor sent any more.
    session.send("POST", "/api/v1/logout", None).unwrap();
    assert_eq!(session.cookie_names(), ["scoped"]);
    session.get("/api/v1/users/me").unwrap();
    assert_eq!(cookie_sent(&seen, "GET /api/v1/users/me "), None);
}

#[test]
fn secure_cookies_are_sent_back_over_loopback_http() {
    let keys = qlik_jwt::setup::generate(
        qlik_jwt::setup::KeyAlgorithm::Rsa2048,
        &qlik_jwt::setup::CertificateOptions::default(),
    )
    .unwrap();
    let certificate =
        qlik_jwt::VerifyingKey::from_public(keys.certificate_pem.as_bytes(), None).unwrap();
    let private_key =
        qlik_jwt::SigningKey::from_private(keys.private_key_pem.as_bytes(), None).unwrap();
    let mut config = TenantConfig::new(certificate, "https://issuer.test", "kid-1");
    config.secure_cookies = true;
    let tenant = Tenant::start(config).unwrap();
    let signer = qlik_jwt::qlik::QlikSigner::new(qlik_jwt::qlik::SignerConfig {
        private_key,
        key_id: "kid-1".into(),
        issuer: "https://issuer.test".into(),
        algorithm: None,
        not_before_skew_secs: None,
        lifetime_secs: None,
    })
    .unwrap();
    let user = qlik_jwt::qlik::QlikUser {
        sub: "user-1".into(),
        name: "User One".into(),
        email: "one@example.com".into(),
        email_verified: true,
        groups: None,
    };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let session = login(
        tenant.url(),
        &signer.sign(&user, now).unwrap(),
        &LoginOptions::default(),
    )
    .expect("the Secure cookies went back with the CSRF fetch");
    let me = session.get("/api/v1/users/me").unwrap().json().unwrap();
    assert_eq!(me["subject"], "user-1");
    tenant.shutdown();
}
