//! The OAuth token exchange end to end against the local tenant: the Rust client's tokens, machine
//! to machine and impersonating a user, work on `/api/v1/users/me`; the tenant refuses each kind
//! of bad client assertion with Qlik's error shape; the client's cache and single flight.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use qlik_jwt::client::request_access_token;
use qlik_jwt::client::{ClientError, Grant, OAuthClient, RetryPolicy, TokenRequest};
use qlik_jwt::qlik::oauth::{
    ClientAssertionConfig, ClientAssertionSigner, RegisteredClient, codes, new_uuid_v4,
};
use qlik_jwt::tenant::{OAuthClientRegistration, Tenant, TenantConfig, oauth_codes};
use qlik_jwt::{Algorithm, SigningKey, jws};
use serde_json::{Value as Json, json};

const CLIENT_ID: &str = "oauth-client-1";
const KID: &str = "oauth-key-1";

fn key_file(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/testdata/keys/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn rsa_key() -> SigningKey {
    SigningKey::from_private(key_file("rsa2048-private-pkcs8.pem").as_bytes(), None).unwrap()
}

/// The public JWK of `file` as Qlik's console registers it: with `kid`, `alg` and `use`.
fn registered_jwk(file: &str, alg: &str) -> String {
    let mut jwk: Json = serde_json::from_str(&key_file(file)).unwrap();
    jwk["kid"] = json!(KID);
    jwk["alg"] = json!(alg);
    jwk["use"] = json!("sig");
    jwk.to_string()
}

fn rsa_client() -> OAuthClientRegistration {
    OAuthClientRegistration::from_jwk(
        CLIENT_ID,
        &registered_jwk("rsa2048-public.jwk.json", "RS256"),
    )
    .unwrap()
}

/// Now, for a test whose `now` is an earlier instant.
fn seconds_now() -> i64 {
    now()
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

fn tenant(adjust: impl FnOnce(&mut TenantConfig)) -> Tenant {
    let mut config = TenantConfig::oauth_only(vec![rsa_client()]);
    adjust(&mut config);
    Tenant::start(config).unwrap()
}

/// An assertion with `header` and `claims` signed by `key` under `alg`.
fn assertion(key: &SigningKey, alg: Algorithm, header: &Json, claims: &Json) -> String {
    jws::sign_compact(
        header.to_string().as_bytes(),
        claims.to_string().as_bytes(),
        alg,
        key,
    )
    .unwrap()
}

fn header() -> Json {
    json!({"alg": "RS256", "kid": KID, "typ": "JWT"})
}

fn claims(audience: &str) -> Json {
    let now = now();
    json!({
        "iss": CLIENT_ID,
        "sub": CLIENT_ID,
        "aud": audience,
        "jti": uuidish(),
        "iat": now,
        "exp": now + 300,
    })
}

fn uuidish() -> String {
    new_uuid_v4().unwrap()
}

/// A good assertion for the audience.
fn good(audience: &str) -> String {
    assertion(&rsa_key(), Algorithm::RS256, &header(), &claims(audience))
}

/// A client whose assertions the library's `ClientAssertionSigner` signs.
fn client(tenant: &Tenant) -> OAuthClient {
    let signer = ClientAssertionSigner::new(ClientAssertionConfig {
        private_key: rsa_key(),
        key_id: KID.into(),
        client_id: CLIENT_ID.into(),
        tenant_url: tenant.url().into(),
        algorithm: None,
        lifetime_secs: None,
    })
    .unwrap();
    OAuthClient::from_signer(signer).unwrap()
}

fn users_me(tenant: &Tenant, token: &str) -> (u16, Json) {
    let mut answer = ureq::get(format!("{}/api/v1/users/me", tenant.url()))
        .header("Authorization", format!("Bearer {token}"))
        .config()
        .http_status_as_error(false)
        .build()
        .call()
        .unwrap();
    let status = answer.status().as_u16();
    (
        status,
        serde_json::from_str(&answer.body_mut().read_to_string().unwrap()).unwrap(),
    )
}

/// `POST /oauth/token` with a raw body.
fn post_token(tenant: &Tenant, content_type: &str, body: &str) -> (u16, Json) {
    let mut answer = ureq::post(format!("{}/oauth/token", tenant.url()))
        .header("Content-Type", content_type)
        .config()
        .http_status_as_error(false)
        .build()
        .send(body)
        .unwrap();
    let status = answer.status().as_u16();
    (
        status,
        serde_json::from_str(&answer.body_mut().read_to_string().unwrap()).unwrap(),
    )
}

fn token_body(assertion: &str) -> Json {
    json!({
        "client_id": CLIENT_ID,
        "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        "client_assertion": assertion,
        "grant_type": "client_credentials",
    })
}

/// The answer's Qlik error code, after checking both error shapes agree.
fn refusal_code(status: u16, body: &Json, expected_status: u16) -> String {
    assert_eq!(status, expected_status, "{body}");
    assert_eq!(
        body["errors"][0]["status"],
        expected_status.to_string(),
        "{body}"
    );
    assert!(
        body["traceId"].as_str().is_some_and(|t| t.len() == 32),
        "{body}"
    );
    assert!(
        body["error"].is_string() && body["error_description"].is_string(),
        "{body}"
    );
    body["errors"][0]["code"].as_str().unwrap().to_owned()
}

#[test]
fn machine_to_machine_tokens_act_as_the_oauth_client() {
    let tenant = tenant(|_| {});
    let token = client(&tenant).access_token().unwrap();
    assert_eq!(token.token_type, "bearer");
    assert_eq!(token.expires_in, 3600);
    assert_eq!(token.scope.as_deref(), Some("user_default"));
    let (status, me) = users_me(&tenant, &token.access_token);
    assert_eq!(status, 200, "{me}");
    assert_eq!(me["subject"], CLIENT_ID);
}

#[test]
fn impersonation_tokens_act_as_the_user() {
    let tenant = tenant(|config| config.known_users = Some(vec!["auth0|alice".into()]));
    let client = client(&tenant).with_scope("user_default");
    let token = client.impersonate("auth0|alice").unwrap();
    let (status, me) = users_me(&tenant, &token.access_token);
    assert_eq!(status, 200, "{me}");
    assert_eq!(me["subject"], "auth0|alice");
    // A user the tenant does not know cannot be impersonated; the error keeps Qlik's body.
    let error = client.impersonate("mallory").unwrap_err();
    let ClientError::Qlik(refusal) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(refusal.status, 400);
    assert_eq!(refusal.code, oauth_codes::UNKNOWN_USER);
    assert!(refusal.trace_id.is_some());
    assert!(refusal.detail.as_deref().unwrap().contains("mallory"));
}

#[test]
fn tokens_are_cached_per_grant_and_user() {
    let tenant = tenant(|_| {});
    let signed = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&signed);
    let client = OAuthClient::new(tenant.url(), CLIENT_ID, move |audience| {
        count.fetch_add(1, Ordering::SeqCst);
        Ok(good(audience))
    })
    .unwrap();
    let m2m = client.access_token().unwrap();
    assert_eq!(client.access_token().unwrap(), m2m);
    let alice = client.impersonate("alice").unwrap();
    assert_ne!(alice.access_token, m2m.access_token);
    assert_eq!(client.impersonate("alice").unwrap(), alice);
    assert_ne!(
        client.impersonate("bob").unwrap().access_token,
        alice.access_token
    );
    assert_eq!(signed.load(Ordering::SeqCst), 3);
    client.clear_cache();
    assert_ne!(client.access_token().unwrap(), m2m);
}

#[test]
fn concurrent_callers_share_one_request() {
    let tenant = tenant(|_| {});
    let signed = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&signed);
    let client = OAuthClient::new(tenant.url(), CLIENT_ID, move |audience| {
        count.fetch_add(1, Ordering::SeqCst);
        Ok(good(audience))
    })
    .unwrap();
    let tokens: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..8)
            .map(|_| scope.spawn(|| client.impersonate("alice").unwrap().access_token))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert!(tokens.iter().all(|t| *t == tokens[0]));
    assert_eq!(signed.load(Ordering::SeqCst), 1);
}

