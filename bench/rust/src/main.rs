//! The speed limit: one RS256/ES256/HS256 signature with a key aws-lc-rs has already parsed,
//! and the same work through the qlik-jwt core (raw signature, whole token, Qlik signer).
//!
//! A measurement server with the same protocol as `bench/node/server.js`: one JSON command a
//! line on stdin, one JSON answer a line on stdout. The keys come as the JSON that
//! `node bench/node/keys.js` prints, in the environment variable `BENCH_KEYS`.

use std::io::{BufRead, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use aws_lc_rs::{hmac, rand, signature};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use qlik_jwt::compat::{self, KeyArg};
use qlik_jwt::qlik::{QlikSigner, QlikUser, SignerConfig};
use qlik_jwt::{Algorithm, SigningKey, Value};
use serde_json::{Value as Json, json};

const SUB: &str = "0hEhiPyhMBdtOCv2UZKoLo4G24p-7R6eeGdZUQHF0-c";
const KEY_ID: &str = "my-custom-jwt";
const ISSUER: &str = "https://my-custom-jwt";
const GROUPS: [&str; 3] = ["Administrators", "Sales", "Marketing"];

type Op = Arc<dyn Fn() -> Result<(), String> + Send + Sync>;

struct Case {
    alg: &'static str,
    lib: &'static str,
    variant: &'static str,
    ours: bool,
    make: Box<dyn Fn() -> Result<Op, String>>,
}

impl Case {
    fn id(&self) -> String {
        format!("rust/sign/{}/{}/{}", self.alg, self.lib, self.variant)
    }
}

/// What a key is, in the forms each case needs.
#[derive(Clone)]
struct Material {
    name: &'static str,
    jwa: Algorithm,
    /// PEM text, or the HS256 string secret.
    text: String,
}

impl Material {
    fn der(&self) -> Result<Vec<u8>, String> {
        let body: String = self
            .text
            .lines()
            .filter(|l| !l.starts_with("-----"))
            .collect();
        STANDARD
            .decode(body)
            .map_err(|e| format!("PEM body is not base64: {e}"))
    }
}

fn jti() -> String {
    let mut bytes = [0u8; 32];
    rand::fill(&mut bytes).expect("the system RNG works");
    URL_SAFE_NO_PAD.encode(bytes)
}

fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// The signing input of a tutorial token, the bytes one signature covers.
fn signing_input(jwa: &str) -> Vec<u8> {
    let now = now_secs();
    let header = json!({"alg": jwa, "typ": "JWT", "kid": KEY_ID});
    let payload = json!({"jti": jti(), "sub": SUB, "subType": "user", "name": "Hardcore Harry",
        "email": "", "email_verified": true, "groups": GROUPS, "iat": now, "nbf": now,
        "exp": now + 300, "aud": "qlik.api/login/jwt-session", "iss": ISSUER});
    format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(payload.to_string())
    )
    .into_bytes()
}

fn s(v: &str) -> Value {
    Value::String(v.to_owned())
}

fn tutorial_payload() -> Value {
    Value::Object(vec![
        ("jti".into(), Value::String(jti())),
        ("sub".into(), s(SUB)),
        ("subType".into(), s("user")),
        ("name".into(), s("Hardcore Harry")),
        ("email".into(), s("")),
        ("email_verified".into(), Value::Bool(true)),
        (
            "groups".into(),
            Value::Array(GROUPS.iter().map(|g| s(g)).collect()),
        ),
    ])
}

/// jsonwebtoken's options: the tutorial's for RS/ES; for HS256 an app's session token (Qlik
/// refuses HMAC, and qlik-jwt refuses to make an HS* token for Qlik's audience).
fn tutorial_options(jwa: &str) -> Value {
    if jwa == "HS256" {
        return Value::Object(vec![
            ("algorithm".into(), s(jwa)),
            ("issuer".into(), s("https://my-express-app")),
            ("expiresIn".into(), s("1h")),
        ]);
    }
    Value::Object(vec![
        ("keyid".into(), s(KEY_ID)),
        ("algorithm".into(), s(jwa)),
        ("issuer".into(), s(ISSUER)),
        ("expiresIn".into(), s("5m")),
        ("notBefore".into(), s("0s")),
        ("audience".into(), s("qlik.api/login/jwt-session")),
    ])
}

