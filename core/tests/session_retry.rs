//! `login_with` signs a fresh token per attempt and retries only what a retry can cure, as the
//! core's retry policy says; judged against the local tenant's login rate limit.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use qlik_jwt::client::{ClientError, LoginOptions, RetryPolicy, login_with};
use qlik_jwt::qlik::{QlikSigner, QlikUser, SignerConfig};
use qlik_jwt::setup::{CertificateOptions, KeyAlgorithm, generate};
use qlik_jwt::tenant::{Tenant, TenantConfig};
use qlik_jwt::{SigningKey, VerifyingKey};

const ISSUER: &str = "https://issuer.retry-test";
const KID: &str = "retry-kid";

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

#[test]
fn every_attempt_has_its_own_token_and_only_a_rate_limit_is_retried() {
    let keys = generate(KeyAlgorithm::Rsa2048, &CertificateOptions::default()).unwrap();
    let certificate = VerifyingKey::from_public(keys.certificate_pem.as_bytes(), None).unwrap();
    let signer = QlikSigner::new(SignerConfig {
        private_key: SigningKey::from_private(keys.private_key_pem.as_bytes(), None).unwrap(),
        key_id: KID.into(),
        issuer: ISSUER.into(),
        algorithm: None,
        not_before_skew_secs: None,
        lifetime_secs: None,
    })
    .unwrap();
    let user = QlikUser {
        sub: "user-1".into(),
        name: "One".into(),
        email: "one@example.com".into(),
        email_verified: true,
        groups: None,
    };
    let mut config = TenantConfig::new(certificate.clone(), ISSUER, KID);
    config.logins_per_minute = Some(1);
    let tenant = Tenant::start(config).unwrap();
    let retry = RetryPolicy {
        retries: 2,
        first_delay: Duration::from_millis(1),
    };
    let mut tokens = Vec::new();
    let mut sign = || {
        let token = signer.sign(&user, now()).unwrap();
        tokens.push(token.clone());
        Ok(token)
    };
    let session = login_with(tenant.url(), &LoginOptions::default(), retry, &mut sign).unwrap();
    assert_eq!(session.get("/api/v1/users/me").unwrap().status, 200);
    match login_with(tenant.url(), &LoginOptions::default(), retry, &mut sign) {
        Err(ClientError::Qlik(error)) => assert_eq!(error.status, 429),
        other => panic!("expected the rate limit, got {other:?}"),
    }
    assert_eq!(tokens.len(), 4, "one login, then three attempts");
    tokens.sort();
    tokens.dedup();
    assert_eq!(tokens.len(), 4, "every attempt signed its own token");

    tenant.shutdown();

    // A refusal a retry cannot cure is final: one token only.
    let mut unlimited = TenantConfig::new(certificate, ISSUER, KID);
    unlimited.logins_per_minute = None;
    let other = Tenant::start(unlimited).unwrap();
    let mut signed = 0;
    let refused = login_with(other.url(), &LoginOptions::default(), retry, || {
        signed += 1;
        Ok("not.a.token".to_owned())
    });
    assert!(matches!(refused, Err(ClientError::Qlik(e)) if e.status == 401));
    assert_eq!(signed, 1);
    other.shutdown();
}
