//! The local tenant judges `POST /login/jwt-session` like Qlik: each kind of bad token is
//! refused with the right status and code, a good one opens a session whose cookies and CSRF
//! token work for the REST API.

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use qlik_jwt::client::{ClientError, LoginOptions, QlikError, login};
use qlik_jwt::qlik::{QlikSigner, QlikUser, SignerConfig};
use qlik_jwt::setup::{CertificateOptions, KeyAlgorithm, generate};
use qlik_jwt::tenant::{Tenant, TenantConfig};
use qlik_jwt::{Algorithm, SigningKey, VerifyingKey};
use serde_json::{Value as Json, json};

const ISSUER: &str = "https://issuer.test";
const KID: &str = "kid-1";

struct Provider {
    key: SigningKey,
    certificate: VerifyingKey,
}

fn provider() -> Provider {
    let keys = generate(KeyAlgorithm::Rsa2048, &CertificateOptions::default()).unwrap();
    Provider {
        key: SigningKey::from_private(keys.private_key_pem.as_bytes(), None).unwrap(),
        certificate: VerifyingKey::from_public(keys.certificate_pem.as_bytes(), None).unwrap(),
    }
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

fn start(provider: &Provider, adjust: impl FnOnce(&mut TenantConfig)) -> Tenant {
    let mut config = TenantConfig::new(provider.certificate.clone(), ISSUER, KID);
    adjust(&mut config);
    Tenant::start(config).unwrap()
}

fn user() -> QlikUser {
    QlikUser {
        sub: "user-1".into(),
        name: "User One".into(),
        email: "one@example.com".into(),
        email_verified: true,
        groups: Some(vec!["Sales".into()]),
    }
}

fn signed(provider: &Provider) -> String {
    let signer = QlikSigner::new(SignerConfig {
        private_key: provider.key.clone(),
        key_id: KID.into(),
        issuer: ISSUER.into(),
        algorithm: None,
        not_before_skew_secs: None,
        lifetime_secs: None,
    })
    .unwrap();
    signer.sign(&user(), now()).unwrap()
}

/// Valid claims at `now`, for tokens made by hand.
fn claims() -> Json {
    let now = now();
    json!({
        "jti": format!("jti-{}-{}", now, rand_suffix()),
        "sub": "user-1",
        "subType": "user",
        "name": "User One",
        "email": "one@example.com",
        "email_verified": true,
        "iat": now,
        "nbf": now - 30,
        "exp": now + 300,
        "aud": "qlik.api/login/jwt-session",
        "iss": ISSUER,
    })
}

fn rand_suffix() -> String {
    let mut bytes = [0u8; 12];
    aws_lc_rs::rand::fill(&mut bytes).unwrap();
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A compact token made by hand: any header and claims, signed with `key` under `alg`.
fn craft(header: &Json, claims: &Json, key: &SigningKey, alg: Algorithm) -> String {
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let signature = key.sign(alg, input.as_bytes()).unwrap();
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature))
}

fn header() -> Json {
    json!({ "alg": "RS256", "typ": "JWT", "kid": KID })
}

