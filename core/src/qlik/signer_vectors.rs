//! The signer against `drop_in::sign` (the `jsonwebtoken`-compatible entry point) for many
//! users and time windows. The cases `jsonwebtoken` itself recorded are checked by
//! `core/tests/qlik_signer_vectors.rs`.

use std::path::Path;

use super::{QlikSigner, QlikUser, SignerConfig};
use crate::key::SigningKey;

fn key(name: &str) -> SigningKey {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/keys")
        .join(name);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    SigningKey::from_private(&bytes, None).expect("test key parses")
}

/// The tutorial's payload for `user` with this `jti`, as the caller of `jsonwebtoken` writes it.
fn tutorial_payload(user: &QlikUser, jti: &str) -> crate::value::Value {
    use crate::value::Value;
    let mut payload = vec![
        ("jti".to_string(), Value::from(jti)),
        ("sub".into(), Value::from(user.sub.as_str())),
        ("subType".into(), Value::from("user")),
        ("name".into(), Value::from(user.name.as_str())),
        ("email".into(), Value::from(user.email.as_str())),
        ("email_verified".into(), Value::Bool(user.email_verified)),
    ];
    if let Some(groups) = &user.groups {
        let groups = groups.iter().map(|g| Value::from(g.as_str())).collect();
        payload.push(("groups".into(), Value::Array(groups)));
    }
    Value::Object(payload)
}

#[test]
fn tokens_equal_drop_in_sign_for_many_users_and_windows() {
    use crate::drop_in::{self, KeyArg};
    use crate::value::Value;
    let key = key("rsa2048-private-pkcs8.pem");
    let pieces = [
        "a", "Zoë", "\"", "\\", "\n", "\u{7f}", "\u{2028}", "😀", "/", " ", "<&>", "例",
    ];
    // A fixed linear congruential sequence: varied inputs, reproducible failures.
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move |bound: usize| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as usize % bound
    };
    for round in 0..60 {
        let mut text = |max: usize| -> String {
            let len = 1 + next(max);
            (0..len).map(|_| pieces[next(pieces.len())]).collect()
        };
        let user = QlikUser {
            sub: text(8),
            name: text(6),
            email: if round % 3 == 0 {
                String::new()
            } else {
                text(4)
            },
            email_verified: round % 2 == 0,
            groups: (round % 4 != 0).then(|| (0..round % 5).map(|_| text(5)).collect()),
        };
        let (skew, lifetime) = [(0, 1), (30, 300), (600, 3000), (0, 3600)][round % 4];
        let (key_id, issuer) = (format!("kid-{round}"), text(5));
        let signer = QlikSigner::new(SignerConfig {
            private_key: key.clone(),
            key_id: key_id.clone(),
            issuer: issuer.clone(),
            algorithm: None,
            not_before_skew_secs: Some(skew),
            lifetime_secs: Some(lifetime),
        })
        .unwrap();
        let now = 1_600_000_000 + (round as i64) * 7_777_777;
        let jti = super::new_jti().unwrap();
        let options = Value::Object(vec![
            ("keyid".into(), Value::from(key_id.as_str())),
            ("algorithm".into(), Value::from("RS256")),
            ("issuer".into(), Value::from(issuer.as_str())),
            ("expiresIn".into(), Value::Number(lifetime as f64)),
            ("notBefore".into(), Value::Number(-skew as f64)),
            ("audience".into(), Value::from(super::AUDIENCE)),
        ]);
        let expected = drop_in::sign(
            &tutorial_payload(&user, &jti),
            &KeyArg::Signing(key.clone()),
            &options,
            now as f64 * 1000.0,
        )
        .unwrap();
        assert_eq!(
            signer.sign_with_jti(&user, now, jti).unwrap(),
            expected,
            "round {round}"
        );
    }
}
