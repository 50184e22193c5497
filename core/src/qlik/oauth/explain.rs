//! Every reason Qlik Cloud would refuse a client assertion, against the OAuth client registered
//! in the tenant: what a developer reads in `qlik-jwt oauth explain`, and what the local tenant
//! judges assertions with.

use serde_json::{Map, Value as Json};

use super::registered::RegisteredClient;
use super::uuid::is_uuid;
use super::{ALGORITHMS, MAX_LIFETIME_SECS, TOKEN_PATH, codes};
use crate::alg::Algorithm;
use crate::jws;
use crate::qlik::Problem;
use crate::qlik::objects::header_and_payload;

/// What an assertion Qlik would accept says: the claims a token endpoint needs next (the
/// `jti` to remember against replays until `expires_at`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcceptedAssertion {
    /// The OAuth client ID (`iss` = `sub`).
    pub client_id: String,
    /// The header `kid`.
    pub key_id: String,
    /// The header `alg`.
    pub algorithm: Algorithm,
    /// The `jti`.
    pub jti: String,
    /// `iat`, seconds since the epoch.
    pub issued_at: i64,
    /// `exp`, seconds since the epoch.
    pub expires_at: i64,
}

/// Every reason Qlik Cloud would refuse `token` as a client assertion of `client` at `now_secs`
/// (seconds since the epoch). Empty when Qlik would accept it (as far as the assertion goes: a
/// `jti` seen before is the token endpoint's to refuse, with [`codes::JTI_REPLAYED`]).
pub fn explain_client_assertion(
    token: &str,
    client: &RegisteredClient,
    now_secs: i64,
) -> Vec<Problem> {
    match judge(token, client, now_secs) {
        Ok(_) => Vec::new(),
        Err(problems) => problems,
    }
}

impl RegisteredClient {
    /// [`explain_client_assertion`] for this client.
    pub fn explain(&self, token: &str, now_secs: i64) -> Vec<Problem> {
        explain_client_assertion(token, self, now_secs)
    }

    /// Whether Qlik Cloud would accept `token` from this client at `now_secs`.
    pub fn accepts(&self, token: &str, now_secs: i64) -> bool {
        judge(token, self, now_secs).is_ok()
    }

    /// The accepted assertion's claims, or every reason it would be refused.
    pub fn check(&self, token: &str, now_secs: i64) -> Result<AcceptedAssertion, Vec<Problem>> {
        judge(token, self, now_secs)
    }
}

/// The problem a token endpoint reports for a `jti` it has accepted before.
pub fn replayed_jti(jti: &str) -> Problem {
    Problem::error(
        codes::JTI_REPLAYED,
        format!(
            "the jti {} was used before: every token request needs a new assertion with a new \
             UUID (sign again rather than resend)",
            quoted(&Json::String(jti.to_owned()))
        ),
    )
}

fn judge(
    token: &str,
    client: &RegisteredClient,
    now_secs: i64,
) -> Result<AcceptedAssertion, Vec<Problem>> {
    let Some(parts) = jws::split(token) else {
        return Err(vec![malformed(
            "a JWT has three base64url parts separated by dots (header.payload.signature)",
        )]);
    };
    let (header, payload) = match header_and_payload(&parts, malformed) {
        Ok(objects) => objects,
        Err(problem) => return Err(vec![problem]),
    };
    let mut problems = Vec::new();
    let algorithm = check_algorithm(&header, client, &mut problems);
    let key_id = check_key_id(&header, client, &mut problems);
    if let (Some(alg), Some(registered)) = (algorithm, client.key.as_ref())
        && !jws::verify_parts(&parts, alg, registered.key()).unwrap_or(false)
    {
        problems.push(Problem::error(
            codes::SIGNATURE_INVALID,
            "the signature does not verify with the public key registered on the OAuth client: \
             the assertion was signed with another private key (or altered)",
        ));
    }
    let client_id = check_issuer(&payload, client, &mut problems);
    check_audience(&payload, client, &mut problems);
    let jti = check_jti(&payload, &mut problems);
    let times = check_times(&payload, now_secs, &mut problems);
    match (algorithm, key_id, client_id, jti, times) {
        (Some(algorithm), Some(key_id), Some(client_id), Some(jti), Some((iat, exp)))
            if problems.is_empty() =>
        {
            Ok(AcceptedAssertion {
                client_id,
                key_id,
                algorithm,
                jti,
                issued_at: iat,
                expires_at: exp,
            })
        }
        _ => Err(problems),
    }
}

