//! Many clients at once: every login gets its own session, and no `jti` gets in twice even
//! when the same token races itself.

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use qlik_jwt::client::{ClientError, LoginOptions, login};
use qlik_jwt::qlik::{QlikSigner, QlikUser, SignerConfig};
use qlik_jwt::setup::{CertificateOptions, KeyAlgorithm, generate};
use qlik_jwt::tenant::{Tenant, TenantConfig};
use qlik_jwt::{SigningKey, VerifyingKey};

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

#[test]
fn parallel_logins_and_a_racing_replay() {
    let keys = generate(KeyAlgorithm::EcP256, &CertificateOptions::default()).unwrap();
    let certificate = VerifyingKey::from_public(keys.certificate_pem.as_bytes(), None).unwrap();
    let mut config = TenantConfig::new(certificate, "iss", "kid");
    config.logins_per_minute = None;
    let tenant = Arc::new(Tenant::start(config).unwrap());
    let signer = Arc::new(
        QlikSigner::new(SignerConfig {
            private_key: SigningKey::from_private(keys.private_key_pem.as_bytes(), None).unwrap(),
            key_id: "kid".into(),
            issuer: "iss".into(),
            algorithm: None,
            not_before_skew_secs: None,
            lifetime_secs: None,
        })
        .unwrap(),
    );
    let user = |i: usize| QlikUser {
        sub: format!("user-{i}"),
        name: format!("User {i}"),
        email: String::new(),
        email_verified: true,
        groups: None,
    };

    // 24 users log in at once; each sees itself.
    let handles: Vec<_> = (0..24)
        .map(|i| {
            let (tenant, signer) = (Arc::clone(&tenant), Arc::clone(&signer));
            let token = signer.sign(&user(i), now()).unwrap();
            std::thread::spawn(move || {
                let session = login(tenant.url(), &token, &LoginOptions::default()).unwrap();
                let me = session.get("/api/v1/users/me").unwrap().json().unwrap();
                assert_eq!(me["subject"], format!("user-{i}"));
            })
        })
        .collect();
    for handle in handles {
        handle.join().unwrap();
    }

    // One token sent by 8 clients at once: exactly one gets in.
    let token = signer.sign(&user(99), now()).unwrap();
    let racers: Vec<_> = (0..8)
        .map(|_| {
            let (tenant, token) = (Arc::clone(&tenant), token.clone());
            std::thread::spawn(move || login(tenant.url(), &token, &LoginOptions::default()))
        })
        .collect();
    let results: Vec<_> = racers.into_iter().map(|h| h.join().unwrap()).collect();
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1);
    for result in results.into_iter().filter_map(Result::err) {
        match result {
            ClientError::Qlik(e) => assert_eq!(e.code, "LOCAL-TOKEN-REPLAYED"),
            other => panic!("{other:?}"),
        }
    }
}
