//! The Qlik Cloud signer: made once from the identity provider's settings, it turns a user into
//! a token that Qlik's `POST /login/jwt-session` accepts.

use super::problems::Problem;
use super::{AUDIENCE, jti, rules};
use crate::alg::Algorithm;
use crate::error::{Error, ErrorCode, Result};
use crate::jws;
use crate::key::{Curve, KeyKind, SigningKey};
use crate::value::Value;

/// Default seconds that `nbf` lies before the signing instant: a tenant clock up to 30 s behind
/// still accepts the token at once.
pub const DEFAULT_NOT_BEFORE_SKEW_SECS: i64 = 30;

/// Default seconds from the signing instant to `exp`: enough for a tenant clock 30 s ahead and
/// a slow exchange, far below Qlik's 3600 s window (the token only opens a session; the
/// session length is a tenant setting).
pub const DEFAULT_LIFETIME_SECS: i64 = 300;

/// The shortest RSA modulus a signer takes, as `jsonwebtoken` 9 without `allowInsecureKeySizes`.
const MIN_RSA_BITS: usize = 2048;

/// The largest signing instant accepted (the year 5138): a larger one is almost surely
/// milliseconds (`Date.now()`) passed as seconds.
const MAX_NOW_SECS: i64 = 100_000_000_000;

/// The identity provider's settings a signer is made from.
#[derive(Debug, Clone)]
pub struct SignerConfig {
    /// The private key whose certificate the identity provider holds.
    pub private_key: SigningKey,
    /// The identity provider's Key ID (the header `kid`).
    pub key_id: String,
    /// The identity provider's issuer (the `iss` claim).
    pub issuer: String,
    /// The algorithm; `None` means the default, RS256 (or ES* for an EC key).
    pub algorithm: Option<Algorithm>,
    /// Seconds that `nbf` lies before the signing instant; `None` means the default
    /// ([`DEFAULT_NOT_BEFORE_SKEW_SECS`]).
    pub not_before_skew_secs: Option<i64>,
    /// Seconds from the signing instant to `exp`; `None` means the default
    /// ([`DEFAULT_LIFETIME_SECS`]).
    pub lifetime_secs: Option<i64>,
}

/// The user a Qlik token logs in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QlikUser {
    /// The user's stable id in the tenant (`sub`).
    pub sub: String,
    /// Display name (`name`).
    pub name: String,
    /// Email address (`email`; may be empty, as in Qlik's tutorial).
    pub email: String,
    /// Whether the app has verified that the email address belongs to the user
    /// (`email_verified`). It has no default in any package or in the command: the claim vouches
    /// for the address to Qlik, and only the app knows whether it checked it.
    pub email_verified: bool,
    /// Group names (`groups`), each at most 256 characters.
    pub groups: Option<Vec<String>>,
}

/// A Qlik token signer, made once from the identity provider's settings.
///
/// Tokens are byte for byte what `jsonwebtoken` 9 `sign` makes from the tutorial's payload
/// (`jti, sub, subType, name, email, email_verified[, groups]`) with the options `{keyid,
/// algorithm, issuer, expiresIn, notBefore, audience}` at the same instant. (One exception:
/// a `kid` beyond ASCII, which `jsonwebtoken` mangles by encoding the header as latin1; here
/// it is UTF-8, as JWS requires.)
#[derive(Debug, Clone)]
pub struct QlikSigner {
    key: SigningKey,
    algorithm: Algorithm,
    key_id: String,
    issuer: String,
    not_before_skew_secs: i64,
    lifetime_secs: i64,
    /// The header JSON: the same for every token, so made once.
    header_json: String,
}

