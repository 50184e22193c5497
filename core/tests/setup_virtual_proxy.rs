//! The JSON body of `POST /qrs/virtualproxyconfig` for a client-managed JWT virtual proxy.

mod support;

use qlik_jwt::ErrorCode;
use qlik_jwt::qlik::client_managed::{AttributeMapping, VirtualProxySettings};
use qlik_jwt::setup::{
    AUTHENTICATION_METHOD_JWT, CertificateOptions, KeyAlgorithm, VirtualProxyConfig, generate,
};
use serde_json::{Value, json};

fn certificate(name: &str) -> String {
    std::fs::read_to_string(support::keys_dir().join(name)).unwrap()
}

fn config() -> VirtualProxyConfig {
    let mut proxy = VirtualProxySettings::new("userId", "userDirectory");
    proxy.audience = Some("qlik.example".into());
    proxy.attributes.push(AttributeMapping {
        sense_attribute: "group".into(),
        jwt_attribute: "groups".into(),
        is_mandatory: false,
    });
    VirtualProxyConfig::new("jwt", &certificate("qlik-export-client.pem"), proxy)
}

fn refusal(config: &VirtualProxyConfig) -> (ErrorCode, String) {
    let error = config.to_json_value().unwrap_err();
    (error.code(), error.message().to_owned())
}

#[test]
fn body_has_the_qrs_virtual_proxy_fields_for_jwt() {
    let body: Value = serde_json::from_str(&config().to_json().unwrap()).unwrap();
    assert_eq!(body["prefix"], "jwt");
    assert_eq!(body["description"], "JWT authentication (jwt)");
    assert_eq!(body["sessionCookieHeaderName"], "X-Qlik-Session-jwt");
    assert_eq!(body["authenticationMethod"], AUTHENTICATION_METHOD_JWT);
    assert_eq!(body["authenticationMethod"], 4);
    assert_eq!(body["anonymousAccessMode"], 0);
    assert_eq!(body["jwtAttributeUserId"], "userId");
    assert_eq!(body["jwtAttributeUserDirectory"], "userDirectory");
    assert_eq!(body["jwtAudience"], "qlik.example");
    assert_eq!(
        body["jwtAttributeMap"],
        json!([{ "senseAttribute": "group", "jwtAttribute": "groups", "isMandatory": false }])
    );
    assert_eq!(body["loadBalancingServerNodes"], json!([]));
    assert_eq!(body["websocketCrossOriginWhiteList"], json!([]));
    assert!(body.get("sessionInactivityTimeout").is_none());
    let pem = body["jwtPublicKeyCertificate"].as_str().unwrap();
    assert!(pem.starts_with("-----BEGIN CERTIFICATE-----\n"), "{pem}");
    assert!(pem.ends_with("-----END CERTIFICATE-----\n"), "{pem}");
    assert!(pem.lines().all(|line| line.len() <= 64), "{pem}");
    let original: String = certificate("qlik-export-client.pem")
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect();
    let written: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    assert_eq!(written, original);
}

#[test]
fn optional_fields_are_written_when_given() {
    let mut config = config();
    config.proxy.audience = None;
    config.description = Some("Mashup users".into());
    config.session_cookie_header_name = Some("X-Qlik-Session-Mashup".into());
    config.load_balancing_node_ids = vec!["D4B844BA-66cc-4a38-aa6c-8d0516641bc2".into()];
    config.websocket_origin_allow_list = vec!["mashup.example.com".into()];
    config.session_inactivity_timeout_minutes = Some(60);
    let body = config.to_json_value().unwrap();
    assert!(body.get("jwtAudience").is_none());
    assert_eq!(body["description"], "Mashup users");
    assert_eq!(body["sessionCookieHeaderName"], "X-Qlik-Session-Mashup");
    assert_eq!(
        body["loadBalancingServerNodes"],
        json!([{ "id": "d4b844ba-66cc-4a38-aa6c-8d0516641bc2" }])
    );
    assert_eq!(
        body["websocketCrossOriginWhiteList"],
        json!(["mashup.example.com"])
    );
    assert_eq!(body["sessionInactivityTimeout"], 60);
}

