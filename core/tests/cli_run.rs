//! `cli::run` in-process, as the Node and Python packages call it: output goes to the writers
//! given, never to the process's own stdout, and the exit code comes back.

use qlik_jwt::cli::{EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, run};
use serde_json::Value as Json;

fn call(args: &[&str]) -> (i32, String, String) {
    let mut argv = vec!["qlik-jwt".to_owned()];
    argv.extend(args.iter().map(|a| (*a).to_owned()));
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = run(argv, &mut out, &mut err);
    (
        code,
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    )
}

#[test]
fn output_goes_to_the_writers_given() {
    let (code, out, err) = call(&["sign", "--demo", "--json"]);
    assert_eq!(code, EXIT_OK, "{err}");
    let body: Json = serde_json::from_str(&out).unwrap();
    assert_eq!(body["ok"], true);
    assert_eq!(body["payload"]["iss"], "qlik-jwt-demo");

    let (code, out, _) = call(&["sign", "--help"]);
    assert_eq!(code, EXIT_OK);
    assert!(out.contains("Usage: qlik-jwt sign"));
}

#[test]
fn failures_come_back_as_codes_and_stderr_text() {
    let (code, out, err) = call(&["sign", "--nope"]);
    assert_eq!(code, EXIT_USAGE);
    assert!(out.is_empty());
    assert!(err.contains("--nope"), "{err}");

    let (code, out, err) = call(&["explain", "--json", "a.b"]);
    assert_eq!(code, EXIT_PROBLEMS);
    assert!(
        err.is_empty(),
        "a refused token is a result, not an error: {err}"
    );
    let body: Json = serde_json::from_str(&out).unwrap();
    assert_eq!(body["accepted"], false);
}

#[test]
fn the_demo_key_is_marked_and_matches_its_certificate() {
    use qlik_jwt::cli::demo;
    assert!(demo::WARNING.contains("DEMO"));
    let key = qlik_jwt::SigningKey::from_private(demo::PRIVATE_KEY_PEM.as_bytes(), None).unwrap();
    let cert = qlik_jwt::VerifyingKey::from_public(demo::CERTIFICATE_PEM.as_bytes(), None).unwrap();
    assert!(qlik_jwt::setup::key_matches(&key, &cert).unwrap());
}
