//! The checks that need only a token's header and claims: every rule of Qlik's jwt-session
//! profile, and the known mistakes of the tutorial's readers.

use super::problems::{Problem, codes};
use super::{AUDIENCE, rules, show};
use crate::alg::Algorithm;
use crate::value::Value;

/// Every reason Qlik would refuse a token with this header and payload, and the known mistakes
/// in them; empty when Qlik would accept it. Both are what is (or will be) serialized into the
/// token, so `Value::Undefined` members count as absent, as `JSON.stringify` drops them.
///
/// Checks that need more than the token — the identity provider's key id, issuer and
/// certificate, and the current time — are in [`super::explain`].
pub fn check_claims(header: &Value, payload: &Value) -> Vec<Problem> {
    let mut problems = Vec::new();
    match header {
        Value::Object(_) => check_header(header, &mut problems),
        other => problems.push(not_object("header", other)),
    }
    match payload {
        Value::Object(_) => check_payload(payload, &mut problems),
        other => problems.push(not_object("payload", other)),
    }
    problems
}

fn not_object(part: &str, value: &Value) -> Problem {
    Problem::error(
        codes::NOT_OBJECT,
        format!(
            "the {part} is {}: Qlik needs a JSON object of claims; sign an object payload",
            show::kind(value)
        ),
    )
}

/// The member `key` of an object, `None` when absent or `undefined` (as `JSON.stringify`
/// drops it).
pub(crate) fn member<'a>(object: &'a Value, key: &str) -> Option<&'a Value> {
    Some(object.get(key)).filter(|v| !matches!(v, Value::Undefined))
}

fn check_header(header: &Value, problems: &mut Vec<Problem>) {
    match member(header, "alg") {
        Some(Value::String(name)) => match name.parse::<Algorithm>() {
            Ok(alg) => problems.extend(rules::algorithm(alg)),
            Err(_) => problems.push(Problem::error(
                codes::ALG_UNKNOWN,
                format!(
                    "alg is {}, which is not a JWS algorithm: sign with RS256",
                    show::text(name)
                ),
            )),
        },
        Some(other) => problems.push(Problem::error(
            codes::ALG_UNKNOWN,
            format!(
                "alg is {}: it must be the string \"RS256\" (or RS384/RS512)",
                show::value(other)
            ),
        )),
        None => problems.push(Problem::error(
            codes::ALG_UNKNOWN,
            "the header has no alg: sign with RS256",
        )),
    }
    match member(header, "kid") {
        Some(Value::String(kid)) if !kid.is_empty() => {}
        Some(Value::String(_)) | None => problems.push(Problem::error(
            codes::KID_MISSING,
            "the header has no kid: Qlik finds the identity provider by it; set it to the \
             provider's Key ID (jsonwebtoken's keyid option)",
        )),
        Some(other) => problems.push(Problem::error(
            codes::CLAIM_TYPE,
            format!(
                "the header's kid is {}: it must be a string, the identity provider's Key ID",
                show::value(other)
            ),
        )),
    }
    match member(header, "typ") {
        Some(Value::String(typ)) if typ == "JWT" => {}
        found => problems.push(Problem::warning(
            codes::TYP,
            format!(
                "the header's typ is {}: Qlik documents typ \"JWT\"; sign an object payload \
                 with jsonwebtoken (which sets it) or set it in the header",
                found.map_or_else(|| "missing".to_string(), show::value)
            ),
        )),
    }
}

fn check_payload(payload: &Value, problems: &mut Vec<Problem>) {
    let claim = |name: &str| member(payload, name);

    check_string(payload, "iss", "the identity provider's issuer", problems);
    check_audience(claim("aud"), problems);
    check_string(
        payload,
        "sub",
        "the user's stable id in the tenant",
        problems,
    );
    match claim("subType") {
        Some(Value::String(s)) if s == "user" => {}
        None => problems.push(missing("subType", "\"user\"")),
        Some(other) => problems.push(Problem::error(
            codes::SUBTYPE,
            format!(
                "subType is {}: Qlik accepts only the string \"user\"",
                show::value(other)
            ),
        )),
    }
    check_string(payload, "name", "the user's display name", problems);
    match claim("email") {
        Some(Value::String(_)) => {}
        None => problems.push(missing("email", "the user's email address (may be empty)")),
        Some(other) => problems.push(wrong_type("email", other, "a string (may be empty)")),
    }
    match claim("email_verified") {
        Some(Value::Bool(_)) => {}
        None => problems.push(missing("email_verified", "true or false")),
        Some(Value::String(s)) if s == "true" || s == "false" => problems.push(Problem::error(
            codes::EMAIL_VERIFIED_STRING,
            format!(
                "email_verified is the string {s:?}: Qlik needs a boolean; write {s} without \
                 quotes"
            ),
        )),
        Some(other) => problems.push(wrong_type("email_verified", other, "a boolean")),
    }
    match claim("jti") {
        Some(Value::String(jti)) => {
            problems.extend(rules::non_empty("jti", jti));
            problems.extend(rules::jti_strength(jti));
        }
        None => problems.push(missing(
            "jti",
            "a unique random id per token (Qlik accepts each jti once), e.g. 32 random bytes \
             in base64url",
        )),
        Some(Value::Number(n)) => problems.push(Problem::error(
            codes::JTI_NUMBER,
            format!(
                "jti is the number {}: Qlik needs a string; use a random string, e.g. 32 \
                 random bytes in base64url",
                show::number(*n)
            ),
        )),
        Some(other) => problems.push(wrong_type("jti", other, "a string")),
    }
    let iat = check_time(payload, "iat", problems);
    let nbf = check_time(payload, "nbf", problems);
    let exp = check_time(payload, "exp", problems);
    if let (Some(nbf), Some(exp)) = (nbf, exp) {
        problems.extend(rules::window(nbf, exp));
    }
    if let (Some(iat), Some(nbf)) = (iat, nbf)
        && nbf > iat
    {
        problems.push(Problem::warning(
            codes::NBF_AFTER_IAT,
            format!(
                "nbf is {} s after iat: the token is not valid when it is made, so Qlik \
                     refuses it if it is exchanged at once or the tenant clock lags (the \
                     tutorial's notBefore \"1s\" does this); back-date nbf instead, e.g. 30 s \
                     before now (notBefore: -30)",
                show::number(nbf - iat)
            ),
        ));
    }
    check_groups(claim("groups"), problems);
    if claim("group").is_some() {
        problems.push(Problem::warning(
            codes::GROUP_CLAIM,
            "the payload has group: Qlik reads only groups (plural), so these groups are \
             ignored; rename the claim to groups",
        ));
    }
    for (option, belongs) in rules::SIGNING_OPTIONS {
        if claim(option).is_some() {
            problems.push(Problem::warning(
                codes::OPTION_IN_PAYLOAD,
                format!(
                    "the payload has a claim {option}: that is a jsonwebtoken signing option, \
                     and as a claim Qlik ignores it; remove it from the payload and pass it in \
                     the options, where it becomes {belongs}"
                ),
            ));
        }
    }
}

