use super::engine::answer;
use super::proxy::{Route, query_param, route};
use super::*;

fn config() -> ClientManagedTenantConfig {
    ClientManagedTenantConfig::new(
        "jwt",
        VerifyingKey::from_secret(b"not used"),
        VirtualProxySettings::new("userId", "userDirectory"),
    )
}

#[test]
fn the_cookie_is_named_after_the_prefix_with_http_appended() {
    let mut config = config();
    assert_eq!(config.session_cookie_header_name(), "X-Qlik-Session-jwt");
    assert_eq!(config.cookie_name(), "X-Qlik-Session-jwt-HTTP");
    config.session_cookie_header_name = Some("X-Qlik-Session-custom".into());
    assert_eq!(config.cookie_name(), "X-Qlik-Session-custom-HTTP");
}

/// A change to the settings, and the start of the refusal it earns.
type BadSetting = (Box<dyn Fn(&mut ClientManagedTenantConfig)>, &'static str);

#[test]
fn settings_the_proxy_cannot_run_with_are_refused_by_field() {
    let cases: Vec<BadSetting> = vec![
        (Box::new(|c| c.prefix = String::new()), "prefix is \"\""),
        (Box::new(|c| c.prefix = "a/b".into()), "prefix is \"a/b\""),
        (
            Box::new(|c| c.session_cookie_header_name = Some("a b".into())),
            "session_cookie_header_name is \"a b\"",
        ),
        (
            Box::new(|c| c.max_parallel_sessions = 0),
            "max_parallel_sessions is 0",
        ),
        (
            Box::new(|c| c.allowed_origins = vec!["mashup.example".into()]),
            "allowed_origins has \"mashup.example\"",
        ),
        (
            Box::new(|c| c.proxy.user_id_attribute = "sub".into()),
            "user_id_attribute is \"sub\"",
        ),
    ];
    for (change, expected) in cases {
        let mut config = config();
        change(&mut config);
        let message = config.check().unwrap_err().message().to_owned();
        assert!(message.starts_with(expected), "{message}");
    }
    config().check().unwrap();
}

#[test]
fn paths_route_under_the_prefix_only() {
    assert_eq!(route("/jwt/qps/csrftoken", "jwt"), Some(Route::CsrfToken));
    assert_eq!(route("/jwt/qps/user", "jwt"), Some(Route::User));
    assert_eq!(route("/jwt/qrs/about", "jwt"), Some(Route::QrsAbout));
    assert_eq!(route("/jwt/app/abc", "jwt"), Some(Route::App));
    assert_eq!(route("/jwt/app/", "jwt"), Some(Route::Other));
    assert_eq!(route("/jwt", "jwt"), Some(Route::Other));
    assert!(route("/jwtx/qps/csrftoken", "jwt").is_none());
    assert!(route("/qps/csrftoken", "jwt").is_none());
}

#[test]
fn query_parameters_are_found_by_name_and_decoded() {
    assert_eq!(
        query_param("a=1&Xrfkey=abc", "xrfkey").as_deref(),
        Some("abc")
    );
    assert_eq!(
        query_param("qlik-csrf-token=a%2Bb%3D", "qlik-csrf-token").as_deref(),
        Some("a+b=")
    );
    assert_eq!(query_param("a=1", "xrfkey"), None);
    assert_eq!(query_param("x=%zz", "x"), None);
}

#[test]
fn the_engine_answers_engine_version_on_the_global_handle_and_errors_otherwise() {
    let version =
        answer(r#"{"jsonrpc":"2.0","id":1,"handle":-1,"method":"EngineVersion","params":{}}"#)
            .unwrap();
    assert_eq!(version["id"], 1);
    assert!(version["result"]["qVersion"]["qComponentVersion"].is_string());
    let unknown =
        answer(r#"{"jsonrpc":"2.0","id":2,"handle":-1,"method":"OpenDoc","params":["x"]}"#)
            .unwrap();
    assert_eq!(unknown["error"]["code"], -32601);
    assert_eq!(unknown["id"], 2);
    let handle = answer(r#"{"jsonrpc":"2.0","id":3,"handle":1,"method":"GetLayout"}"#).unwrap();
    assert_eq!(handle["error"]["code"], -32602);
    assert_eq!(answer("not json").unwrap()["error"]["code"], -32700);
    assert_eq!(answer(r#"{"jsonrpc":"2.0","method":"Notify"}"#), None);
}
