//! The JSON body of `POST /api/v1/identity-providers` for a JWT identity provider.

use qlik_jwt::setup::{
    CertificateOptions, IdentityProviderConfig, KeyAlgorithm, generate, single_line_pem,
};
use serde_json::Value;

fn config(tolerance: Option<i64>, description: Option<&str>) -> IdentityProviderConfig {
    let keys = generate(KeyAlgorithm::EcP256, &CertificateOptions::default()).unwrap();
    IdentityProviderConfig {
        issuer: "https://issuer.example".into(),
        key_id: "key-1".into(),
        certificate_pem: keys.certificate_pem,
        description: description.map(str::to_owned),
        clock_tolerance_secs: tolerance,
    }
}

#[test]
fn body_has_the_create_jwt_auth_shape() {
    let config = config(Some(5), Some("CI"));
    let body: Value = serde_json::from_str(&config.to_json().unwrap()).unwrap();
    assert_eq!(body["protocol"], "jwtAuth");
    assert_eq!(body["provider"], "external");
    assert_eq!(body["description"], "CI");
    assert_eq!(body["clockToleranceSec"], 5);
    assert_eq!(body["options"]["issuer"], "https://issuer.example");
    let keys = body["options"]["staticKeys"].as_array().unwrap();
    assert_eq!(keys.len(), 1, "Qlik takes one key per provider");
    assert_eq!(keys[0]["kid"], "key-1");
    assert_eq!(
        keys[0]["pem"],
        single_line_pem(&config.certificate_pem).unwrap().as_str()
    );
    let mut top: Vec<&str> = body
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    top.sort_unstable();
    assert_eq!(
        top,
        [
            "clockToleranceSec",
            "description",
            "options",
            "protocol",
            "provider"
        ]
    );
}

#[test]
fn optional_fields_are_left_out() {
    let body = config(None, None).to_json_value().unwrap();
    assert!(body.get("clockToleranceSec").is_none());
    assert!(body.get("description").is_none());
}

#[test]
fn a_private_key_is_refused_as_the_certificate() {
    let keys = generate(KeyAlgorithm::EcP256, &CertificateOptions::default()).unwrap();
    let mut config = config(None, None);
    config.certificate_pem = keys.private_key_pem.to_string();
    assert_eq!(
        config.to_json().unwrap_err().code(),
        qlik_jwt::ErrorCode::InvalidKey
    );
}

#[test]
fn a_negative_clock_tolerance_is_refused_by_the_core() {
    let error = config(Some(-1), None).to_json_value().unwrap_err();
    assert_eq!(error.code(), qlik_jwt::ErrorCode::InvalidOption);
    assert!(
        error
            .message()
            .contains("clockToleranceSec takes zero or more seconds"),
        "{}",
        error.message()
    );
    assert!(config(Some(0), None).to_json_value().is_ok());
}