#[test]
fn prefix_takes_only_lowercase_unreserved_characters() {
    for good in ["jwt", "jwt-2", "a.b_c~d"] {
        let mut config = config();
        config.prefix = good.into();
        assert!(config.to_json_value().is_ok(), "{good}");
    }
    for (bad, words) in [
        ("", "prefix is empty"),
        ("JWT", "lowercase"),
        ("/jwt", "without slashes"),
        ("a b", "' '"),
        ("jwt#", "'#'"),
    ] {
        let mut config = config();
        config.prefix = bad.into();
        let (code, message) = refusal(&config);
        assert_eq!(code, ErrorCode::InvalidOption, "{bad}");
        assert!(message.contains("prefix"), "{message}");
        assert!(message.contains(words), "{bad}: {message}");
    }
}

#[test]
fn certificate_must_be_an_rsa_x509_certificate() {
    let cases = [
        (certificate("rsa2048-public-spki.pem"), "bare public key"),
        (certificate("qlik-export-client_key.pem"), "private key"),
        (certificate("ec256-cert.pem"), "EC key"),
        ("not pem".to_owned(), "-----BEGIN"),
        (
            "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n".to_owned(),
            "does not parse",
        ),
    ];
    for (text, words) in cases {
        let mut config = config();
        config.certificate_pem = text;
        let (code, message) = refusal(&config);
        assert_eq!(code, ErrorCode::InvalidKey, "{message}");
        assert!(message.starts_with("certificate: "), "{message}");
        assert!(message.contains(words), "{words}: {message}");
    }
}

#[test]
fn a_generated_rsa_certificate_is_taken_and_an_ec_one_refused() {
    let rsa = generate(KeyAlgorithm::Rsa2048, &CertificateOptions::default()).unwrap();
    let mut config = config();
    config.certificate_pem = rsa.certificate_pem;
    assert!(config.to_json_value().is_ok());
    let ec = generate(KeyAlgorithm::EcP256, &CertificateOptions::default()).unwrap();
    config.certificate_pem = ec.certificate_pem;
    assert!(refusal(&config).1.contains("RS256, RS384 and RS512"));
}

#[test]
fn attribute_names_follow_the_proxy_rules() {
    let mut config = config();
    config.proxy.user_id_attribute = "sub".into();
    let (_, message) = refusal(&config);
    assert!(message.contains("user_id_attribute"), "{message}");
    assert!(message.contains("registered JWT claim"), "{message}");
    let mut config = self::config();
    config.proxy.audience = Some(String::new());
    assert!(refusal(&config).1.contains("audience is empty"));
}

/// A change to a valid configuration.
type Change = fn(&mut VirtualProxyConfig);

#[test]
fn other_fields_are_checked_and_named() {
    let cases: [(Change, &str); 5] = [
        (
            |c| c.session_cookie_header_name = Some("X Qlik".into()),
            "session_cookie_header_name",
        ),
        (
            |c| c.description = Some("  ".into()),
            "description is empty",
        ),
        (
            |c| c.load_balancing_node_ids = vec!["node1".into()],
            "load-balancing node id \"node1\" is not a UUID",
        ),
        (
            |c| c.websocket_origin_allow_list = vec!["a b".into()],
            "websocket origin",
        ),
        (
            |c| c.session_inactivity_timeout_minutes = Some(0),
            "session_inactivity_timeout_minutes",
        ),
    ];
    for (change, words) in cases {
        let mut config = config();
        change(&mut config);
        let (code, message) = refusal(&config);
        assert_eq!(code, ErrorCode::InvalidOption, "{message}");
        assert!(message.contains(words), "{words}: {message}");
    }
}
