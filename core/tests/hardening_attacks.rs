//! Known JWT attacks against the core: unsigned tokens, an RSA public key as an HMAC
//! secret, key types that do not fit the algorithm, stripped and malformed signatures (psychic
//! ECDSA included), header and payload tampering; plus the regressions the hardening work found.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use qlik_jwt::compat::{self, KeyArg};
use qlik_jwt::qlik::{IdentityProvider, QlikSigner, QlikUser, SignerConfig, explain};
use qlik_jwt::{Algorithm, ErrorCode, SigningKey, Value, VerifyingKey};

const NOW_MS: f64 = 1_700_000_000_000.0;
const SECRET: &str = "hardening-secret-9f2b";
const ALGORITHMS: [&str; 12] = [
    "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256",
    "ES384", "ES512",
];

fn key_text(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/../tests/keys/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("test key")
}

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

fn json(text: &str) -> Value {
    Value::from_json_str(text).expect("test JSON")
}

/// The (signing, verifying) key text for an algorithm.
fn keys_for(alg: &str) -> (String, String) {
    match &alg[..2] {
        "HS" => (SECRET.to_owned(), SECRET.to_owned()),
        "ES" => {
            let name = match alg {
                "ES256" => "ec256",
                "ES384" => "ec384",
                _ => "ec521",
            };
            (
                key_text(&format!("{name}-private-pkcs8.pem")),
                key_text(&format!("{name}-public-spki.pem")),
            )
        }
        _ => (
            key_text("rsa2048-private-pkcs8.pem"),
            key_text("rsa2048-public-spki.pem"),
        ),
    }
}

