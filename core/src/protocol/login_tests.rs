//! The login state machine driven by hand: every step, refusal and retry without a network.

use std::time::Duration;

use super::*;

const TENANT: &str = "http://127.0.0.1:8080";

fn flow(retry: RetryPolicy) -> LoginFlow {
    let options = LoginOptions {
        web_integration_id: Some("web-1".into()),
        timeout: Duration::from_secs(5),
    };
    LoginFlow::new(TENANT, options, retry).unwrap()
}

fn answer(status: u16, headers: &[(&str, &str)], body: &str) -> HttpResponse {
    HttpResponse {
        status,
        headers: headers
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect(),
        body: body.to_owned(),
    }
}

fn sent(step: LoginStep) -> HttpRequest {
    match step {
        LoginStep::Send(request) => request,
        other => panic!("expected a request, got {other:?}"),
    }
}

fn failed(step: LoginStep) -> ClientError {
    match step {
        LoginStep::Failed(error) => error,
        other => panic!("expected a failure, got {other:?}"),
    }
}

const LOGGED_IN: &[(&str, &str)] = &[
    (
        "set-cookie",
        "eas.sid=s1; Path=/; HttpOnly; SameSite=None; Secure",
    ),
    ("Set-Cookie", "_csrfToken=c1; Path=/; HttpOnly; Secure"),
    ("set-cookie", "elsewhere=e; Path=/other"),
];

/// A token whose claims the core's checks find wrong (no `nbf`, no `jti`, ...).
const POOR_TOKEN: &str = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln";

#[test]
fn a_login_posts_the_token_then_fetches_the_csrf_token_with_the_cookies() {
    let mut flow = flow(RetryPolicy::none());
    let login = sent(flow.token("the.jwt.token"));
    assert_eq!(login.method, "POST");
    assert_eq!(login.url, "http://127.0.0.1:8080/login/jwt-session");
    assert_eq!(
        header_value(&login.headers, "authorization"),
        Some("Bearer the.jwt.token")
    );
    assert_eq!(
        header_value(&login.headers, "qlik-web-integration-id"),
        Some("web-1")
    );
    assert_eq!(header_value(&login.headers, "cookie"), None);
    assert_eq!(login.timeout, Duration::from_secs(5));
    assert!(login.body.is_empty());

    let csrf = sent(flow.receive(&answer(200, LOGGED_IN, "{}")));
    assert_eq!(csrf.method, "GET");
    assert_eq!(csrf.url, "http://127.0.0.1:8080/api/v1/csrf-token");
    // Secure cookies go back over loopback HTTP; a cookie of another path does not.
    assert_eq!(
        header_value(&csrf.headers, "cookie"),
        Some("eas.sid=s1; _csrfToken=c1")
    );
    assert_eq!(header_value(&csrf.headers, "qlik-csrf-token"), None);
    assert_eq!(header_value(&csrf.headers, "authorization"), None);

    let done = flow.receive(&answer(
        204,
        &[
            ("qlik-csrf-token", "csrf-123"),
            ("set-cookie", "elsewhere=; Path=/other; Max-Age=0"),
        ],
        "",
    ));
    let LoginStep::Done(session) = done else {
        panic!("expected a session, got {done:?}");
    };
    assert_eq!(session.base_url(), TENANT);
    assert_eq!(session.csrf_token(), "csrf-123");
    assert_eq!(session.cookie_names(), ["eas.sid", "_csrfToken"]);
    assert_eq!(session.web_integration_id(), Some("web-1"));
    // Over: anything more is out of order.
    assert!(matches!(
        failed(flow.receive(&answer(200, &[], ""))),
        ClientError::InvalidArgument(_)
    ));
}

