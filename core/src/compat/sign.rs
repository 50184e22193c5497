//! `jwt.sign(payload, secretOrPrivateKey, options)` of `jsonwebtoken` 9.0.3 (`sign.js`), check
//! by check in its order, with its messages; then `jws.sign` (`jws` 4, `jwa` 2).

use super::js_errors::{
    alg_not_a_string, jwa_algorithm, jwa_invalid_algorithm, reading_property_of,
};

use super::key_arg::KeyArg;
use super::key_arg::{KeyObject, signing_key_object};
use super::key_checks::validate_asymmetric_key;
use super::node_buffer::{self, Encoding};
use super::options::{Options, validate_payload, validate_sign_options};
use crate::alg::{Algorithm, Family};
use crate::base64url;
use crate::error::{Error, ErrorCode, Result};
use crate::key::{KeyKind, KeyRole};
use crate::timespan::{invalid_timespan_message, timespan};
use crate::value::{ObjectText, Value};

mod claims;
mod header;

use claims::Claims;
use header::Header;

/// The options that only make sense for an object payload (`options_for_objects`).
const OPTIONS_FOR_OBJECTS: [&str; 7] = [
    "expiresIn",
    "notBefore",
    "noTimestamp",
    "audience",
    "issuer",
    "subject",
    "jwtid",
];

/// Options copied into claims (`options_to_payload`), in `jsonwebtoken`'s order.
const OPTIONS_TO_PAYLOAD: [(&str, &str); 4] = [
    ("audience", "aud"),
    ("issuer", "iss"),
    ("subject", "sub"),
    ("jwtid", "jti"),
];

/// A signed token and the payload as it was signed.
#[derive(Debug, Clone, PartialEq)]
pub struct Signed {
    /// The compact JWS.
    pub token: String,
    /// The payload with the claims `sign` added (`iat`, `nbf`, `exp`, `aud`, `iss`, `sub`,
    /// `jti`); for a string or `Buffer` payload, the payload unchanged. A binding honouring
    /// `mutatePayload: true` copies these claims back into the caller's object.
    pub payload: Value,
}

/// `jwt.sign(payload, key, options)` at `now_ms` (what `Date.now()` returns): the compact token,
/// or `jsonwebtoken`'s error for these inputs.
pub fn sign(payload: &Value, key: &KeyArg, options: &Value, now_ms: f64) -> Result<String> {
    Sign::EXACT.sign(payload, key, options, now_ms)
}

/// [`sign`] of an object payload given as the text `JSON.stringify` made of it, which is how
/// the Node binding hands a plain object over. The members `sign` does not look at go into the
/// token as written, without being parsed; text in any other form than `JSON.stringify`'s is
/// parsed as `JSON.parse` would and signed as that value.
pub fn sign_json(payload_json: &str, key: &KeyArg, options: &Value, now_ms: f64) -> Result<String> {
    Sign::EXACT.sign_json(payload_json, key, options, now_ms)
}

/// Whether `options.mutatePayload` is truthy: `jsonwebtoken` then signs the caller's own
/// object, so the claims it adds stay there (a binding copies [`Signed::payload`] back).
pub fn mutates_payload(options: &Value) -> bool {
    options.get("mutatePayload").is_truthy()
}

/// [`sign`], also returning the payload as signed.
pub fn sign_with_claims(
    payload: &Value,
    key: &KeyArg,
    options: &Value,
    now_ms: f64,
) -> Result<Signed> {
    Sign::EXACT.sign_with_claims(payload, key, options, now_ms)
}

/// Every check and step of [`sign`] up to the signature, in `jsonwebtoken`'s order.
pub fn prepare_sign(
    payload: &Value,
    key: &KeyArg,
    options: &Value,
    now_ms: f64,
) -> Result<PreparedSign> {
    Sign::EXACT.prepare_sign(payload, key, options, now_ms)
}

/// A token about to be signed, once every `jsonwebtoken` check has passed: what a [`Guard`]
/// looks at.
pub struct Unsigned<'a> {
    header: &'a Value,
    claims: Option<&'a Claims<'a>>,
}

