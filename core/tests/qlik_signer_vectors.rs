//! The Qlik signer against the real `jsonwebtoken` 9.0.3: each case of
//! `tests/vectors/qlik-signer.json` (written by `generate-qlik-signer.js` with the npm
//! package, the tutorial's payload and options, a fixed clock and a recorded `jti`) must come
//! out byte for byte the same; and against `drop_in::sign` (the `jsonwebtoken`-compatible entry
//! point) for many users and time windows.

mod support;

use qlik_jwt::alg::Algorithm;
use qlik_jwt::key::SigningKey;
use qlik_jwt::qlik::{AUDIENCE, QlikSigner, QlikUser, SignerConfig};
use qlik_jwt::testing::qlik_sign_with_jti;
use serde_json::Value as Json;

fn cases() -> Vec<Json> {
    let cases: Vec<Json> =
        serde_json::from_value(support::read("qlik-signer.json")).expect("an array");
    assert_eq!(cases.len(), 4, "the fixture lost its cases");
    cases
}

fn key(file: &str) -> SigningKey {
    let path = support::repo_dir().join(file);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    SigningKey::from_private(&bytes, None).expect("test key parses")
}

fn string(value: &Json) -> String {
    value.as_str().expect("a string").to_owned()
}

fn signer(case: &Json) -> QlikSigner {
    QlikSigner::new(SignerConfig {
        private_key: key(case["keyFile"].as_str().unwrap()),
        key_id: string(&case["keyid"]),
        issuer: string(&case["issuer"]),
        algorithm: Some(
            case["algorithm"]
                .as_str()
                .unwrap()
                .parse::<Algorithm>()
                .unwrap(),
        ),
        not_before_skew_secs: case["skew"].as_i64(),
        lifetime_secs: case["lifetime"].as_i64(),
    })
    .expect("signer")
}

fn user(case: &Json) -> QlikUser {
    let user = &case["user"];
    QlikUser {
        sub: string(&user["sub"]),
        name: string(&user["name"]),
        email: string(&user["email"]),
        email_verified: user["email_verified"].as_bool().unwrap(),
        groups: user["groups"]
            .as_array()
            .map(|groups| groups.iter().map(string).collect()),
    }
}

#[test]
fn tokens_equal_jsonwebtoken_byte_for_byte() {
    for case in cases() {
        let token = qlik_sign_with_jti(
            &signer(&case),
            &user(&case),
            case["now"].as_i64().unwrap(),
            string(&case["jti"]),
        )
        .expect("signs");
        assert_eq!(
            token,
            case["token"].as_str().unwrap(),
            "case {}",
            case["name"]
        );
    }
}

#[test]
fn the_tutorial_case_uses_the_signer_defaults() {
    let tutorial = &cases()[0];
    assert!(tutorial["skew"].is_null() && tutorial["lifetime"].is_null());
    assert_eq!(tutorial["options"]["notBefore"], "-30s");
    assert_eq!(tutorial["options"]["expiresIn"], "5m");
}

/// The tutorial's payload for `user` with this `jti`, as the caller of `jsonwebtoken` writes it.
fn tutorial_payload(user: &QlikUser, jti: &str) -> qlik_jwt::Value {
    use qlik_jwt::Value;
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
fn tokens_equal_drop_in_sign_of_the_tutorial_payload_and_options() {
    use qlik_jwt::Value;
    use qlik_jwt::drop_in::{self, KeyArg};
    for case in cases() {
        let user = user(&case);
        let jti = string(&case["jti"]);
        let now = case["now"].as_i64().unwrap();
        let options = Value::from_json_str(&case["options"].to_string()).unwrap();
        let key = KeyArg::Signing(key(case["keyFile"].as_str().unwrap()));
        // Any instant within the same second gives the same iat.
        let now_ms = now as f64 * 1000.0 + 999.0;
        let expected = drop_in::sign(&tutorial_payload(&user, &jti), &key, &options, now_ms)
            .unwrap_or_else(|e| panic!("drop_in::sign refused {}: {}", case["name"], e.message()));
        let token = qlik_sign_with_jti(&signer(&case), &user, now, jti).unwrap();
        assert_eq!(token, expected, "case {}", case["name"]);
    }
}

#[test]
fn drop_in_sign_accepts_the_tutorial_example_with_not_before_0s_and_1s() {
    use qlik_jwt::Value;
    use qlik_jwt::drop_in::{self, KeyArg};
    let tutorial = &cases()[0];
    let payload = tutorial_payload(&user(tutorial), &string(&tutorial["jti"]));
    let key = KeyArg::Signing(key("tests/keys/rsa4096-privatekey.pem"));
    for not_before in ["0s", "1s"] {
        let options = Value::Object(vec![
            ("keyid".into(), Value::from("my-custom-jwt")),
            ("algorithm".into(), Value::from("RS256")),
            ("issuer".into(), Value::from("https://my-custom-jwt")),
            ("expiresIn".into(), Value::from("5m")),
            ("notBefore".into(), Value::from(not_before)),
            ("audience".into(), Value::from(AUDIENCE)),
        ]);
        let token = drop_in::sign(&payload, &key, &options, 1_658_416_389_000.0);
        assert!(token.is_ok(), "notBefore {not_before}: {:?}", token.err());
    }
}

#[test]
fn tokens_equal_drop_in_sign_for_many_users_and_windows() {
    use qlik_jwt::Value;
    use qlik_jwt::drop_in::{self, KeyArg};
    let key = key("tests/keys/rsa2048-private-pkcs8.pem");
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
        // Any string: both sides sign the same one.
        let jti = format!("jti-{round}-{}", next(1 << 30));
        let options = Value::Object(vec![
            ("keyid".into(), Value::from(key_id.as_str())),
            ("algorithm".into(), Value::from("RS256")),
            ("issuer".into(), Value::from(issuer.as_str())),
            ("expiresIn".into(), Value::Number(lifetime as f64)),
            ("notBefore".into(), Value::Number(-skew as f64)),
            ("audience".into(), Value::from(AUDIENCE)),
        ]);
        let expected = drop_in::sign(
            &tutorial_payload(&user, &jti),
            &KeyArg::Signing(key.clone()),
            &options,
            now as f64 * 1000.0,
        )
        .unwrap();
        assert_eq!(
            qlik_sign_with_jti(&signer, &user, now, jti).unwrap(),
            expected,
            "round {round}"
        );
    }
}