#[test]
fn a_bad_assertion_is_refused_for_the_right_reason() {
    let tenant = tenant(|_| {});
    let audience = format!("{}/oauth/token", tenant.url());
    let rsa = rsa_key();
    let other_rsa =
        SigningKey::from_private(key_file("rsa4096-privatekey.pem").as_bytes(), None).unwrap();
    let ec =
        SigningKey::from_private(key_file("ec384-private-pkcs8.pem").as_bytes(), None).unwrap();
    let with = |change: &dyn Fn(&mut Json)| {
        let mut c = claims(&audience);
        change(&mut c);
        assertion(&rsa, Algorithm::RS256, &header(), &c)
    };
    let now = now();
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "over-long",
            with(&|c| {
                c["iat"] = json!(now);
                c["exp"] = json!(now + 301);
            }),
            codes::LIFETIME_TOO_LONG,
        ),
        (
            "expired",
            with(&|c| {
                c["iat"] = json!(now - 400);
                c["exp"] = json!(now - 100);
            }),
            codes::EXPIRED,
        ),
        (
            "trailing slash audience",
            with(&|c| c["aud"] = json!(format!("{audience}/"))),
            codes::AUD_MISMATCH,
        ),
        (
            "another tenant's audience",
            with(&|c| c["aud"] = json!("https://acme.eu.qlikcloud.com/oauth/token")),
            codes::AUD_MISMATCH,
        ),
        (
            "wrong iss",
            with(&|c| c["iss"] = json!("someone-else")),
            codes::ISS_MISMATCH,
        ),
        (
            "wrong sub",
            with(&|c| c["sub"] = json!("someone-else")),
            codes::SUB_MISMATCH,
        ),
        (
            "no jti",
            with(&|c| {
                c.as_object_mut().unwrap().remove("jti");
            }),
            codes::CLAIM_MISSING,
        ),
        (
            "wrong key",
            assertion(&other_rsa, Algorithm::RS256, &header(), &claims(&audience)),
            codes::SIGNATURE_INVALID,
        ),
        (
            "wrong alg (RS512 with an RS256 key)",
            assertion(
                &rsa,
                Algorithm::RS512,
                &json!({"alg": "RS512", "kid": KID}),
                &claims(&audience),
            ),
            codes::ALG_MISMATCH,
        ),
        (
            "wrong alg (ES384)",
            assertion(
                &ec,
                Algorithm::ES384,
                &json!({"alg": "ES384", "kid": KID}),
                &claims(&audience),
            ),
            codes::ALG_MISMATCH,
        ),
        (
            "no kid",
            assertion(
                &rsa,
                Algorithm::RS256,
                &json!({"alg": "RS256"}),
                &claims(&audience),
            ),
            codes::KID_MISSING,
        ),
        (
            "another kid",
            assertion(
                &rsa,
                Algorithm::RS256,
                &json!({"alg": "RS256", "kid": "other"}),
                &claims(&audience),
            ),
            codes::KID_MISMATCH,
        ),
        ("not a JWT", "not-a-jwt".into(), codes::MALFORMED_ASSERTION),
    ];
    for (name, bad, code) in cases {
        let (status, body) = post_token(&tenant, "application/json", &token_body(&bad).to_string());
        assert_eq!(refusal_code(status, &body, 401), code, "{name}: {body}");
        // The tenant's verdict is the library's explain's, problem for problem.
        let registered =
            RegisteredClient::new(CLIENT_ID, tenant.url(), Some(rsa_client().key)).unwrap();
        let explained: Vec<&str> = registered
            // Judged after the tenant judged it, so no earlier: an iat of the signing
            // second is never in the future for either.
            .explain(&bad, seconds_now())
            .iter()
            .map(|p| p.code)
            .collect();
        let answered: Vec<&str> = body["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["code"].as_str().unwrap())
            .collect();
        assert_eq!(answered, explained, "{name}");
        assert_eq!(body["error"], "invalid_client", "{name}");
    }
}

