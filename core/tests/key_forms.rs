//! Replays the key-form table of `tests/vectors/key-forms.json` (what the real `jsonwebtoken`
//! 9.0.3 does with every key form of `tests/keys/`, as a string, a `Buffer` and a `KeyObject`,
//! for `sign` with every algorithm and `verify` with a token of every algorithm) against
//! `qlik_jwt::compat`. A `KeyObject` is the key file parsed by the core, as Node's
//! `createPrivateKey`/`createPublicKey` parse it; where Node makes none, the core must refuse
//! the file too. Every row runs; the failures are reported together.

mod support;

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use qlik_jwt::compat::{self, KeyArg};
use qlik_jwt::key::PemSyntax;
use qlik_jwt::{Error, SigningKey, Value, VerifyingKey};
use serde_json::Value as Json;
use support::class_name;

fn repo_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read_key(file: &str) -> Vec<u8> {
    let path = repo_dir().join("tests").join("keys").join(file);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

struct Table {
    doc: Json,
    passphrase: Vec<u8>,
    /// Each file's `KeyObject` (sign's, verify's), parsed once as Node parses it once.
    key_objects: RefCell<HashMap<(String, bool), Result<KeyArg, Error>>>,
}

impl Table {
    fn load() -> Table {
        let path = repo_dir().join("tests/vectors/key-forms.json");
        let text = std::fs::read_to_string(&path).expect("tests/vectors/key-forms.json");
        let doc: Json = serde_json::from_str(&text).expect("key-forms.json is JSON");
        assert_eq!(doc["jsonwebtoken"], "9.0.3");
        let rows = doc["sign"].as_array().unwrap().len() + doc["verify"].as_array().unwrap().len();
        assert_eq!(Some(rows as u64), doc["count"].as_u64(), "count");
        for (file, digest) in doc["keys_sha256"].as_object().unwrap() {
            let actual = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, &read_key(file));
            let actual: String = actual.as_ref().iter().map(|b| format!("{b:02x}")).collect();
            assert_eq!(
                Some(actual.as_str()),
                digest.as_str(),
                "tests/keys/{file} changed since key-forms.json was made: regenerate it"
            );
        }
        let passphrase = doc["passphrase"].as_str().unwrap().as_bytes().to_vec();
        Table {
            doc,
            passphrase,
            key_objects: RefCell::default(),
        }
    }

    /// The key argument of a row; `Err` with the core's refusal when it cannot make the
    /// `KeyObject`.
    fn key_argument(&self, row: &Json, use_for_sign: bool) -> Result<KeyArg, Error> {
        let file = row["key"].as_str().unwrap();
        let bytes = read_key(file);
        let passphrase = file.contains("encrypted").then_some(&self.passphrase[..]);
        Ok(match (row["as"].as_str().unwrap(), passphrase) {
            ("keyobject", _) => self
                .key_objects
                .borrow_mut()
                .entry((file.to_owned(), use_for_sign))
                .or_insert_with(|| key_object(&bytes, passphrase, use_for_sign))
                .clone()?,
            (_, Some(passphrase)) => KeyArg::WithPassphrase {
                key: bytes,
                passphrase: passphrase.to_vec(),
            },
            ("text", None) => KeyArg::Text(String::from_utf8(bytes).expect("PEM is UTF-8")),
            ("buffer", None) => KeyArg::Bytes(bytes),
            (other, _) => panic!("unknown argument kind {other}"),
        })
    }
}

/// The key file parsed by the core as Node's `createPrivateKey`/`createPublicKey` would.
fn key_object(
    bytes: &[u8],
    passphrase: Option<&[u8]>,
    use_for_sign: bool,
) -> Result<KeyArg, Error> {
    Ok(if use_for_sign {
        KeyArg::Signing(SigningKey::from_private_with(
            bytes,
            passphrase,
            PemSyntax::OpenSsl,
        )?)
    } else {
        KeyArg::Verifying(VerifyingKey::from_public_with(
            bytes,
            passphrase,
            PemSyntax::OpenSsl,
        )?)
    })
}

fn payload(doc: &Json) -> Value {
    let sub = doc["payload"]["sub"].as_str().unwrap();
    Value::Object(vec![("sub".into(), Value::String(sub.into()))])
}

fn object(members: Vec<(&str, Value)>) -> Value {
    Value::Object(members.into_iter().map(|(k, v)| (k.into(), v)).collect())
}

const NOW_MS: f64 = 1_700_000_000_000.0;

fn check_error(got: &Error, expect: &Json) -> Result<(), String> {
    let want = (expect["class"].as_str(), expect["message"].as_str());
    if (Some(class_name(got.class())), Some(got.message())) == want {
        Ok(())
    } else {
        Err(format!(
            "expected error {want:?}, got {}: {:?} ({})",
            class_name(got.class()),
            got.message(),
            got.code()
        ))
    }
}

fn alg_of(token: &str) -> String {
    let header = token.split('.').next().unwrap_or_default();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(header)
        .unwrap_or_default();
    let json: Json = serde_json::from_slice(&bytes).unwrap_or(Json::Null);
    json["alg"].as_str().unwrap_or_default().to_owned()
}

