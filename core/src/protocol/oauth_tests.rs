//! The token state machine driven by hand: the request, the answer, refusals and retries.

use std::time::Duration;

use serde_json::{Value as Json, json};

use super::*;
use crate::protocol::header_value;

const TENANT: &str = "http://127.0.0.1:8080/";

fn request(grant: Grant, scope: Option<&str>) -> TokenRequest {
    TokenRequest {
        client_id: "client-1".into(),
        grant,
        scope: scope.map(str::to_owned),
        timeout: Duration::from_secs(5),
    }
}

fn flow(grant: Grant, retry: RetryPolicy) -> TokenFlow {
    TokenFlow::new(TENANT, request(grant, None), retry).unwrap()
}

fn answer(status: u16, body: &str) -> HttpResponse {
    HttpResponse {
        status,
        headers: vec![],
        body: body.to_owned(),
    }
}

fn sent(step: TokenStep) -> HttpRequest {
    match step {
        TokenStep::Send(request) => request,
        other => panic!("expected a request, got {other:?}"),
    }
}

fn failed(step: TokenStep) -> ClientError {
    match step {
        TokenStep::Failed(error) => error,
        other => panic!("expected a failure, got {other:?}"),
    }
}

fn body(request: &HttpRequest) -> Json {
    serde_json::from_slice(&request.body).unwrap()
}

#[test]
fn machine_to_machine_posts_the_assertion_as_json() {
    let mut flow = flow(Grant::ClientCredentials, RetryPolicy::none());
    assert_eq!(flow.audience(), "http://127.0.0.1:8080/oauth/token");
    let request = sent(flow.assertion("a.b.c"));
    assert_eq!(request.method, "POST");
    assert_eq!(request.url, "http://127.0.0.1:8080/oauth/token");
    assert_eq!(
        header_value(&request.headers, "content-type"),
        Some("application/json")
    );
    assert_eq!(
        body(&request),
        json!({
            "client_id": "client-1",
            "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            "client_assertion": "a.b.c",
            "grant_type": "client_credentials",
        })
    );
    let before = now_secs();
    let step = flow.receive(&answer(
        200,
        r#"{"access_token":"tok","token_type":"bearer","expires_in":3600,"scope":"user_default"}"#,
    ));
    let TokenStep::Done(token) = step else {
        panic!("expected a token, got {step:?}")
    };
    assert_eq!(token.access_token, "tok");
    assert_eq!(token.token_type, "bearer");
    assert_eq!(token.expires_in, 3600);
    assert!(token.expires_at >= before + 3600 && token.expires_at <= now_secs() + 3600);
    assert_eq!(token.scope.as_deref(), Some("user_default"));
    assert_eq!(token.authorization(), "Bearer tok");
    assert!(!format!("{token:?}").contains("tok\""), "{token:?}");
}

#[test]
fn impersonation_looks_the_user_up_by_subject_with_the_scope() {
    let grant = Grant::for_subject(Some("auth0|alice"));
    let mut flow = TokenFlow::new(
        TENANT,
        request(grant, Some("user_default")),
        RetryPolicy::none(),
    )
    .unwrap();
    let sent = body(&sent(flow.assertion("a.b.c")));
    assert_eq!(sent["grant_type"], "urn:qlik:oauth:user-impersonation");
    assert_eq!(
        sent["user_lookup"],
        json!({"field": "subject", "value": "auth0|alice"})
    );
    assert_eq!(sent["scope"], "user_default");
}

#[test]
fn refusals_keep_qliks_body_in_either_shape() {
    let mut flow = flow(Grant::ClientCredentials, RetryPolicy::default());
    flow.assertion("a.b.c");
    let error = failed(flow.receive(&answer(
        401,
        r#"{"errors":[{"code":"OAUTH-1","title":"invalid client","detail":"bad signature","status":"401"}],"traceId":"t1"}"#,
    )));
    let ClientError::Qlik(refusal) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(
        (
            refusal.status,
            refusal.code.as_str(),
            refusal.title.as_str()
        ),
        (401, "OAUTH-1", "invalid client")
    );
    assert_eq!(refusal.detail.as_deref(), Some("bad signature"));
    assert_eq!(refusal.trace_id.as_deref(), Some("t1"));
    assert_eq!(error.code(), "ERR_QLIK_REFUSED");

    let ClientError::Qlik(rfc) = token_refusal(
        400,
        r#"{"error":"invalid_grant","error_description":"no such user"}"#,
    ) else {
        panic!()
    };
    assert_eq!(
        (rfc.code.as_str(), rfc.title.as_str()),
        ("invalid_grant", "no such user")
    );
}