fn jwa_name(alg: Algorithm) -> &'static str {
    match alg {
        Algorithm::ES256 => "ES256",
        Algorithm::HS256 => "HS256",
        _ => "RS256",
    }
}

/// Checks a whole token's signature with aws-lc-rs directly, so a wrong token is never timed.
fn check_token(m: &Material, token: &str) -> Result<(), String> {
    let (input, sig) = token.rsplit_once('.').ok_or("not a compact JWS")?;
    let sig = URL_SAFE_NO_PAD
        .decode(sig)
        .map_err(|e| format!("signature: {e}"))?;
    let ok = match m.jwa {
        Algorithm::HS256 => {
            let key = hmac::Key::new(hmac::HMAC_SHA256, m.text.as_bytes());
            hmac::verify(&key, input.as_bytes(), &sig).is_ok()
        }
        Algorithm::ES256 => {
            let der = m.der()?;
            let kp = signature::EcdsaKeyPair::from_pkcs8(
                &signature::ECDSA_P256_SHA256_FIXED_SIGNING,
                &der,
            )
            .map_err(|e| format!("{e}"))?;
            use signature::KeyPair;
            signature::UnparsedPublicKey::new(
                &signature::ECDSA_P256_SHA256_FIXED,
                kp.public_key().as_ref(),
            )
            .verify(input.as_bytes(), &sig)
            .is_ok()
        }
        _ => {
            let kp = signature::RsaKeyPair::from_pkcs8(&m.der()?).map_err(|e| format!("{e}"))?;
            use signature::KeyPair;
            signature::UnparsedPublicKey::new(
                &signature::RSA_PKCS1_2048_8192_SHA256,
                kp.public_key().as_ref(),
            )
            .verify(input.as_bytes(), &sig)
            .is_ok()
        }
    };
    if ok {
        Ok(())
    } else {
        Err("signature does not verify with aws-lc-rs".into())
    }
}

fn aws_lc_op(m: &Material) -> Result<Op, String> {
    let input = signing_input(jwa_name(m.jwa));
    Ok(match m.jwa {
        Algorithm::HS256 => {
            let key = hmac::Key::new(hmac::HMAC_SHA256, m.text.as_bytes());
            Arc::new(move || {
                std::hint::black_box(hmac::sign(&key, &input));
                Ok(())
            })
        }
        Algorithm::ES256 => {
            let kp = signature::EcdsaKeyPair::from_pkcs8(
                &signature::ECDSA_P256_SHA256_FIXED_SIGNING,
                &m.der()?,
            )
            .map_err(|e| format!("{e}"))?;
            let rng = rand::SystemRandom::new();
            Arc::new(move || {
                std::hint::black_box(kp.sign(&rng, &input).map_err(|e| format!("{e}"))?);
                Ok(())
            })
        }
        _ => {
            let kp = signature::RsaKeyPair::from_pkcs8(&m.der()?).map_err(|e| format!("{e}"))?;
            let rng = rand::SystemRandom::new();
            Arc::new(move || {
                let mut sig = vec![0u8; kp.public_modulus_len()];
                kp.sign(&signature::RSA_PKCS1_SHA256, &rng, &input, &mut sig)
                    .map_err(|e| format!("{e}"))?;
                std::hint::black_box(sig);
                Ok(())
            })
        }
    })
}

fn signing_key(m: &Material) -> Result<SigningKey, String> {
    if m.jwa == Algorithm::HS256 {
        Ok(SigningKey::from_secret(m.text.as_bytes()))
    } else {
        SigningKey::from_private(m.text.as_bytes(), None).map_err(|e| e.to_string())
    }
}

fn core_key_op(m: &Material) -> Result<Op, String> {
    let key = signing_key(m)?;
    let input = signing_input(jwa_name(m.jwa));
    let alg = m.jwa;
    Ok(Arc::new(move || {
        std::hint::black_box(key.sign(alg, &input).map_err(|e| e.to_string())?);
        Ok(())
    }))
}

