//! `qlik::explain` on crafted tokens: every problem code is triggered by some token, each
//! token reports its problem with the documented severity, and good tokens report nothing.

use std::collections::BTreeSet;
use std::path::Path;

use qlik_jwt::qlik::{IdentityProvider, Problem, Severity, codes, explain};
use qlik_jwt::{Algorithm, SigningKey, VerifyingKey};
use qlik_jwt::{base64url, jws};
use serde_json::{Value as Json, json};

const T: i64 = 1_700_000_000;
const KID: &str = "my-custom-jwt";
const ISSUER: &str = "https://my-custom-jwt";

fn read(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/keys")
            .join(name),
    )
    .unwrap()
}

fn rsa_key() -> SigningKey {
    SigningKey::from_private(&read("rsa2048-private-pkcs8.pem"), None).unwrap()
}

fn certificate(name: &str) -> VerifyingKey {
    VerifyingKey::from_public(&read(name), None).unwrap()
}

fn provider() -> IdentityProvider {
    IdentityProvider {
        issuer: Some(ISSUER.into()),
        key_id: Some(KID.into()),
        certificate: Some(certificate("rsa2048-cert.pem")),
        clock_tolerance_secs: None,
    }
}

fn header() -> Json {
    json!({"alg": "RS256", "typ": "JWT", "kid": KID})
}

/// What `jsonwebtoken` makes from the tutorial's payload with `notBefore: -30`,
/// `expiresIn: 300` at `T`.
fn payload() -> Json {
    json!({
        "jti": "k5bU_cFI4_-vFfpJ3DjDsIZK-ZhJGRbBfusUWZ0ifBI",
        "sub": "0hEhiPyhMBdtOCv2UZKoLo4G24p-7R6eeGdZUQHF0-c",
        "subType": "user",
        "name": "Hardcore Harry",
        "email": "",
        "email_verified": true,
        "groups": ["Administrators", "Sales", "Marketing"],
        "iat": T,
        "nbf": T - 30,
        "exp": T + 300,
        "aud": "qlik.api/login/jwt-session",
        "iss": ISSUER
    })
}

fn sign(header: &Json, payload: &Json, alg: Algorithm, key: &SigningKey) -> String {
    let header = serde_json::to_vec(header).unwrap();
    let payload = serde_json::to_vec(payload).unwrap();
    jws::sign_compact(&header, &payload, alg, key).unwrap()
}

fn token(payload: &Json) -> String {
    sign(&header(), payload, Algorithm::RS256, &rsa_key())
}

fn with(value: &Json, key: &str, new: Json) -> Json {
    let mut value = value.clone();
    value[key] = new;
    value
}

fn without(value: &Json, key: &str) -> Json {
    let mut value = value.clone();
    value.as_object_mut().unwrap().shift_remove(key);
    value
}

struct Case {
    what: &'static str,
    token: String,
    provider: IdentityProvider,
    now: i64,
    code: &'static str,
    severity: Severity,
}

fn case(what: &'static str, token: String, code: &'static str, severity: Severity) -> Case {
    Case {
        what,
        token,
        provider: provider(),
        now: T,
        code,
        severity,
    }
}