#[test]
fn a_curable_failure_is_retried_with_a_new_assertion() {
    let retry = RetryPolicy {
        retries: 2,
        first_delay: Duration::from_millis(10),
    };
    let mut flow = flow(Grant::ClientCredentials, retry);
    assert_eq!(
        body(&sent(flow.assertion("first")))["client_assertion"],
        "first"
    );
    assert_eq!(
        flow.receive(&answer(503, "down")),
        TokenStep::Wait(Duration::from_millis(10))
    );
    assert_eq!(flow.waited(), TokenStep::Sign);
    // The spent assertion is not sent again: the flow wants a new one.
    assert_eq!(
        body(&sent(flow.assertion("second")))["client_assertion"],
        "second"
    );
    assert_eq!(
        flow.unreachable("connection refused"),
        TokenStep::Wait(Duration::from_millis(20))
    );
    flow.waited();
    flow.assertion("third");
    let error = failed(flow.receive(&answer(429, "")));
    assert_eq!(error.code(), "ERR_QLIK_REFUSED");
}

#[test]
fn an_answer_with_expires_at_alone_gives_the_seconds_left() {
    let at = |text: &str| {
        let body = format!(r#"{{"access_token":"t","token_type":"bearer","expires_at":"{text}"}}"#);
        AccessToken::from_response(&body, 1_700_000_000).map(|t| (t.expires_in, t.expires_at))
    };
    // 1_700_000_000 is 2023-11-14T22:13:20Z.
    assert_eq!(
        at("2023-11-14T23:13:20.931Z").unwrap(),
        (3600, 1_700_003_600)
    );
    assert_eq!(
        at("2023-11-15T00:13:20+01:00").unwrap(),
        (3600, 1_700_003_600)
    );
    assert_eq!(
        at("2023-11-14T22:13:20-00:30").unwrap(),
        (1800, 1_700_001_800)
    );
    assert_eq!(
        at("2023-11-14T22:00:00Z").unwrap().0,
        0,
        "already past: 0 s left"
    );
    assert_eq!(at("2024-02-29T00:00:00Z").unwrap().1, 1_709_164_800);
    for bad in ["1970-01-18T13:17:10", "soon", "2023-13-01T00:00:00Z"] {
        assert_eq!(at(bad).unwrap_err().code(), "ERR_PROTOCOL", "{bad}");
    }
    // Both given: expires_in wins.
    let both = AccessToken::from_response(
        r#"{"access_token":"t","expires_in":60,"expires_at":"2030-01-01T00:00:00Z"}"#,
        1_700_000_000,
    )
    .unwrap();
    assert_eq!(both.expires_in, 60);
}

#[test]
fn bad_answers_and_arguments_are_named() {
    let mut flow = flow(Grant::ClientCredentials, RetryPolicy::none());
    flow.assertion("a.b.c");
    let error = failed(flow.receive(&answer(200, r#"{"access_token":"x"}"#)));
    assert_eq!(error.code(), "ERR_PROTOCOL");
    assert!(error.to_string().contains("expires_in"), "{error}");

    let mut empty = self::flow(Grant::ClientCredentials, RetryPolicy::none());
    assert_eq!(failed(empty.assertion(" ")).code(), "ERR_INVALID_ARGUMENT");

    for (req, field) in [
        (request(Grant::for_subject(Some(" ")), None), "subject"),
        (request(Grant::ClientCredentials, Some("")), "scope"),
        (
            TokenRequest {
                client_id: String::new(),
                ..request(Grant::ClientCredentials, None)
            },
            "clientId",
        ),
    ] {
        let error = TokenFlow::new(TENANT, req, RetryPolicy::none()).unwrap_err();
        assert!(error.to_string().contains(field), "{error}");
    }
    let error = TokenFlow::new(
        "https://acme.example/oauth",
        request(Grant::ClientCredentials, None),
        RetryPolicy::none(),
    )
    .unwrap_err();
    assert_eq!(error.code(), "ERR_INVALID_URL");

    let mut early = self::flow(Grant::ClientCredentials, RetryPolicy::none());
    assert_eq!(
        failed(early.receive(&answer(200, "{}"))).code(),
        "ERR_INVALID_ARGUMENT"
    );
}