fn malformed(message: impl Into<String>) -> Problem {
    Problem::error(codes::MALFORMED_ASSERTION, message)
}

fn missing(claim: &str, what: &str) -> Problem {
    Problem::error(
        codes::CLAIM_MISSING,
        format!("the assertion has no {claim}: it must carry {what}"),
    )
}

/// A JSON value for a message, cut when long.
fn quoted(value: &Json) -> String {
    let text = value.to_string();
    if text.chars().count() > 80 {
        let cut: String = text.chars().take(77).collect();
        format!("{cut}...")
    } else {
        text
    }
}

/// The header `alg`, when Qlik takes it and it fits the registered key.
fn check_algorithm(
    header: &Map<String, Json>,
    client: &RegisteredClient,
    problems: &mut Vec<Problem>,
) -> Option<Algorithm> {
    let allowed = "Qlik Cloud takes RS256, RS512 or ES384";
    let alg = match header.get("alg") {
        Some(Json::String(name)) => name,
        Some(other) => {
            problems.push(Problem::error(
                codes::ALG_NOT_ALLOWED,
                format!("alg is {}: it must be a string; {allowed}", quoted(other)),
            ));
            return None;
        }
        None => {
            problems.push(Problem::error(
                codes::ALG_NOT_ALLOWED,
                format!("the header has no alg: {allowed}"),
            ));
            return None;
        }
    };
    let Some(algorithm) = alg
        .parse::<Algorithm>()
        .ok()
        .filter(|algorithm| ALGORITHMS.contains(algorithm))
    else {
        let why = match alg.as_str() {
            "none" => "an unsigned assertion proves nothing",
            name if name.starts_with("HS") => {
                "a shared-secret algorithm; a private key JWT is signed with a private key"
            }
            name if name.starts_with("PS") => "RSA-PSS, which Qlik does not list",
            "ES256" | "ES512" => "not on P-384; Qlik's only EC algorithm is ES384",
            _ => "not one of Qlik's algorithms",
        };
        problems.push(Problem::error(
            codes::ALG_NOT_ALLOWED,
            format!("alg is {alg:?} ({why}): {allowed}"),
        ));
        return None;
    };
    let Some(registered) = client.key.as_ref() else {
        return Some(algorithm);
    };
    if let Some(expected) = registered.algorithm()
        && expected != algorithm
    {
        problems.push(Problem::error(
            codes::ALG_MISMATCH,
            format!(
                "alg is {algorithm} but the JWK registered on the OAuth client says {expected}: \
                 sign with {expected}, or register the key with alg {algorithm}"
            ),
        ));
        return None;
    }
    if crate::alg::Family::Rsa == algorithm.family()
        && !matches!(registered.key().kind(), crate::key::KeyKind::Rsa { .. })
        || algorithm == Algorithm::ES384
            && !matches!(
                registered.key().kind(),
                crate::key::KeyKind::Ec {
                    curve: crate::key::Curve::P384
                }
            )
    {
        problems.push(Problem::error(
            codes::ALG_MISMATCH,
            format!(
                "alg is {algorithm} but the registered public key is {}",
                registered.key().kind().describe()
            ),
        ));
        return None;
    }
    Some(algorithm)
}

