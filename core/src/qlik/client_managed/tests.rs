//! The client-managed signer and explain, each rule of the virtual proxy once.

use super::*;
use crate::Algorithm;
use crate::key::{SigningKey, VerifyingKey};
use crate::qlik::Severity;
use crate::value::Value;
use crate::{base64url, jws};

const NOW: i64 = 1_800_000_000;

fn key_file(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/testdata/keys/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn rsa_key() -> SigningKey {
    SigningKey::from_private(&key_file("rsa2048-private-pkcs8.pem"), None).unwrap()
}

fn certificate() -> VerifyingKey {
    VerifyingKey::from_public(&key_file("rsa2048-cert.pem"), None).unwrap()
}

fn proxy() -> VirtualProxySettings {
    VirtualProxySettings {
        audience: Some("qlik-sense".into()),
        attributes: vec![
            AttributeMapping {
                sense_attribute: "group".into(),
                jwt_attribute: "groups".into(),
                is_mandatory: true,
            },
            AttributeMapping {
                sense_attribute: "email".into(),
                jwt_attribute: "mail".into(),
                is_mandatory: false,
            },
        ],
        ..VirtualProxySettings::new("UserID", "UserDir")
    }
}

fn config(proxy: VirtualProxySettings) -> ClientManagedSignerConfig {
    ClientManagedSignerConfig {
        private_key: rsa_key(),
        proxy,
        key_id: None,
        algorithm: None,
        not_before_skew_secs: None,
        lifetime_secs: None,
    }
}

fn user() -> ClientManagedUser {
    ClientManagedUser {
        user_id: "jdoe".into(),
        user_directory: "CORP".into(),
        attributes: vec![
            ("name".into(), Value::String("Jane Doe".into())),
            (
                "groups".into(),
                Value::Array(vec![Value::String("Sales".into())]),
            ),
        ],
    }
}

fn codes_of(problems: &[crate::qlik::Problem]) -> Vec<&'static str> {
    problems.iter().map(|p| p.code).collect()
}

fn payload(token: &str) -> serde_json::Value {
    let parts = jws::split(token).unwrap();
    serde_json::from_slice(&base64url::decode(parts.payload).unwrap()).unwrap()
}

#[test]
fn a_signed_token_carries_the_proxys_names_and_passes_explain() {
    let signer = ClientManagedSigner::new(config(proxy())).unwrap();
    let token = signer.sign(&user(), NOW).unwrap();
    let claims = payload(&token);
    assert_eq!(claims["UserID"], "jdoe");
    assert_eq!(claims["UserDir"], "CORP");
    assert_eq!(claims["groups"][0], "Sales");
    assert_eq!(claims["aud"], "qlik-sense");
    assert_eq!(
        (claims["nbf"].as_i64(), claims["exp"].as_i64()),
        (Some(NOW - 30), Some(NOW + 300))
    );
    assert_eq!(
        claims
            .as_object()
            .unwrap()
            .keys()
            .filter(|k| *k == "sub" || *k == "jti")
            .count(),
        0
    );
    assert!(explain_client_managed(&token, &proxy(), Some(&certificate()), NOW).is_empty());
    // The short lifetime: expired 300 s later; nbf tolerates a proxy clock 30 s behind.
    assert_eq!(
        codes_of(&explain_client_managed(&token, &proxy(), None, NOW + 300)),
        [codes::EXPIRED]
    );
    assert!(explain_client_managed(&token, &proxy(), None, NOW - 30).is_empty());
}