fn header_and_payload(token: &str) -> &str {
    token.rfind('.').map_or(token, |i| &token[..i])
}

fn verifies(token: &str, public_file: &str) -> Result<(), String> {
    let options = object(vec![
        (
            "algorithms",
            Value::Array(vec![Value::String(alg_of(token))]),
        ),
        ("allowInvalidAsymmetricKeyTypes", Value::Bool(true)),
    ]);
    let key = KeyArg::Bytes(read_key(public_file));
    compat::verify(&Value::String(token.into()), &key, &options, NOW_MS)
        .map(|_| ())
        .map_err(|e| {
            format!(
                "{token} does not verify with {public_file}: {}",
                e.message()
            )
        })
}

fn check_sign(table: &Table, row: &Json) -> Result<(), String> {
    let expect = &row["expect"];
    let key = match table.key_argument(row, true) {
        Ok(key) if expect.get("no_key_object").is_some() => {
            return Err(format!(
                "Node makes no KeyObject, the core made {:?}",
                kind(&key)
            ));
        }
        Ok(key) => key,
        Err(_) if expect.get("no_key_object").is_some() => return Ok(()),
        Err(e) => return Err(format!("the core refused the KeyObject: {}", e.message())),
    };
    let alg = row["alg"].as_str().unwrap();
    let options = object(vec![
        ("algorithm", Value::String(alg.into())),
        ("noTimestamp", Value::Bool(true)),
    ]);
    let got = compat::sign(&payload(&table.doc), &key, &options, NOW_MS);
    match (got, expect.get("token"), expect.get("error")) {
        (Err(e), _, Some(want)) => check_error(&e, want),
        (Ok(token), Some(want), _) => {
            let want = want.as_str().unwrap();
            if row.get("randomized").is_none() {
                return if token == want {
                    Ok(())
                } else {
                    Err(format!("expected token {want}, got {token}"))
                };
            }
            if header_and_payload(&token) != header_and_payload(want) {
                return Err(format!("expected {want}, got {token}"));
            }
            let public_file = row["verify_key"].as_str().unwrap();
            verifies(&token, public_file)?;
            verifies(want, public_file)
        }
        (Ok(token), _, _) => Err(format!("expected {expect}, got token {token}")),
        (Err(e), _, _) => Err(format!(
            "expected {expect}, got error {}: {:?}",
            class_name(e.class()),
            e.message()
        )),
    }
}

fn check_verify(table: &Table, row: &Json) -> Result<(), String> {
    let expect = &row["expect"];
    let key = match table.key_argument(row, false) {
        Ok(key) if expect.get("no_key_object").is_some() => {
            return Err(format!(
                "Node makes no KeyObject, the core made {:?}",
                kind(&key)
            ));
        }
        Ok(key) => key,
        Err(_) if expect.get("no_key_object").is_some() => return Ok(()),
        Err(e) => return Err(format!("the core refused the KeyObject: {}", e.message())),
    };
    let token = table.doc["tokens"][row["token"].as_str().unwrap()]
        .as_str()
        .expect("the row's token is in `tokens`");
    let options = object(vec![(
        "algorithms",
        Value::Array(vec![Value::String(row["alg"].as_str().unwrap().into())]),
    )]);
    let got = compat::verify(&Value::String(token.into()), &key, &options, NOW_MS);
    match (got, expect.get("result"), expect.get("error")) {
        (Err(e), _, Some(want)) => check_error(&e, want),
        (Ok(value), Some(_), _) if value == payload(&table.doc) => Ok(()),
        (Ok(value), _, _) => Err(format!("expected {expect}, got {value:?}")),
        (Err(e), _, _) => Err(format!(
            "expected {expect}, got error {}: {:?}",
            class_name(e.class()),
            e.message()
        )),
    }
}

fn kind(key: &KeyArg) -> String {
    match key {
        KeyArg::Signing(k) => k.kind().describe(),
        KeyArg::Verifying(k) => k.kind().describe(),
        _ => "a key".into(),
    }
}

fn replay(section: &str, check: fn(&Table, &Json) -> Result<(), String>) {
    let table = Table::load();
    let rows = table.doc[section].as_array().unwrap();
    assert!(rows.len() > 1000, "{section}: only {} rows", rows.len());
    let failures: Vec<String> = rows
        .iter()
        .filter_map(|row| {
            check(&table, row)
                .err()
                .map(|diff| format!("  {}\n     {diff}", row["id"].as_str().unwrap_or("?")))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{section}: {} of {} rows differ from jsonwebtoken:\n{}",
        failures.len(),
        rows.len(),
        failures[..failures.len().min(60)].join("\n")
    );
}

#[test]
fn sign_with_every_key_form_as_jsonwebtoken() {
    replay("sign", check_sign);
}

#[test]
fn verify_with_every_key_form_as_jsonwebtoken() {
    replay("verify", check_verify);
}