impl Unsigned<'_> {
    /// The header.
    pub fn header(&self) -> &Value {
        self.header
    }

    /// A claim of an object payload, as it will be signed; `undefined` when it is absent or
    /// the payload is a string or `Buffer`.
    pub fn claim(&self, name: &str) -> &Value {
        self.claims
            .map_or(&Value::Undefined, |claims| claims.get(name))
    }

    /// The claims of an object payload, as they will be signed; `None` for a string or
    /// `Buffer` payload.
    pub fn claims(&self) -> Result<Option<Value>> {
        self.claims.map(Claims::to_value).transpose()
    }
}

/// A rule of the caller's on top of `jsonwebtoken`'s: it sees the token after every
/// `jsonwebtoken` check and before the signature, and its error is `sign`'s. So it comes where
/// `jsonwebtoken`'s own validation errors come, before the callback form returns.
pub type Guard = fn(&Unsigned<'_>) -> Result<()>;

/// The `sign` functions with a [`Guard`]; [`Sign::EXACT`] (the free functions of this module)
/// is `jsonwebtoken`, exactly.
#[derive(Clone, Copy)]
pub struct Sign {
    guard: Option<Guard>,
}

impl Sign {
    /// `jsonwebtoken`'s `sign` and nothing more.
    pub const EXACT: Sign = Sign { guard: None };

    /// `jsonwebtoken`'s `sign`, then `guard` before the signature.
    pub const fn guarded(guard: Guard) -> Sign {
        Sign { guard: Some(guard) }
    }

    /// [`sign`] with this guard.
    pub fn sign(
        self,
        payload: &Value,
        key: &KeyArg,
        options: &Value,
        now_ms: f64,
    ) -> Result<String> {
        let (signer, _) = prepare(
            PayloadInput::Value(payload),
            key,
            options,
            now_ms,
            self.guard,
        )?;
        signer.finish()
    }

    /// [`sign_json`] with this guard.
    pub fn sign_json(
        self,
        payload_json: &str,
        key: &KeyArg,
        options: &Value,
        now_ms: f64,
    ) -> Result<String> {
        let Some(object) = ObjectText::parse(payload_json) else {
            return self.sign(&Value::from_json_str(payload_json)?, key, options, now_ms);
        };
        let input = PayloadInput::Object(&object);
        let (signer, _) = prepare(input, key, options, now_ms, self.guard)?;
        signer.finish()
    }

    /// [`sign_with_claims`] with this guard.
    pub fn sign_with_claims(
        self,
        payload: &Value,
        key: &KeyArg,
        options: &Value,
        now_ms: f64,
    ) -> Result<Signed> {
        self.prepare_sign(payload, key, options, now_ms)?.finish()
    }

    /// [`prepare_sign`] with this guard.
    pub fn prepare_sign(
        self,
        payload: &Value,
        key: &KeyArg,
        options: &Value,
        now_ms: f64,
    ) -> Result<PreparedSign> {
        let input = PayloadInput::Value(payload);
        let (signer, payload) = prepare(input, key, options, now_ms, self.guard)?;
        Ok(PreparedSign {
            signer,
            payload: payload.into_value()?,
        })
    }
}

/// The payload as given: a value, or an object as `JSON.stringify`'s text.
#[derive(Clone, Copy)]
enum PayloadInput<'a> {
    Value(&'a Value),
    Object(&'a ObjectText<'a>),
}

/// The payload as signed: an object payload's claims, or a string, `Buffer` or number as is.
enum Payload<'a> {
    Claims(Claims<'a>),
    AsIs(&'a Value),
}

impl Payload<'_> {
    fn into_value(self) -> Result<Value> {
        match self {
            Payload::Claims(claims) => claims.into_value(),
            Payload::AsIs(value) => Ok(value.clone()),
        }
    }
}

/// A sign call whose every input check has passed, waiting only for its signature.
///
/// `jsonwebtoken` delivers a validation failure to a `sign` callback before `sign` returns, and
/// the signature later; a binding that signs on another thread calls [`prepare_sign`] on the
/// caller's thread and [`PreparedSign::finish`] on the worker to keep that timing.
pub struct PreparedSign {
    signer: Signer,
    payload: Value,
}

impl PreparedSign {
    /// Signs: the token and the payload as signed, or the failures only the signature reveals
    /// (a key too small for the algorithm, a key the backend refuses).
    pub fn finish(self) -> Result<Signed> {
        Ok(Signed {
            token: self.signer.finish()?,
            payload: self.payload,
        })
    }

    /// Whether [`finish`](Self::finish) is worth another thread: as
    /// [`KeyArg::worth_another_thread`], for the key as parsed (no key, for `none`, is not).
    pub fn worth_another_thread(&self) -> bool {
        self.signer
            .key
            .as_ref()
            .is_some_and(|key| key.role() != KeyRole::Secret)
    }
}

/// The signing input and key of a checked sign call.
struct Signer {
    input: SigningInput,
    key: Option<KeyObject>,
    alg: String,
    allow_insecure_key_sizes: bool,
}

impl Signer {
    fn finish(self) -> Result<String> {
        let Signer {
            input,
            key,
            alg,
            allow_insecure_key_sizes,
        } = self;
        let token = input.sign(key.as_ref(), allow_insecure_key_sizes)?;
        let signature_len = token.len() - token.rfind('.').map_or(0, |dot| dot + 1);
        if !allow_insecure_key_sizes
            && (alg.starts_with("RS") || alg.starts_with("PS"))
            && signature_len < 256
        {
            return Err(min_key_size(&alg));
        }
        Ok(token)
    }
}

/// [`prepare_sign`] without making the payload as signed a value of its own; `guard` runs
/// last, before the signature.
fn prepare<'a>(
    payload: PayloadInput<'a>,
    key: &KeyArg,
    options: &Value,
    now_ms: f64,
    guard: Option<Guard>,
) -> Result<(Signer, Payload<'a>)> {
    // Deeper values are refused before anything recursive (clone, JSON) touches them; object
    // text is only ever as deep as `ObjectText` takes it.
    if let PayloadInput::Value(payload) = payload {
        payload.check_depth("the payload")?;
    }
    options.check_depth("the options")?;
    let options = Options::new(options);
    let is_object_payload = match payload {
        PayloadInput::Value(payload) => {
            payload.type_of() == "object" && !matches!(payload, Value::Bytes(_))
        }
        PayloadInput::Object(_) => true,
    };
    let header = Header::of(options, is_object_payload);

    if !key.is_truthy() && !options.get("algorithm").strict_equals(&"none".into()) {
        return Err(Error::plain(
            ErrorCode::MissingKey,
            "secretOrPrivateKey must have a value",
        ));
    }
    let key = signing_key_object(key)?;

    let alg_value = header.alg();
    let Value::String(alg) = alg_value else {
        return Err(alg_not_a_string(alg_value, ErrorCode::UnsupportedAlgorithm));
    };
    let alg = alg.clone();
    check_key_type(&alg, key.as_ref(), options)?;

    let mut claims = validated_payload(payload, is_object_payload, options)?;

    let claim = |name| match &claims {
        Payload::Claims(claims) => claims.get(name),
        Payload::AsIs(value) => value.get(name),
    };
    if claim("exp").type_of() != "undefined" && options.has("expiresIn") {
        return Err(conflict(
            "Bad \"options.expiresIn\" option the payload already has an \"exp\" property.",
        ));
    }
    if claim("nbf").type_of() != "undefined" && options.has("notBefore") {
        return Err(conflict(
            "Bad \"options.notBefore\" option the payload already has an \"nbf\" property.",
        ));
    }

    validate_sign_options(options)?;

    if !options.flag("allowInvalidAsymmetricKeyTypes") {
        validate_asymmetric_key(&alg, key.as_ref())?;
    }

    if let Payload::Claims(claims) = &mut claims {
        add_claims(claims, options, now_ms)?;
    }

    let encoding = match options.get("encoding") {
        Value::String(name) if !name.is_empty() => name.as_str(),
        _ => "utf8",
    };

    let input = SigningInput::new(&header, &alg, &claims, encoding)?;

    if let Some(guard) = guard {
        let claims = match &claims {
            Payload::Claims(claims) => Some(claims),
            Payload::AsIs(_) => None,
        };
        guard(&Unsigned {
            header: header.value(),
            claims,
        })?;
    }

    let signer = Signer {
        input,
        key,
        alg,
        allow_insecure_key_sizes: options.flag("allowInsecureKeySizes"),
    };
    Ok((signer, claims))
}

