//! The Qlik signer through the public API: the claims and times it writes, its signature
//! checked by openssl, its random `jti`, and what it refuses.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use qlik_jwt::qlik::{
    self, AUDIENCE, IdentityProvider, QlikSigner, QlikUser, Severity, SignerConfig,
};
use qlik_jwt::{Algorithm, ErrorCode, SigningKey, VerifyingKey};
use qlik_jwt::{base64url, jws};
use serde_json::Value as Json;

const NOW: i64 = 1_700_000_000;
const KID: &str = "my-custom-jwt";
const ISSUER: &str = "https://my-custom-jwt";

fn key_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/keys")
        .join(name)
}

fn private_key(name: &str) -> SigningKey {
    SigningKey::from_private(&std::fs::read(key_path(name)).unwrap(), None).unwrap()
}

fn public_key(name: &str) -> VerifyingKey {
    VerifyingKey::from_public(&std::fs::read(key_path(name)).unwrap(), None).unwrap()
}

fn config(key: &str) -> SignerConfig {
    SignerConfig {
        private_key: private_key(key),
        key_id: KID.into(),
        issuer: ISSUER.into(),
        algorithm: None,
        not_before_skew_secs: None,
        lifetime_secs: None,
    }
}

fn signer() -> QlikSigner {
    QlikSigner::new(config("rsa2048-private-pkcs8.pem")).unwrap()
}

fn harry() -> QlikUser {
    QlikUser {
        sub: "0hEhiPyhMBdtOCv2UZKoLo4G24p-7R6eeGdZUQHF0-c".into(),
        name: "Hardcore Harry".into(),
        email: "".into(),
        email_verified: true,
        groups: Some(vec![
            "Administrators".into(),
            "Sales".into(),
            "Marketing".into(),
        ]),
    }
}

/// The decoded header and payload JSON texts of a token.
fn decode(token: &str) -> (String, String) {
    let parts = jws::split(token).expect("three parts");
    let text = |part| String::from_utf8(base64url::decode(part).unwrap()).unwrap();
    (text(parts.header), text(parts.payload))
}

fn provider() -> IdentityProvider {
    IdentityProvider {
        issuer: Some(ISSUER.into()),
        key_id: Some(KID.into()),
        certificate: Some(public_key("rsa2048-cert.pem")),
        clock_tolerance_secs: None,
    }
}

#[test]
fn header_is_alg_typ_kid_in_jsonwebtoken_order() {
    let token = signer().sign(&harry(), NOW).unwrap();
    let (header, _) = decode(&token);
    assert_eq!(
        header,
        r#"{"alg":"RS256","typ":"JWT","kid":"my-custom-jwt"}"#
    );
}

#[test]
fn claims_are_the_tutorial_payload_then_jsonwebtoken_options() {
    let token = signer().sign(&harry(), NOW).unwrap();
    let (_, payload) = decode(&token);
    let claims: serde_json::Map<String, Json> = serde_json::from_str(&payload).unwrap();
    let keys: Vec<&str> = claims.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "jti",
            "sub",
            "subType",
            "name",
            "email",
            "email_verified",
            "groups",
            "iat",
            "nbf",
            "exp",
            "aud",
            "iss"
        ]
    );
    assert_eq!(claims["sub"], harry().sub.as_str());
    assert_eq!(claims["subType"], "user");
    assert_eq!(claims["name"], "Hardcore Harry");
    assert_eq!(claims["email"], "");
    assert_eq!(claims["email_verified"], true);
    assert_eq!(
        claims["groups"],
        serde_json::json!(["Administrators", "Sales", "Marketing"])
    );
    assert_eq!(claims["aud"], AUDIENCE);
    assert_eq!(claims["iss"], ISSUER);
    assert_eq!(claims["iat"], NOW);
    assert_eq!(claims["nbf"], NOW - 30);
    assert_eq!(claims["exp"], NOW + 300);
    assert_eq!(claims["jti"].as_str().unwrap().len(), 43);
}

#[test]
fn no_groups_means_no_groups_claim() {
    let user = QlikUser {
        groups: None,
        ..harry()
    };
    let (_, payload) = decode(&signer().sign(&user, NOW).unwrap());
    assert!(!payload.contains("groups"), "{payload}");
}

#[test]
fn configured_times_are_used() {
    let signer = QlikSigner::new(SignerConfig {
        not_before_skew_secs: Some(0),
        lifetime_secs: Some(3600),
        ..config("rsa2048-private-pkcs8.pem")
    })
    .unwrap();
    let (_, payload) = decode(&signer.sign(&harry(), NOW).unwrap());
    let claims: Json = serde_json::from_str(&payload).unwrap();
    assert_eq!(
        (claims["nbf"].as_i64(), claims["exp"].as_i64()),
        (Some(NOW), Some(NOW + 3600))
    );
    assert_eq!(
        (signer.not_before_skew_secs(), signer.lifetime_secs()),
        (0, 3600)
    );
}