impl QlikSigner {
    /// Checks the settings (key fits the algorithm, no HS*, window within Qlik's limit) and
    /// makes a signer.
    pub fn new(config: SignerConfig) -> Result<Self> {
        let SignerConfig {
            private_key,
            key_id,
            issuer,
            algorithm,
            not_before_skew_secs,
            lifetime_secs,
        } = config;
        if key_id.is_empty() {
            return Err(Error::qlik(
                "the signer's key_id is empty: set it to the identity provider's Key ID (Qlik \
                 finds the provider by the token's kid)",
            ));
        }
        if issuer.is_empty() {
            return Err(Error::qlik(
                "the signer's issuer is empty: set it to the identity provider's issuer (Qlik \
                 compares it with the token's iss)",
            ));
        }
        let algorithm = match algorithm {
            Some(alg) => alg,
            None => default_algorithm(private_key.kind())?,
        };
        if let Some(problem) = rules::algorithm(algorithm) {
            return Err(setting_error("algorithm", problem));
        }
        // The key module owns which key fits which algorithm; one signature now turns a
        // mismatch into an error of `new` rather than of every `sign`.
        private_key.sign(algorithm, b"qlik-jwt key check")?;
        // The signer has no `allowInsecureKeySizes`: a short RSA key is refused as `jsonwebtoken`
        // refuses it by default.
        if let KeyKind::Rsa { bits } | KeyKind::RsaPss { bits } = private_key.kind()
            && *bits < MIN_RSA_BITS
        {
            return Err(Error::plain(
                ErrorCode::KeyTooSmall,
                format!(
                    "the signer's private key is a {bits}-bit RSA key: use an RSA key of at \
                     least {MIN_RSA_BITS} bits (or an EC key)"
                ),
            ));
        }

        let skew = not_before_skew_secs.unwrap_or(DEFAULT_NOT_BEFORE_SKEW_SECS);
        let lifetime = lifetime_secs.unwrap_or(DEFAULT_LIFETIME_SECS);
        if skew < 0 {
            return Err(Error::qlik(format!(
                "the signer's not_before_skew_secs is {skew}: that puts nbf after the signing \
                 instant, so Qlik refuses the token if it is exchanged at once or the tenant \
                 clock lags; use 0 or more (default {DEFAULT_NOT_BEFORE_SKEW_SECS})"
            )));
        }
        if lifetime <= 0 {
            return Err(Error::qlik(format!(
                "the signer's lifetime_secs is {lifetime}: the token would be expired when \
                 made; use a few minutes (default {DEFAULT_LIFETIME_SECS})"
            )));
        }
        let window = skew.checked_add(lifetime).unwrap_or(i64::MAX);
        if let Some(problem) = rules::window(0.0, window as f64) {
            return Err(setting_error(
                "not_before_skew_secs + lifetime_secs",
                problem,
            ));
        }

        let header = Value::Object(vec![
            ("alg".into(), Value::String(algorithm.as_str().into())),
            ("typ".into(), Value::String("JWT".into())),
            ("kid".into(), Value::String(key_id.clone())),
        ]);
        let header_json = header.to_json_string()?;
        Ok(QlikSigner {
            key: private_key,
            algorithm,
            key_id,
            issuer,
            not_before_skew_secs: skew,
            lifetime_secs: lifetime,
            header_json,
        })
    }

    /// A valid Qlik token for `user` at the instant `now_secs` (seconds since the epoch), with a
    /// fresh random `jti`.
    pub fn sign(&self, user: &QlikUser, now_secs: i64) -> Result<String> {
        self.sign_with_jti(user, now_secs, jti::new_jti()?)
    }

