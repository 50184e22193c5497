//! The `qlik-jwt` command from npm (`npx qlik-jwt`, `bin/qlik-jwt.js`): the core's command,
//! writing straight to the process's stdout and stderr so that the long-running `tenant`
//! prints its URL at once.

use std::io::Write as _;

use napi_derive::napi;

/// Runs `qlik-jwt` with `argv` (the program name first) and returns the exit code. Blocks the
/// calling thread until the command ends (`tenant` runs until the process is interrupted).
#[napi]
pub fn run_cli(argv: Vec<String>) -> i32 {
    let mut stdout = std::io::stdout();
    let mut stderr = std::io::stderr();
    let code = qlik_jwt::cli::run(argv, &mut stdout, &mut stderr);
    let _ = stdout.flush();
    let _ = stderr.flush();
    code
}