fn missing(claim: &str, expected: &str) -> Problem {
    let extra = if claim == "nbf" {
        " (Qlik answers 400 INTERNAL-TOKEN-1 \"Missing required claim: nbf\")"
    } else {
        ""
    };
    Problem::error(
        codes::CLAIM_MISSING,
        format!("the payload has no {claim}{extra}: Qlik requires it; set it to {expected}"),
    )
}

fn wrong_type(claim: &str, found: &Value, expected: &str) -> Problem {
    Problem::error(
        codes::CLAIM_TYPE,
        format!("{claim} is {}: Qlik needs {expected}", show::value(found)),
    )
}

/// A required, non-empty string claim.
fn check_string(payload: &Value, claim: &str, meaning: &str, problems: &mut Vec<Problem>) {
    match member(payload, claim) {
        Some(Value::String(s)) => problems.extend(rules::non_empty(claim, s)),
        None => problems.push(missing(claim, meaning)),
        Some(other) => problems.push(wrong_type(claim, other, &format!("a string, {meaning}"))),
    }
}

/// A required NumericDate claim; its value when it is one.
fn check_time(payload: &Value, claim: &str, problems: &mut Vec<Problem>) -> Option<f64> {
    match member(payload, claim) {
        Some(Value::Number(n)) if n.is_finite() => Some(*n),
        None => {
            problems.push(missing(claim, "a NumericDate (seconds since the epoch)"));
            None
        }
        Some(other) => {
            problems.push(wrong_type(
                claim,
                other,
                "a number of seconds since the epoch",
            ));
            None
        }
    }
}

fn check_audience(aud: Option<&Value>, problems: &mut Vec<Problem>) {
    match aud {
        Some(Value::String(aud)) => problems.extend(rules::audience(aud)),
        None => problems.push(missing("aud", &format!("{AUDIENCE:?}"))),
        Some(Value::Array(items)) => {
            let only_qlik = matches!(items.as_slice(), [Value::String(a)] if a == AUDIENCE);
            if only_qlik {
                problems.push(Problem::warning(
                    codes::AUD_ARRAY,
                    format!(
                        "aud is an array: Qlik documents aud as exactly the string \
                         {AUDIENCE:?}; pass the audience as a string"
                    ),
                ));
            } else {
                let typo = items
                    .iter()
                    .any(|i| matches!(i, Value::String(a) if a == rules::TYPO_AUDIENCE));
                let (code, note) = if typo {
                    (
                        codes::AUD_TYPO,
                        format!(" (it holds the typo {:?})", rules::TYPO_AUDIENCE),
                    )
                } else {
                    (codes::AUD_MISMATCH, String::new())
                };
                problems.push(Problem::error(
                    code,
                    format!(
                        "aud is an array of {} values{note}: Qlik accepts only the string \
                         {AUDIENCE:?}",
                        items.len()
                    ),
                ));
            }
        }
        Some(other) => problems.push(Problem::error(
            codes::AUD_MISMATCH,
            format!(
                "aud is {}: Qlik accepts only the string {AUDIENCE:?}",
                show::value(other)
            ),
        )),
    }
}

fn check_groups(groups: Option<&Value>, problems: &mut Vec<Problem>) {
    match groups {
        None => {}
        Some(Value::Array(items)) => {
            for (index, item) in items.iter().enumerate() {
                match item {
                    Value::String(name) => problems.extend(rules::group_name(index, name)),
                    other => problems.push(Problem::error(
                        codes::GROUPS_TYPE,
                        format!(
                            "groups[{index}] is {}: Qlik needs every group to be a string; \
                             convert it to the group's name",
                            show::value(other)
                        ),
                    )),
                }
            }
        }
        Some(other) => problems.push(Problem::error(
            codes::GROUPS_TYPE,
            format!(
                "groups is {}: Qlik needs an array of strings, e.g. [\"Sales\"], even for a \
                 single group",
                show::value(other)
            ),
        )),
    }
}
