//! Unit tests of the claim checks: each problem code from a crafted header or payload, and none
//! from the tutorial's own token.

use super::codes;
use super::{Problem, Severity, check_claims};
use crate::value::Value;

const T: f64 = 1_658_416_389.0;

fn parse(text: &str) -> Value {
    Value::from_json_str(text).expect("test JSON")
}

/// The header `jsonwebtoken` makes from the tutorial's options.
fn tutorial_header() -> Value {
    parse(r#"{"alg":"RS256","typ":"JWT","kid":"my-custom-jwt"}"#)
}

/// The payload `jsonwebtoken` makes from the tutorial's payload and options (`notBefore: '0s'`,
/// `expiresIn: '5m'`) at instant `T`.
fn tutorial_payload() -> Value {
    parse(&format!(
        r#"{{"jti":"k5bU_cFI4_-vFfpJ3DjDsIZK-ZhJGRbBfusUWZ0ifBI",
            "sub":"0hEhiPyhMBdtOCv2UZKoLo4G24p-7R6eeGdZUQHF0-c","subType":"user",
            "name":"Hardcore Harry","email":"","email_verified":true,
            "groups":["Administrators","Sales","Marketing"],
            "iat":{T},"nbf":{T},"exp":{},"aud":"qlik.api/login/jwt-session",
            "iss":"https://my-custom-jwt"}}"#,
        T + 300.0
    ))
}

fn with(value: &Value, key: &str, new: Value) -> Value {
    let Value::Object(members) = value else {
        panic!("object expected")
    };
    let mut members = members.clone();
    match members.iter_mut().find(|(k, _)| k == key) {
        Some(slot) => slot.1 = new,
        None => members.push((key.to_string(), new)),
    }
    Value::Object(members)
}

fn without(value: &Value, key: &str) -> Value {
    let Value::Object(members) = value else {
        panic!("object expected")
    };
    Value::Object(members.iter().filter(|(k, _)| k != key).cloned().collect())
}

fn text(s: &str) -> Value {
    Value::String(s.to_string())
}

fn codes_of(problems: &[Problem]) -> Vec<&'static str> {
    problems.iter().map(|p| p.code).collect()
}

/// The payload's problems: exactly one with `code` and `severity`.
fn assert_payload_problem(payload: Value, code: &str, severity: Severity) -> Problem {
    let problems = check_claims(&tutorial_header(), &payload);
    let found: Vec<_> = problems.iter().filter(|p| p.code == code).collect();
    assert_eq!(found.len(), 1, "{code} expected once in {problems:#?}");
    assert_eq!(found[0].severity, severity, "{code}: {problems:#?}");
    found[0].clone()
}

fn assert_header_problem(header: Value, code: &str, severity: Severity) -> Problem {
    let problems = check_claims(&header, &tutorial_payload());
    let found: Vec<_> = problems.iter().filter(|p| p.code == code).collect();
    assert_eq!(found.len(), 1, "{code} expected once in {problems:#?}");
    assert_eq!(found[0].severity, severity);
    found[0].clone()
}

#[test]
fn tutorial_token_with_not_before_0s_has_no_problem() {
    assert_eq!(
        check_claims(&tutorial_header(), &tutorial_payload()),
        vec![]
    );
}

#[test]
fn tutorial_token_with_not_before_1s_has_only_a_warning() {
    let payload = with(&tutorial_payload(), "nbf", Value::Number(T + 1.0));
    let problems = check_claims(&tutorial_header(), &payload);
    assert_eq!(codes_of(&problems), vec![codes::NBF_AFTER_IAT]);
    assert_eq!(problems[0].severity, Severity::Warning);
    assert!(
        problems[0].message.contains("1 s after iat"),
        "{}",
        problems[0].message
    );
}

#[test]
fn tutorial_token_without_groups_has_no_problem() {
    let payload = without(&tutorial_payload(), "groups");
    assert_eq!(check_claims(&tutorial_header(), &payload), vec![]);
}

