//! The names of Qlik Cloud's OAuth token endpoint: the grants and the user lookup (the path and
//! the client-assertion type are [`super::oauth`]'s, re-exported). The core's token protocol ([`crate::protocol`]) and the local tenant take them from
//! here, so no name is written twice.
//!
//! Sources: qlik.dev "OAuth" API reference (`POST /oauth/token`), "Authenticate with Private Key
//! JWT", "Retrieve and use OAuth impersonation tokens" and "Manage OAuth clients via API"
//! (`allowedGrantTypes`).

pub use super::oauth::{CLIENT_ASSERTION_TYPE, TOKEN_PATH as OAUTH_TOKEN_PATH};

/// `grant_type` of a machine-to-machine token: the OAuth client acts as itself.
pub const CLIENT_CREDENTIALS_GRANT: &str = "client_credentials";

/// `grant_type` of an impersonation token: the OAuth client acts as a user it names with
/// `user_lookup`.
pub const USER_IMPERSONATION_GRANT: &str = "urn:qlik:oauth:user-impersonation";

/// The `user_lookup.field` that names the impersonated user by subject.
pub const USER_LOOKUP_SUBJECT: &str = "subject";

/// The scope Qlik's examples ask for: a user's default access.
pub const USER_DEFAULT_SCOPE: &str = "user_default";