#[test]
fn a_refused_login_maps_qliks_body_and_adds_the_hint() {
    let mut flow = flow(RetryPolicy::default());
    sent(flow.token(POOR_TOKEN));
    let body = r#"{"errors":[{"code":"INTERNAL-TOKEN-1","title":"Missing required claim: nbf","detail":"d","status":"400"}],"traceId":"abc"}"#;
    match failed(flow.receive(&answer(400, &[], body))) {
        ClientError::Qlik(error) => {
            assert_eq!(
                (error.status, error.code.as_str()),
                (400, "INTERNAL-TOKEN-1")
            );
            assert_eq!(error.title, "Missing required claim: nbf");
            assert_eq!(error.trace_id.as_deref(), Some("abc"));
            let hint = error.hint.expect("a hint");
            assert!(hint.contains("QLIK_CLAIM_MISSING"), "{hint}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn curable_failures_are_retried_with_a_new_token_after_a_growing_wait() {
    let mut flow = flow(RetryPolicy::default());
    sent(flow.token("first.token.x"));
    let limited = r#"{"errors":[{"code":"RATE","title":"Too many"}]}"#;
    assert_eq!(
        flow.receive(&answer(429, &[], limited)),
        LoginStep::Wait(Duration::from_secs(1))
    );
    assert_eq!(flow.waited(), LoginStep::Sign);
    let second = sent(flow.token("second.token.x"));
    assert_eq!(
        header_value(&second.headers, "authorization"),
        Some("Bearer second.token.x")
    );
    assert_eq!(
        flow.unreachable("connection refused"),
        LoginStep::Wait(Duration::from_secs(2))
    );
    assert_eq!(flow.waited(), LoginStep::Sign);
    sent(flow.token("third.token.x"));
    match failed(flow.receive(&answer(503, &[], "down"))) {
        ClientError::Qlik(error) => assert_eq!((error.status, error.title.as_str()), (503, "down")),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_failed_csrf_fetch_is_retried_as_a_whole_new_login() {
    let mut flow = flow(RetryPolicy {
        retries: 1,
        first_delay: Duration::from_millis(5),
    });
    sent(flow.token("a.b.c"));
    sent(flow.receive(&answer(200, LOGGED_IN, "")));
    assert_eq!(
        flow.receive(&answer(502, &[], "")),
        LoginStep::Wait(Duration::from_millis(5))
    );
    assert_eq!(flow.waited(), LoginStep::Sign);
    let again = sent(flow.token("d.e.f"));
    assert_eq!(again.url, "http://127.0.0.1:8080/login/jwt-session");
    // Nothing of the failed attempt's cookies is sent with the new login.
    assert_eq!(header_value(&again.headers, "cookie"), None);
}

#[test]
fn what_a_retry_cannot_cure_ends_the_login_at_once() {
    for status in [400, 401, 403] {
        let mut flow = flow(RetryPolicy::default());
        sent(flow.token("a.b.c"));
        assert!(
            matches!(failed(flow.receive(&answer(status, &[], ""))), ClientError::Qlik(e) if e.status == status)
        );
    }
    let mut flow = flow(RetryPolicy::none());
    sent(flow.token("a.b.c"));
    assert!(
        matches!(failed(flow.unreachable("timed out")), ClientError::Transport(m) if m == "timed out")
    );
}

#[test]
fn answers_a_tenant_would_not_give_are_protocol_errors() {
    let mut flow = flow(RetryPolicy::none());
    sent(flow.token("a.b.c"));
    let no_cookies = failed(flow.receive(&answer(200, &[], "{}")));
    assert!(
        matches!(&no_cookies, ClientError::Protocol(m) if m.contains("cookies")),
        "{no_cookies}"
    );

    let mut flow = self::flow(RetryPolicy::none());
    sent(flow.token("a.b.c"));
    // Only an already-expired cookie: no session either.
    let expired = failed(flow.receive(&answer(200, &[("set-cookie", "eas.sid=x; Max-Age=0")], "")));
    assert!(matches!(expired, ClientError::Protocol(_)));

    let mut flow = self::flow(RetryPolicy::none());
    sent(flow.token("a.b.c"));
    sent(flow.receive(&answer(200, LOGGED_IN, "")));
    let no_csrf = failed(flow.receive(&answer(204, &[("qlik-csrf-token", "")], "")));
    assert!(
        matches!(&no_csrf, ClientError::Protocol(m) if m.contains("qlik-csrf-token")),
        "{no_csrf}"
    );

    let mut flow = self::flow(RetryPolicy::none());
    sent(flow.token("a.b.c"));
    sent(flow.receive(&answer(200, LOGGED_IN, "")));
    let csrf_refused = failed(flow.receive(&answer(
        401,
        &[],
        r#"{"errors":[{"code":"NL","title":"not logged in"}]}"#,
    )));
    // The hint explains a refused token, not a refused CSRF fetch.
    assert!(matches!(csrf_refused, ClientError::Qlik(e) if e.code == "NL" && e.hint.is_none()));
}

#[test]
fn bad_input_and_steps_out_of_order_are_typed_errors() {
    assert!(matches!(
        LoginFlow::new("acme", LoginOptions::default(), RetryPolicy::none()),
        Err(ClientError::InvalidUrl(_))
    ));
    let mut flow = flow(RetryPolicy::default());
    assert!(matches!(
        failed(flow.receive(&answer(200, &[], ""))),
        ClientError::InvalidArgument(_)
    ));
    assert!(matches!(
        failed(flow.waited()),
        ClientError::InvalidArgument(_)
    ));
    assert!(matches!(
        failed(flow.unreachable("x")),
        ClientError::InvalidArgument(_)
    ));
    // Out-of-order calls leave the flow where it was.
    sent(flow.token("a.b.c"));
    assert!(
        matches!(failed(flow.token("d.e.f")), ClientError::InvalidArgument(m) if m.contains("expected an answer"))
    );
    for blank in ["", " "] {
        let mut empty = self::flow(RetryPolicy::default());
        assert!(
            matches!(failed(empty.token(blank)), ClientError::InvalidArgument(m) if m.contains("a signed Qlik JWT")),
            "{blank:?}"
        );
    }
    let login = sent(self::flow(RetryPolicy::default()).token("a.b.c"));
    assert_eq!(login.method, "POST");
}
