//! The client-managed signer: a user turned into a token a JWT virtual proxy accepts.

use super::{VirtualProxySettings, is_reserved};
use crate::alg::Algorithm;
use crate::error::{Error, ErrorCode, Result};
use crate::jws;
use crate::key::{KeyKind, SigningKey};
use crate::qlik::signer::{DEFAULT_LIFETIME_SECS, DEFAULT_NOT_BEFORE_SKEW_SECS};
use crate::value::Value;

/// The shortest RSA modulus the signer takes.
const MIN_RSA_BITS: usize = 2048;

/// The settings a client-managed signer is made from.
#[derive(Debug, Clone)]
pub struct ClientManagedSignerConfig {
    /// The RSA private key whose certificate the virtual proxy holds.
    pub private_key: SigningKey,
    /// The virtual proxy's JWT settings.
    pub proxy: VirtualProxySettings,
    /// A `kid` for the header (the proxy does not need one).
    pub key_id: Option<String>,
    /// RS256 (the default), RS384 or RS512.
    pub algorithm: Option<Algorithm>,
    /// Seconds that `nbf` lies before the signing instant (30 by default).
    pub not_before_skew_secs: Option<i64>,
    /// Seconds from the signing instant to `exp` (300 by default: the token only opens a
    /// session).
    pub lifetime_secs: Option<i64>,
}

/// The user a client-managed token logs in.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientManagedUser {
    /// The user id (put under the proxy's user id attribute).
    pub user_id: String,
    /// The user directory (put under the proxy's user directory attribute).
    pub user_directory: String,
    /// More claims by their JWT names, e.g. `name` or the attribute map's `groups`.
    pub attributes: Vec<(String, Value)>,
}

/// A client-managed token signer, made once from the virtual proxy's settings.
#[derive(Debug, Clone)]
pub struct ClientManagedSigner {
    key: SigningKey,
    algorithm: Algorithm,
    proxy: VirtualProxySettings,
    not_before_skew_secs: i64,
    lifetime_secs: i64,
    header_json: String,
}

impl ClientManagedSigner {
    /// Checks the settings (an RSA key of 2048 bits or more, RS256/384/512, attribute names the
    /// proxy takes, a positive lifetime) and makes a signer.
    pub fn new(config: ClientManagedSignerConfig) -> Result<Self> {
        let ClientManagedSignerConfig {
            private_key,
            proxy,
            key_id,
            algorithm,
            not_before_skew_secs,
            lifetime_secs,
        } = config;
        proxy.check()?;
        let bits = match private_key.kind() {
            KeyKind::Rsa { bits } => *bits,
            other => {
                return Err(Error::qlik(format!(
                    "the signer's key is {}: a client-managed virtual proxy takes RS256, RS384 \
                     or RS512 only, so use an RSA private key",
                    describe(other)
                )));
            }
        };
        if bits < MIN_RSA_BITS {
            return Err(Error::plain(
                ErrorCode::KeyTooSmall,
                format!(
                    "the signer's private key is a {bits}-bit RSA key: use one of at least \
                     {MIN_RSA_BITS} bits"
                ),
            ));
        }
        let algorithm = algorithm.unwrap_or(Algorithm::RS256);
        if !matches!(
            algorithm,
            Algorithm::RS256 | Algorithm::RS384 | Algorithm::RS512
        ) {
            return Err(Error::qlik(format!(
                "the algorithm {} is not one a client-managed virtual proxy takes: use RS256, \
                 RS384 or RS512",
                algorithm.as_str()
            )));
        }
        let skew = not_before_skew_secs.unwrap_or(DEFAULT_NOT_BEFORE_SKEW_SECS);
        let lifetime = lifetime_secs.unwrap_or(DEFAULT_LIFETIME_SECS);
        if skew < 0 {
            return Err(Error::qlik(format!(
                "not_before_skew_secs is {skew}: nbf would lie after the signing instant; use 0 \
                 or more (default {DEFAULT_NOT_BEFORE_SKEW_SECS})"
            )));
        }
        if lifetime <= 0 {
            return Err(Error::qlik(format!(
                "lifetime_secs is {lifetime}: the token would be expired when made; use a few \
                 minutes (default {DEFAULT_LIFETIME_SECS})"
            )));
        }
        let mut header = vec![
            ("alg".to_owned(), Value::String(algorithm.as_str().into())),
            ("typ".to_owned(), Value::String("JWT".into())),
        ];
        match key_id {
            Some(kid) if kid.is_empty() => {
                return Err(Error::qlik(
                    "key_id is empty: leave it out or give the key's id",
                ));
            }
            Some(kid) => header.push(("kid".to_owned(), Value::String(kid))),
            None => {}
        }
        Ok(ClientManagedSigner {
            key: private_key,
            algorithm,
            proxy,
            not_before_skew_secs: skew,
            lifetime_secs: lifetime,
            header_json: Value::Object(header).to_json_string()?,
        })
    }