/// The key type and size checks made before the payload is looked at.
fn check_key_type(alg: &str, key: Option<&KeyObject>, options: Options<'_>) -> Result<()> {
    let missing = || reading_property_of(&Value::Undefined, "type", ErrorCode::MissingKey);
    if alg.starts_with("HS") {
        let key = key.ok_or_else(missing)?;
        if key.role() != KeyRole::Secret {
            return Err(Error::plain(
                ErrorCode::KeyAlgorithmMismatch,
                format!("secretOrPrivateKey must be a symmetric key when using {alg}"),
            ));
        }
    } else if alg.starts_with("RS") || alg.starts_with("PS") || alg.starts_with("ES") {
        let key = key.ok_or_else(missing)?;
        if key.role() != KeyRole::Private {
            return Err(Error::plain(
                ErrorCode::KeyAlgorithmMismatch,
                format!("secretOrPrivateKey must be an asymmetric key when using {alg}"),
            ));
        }
        let bits = match key.kind() {
            KeyKind::Rsa { bits } | KeyKind::RsaPss { bits } => Some(*bits),
            _ => None,
        };
        if !options.flag("allowInsecureKeySizes")
            && !alg.starts_with("ES")
            && bits.is_some_and(|bits| bits < 2048)
        {
            return Err(min_key_size(alg));
        }
    }
    Ok(())
}

