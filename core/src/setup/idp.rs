//! The identity provider's settings as the JSON body of `POST /api/v1/identity-providers`.

use serde_json::{Map, Value as Json};

use super::single_line_pem;
use crate::error::{Error, ErrorCode, Result};

/// A JWT identity provider, as the tenant admin creates it in the management console or with
/// `POST /api/v1/identity-providers`.
///
/// The body follows the `CreateJWTAuthPayload` type of Qlik's `@qlik/api` package:
/// `{ protocol: "jwtAuth", provider: "external", description?, clockToleranceSec?,
/// options: { issuer, staticKeys: [{ kid, pem }] } }`. `clockToleranceSec` sits at the top
/// level there, not inside `options`. Qlik limits `staticKeys` to one key per provider. The
/// type says nothing of line breaks in `pem`; the tutorial says the console refuses them, so
/// the body always carries the single-line form. Qlik's default clock tolerance is not
/// documented: leaving it out leaves Qlik's default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentityProviderConfig {
    /// The provider's issuer: the `iss` every token must carry.
    pub issuer: String,
    /// The provider's Key ID: the `kid` every token's header must carry.
    pub key_id: String,
    /// The certificate or public key, PEM (line breaks allowed; they are removed).
    pub certificate_pem: String,
    /// Optional description shown in the console.
    pub description: Option<String>,
    /// Optional clock tolerance in seconds (Qlik rounds decimals); zero or more.
    pub clock_tolerance_secs: Option<i64>,
}

impl IdentityProviderConfig {
    /// The JSON value of the request body; fails when the certificate is not a PEM certificate
    /// or public key, or the clock tolerance is negative.
    pub fn to_json_value(&self) -> Result<Json> {
        if let Some(tolerance) = self.clock_tolerance_secs.filter(|t| *t < 0) {
            return Err(Error::plain(
                ErrorCode::InvalidOption,
                format!(
                    "the clock tolerance is {tolerance} s: Qlik's clockToleranceSec takes zero \
                     or more seconds"
                ),
            ));
        }
        let pem = single_line_pem(&self.certificate_pem)?;
        let mut key = Map::new();
        key.insert("kid".into(), Json::String(self.key_id.clone()));
        key.insert("pem".into(), Json::String(pem));
        let mut options = Map::new();
        options.insert("issuer".into(), Json::String(self.issuer.clone()));
        options.insert("staticKeys".into(), Json::Array(vec![Json::Object(key)]));
        let mut body = Map::new();
        body.insert("protocol".into(), Json::String("jwtAuth".into()));
        body.insert("provider".into(), Json::String("external".into()));
        if let Some(description) = &self.description {
            body.insert("description".into(), Json::String(description.clone()));
        }
        body.insert("options".into(), Json::Object(options));
        if let Some(tolerance) = self.clock_tolerance_secs {
            body.insert("clockToleranceSec".into(), Json::from(tolerance));
        }
        Ok(Json::Object(body))
    }

    /// The request body as pretty-printed JSON text.
    pub fn to_json(&self) -> Result<String> {
        let value = self.to_json_value()?;
        Ok(serde_json::to_string_pretty(&value).unwrap_or_default())
    }
}