#[test]
fn an_assertion_is_accepted_once() {
    let tenant = tenant(|_| {});
    let once = good(&format!("{}/oauth/token", tenant.url()));
    let (status, first) = post_token(&tenant, "application/json", &token_body(&once).to_string());
    assert_eq!(status, 200, "{first}");
    let (status, again) = post_token(&tenant, "application/json", &token_body(&once).to_string());
    assert_eq!(refusal_code(status, &again, 401), codes::JTI_REPLAYED);
}

#[test]
fn form_bodies_and_request_errors() {
    let tenant = tenant(|_| {});
    let audience = format!("{}/oauth/token", tenant.url());
    let form = format!(
        "client_id={CLIENT_ID}&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer\
         &client_assertion={}&grant_type=urn%3Aqlik%3Aoauth%3Auser-impersonation\
         &user_lookup%5Bfield%5D=subject&user_lookup%5Bvalue%5D=auth0%7Cbob",
        good(&audience)
    );
    let (status, body) = post_token(&tenant, "application/x-www-form-urlencoded", &form);
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["token_type"], "bearer");
    assert!(
        body["expires_at"].as_str().unwrap().ends_with(".000Z"),
        "{body}"
    );
    let (_, me) = users_me(&tenant, body["access_token"].as_str().unwrap());
    assert_eq!(me["subject"], "auth0|bob");

    let mut unknown = token_body(&good(&audience));
    unknown["client_id"] = json!("nobody");
    let (status, body) = post_token(&tenant, "application/json", &unknown.to_string());
    assert_eq!(
        refusal_code(status, &body, 401),
        oauth_codes::UNKNOWN_CLIENT
    );

    let mut grant = token_body(&good(&audience));
    grant["grant_type"] = json!("password");
    let (status, body) = post_token(&tenant, "application/json", &grant.to_string());
    assert_eq!(
        refusal_code(status, &body, 400),
        oauth_codes::UNSUPPORTED_GRANT
    );
    assert_eq!(body["error"], "unsupported_grant_type");

    let mut kind = token_body(&good(&audience));
    kind["client_assertion_type"] = json!("urn:other");
    let (status, body) = post_token(&tenant, "application/json", &kind.to_string());
    assert_eq!(refusal_code(status, &body, 400), oauth_codes::BAD_REQUEST);

    let mut lookup = token_body(&good(&audience));
    lookup["grant_type"] = json!("urn:qlik:oauth:user-impersonation");
    let (status, body) = post_token(&tenant, "application/json", &lookup.to_string());
    assert_eq!(refusal_code(status, &body, 400), oauth_codes::BAD_REQUEST);

    let (status, body) = post_token(&tenant, "application/json", "[1]");
    assert_eq!(refusal_code(status, &body, 400), oauth_codes::BAD_REQUEST);
}

