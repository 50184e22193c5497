//! A token made for Qlik Cloud that Qlik would refuse, refused before it is signed: the rule
//! the packages' `sign` ([`crate::drop_in`]) adds to `jsonwebtoken`'s.

use super::problems::Severity;
use super::{AUDIENCE, check_claims};
use crate::error::{Error, Result};
use crate::value::Value;

/// Whether an `aud` claim names Qlik Cloud: [`AUDIENCE`], alone or in an array.
pub fn is_qlik_audience(aud: &Value) -> bool {
    let is_qlik = |v: &Value| matches!(v, Value::String(s) if s == AUDIENCE);
    match aud {
        Value::Array(items) => items.iter().any(is_qlik),
        other => is_qlik(other),
    }
}

/// A [`crate::ErrorCode::QlikRule`] error naming every reason Qlik would refuse a token with
/// this header and these claims (the errors of [`check_claims`], warnings left out); `Ok`
/// when there is none.
pub fn refuse_what_qlik_refuses(header: &Value, claims: &Value) -> Result<()> {
    let refusals: Vec<String> = check_claims(header, claims)
        .into_iter()
        .filter(|problem| problem.severity == Severity::Error)
        .map(|problem| format!("{} ({})", problem.message, problem.code))
        .collect();
    if refusals.is_empty() {
        return Ok(());
    }
    Err(Error::qlik(format!(
        "Qlik Cloud would refuse this token for the audience \"{AUDIENCE}\": {}",
        refusals.join("; ")
    )))
}
