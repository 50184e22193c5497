//! Hooks for the hardening tests, fuzz targets and vector tests; not part of the supported API.
//!
//! The core never panics on purpose, so proving that a panic cannot cross the FFI boundary needs
//! one that does: each binding exposes [`panic_now`] under an underscored name and checks that it
//! comes back as an `ERR_INTERNAL` error instead of aborting the process.
//!
//! [`fuzz`] holds what each `cargo fuzz` target runs on one input, so the same functions also
//! run over the committed corpus in `cargo test` (`core/tests/fuzz_corpus.rs`).

/// Panics, always. The `Result` type lets bindings call it exactly like a real core entry point.
#[doc(hidden)]
pub fn panic_now() -> crate::Result<()> {
    panic!("qlik-jwt test hook: a deliberate panic")
}

/// [`QlikSigner::sign`](crate::qlik::QlikSigner::sign) with a given `jti`, so the tests in
/// `core/tests/` can compare its tokens byte for byte with those `jsonwebtoken` recorded.
#[doc(hidden)]
pub fn qlik_sign_with_jti(
    signer: &crate::qlik::QlikSigner,
    user: &crate::qlik::QlikUser,
    now_secs: i64,
    jti: String,
) -> crate::Result<String> {
    signer.sign_with_jti(user, now_secs, jti)
}

/// [`ClientAssertionSigner::sign_at`](crate::qlik::oauth::ClientAssertionSigner::sign_at) with a
/// given `jti`, so that Rust, Node and Python can be compared on one recorded assertion.
#[cfg(feature = "protocol")]
#[doc(hidden)]
pub fn oauth_sign_with_jti(
    signer: &crate::qlik::oauth::ClientAssertionSigner,
    now_secs: i64,
    jti: String,
) -> crate::Result<String> {
    signer.sign_with_jti(now_secs, jti)
}

/// One input of each fuzz target. Every function must return normally for any bytes: a panic
/// (or an abort) is a finding. Properties that must hold are asserted.
#[doc(hidden)]
pub mod fuzz {
    use std::sync::OnceLock;

    use crate::alg::Algorithm;
    use crate::compat::{self, KeyArg, Verification};
    use crate::drop_in;
    use crate::key::{SigningKey, VerifyingKey};
    use crate::qlik::{self, IdentityProvider};
    use crate::value::Value;

    /// A fixed instant: 2023-11-14T22:13:20Z.
    const NOW_MS: f64 = 1_700_000_000_000.0;

    const EC_PRIVATE: &str = include_str!("../testdata/keys/ec256-private-pkcs8.pem");
    const EC_PUBLIC: &str = include_str!("../testdata/keys/ec256-public-spki.pem");
    const RSA_PUBLIC: &str = include_str!("../testdata/keys/rsa2048-public-spki.pem");