fn compat_op(m: &Material, parsed: bool) -> Result<Op, String> {
    let key = if parsed {
        KeyArg::Signing(signing_key(m)?)
    } else {
        KeyArg::Text(m.text.clone())
    };
    let options = tutorial_options(jwa_name(m.jwa));
    let one = move || -> Result<String, String> {
        let now_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0.0, |d| d.as_millis() as f64);
        compat::sign(&tutorial_payload(), &key, &options, now_ms).map_err(|e| e.to_string())
    };
    check_token(m, &one()?)?;
    Ok(Arc::new(move || {
        one().map(|t| drop(std::hint::black_box(t)))
    }))
}

fn signer_op(m: &Material) -> Result<Op, String> {
    let signer = QlikSigner::new(SignerConfig {
        private_key: signing_key(m)?,
        key_id: KEY_ID.into(),
        issuer: ISSUER.into(),
        algorithm: None,
        not_before_skew_secs: None,
        lifetime_secs: None,
    })
    .map_err(|e| e.to_string())?;
    let user = QlikUser {
        sub: SUB.into(),
        name: "Hardcore Harry".into(),
        email: String::new(),
        email_verified: true,
        groups: Some(GROUPS.iter().map(|g| g.to_string()).collect()),
    };
    let one = move || signer.sign(&user, now_secs()).map_err(|e| e.to_string());
    check_token(m, &one()?)?;
    Ok(Arc::new(move || {
        one().map(|t| drop(std::hint::black_box(t)))
    }))
}

fn materials(keys: &Json) -> Result<Vec<Material>, String> {
    let path = |name: &str| -> Result<String, String> {
        let p = keys["keys"][name]
            .as_str()
            .ok_or(format!("BENCH_KEYS has no {name}"))?;
        std::fs::read_to_string(p).map_err(|e| format!("{p}: {e}"))
    };
    Ok(vec![
        Material {
            name: "RS4096",
            jwa: Algorithm::RS256,
            text: path("RS4096")?,
        },
        Material {
            name: "RS2048",
            jwa: Algorithm::RS256,
            text: path("RS2048")?,
        },
        Material {
            name: "ES256",
            jwa: Algorithm::ES256,
            text: path("ES256")?,
        },
        Material {
            name: "HS256",
            jwa: Algorithm::HS256,
            text: keys["hsSecret"]
                .as_str()
                .ok_or("BENCH_KEYS has no hsSecret")?
                .to_owned(),
        },
    ])
}

fn cases(mats: &[Material]) -> Vec<Case> {
    let mut out = Vec::new();
    for m in mats {
        let mm = m.clone();
        out.push(Case {
            alg: m.name,
            lib: "aws-lc-rs",
            variant: "parsed-key",
            ours: false,
            make: Box::new(move || aws_lc_op(&mm)),
        });
        let mm = m.clone();
        out.push(Case {
            alg: m.name,
            lib: "qlik-jwt-core",
            variant: "SigningKey.sign",
            ours: true,
            make: Box::new(move || core_key_op(&mm)),
        });
        let mm = m.clone();
        out.push(Case {
            alg: m.name,
            lib: "qlik-jwt-core",
            variant: "compat-sign-pem-per-call",
            ours: true,
            make: Box::new(move || compat_op(&mm, false)),
        });
        let mm = m.clone();
        out.push(Case {
            alg: m.name,
            lib: "qlik-jwt-core",
            variant: "compat-sign-parsed-key",
            ours: true,
            make: Box::new(move || compat_op(&mm, true)),
        });
        if m.jwa != Algorithm::HS256 {
            let mm = m.clone();
            out.push(Case {
                alg: m.name,
                lib: "qlik-jwt-core",
                variant: "QlikSigner",
                ours: true,
                make: Box::new(move || signer_op(&mm)),
            });
        }
    }
    out
}

