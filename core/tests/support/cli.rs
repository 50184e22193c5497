//! The `qlik-jwt` command as a subprocess, for the command-line tests: running it, reading its
//! output, and a `tenant` subprocess that lives as long as its guard.

use std::io::{BufRead as _, BufReader};
use std::process::{Child, Command, Output, Stdio};

use serde_json::Value as Json;

/// The command built for these tests.
pub const BIN: &str = env!("CARGO_BIN_EXE_qlik-jwt");

/// The command with `args` and no stdin, to add to before running.
pub fn command(args: &[&str]) -> Command {
    let mut command = Command::new(BIN);
    command.args(args).stdin(Stdio::null());
    command
}

/// Runs the command with `args` and no stdin.
pub fn qlik_jwt(args: &[&str]) -> Output {
    command(args).output().expect("qlik-jwt runs")
}

/// Runs `qlik-jwt args extra`, with `--json` first when `json_output`.
pub fn qlik_jwt_then(json_output: bool, args: &[&str], extra: &[&str]) -> Output {
    let mut all = if json_output {
        vec!["--json"]
    } else {
        Vec::new()
    };
    all.extend_from_slice(args);
    all.extend_from_slice(extra);
    qlik_jwt(&all)
}

/// The exit code.
pub fn code(output: &Output) -> i32 {
    output.status.code().expect("exited")
}

/// Stdout as text.
pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Stderr as text.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Stdout as one JSON document.
pub fn json(output: &Output) -> Json {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not one JSON document ({e}): {} / {}",
            stdout(output),
            stderr(output)
        )
    })
}

/// A `qlik-jwt tenant --json` subprocess; killed when dropped.
pub struct TenantProcess {
    child: Child,
    /// The tenant's URL.
    pub url: String,
    /// The first line it printed.
    pub first: Json,
}

impl TenantProcess {
    /// Starts `qlik-jwt tenant --json --for 120` with `args` and waits for its first line.
    pub fn start(args: &[&str]) -> TenantProcess {
        let mut all = vec!["tenant", "--json", "--for", "120"];
        all.extend_from_slice(args);
        let mut child = command(&all)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("tenant starts");
        let mut line = String::new();
        BufReader::new(child.stdout.as_mut().unwrap())
            .read_line(&mut line)
            .unwrap();
        let first: Json = serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line:?}"));
        assert_eq!(first["ok"], true);
        let url = first["url"].as_str().unwrap().to_owned();
        TenantProcess { child, url, first }
    }
}

impl Drop for TenantProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
