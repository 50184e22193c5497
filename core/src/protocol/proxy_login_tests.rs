//! The client-managed login and session, driven with scripted answers.

use std::time::Duration;

use super::*;
use crate::protocol::{CallOutcome, ClientManagedState, RetryPolicy, is_xrfkey};

const BASE: &str = "http://127.0.0.1:9000/jwt";
const COOKIE: &str = "X-Qlik-Session-jwt-HTTP";

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

fn session_answer() -> HttpResponse {
    answer(
        200,
        &[
            (
                "set-cookie",
                "X-Qlik-Session-jwt-HTTP=s%2B1; Path=/; HttpOnly",
            ),
            ("qlik-csrf-token", "csrf/1+x"),
        ],
        "",
    )
}

fn flow(retry: RetryPolicy) -> ClientManagedLogin {
    ClientManagedLogin::new(BASE, "tok.en.sig", ClientManagedOptions::default(), retry).unwrap()
}

fn header<'r>(request: &'r HttpRequest, name: &str) -> Option<&'r str> {
    header_value(&request.headers, name)
}

fn logged_in() -> ClientManagedState {
    let mut flow = flow(RetryPolicy::none());
    flow.start();
    match flow.receive(&session_answer()) {
        ClientManagedStep::Done(state) => *state,
        other => panic!("{other:?}"),
    }
}

#[test]
fn one_bearer_call_to_csrftoken_gives_the_session() {
    let mut flow = flow(RetryPolicy::none());
    let ClientManagedStep::Send(request) = flow.start() else {
        panic!("the first step sends")
    };
    assert_eq!(request.method, "GET");
    assert_eq!(request.url, "http://127.0.0.1:9000/jwt/qps/csrftoken");
    assert_eq!(header(&request, "authorization"), Some("Bearer tok.en.sig"));
    assert_eq!(request.timeout, DEFAULT_TIMEOUT);
    let ClientManagedStep::Done(state) = flow.receive(&session_answer()) else {
        panic!("logged in")
    };
    assert_eq!(state.base_url(), BASE);
    assert_eq!(state.origin(), "http://127.0.0.1:9000");
    assert_eq!(state.prefix(), "jwt");
    assert_eq!(state.cookie_name(), COOKIE);
    assert_eq!(state.cookie_value().as_deref(), Some("s%2B1"));
    assert_eq!(state.cookie_header(), format!("{COOKIE}=s%2B1"));
    assert_eq!(state.csrf_token(), "csrf/1+x");
    // The login is over: more answers are out of order.
    assert!(matches!(
        flow.receive(&session_answer()),
        ClientManagedStep::Failed(ClientError::InvalidArgument(m)) if m.contains("login is over")
    ));
}

#[test]
fn the_session_cookie_is_the_one_the_proxy_sets() {
    let mut named = ClientManagedLogin::new(
        BASE,
        "t",
        ClientManagedOptions {
            session_cookie_name: Some("MySense".into()),
            ..ClientManagedOptions::default()
        },
        RetryPolicy::none(),
    )
    .unwrap();
    named.start();
    let custom = answer(
        200,
        &[
            ("Set-Cookie", "other=1; Path=/"),
            ("Set-Cookie", "MySense=v; Path=/"),
            ("qlik-csrf-token", "c"),
        ],
        "",
    );
    let ClientManagedStep::Done(state) = named.receive(&custom) else {
        panic!("the named cookie is found")
    };
    assert_eq!(state.cookie_name(), "MySense");
    assert_eq!(state.cookie_header(), "other=1; MySense=v");

    // Unnamed: the conventional name wins over the order; without it, the first cookie set.
    let mut flow = flow(RetryPolicy::none());
    flow.start();
    let both = answer(
        200,
        &[
            ("Set-Cookie", "lb=1; Path=/"),
            ("Set-Cookie", "x-qlik-session-jwt=s; Path=/"),
            ("qlik-csrf-token", "c"),
        ],
        "",
    );
    let ClientManagedStep::Done(state) = flow.receive(&both) else {
        panic!()
    };
    assert_eq!(state.cookie_name(), "x-qlik-session-jwt");
    let ClientManagedStep::Done(state) = ({
        let mut flow = self::flow(RetryPolicy::none());
        flow.start();
        flow.receive(&custom)
    }) else {
        panic!()
    };
    assert_eq!(state.cookie_name(), "other");
}

