//! Qlik Sense Enterprise on Windows (client-managed): tokens for a JWT virtual proxy.
//!
//! A virtual proxy names the claims it reads: the user id and user directory attributes (often
//! `userId` and `userDirectory`, but each proxy chooses), an optional audience, and an attribute
//! map for more (groups, ...), each `{senseAttribute, jwtAttribute, isMandatory}`. Names match
//! exactly, case included, and the registered JWT claim names cannot be attributes. It takes
//! RS256, RS384 and RS512 only, and honours `exp` and `nbf`. None of Qlik Cloud's rules (`jti`,
//! `subType`, the one-hour window) apply.
//!
//! - [`ClientManagedSigner`]: made once from a [`VirtualProxySettings`] and an RSA key, it signs a
//!   [`ClientManagedUser`] into a token the proxy accepts, and refuses what the proxy would.
//! - [`explain_client_managed`]: every reason the proxy would refuse a token, with stable codes
//!   ([`codes`]).

mod explain;
pub mod proxy_protocol;
mod signer;

#[cfg(test)]
mod tests;

pub use explain::explain_client_managed;
pub use signer::{ClientManagedSigner, ClientManagedSignerConfig, ClientManagedUser};

use crate::error::{Error, Result};

/// The registered JWT claim names (RFC 7519, section 4.1), which a virtual proxy does not take as
/// attribute names.
pub const RESERVED_CLAIMS: [&str; 7] = ["iss", "sub", "aud", "exp", "nbf", "iat", "jti"];

/// One entry of a virtual proxy's attribute map.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttributeMapping {
    /// The name Qlik Sense gives the attribute (e.g. `group`).
    pub sense_attribute: String,
    /// The claim that carries it (e.g. `groups`), case included.
    pub jwt_attribute: String,
    /// Whether the proxy refuses a token without it.
    pub is_mandatory: bool,
}

/// The JWT settings of a virtual proxy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VirtualProxySettings {
    /// The claim that carries the user id (e.g. `userId`).
    pub user_id_attribute: String,
    /// The claim that carries the user directory (e.g. `userDirectory`).
    pub user_directory_attribute: String,
    /// The audience the proxy expects, if any.
    pub audience: Option<String>,
    /// More attributes: groups and others.
    pub attributes: Vec<AttributeMapping>,
}

impl VirtualProxySettings {
    /// Settings with these two attribute names, no audience and no attribute map.
    pub fn new(user_id_attribute: &str, user_directory_attribute: &str) -> Self {
        VirtualProxySettings {
            user_id_attribute: user_id_attribute.to_owned(),
            user_directory_attribute: user_directory_attribute.to_owned(),
            audience: None,
            attributes: Vec::new(),
        }
    }

    /// Refuses settings a virtual proxy would not take: an empty or reserved attribute name, the
    /// same claim for two attributes, an empty audience.
    pub fn check(&self) -> Result<()> {
        let mut names: Vec<(&str, &str)> = vec![
            ("user_id_attribute", &self.user_id_attribute),
            ("user_directory_attribute", &self.user_directory_attribute),
        ];
        for mapping in &self.attributes {
            if mapping.sense_attribute.is_empty() {
                return Err(Error::qlik(format!(
                    "the attribute map entry for the claim {:?} has an empty senseAttribute",
                    mapping.jwt_attribute
                )));
            }
            names.push(("an attribute map jwtAttribute", &mapping.jwt_attribute));
        }
        for (at, (field, name)) in names.iter().enumerate() {
            if name.is_empty() {
                return Err(Error::qlik(format!(
                    "{field} is empty: name the claim the virtual proxy reads"
                )));
            }
            if is_reserved(name) {
                return Err(Error::qlik(format!(
                    "{field} is {name:?}, a registered JWT claim name, which a virtual proxy does \
                     not take as an attribute: use another name (e.g. userId, userDirectory, groups)"
                )));
            }
            if let Some((other, _)) = names[..at].iter().find(|(_, earlier)| earlier == name) {
                return Err(Error::qlik(format!(
                    "{field} and {other} are both {name:?}: each attribute needs its own claim"
                )));
            }
        }
        if self.audience.as_deref() == Some("") {
            return Err(Error::qlik(
                "the audience is empty: leave it out, or set the virtual proxy's JWT audience",
            ));
        }
        Ok(())
    }
}

/// Whether `name` is a registered JWT claim name.
pub fn is_reserved(name: &str) -> bool {
    RESERVED_CLAIMS.contains(&name)
}

/// The stable codes of the problems [`explain_client_managed`] reports.
pub mod codes {
    /// Not three base64url parts of JSON objects.
    pub const MALFORMED_TOKEN: &str = "QSE_MALFORMED_TOKEN";
    /// `alg` is not RS256, RS384 or RS512.
    pub const ALG_NOT_ALLOWED: &str = "QSE_ALG_NOT_ALLOWED";
    /// The signature does not verify with the proxy's certificate.
    pub const SIGNATURE_INVALID: &str = "QSE_SIGNATURE_INVALID";
    /// The user id, user directory or a mandatory mapped attribute is missing.
    pub const ATTRIBUTE_MISSING: &str = "QSE_ATTRIBUTE_MISSING";
    /// An attribute is there under another case (`userid` for `userId`).
    pub const ATTRIBUTE_CASE: &str = "QSE_ATTRIBUTE_CASE";
    /// The user id or user directory is not a non-empty string.
    pub const ATTRIBUTE_NOT_TEXT: &str = "QSE_ATTRIBUTE_NOT_TEXT";
    /// The proxy expects an audience the token does not carry.
    pub const AUDIENCE_MISMATCH: &str = "QSE_AUDIENCE_MISMATCH";
    /// `exp` is past.
    pub const EXPIRED: &str = "QSE_EXPIRED";
    /// `nbf` is still ahead.
    pub const NOT_YET_VALID: &str = "QSE_NOT_YET_VALID";
    /// `exp` or `nbf` is not a number.
    pub const TIME_NOT_NUMBER: &str = "QSE_TIME_NOT_NUMBER";
    /// Warning: no `exp`, so the token never expires.
    pub const NO_EXPIRY: &str = "QSE_NO_EXPIRY";
}
