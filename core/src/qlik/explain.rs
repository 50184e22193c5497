//! Explaining a whole token: its header and claims, and what needs more than the token — the
//! identity provider's settings, its certificate and the current time.

use super::checks::{check_claims, member};
use super::problems::{Problem, codes};
use super::{rules, show};
use crate::alg::Algorithm;
use crate::base64url;
use crate::jws::{self, Parts};
use crate::key::VerifyingKey;
use crate::value::Value;

/// The identity provider settings a token is checked against; each is optional.
#[derive(Debug, Clone, Default)]
pub struct IdentityProvider {
    /// The provider's issuer.
    pub issuer: Option<String>,
    /// The provider's Key ID.
    pub key_id: Option<String>,
    /// The provider's certificate or public key.
    pub certificate: Option<VerifyingKey>,
    /// The provider's clock tolerance in seconds; `None` (Qlik's default is undocumented) is
    /// taken as no tolerance.
    pub clock_tolerance_secs: Option<i64>,
}

/// Every reason Qlik would refuse `token` at `now_secs`, and the known mistakes in it; empty
/// when Qlik would accept it.
///
/// Runs [`check_claims`] on the decoded header and payload, then compares `kid` and `iss` with
/// the provider's, verifies the signature with the provider's certificate, and checks `exp` and
/// `nbf` against `now_secs` with the provider's clock tolerance. A token that does not decode
/// gives a single [`codes::MALFORMED_TOKEN`] problem.
pub fn explain(token: &str, provider: &IdentityProvider, now_secs: i64) -> Vec<Problem> {
    let decoded = match Decoded::new(token) {
        Ok(decoded) => decoded,
        Err(problem) => return vec![problem],
    };
    let mut problems = check_claims(&decoded.header, &decoded.payload);
    check_provider(&decoded, provider, &mut problems);
    check_times(
        &decoded.payload,
        provider.clock_tolerance_secs,
        now_secs,
        &mut problems,
    );
    problems
}

/// A token split and decoded into JSON.
struct Decoded<'a> {
    header: Value,
    payload: Value,
    parts: Parts<'a>,
}

impl<'a> Decoded<'a> {
    fn new(token: &'a str) -> Result<Self, Problem> {
        if token.trim().is_empty() {
            return Err(malformed("the token is empty: pass the JWT itself"));
        }
        if token
            .get(..7)
            .is_some_and(|start| start.eq_ignore_ascii_case("bearer "))
        {
            return Err(malformed(
                "the token starts with \"Bearer \": that belongs in the Authorization header, \
                 not in the token; pass the JWT alone",
            ));
        }
        if token.trim() != token {
            return Err(malformed(
                "the token has spaces or line breaks around it: pass the JWT alone, with \
                 nothing before or after it",
            ));
        }
        let parts = jws::split(token).ok_or_else(|| {
            malformed(format!(
                "the token has {} parts separated by dots: a JWT has three (header, payload, \
                 signature)",
                token.matches('.').count() + 1
            ))
        })?;
        if base64url::decode(parts.signature).is_none() {
            return Err(malformed(
                "the signature is not base64url: the token was cut or altered",
            ));
        }
        Ok(Decoded {
            header: decode_json("header", parts.header)?,
            payload: decode_json("payload", parts.payload)?,
            parts,
        })
    }
}

fn malformed(message: impl Into<String>) -> Problem {
    Problem::error(codes::MALFORMED_TOKEN, message)
}

fn decode_json(part: &str, encoded: &str) -> Result<Value, Problem> {
    let bytes = base64url::decode(encoded).ok_or_else(|| {
        malformed(format!(
            "the {part} is not base64url: the token was cut or altered"
        ))
    })?;
    Value::from_json_str(&String::from_utf8_lossy(&bytes)).map_err(|_| {
        malformed(format!(
            "the {part} is not JSON: the token was not made by a JWT library"
        ))
    })
}

fn string_member<'v>(part: &'v Value, key: &str) -> Option<&'v str> {
    match part {
        Value::Object(_) => match member(part, key) {
            Some(Value::String(s)) => Some(s),
            _ => None,
        },
        _ => None,
    }
}