#[test]
fn an_answer_without_cookie_or_csrf_token_is_a_protocol_error() {
    let mut flow = flow(RetryPolicy::none());
    flow.start();
    let step = flow.receive(&answer(200, &[("qlik-csrf-token", "c")], ""));
    assert!(
        matches!(&step, ClientManagedStep::Failed(ClientError::Protocol(m))
        if m.contains("expected X-Qlik-Session-jwt-HTTP") && m.contains("cookies set: none")),
        "{step:?}"
    );
    let mut flow = self::flow(RetryPolicy::none());
    flow.start();
    let step = flow.receive(&answer(
        200,
        &[("set-cookie", "X-Qlik-Session-jwt-HTTP=s")],
        "",
    ));
    assert!(
        matches!(&step, ClientManagedStep::Failed(ClientError::Protocol(m))
        if m.contains("no qlik-csrf-token header")),
        "{step:?}"
    );
}

#[test]
fn refusals_are_typed_and_explained() {
    let mut flow = flow(RetryPolicy::default());
    flow.start();
    let step = flow.receive(&answer(403, &[], "OnMaxParallelSessionsExceeded"));
    let ClientManagedStep::Failed(ClientError::Qlik(error)) = step else {
        panic!("a 403 is final: {step:?}")
    };
    assert_eq!(error.status, 403);
    assert!(
        error
            .hint
            .as_deref()
            .unwrap()
            .contains("5 parallel sessions")
    );
    let mut flow = self::flow(RetryPolicy::none());
    flow.start();
    let ClientManagedStep::Failed(ClientError::Qlik(error)) =
        flow.receive(&answer(401, &[], "Unauthorized"))
    else {
        panic!()
    };
    // "tok.en.sig" is no JWT: the token alone explains the refusal.
    assert!(
        error
            .hint
            .as_deref()
            .unwrap()
            .starts_with("QSE_MALFORMED_TOKEN")
    );
}

#[test]
fn what_a_retry_can_cure_is_retried_with_the_same_token() {
    let mut flow = flow(RetryPolicy {
        retries: 2,
        first_delay: Duration::from_millis(10),
    });
    let ClientManagedStep::Send(first) = flow.start() else {
        panic!()
    };
    assert_eq!(
        flow.unreachable("connection refused"),
        ClientManagedStep::Wait(Duration::from_millis(10))
    );
    let ClientManagedStep::Send(second) = flow.waited() else {
        panic!()
    };
    assert_eq!(first, second);
    assert_eq!(
        flow.receive(&answer(503, &[], "")),
        ClientManagedStep::Wait(Duration::from_millis(20))
    );
    flow.waited();
    assert!(matches!(
        flow.receive(&answer(503, &[], "")),
        ClientManagedStep::Failed(ClientError::Qlik(e)) if e.status == 503
    ));
}

#[test]
fn bad_arguments_are_refused_before_any_request() {
    let options = ClientManagedOptions::default;
    assert!(matches!(
        ClientManagedLogin::new(BASE, " ", options(), RetryPolicy::none()),
        Err(ClientError::InvalidArgument(m)) if m.contains("token is empty")
    ));
    assert!(matches!(
        ClientManagedLogin::new("http://127.0.0.1:9000", "t", options(), RetryPolicy::none()),
        Err(ClientError::InvalidUrl(m)) if m.contains("prefix")
    ));
    let empty_name = ClientManagedOptions {
        session_cookie_name: Some(String::new()),
        ..options()
    };
    assert!(ClientManagedLogin::new(BASE, "t", empty_name, RetryPolicy::none()).is_err());
    let mut flow = flow(RetryPolicy::none());
    assert!(matches!(
        flow.waited(),
        ClientManagedStep::Failed(ClientError::InvalidArgument(_))
    ));
    assert!(matches!(
        flow.receive(&session_answer()),
        ClientManagedStep::Failed(_)
    ));
}