fn min_key_size(alg: &str) -> Error {
    Error::plain(
        ErrorCode::KeyTooSmall,
        format!("secretOrPrivateKey has a minimum key size of 2048 bits for {alg}"),
    )
}

fn conflict(message: impl Into<String>) -> Error {
    Error::plain(ErrorCode::ClaimConflict, message)
}

/// The payload checks: `payload is required`, the plain-object and registered-claim checks of
/// an object payload (then a copy of it, `Object.assign({}, payload)`), and the options a
/// string or `Buffer` payload cannot take.
fn validated_payload<'a>(
    payload: PayloadInput<'a>,
    is_object: bool,
    options: Options<'_>,
) -> Result<Payload<'a>> {
    let payload = match payload {
        PayloadInput::Value(payload) => payload,
        PayloadInput::Object(object) => {
            let claims = Claims::of_text(object)?;
            claims.validate()?;
            return Ok(Payload::Claims(claims));
        }
    };
    if matches!(payload, Value::Undefined) {
        return Err(Error::plain(
            ErrorCode::InvalidPayload,
            "payload is required",
        ));
    }
    if is_object {
        validate_payload(payload)?;
        if let Value::Object(entries) = payload {
            return Ok(Payload::Claims(Claims::of(entries)));
        }
        return Ok(Payload::AsIs(payload));
    }
    let invalid: Vec<&str> = OPTIONS_FOR_OBJECTS
        .into_iter()
        .filter(|name| options.has(name))
        .collect();
    if !invalid.is_empty() {
        return Err(Error::plain(
            ErrorCode::InvalidOption,
            format!(
                "invalid {} option for {} payload",
                invalid.join(","),
                payload.type_of()
            ),
        ));
    }
    Ok(Payload::AsIs(payload))
}

/// `iat`, `nbf`, `exp`, then `aud`, `iss`, `sub`, `jti` from the options, on an object
/// payload (a string or `Buffer` payload takes none of the claim options, checked before).
fn add_claims(claims: &mut Claims<'_>, options: Options<'_>, now_ms: f64) -> Result<()> {
    let iat = claims.get("iat");
    let timestamp = if iat.is_truthy() {
        iat.clone()
    } else {
        Value::Number((now_ms / 1000.0).floor())
    };
    if options.flag("noTimestamp") {
        claims.remove("iat");
    } else {
        claims.assign("iat", timestamp.clone());
    }
    for (option, claim) in [("notBefore", "nbf"), ("expiresIn", "exp")] {
        if options.has(option) {
            let value = timespan(options.get(option), &timestamp, now_ms)?.ok_or_else(|| {
                Error::plain(ErrorCode::InvalidTimespan, invalid_timespan_message(option))
            })?;
            claims.assign(claim, Value::Number(value));
        }
    }
    for (option, claim) in OPTIONS_TO_PAYLOAD {
        if options.has(option) {
            if !matches!(claims.get(claim), Value::Undefined) {
                return Err(conflict(format!(
                    "Bad \"options.{option}\" option. The payload already has an \"{claim}\" property."
                )));
            }
            claims.assign(claim, options.get(option).clone());
        }
    }
    Ok(())
}

