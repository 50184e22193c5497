//! Every reason a client-managed virtual proxy would refuse a token.

use serde_json::{Map, Value as Json};

use super::{VirtualProxySettings, codes};
use crate::alg::Algorithm;
use crate::jws;
use crate::key::VerifyingKey;
use crate::qlik::Problem;
use crate::qlik::objects::header_and_payload;

/// What the virtual proxy with `proxy`'s settings would refuse in `token` at `now_secs`: a wrong
/// algorithm, a signature that the proxy's `certificate` does not verify (when given), a
/// missing or mis-cased attribute, an audience mismatch, and `exp`/`nbf`. Empty when the proxy
/// would accept it; a token that does not decode gives one [`codes::MALFORMED_TOKEN`] problem.
pub fn explain_client_managed(
    token: &str,
    proxy: &VirtualProxySettings,
    certificate: Option<&VerifyingKey>,
    now_secs: i64,
) -> Vec<Problem> {
    let Some(parts) = jws::split(token) else {
        return vec![malformed(
            "a JWT has three parts separated by dots (header.payload.signature)",
        )];
    };
    let (header, payload) = match header_and_payload(&parts, malformed) {
        Ok(objects) => objects,
        Err(problem) => return vec![problem],
    };
    let mut problems = Vec::new();
    let alg = header.get("alg").and_then(Json::as_str).unwrap_or("");
    let allowed = match alg {
        "RS256" => Some(Algorithm::RS256),
        "RS384" => Some(Algorithm::RS384),
        "RS512" => Some(Algorithm::RS512),
        _ => None,
    };
    match (allowed, certificate) {
        (None, _) => problems.push(Problem::error(
            codes::ALG_NOT_ALLOWED,
            format!(
                "alg is {alg:?}: a client-managed virtual proxy takes RS256, RS384 or RS512 only"
            ),
        )),
        (Some(alg), Some(certificate)) => {
            if !jws::verify_parts(&parts, alg, certificate).unwrap_or(false) {
                problems.push(Problem::error(
                    codes::SIGNATURE_INVALID,
                    "the signature does not verify with the proxy's certificate: the token was \
                     signed with a key that certificate does not belong to (an old certificate \
                     still configured?)",
                ));
            }
        }
        (Some(_), None) => {}
    }
    check_attributes(&payload, proxy, &mut problems);
    check_audience(&payload, proxy, &mut problems);
    check_times(&payload, now_secs, &mut problems);
    problems
}

fn malformed(message: impl Into<String>) -> Problem {
    Problem::error(codes::MALFORMED_TOKEN, message)
}

fn check_attributes(
    payload: &Map<String, Json>,
    proxy: &VirtualProxySettings,
    problems: &mut Vec<Problem>,
) {
    let mut wanted: Vec<(&str, String, bool)> = vec![
        (
            &proxy.user_id_attribute,
            "the user id attribute".to_owned(),
            true,
        ),
        (
            &proxy.user_directory_attribute,
            "the user directory attribute".to_owned(),
            true,
        ),
    ];
    for mapping in &proxy.attributes {
        let what = format!(
            "the attribute map's {:?} (senseAttribute)",
            mapping.sense_attribute
        );
        wanted.push((&mapping.jwt_attribute, what, mapping.is_mandatory));
    }
    for (at, (name, what, mandatory)) in wanted.into_iter().enumerate() {
        if let Some(value) = payload.get(name) {
            if at < 2 && value.as_str().is_none_or(str::is_empty) {
                problems.push(Problem::error(
                    codes::ATTRIBUTE_NOT_TEXT,
                    format!("{name:?} ({what}) is {value}: it must be a non-empty string"),
                ));
            }
            continue;
        }
        let near = payload.keys().find(|key| key.eq_ignore_ascii_case(name));
        let problem = match near {
            Some(near) => {
                let message = format!(
                    "the token has {near:?} where the proxy reads {name:?} ({what}): names match \
                     exactly, case included"
                );
                if mandatory {
                    Problem::error(codes::ATTRIBUTE_CASE, message)
                } else {
                    Problem::warning(codes::ATTRIBUTE_CASE, message)
                }
            }
            None if mandatory => Problem::error(
                codes::ATTRIBUTE_MISSING,
                format!("the token has no {name:?} claim ({what}), which the proxy requires"),
            ),
            None => continue,
        };
        problems.push(problem);
    }
}

fn check_audience(
    payload: &Map<String, Json>,
    proxy: &VirtualProxySettings,
    problems: &mut Vec<Problem>,
) {
    let Some(expected) = proxy.audience.as_deref() else {
        return;
    };
    let matches = match payload.get("aud") {
        Some(Json::String(aud)) => aud == expected,
        Some(Json::Array(auds)) => auds.iter().any(|aud| aud.as_str() == Some(expected)),
        _ => false,
    };
    if !matches {
        let found = payload
            .get("aud")
            .map_or_else(|| "no aud".to_owned(), |aud| format!("aud {aud}"));
        problems.push(Problem::error(
            codes::AUDIENCE_MISMATCH,
            format!("the proxy expects the audience {expected:?}; the token has {found}"),
        ));
    }
}

fn check_times(payload: &Map<String, Json>, now_secs: i64, problems: &mut Vec<Problem>) {
    let now = now_secs as f64;
    for claim in ["exp", "nbf"] {
        let Some(value) = payload.get(claim) else {
            if claim == "exp" {
                problems.push(Problem::warning(
                    codes::NO_EXPIRY,
                    "the token has no exp, so it never expires: give it a lifetime of minutes",
                ));
            }
            continue;
        };
        let Some(at) = value.as_f64() else {
            problems.push(Problem::error(
                codes::TIME_NOT_NUMBER,
                format!("{claim} is {value}: it must be a number of seconds since the epoch"),
            ));
            continue;
        };
        if claim == "exp" && now >= at {
            problems.push(Problem::error(
                codes::EXPIRED,
                format!(
                    "the token expired {} s ago (exp {at}, now {now_secs})",
                    now - at
                ),
            ));
        }
        if claim == "nbf" && now < at {
            problems.push(Problem::error(
                codes::NOT_YET_VALID,
                format!(
                    "the token is valid only in {} s (nbf {at}, now {now_secs}): is a clock off?",
                    at - now
                ),
            ));
        }
    }
}