    /// A token for `user` at `now_secs` (seconds since the epoch): the user id and directory
    /// under the proxy's attribute names, the user's other attributes, `iat`, `nbf`, `exp` and
    /// the proxy's audience when it has one.
    pub fn sign(&self, user: &ClientManagedUser, now_secs: i64) -> Result<String> {
        let claims = self.claims(user, now_secs)?;
        jws::sign_compact(
            self.header_json.as_bytes(),
            claims.to_json_string()?.as_bytes(),
            self.algorithm,
            &self.key,
        )
    }

    /// The claims of a token for `user` at `now_secs`, in token order.
    pub fn claims(&self, user: &ClientManagedUser, now_secs: i64) -> Result<Value> {
        self.check_user(user)?;
        let proxy = &self.proxy;
        let mut claims = vec![
            (
                proxy.user_id_attribute.clone(),
                Value::String(user.user_id.clone()),
            ),
            (
                proxy.user_directory_attribute.clone(),
                Value::String(user.user_directory.clone()),
            ),
        ];
        claims.extend(user.attributes.iter().cloned());
        let time = |secs: i64| Value::Number(secs as f64);
        claims.push(("iat".into(), time(now_secs)));
        claims.push(("nbf".into(), time(now_secs - self.not_before_skew_secs)));
        claims.push(("exp".into(), time(now_secs + self.lifetime_secs)));
        if let Some(audience) = &proxy.audience {
            claims.push(("aud".into(), Value::String(audience.clone())));
        }
        Ok(Value::Object(claims))
    }

    /// Refuses a user the proxy would refuse, naming the attribute.
    fn check_user(&self, user: &ClientManagedUser) -> Result<()> {
        let proxy = &self.proxy;
        for (field, value) in [
            ("userId", &user.user_id),
            ("userDirectory", &user.user_directory),
        ] {
            if value.is_empty() {
                return Err(Error::qlik(format!("the user's {field} is empty")));
            }
        }
        let known: Vec<&str> = [
            proxy.user_id_attribute.as_str(),
            proxy.user_directory_attribute.as_str(),
        ]
        .into_iter()
        .chain(proxy.attributes.iter().map(|m| m.jwt_attribute.as_str()))
        .collect();
        for (at, (name, _)) in user.attributes.iter().enumerate() {
            if is_reserved(name) {
                return Err(Error::qlik(format!(
                    "the attribute {name:?} is a registered JWT claim name, which the virtual \
                     proxy does not take as an attribute: map the value under another claim"
                )));
            }
            if *name == proxy.user_id_attribute || *name == proxy.user_directory_attribute {
                return Err(Error::qlik(format!(
                    "the attribute {name:?} is the proxy's user id or user directory claim: pass \
                     that value as userId or userDirectory"
                )));
            }
            if user.attributes[..at]
                .iter()
                .any(|(earlier, _)| earlier == name)
            {
                return Err(Error::qlik(format!(
                    "the attribute {name:?} is given twice"
                )));
            }
            if let Some(exact) = known
                .iter()
                .find(|k| k.eq_ignore_ascii_case(name) && **k != name.as_str())
            {
                return Err(Error::qlik(format!(
                    "the attribute {name:?} differs from the proxy's {exact:?} in case only: the \
                     proxy matches names exactly, so it would not see it"
                )));
            }
        }
        for mapping in proxy.attributes.iter().filter(|m| m.is_mandatory) {
            if !user
                .attributes
                .iter()
                .any(|(name, _)| *name == mapping.jwt_attribute)
            {
                return Err(Error::qlik(format!(
                    "the proxy's attribute map makes {:?} (senseAttribute {:?}) mandatory, and \
                     the user has no such attribute",
                    mapping.jwt_attribute, mapping.sense_attribute
                )));
            }
        }
        Ok(())
    }

    /// The algorithm tokens are signed with.
    pub fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    /// The virtual proxy's settings.
    pub fn proxy(&self) -> &VirtualProxySettings {
        &self.proxy
    }
}

fn describe(kind: &KeyKind) -> &'static str {
    match kind {
        KeyKind::Secret { .. } => "a shared secret (HMAC)",
        KeyKind::Ec { .. } => "an EC key",
        KeyKind::RsaPss { .. } => "an RSA-PSS key",
        _ => "not an RSA key",
    }
}
