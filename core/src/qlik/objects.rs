//! A token's header and payload read as JSON objects, for the explainers that judge them as
//! such (client-managed tokens, OAuth client assertions).

use serde_json::{Map, Value as Json};

use super::Problem;
use crate::base64url;
use crate::jws::Parts;

/// A decoded JSON object.
type Object = Map<String, Json>;

/// The header and payload of `parts` as JSON objects, or the problem (made by `malformed`) of
/// the first that is not base64url or not a JSON object.
pub(crate) fn header_and_payload(
    parts: &Parts<'_>,
    malformed: fn(String) -> Problem,
) -> Result<(Object, Object), Problem> {
    let object = |text: &str, what: &str| -> Result<Object, Problem> {
        let bytes = base64url::decode(text)
            .ok_or_else(|| malformed(format!("the {what} is not base64url")))?;
        match serde_json::from_slice(&bytes) {
            Ok(Json::Object(map)) => Ok(map),
            _ => Err(malformed(format!("the {what} is not a JSON object"))),
        }
    };
    Ok((
        object(parts.header, "header")?,
        object(parts.payload, "payload")?,
    ))
}