/// The header `kid`, when present and equal to the registered one.
fn check_key_id(
    header: &Map<String, Json>,
    client: &RegisteredClient,
    problems: &mut Vec<Problem>,
) -> Option<String> {
    let kid = match header.get("kid") {
        Some(Json::String(kid)) if !kid.is_empty() => kid.clone(),
        Some(Json::String(_)) | None => {
            problems.push(Problem::error(
                codes::KID_MISSING,
                "the header has no kid (or an empty one): Qlik requires the kid of the JWK \
                 registered on the OAuth client",
            ));
            return None;
        }
        Some(other) => {
            problems.push(Problem::error(
                codes::KID_MISSING,
                format!(
                    "kid is {}: it must be the string kid of the registered JWK",
                    quoted(other)
                ),
            ));
            return None;
        }
    };
    if let Some(expected) = client.key.as_ref().and_then(|key| key.key_id())
        && expected != kid
    {
        problems.push(Problem::error(
            codes::KID_MISMATCH,
            format!(
                "kid is {kid:?} but the JWK registered on the OAuth client has kid {expected:?}"
            ),
        ));
        return None;
    }
    Some(kid)
}

/// `iss` and `sub`: both the client ID. Returns the client ID when both are right.
fn check_issuer(
    payload: &Map<String, Json>,
    client: &RegisteredClient,
    problems: &mut Vec<Problem>,
) -> Option<String> {
    let expected = client.client_id.as_str();
    let mut text = |claim: &str| -> Option<String> {
        match payload.get(claim) {
            Some(Json::String(value)) => Some(value.clone()),
            Some(other) => {
                problems.push(Problem::error(
                    codes::CLAIM_TYPE,
                    format!(
                        "{claim} is {}: it must be the client ID as a string",
                        quoted(other)
                    ),
                ));
                None
            }
            None => {
                problems.push(missing(
                    claim,
                    &format!("the OAuth client ID ({expected:?})"),
                ));
                None
            }
        }
    };
    let iss = text("iss");
    let sub = text("sub");
    let mut right = true;
    if let Some(iss) = &iss
        && iss != expected
    {
        problems.push(Problem::error(
            codes::ISS_MISMATCH,
            format!("iss is {iss:?}: it must be the OAuth client ID, {expected:?}"),
        ));
        right = false;
    }
    if let Some(sub) = &sub
        && (Some(sub) != iss.as_ref() || sub != expected)
    {
        let message = match &iss {
            Some(iss) if sub != iss => format!(
                "sub is {sub:?} but iss is {iss:?}: both must be the OAuth client ID, \
                 {expected:?} (sub is not a user here)"
            ),
            _ => format!("sub is {sub:?}: it must be the OAuth client ID, {expected:?}"),
        };
        problems.push(Problem::error(codes::SUB_MISMATCH, message));
        right = false;
    }
    (right && iss.is_some() && sub.is_some()).then(|| expected.to_owned())
}

fn check_audience(
    payload: &Map<String, Json>,
    client: &RegisteredClient,
    problems: &mut Vec<Problem>,
) {
    let expected = client.audience.as_str();
    let aud = match payload.get("aud") {
        Some(Json::String(aud)) => aud,
        Some(Json::Array(items)) => {
            problems.push(Problem::error(
                codes::AUD_MISMATCH,
                format!(
                    "aud is the array {}: Qlik wants the token endpoint as one string, {expected:?}",
                    quoted(&Json::Array(items.clone()))
                ),
            ));
            return;
        }
        Some(other) => {
            problems.push(Problem::error(
                codes::CLAIM_TYPE,
                format!(
                    "aud is {}: it must be the string {expected:?}",
                    quoted(other)
                ),
            ));
            return;
        }
        None => {
            problems.push(missing(
                "aud",
                &format!("the tenant's token endpoint, {expected:?}"),
            ));
            return;
        }
    };
    if aud == expected {
        return;
    }
    let origin = expected.strip_suffix(TOKEN_PATH).unwrap_or(expected);
    let why = if aud.trim_end_matches('/') == expected {
        "a trailing slash: Qlik compares the audience exactly, with no trailing slash".to_owned()
    } else if aud.strip_prefix("http://") == expected.strip_prefix("https://") {
        "http where the token endpoint is https".to_owned()
    } else if aud.trim_end_matches('/') == origin {
        format!("the tenant alone: the audience is the token endpoint, {origin}{TOKEN_PATH}")
    } else if aud.starts_with(origin) {
        format!("another path on the tenant: the audience is exactly {origin}{TOKEN_PATH}")
    } else if aud.eq_ignore_ascii_case(expected) {
        "differs in case: Qlik compares the audience exactly".to_owned()
    } else {
        "another address: is the assertion meant for another tenant?".to_owned()
    };
    problems.push(Problem::error(
        codes::AUD_MISMATCH,
        format!("aud is {aud:?}, not {expected:?}: {why}"),
    ));
}

