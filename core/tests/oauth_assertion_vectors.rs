//! The client assertion signer against jose: each case of `tests/vectors/oauth-assertion.json`
//! (written by `generate-oauth-assertion.js` with jose, Qlik's documented header and claims, a
//! fixed instant and a recorded `jti`) comes out byte for byte the same for RS256 and RS512, and
//! with the same header and claims and a signature that verifies for ES384. Node and Python
//! replay the same file.

mod support;

use qlik_jwt::alg::Algorithm;
use qlik_jwt::jws;
use qlik_jwt::qlik::oauth::{
    ClientAssertionConfig, ClientAssertionSigner, RegisteredClient, RegisteredKey,
};
use qlik_jwt::qlik::signer_key;
use qlik_jwt::testing::oauth_sign_with_jti;
use serde_json::Value as Json;

fn cases() -> Vec<Json> {
    let cases: Vec<Json> =
        serde_json::from_value(support::read("oauth-assertion.json")).expect("an array");
    assert_eq!(cases.len(), 3, "the fixture lost its cases");
    cases
}

fn signer(case: &Json) -> ClientAssertionSigner {
    let path = support::repo_dir().join(case["key_file"].as_str().unwrap());
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let text = |name: &str| case[name].as_str().unwrap().to_owned();
    ClientAssertionSigner::new(ClientAssertionConfig {
        private_key: signer_key(&bytes, None).unwrap(),
        key_id: text("key_id"),
        client_id: text("client_id"),
        tenant_url: text("tenant_url"),
        algorithm: case["algorithm"]
            .as_str()
            .map(|name| name.parse::<Algorithm>().unwrap()),
        lifetime_secs: case["lifetime"].as_i64(),
    })
    .unwrap()
}

#[test]
fn assertions_match_jose_and_verify_with_the_recorded_jwk() {
    for case in cases() {
        let name = case["name"].as_str().unwrap();
        let now = case["now"].as_i64().unwrap();
        let jti = case["jti"].as_str().unwrap().to_owned();
        let token = oauth_sign_with_jti(&signer(&case), now, jti).unwrap();
        match case["token"].as_str() {
            Some(expected) => assert_eq!(token, expected, "{name}"),
            None => {
                let (header, payload) = jws::decode_json(&token).unwrap();
                assert_eq!(header, case["header"], "{name}");
                assert_eq!(payload, case["payload"], "{name}");
            }
        }
        let client = RegisteredClient::new(
            case["client_id"].as_str().unwrap(),
            case["tenant_url"].as_str().unwrap(),
            Some(RegisteredKey::from_jwk(&case["public_jwk"].to_string()).unwrap()),
        )
        .unwrap();
        assert_eq!(client.explain(&token, now), vec![], "{name}");
        if let Some(expected) = case["token"].as_str() {
            assert!(client.accepts(expected, now), "{name}: jose's own token");
        }
    }
}