#[test]
fn only_rsa_keys_and_rs_algorithms_are_taken() {
    let ec = SigningKey::from_private(&key_file("ec256-private-pkcs8.pem"), None).unwrap();
    let hmac = SigningKey::from_secret(b"a shared secret of enough length!");
    for key in [ec, hmac] {
        let error = ClientManagedSigner::new(ClientManagedSignerConfig {
            private_key: key,
            ..config(proxy())
        })
        .unwrap_err();
        assert!(error.message().contains("RS256, RS384 or RS512"), "{error}");
    }
    for alg in [Algorithm::PS256, Algorithm::HS256, Algorithm::ES256] {
        let error = ClientManagedSigner::new(ClientManagedSignerConfig {
            algorithm: Some(alg),
            ..config(proxy())
        })
        .unwrap_err();
        assert!(error.message().contains(alg.as_str()), "{error}");
    }
    for alg in [Algorithm::RS384, Algorithm::RS512] {
        let signer = ClientManagedSigner::new(ClientManagedSignerConfig {
            algorithm: Some(alg),
            ..config(proxy())
        })
        .unwrap();
        let token = signer.sign(&user(), NOW).unwrap();
        assert!(explain_client_managed(&token, &proxy(), Some(&certificate()), NOW).is_empty());
    }
}

#[test]
fn settings_a_proxy_would_not_take_are_refused() {
    let reserved = VirtualProxySettings::new("sub", "userDirectory");
    assert!(
        ClientManagedSigner::new(config(reserved))
            .unwrap_err()
            .message()
            .contains("registered JWT claim")
    );
    let same = VirtualProxySettings::new("user", "user");
    assert!(
        ClientManagedSigner::new(config(same))
            .unwrap_err()
            .message()
            .contains("its own claim")
    );
    let empty = VirtualProxySettings::new("", "userDirectory");
    assert!(ClientManagedSigner::new(config(empty)).is_err());
    let mut mapped = proxy();
    mapped.attributes[0].jwt_attribute = "exp".into();
    assert!(
        ClientManagedSigner::new(config(mapped))
            .unwrap_err()
            .message()
            .contains("\"exp\"")
    );
    let no_lifetime = ClientManagedSignerConfig {
        lifetime_secs: Some(0),
        ..config(proxy())
    };
    assert!(ClientManagedSigner::new(no_lifetime).is_err());
}

#[test]
fn users_a_proxy_would_refuse_are_refused_naming_the_attribute() {
    let signer = ClientManagedSigner::new(config(proxy())).unwrap();
    let with = |change: &dyn Fn(&mut ClientManagedUser)| {
        let mut user = user();
        change(&mut user);
        signer.sign(&user, NOW).unwrap_err().message().to_owned()
    };
    assert!(with(&|u| u.attributes.retain(|(n, _)| n != "groups")).contains("mandatory"));
    assert!(
        with(&|u| u.attributes.push(("jti".into(), Value::String("x".into()))))
            .contains("registered JWT claim")
    );
    assert!(
        with(&|u| u
            .attributes
            .push(("Mail".into(), Value::String("x".into()))))
        .contains("case only")
    );
    assert!(
        with(&|u| u
            .attributes
            .push(("UserID".into(), Value::String("x".into()))))
        .contains("user id")
    );
    assert!(with(&|u| u.attributes.push(("name".into(), Value::Null))).contains("twice"));
    assert!(with(&|u| u.user_directory.clear()).contains("userDirectory"));
}

/// A token made by hand from `claims`, signed RS256 with the test key.
fn crafted(header: serde_json::Value, claims: serde_json::Value) -> String {
    let input = format!(
        "{}.{}",
        base64url::encode(header.to_string().as_bytes()),
        base64url::encode(claims.to_string().as_bytes())
    );
    let alg = match header["alg"].as_str() {
        Some("RS384") => Algorithm::RS384,
        Some("HS256") => Algorithm::HS256,
        _ => Algorithm::RS256,
    };
    let key = if alg == Algorithm::HS256 {
        SigningKey::from_secret(b"secret")
    } else {
        rsa_key()
    };
    let signature = key.sign(alg, input.as_bytes()).unwrap();
    format!("{input}.{}", base64url::encode(&signature))
}

fn good_claims() -> serde_json::Value {
    serde_json::json!({
        "UserID": "jdoe", "UserDir": "CORP", "groups": ["Sales"], "aud": "qlik-sense",
        "nbf": NOW - 30, "exp": NOW + 300
    })
}