#[test]
fn access_tokens_expire_and_unknown_ones_are_refused() {
    let tenant = tenant(|config| config.access_token_lifetime_secs = 0);
    let token = client(&tenant).access_token().unwrap();
    assert_eq!(token.expires_in, 0);
    let (status, body) = users_me(&tenant, &token.access_token);
    assert_eq!(
        refusal_code_plain(status, &body),
        oauth_codes::BAD_ACCESS_TOKEN
    );
    assert!(
        body["errors"][0]["detail"]
            .as_str()
            .unwrap()
            .contains("expired")
    );
    let (status, body) = users_me(&tenant, "made-up");
    assert_eq!(
        refusal_code_plain(status, &body),
        oauth_codes::BAD_ACCESS_TOKEN
    );
}

fn refusal_code_plain(status: u16, body: &Json) -> String {
    assert_eq!(status, 401, "{body}");
    body["errors"][0]["code"].as_str().unwrap().to_owned()
}

#[test]
fn an_oauth_only_tenant_serves_no_jwt_login() {
    let tenant = tenant(|_| {});
    let mut answer = ureq::post(format!("{}/login/jwt-session", tenant.url()))
        .header("Authorization", "Bearer x.y.z")
        .config()
        .http_status_as_error(false)
        .build()
        .send_empty()
        .unwrap();
    assert_eq!(answer.status().as_u16(), 404);
    assert!(
        answer
            .body_mut()
            .read_to_string()
            .unwrap()
            .contains("no JWT identity provider")
    );
}

#[test]
fn one_request_without_cache_and_a_failing_signer() {
    let tenant = tenant(|_| {});
    let request = TokenRequest {
        client_id: CLIENT_ID.into(),
        grant: Grant::for_subject(Some("carol")),
        scope: None,
        timeout: std::time::Duration::from_secs(5),
    };
    let token = request_access_token(tenant.url(), request.clone(), RetryPolicy::none(), |aud| {
        Ok(good(aud))
    })
    .unwrap();
    assert_eq!(users_me(&tenant, &token.access_token).1["subject"], "carol");
    let error = request_access_token(tenant.url(), request, RetryPolicy::none(), |_| {
        Err(ClientError::InvalidArgument("no key".into()))
    })
    .unwrap_err();
    assert_eq!(error.to_string(), "no key");
}

#[test]
fn registrations_refuse_what_qlik_refuses() {
    let ok = registered_jwk("rsa2048-public.jwk.json", "RS256");
    assert!(OAuthClientRegistration::from_jwk("c", &ok).is_ok());
    let ec = registered_jwk("ec384-public.jwk.json", "ES384");
    assert!(OAuthClientRegistration::from_jwk("c", &ec).is_ok());
    for jwk in [
        registered_jwk("rsa2048-public.jwk.json", "PS256"),
        registered_jwk("rsa2048-public.jwk.json", "ES384"),
        registered_jwk("ec256-public.jwk.json", "ES384"),
        registered_jwk("rsa2048-private.jwk.json", "RS256"),
    ] {
        assert!(
            OAuthClientRegistration::from_jwk("c", &jwk).is_err(),
            "{jwk}"
        );
    }
    assert!(OAuthClientRegistration::from_jwk(" ", &ok).is_err());
}
