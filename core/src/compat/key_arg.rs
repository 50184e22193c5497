//! The key argument turned into what Node calls a `KeyObject`, the way `jsonwebtoken` 9.0.3
//! does it: `sign` tries `createPrivateKey` and falls back to `createSecretKey`; `verify` tries
//! `createPublicKey` and falls back to `createSecretKey`. Node reads a string or a `Buffer` as
//! PEM, so DER bytes, a public key handed to `sign`, or an encrypted key without its
//! passphrase all become a secret, exactly as there.

use crate::error::{Error, ErrorCode, Result};
use crate::key::{self, KeyKind, KeyRole, RsaPssParameters, SigningKey, VerifyingKey};

/// The key argument of `sign` and `verify`, in every form `jsonwebtoken` accepts.
#[derive(Clone)]
pub enum KeyArg {
    /// No key, or a falsy one (`undefined`, `null`, `''`, `0`, `false`).
    Missing,
    /// A falsy value that is neither `undefined` nor `null` nor a string (`0`, `NaN`,
    /// `false`, `0n`): no key for `!key`, yet not `null` either, so with `algorithm: 'none'`
    /// `jsonwebtoken` reports it as invalid key material. Its `typeof`-style name. (Bindings
    /// that pass such values as [`KeyArg::Missing`] differ only there.)
    Falsy(String),
    /// A string: PEM text, or else a secret.
    Text(String),
    /// Bytes (a `Buffer`): PEM or DER, or else a secret.
    Bytes(Vec<u8>),
    /// `{ key, passphrase }`.
    WithPassphrase {
        /// The key text or bytes.
        key: Vec<u8>,
        /// The passphrase of an encrypted key.
        passphrase: Vec<u8>,
    },
    /// `{ key: <jwk object>, format: 'jwk' }`: the JWK as JSON text.
    Jwk(String),
    /// A key already parsed for signing (a Node private or secret `KeyObject`, a
    /// `QlikSigner`'s key).
    Signing(SigningKey),
    /// A key already parsed for verifying (a Node public or secret `KeyObject`).
    Verifying(VerifyingKey),
    /// Something that cannot be key material at all (a number, a plain object without
    /// `key`...): its `typeof`-style name.
    Invalid(String),
}

/// A parsed key of any role, as a Node `KeyObject`.
#[derive(Clone)]
pub(crate) enum KeyObject {
    /// A secret or a private key.
    Signing(SigningKey),
    /// A secret or a public key.
    Verifying(VerifyingKey),
}

impl KeyObject {
    /// `KeyObject.type`.
    pub(crate) fn role(&self) -> KeyRole {
        match self {
            KeyObject::Signing(k) => k.role(),
            KeyObject::Verifying(k) => k.role(),
        }
    }

    /// The RSASSA-PSS parameters of an RSA-PSS key that has them.
    pub(crate) fn rsa_pss_parameters(&self) -> Option<&RsaPssParameters> {
        match self {
            KeyObject::Signing(k) => k.rsa_pss_parameters(),
            KeyObject::Verifying(k) => k.rsa_pss_parameters(),
        }
    }

    /// What kind of key this is (`asymmetricKeyType` and details).
    pub(crate) fn kind(&self) -> &KeyKind {
        match self {
            KeyObject::Signing(k) => k.kind(),
            KeyObject::Verifying(k) => k.kind(),
        }
    }
}

impl KeyArg {
    /// `!key` in JavaScript: only a missing (falsy) key, or the empty string.
    pub(crate) fn is_truthy(&self) -> bool {
        !matches!(self, KeyArg::Missing | KeyArg::Falsy(_))
            && !matches!(self, KeyArg::Text(t) if t.is_empty())
    }

    /// Whether signing or verifying with this key is worth another thread: a libuv pool
    /// thread, or other Python threads running while the GIL is released. Handing work over
    /// costs several microseconds; an RSA or EC signature takes tens of microseconds to
    /// milliseconds, a MAC with a secret about one. Text and bytes count as a secret unless
    /// they look like PEM, as `sign` and `verify` read them. Only speed depends on the answer.
    pub fn worth_another_thread(&self) -> bool {
        match self {
            KeyArg::Missing | KeyArg::Falsy(_) | KeyArg::Invalid(_) => false,
            KeyArg::Text(text) => key::looks_like_pem(text.as_bytes()),
            KeyArg::Bytes(bytes) => key::looks_like_pem(bytes),
            KeyArg::WithPassphrase { .. } | KeyArg::Jwk(_) => true,
            KeyArg::Signing(key) => key.role() != KeyRole::Secret,
            KeyArg::Verifying(key) => key.role() != KeyRole::Secret,
        }
    }
}

fn not_key_material(which: &str) -> Error {
    Error::plain(
        ErrorCode::InvalidKey,
        format!("{which} is not valid key material"),
    )
}