/// Calls `op` until `ms` have passed and at least `min_ops` calls were made.
fn run_loop(op: &Op, ms: f64, min_ops: u64) -> Result<(u64, f64), String> {
    let t0 = Instant::now();
    let window = Duration::from_secs_f64(ms / 1000.0);
    let mut ops = 0;
    while t0.elapsed() < window || ops < min_ops {
        op()?;
        ops += 1;
    }
    Ok((ops, t0.elapsed().as_secs_f64()))
}

fn measure(op: &Op, threads: usize, ms: f64, warm_ms: f64, min_ops: u64) -> Result<Json, String> {
    let barrier = Arc::new(Barrier::new(threads));
    let results: Vec<Result<(u64, f64), String>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                let barrier = barrier.clone();
                scope.spawn(move || {
                    // A later slice of an already warm case asks for no warm-up.
                    let warm = if warm_ms > 0.0 {
                        run_loop(op, warm_ms, 1).map(|_| ())
                    } else {
                        Ok(())
                    };
                    barrier.wait();
                    warm.and_then(|_| run_loop(op, ms, min_ops))
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| Err("panicked".into())))
            .collect()
    });
    let results = results.into_iter().collect::<Result<Vec<_>, _>>()?;
    let secs = results.iter().map(|r| r.1).fold(0.0, f64::max);
    let rate: f64 = results.iter().map(|(ops, s)| *ops as f64 / s).sum();
    Ok(json!({"ops": rate * secs, "secs": secs}))
}

fn panic_text(p: Box<dyn std::any::Any + Send>) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic".into())
}

fn main() {
    // A panic while preparing a case (an unfinished core) is reported as the case's skip reason.
    std::panic::set_hook(Box::new(|_| {}));
    let keys: Json = std::env::var("BENCH_KEYS")
        .ok()
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or(Json::Null);
    let all = match materials(&keys) {
        Ok(m) => cases(&m),
        Err(e) => {
            eprintln!("qlik-jwt-bench-limit: {e}");
            std::process::exit(2);
        }
    };
    let mut ops: std::collections::HashMap<String, Result<Op, String>> = Default::default();
    let stdout = std::io::stdout();
    for line in std::io::stdin().lock().lines() {
        let Ok(line) = line else { break };
        if line.trim().is_empty() {
            continue;
        }
        let cmd: Json = serde_json::from_str(&line).unwrap_or(Json::Null);
        let answer = match cmd["cmd"].as_str() {
            Some("list") => {
                let list: Vec<Json> = all
                    .iter()
                    .map(|c| {
                        let made =
                            catch_unwind(AssertUnwindSafe(|| (c.make)())).unwrap_or_else(|p| {
                                Err(format!("not implemented yet ({})", panic_text(p)))
                            });
                        let skip = made
                            .as_ref()
                            .err()
                            .map(|e| format!("failed to prepare: {e}"));
                        ops.insert(c.id(), made);
                        json!({"id": c.id(), "op": "sign", "alg": c.alg, "lib": c.lib,
                            "variant": c.variant, "mode": "sync", "ours": c.ours, "skip": skip})
                    })
                    .collect();
                json!({ "cases": list })
            }
            Some("run") => {
                let id = cmd["id"].as_str().unwrap_or_default();
                match ops.get(id) {
                    Some(Ok(op)) => {
                        let threads = cmd["threads"].as_u64().unwrap_or(1).max(1) as usize;
                        let ms = cmd["ms"].as_f64().unwrap_or(250.0);
                        let warm = cmd["warmMs"].as_f64().unwrap_or(50.0);
                        let min_ops = cmd["minOps"].as_u64().unwrap_or(1);
                        catch_unwind(AssertUnwindSafe(|| measure(op, threads, ms, warm, min_ops)))
                            .unwrap_or_else(|p| Err(panic_text(p)))
                            .unwrap_or_else(|e| json!({ "error": e }))
                    }
                    Some(Err(e)) => json!({ "error": format!("skipped: {e}") }),
                    None => json!({ "error": format!("unknown case {id}") }),
                }
            }
            Some("quit") => break,
            _ => json!({ "error": "unknown command" }),
        };
        let mut out = stdout.lock();
        let _ = writeln!(out, "{answer}");
        let _ = out.flush();
    }
}