fn cases() -> Vec<Case> {
    use Severity::{Error, Warning};
    let good = token(&payload());
    let parts = jws::split(&good).unwrap();
    let b64 = |text: &str| base64url::encode(text.as_bytes());
    let tolerant = IdentityProvider {
        clock_tolerance_secs: Some(10),
        ..provider()
    };
    let secret = SigningKey::from_secret(b"a shared secret that is long enough");
    let mut cases = vec![
        case("empty token", String::new(), codes::MALFORMED_TOKEN, Error),
        case(
            "Bearer prefix",
            format!("Bearer {good}"),
            codes::MALFORMED_TOKEN,
            Error,
        ),
        case(
            "trailing newline",
            format!("{good}\n"),
            codes::MALFORMED_TOKEN,
            Error,
        ),
        case(
            "two parts",
            parts.signing_input.to_string(),
            codes::MALFORMED_TOKEN,
            Error,
        ),
        case(
            "four parts",
            format!("{good}.x"),
            codes::MALFORMED_TOKEN,
            Error,
        ),
        case(
            "header not base64url",
            format!("!!.{}.{}", parts.payload, parts.signature),
            codes::MALFORMED_TOKEN,
            Error,
        ),
        case(
            "payload not JSON",
            format!("{}.{}.{}", parts.header, b64("{nope"), parts.signature),
            codes::MALFORMED_TOKEN,
            Error,
        ),
        case(
            "signature not base64url",
            format!("{}.{}.a+b/", parts.header, parts.payload),
            codes::MALFORMED_TOKEN,
            Error,
        ),
        case(
            "payload an array",
            token(&json!([1, 2])),
            codes::NOT_OBJECT,
            Error,
        ),
        case(
            "alg none",
            format!(
                "{}.{}.",
                b64(r#"{"alg":"none","typ":"JWT","kid":"my-custom-jwt"}"#),
                parts.payload
            ),
            codes::ALG_NONE,
            Error,
        ),
        case(
            "HS256",
            sign(
                &with(&header(), "alg", json!("HS256")),
                &payload(),
                Algorithm::HS256,
                &secret,
            ),
            codes::ALG_HMAC,
            Error,
        ),
        case(
            "unknown alg",
            sign(
                &with(&header(), "alg", json!("RS1")),
                &payload(),
                Algorithm::RS256,
                &rsa_key(),
            ),
            codes::ALG_UNKNOWN,
            Error,
        ),
        case(
            "no kid",
            sign(
                &without(&header(), "kid"),
                &payload(),
                Algorithm::RS256,
                &rsa_key(),
            ),
            codes::KID_MISSING,
            Error,
        ),
        case(
            "other kid",
            sign(
                &with(&header(), "kid", json!("old-key")),
                &payload(),
                Algorithm::RS256,
                &rsa_key(),
            ),
            codes::KID_MISMATCH,
            Error,
        ),
        case(
            "lowercase typ",
            sign(
                &with(&header(), "typ", json!("jwt")),
                &payload(),
                Algorithm::RS256,
                &rsa_key(),
            ),
            codes::TYP,
            Warning,
        ),
        case(
            "no nbf",
            token(&without(&payload(), "nbf")),
            codes::CLAIM_MISSING,
            Error,
        ),
        case(
            "exp as text",
            token(&with(&payload(), "exp", json!("1700000300"))),
            codes::CLAIM_TYPE,
            Error,
        ),
        case(
            "empty name",
            token(&with(&payload(), "name", json!(""))),
            codes::CLAIM_EMPTY,
            Error,
        ),
        case(
            "audience typo",
            token(&with(
                &payload(),
                "aud",
                json!("qlik.api/jwt-login-session"),
            )),
            codes::AUD_TYPO,
            Error,
        ),
        case(
            "tenant URL as audience",
            token(&with(
                &payload(),
                "aud",
                json!("https://tenant.us.qlikcloud.com"),
            )),
            codes::AUD_MISMATCH,
            Error,
        ),
        case(
            "audience in an array",
            token(&with(
                &payload(),
                "aud",
                json!(["qlik.api/login/jwt-session"]),
            )),
            codes::AUD_ARRAY,
            Warning,
        ),
        case(
            "subType group",
            token(&with(&payload(), "subType", json!("group"))),
            codes::SUBTYPE,
            Error,
        ),
        case(
            "email_verified text",
            token(&with(&payload(), "email_verified", json!("true"))),
            codes::EMAIL_VERIFIED_STRING,
            Error,
        ),
        case(
            "numeric jti",
            token(&with(&payload(), "jti", json!(12345))),
            codes::JTI_NUMBER,
            Error,
        ),
        case(
            "8-character jti",
            token(&with(&payload(), "jti", json!("Ab3dE6gH"))),
            codes::JTI_SHORT,
            Warning,
        ),
        case(
            "expiresIn 6h",
            token(&with(&payload(), "exp", json!(T + 6 * 3600))),
            codes::WINDOW_TOO_LONG,
            Error,
        ),
        case(
            "exp before nbf",
            token(&with(
                &with(&payload(), "nbf", json!(T)),
                "exp",
                json!(T - 1),
            )),
            codes::EXP_NOT_AFTER_NBF,
            Error,
        ),
        Case {
            now: T + 1,
            ..case(
                "tutorial notBefore 1s, exchanged a second later",
                token(&with(&payload(), "nbf", json!(T + 1))),
                codes::NBF_AFTER_IAT,
                Warning,
            )
        },
        case(
            "groups as text",
            token(&with(&payload(), "groups", json!("Sales"))),
            codes::GROUPS_TYPE,
            Error,
        ),
        case(
            "257-character group",
            token(&with(&payload(), "groups", json!(["x".repeat(257)]))),
            codes::GROUP_TOO_LONG,
            Error,
        ),
        case(
            "group for groups",
            token(&with(
                &without(&payload(), "groups"),
                "group",
                json!(["Sales"]),
            )),
            codes::GROUP_CLAIM,
            Warning,
        ),
        case(
            "keyid in the payload",
            token(&with(&payload(), "keyid", json!(KID))),
            codes::OPTION_IN_PAYLOAD,
            Warning,
        ),
        case(
            "other issuer",
            token(&with(&payload(), "iss", json!("https://someone-else"))),
            codes::ISSUER_MISMATCH,
            Error,
        ),
        case(
            "payload altered after signing",
            format!(
                "{}.{}.{}",
                parts.header,
                b64(&payload().to_string().replace("Harry", "Larry")),
                parts.signature
            ),
            codes::SIGNATURE_MISMATCH,
            Error,
        ),
        Case {
            what: "certificate of another RSA key",
            provider: IdentityProvider {
                certificate: Some(certificate("rsa4096-publickey.cer")),
                ..provider()
            },
            ..case("", good.clone(), codes::SIGNATURE_MISMATCH, Error)
        },
        Case {
            what: "certificate of an EC key",
            provider: IdentityProvider {
                certificate: Some(certificate("ec256-cert.pem")),
                ..provider()
            },
            ..case("", good.clone(), codes::SIGNATURE_MISMATCH, Error)
        },
        Case {
            what: "expired",
            now: T + 300,
            ..case("", good.clone(), codes::EXPIRED, Error)
        },
        Case {
            what: "expired beyond the tolerance",
            now: T + 310,
            provider: IdentityProvider {
                clock_tolerance_secs: Some(10),
                ..provider()
            },
            ..case("", good.clone(), codes::EXPIRED, Error)
        },
        Case {
            what: "too early",
            now: T - 31,
            ..case("", good.clone(), codes::NOT_YET_VALID, Error)
        },
        Case {
            what: "early, within the tolerance",
            now: T - 40,
            provider: tolerant,
            ..case("", good.clone(), codes::NBF_IN_FUTURE, Warning)
        },
    ];
    // The tutorial's "1s" token at the instant it is signed: refused until a second later.
    cases.push(Case {
        what: "tutorial notBefore 1s, exchanged at once",
        ..case(
            "",
            token(&with(&payload(), "nbf", json!(T + 1))),
            codes::NOT_YET_VALID,
            Error,
        )
    });
    cases
}

#[test]
fn a_good_token_has_no_problem() {
    let good = token(&payload());
    assert_eq!(explain(&good, &provider(), T), vec![]);
    assert_eq!(explain(&good, &IdentityProvider::default(), T), vec![]);
    let tolerant = IdentityProvider {
        clock_tolerance_secs: Some(10),
        ..provider()
    };
    assert_eq!(explain(&good, &tolerant, T + 309), vec![]);
}

#[test]
fn each_crafted_token_reports_its_problem() {
    for case in cases() {
        let problems = explain(&case.token, &case.provider, case.now);
        let found: Vec<&Problem> = problems.iter().filter(|p| p.code == case.code).collect();
        assert_eq!(found.len(), 1, "{}: {problems:#?}", case.what);
        assert_eq!(
            found[0].severity, case.severity,
            "{}: {problems:#?}",
            case.what
        );
        assert!(!found[0].message.is_empty());
        if case.severity == Severity::Warning {
            assert!(
                problems.iter().all(|p| p.severity == Severity::Warning),
                "{}: {problems:#?}",
                case.what
            );
        }
    }
}

#[test]
fn every_code_is_triggered_by_some_crafted_token() {
    let triggered: BTreeSet<&str> = cases().iter().map(|c| c.code).collect();
    let all: BTreeSet<&str> = codes::ALL.into_iter().collect();
    assert_eq!(triggered, all);
}

#[test]
fn malformed_tokens_report_only_that() {
    for token in ["", "abc", "a.b", "Bearer a.b.c", "a.b.c.d"] {
        let problems = explain(token, &provider(), T);
        assert_eq!(problems.len(), 1, "{token:?}: {problems:#?}");
        assert_eq!(problems[0].code, codes::MALFORMED_TOKEN);
    }
}

#[test]
fn the_tutorial_token_has_no_error() {
    // Tutorial payload and options (notBefore '1s', expiresIn '5m', email ''), signed at T and
    // exchanged two seconds later.
    let tutorial = with(
        &with(&payload(), "nbf", json!(T + 1)),
        "exp",
        json!(T + 300),
    );
    let problems = explain(&token(&tutorial), &provider(), T + 2);
    assert!(
        problems.iter().all(|p| p.severity == Severity::Warning),
        "{problems:#?}"
    );
    let with_0s = with(&payload(), "nbf", json!(T));
    assert_eq!(explain(&token(&with_0s), &provider(), T), vec![]);
}

#[test]
fn signature_message_says_the_certificate_does_not_match() {
    let other = IdentityProvider {
        certificate: Some(certificate("rsa4096-publickey.cer")),
        ..provider()
    };
    let problems = explain(&token(&payload()), &other, T);
    assert_eq!(problems.len(), 1);
    assert!(
        problems[0]
            .message
            .contains("the certificate does not match the key that signed this token"),
        "{}",
        problems[0].message
    );
}

#[test]
fn messages_quote_claims_but_never_key_material() {
    let pem = String::from_utf8(read("rsa2048-private-pkcs8.pem")).unwrap();
    let key_lines: Vec<&str> = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    for case in cases() {
        for problem in explain(&case.token, &case.provider, case.now) {
            for line in &key_lines {
                assert!(
                    !problem.message.contains(line),
                    "{}: key material in a message",
                    case.what
                );
            }
        }
    }
    let problems = explain(
        &token(&with(&payload(), "iss", json!("https://someone-else"))),
        &provider(),
        T,
    );
    assert!(problems[0].message.contains("\"https://someone-else\""));
    assert!(problems[0].message.contains(&format!("{ISSUER:?}")));
}

#[test]
fn arbitrary_text_never_panics() {
    let pieces = [
        "é", ".", "e30", "eyJ", "=", "-", "_", "Bearer ", " ", "\n", "😀", "a", "0", "+", "/",
    ];
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move |bound: usize| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as usize % bound
    };
    let good = token(&payload());
    for _ in 0..2000 {
        let len = next(12);
        let mut text: String = (0..len).map(|_| pieces[next(pieces.len())]).collect();
        if next(3) == 0 {
            // Damage a good token at a random place.
            let at = next(good.len());
            text = format!("{}{}{}", &good[..at], text, &good[at..]);
        }
        let problems = explain(&text, &provider(), T);
        assert!(
            problems.iter().any(|p| p.severity == Severity::Error) || text == good,
            "{text:?}"
        );
    }
    for text in [
        "éééé.a.b",
        "Beaé",
        "Bearer",
        "bearer éa.b.c",
        "..",
        ".e30.",
        "e30.e30.",
    ] {
        assert!(!explain(text, &provider(), T).is_empty(), "{text:?}");
    }
}