    fn text(data: &[u8]) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(data)
    }

    /// The first byte picks a variant; the rest is the input.
    fn split(data: &[u8]) -> (u8, &[u8]) {
        match data.split_first() {
            Some((first, rest)) => (*first, rest),
            None => (0, data),
        }
    }

    /// Time spans: `ms` and `jsonwebtoken`'s `timespan` on any text; a result is a number.
    pub fn timespan(data: &[u8]) {
        let text = text(data);
        let millis = crate::timespan::ms(&text);
        if text.encode_utf16().count() > 100 {
            assert!(millis.is_none(), "ms accepts at most 100 characters");
        }
        let span = Value::String(text.into_owned());
        for iat in [
            Value::Undefined,
            Value::Number(1.5e9),
            Value::Number(f64::NAN),
        ] {
            let _ = crate::timespan::timespan(&span, &iat, NOW_MS);
        }
    }

    /// Keys in every format: PEM, DER, JWK, with and without a passphrase, through the key
    /// types and through the `jsonwebtoken` key cache. A key that parses signs and verifies.
    pub fn keys(data: &[u8]) {
        let (variant, body) = split(data);
        match variant % 4 {
            0 => {
                if let Ok(key) = SigningKey::from_private(body, None) {
                    sign_and_check(&key);
                }
                let _ = VerifyingKey::from_public(body, None);
            }
            1 => {
                // The passphrase is the part before the first NUL.
                let (passphrase, key) = match body.iter().position(|b| *b == 0) {
                    Some(at) => (&body[..at], &body[at + 1..]),
                    None => (&b"qlik-jwt-test"[..], body),
                };
                if let Ok(key) = SigningKey::from_private(key, Some(passphrase)) {
                    sign_and_check(&key);
                }
                let _ = VerifyingKey::from_public(key, Some(passphrase));
            }
            2 => {
                let json = text(body);
                if let Ok(key) = SigningKey::from_jwk(&json) {
                    sign_and_check(&key);
                }
                let _ = VerifyingKey::from_jwk(&json);
            }
            _ => {
                let _ = crate::key::cache::private_key(body, None);
                let _ = crate::key::cache::public_key(body, None);
            }
        }
    }

    fn sign_and_check(key: &SigningKey) {
        let public = key.verifying_key();
        for alg in [
            Algorithm::HS256,
            Algorithm::RS256,
            Algorithm::PS256,
            Algorithm::ES256,
            Algorithm::ES384,
            Algorithm::ES512,
        ] {
            if let Ok(signature) = key.sign(alg, b"message") {
                assert_eq!(
                    public.verify(alg, b"message", &signature).ok(),
                    Some(true),
                    "a key's own signature verifies ({alg:?})"
                );
            }
        }
    }

    fn verifying_keys() -> &'static [(KeyArg, &'static str)] {
        static KEYS: OnceLock<Vec<(KeyArg, &'static str)>> = OnceLock::new();
        KEYS.get_or_init(|| {
            vec![
                (KeyArg::Text("fuzz-secret".into()), "{}"),
                (KeyArg::Text(EC_PUBLIC.into()), "{}"),
                (
                    KeyArg::Text(RSA_PUBLIC.into()),
                    r#"{"algorithms":["RS256","PS256","HS256","none"]}"#,
                ),
                (KeyArg::Missing, r#"{"algorithms":["none"]}"#),
            ]
        })
    }

    /// Token decode and verify: any text as a token for `decode` (all its forms), `verify`
    /// with secrets and public keys, and the two-phase verification.
    pub fn token(data: &[u8]) {
        let (variant, body) = split(data);
        let token = Value::String(text(body).into_owned());
        for options in [
            r#"{}"#,
            r#"{"complete":true}"#,
            r#"{"json":true,"complete":true}"#,
        ] {
            let options = Value::from_json_str(options).expect("fixed options");
            let _ = compat::decode(&token, &options);
        }
        let (key, options) = &verifying_keys()[usize::from(variant) % verifying_keys().len()];
        let options = if variant & 0x80 != 0 {
            r#"{"complete":true,"ignoreExpiration":true,"maxAge":"1d","audience":"a"}"#
        } else {
            options
        };
        let options = Value::from_json_str(options).expect("fixed options");
        let _ = compat::verify(&token, key, &options, NOW_MS);
        if let Ok(verification) = Verification::start(&token, &options, NOW_MS) {
            let _ = verification.header();
            let _ = verification.finish(key);
        }
    }

    /// Payload JSON: `JSON.parse` of any text; what parses stringifies, and the stringified
    /// text parses back to a value that stringifies to the same text.
    /// Text that `sign` copies as written (`ObjectText`) is text the round trip leaves as is.
    pub fn json(data: &[u8]) {
        let text = text(data);
        let copied_as_written = crate::value::ObjectText::parse(&text).is_some();
        let Ok(value) = Value::from_json_str(&text) else {
            assert!(
                !copied_as_written,
                "ObjectText took text JSON.parse refuses"
            );
            return;
        };
        if copied_as_written {
            assert_eq!(value.to_json_string().as_deref(), Ok(&*text));
        }
        let Ok(first) = value.to_json_string() else {
            return;
        };
        let again = Value::from_json_str(&first).expect("stringified JSON parses");
        let second = again.to_json_string().expect("a parsed value stringifies");
        assert_eq!(first, second, "JSON round trip is stable");
    }

    /// The packages' `sign` with a payload and options from JSON (the first NUL splits them), with a secret
    /// and an EC key; each token made is decoded and verified. `sign_json` of the payload's
    /// text gives what `sign` gives for the parsed payload.
    pub fn sign(data: &[u8]) {
        let input = text(data);
        let (payload_text, options) = input.split_once('\0').unwrap_or((&input, "{}"));
        let parsed = Value::from_json_str(payload_text);
        let is_json = parsed.is_ok();
        let payload = parsed.unwrap_or(Value::String(payload_text.to_owned()));
        let Ok(options) = Value::from_json_str(options) else {
            return;
        };
        for (private, public) in [("fuzz-secret", "fuzz-secret"), (EC_PRIVATE, EC_PUBLIC)] {
            let key = KeyArg::Text(private.into());
            let signed = drop_in::sign(&payload, &key, &options, NOW_MS);
            if is_json && private == "fuzz-secret" {
                let from_text = drop_in::sign_json(payload_text, &key, &options, NOW_MS);
                assert_eq!(from_text, signed, "sign_json and sign differ");
            }
            let Ok(token) = signed else {
                continue;
            };
            let _ = compat::decode(
                &Value::String(token.clone()),
                &Value::from_json_str(r#"{"complete":true}"#).expect("fixed options"),
            );
            let verify_options =
                Value::from_json_str(r#"{"ignoreExpiration":true,"ignoreNotBefore":true}"#)
                    .expect("fixed options");
            let _ = compat::verify(
                &Value::String(token),
                &KeyArg::Text(public.into()),
                &verify_options,
                NOW_MS,
            );
        }
    }

    /// The Qlik checks on any token text, with and without the provider's certificate.
    pub fn explain(data: &[u8]) {
        static PROVIDER: OnceLock<IdentityProvider> = OnceLock::new();
        let provider = PROVIDER.get_or_init(|| IdentityProvider {
            issuer: Some("issuer".into()),
            key_id: Some("kid".into()),
            certificate: VerifyingKey::from_public(EC_PUBLIC.as_bytes(), None).ok(),
            clock_tolerance_secs: Some(5),
        });
        let token = text(data);
        let problems = qlik::explain(&token, provider, 1_700_000_000);
        for problem in &problems {
            assert!(
                !problem.message.is_empty(),
                "{} has a message",
                problem.code
            );
        }
        let _ = qlik::explain(&token, &IdentityProvider::default(), i64::MAX);
    }

    /// OAuth client assertions from untrusted bytes, as a token endpoint judges them: every
    /// problem has a message, and an accepted assertion has a UUID `jti` and at most 300 s.
    #[cfg(feature = "protocol")]
    pub fn oauth_explain(data: &[u8]) {
        use crate::qlik::oauth::{MAX_LIFETIME_SECS, RegisteredClient, RegisteredKey, is_uuid};
        static CLIENT: OnceLock<RegisteredClient> = OnceLock::new();
        let client = CLIENT.get_or_init(|| {
            let key = RegisteredKey::from_public_key(RSA_PUBLIC.as_bytes(), Some("kid")).ok();
            RegisteredClient::new("client", "https://tenant.example.com", key)
                .expect("the fuzz client is valid")
        });
        let token = text(data);
        for now in [1_700_000_000, i64::MIN, i64::MAX] {
            match client.check(&token, now) {
                Ok(accepted) => {
                    assert!(is_uuid(&accepted.jti));
                    assert!(accepted.expires_at - accepted.issued_at <= MAX_LIFETIME_SECS);
                }
                Err(problems) => {
                    assert!(!problems.is_empty());
                    for problem in &problems {
                        assert!(
                            !problem.message.is_empty(),
                            "{} has a message",
                            problem.code
                        );
                    }
                }
            }
        }
        let _ = RegisteredKey::from_jwk(&token);
    }
}
