//! Reading the header and claims of a token already judged well-formed by the core's checks.

use base64::Engine as _;
use base64::alphabet::URL_SAFE;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use serde_json::Value as Json;

const BASE64URL: GeneralPurpose = GeneralPurpose::new(
    &URL_SAFE,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// The decoded header and payload of a compact JWS, or `None` when it is not one.
pub fn decode_parts(token: &str) -> Option<(Json, Json)> {
    let mut parts = token.split('.');
    let (Some(header), Some(payload), Some(_), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    let header = serde_json::from_slice(&BASE64URL.decode(header).ok()?).ok()?;
    let payload = serde_json::from_slice(&BASE64URL.decode(payload).ok()?).ok()?;
    Some((header, payload))
}
