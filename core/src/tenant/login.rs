//! `POST /login/jwt-session`: the token judged by the core's Qlik checks ([`crate::qlik::explain`]),
//! the refusals answered the way Qlik answers them.

use super::errors::{ErrorEntry, codes};
use crate::qlik::{Problem, Severity, codes as problem};

/// The answers for a token `explain` found errors in, most decisive first: what Qlik checks
/// first (the token's form, key and signature) before what it checks later (claims), so that a
/// forged token is refused as forged whatever its claims say.
pub(crate) fn refusals(problems: &[Problem]) -> Vec<ErrorEntry> {
    let mut entries: Vec<(u8, ErrorEntry)> = problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .map(refusal)
        .collect();
    entries.sort_by_key(|(rank, _)| *rank);
    entries.into_iter().map(|(_, entry)| entry).collect()
}

/// One error problem as Qlik's answer, with its rank in Qlik's order of checks.
fn refusal(p: &Problem) -> (u8, ErrorEntry) {
    let detail = p.message.clone();
    let entry = |status, code, title: &str| ErrorEntry::new(status, code, title, detail.clone());
    match p.code {
        problem::MALFORMED_TOKEN | problem::NOT_OBJECT => {
            (0, entry(401, codes::BAD_SIGNATURE, "Invalid JWT"))
        }
        problem::ALG_NONE | problem::ALG_HMAC | problem::ALG_UNKNOWN => (
            1,
            entry(401, codes::BAD_SIGNATURE, "Invalid JWT signing algorithm"),
        ),
        problem::KID_MISSING | problem::KID_MISMATCH => (
            2,
            entry(
                401,
                codes::BAD_SIGNATURE,
                "No identity provider with this key id",
            ),
        ),
        problem::SIGNATURE_MISMATCH => {
            (3, entry(401, codes::BAD_SIGNATURE, "Invalid JWT signature"))
        }
        problem::ISSUER_MISMATCH => (
            4,
            entry(
                401,
                codes::INVALID_TOKEN,
                "No identity provider with this issuer",
            ),
        ),
        problem::CLAIM_MISSING => {
            let title = match missing_claim(&p.message) {
                Some(claim) => format!("Missing required claim: {claim}"),
                None => "Missing required claim".to_owned(),
            };
            (5, entry(400, codes::MISSING_CLAIM, &title))
        }
        problem::CLAIM_TYPE
        | problem::CLAIM_EMPTY
        | problem::JTI_NUMBER
        | problem::EMAIL_VERIFIED_STRING
        | problem::GROUPS_TYPE => (6, entry(400, codes::BAD_CLAIM, "Invalid claim")),
        problem::EXPIRED => (7, entry(401, codes::INVALID_TOKEN, "JWT expired")),
        problem::NOT_YET_VALID => (7, entry(401, codes::INVALID_TOKEN, "JWT not active yet")),
        _ => (8, entry(401, codes::INVALID_TOKEN, "Invalid JWT claims")),
    }
}

/// The claim a `QLIK_CLAIM_MISSING` message names ("the payload has no nbf ...").
fn missing_claim(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("the payload has no ")?;
    let claim = rest.split([' ', ':', ',']).next()?;
    (!claim.is_empty()).then_some(claim)
}

#[cfg(test)]
mod tests {
    use super::missing_claim;

    #[test]
    fn claim_names_come_from_the_message() {
        assert_eq!(
            missing_claim("the payload has no nbf (Qlik answers ...)"),
            Some("nbf")
        );
        assert_eq!(
            missing_claim("the payload has no jti: Qlik requires it"),
            Some("jti")
        );
        assert_eq!(missing_claim("something else"), None);
    }
}
