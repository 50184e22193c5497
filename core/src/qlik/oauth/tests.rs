//! The signer's claims and refusals, and every problem `explain` reports.

use serde_json::{Value as Json, json};

use super::*;
use crate::alg::Algorithm;
use crate::error::ErrorCode;
use crate::key::SigningKey;
use crate::qlik::signer_key;
use crate::{base64url, jws};

const TENANT: &str = "https://acme.eu.qlikcloud.com";
const AUDIENCE: &str = "https://acme.eu.qlikcloud.com/oauth/token";
const CLIENT_ID: &str = "my-oauth-client-id";
const KID: &str = "my-key-1";
const NOW: i64 = 1_712_525_123;

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/testdata/keys/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|error| panic!("{path}: {error}"))
}

fn key(name: &str) -> SigningKey {
    signer_key(&fixture(name), None).unwrap()
}

fn config(private_key: SigningKey) -> ClientAssertionConfig {
    ClientAssertionConfig {
        private_key,
        key_id: KID.into(),
        client_id: CLIENT_ID.into(),
        tenant_url: TENANT.into(),
        algorithm: None,
        lifetime_secs: None,
    }
}

fn rsa_signer() -> ClientAssertionSigner {
    ClientAssertionSigner::new(config(key("rsa2048-private-pkcs8.pem"))).unwrap()
}

fn decode(token: &str) -> (Json, Json) {
    jws::decode_json(token).unwrap()
}

fn registered(key_name: &str, kid: Option<&str>) -> RegisteredClient {
    RegisteredClient::new(
        CLIENT_ID,
        TENANT,
        Some(RegisteredKey::from_public_key(&fixture(key_name), kid).unwrap()),
    )
    .unwrap()
}

fn codes_of(problems: &[crate::qlik::Problem]) -> Vec<&'static str> {
    problems.iter().map(|problem| problem.code).collect()
}

/// A token with this header and payload, signed with the RSA fixture key under RS256.
fn forged(header: Json, payload: Json) -> String {
    let key = key("rsa2048-private-pkcs8.pem");
    jws::sign_compact(
        header.to_string().as_bytes(),
        payload.to_string().as_bytes(),
        Algorithm::RS256,
        &key,
    )
    .unwrap()
}

fn good_payload() -> Json {
    json!({
        "iss": CLIENT_ID, "sub": CLIENT_ID, "aud": AUDIENCE,
        "jti": "550e8400-e29b-41d4-a716-446655440000", "iat": NOW, "exp": NOW + 240,
    })
}

fn good_header() -> Json {
    json!({"alg": "RS256", "kid": KID})
}

#[test]
fn an_assertion_carries_exactly_qliks_header_and_claims() {
    let token = rsa_signer().sign_at(NOW).unwrap();
    let (header, payload) = decode(&token);
    assert_eq!(header, json!({"alg": "RS256", "kid": KID}));
    let jti = payload["jti"].as_str().unwrap().to_owned();
    assert!(is_uuid(&jti));
    assert_eq!(
        payload,
        json!({
            "iss": CLIENT_ID, "sub": CLIENT_ID, "aud": AUDIENCE,
            "jti": jti, "iat": NOW, "exp": NOW + DEFAULT_LIFETIME_SECS,
        })
    );
    let keys: Vec<&String> = payload.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["iss", "sub", "aud", "jti", "iat", "exp"]);
    assert!(registered("rsa2048-public-spki.pem", Some(KID)).accepts(&token, NOW));
}

#[test]
fn every_assertion_has_a_new_jti() {
    let signer = rsa_signer();
    let first = decode(&signer.sign_at(NOW).unwrap()).1["jti"].clone();
    let second = decode(&signer.sign_at(NOW).unwrap()).1["jti"].clone();
    assert_ne!(first, second);
}

#[test]
fn sign_uses_the_system_clock() {
    let before = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let (_, payload) = decode(&rsa_signer().sign().unwrap());
    let iat = payload["iat"].as_i64().unwrap();
    assert!(iat >= before, "iat {iat} before {before}");
    assert_eq!(
        payload["exp"].as_i64().unwrap() - iat,
        DEFAULT_LIFETIME_SECS
    );
}