#[test]
fn calls_carry_the_cookie_and_qrs_calls_a_fresh_xrfkey_never_the_token() {
    let state = logged_in();
    let about = state.request("GET", "/qrs/about?filter=x", false).unwrap();
    let url = url::Url::parse(&about.url).unwrap();
    assert_eq!(url.path(), "/jwt/qrs/about");
    let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    assert_eq!(pairs[0], ("filter".to_owned(), "x".to_owned()));
    assert_eq!(pairs[1].0, "xrfkey");
    assert!(is_xrfkey(&pairs[1].1));
    assert_eq!(header(&about, "x-qlik-xrfkey"), Some(pairs[1].1.as_str()));
    assert_eq!(
        header(&about, "cookie"),
        Some(format!("{COOKIE}=s%2B1").as_str())
    );
    assert_eq!(header(&about, "authorization"), None);
    let again = state.request("GET", "/qrs/about", false).unwrap();
    assert_ne!(
        header(&again, "x-qlik-xrfkey"),
        header(&about, "x-qlik-xrfkey")
    );

    let hub = state.request("post", "/api/hub/v1/apps", true).unwrap();
    assert_eq!(hub.method, "POST");
    assert_eq!(hub.url, "http://127.0.0.1:9000/jwt/api/hub/v1/apps");
    assert_eq!(header(&hub, "x-qlik-xrfkey"), None);
    assert_eq!(header(&hub, "content-type"), Some("application/json"));
    assert_eq!(header(&hub, "authorization"), None);

    assert!(matches!(
        state.request("GET", "/qrs/app?Xrfkey=abcdefghijklmnop", false),
        Err(ClientError::InvalidArgument(m)) if m.contains("adds a fresh one")
    ));
    assert!(state.request("GET", "/../qrs/about", false).is_err());
    assert!(state.request("G T", "/qrs/about", false).is_err());
}

#[test]
fn the_websocket_takes_the_csrf_token_cookie_and_origin() {
    let state = logged_in();
    assert_eq!(
        state.websocket_url("a b/c"),
        "ws://127.0.0.1:9000/jwt/app/a%20b%2Fc?qlik-csrf-token=csrf%2F1%2Bx"
    );
    assert_eq!(
        state.websocket_headers(),
        [
            ("Cookie".to_owned(), format!("{COOKIE}=s%2B1")),
            ("Origin".to_owned(), "http://127.0.0.1:9000".to_owned()),
        ]
    );
    let mut https = ClientManagedLogin::new(
        "https://sense.example.com/jwt",
        "t",
        ClientManagedOptions::default(),
        RetryPolicy::none(),
    )
    .unwrap();
    https.start();
    let ClientManagedStep::Done(state) = https.receive(&answer(
        200,
        &[
            (
                "set-cookie",
                "X-Qlik-Session-jwt=v; Path=/; Secure; HttpOnly",
            ),
            ("qlik-csrf-token", "c"),
        ],
        "",
    )) else {
        panic!()
    };
    assert_eq!(
        state.websocket_url("engineData"),
        "wss://sense.example.com/jwt/app/engineData?qlik-csrf-token=c"
    );
    assert_eq!(state.websocket_headers()[1].1, "https://sense.example.com");
}

#[test]
fn calls_keep_the_cookies_answers_set_and_judge_statuses() {
    let mut state = logged_in();
    let url = "http://127.0.0.1:9000/jwt/qrs/about";
    let renewed = [(
        "Set-Cookie".to_owned(),
        "X-Qlik-Session-jwt-HTTP=s2; Path=/".to_owned(),
    )];
    assert_eq!(state.receive(url, 200, &renewed), CallOutcome::Accepted);
    assert_eq!(state.cookie_value().as_deref(), Some("s2"));
    assert_eq!(state.receive(url, 302, &[]), CallOutcome::Refused);
    let refused = ClientManagedState::refusal(403, "too many sessions");
    assert!(
        matches!(refused, ClientError::Qlik(e) if e.hint.as_deref().unwrap_or("").contains("QSE_SESSION_LIMIT"))
    );
}