#[test]
fn undefined_members_count_as_absent() {
    let payload = with(&tutorial_payload(), "nbf", Value::Undefined);
    let problem = assert_payload_problem(payload, codes::CLAIM_MISSING, Severity::Error);
    assert!(
        problem.message.contains("INTERNAL-TOKEN-1"),
        "{}",
        problem.message
    );
    let payload = with(&tutorial_payload(), "group", Value::Undefined);
    assert_eq!(check_claims(&tutorial_header(), &payload), vec![]);
}

#[test]
fn every_required_claim_missing_is_an_error_naming_it() {
    for claim in [
        "iss",
        "aud",
        "sub",
        "subType",
        "name",
        "email",
        "email_verified",
        "jti",
        "iat",
        "nbf",
        "exp",
    ] {
        let payload = without(&tutorial_payload(), claim);
        let problem = assert_payload_problem(payload, codes::CLAIM_MISSING, Severity::Error);
        assert!(
            problem.message.contains(&format!("no {claim}")),
            "{}",
            problem.message
        );
    }
}

#[test]
fn wrong_claim_types_are_errors() {
    let cases = [
        ("iss", Value::Number(1.0)),
        ("sub", Value::Null),
        ("name", Value::Array(vec![])),
        ("email", Value::Bool(false)),
        ("email_verified", Value::Number(1.0)),
        ("email_verified", text("yes")),
        ("jti", Value::Bool(true)),
        ("iat", text("1658416389")),
        ("nbf", Value::Null),
        ("exp", Value::Number(f64::NAN)),
    ];
    for (claim, value) in cases {
        let payload = with(&tutorial_payload(), claim, value);
        let problem = assert_payload_problem(payload, codes::CLAIM_TYPE, Severity::Error);
        assert!(problem.message.starts_with(claim), "{}", problem.message);
    }
}

#[test]
fn empty_names_are_errors_but_an_empty_email_is_not() {
    for claim in ["iss", "sub", "name", "jti"] {
        let payload = with(&tutorial_payload(), claim, text(""));
        assert_payload_problem(payload, codes::CLAIM_EMPTY, Severity::Error);
    }
    assert!(check_claims(&tutorial_header(), &tutorial_payload()).is_empty());
}

#[test]
fn audience_typo_is_called_out_by_name() {
    let payload = with(
        &tutorial_payload(),
        "aud",
        text("qlik.api/jwt-login-session"),
    );
    let problem = assert_payload_problem(payload, codes::AUD_TYPO, Severity::Error);
    assert!(problem.message.contains("qlik.api/jwt-login-session"));
    assert!(problem.message.contains("qlik.api/login/jwt-session"));
    let problems = check_claims(
        &tutorial_header(),
        &with(
            &tutorial_payload(),
            "aud",
            text("qlik.api/jwt-login-session"),
        ),
    );
    assert!(!codes_of(&problems).contains(&codes::AUD_MISMATCH));
}

#[test]
fn other_audiences_are_errors() {
    for aud in [
        text("https://tenant.eu.qlikcloud.com"),
        Value::Number(3.0),
        Value::Array(vec![text("a"), text("qlik.api/login/jwt-session")]),
    ] {
        let payload = with(&tutorial_payload(), "aud", aud);
        assert_payload_problem(payload, codes::AUD_MISMATCH, Severity::Error);
    }
    let typo_in_array = Value::Array(vec![text("qlik.api/jwt-login-session")]);
    let payload = with(&tutorial_payload(), "aud", typo_in_array);
    assert_payload_problem(payload, codes::AUD_TYPO, Severity::Error);
}

#[test]
fn audience_as_a_one_element_array_is_a_warning() {
    let aud = Value::Array(vec![text("qlik.api/login/jwt-session")]);
    let payload = with(&tutorial_payload(), "aud", aud);
    assert_payload_problem(payload, codes::AUD_ARRAY, Severity::Warning);
}

