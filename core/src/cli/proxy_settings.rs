//! What the client-managed commands share: a virtual proxy's JWT settings from the flags, and
//! a signing key from a PEM, DER or PKCS#12 file.

use std::path::Path;

use super::args::ProxyJwtArgs;
use super::output::{EXIT_USAGE, Failure, read_file};
use crate::key::SigningKey;
use crate::qlik::client_managed::{AttributeMapping, VirtualProxySettings};
use crate::setup::{PfxKey, import_pfx, looks_like_pfx};

/// The attribute names most virtual proxies use, the defaults of `sign` and
/// `virtual-proxy-config`.
pub(crate) const DEFAULT_USER_ID_ATTRIBUTE: &str = "userId";
/// See [`DEFAULT_USER_ID_ATTRIBUTE`].
pub(crate) const DEFAULT_USER_DIRECTORY_ATTRIBUTE: &str = "userDirectory";

impl ProxyJwtArgs {
    /// Each flag of the proxy's JWT settings, with whether it was given (for
    /// [`refuse_flags`]).
    pub(crate) fn given(&self) -> [(bool, &'static str); 5] {
        let proxy = self;
        [
            (proxy.user_id_attribute.is_some(), "--user-id-attribute"),
            (
                proxy.user_directory_attribute.is_some(),
                "--user-directory-attribute",
            ),
            (proxy.audience.is_some(), "--audience"),
            (!proxy.attributes.is_empty(), "--attribute"),
            (
                !proxy.mandatory_attributes.is_empty(),
                "--mandatory-attribute",
            ),
        ]
    }
}

/// The proxy settings of the flags; without `defaults`, both attribute flags are required
/// (`explain` must not guess the names it judges by).
pub(crate) fn proxy_settings(
    args: &ProxyJwtArgs,
    defaults: bool,
) -> Result<VirtualProxySettings, Failure> {
    let name = |given: &Option<String>, flag: &str, default: &str| match given {
        Some(name) => Ok(name.clone()),
        None if defaults => Ok(default.to_owned()),
        None => Err(usage(&format!(
            "--{flag} is required with --profile client-managed: give the claim name the \
             virtual proxy reads, case included"
        ))),
    };
    let mut settings = VirtualProxySettings::new(
        &name(
            &args.user_id_attribute,
            "user-id-attribute",
            DEFAULT_USER_ID_ATTRIBUTE,
        )?,
        &name(
            &args.user_directory_attribute,
            "user-directory-attribute",
            DEFAULT_USER_DIRECTORY_ATTRIBUTE,
        )?,
    );
    settings.audience = args.audience.clone();
    for (entries, mandatory, flag) in [
        (&args.attributes, false, "--attribute"),
        (&args.mandatory_attributes, true, "--mandatory-attribute"),
    ] {
        for entry in entries {
            let (sense, jwt) = entry.split_once('=').ok_or_else(|| {
                usage(&format!(
                    "{flag} {entry:?}: expected SENSE=JWT, the Qlik Sense attribute and the \
                     claim that carries it, e.g. group=groups"
                ))
            })?;
            settings.attributes.push(AttributeMapping {
                sense_attribute: sense.to_owned(),
                jwt_attribute: jwt.to_owned(),
                is_mandatory: mandatory,
            });
        }
    }
    settings.check()?;
    Ok(settings)
}

/// Flags that only the other profile takes, named in a usage error when given.
pub(crate) fn refuse_flags(given: &[(bool, &str)], profile: &str) -> Result<(), Failure> {
    let names: Vec<&str> = given
        .iter()
        .filter(|(present, _)| *present)
        .map(|(_, name)| *name)
        .collect();
    if names.is_empty() {
        return Ok(());
    }
    Err(usage(&format!(
        "{} cannot be used with --profile {profile}",
        names.join(", ")
    )))
}

/// The private key of `path`: a PKCS#12/PFX file (by its content) decrypted with the password
/// of `passphrase_env` (none: the empty password), or any key the core parses. The PFX's
/// certificate comes back too.
pub(crate) fn signing_key_file(
    path: &Path,
    passphrase_env: Option<&str>,
) -> Result<(SigningKey, Option<String>), Failure> {
    let bytes = read_file(path, "private key")?;
    let passphrase = match passphrase_env {
        Some(var) => Some(std::env::var(var).map_err(|_| {
            usage(&format!(
                "the environment variable {var} (the key's passphrase) is not set"
            ))
        })?),
        None => None,
    };
    if looks_like_pfx(&bytes) {
        let PfxKey {
            signing_key,
            certificate_pem,
            ..
        } = import_pfx(&bytes, passphrase.as_deref().unwrap_or("")).map_err(|error| {
            let mut failure = Failure::from(error);
            if passphrase_env.is_none() {
                failure
                    .message
                    .push_str(" (pass the password with --passphrase-env VAR)");
            }
            failure
        })?;
        return Ok((signing_key, certificate_pem));
    }
    let key = SigningKey::from_private(&bytes, passphrase.as_deref().map(str::as_bytes))?;
    Ok((key, None))
}

pub(crate) fn usage(message: &str) -> Failure {
    Failure::new(EXIT_USAGE, "ERR_USAGE", message)
}