#[test]
fn explain_names_every_refusal_with_its_code() {
    let rs256 = serde_json::json!({ "alg": "RS256", "typ": "JWT" });
    let explain = |claims: serde_json::Value| {
        codes_of(&explain_client_managed(
            &crafted(rs256.clone(), claims),
            &proxy(),
            Some(&certificate()),
            NOW,
        ))
    };
    assert!(explain(good_claims()).is_empty());
    let without = |name: &str| {
        let mut claims = good_claims();
        claims.as_object_mut().unwrap().remove(name);
        claims
    };
    assert_eq!(explain(without("UserDir")), [codes::ATTRIBUTE_MISSING]);
    assert_eq!(explain(without("groups")), [codes::ATTRIBUTE_MISSING]);
    let mut cased = without("UserID");
    cased["userid"] = "jdoe".into();
    assert_eq!(explain(cased), [codes::ATTRIBUTE_CASE]);
    let mut optional_cased = good_claims();
    optional_cased["Mail"] = "j@example.com".into();
    let problems =
        explain_client_managed(&crafted(rs256.clone(), optional_cased), &proxy(), None, NOW);
    assert_eq!(
        (problems[0].code, problems[0].severity),
        (codes::ATTRIBUTE_CASE, Severity::Warning)
    );
    let mut number = good_claims();
    number["UserID"] = 42.into();
    assert_eq!(explain(number), [codes::ATTRIBUTE_NOT_TEXT]);
    let mut other_audience = good_claims();
    other_audience["aud"] = "someone-else".into();
    assert_eq!(explain(other_audience), [codes::AUDIENCE_MISMATCH]);
    let mut audience_list = good_claims();
    audience_list["aud"] = serde_json::json!(["x", "qlik-sense"]);
    assert!(explain(audience_list).is_empty());
    assert_eq!(explain(without("aud")), [codes::AUDIENCE_MISMATCH]);
    let mut expired = good_claims();
    expired["exp"] = (NOW - 1).into();
    assert_eq!(explain(expired), [codes::EXPIRED]);
    let mut early = good_claims();
    early["nbf"] = (NOW + 60).into();
    assert_eq!(explain(early), [codes::NOT_YET_VALID]);
    let mut text_time = good_claims();
    text_time["exp"] = "soon".into();
    assert_eq!(explain(text_time), [codes::TIME_NOT_NUMBER]);
    let never =
        explain_client_managed(&crafted(rs256.clone(), without("exp")), &proxy(), None, NOW);
    assert_eq!(
        (never[0].code, never[0].severity),
        (codes::NO_EXPIRY, Severity::Warning)
    );
}

#[test]
fn explain_refuses_other_algorithms_and_a_certificate_of_another_key() {
    let hs = crafted(serde_json::json!({ "alg": "HS256" }), good_claims());
    assert_eq!(
        codes_of(&explain_client_managed(
            &hs,
            &proxy(),
            Some(&certificate()),
            NOW
        )),
        [codes::ALG_NOT_ALLOWED]
    );
    let other = VerifyingKey::from_public(&key_file("rsa4096-publickey.cer"), None).unwrap();
    let token = crafted(serde_json::json!({ "alg": "RS256" }), good_claims());
    assert_eq!(
        codes_of(&explain_client_managed(&token, &proxy(), Some(&other), NOW)),
        [codes::SIGNATURE_INVALID]
    );
    // Claims changed after signing: the signature no longer covers them.
    let parts = jws::split(&token).unwrap();
    let mut changed = good_claims();
    changed["UserID"] = "admin".into();
    let tampered = format!(
        "{}.{}.{}",
        parts.header,
        base64url::encode(changed.to_string().as_bytes()),
        parts.signature
    );
    assert_eq!(
        codes_of(&explain_client_managed(
            &tampered,
            &proxy(),
            Some(&certificate()),
            NOW
        )),
        [codes::SIGNATURE_INVALID]
    );
    for bad in ["", "a.b", "not.a.token", "e30.bm90IGpzb24.x"] {
        assert_eq!(
            codes_of(&explain_client_managed(bad, &proxy(), None, NOW)),
            [codes::MALFORMED_TOKEN],
            "{bad}"
        );
    }
}