fn refused(tenant: &Tenant, token: &str) -> QlikError {
    match login(tenant.url(), token, &LoginOptions::default()) {
        Err(ClientError::Qlik(e)) => *e,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn a_good_token_logs_in_and_the_session_calls_the_api() {
    let provider = provider();
    let tenant = start(&provider, |_| {});
    let session = login(tenant.url(), &signed(&provider), &LoginOptions::default()).unwrap();
    assert_eq!(
        session.cookie_names(),
        ["eas.sid", "eas.sid.sig", "_csrfToken", "_csrfToken.sig"]
    );
    assert!(session.csrf_token().len() >= 16);
    let me = session.get("/api/v1/users/me").unwrap().json().unwrap();
    assert_eq!(me["subject"], "user-1");
    assert_eq!(me["name"], "User One");
    assert_eq!(me["email"], "one@example.com");
    assert_eq!(me["assignedGroups"][0]["name"], "Sales");

    // Non-GET calls carry the CSRF token (the session adds it) and change the user.
    let patch = json!([{ "op": "replace", "path": "/name", "value": "Renamed" }]);
    assert_eq!(
        session
            .send("PATCH", "/api/v1/users/me", Some(&patch))
            .unwrap()
            .status,
        204
    );
    let me = session.get("/api/v1/users/me").unwrap().json().unwrap();
    assert_eq!(me["name"], "Renamed");
    tenant.shutdown();
}

#[test]
fn each_bad_token_is_refused_with_its_status_and_code() {
    let provider = provider();
    let tenant = start(&provider, |config| config.logins_per_minute = None);
    let other = provider_other();
    let with = |change: &dyn Fn(&mut Json)| {
        let mut claims = claims();
        change(&mut claims);
        craft(&header(), &claims, &provider.key, Algorithm::RS256)
    };
    let cases: Vec<(&str, String, u16, &str)> = vec![
        (
            "missing nbf",
            with(&|c| {
                c.as_object_mut().unwrap().remove("nbf");
            }),
            400,
            "INTERNAL-TOKEN-1",
        ),
        (
            "missing jti",
            with(&|c| {
                c.as_object_mut().unwrap().remove("jti");
            }),
            400,
            "INTERNAL-TOKEN-1",
        ),
        (
            "wrong aud",
            with(&|c| c["aud"] = json!("qlik.api/jwt-login-session")),
            401,
            "LOCAL-TOKEN-INVALID",
        ),
        (
            "window over 3600 s",
            with(&|c| c["exp"] = json!(now() + 3600)),
            401,
            "LOCAL-TOKEN-INVALID",
        ),
        (
            "wrong issuer",
            with(&|c| c["iss"] = json!("https://other.test")),
            401,
            "LOCAL-TOKEN-INVALID",
        ),
        (
            "subType",
            with(&|c| c["subType"] = json!("service")),
            401,
            "LOCAL-TOKEN-INVALID",
        ),
        (
            "expired",
            with(&|c| {
                c["nbf"] = json!(now() - 700);
                c["exp"] = json!(now() - 400);
            }),
            401,
            "LOCAL-TOKEN-INVALID",
        ),
        (
            "not yet valid",
            with(&|c| c["nbf"] = json!(now() + 120)),
            401,
            "LOCAL-TOKEN-INVALID",
        ),
        (
            "jti as a number",
            with(&|c| c["jti"] = json!(12345)),
            400,
            "LOCAL-TOKEN-CLAIM",
        ),
        (
            "email_verified as a string",
            with(&|c| c["email_verified"] = json!("true")),
            400,
            "LOCAL-TOKEN-CLAIM",
        ),
        (
            "bad signature",
            craft(&header(), &claims(), &other.key, Algorithm::RS256),
            401,
            "LOCAL-TOKEN-SIGNATURE",
        ),
        (
            "unknown kid",
            craft(
                &json!({ "alg": "RS256", "typ": "JWT", "kid": "other" }),
                &claims(),
                &provider.key,
                Algorithm::RS256,
            ),
            401,
            "LOCAL-TOKEN-SIGNATURE",
        ),
        (
            "HS256",
            craft(
                &json!({ "alg": "HS256", "typ": "JWT", "kid": KID }),
                &claims(),
                &SigningKey::from_secret(b"a shared secret that Qlik never takes"),
                Algorithm::HS256,
            ),
            401,
            "LOCAL-TOKEN-SIGNATURE",
        ),
        (
            "not a token",
            "not.a.token".to_owned(),
            401,
            "LOCAL-TOKEN-SIGNATURE",
        ),
        (
            "unsigned (alg none)",
            format!(
                "{}.{}.",
                URL_SAFE_NO_PAD
                    .encode(json!({ "alg": "none", "typ": "JWT", "kid": KID }).to_string()),
                URL_SAFE_NO_PAD.encode(claims().to_string())
            ),
            401,
            "LOCAL-TOKEN-SIGNATURE",
        ),
        (
            "no kid",
            craft(
                &json!({ "alg": "RS256", "typ": "JWT" }),
                &claims(),
                &provider.key,
                Algorithm::RS256,
            ),
            401,
            "LOCAL-TOKEN-SIGNATURE",
        ),
        (
            "groups not strings",
            with(&|c| c["groups"] = json!([1, 2])),
            400,
            "LOCAL-TOKEN-CLAIM",
        ),
    ];
    for (case, token, status, code) in cases {
        let error = refused(&tenant, &token);
        assert_eq!(
            (error.status, error.code.as_str()),
            (status, code),
            "{case}: {error}"
        );
        assert!(
            error.trace_id.as_deref().is_some_and(|t| t.len() == 32),
            "{case}: traceId"
        );
        assert!(
            error.detail.as_deref().is_some_and(|d| !d.is_empty()),
            "{case}: detail"
        );
    }
    let missing_nbf = with(&|c| {
        c.as_object_mut().unwrap().remove("nbf");
    });
    assert_eq!(
        refused(&tenant, &missing_nbf).title,
        "Missing required claim: nbf"
    );
    // A forged token is refused as forged, whatever its claims say.
    let mut bad_claims = claims();
    bad_claims.as_object_mut().unwrap().remove("nbf");
    let forged = craft(&header(), &bad_claims, &other.key, Algorithm::RS256);
    assert_eq!(refused(&tenant, &forged).status, 401);
}

fn provider_other() -> Provider {
    provider()
}

#[test]
fn a_jti_is_accepted_once() {
    let provider = provider();
    let tenant = start(&provider, |_| {});
    let token = signed(&provider);
    login(tenant.url(), &token, &LoginOptions::default()).unwrap();
    let error = refused(&tenant, &token);
    assert_eq!(
        (error.status, error.code.as_str()),
        (401, "LOCAL-TOKEN-REPLAYED")
    );
    // A newly signed token (a new jti) logs in again.
    login(tenant.url(), &signed(&provider), &LoginOptions::default()).unwrap();
}

#[test]
fn clock_tolerance_and_a_lagging_tenant_clock() {
    let provider = provider();
    let mut claims = claims();
    claims["nbf"] = json!(now() + 20);
    claims["iat"] = json!(now() + 20);
    let early = craft(&header(), &claims, &provider.key, Algorithm::RS256);
    let strict = start(&provider, |_| {});
    assert_eq!(refused(&strict, &early).code, "LOCAL-TOKEN-INVALID");
    let tolerant = start(&provider, |c| c.clock_tolerance_secs = Some(60));
    login(tolerant.url(), &early, &LoginOptions::default()).unwrap();
    // The signer's default nbf (30 s back) survives a tenant clock 20 s behind.
    let lagging = start(&provider, |c| c.clock_offset_secs = -20);
    login(lagging.url(), &signed(&provider), &LoginOptions::default()).unwrap();
}

#[test]
fn only_known_users_are_members_when_configured() {
    let provider = provider();
    let tenant = start(&provider, |c| {
        c.known_users = Some(vec!["someone-else".into()])
    });
    let error = refused(&tenant, &signed(&provider));
    assert_eq!((error.status, error.code.as_str()), (403, "AUTH-5"));
    let members = start(&provider, |c| c.known_users = Some(vec!["user-1".into()]));
    login(members.url(), &signed(&provider), &LoginOptions::default()).unwrap();
}

#[test]
fn web_integration_id_and_host_when_configured() {
    let provider = provider();
    let tenant = start(&provider, |c| c.web_integration_id = Some("web-1".into()));
    assert_eq!(
        refused(&tenant, &signed(&provider)).code,
        "LOCAL-WEB-INTEGRATION-ID"
    );
    let options = LoginOptions {
        web_integration_id: Some("web-1".into()),
        ..LoginOptions::default()
    };
    let session = login(tenant.url(), &signed(&provider), &options).unwrap();
    assert!(
        session
            .websocket_url("app 1")
            .contains("qlik-web-integration-id=web-1")
    );
    assert!(
        session
            .websocket_url("app 1")
            .starts_with("ws://127.0.0.1:")
    );
    assert!(
        session
            .websocket_url("app 1")
            .contains("/app/app%201?qlik-csrf-token=")
    );

    let hosted = start(&provider, |c| c.host = Some("acme.eu.qlikcloud.com".into()));
    let error = refused(&hosted, &signed(&provider));
    assert_eq!((error.status, error.code.as_str()), (400, "LOGIN-2"));
}

#[test]
fn logins_are_rate_limited() {
    let provider = provider();
    let tenant = start(&provider, |c| c.logins_per_minute = Some(2));
    login(tenant.url(), &signed(&provider), &LoginOptions::default()).unwrap();
    login(tenant.url(), &signed(&provider), &LoginOptions::default()).unwrap();
    let error = refused(&tenant, &signed(&provider));
    assert_eq!(
        (error.status, error.code.as_str()),
        (429, "LOCAL-RATE-LIMITED")
    );
}

#[test]
fn a_refusal_carries_a_hint_from_the_core_checks() {
    let provider = provider();
    let tenant = start(&provider, |_| {});
    let mut claims = claims();
    claims.as_object_mut().unwrap().remove("nbf");
    let error = refused(
        &tenant,
        &craft(&header(), &claims, &provider.key, Algorithm::RS256),
    );
    let hint = error.hint.expect("a hint");
    assert!(
        hint.contains("QLIK_CLAIM_MISSING") && hint.contains("nbf"),
        "{hint}"
    );
}

/// Sends raw bytes and returns the raw answer.
fn raw(tenant: &Tenant, request: &[u8]) -> String {
    let mut stream = TcpStream::connect(tenant.addr()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(15)))
        .unwrap();
    let _ = stream.write_all(request);
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).into_owned()
}