#[test]
fn signed_tokens_pass_every_qlik_check() {
    let token = signer().sign(&harry(), NOW).unwrap();
    assert_eq!(qlik::explain(&token, &provider(), NOW), vec![]);
    // A tenant clock 30 s behind or ahead still accepts it, with no clock tolerance.
    assert_eq!(qlik::explain(&token, &provider(), NOW - 30), vec![]);
    assert_eq!(qlik::explain(&token, &provider(), NOW + 30), vec![]);
}

#[test]
fn signature_verifies_with_the_certificate_per_openssl() {
    let token = signer().sign(&harry(), NOW).unwrap();
    let parts = jws::split(&token).unwrap();
    let dir = std::env::temp_dir().join(format!("qlik-signer-openssl-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("input");
    let signature = dir.join("signature");
    let public = dir.join("public.pem");
    std::fs::write(&input, parts.signing_input).unwrap();
    std::fs::write(&signature, base64url::decode(parts.signature).unwrap()).unwrap();
    let status = Command::new("openssl")
        .args(["x509", "-pubkey", "-noout", "-in"])
        .arg(key_path("rsa2048-cert.pem"))
        .arg("-out")
        .arg(&public)
        .status()
        .expect("openssl runs");
    assert!(status.success());
    let verify = |data: &Path| {
        Command::new("openssl")
            .args(["dgst", "-sha256", "-verify"])
            .arg(&public)
            .arg("-signature")
            .arg(&signature)
            .arg(data)
            .output()
            .expect("openssl runs")
    };
    let good = verify(&input);
    assert!(
        good.status.success(),
        "{}",
        String::from_utf8_lossy(&good.stdout)
    );
    assert_eq!(String::from_utf8_lossy(&good.stdout).trim(), "Verified OK");
    std::fs::write(&input, format!("{}x", parts.signing_input)).unwrap();
    assert!(
        !verify(&input).status.success(),
        "openssl accepted a tampered token"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn jti_is_fresh_and_43_characters_on_every_call() {
    let signer = signer();
    let mut seen = HashSet::new();
    for _ in 0..500 {
        let (_, payload) = decode(&signer.sign(&harry(), NOW).unwrap());
        let claims: Json = serde_json::from_str(&payload).unwrap();
        let jti = claims["jti"].as_str().unwrap().to_owned();
        assert_eq!(jti.len(), 43);
        assert_eq!(base64url::decode(&jti).unwrap().len(), 32);
        assert!(seen.insert(jti), "a jti repeated");
    }
}

#[test]
fn default_algorithm_follows_the_key() {
    let cases = [
        (
            "rsa2048-private-pkcs8.pem",
            Algorithm::RS256,
            "rsa2048-cert.pem",
        ),
        (
            "rsapss2048-private-pkcs8.pem",
            Algorithm::PS256,
            "rsapss2048-public-spki.pem",
        ),
        (
            "ec256-private-pkcs8.pem",
            Algorithm::ES256,
            "ec256-cert.pem",
        ),
        (
            "ec384-private-pkcs8.pem",
            Algorithm::ES384,
            "ec384-public-spki.pem",
        ),
        (
            "ec521-private-pkcs8.pem",
            Algorithm::ES512,
            "ec521-public-spki.pem",
        ),
    ];
    for (key, alg, public) in cases {
        let signer = QlikSigner::new(config(key)).unwrap();
        assert_eq!(signer.algorithm(), alg, "{key}");
        let token = signer.sign(&harry(), NOW).unwrap();
        let provider = IdentityProvider {
            certificate: Some(public_key(public)),
            ..provider()
        };
        assert_eq!(qlik::explain(&token, &provider, NOW), vec![], "{key}");
    }
}

#[test]
fn explicit_algorithms_that_fit_the_key_are_used() {
    for alg in [
        Algorithm::RS384,
        Algorithm::RS512,
        Algorithm::PS256,
        Algorithm::PS512,
    ] {
        let signer = QlikSigner::new(SignerConfig {
            algorithm: Some(alg),
            ..config("rsa2048-private-pkcs8.pem")
        })
        .unwrap();
        let token = signer.sign(&harry(), NOW).unwrap();
        assert!(decode(&token).0.contains(&format!(r#""alg":"{alg}""#)));
        assert_eq!(qlik::explain(&token, &provider(), NOW), vec![], "{alg}");
    }
}

fn refused(config: SignerConfig) -> qlik_jwt::Error {
    QlikSigner::new(config).expect_err("the signer must refuse this configuration")
}

#[test]
fn hmac_and_none_are_refused() {
    for alg in [
        Algorithm::HS256,
        Algorithm::HS384,
        Algorithm::HS512,
        Algorithm::None,
    ] {
        let error = refused(SignerConfig {
            algorithm: Some(alg),
            ..config("rsa2048-private-pkcs8.pem")
        });
        assert_eq!(error.code(), ErrorCode::QlikRule, "{alg}");
        assert!(error.message().contains("RS256"), "{}", error.message());
    }
    let error = refused(SignerConfig {
        private_key: SigningKey::from_secret(b"a shared secret of some length"),
        ..config("rsa2048-private-pkcs8.pem")
    });
    assert_eq!(error.code(), ErrorCode::QlikRule);
    assert!(error.message().contains("HMAC"), "{}", error.message());
}

#[test]
fn an_algorithm_that_does_not_fit_the_key_is_refused() {
    let cases = [
        ("rsa2048-private-pkcs8.pem", Algorithm::ES256),
        ("ec256-private-pkcs8.pem", Algorithm::RS256),
        ("ec256-private-pkcs8.pem", Algorithm::ES384),
        ("rsapss2048-private-pkcs8.pem", Algorithm::RS256),
    ];
    for (key, alg) in cases {
        let error = refused(SignerConfig {
            algorithm: Some(alg),
            ..config(key)
        });
        assert_ne!(
            error.code(),
            ErrorCode::QlikRule,
            "{key} {alg}: {}",
            error.message()
        );
    }
}

#[test]
fn keys_no_algorithm_uses_are_refused() {
    let error = refused(config("ed25519-private-pkcs8.pem"));
    assert_eq!(error.code(), ErrorCode::QlikRule);
    assert!(error.message().contains("ed25519"), "{}", error.message());
}

#[test]
fn windows_over_an_hour_and_impossible_times_are_refused() {
    let with = |skew, lifetime| SignerConfig {
        not_before_skew_secs: skew,
        lifetime_secs: lifetime,
        ..config("rsa2048-private-pkcs8.pem")
    };
    assert!(QlikSigner::new(with(Some(0), Some(3600))).is_ok());
    assert!(QlikSigner::new(with(Some(600), Some(3000))).is_ok());
    for (skew, lifetime, says) in [
        (Some(0), Some(3601), "3601"),
        (Some(601), Some(3000), "3601"),
        (None, Some(3600), "3630"),
        (Some(i64::MAX), Some(i64::MAX), "3600"),
        (Some(-1), None, "not_before_skew_secs is -1"),
        (None, Some(0), "lifetime_secs is 0"),
        (None, Some(-5), "lifetime_secs is -5"),
    ] {
        let error = refused(with(skew, lifetime));
        assert_eq!(error.code(), ErrorCode::QlikRule);
        assert!(
            error.message().contains(says),
            "{says}: {}",
            error.message()
        );
    }
}

#[test]
fn empty_key_id_or_issuer_is_refused() {
    let error = refused(SignerConfig {
        key_id: String::new(),
        ..config("rsa2048-private-pkcs8.pem")
    });
    assert!(error.message().contains("key_id"), "{}", error.message());
    let error = refused(SignerConfig {
        issuer: String::new(),
        ..config("rsa2048-private-pkcs8.pem")
    });
    assert!(error.message().contains("issuer"), "{}", error.message());
}

#[test]
fn users_qlik_would_refuse_are_refused_naming_the_rule() {
    let signer = signer();
    let long_group = "g".repeat(257);
    let cases = [
        (
            QlikUser {
                sub: String::new(),
                ..harry()
            },
            "sub is empty",
        ),
        (
            QlikUser {
                name: String::new(),
                ..harry()
            },
            "name is empty",
        ),
        (
            QlikUser {
                groups: Some(vec!["Sales".into(), long_group]),
                ..harry()
            },
            "groups[1] has 257 characters",
        ),
    ];
    for (user, says) in cases {
        let error = signer.sign(&user, NOW).unwrap_err();
        assert_eq!(error.code(), ErrorCode::QlikRule);
        assert!(
            error.message().contains(says),
            "{says}: {}",
            error.message()
        );
    }
    let longest = QlikUser {
        groups: Some(vec!["é".repeat(256)]),
        ..harry()
    };
    assert!(signer.sign(&longest, NOW).is_ok());
    let no_email = QlikUser {
        email: String::new(),
        email_verified: false,
        ..harry()
    };
    assert!(signer.sign(&no_email, NOW).is_ok());
}

#[test]
fn times_that_are_not_seconds_are_refused() {
    let signer = signer();
    for now in [-1, 1_700_000_000_000, i64::MAX] {
        let error = signer.sign(&harry(), now).unwrap_err();
        assert_eq!(error.code(), ErrorCode::QlikRule, "{now}");
        assert!(error.message().contains("seconds"), "{}", error.message());
    }
    assert!(signer.sign(&harry(), 0).is_ok());
}

#[test]
fn debug_output_holds_no_key_material() {
    let pem = std::fs::read_to_string(key_path("rsa2048-private-pkcs8.pem")).unwrap();
    let printed = format!("{:?}", signer());
    for line in pem.lines().filter(|l| !l.starts_with("-----")) {
        assert!(!printed.contains(line), "Debug printed key material");
    }
    assert!(printed.contains("my-custom-jwt"));
}

#[test]
fn explain_reports_what_the_signer_would_never_make() {
    // A sanity check that the two halves agree: a signer token altered to break one rule is
    // reported with an Error.
    let token = signer().sign(&harry(), NOW).unwrap();
    let problems = qlik::explain(&token, &provider(), NOW + 301);
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].code, qlik::codes::EXPIRED);
    assert_eq!(problems[0].severity, Severity::Error);
}