/// The signing input of `jws.sign({ header, payload, secret, encoding })`, built in `jws`'s
/// order (algorithm name, header JSON, payload text, payload encoding), so that its errors come
/// out in that order; [`SigningInput::sign`] finishes the token.
struct SigningInput {
    alg: Algorithm,
    token: String,
}

impl SigningInput {
    fn new(header: &Header, alg_name: &str, payload: &Payload<'_>, encoding: &str) -> Result<Self> {
        let alg = jwa_algorithm(alg_name).ok_or_else(|| jwa_invalid_algorithm(alg_name))?;
        // Room for most tokens; a longer one grows once, below.
        let mut token = String::with_capacity(1024);
        header.append_to(&mut token)?;
        let payload_text = match payload {
            Payload::Claims(claims) => claims.to_json()?,
            Payload::AsIs(value) => payload_to_string(value)?,
        };
        let encoding = Encoding::parse(encoding)?;
        let payload_bytes = node_buffer::from_string(&payload_text, encoding);
        // The payload's text, the dots and the signature's: 683 characters for RSA-4096, at
        // most 176 for HMAC and ECDSA (ES512). Reserving more than that would reallocate.
        let signature_room = match alg.family() {
            Family::Rsa | Family::RsaPss => 700,
            _ => 180,
        };
        token.reserve(payload_bytes.len().div_ceil(3) * 4 + 2 + signature_room);
        token.push('.');
        base64url::append(&payload_bytes, &mut token);
        Ok(SigningInput { alg, token })
    }

    /// `header.payload.signature`.
    fn sign(self, key: Option<&KeyObject>, allow_insecure_key_sizes: bool) -> Result<String> {
        let SigningInput { alg, mut token } = self;
        let signature = sign_bytes(alg, key, token.as_bytes(), allow_insecure_key_sizes)?;
        token.push('.');
        base64url::append(&signature, &mut token);
        Ok(token)
    }
}

/// `jws`'s `toString(payload)`: a string as is, a `Buffer` as UTF-8 text, a number printed,
/// anything else through `JSON.stringify`.
fn payload_to_string(payload: &Value) -> Result<String> {
    Ok(match payload {
        Value::String(s) => s.clone(),
        Value::Bytes(bytes) => String::from_utf8_lossy(bytes).into_owned(),
        Value::Number(n) => crate::value::number_to_string(*n),
        other => other.json_stringify()?.ok_or_else(|| {
            Error::type_error(
                ErrorCode::InvalidPayload,
                "The first argument must be of type string or an instance of Buffer, ArrayBuffer, \
                 or Array or an Array-like Object. Received undefined",
            )
        })?,
    })
}

/// The raw signature of `message` with `key` under `alg` (empty for `none`).
fn sign_bytes(
    alg: Algorithm,
    key: Option<&KeyObject>,
    message: &[u8],
    allow_insecure: bool,
) -> Result<Vec<u8>> {
    if alg == Algorithm::None {
        return Ok(Vec::new());
    }
    match key {
        Some(KeyObject::Signing(k)) => k
            .sign(alg, message)
            .map_err(|err| unusual_pair_error(alg, k.kind(), err, allow_insecure)),
        Some(KeyObject::Verifying(k)) if k.role() == KeyRole::Secret => k.mac(alg, message),
        Some(KeyObject::Verifying(_)) => Err(Error::plain(
            ErrorCode::KeyAlgorithmMismatch,
            format!("secretOrPrivateKey must be an asymmetric key when using {alg}"),
        )),
        None => Err(reading_property_of(
            &Value::Undefined,
            "type",
            ErrorCode::MissingKey,
        )),
    }
}