fn check_jti(payload: &Map<String, Json>, problems: &mut Vec<Problem>) -> Option<String> {
    match payload.get("jti") {
        Some(Json::String(jti)) if is_uuid(jti) => Some(jti.clone()),
        Some(Json::String(jti)) => {
            problems.push(Problem::error(
                codes::JTI_NOT_UUID,
                format!(
                    "jti is {}: Qlik wants a new UUID for every request, e.g. \
                     550e8400-e29b-41d4-a716-446655440000",
                    quoted(&Json::String(jti.clone()))
                ),
            ));
            None
        }
        Some(other) => {
            problems.push(Problem::error(
                codes::CLAIM_TYPE,
                format!("jti is {}: it must be a UUID string", quoted(other)),
            ));
            None
        }
        None => {
            problems.push(missing("jti", "a new UUID for every request"));
            None
        }
    }
}

/// `iat` and `exp` (and `nbf` when present) against the 300 s limit and `now_secs`.
fn check_times(
    payload: &Map<String, Json>,
    now_secs: i64,
    problems: &mut Vec<Problem>,
) -> Option<(i64, i64)> {
    let mut number = |claim: &str, what: &str| -> Option<f64> {
        match payload.get(claim) {
            Some(value) if value.is_number() => value.as_f64(),
            Some(other) => {
                problems.push(Problem::error(
                    codes::CLAIM_TYPE,
                    format!(
                        "{claim} is {}: it must be a number of seconds since the epoch",
                        quoted(other)
                    ),
                ));
                None
            }
            None => {
                problems.push(missing(claim, what));
                None
            }
        }
    };
    let iat = number("iat", "the instant it was made (seconds since the epoch)");
    let exp = number("exp", "its expiry, at most 300 s after iat");
    let now = now_secs as f64;
    if let Some(nbf) = payload.get("nbf").and_then(Json::as_f64)
        && nbf > now
    {
        problems.push(Problem::error(
            codes::NOT_YET_VALID,
            format!(
                "nbf is {nbf}, {} s after now ({now_secs}): is a clock off?",
                nbf - now
            ),
        ));
    }
    if let Some(iat) = iat
        && iat > now
    {
        problems.push(Problem::error(
            codes::ISSUED_IN_FUTURE,
            format!(
                "iat is {iat}, {} s after now ({now_secs}): the signing machine's clock is ahead, \
                 or iat is in milliseconds",
                iat - now
            ),
        ));
    }
    if let Some(exp) = exp
        && now >= exp
    {
        problems.push(Problem::error(
            codes::EXPIRED,
            format!(
                "the assertion expired {} s ago (exp {exp}, now {now_secs}): sign a new one for \
                 each request",
                now - exp
            ),
        ));
    }
    let (iat, exp) = (iat?, exp?);
    if exp <= iat {
        problems.push(Problem::error(
            codes::EXP_NOT_AFTER_IAT,
            format!("exp ({exp}) is not after iat ({iat}): the assertion is never valid"),
        ));
        return None;
    }
    if exp - iat > MAX_LIFETIME_SECS as f64 {
        problems.push(Problem::error(
            codes::LIFETIME_TOO_LONG,
            format!(
                "exp is {} s after iat: Qlik takes at most {MAX_LIFETIME_SECS} s (5 minutes)",
                exp - iat
            ),
        ));
        return None;
    }
    Some((iat as i64, exp as i64))
}