#[test]
fn sub_type_other_than_user_is_an_error() {
    for value in [text("User"), text("group"), Value::Bool(true)] {
        let payload = with(&tutorial_payload(), "subType", value);
        assert_payload_problem(payload, codes::SUBTYPE, Severity::Error);
    }
}

#[test]
fn email_verified_as_a_string_is_called_out() {
    for value in ["true", "false"] {
        let payload = with(&tutorial_payload(), "email_verified", text(value));
        let problem =
            assert_payload_problem(payload, codes::EMAIL_VERIFIED_STRING, Severity::Error);
        assert!(
            problem
                .message
                .contains(&format!("write {value} without quotes"))
        );
    }
}

#[test]
fn jti_as_a_number_is_called_out() {
    let payload = with(&tutorial_payload(), "jti", Value::Number(12345678.0));
    let problem = assert_payload_problem(payload, codes::JTI_NUMBER, Severity::Error);
    assert!(problem.message.contains("12345678"));
}

#[test]
fn short_jti_is_a_warning() {
    let payload = with(&tutorial_payload(), "jti", text("a1b2c3d4"));
    assert_payload_problem(payload, codes::JTI_SHORT, Severity::Warning);
    let payload = with(&tutorial_payload(), "jti", text(&"x".repeat(16)));
    assert!(check_claims(&tutorial_header(), &payload).is_empty());
}

#[test]
fn window_of_exactly_an_hour_passes_and_a_second_more_fails() {
    let payload = with(&tutorial_payload(), "exp", Value::Number(T + 3600.0));
    assert!(check_claims(&tutorial_header(), &payload).is_empty());
    let payload = with(&tutorial_payload(), "exp", Value::Number(T + 3601.0));
    let problem = assert_payload_problem(payload, codes::WINDOW_TOO_LONG, Severity::Error);
    assert!(problem.message.contains("3601"), "{}", problem.message);
}

#[test]
fn exp_not_after_nbf_is_an_error() {
    for exp in [T, T - 10.0] {
        let payload = with(&tutorial_payload(), "exp", Value::Number(exp));
        assert_payload_problem(payload, codes::EXP_NOT_AFTER_NBF, Severity::Error);
    }
}

#[test]
fn groups_must_be_an_array_of_short_strings() {
    for groups in [text("Sales"), Value::Null, Value::Object(vec![])] {
        let payload = with(&tutorial_payload(), "groups", groups);
        assert_payload_problem(payload, codes::GROUPS_TYPE, Severity::Error);
    }
    let mixed = Value::Array(vec![text("Sales"), Value::Number(7.0)]);
    let problem = assert_payload_problem(
        with(&tutorial_payload(), "groups", mixed),
        codes::GROUPS_TYPE,
        Severity::Error,
    );
    assert!(problem.message.contains("groups[1]"), "{}", problem.message);

    let longest = Value::Array(vec![text(&"é".repeat(256))]);
    assert!(
        check_claims(
            &tutorial_header(),
            &with(&tutorial_payload(), "groups", longest)
        )
        .is_empty()
    );
    let too_long = Value::Array(vec![text("Sales"), text(&"g".repeat(257))]);
    let problem = assert_payload_problem(
        with(&tutorial_payload(), "groups", too_long),
        codes::GROUP_TOO_LONG,
        Severity::Error,
    );
    assert!(
        problem.message.contains("groups[1] has 257"),
        "{}",
        problem.message
    );
}

#[test]
fn group_instead_of_groups_is_a_warning() {
    let payload = with(
        &without(&tutorial_payload(), "groups"),
        "group",
        text("Sales"),
    );
    let problem = assert_payload_problem(payload, codes::GROUP_CLAIM, Severity::Warning);
    assert!(problem.message.contains("groups"));
}

#[test]
fn signing_options_in_the_payload_are_warnings_naming_the_option() {
    for (option, _) in super::SIGNING_OPTIONS {
        let payload = with(&tutorial_payload(), option, text("x"));
        let problem = assert_payload_problem(payload, codes::OPTION_IN_PAYLOAD, Severity::Warning);
        assert!(
            problem.message.contains(&format!("claim {option}:")),
            "{}",
            problem.message
        );
    }
}

