//! The `cargo fuzz` targets of `fuzz/` run as plain tests over their committed corpus (`fuzz/`
//! is outside the workspace, so this is how `cargo test` covers them). Each corpus file goes to
//! the same function its fuzz target calls; findings saved as `fuzz/corpus/<target>/crash-*`
//! are regression inputs.

use std::path::PathBuf;

use qlik_jwt::testing::fuzz;

fn run(target: &str, check: fn(&[u8])) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/corpus")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|error| panic!("{}: {error}", dir.display()))
        .map(|entry| entry.expect("corpus entry").path())
        .collect();
    files.sort();
    assert!(
        files.len() >= 5,
        "{target}: a corpus of {} files",
        files.len()
    );
    for file in files {
        let data = std::fs::read(&file).expect("corpus file");
        let outcome = std::panic::catch_unwind(|| check(&data));
        assert!(outcome.is_ok(), "{target}: {} fails", file.display());
    }
    // The empty input and a few degenerate ones are always part of the run.
    for data in [&b""[..], b"\0", b"\xff\xfe", b"...", b"{", b"["] {
        check(data);
    }
}

#[test]
fn timespan_corpus() {
    run("timespan", fuzz::timespan);
}

#[test]
fn keys_corpus() {
    run("keys", fuzz::keys);
}

#[test]
fn token_corpus() {
    run("token", fuzz::token);
}

#[test]
fn json_corpus() {
    run("json", fuzz::json);
}

#[test]
fn sign_corpus() {
    run("sign", fuzz::sign);
}

#[test]
fn explain_corpus() {
    run("explain", fuzz::explain);
}

#[cfg(feature = "protocol")]
#[test]
fn oauth_explain_corpus() {
    run("oauth_explain", fuzz::oauth_explain);
}