    /// The claims a token for `user` at `now_secs` carries, in token order, with this `jti`.
    pub(crate) fn claims(&self, user: &QlikUser, now_secs: i64, jti: String) -> Result<Value> {
        check_user(user)?;
        if !(0..=MAX_NOW_SECS).contains(&now_secs) {
            return Err(Error::qlik(format!(
                "the signing instant {now_secs} is not a time in seconds since the epoch (over \
                 {MAX_NOW_SECS} looks like milliseconds): pass the current time in seconds"
            )));
        }
        let time = |secs: i64| Value::Number(secs as f64);
        let text = |s: &str| Value::String(s.to_owned());
        let mut claims = Vec::with_capacity(12);
        claims.push(("jti".into(), Value::String(jti)));
        claims.push(("sub".into(), text(&user.sub)));
        claims.push(("subType".into(), text("user")));
        claims.push(("name".into(), text(&user.name)));
        claims.push(("email".into(), text(&user.email)));
        claims.push(("email_verified".into(), Value::Bool(user.email_verified)));
        if let Some(groups) = &user.groups {
            claims.push((
                "groups".into(),
                Value::Array(groups.iter().map(|g| text(g)).collect()),
            ));
        }
        claims.push(("iat".into(), time(now_secs)));
        claims.push(("nbf".into(), time(now_secs - self.not_before_skew_secs)));
        claims.push(("exp".into(), time(now_secs + self.lifetime_secs)));
        claims.push(("aud".into(), text(AUDIENCE)));
        claims.push(("iss".into(), text(&self.issuer)));
        Ok(Value::Object(claims))
    }

    /// [`QlikSigner::sign`] with a given `jti` (tests compare with `jsonwebtoken`'s output).
    pub(crate) fn sign_with_jti(
        &self,
        user: &QlikUser,
        now_secs: i64,
        jti: String,
    ) -> Result<String> {
        let claims = self.claims(user, now_secs, jti)?;
        let payload = claims.to_json_string()?;
        jws::sign_compact(
            self.header_json.as_bytes(),
            payload.as_bytes(),
            self.algorithm,
            &self.key,
        )
    }

    /// The algorithm tokens are signed with.
    pub fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    /// The Key ID put in every token's header.
    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// The issuer put in every token.
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// Seconds `nbf` lies before the signing instant.
    pub fn not_before_skew_secs(&self) -> i64 {
        self.not_before_skew_secs
    }

    /// Seconds from the signing instant to `exp`.
    pub fn lifetime_secs(&self) -> i64 {
        self.lifetime_secs
    }
}

/// RS256 for RSA keys (the one Qlik documents and tests), PS256 for RSA-PSS keys, and the ES*
/// of an EC key's curve.
fn default_algorithm(kind: &KeyKind) -> Result<Algorithm> {
    match kind {
        KeyKind::Rsa { .. } => Ok(Algorithm::RS256),
        KeyKind::RsaPss { .. } => Ok(Algorithm::PS256),
        KeyKind::Ec { curve: Curve::P256 } => Ok(Algorithm::ES256),
        KeyKind::Ec { curve: Curve::P384 } => Ok(Algorithm::ES384),
        KeyKind::Ec { curve: Curve::P521 } => Ok(Algorithm::ES512),
        KeyKind::Secret { .. } => Err(Error::qlik(
            "the signer's key is a shared secret: Qlik forbids HMAC (HS*) tokens; use the RSA \
             private key whose certificate the identity provider holds",
        )),
        KeyKind::Unsupported {
            asymmetric_key_type,
        } => Err(Error::qlik(format!(
            "the signer's key is of type {asymmetric_key_type}, which no JWS algorithm \
             Qlik accepts uses; use an RSA private key (openssl genrsa -out privatekey.pem 4096)"
        ))),
    }
}

fn setting_error(setting: &str, problem: Problem) -> Error {
    Error::qlik(format!("the signer's {setting}: {}", problem.message))
}

/// What Qlik would refuse in a user: an empty `sub` or `name`, an over-long group.
fn check_user(user: &QlikUser) -> Result<()> {
    let groups = user.groups.iter().flatten().enumerate();
    let problem = rules::non_empty("sub", &user.sub)
        .or_else(|| rules::non_empty("name", &user.name))
        .or_else(|| groups.filter_map(|(i, g)| rules::group_name(i, g)).next());
    match problem {
        Some(problem) => Err(Error::qlik(format!("the user's {}", problem.message))),
        None => Ok(()),
    }
}