/// `sign`'s conversion: `None` for a missing key (`null`/`undefined`), else the key object.
pub(crate) fn signing_key_object(arg: &KeyArg) -> Result<Option<KeyObject>> {
    let invalid = || not_key_material("secretOrPrivateKey");
    Ok(Some(match arg {
        KeyArg::Missing => return Ok(None),
        KeyArg::Text(text) => private_or_secret(text.as_bytes()),
        KeyArg::Bytes(bytes) => private_or_secret(bytes),
        KeyArg::WithPassphrase { key, passphrase } => {
            // createSecretKey refuses the `{ key, passphrase }` object itself.
            if !key::looks_like_pem(key) {
                return Err(invalid());
            }
            let parsed = key::cache::private_key(key, Some(passphrase)).map_err(|_| invalid())?;
            KeyObject::Signing(parsed)
        }
        KeyArg::Jwk(json) => match SigningKey::from_jwk(json) {
            // createPrivateKey refuses an `oct` JWK, and createSecretKey the object.
            Ok(parsed) if parsed.role() == KeyRole::Private => KeyObject::Signing(parsed),
            _ => return Err(invalid()),
        },
        KeyArg::Signing(k) => KeyObject::Signing(k.clone()),
        KeyArg::Verifying(k) => KeyObject::Verifying(k.clone()),
        KeyArg::Invalid(_) | KeyArg::Falsy(_) => return Err(invalid()),
    }))
}

fn private_or_secret(bytes: &[u8]) -> KeyObject {
    if key::looks_like_pem(bytes)
        && let Ok(parsed) = key::cache::private_key(bytes, None)
    {
        return KeyObject::Signing(parsed);
    }
    KeyObject::Signing(key::cache::secret(bytes))
}

/// `verify`'s conversion: `None` for a missing key (`null`/`undefined`), else the key object.
pub(crate) fn verifying_key_object(arg: &KeyArg) -> Result<Option<KeyObject>> {
    let invalid =
        || not_key_material("secretOrPublicKey").with_class(crate::ErrorClass::JsonWebToken);
    Ok(Some(match arg {
        KeyArg::Missing => return Ok(None),
        KeyArg::Text(text) => public_or_secret(text.as_bytes()),
        KeyArg::Bytes(bytes) => public_or_secret(bytes),
        KeyArg::WithPassphrase { key, passphrase } => {
            if !key::looks_like_pem(key) {
                return Err(invalid());
            }
            let parsed = key::cache::public_key(key, Some(passphrase)).map_err(|_| invalid())?;
            KeyObject::Verifying(parsed)
        }
        KeyArg::Jwk(json) => match VerifyingKey::from_jwk(json) {
            Ok(parsed) if parsed.role() == KeyRole::Public => KeyObject::Verifying(parsed),
            _ => return Err(invalid()),
        },
        KeyArg::Signing(k) => KeyObject::Signing(k.clone()),
        KeyArg::Verifying(k) => KeyObject::Verifying(k.clone()),
        KeyArg::Invalid(_) | KeyArg::Falsy(_) => return Err(invalid()),
    }))
}

fn public_or_secret(bytes: &[u8]) -> KeyObject {
    if key::looks_like_pem(bytes)
        && let Ok(parsed) = key::cache::public_key(bytes, None)
    {
        return KeyObject::Verifying(parsed);
    }
    KeyObject::Verifying(key::cache::secret(bytes).verifying_key())
}

#[cfg(test)]
mod tests {
    use super::*;

    const EC_PEM: &str = include_str!("../../testdata/keys/ec256-private-pkcs8.pem");
    const EC_PUBLIC_PEM: &str = include_str!("../../testdata/keys/ec256-public-spki.pem");
    const EC_DER: &[u8] = include_bytes!("../../testdata/keys/ec256-private-pkcs8.der");

    #[test]
    fn only_asymmetric_keys_are_worth_another_thread() {
        let parsed = SigningKey::from_private(EC_PEM.as_bytes(), None).unwrap();
        let worth = [
            KeyArg::Text(EC_PEM.into()),
            KeyArg::Bytes(EC_PUBLIC_PEM.into()),
            KeyArg::WithPassphrase {
                key: EC_PEM.into(),
                passphrase: b"p".to_vec(),
            },
            KeyArg::Signing(parsed.clone()),
            KeyArg::Verifying(parsed.verifying_key()),
        ];
        for arg in &worth {
            assert!(arg.worth_another_thread());
        }
        let secret = SigningKey::from_secret(b"s");
        let not_worth = [
            KeyArg::Missing,
            KeyArg::Falsy("number".into()),
            KeyArg::Invalid("object".into()),
            KeyArg::Text("express-session-secret".into()),
            // Node reads bytes as PEM, so DER bytes are a secret, as `sign` takes them.
            KeyArg::Bytes(EC_DER.to_vec()),
            KeyArg::Signing(secret.clone()),
            KeyArg::Verifying(secret.verifying_key()),
        ];
        for arg in &not_worth {
            assert!(!arg.worth_another_thread());
        }
    }
}