/// What Node does with a key type that only `allowInvalidAsymmetricKeyTypes` lets reach the
/// signature, where the key layer refuses the pair: an Ed25519/Ed448 key cannot sign
/// `RSA-SHA*` (OpenSSL: "Unsupported crypto operation"); an EC key signs `RSA-SHA*` as ECDSA,
/// a signature far shorter than 256 characters, which `jsonwebtoken`'s length check then
/// refuses as a short key unless `allowInsecureKeySizes` (then Node returns a token whose
/// ECDSA signature no JWS verifier accepts, and the key layer's refusal is kept).
fn unusual_pair_error(alg: Algorithm, kind: &KeyKind, err: Error, allow_insecure: bool) -> Error {
    if err.code() != ErrorCode::KeyAlgorithmMismatch {
        return err;
    }
    let rsa_alg = matches!(alg.family(), Family::Rsa | Family::RsaPss);
    match kind.asymmetric_key_type() {
        Some("ec") if rsa_alg && !allow_insecure => min_key_size(alg.as_str()),
        Some("ec" | "rsa" | "rsa-pss") | None => err,
        Some(_) => Error::plain(
            ErrorCode::KeyAlgorithmMismatch,
            "Unsupported crypto operation",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base64url;

    fn object(members: &[(&str, Value)]) -> Value {
        members.iter().map(|(k, v)| (*k, v.clone())).collect()
    }

    const NOW_MS: f64 = 1_700_000_000_999.0;

    #[test]
    fn a_prepared_sign_is_worth_another_thread_only_with_an_asymmetric_key() {
        let pem = include_str!("../../testdata/keys/ec256-private-pkcs8.pem");
        let payload = object(&[("a", 1.0.into())]);
        let prepare = |key: KeyArg, alg: &str| {
            let options = object(&[("algorithm", alg.into())]);
            prepare_sign(&payload, &key, &options, NOW_MS).unwrap()
        };
        assert!(prepare(KeyArg::Text(pem.into()), "ES256").worth_another_thread());
        assert!(!prepare(KeyArg::Text("secret".into()), "HS256").worth_another_thread());
        assert!(!prepare(KeyArg::Missing, "none").worth_another_thread());
    }

    #[test]
    fn the_signed_payload_carries_the_added_claims_in_order() {
        let payload = object(&[("b", 1.0.into()), ("iat", 5.0.into()), ("1", true.into())]);
        let options = object(&[
            ("expiresIn", 60.0.into()),
            ("audience", "a".into()),
            ("keyid", "k".into()),
        ]);
        let signed =
            sign_with_claims(&payload, &KeyArg::Text("s".into()), &options, NOW_MS).unwrap();
        let expected = object(&[
            ("1", true.into()),
            ("b", 1.0.into()),
            ("iat", 5.0.into()),
            ("exp", 65.0.into()),
            ("aud", "a".into()),
        ]);
        assert_eq!(signed.payload, expected);
        let decoded =
            crate::compat::decode(&Value::String(signed.token), &Value::Undefined).unwrap();
        assert_eq!(
            decoded.to_json_string().unwrap(),
            expected.to_json_string().unwrap()
        );
    }

    #[test]
    fn string_and_buffer_payloads_are_signed_as_is_without_typ() {
        let key = KeyArg::Text("s".into());
        let token = sign(&"hello".into(), &key, &Value::Undefined, NOW_MS).unwrap();
        assert!(token.starts_with(&format!(
            "{}.{}.",
            base64url::encode(br#"{"alg":"HS256"}"#),
            base64url::encode(b"hello")
        )));
        let token = sign(
            &Value::Bytes(b"raw".to_vec()),
            &key,
            &Value::Undefined,
            NOW_MS,
        )
        .unwrap();
        assert_eq!(
            token.split('.').nth(1),
            Some(base64url::encode(b"raw").as_str())
        );
    }

    #[test]
    fn a_proto_member_of_the_header_option_adds_nothing() {
        // Node: the header of jwt.sign({a: 1}, 's', {noTimestamp: true,
        // header: JSON.parse('{"__proto__":{"y":1},"z":1}')}) is {"alg":"HS256","typ":"JWT","z":1}
        let extras = object(&[
            ("__proto__", object(&[("y", 1.0.into())])),
            ("z", 1.0.into()),
        ]);
        let options = object(&[("noTimestamp", true.into()), ("header", extras)]);
        let token = sign(
            &object(&[("a", 1.0.into())]),
            &KeyArg::Text("s".into()),
            &options,
            NOW_MS,
        )
        .unwrap();
        assert_eq!(
            token.split('.').next(),
            Some(base64url::encode(br#"{"alg":"HS256","typ":"JWT","z":1}"#).as_str())
        );
    }

    #[test]
    fn prepare_refuses_bad_input_and_finish_makes_the_same_token_as_sign() {
        let options = object(&[("expiresIn", "nonsense".into())]);
        let refused = prepare_sign(&object(&[]), &KeyArg::Text("s".into()), &options, NOW_MS);
        assert_eq!(
            refused.err().map(|error| error.message().to_owned()),
            Some(
                "\"expiresIn\" should be a number of seconds or string representing a \
                 timespan eg: \"1d\", \"20h\", 60"
                    .to_owned()
            )
        );
        let options = object(&[("expiresIn", "5m".into())]);
        let payload = object(&[("a", 1.0.into())]);
        let key = KeyArg::Text("s".into());
        let prepared = prepare_sign(&payload, &key, &options, NOW_MS).unwrap();
        fn on_another_thread<T: Send + 'static>(_: &T) {}
        on_another_thread(&prepared);
        assert_eq!(
            prepared.finish().unwrap().token,
            sign(&payload, &key, &options, NOW_MS).unwrap()
        );
    }

    #[test]
    fn mutate_payload_is_asked_for_by_any_truthy_value() {
        for value in [true.into(), 1.0.into(), "yes".into()] {
            assert!(mutates_payload(&object(&[("mutatePayload", value)])));
        }
        for value in [
            false.into(),
            0.0.into(),
            "".into(),
            Value::Undefined,
            Value::Null,
        ] {
            assert!(!mutates_payload(&object(&[("mutatePayload", value)])));
        }
        assert!(!mutates_payload(&Value::Undefined));
    }

    #[test]
    fn sign_json_gives_what_sign_gives_for_the_parsed_payload() {
        let payloads = [
            // JSON.stringify's form: copied as written.
            r#"{"jti":"j","sub":"u","groups":["a","b"],"nested":{"deep":[1,{"x":null}]}}"#,
            r#"{"1":true,"name":"\"quoted\"\n","iat":1600000000}"#,
            r#"{"iat":"soon"}"#,
            r#"{"exp":1}"#,
            r#"{"iss":"already"}"#,
            r#"{"constructor":1}"#,
            // Other forms: parsed, then signed as that value.
            r#"{ "spaced" : 1 }"#,
            r#"{"b":1,"1":2}"#,
            r#"{"a":1,"a":2}"#,
            r#"{"__proto__":{"admin":true}}"#,
            r#"{"a":"\u0041","n":1.0}"#,
            r#"["an","array"]"#,
            r#""a string""#,
            r#"{"broken":"#,
        ];
        assert!(
            payloads[..6]
                .iter()
                .all(|text| ObjectText::parse(text).is_some())
        );
        assert!(
            payloads[6..]
                .iter()
                .all(|text| ObjectText::parse(text).is_none())
        );
        let key = KeyArg::Text("s".into());
        let options_list = [
            object(&[("expiresIn", "1h".into()), ("issuer", "me".into())]),
            object(&[("noTimestamp", true.into())]),
            object(&[
                ("audience", "qlik.api/login/jwt-session".into()),
                ("algorithm", "HS256".into()),
            ]),
        ];
        for text in payloads {
            let parsed = Value::from_json_str(text);
            for options in &options_list {
                let from_text = sign_json(text, &key, options, NOW_MS);
                match &parsed {
                    Ok(payload) => {
                        assert_eq!(from_text, sign(payload, &key, options, NOW_MS), "{text}");
                    }
                    Err(error) => assert_eq!(from_text.as_ref().err(), Some(error), "{text}"),
                }
            }
        }
    }

    #[test]
    fn iat_is_the_floored_second_of_now() {
        let signed = sign_with_claims(
            &object(&[]),
            &KeyArg::Text("s".into()),
            &Value::Undefined,
            NOW_MS,
        )
        .unwrap();
        assert_eq!(signed.payload.get("iat"), &Value::Number(1_700_000_000.0));
    }

    #[test]
    fn a_missing_key_is_refused_unless_the_algorithm_is_none() {
        let err = sign(&object(&[]), &KeyArg::Missing, &Value::Undefined, NOW_MS).unwrap_err();
        assert_eq!(err.message(), "secretOrPrivateKey must have a value");
        assert_eq!(err.code(), ErrorCode::MissingKey);
        let none = object(&[("algorithm", "none".into())]);
        let token = sign(&object(&[]), &KeyArg::Missing, &none, NOW_MS).unwrap();
        assert!(token.ends_with('.'));
    }
}