fn check_provider(decoded: &Decoded<'_>, provider: &IdentityProvider, problems: &mut Vec<Problem>) {
    if let (Some(expected), Some(kid)) = (&provider.key_id, string_member(&decoded.header, "kid"))
        && kid != expected
        && !kid.is_empty()
    {
        problems.push(Problem::error(
            codes::KID_MISMATCH,
            format!(
                "kid is {} but the identity provider's Key ID is {}: Qlik finds no provider for \
                 this token (401); sign with keyid set to the provider's Key ID",
                show::text(kid),
                show::text(expected)
            ),
        ));
    }
    if let (Some(expected), Some(iss)) = (&provider.issuer, string_member(&decoded.payload, "iss"))
        && iss != expected
        && !iss.is_empty()
    {
        problems.push(Problem::error(
            codes::ISSUER_MISMATCH,
            format!(
                "iss is {} but the identity provider's issuer is {}: Qlik refuses the token; \
                 sign with issuer set to the provider's issuer",
                show::text(iss),
                show::text(expected)
            ),
        ));
    }
    if let Some(certificate) = &provider.certificate {
        let alg = string_member(&decoded.header, "alg").and_then(|name| name.parse().ok());
        // HS*, none and unknown algorithms are reported by the header checks already.
        if let Some(alg) = alg.filter(|alg: &Algorithm| rules::algorithm(*alg).is_none()) {
            problems.extend(check_signature(decoded, certificate, alg));
        }
    }
}

fn check_signature(
    decoded: &Decoded<'_>,
    certificate: &VerifyingKey,
    alg: Algorithm,
) -> Option<Problem> {
    match jws::verify_parts(&decoded.parts, alg, certificate) {
        Ok(true) => None,
        Ok(false) => Some(Problem::error(
            codes::SIGNATURE_MISMATCH,
            "the signature does not verify with the identity provider's certificate: the \
             certificate does not match the key that signed this token (or the token was \
             altered); sign with the private key of that certificate, or put the certificate \
             of the signing key in a new identity provider",
        )),
        Err(error) => Some(Problem::error(
            codes::SIGNATURE_MISMATCH,
            format!(
                "the identity provider's certificate cannot verify {alg} tokens ({}): the \
                 certificate does not match the key that signed this token; sign with the \
                 private key of that certificate",
                error.message()
            ),
        )),
    }
}

fn check_times(
    payload: &Value,
    tolerance: Option<i64>,
    now_secs: i64,
    problems: &mut Vec<Problem>,
) {
    let Value::Object(_) = payload else {
        return;
    };
    let time = |claim| match member(payload, claim) {
        Some(Value::Number(n)) if n.is_finite() => Some(*n),
        _ => None,
    };
    let now = now_secs as f64;
    let allowed = tolerance.unwrap_or(0).max(0) as f64;
    let tolerance_note = match tolerance {
        Some(t) => format!("the identity provider's clock tolerance is {t} s"),
        None => "with no clock tolerance; the provider's clockToleranceSec may allow more".into(),
    };
    if let Some(exp) = time("exp")
        && now >= exp + allowed
    {
        problems.push(Problem::error(
            codes::EXPIRED,
            format!(
                "the token expired at {}, {} s before now ({tolerance_note}): Qlik refuses \
                 it; sign a new token right before each exchange",
                show::utc(exp),
                show::number(now - exp)
            ),
        ));
    }
    if let Some(nbf) = time("nbf") {
        if nbf > now + allowed {
            problems.push(Problem::error(
                codes::NOT_YET_VALID,
                format!(
                    "nbf is {}, {} s from now ({tolerance_note}): Qlik refuses the token until \
                     then; back-date nbf (e.g. 30 s before the signing instant) so that it is \
                     valid at once even when the tenant clock lags",
                    show::utc(nbf),
                    show::number(nbf - now)
                ),
            ));
        } else if nbf > now {
            problems.push(Problem::warning(
                codes::NBF_IN_FUTURE,
                format!(
                    "nbf is {} s from now: Qlik accepts the token only because {tolerance_note}; \
                     back-date nbf (e.g. 30 s before the signing instant) instead of relying on \
                     it (the tutorial's notBefore \"1s\" has this problem)",
                    show::number(nbf - now)
                ),
            ));
        }
    }
}