#[test]
fn the_wire_format_is_qliks() {
    let provider = provider();
    let tenant = start(&provider, |_| {});
    let token = signed(&provider);
    let answer = raw(
        &tenant,
        format!("POST /login/jwt-session HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\nContent-Length: 0\r\n\r\n")
            .as_bytes(),
    );
    assert!(answer.starts_with("HTTP/1.1 200 "), "{answer}");
    assert!(answer.ends_with("\r\n\r\n{}"), "{answer}");
    let cookies: Vec<&str> = answer
        .lines()
        .filter_map(|l| l.strip_prefix("Set-Cookie: "))
        .map(|c| c.split('=').next().unwrap())
        .collect();
    assert_eq!(
        cookies,
        ["eas.sid", "eas.sid.sig", "_csrfToken", "_csrfToken.sig"]
    );
    let cookie_header: Vec<String> = answer
        .lines()
        .filter_map(|l| l.strip_prefix("Set-Cookie: "))
        .map(|c| c.split(';').next().unwrap().to_owned())
        .collect();
    let cookie_header = cookie_header.join("; ");

    let csrf = raw(
        &tenant,
        format!("GET /api/v1/csrf-token HTTP/1.1\r\nCookie: {cookie_header}\r\n\r\n").as_bytes(),
    );
    assert!(csrf.starts_with("HTTP/1.1 204 "), "{csrf}");
    let csrf_token = csrf
        .lines()
        .find_map(|l| l.strip_prefix("qlik-csrf-token: "))
        .expect("qlik-csrf-token header")
        .trim()
        .to_owned();

    let patch = r#"[{"op":"replace","path":"/name","value":"X"}]"#;
    let without = raw(
        &tenant,
        format!("PATCH /api/v1/users/me HTTP/1.1\r\nCookie: {cookie_header}\r\nContent-Length: {}\r\n\r\n{patch}", patch.len()).as_bytes(),
    );
    assert!(without.starts_with("HTTP/1.1 403 "), "{without}");
    assert!(without.contains("LOCAL-CSRF-TOKEN"));
    let with = raw(
        &tenant,
        format!(
            "PATCH /api/v1/users/me HTTP/1.1\r\nCookie: {cookie_header}\r\nqlik-csrf-token: {csrf_token}\r\nContent-Length: {}\r\n\r\n{patch}",
            patch.len()
        )
        .as_bytes(),
    );
    assert!(with.starts_with("HTTP/1.1 204 "), "{with}");

    // No cookies, or a forged signature cookie: not logged in.
    let anonymous = raw(&tenant, b"GET /api/v1/users/me HTTP/1.1\r\n\r\n");
    assert!(anonymous.starts_with("HTTP/1.1 401 ") && anonymous.contains("LOCAL-NOT-LOGGED-IN"));
    let forged_cookie = cookie_header.replacen("eas.sid.sig=", "eas.sid.sig=AAAA", 1);
    let forged = raw(
        &tenant,
        format!("GET /api/v1/users/me HTTP/1.1\r\nCookie: {forged_cookie}\r\n\r\n").as_bytes(),
    );
    assert!(forged.starts_with("HTTP/1.1 401 "), "{forged}");
    let csrf_anonymous = raw(&tenant, b"GET /api/v1/csrf-token HTTP/1.1\r\n\r\n");
    assert!(csrf_anonymous.starts_with("HTTP/1.1 401 "));

    let body_start = |text: &str| text.split("\r\n\r\n").nth(1).unwrap_or("").to_owned();
    let refused = raw(
        &tenant,
        b"POST /login/jwt-session HTTP/1.1\r\nAuthorization: Bearer x.y.z\r\n\r\n",
    );
    let body: Json = serde_json::from_str(&body_start(&refused)).unwrap();
    assert_eq!(body["errors"][0]["status"], "401");
    assert!(body["errors"][0]["code"].is_string() && body["errors"][0]["title"].is_string());
    assert!(body["traceId"].is_string());
    let no_token = raw(&tenant, b"POST /login/jwt-session HTTP/1.1\r\n\r\n");
    assert!(no_token.starts_with("HTTP/1.1 401 ") && no_token.contains("LOCAL-TOKEN-ABSENT"));
}