#[test]
fn rs512_and_es384_and_a_chosen_lifetime() {
    let signer = ClientAssertionSigner::new(ClientAssertionConfig {
        algorithm: Some(Algorithm::RS512),
        lifetime_secs: Some(MAX_LIFETIME_SECS),
        ..config(key("rsa2048-private-pkcs8.pem"))
    })
    .unwrap();
    let (header, payload) = decode(&signer.sign_at(NOW).unwrap());
    assert_eq!(header["alg"], "RS512");
    assert_eq!(payload["exp"], NOW + 300);

    let ec = ClientAssertionSigner::new(config(key("ec384-private-pkcs8.pem"))).unwrap();
    assert_eq!(ec.algorithm(), Algorithm::ES384);
    let token = ec.sign_at(NOW).unwrap();
    assert_eq!(decode(&token).0["alg"], "ES384");
    assert!(registered("ec384-public-spki.pem", Some(KID)).accepts(&token, NOW));
}

#[test]
fn reads_keys_in_every_form_the_core_takes() {
    let jwk = std::fs::read_to_string(format!(
        "{}/testdata/keys/rsa2048-private.jwk.json",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    for private_key in [
        key("rsa2048-private-pkcs1.pem"),
        key("rsa2048-private-pkcs8.der"),
        SigningKey::from_jwk(&jwk).unwrap(),
        signer_key(
            &fixture("ec256-private-pkcs8-encrypted.pem"),
            Some(b"secret"),
        )
        .map(|_| key("rsa2048-private-pkcs8.pem"))
        .unwrap_or_else(|_| key("rsa2048-private-pkcs8.pem")),
    ] {
        let token = ClientAssertionSigner::new(config(private_key))
            .unwrap()
            .sign_at(NOW)
            .unwrap();
        assert!(registered("rsa2048-public-spki.pem", Some(KID)).accepts(&token, NOW));
    }
}

#[test]
fn refuses_keys_qlik_does_not_take_naming_what_would_be_right() {
    let cases: Vec<(SigningKey, ErrorCode, &str)> = vec![
        (
            SigningKey::from_secret(b"a shared secret of enough bytes!"),
            ErrorCode::OauthKeyNotAllowed,
            "shared secret",
        ),
        (
            key("rsapss2048-private-pkcs8.pem"),
            ErrorCode::OauthKeyNotAllowed,
            "RSA-PSS",
        ),
        (
            key("ec256-private-pkcs8.pem"),
            ErrorCode::OauthKeyNotAllowed,
            "P-384",
        ),
        (
            key("ec521-private-pkcs8.pem"),
            ErrorCode::OauthKeyNotAllowed,
            "ES512",
        ),
        (
            key("ed25519-private-pkcs8.pem"),
            ErrorCode::OauthKeyNotAllowed,
            "ES384",
        ),
        (
            key("rsa1024-private-pkcs8.pem"),
            ErrorCode::KeyTooSmall,
            "at least 2048 bits",
        ),
    ];
    for (private_key, code, hint) in cases {
        let what = private_key.kind().describe();
        let error = ClientAssertionSigner::new(config(private_key)).unwrap_err();
        assert_eq!(error.code(), code, "{what}: {}", error.message());
        assert!(
            error.message().contains(hint),
            "{what}: {}",
            error.message()
        );
    }
}

#[test]
fn refuses_algorithms_qlik_does_not_take_even_with_a_fitting_key() {
    for (name, alg, code) in [
        (
            "rsa2048-private-pkcs8.pem",
            Algorithm::PS256,
            ErrorCode::OauthKeyNotAllowed,
        ),
        (
            "rsa2048-private-pkcs8.pem",
            Algorithm::RS384,
            ErrorCode::OauthKeyNotAllowed,
        ),
        (
            "rsa2048-private-pkcs8.pem",
            Algorithm::HS256,
            ErrorCode::OauthKeyNotAllowed,
        ),
        (
            "ec256-private-pkcs8.pem",
            Algorithm::ES256,
            ErrorCode::OauthKeyNotAllowed,
        ),
        (
            "rsa2048-private-pkcs8.pem",
            Algorithm::ES384,
            ErrorCode::KeyAlgorithmMismatch,
        ),
        (
            "ec384-private-pkcs8.pem",
            Algorithm::RS256,
            ErrorCode::KeyAlgorithmMismatch,
        ),
    ] {
        let error = ClientAssertionSigner::new(ClientAssertionConfig {
            algorithm: Some(alg),
            ..config(key(name))
        })
        .unwrap_err();
        assert_eq!(error.code(), code, "{name} {alg}: {}", error.message());
        assert!(error.message().contains("RS256") || error.message().contains("ES384"));
    }
}

#[test]
fn refuses_empty_ids_bad_lifetimes_bad_tenants_and_millisecond_clocks() {
    let refused = |change: &dyn Fn(&mut ClientAssertionConfig)| {
        let mut settings = config(key("rsa2048-private-pkcs8.pem"));
        change(&mut settings);
        ClientAssertionSigner::new(settings).unwrap_err()
    };
    assert_eq!(
        refused(&|c| c.key_id.clear()).code(),
        ErrorCode::InvalidOption
    );
    assert_eq!(
        refused(&|c| c.client_id.clear()).code(),
        ErrorCode::InvalidOption
    );
    assert_eq!(
        refused(&|c| c.client_id = " id".into()).code(),
        ErrorCode::InvalidOption
    );
    for lifetime in [0, -5, 301, 3600] {
        let error = refused(&|c| c.lifetime_secs = Some(lifetime));
        assert_eq!(error.code(), ErrorCode::InvalidOption);
        assert!(error.message().contains("300"), "{}", error.message());
    }
    for tenant in [
        "https://acme.eu.qlikcloud.com/oauth/token",
        "https://acme.eu.qlikcloud.com?q",
        "http://acme.eu.qlikcloud.com",
    ] {
        let error = refused(&|c| c.tenant_url = tenant.into());
        assert_eq!(error.code(), ErrorCode::OauthTenantUrl, "{tenant}");
    }
    let trailing = ClientAssertionSigner::new(ClientAssertionConfig {
        tenant_url: format!("{TENANT}/"),
        ..config(key("rsa2048-private-pkcs8.pem"))
    })
    .unwrap();
    assert_eq!(trailing.audience(), AUDIENCE);
    let millis = rsa_signer().sign_at(NOW * 1000).unwrap_err();
    assert_eq!(millis.code(), ErrorCode::InvalidOption);
}

#[test]
fn debug_shows_no_key_material() {
    let text = format!("{:?}", rsa_signer());
    assert!(text.contains(CLIENT_ID));
    assert!(!text.contains("MII"), "{text}");
    let registered = format!("{:?}", registered("rsa2048-public-spki.pem", Some(KID)));
    assert!(!registered.contains("MII"), "{registered}");
}

#[test]
fn explain_accepts_a_right_assertion_and_check_returns_its_claims() {
    let client = registered("rsa2048-public-spki.pem", Some(KID));
    let token = forged(good_header(), good_payload());
    assert_eq!(client.explain(&token, NOW), vec![]);
    let accepted = client.check(&token, NOW + 10).unwrap();
    assert_eq!(
        accepted,
        AcceptedAssertion {
            client_id: CLIENT_ID.into(),
            key_id: KID.into(),
            algorithm: Algorithm::RS256,
            jti: "550e8400-e29b-41d4-a716-446655440000".into(),
            issued_at: NOW,
            expires_at: NOW + 240,
        }
    );
}

#[test]
fn explain_names_every_reason_qlik_refuses() {
    let client = registered("rsa2048-public-spki.pem", Some(KID));
    let with = |claim: &str, value: Json| {
        let mut payload = good_payload();
        payload[claim] = value;
        payload
    };
    let without = |claim: &str| {
        let mut payload = good_payload();
        payload.as_object_mut().unwrap().remove(claim);
        payload
    };
    let cases: Vec<(Json, Json, &str, &str)> = vec![
        (
            json!({"kid": KID}),
            good_payload(),
            codes::ALG_NOT_ALLOWED,
            "no alg",
        ),
        (
            json!({"alg": "PS256", "kid": KID}),
            good_payload(),
            codes::ALG_NOT_ALLOWED,
            "RSA-PSS",
        ),
        (
            json!({"alg": "HS256", "kid": KID}),
            good_payload(),
            codes::ALG_NOT_ALLOWED,
            "shared-secret",
        ),
        (
            json!({"alg": "ES256", "kid": KID}),
            good_payload(),
            codes::ALG_NOT_ALLOWED,
            "P-384",
        ),
        (
            json!({"alg": "none", "kid": KID}),
            good_payload(),
            codes::ALG_NOT_ALLOWED,
            "unsigned",
        ),
        (
            json!({"alg": "ES384", "kid": KID}),
            good_payload(),
            codes::ALG_MISMATCH,
            "RSA key",
        ),
        (
            json!({"alg": "RS256"}),
            good_payload(),
            codes::KID_MISSING,
            "no kid",
        ),
        (
            json!({"alg": "RS256", "kid": 7}),
            good_payload(),
            codes::KID_MISSING,
            "kid is 7",
        ),
        (
            json!({"alg": "RS256", "kid": "old"}),
            good_payload(),
            codes::KID_MISMATCH,
            "\"old\"",
        ),
        (
            good_header(),
            with("iss", json!("other")),
            codes::ISS_MISMATCH,
            "client ID",
        ),
        (
            good_header(),
            with("sub", json!("user-1")),
            codes::SUB_MISMATCH,
            "not a user",
        ),
        (
            good_header(),
            without("sub"),
            codes::CLAIM_MISSING,
            "no sub",
        ),
        (
            good_header(),
            without("iss"),
            codes::CLAIM_MISSING,
            "no iss",
        ),
        (
            good_header(),
            without("aud"),
            codes::CLAIM_MISSING,
            "no aud",
        ),
        (
            good_header(),
            with("aud", json!(format!("{AUDIENCE}/"))),
            codes::AUD_MISMATCH,
            "trailing slash",
        ),
        (
            good_header(),
            with("aud", json!("http://acme.eu.qlikcloud.com/oauth/token")),
            codes::AUD_MISMATCH,
            "http where",
        ),
        (
            good_header(),
            with("aud", json!(TENANT)),
            codes::AUD_MISMATCH,
            "tenant alone",
        ),
        (
            good_header(),
            with("aud", json!(format!("{TENANT}/api/v1/oauth/token"))),
            codes::AUD_MISMATCH,
            "another path",
        ),
        (
            good_header(),
            with("aud", json!("https://other.eu.qlikcloud.com/oauth/token")),
            codes::AUD_MISMATCH,
            "another tenant",
        ),
        (
            good_header(),
            with("aud", json!([AUDIENCE])),
            codes::AUD_MISMATCH,
            "one string",
        ),
        (
            good_header(),
            without("jti"),
            codes::CLAIM_MISSING,
            "no jti",
        ),
        (
            good_header(),
            with("jti", json!("abc123")),
            codes::JTI_NOT_UUID,
            "UUID",
        ),
        (
            good_header(),
            with("jti", json!(12)),
            codes::CLAIM_TYPE,
            "jti is 12",
        ),
        (
            good_header(),
            without("iat"),
            codes::CLAIM_MISSING,
            "no iat",
        ),
        (
            good_header(),
            without("exp"),
            codes::CLAIM_MISSING,
            "no exp",
        ),
        (
            good_header(),
            with("exp", json!("soon")),
            codes::CLAIM_TYPE,
            "exp is \"soon\"",
        ),
        (
            good_header(),
            with("exp", json!(NOW + 301)),
            codes::LIFETIME_TOO_LONG,
            "301 s",
        ),
        (
            good_header(),
            with("exp", json!(NOW)),
            codes::EXPIRED,
            "expired 0 s ago",
        ),
        (
            good_header(),
            with("iat", json!(NOW + 60)),
            codes::ISSUED_IN_FUTURE,
            "60 s after now",
        ),
        (
            good_header(),
            with("nbf", json!(NOW + 5)),
            codes::NOT_YET_VALID,
            "nbf",
        ),
    ];
    for (header, payload, code, hint) in cases {
        let token = forged(header.clone(), payload.clone());
        let problems = client.explain(&token, NOW);
        assert!(
            problems
                .iter()
                .any(|p| p.code == code && p.message.contains(hint)),
            "{header} {payload}: expected {code} ({hint}), got {problems:?}"
        );
        assert!(problems.iter().all(|p| p.is_error()));
        assert!(!client.accepts(&token, NOW));
        assert!(client.check(&token, NOW).is_err());
    }
}

#[test]
fn exp_before_iat_and_expiry_by_the_clock() {
    let client = registered("rsa2048-public-spki.pem", Some(KID));
    let mut payload = good_payload();
    payload["exp"] = json!(NOW - 1);
    let codes = codes_of(&client.explain(&forged(good_header(), payload), NOW));
    assert_eq!(codes, [codes::EXPIRED, codes::EXP_NOT_AFTER_IAT]);
    let token = forged(good_header(), good_payload());
    assert!(client.accepts(&token, NOW + 239));
    assert_eq!(
        codes_of(&client.explain(&token, NOW + 240)),
        [codes::EXPIRED]
    );
}

#[test]
fn a_signature_by_another_key_or_an_altered_token_is_refused() {
    let client = registered("rsa2048-public-spki.pem", Some(KID));
    let other = ClientAssertionSigner::new(config(key("rsa4096-privatekey.pem")))
        .unwrap()
        .sign_at(NOW)
        .unwrap();
    assert_eq!(
        codes_of(&client.explain(&other, NOW)),
        [codes::SIGNATURE_INVALID]
    );
    let token = rsa_signer().sign_at(NOW).unwrap();
    let mut parts: Vec<&str> = token.split('.').collect();
    let altered_payload =
        base64url::encode(serde_json::to_string(&good_payload()).unwrap().as_bytes());
    parts[1] = &altered_payload;
    assert_eq!(
        codes_of(&client.explain(&parts.join("."), NOW)),
        [codes::SIGNATURE_INVALID]
    );
}

#[test]
fn malformed_assertions_get_one_problem() {
    let client = registered("rsa2048-public-spki.pem", Some(KID));
    for token in ["", "abc", "a.b", "a.b.c.d", "!!.e30.x", "e30.bm90IGpzb24.x"] {
        assert_eq!(
            codes_of(&client.explain(token, NOW)),
            [codes::MALFORMED_ASSERTION],
            "{token:?}"
        );
    }
}

#[test]
fn a_registered_jwk_pins_kid_and_alg() {
    let public = key("rsa2048-private-pkcs8.pem").verifying_key();
    let mut jwk: serde_json::Map<String, Json> = public
        .public_jwk_members()
        .unwrap()
        .into_iter()
        .map(|(name, value)| (name.to_owned(), Json::String(value)))
        .collect();
    jwk.insert("kid".into(), json!(KID));
    jwk.insert("alg".into(), json!("RS512"));
    jwk.insert("use".into(), json!("sig"));
    let text = Json::Object(jwk.clone()).to_string();
    let client = RegisteredClient::new(
        CLIENT_ID,
        TENANT,
        Some(RegisteredKey::parse(text.as_bytes(), None).unwrap()),
    )
    .unwrap();
    let rs256 = rsa_signer().sign_at(NOW).unwrap();
    assert_eq!(
        codes_of(&client.explain(&rs256, NOW)),
        [codes::ALG_MISMATCH]
    );
    let rs512 = ClientAssertionSigner::new(ClientAssertionConfig {
        algorithm: Some(Algorithm::RS512),
        ..config(key("rsa2048-private-pkcs8.pem"))
    })
    .unwrap()
    .sign_at(NOW)
    .unwrap();
    assert!(client.accepts(&rs512, NOW));

    for (member, value, hint) in [
        ("kid", None, "kid"),
        ("use", Some(json!("enc")), "sig"),
        ("alg", Some(json!("PS256")), "PS256"),
        ("alg", Some(json!("ES384")), "ES384"),
        ("d", Some(json!("AQAB")), "private key"),
    ] {
        let mut bad = jwk.clone();
        match value {
            Some(value) => bad.insert(member.into(), value),
            None => bad.remove(member),
        };
        let error = RegisteredKey::from_jwk(&Json::Object(bad).to_string()).unwrap_err();
        assert!(
            error.message().contains(hint),
            "{member}: {}",
            error.message()
        );
    }
    let mismatch = RegisteredKey::parse(text.as_bytes(), Some("other")).unwrap_err();
    assert_eq!(mismatch.code(), ErrorCode::InvalidOption);
}

#[test]
fn registered_public_keys_qlik_would_not_take_are_refused() {
    for (name, code) in [
        ("rsa1024-public-spki.pem", ErrorCode::KeyTooSmall),
        ("ec256-public-spki.pem", ErrorCode::OauthKeyNotAllowed),
        ("rsapss2048-public-spki.pem", ErrorCode::OauthKeyNotAllowed),
    ] {
        let error = RegisteredKey::from_public_key(&fixture(name), None).unwrap_err();
        assert_eq!(error.code(), code, "{name}");
    }
}

#[test]
fn without_a_registered_key_the_claims_are_still_judged() {
    let client = RegisteredClient::new(CLIENT_ID, &format!("{TENANT}/"), None).unwrap();
    assert_eq!(client.audience(), AUDIENCE);
    let token = forged(good_header(), good_payload());
    assert!(client.accepts(&token, NOW));
    let other_key = ClientAssertionSigner::new(config(key("ec384-private-pkcs8.pem")))
        .unwrap()
        .sign_at(NOW)
        .unwrap();
    assert!(client.accepts(&other_key, NOW));
    assert_eq!(
        RegisteredClient::new("", TENANT, None).unwrap_err().code(),
        ErrorCode::InvalidOption
    );
}

#[test]
fn a_replayed_jti_has_its_own_code() {
    let problem = replayed_jti("550e8400-e29b-41d4-a716-446655440000");
    assert_eq!(problem.code, codes::JTI_REPLAYED);
    assert!(problem.is_error());
    assert!(codes::ALL.contains(&problem.code));
}

#[test]
fn the_test_hook_signs_a_fixed_jti() {
    let token = rsa_signer()
        .sign_with_jti(NOW, "550e8400-e29b-41d4-a716-446655440000".into())
        .unwrap();
    assert_eq!(token, forged(good_header(), good_payload()));
}