#[test]
fn header_algorithms_qlik_refuses() {
    for alg in ["HS256", "HS384", "HS512"] {
        let header = with(&tutorial_header(), "alg", text(alg));
        let problem = assert_header_problem(header, codes::ALG_HMAC, Severity::Error);
        assert!(problem.message.contains(alg));
    }
    assert_header_problem(
        with(&tutorial_header(), "alg", text("none")),
        codes::ALG_NONE,
        Severity::Error,
    );
    for alg in [text("RS999"), text("rs256"), Value::Null] {
        let header = with(&tutorial_header(), "alg", alg);
        assert_header_problem(header, codes::ALG_UNKNOWN, Severity::Error);
    }
    assert_header_problem(
        without(&tutorial_header(), "alg"),
        codes::ALG_UNKNOWN,
        Severity::Error,
    );
    for alg in ["RS384", "RS512", "PS256", "ES256", "ES512"] {
        let header = with(&tutorial_header(), "alg", text(alg));
        assert!(
            check_claims(&header, &tutorial_payload()).is_empty(),
            "{alg}"
        );
    }
}

#[test]
fn header_kid_must_be_a_non_empty_string() {
    assert_header_problem(
        without(&tutorial_header(), "kid"),
        codes::KID_MISSING,
        Severity::Error,
    );
    assert_header_problem(
        with(&tutorial_header(), "kid", text("")),
        codes::KID_MISSING,
        Severity::Error,
    );
    assert_header_problem(
        with(&tutorial_header(), "kid", Value::Number(1.0)),
        codes::CLAIM_TYPE,
        Severity::Error,
    );
}

#[test]
fn header_typ_other_than_jwt_is_a_warning() {
    assert_header_problem(
        without(&tutorial_header(), "typ"),
        codes::TYP,
        Severity::Warning,
    );
    assert_header_problem(
        with(&tutorial_header(), "typ", text("at+jwt")),
        codes::TYP,
        Severity::Warning,
    );
}

#[test]
fn non_object_parts_are_errors() {
    let problems = check_claims(&text("x"), &Value::Array(vec![]));
    assert_eq!(
        codes_of(&problems),
        vec![codes::NOT_OBJECT, codes::NOT_OBJECT]
    );
    assert!(problems[0].message.contains("header is a string"));
    assert!(problems[1].message.contains("payload is an array"));
}

#[test]
fn every_payload_problem_at_once_is_reported() {
    let payload = parse(
        r#"{"jti":7,"sub":"","subType":"admin","email_verified":"true",
            "iat":1,"nbf":0,"exp":7200,"aud":"qlik.api/jwt-login-session","group":"x",
            "keyid":"k"}"#,
    );
    let mut found = codes_of(&check_claims(&tutorial_header(), &payload));
    found.sort_unstable();
    let mut expected = vec![
        codes::JTI_NUMBER,
        codes::CLAIM_EMPTY,
        codes::SUBTYPE,
        codes::EMAIL_VERIFIED_STRING,
        codes::WINDOW_TOO_LONG,
        codes::AUD_TYPO,
        codes::GROUP_CLAIM,
        codes::OPTION_IN_PAYLOAD,
        codes::CLAIM_MISSING, // iss
        codes::CLAIM_MISSING, // name
        codes::CLAIM_MISSING, // email
    ];
    expected.sort_unstable();
    assert_eq!(found, expected);
}

#[test]
fn every_code_is_documented_in_the_module_table() {
    let doc = include_str!("mod.rs");
    for code in codes::ALL {
        assert!(
            doc.contains(&format!("//! | `{code}` |")),
            "{code} missing from the table"
        );
    }
    let rows = doc
        .lines()
        .filter(|l| l.starts_with("//! | `QLIK_"))
        .count();
    assert_eq!(rows, codes::ALL.len());
}