#[test]
fn garbage_and_oversized_requests_get_an_answer_and_the_tenant_lives_on() {
    let provider = provider();
    let tenant = start(&provider, |_| {});
    for garbage in [
        &b"\x00\x01\x02\r\n\r\n"[..],
        b"GET\r\n\r\n",
        b"GET / HTTP/2.0\r\n\r\n",
        b"get / HTTP/1.1\r\n\r\n",
        b"GET / HTTP/1.1\r\nno colon here\r\n\r\n",
        b"POST /login/jwt-session HTTP/1.1\r\nContent-Length: abc\r\n\r\n",
        b"POST /login/jwt-session HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        b"GET /\xff HTTP/1.1\r\n\r\n",
    ] {
        let answer = raw(&tenant, garbage);
        assert!(
            answer.starts_with("HTTP/1.1 400 "),
            "{:?} -> {answer}",
            String::from_utf8_lossy(garbage)
        );
    }
    let huge_head = format!("GET / HTTP/1.1\r\nX-Big: {}\r\n\r\n", "a".repeat(20_000));
    assert!(raw(&tenant, huge_head.as_bytes()).starts_with("HTTP/1.1 413 "));
    let huge_body = b"POST /login/jwt-session HTTP/1.1\r\nContent-Length: 100000000\r\n\r\n";
    assert!(raw(&tenant, huge_body).starts_with("HTTP/1.1 413 "));
    assert!(raw(&tenant, b"GET /nothing HTTP/1.1\r\n\r\n").starts_with("HTTP/1.1 404 "));
    assert!(
        raw(&tenant, b"DELETE /login/jwt-session HTTP/1.1\r\n\r\n").starts_with("HTTP/1.1 405 ")
    );
    // A client that connects and says nothing, or closes early, does not stop the others.
    let silent = TcpStream::connect(tenant.addr()).unwrap();
    let _ = TcpStream::connect(tenant.addr())
        .unwrap()
        .write_all(b"POST /login/jwt-session HTTP/1.1\r\nContent-Length: 10\r\n\r\nab");
    login(tenant.url(), &signed(&provider), &LoginOptions::default()).unwrap();
    drop(silent);
}