fn token_for(alg: &str) -> String {
    let (private, _) = keys_for(alg);
    let options = json(&format!(r#"{{"algorithm":"{alg}","keyid":"kid-1"}}"#));
    compat::sign(
        &json(r#"{"sub":"alice","admin":false}"#),
        &KeyArg::Text(private),
        &options,
        NOW_MS,
    )
    .expect("control token")
}

fn verify(token: &str, key: &str, options: &str) -> qlik_jwt::Result<Value> {
    compat::verify(
        &Value::String(token.to_owned()),
        &KeyArg::Text(key.to_owned()),
        &json(options),
        NOW_MS,
    )
}

fn refused(token: &str, key: &str, options: &str, code: ErrorCode) {
    match verify(token, key, options) {
        Ok(payload) => panic!("accepted {token}: {payload:?}"),
        Err(error) => assert_eq!(error.code(), code, "{token}: {}", error.message()),
    }
}

fn with_signature(token: &str, signature: &[u8]) -> String {
    let (signing_input, _) = token.rsplit_once('.').expect("three parts");
    format!("{signing_input}.{}", b64(signature))
}

#[test]
fn unsigned_tokens_need_no_key_and_an_explicit_none() {
    let unsigned = format!(
        "{}.{}.",
        b64(br#"{"alg":"none","typ":"JWT"}"#),
        b64(br#"{"sub":"alice"}"#)
    );
    refused(&unsigned, SECRET, "{}", ErrorCode::InvalidSignature);
    refused(
        &unsigned,
        SECRET,
        r#"{"algorithms":["none"]}"#,
        ErrorCode::InvalidSignature,
    );
    let no_key = |options: &str| {
        compat::verify(
            &Value::String(unsigned.clone()),
            &KeyArg::Missing,
            &json(options),
            NOW_MS,
        )
    };
    // CVE-2022-23540: without algorithms, no key no longer means "accept unsigned".
    assert_eq!(
        no_key("{}").unwrap_err().code(),
        ErrorCode::AlgorithmNotAllowed
    );
    assert_eq!(
        no_key(r#"{"algorithms":["HS256"]}"#).unwrap_err().code(),
        ErrorCode::AlgorithmNotAllowed
    );
    assert!(no_key(r#"{"algorithms":["none"]}"#).is_ok());
}

#[test]
fn an_rsa_public_key_is_never_an_hmac_secret_on_verify() {
    for file in [
        "rsa2048-public-spki.pem",
        "rsa2048-public-pkcs1.pem",
        "rsa2048-cert.pem",
    ] {
        let public = key_text(file);
        let secret = VerifyingKey::from_secret(public.as_bytes());
        let signing_input = format!(
            "{}.{}",
            b64(br#"{"alg":"HS256"}"#),
            b64(br#"{"sub":"admin"}"#)
        );
        let mac = SigningKey::from_secret(public.as_bytes())
            .sign(Algorithm::HS256, signing_input.as_bytes())
            .unwrap();
        let forged = format!("{signing_input}.{}", b64(&mac));
        // The forgery is a valid HMAC with the PEM text as the secret...
        assert!(
            secret
                .verify(Algorithm::HS256, signing_input.as_bytes(), &mac)
                .unwrap()
        );
        // ...and verify never takes the PEM text as a secret.
        refused(&forged, &public, "{}", ErrorCode::AlgorithmNotAllowed);
        refused(
            &forged,
            &public,
            r#"{"algorithms":["HS256"]}"#,
            ErrorCode::KeyAlgorithmMismatch,
        );
    }
}

#[test]
fn key_types_must_fit_the_algorithm() {
    let cases = [
        ("ES256", "rsa2048-public-spki.pem", "ES256"),
        ("RS256", "ec256-public-spki.pem", "RS256"),
        ("PS256", "ec256-public-spki.pem", "PS256"),
        ("ES384", "ec256-public-spki.pem", "ES384"),
        ("ES256", "ec521-public-spki.pem", "ES256"),
    ];
    for (alg, file, allowed) in cases {
        refused(
            &token_for(alg),
            &key_text(file),
            &format!(r#"{{"algorithms":["{allowed}"]}}"#),
            ErrorCode::KeyAlgorithmMismatch,
        );
    }
    // The key layer refuses the pairing on its own too, whoever calls it.
    let rsa =
        VerifyingKey::from_public(key_text("rsa2048-public-spki.pem").as_bytes(), None).unwrap();
    assert!(rsa.verify(Algorithm::ES256, b"m", &[0; 64]).is_err());
    let ec =
        SigningKey::from_private(key_text("ec256-private-pkcs8.pem").as_bytes(), None).unwrap();
    assert!(ec.sign(Algorithm::RS256, b"m").is_err());
    assert!(ec.sign(Algorithm::ES384, b"m").is_err());
    assert!(ec.sign(Algorithm::HS256, b"m").is_err());
}

/// Curve orders: r = s = n must fail like r = s = 0.
fn curve_order(alg: &str) -> Vec<u8> {
    let hex = match alg {
        "ES256" => "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551",
        "ES384" => {
            "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973"
        }
        _ => {
            "01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409"
        }
    };
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect()
}

fn malformed_signatures(alg: &str, good: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut flipped = good.to_vec();
    flipped[good.len() / 2] ^= 1;
    let mut out = vec![
        ("empty".to_owned(), Vec::new()),
        ("truncated".to_owned(), good[..good.len() - 1].to_vec()),
        ("extended".to_owned(), [good, &[0]].concat()),
        ("all zero".to_owned(), vec![0; good.len()]),
        ("all 0xff".to_owned(), vec![0xff; good.len()]),
        ("bit flipped".to_owned(), flipped),
        ("doubled".to_owned(), [good, good].concat()),
    ];
    if alg.starts_with("ES") {
        let half = good.len() / 2;
        let n = curve_order(alg);
        out.push(("psychic r = s = 0".to_owned(), vec![0; good.len()]));
        out.push(("r = s = n".to_owned(), [n.as_slice(), &n].concat()));
        out.push((
            "r = 0".to_owned(),
            [&vec![0; half][..], &good[half..]].concat(),
        ));
        out.push((
            "s = 0".to_owned(),
            [&good[..half], &vec![0; half][..]].concat(),
        ));
        out.push((
            "r, s swapped".to_owned(),
            [&good[half..], &good[..half]].concat(),
        ));
    }
    out
}

#[test]
fn malformed_and_psychic_signatures_fail_for_every_algorithm() {
    for alg in ALGORITHMS {
        let token = token_for(alg);
        let (_, public) = keys_for(alg);
        assert!(verify(&token, &public, "{}").is_ok(), "{alg} control");
        let signature = URL_SAFE_NO_PAD
            .decode(token.rsplit('.').next().unwrap())
            .unwrap();
        let key = VerifyingKey::from_public(public.as_bytes(), None)
            .unwrap_or_else(|_| VerifyingKey::from_secret(public.as_bytes()));
        let algorithm: Algorithm = alg.parse().unwrap();
        let signing_input = token.rsplit_once('.').unwrap().0;
        for (name, bad) in malformed_signatures(alg, &signature) {
            refused(
                &with_signature(&token, &bad),
                &public,
                "{}",
                ErrorCode::InvalidSignature,
            );
            // The key layer alone says "no" (never an error that a caller could skip past).
            assert!(
                !key.verify(algorithm, signing_input.as_bytes(), &bad)
                    .unwrap_or(false),
                "{alg} {name}"
            );
        }
    }
}

#[test]
fn tampered_headers_and_payloads_fail() {
    for alg in ALGORITHMS {
        let token = token_for(alg);
        let (_, public) = keys_for(alg);
        let parts: Vec<&str> = token.split('.').collect();
        let header = String::from_utf8(URL_SAFE_NO_PAD.decode(parts[0]).unwrap()).unwrap();
        let payload = String::from_utf8(URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
        let forged_headers = [
            header.replace("kid-1", "kid-2"),
            header.replace(r#","kid":"kid-1""#, ""),
            header.replace(r#""typ":"JWT""#, r#""typ":"at+jwt""#),
        ];
        for forged in forged_headers {
            let tampered = format!("{}.{}.{}", b64(forged.as_bytes()), parts[1], parts[2]);
            refused(&tampered, &public, "{}", ErrorCode::InvalidSignature);
        }
        let forged_payloads = [
            payload.replace("false", "true"),
            payload.replace("alice", "mallory"),
            payload.replace(',', ", "),
        ];
        for forged in forged_payloads {
            let tampered = format!("{}.{}.{}", parts[0], b64(forged.as_bytes()), parts[2]);
            refused(&tampered, &public, "{}", ErrorCode::InvalidSignature);
        }
    }
}

#[test]
fn explain_reports_forged_signatures() {
    let private =
        SigningKey::from_private(key_text("ec256-private-pkcs8.pem").as_bytes(), None).unwrap();
    let signer = QlikSigner::new(SignerConfig {
        private_key: private.clone(),
        key_id: "k".into(),
        issuer: "i".into(),
        algorithm: Some(Algorithm::ES256),
        not_before_skew_secs: None,
        lifetime_secs: None,
    })
    .unwrap();
    let user = QlikUser {
        sub: "s".into(),
        name: "n".into(),
        email: "e@x".into(),
        email_verified: true,
        groups: None,
    };
    let now = 1_700_000_000;
    let good = signer.sign(&user, now).unwrap();
    let provider = IdentityProvider {
        issuer: Some("i".into()),
        key_id: Some("k".into()),
        certificate: Some(private.verifying_key()),
        clock_tolerance_secs: None,
    };
    assert!(explain(&good, &provider, now).is_empty());
    let psychic = with_signature(&good, &[0; 64]);
    let stripped = with_signature(&good, &[]);
    for forged in [psychic, stripped] {
        let codes: Vec<&str> = explain(&forged, &provider, now)
            .iter()
            .map(|p| p.code)
            .collect();
        assert!(codes.contains(&"QLIK_SIGNATURE_MISMATCH"), "{codes:?}");
    }
}

/// Regression (hardening): a 1024-bit RSA key made a Qlik signer although `jsonwebtoken` and the
/// compat layer refuse keys under 2048 bits unless explicitly allowed.
#[test]
fn a_qlik_signer_refuses_rsa_keys_under_2048_bits() {
    let short =
        SigningKey::from_private(key_text("rsa1024-private-pkcs8.pem").as_bytes(), None).unwrap();
    let error = QlikSigner::new(SignerConfig {
        private_key: short,
        key_id: "k".into(),
        issuer: "i".into(),
        algorithm: Some(Algorithm::RS256),
        not_before_skew_secs: None,
        lifetime_secs: None,
    })
    .unwrap_err();
    assert_eq!(error.code(), ErrorCode::KeyTooSmall);
    assert!(error.message().contains("1024-bit"), "{}", error.message());
}