#[test]
fn the_tenant_listens_on_loopback_only() {
    let provider = provider();
    let mut config = TenantConfig::new(provider.certificate.clone(), ISSUER, KID);
    config.listen = "0.0.0.0:0".parse().unwrap();
    let error = Tenant::start(config).unwrap_err();
    assert!(error.message().contains("loopback"), "{error}");
}

#[test]
fn a_stopped_tenant_refuses_connections() {
    let provider = provider();
    let tenant = start(&provider, |_| {});
    let url = tenant.url().to_owned();
    tenant.shutdown();
    match login(&url, &signed(&provider), &LoginOptions::default()) {
        Err(ClientError::Transport(_)) => {}
        other => panic!("expected a transport error, got {other:?}"),
    }
}

#[test]
fn a_trickling_client_is_cut_off_after_the_request_deadline() {
    let provider = provider();
    let tenant = start(&provider, |_| {});
    let mut stream = TcpStream::connect(tenant.addr()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_millis(100)))
        .unwrap();
    let started = std::time::Instant::now();
    let _ = stream.write_all(b"GET /api/v1/users/me HTTP/1.1\r\n");
    let mut buf = [0u8; 64];
    // One header byte a second: each read is quick, but the whole request is not. A deadline
    // per read would never cut this client off, so being cut off at all shows the deadline is
    // for the whole request; the give-up time only ends a run that fails.
    let give_up = Duration::from_secs(60);
    let closed = loop {
        if stream.write_all(b"X").is_err() {
            break true;
        }
        match stream.read(&mut buf) {
            Ok(0) => break true,
            Ok(_) => break true,
            Err(_) => {}
        }
        if started.elapsed() > give_up {
            break false;
        }
        std::thread::sleep(Duration::from_millis(900));
    };
    assert!(
        closed,
        "the tenant kept a trickling connection open for {give_up:?}"
    );
}
