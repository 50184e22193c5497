//! The `qlik-jwt` command: one implementation behind `cargo install`, `npx qlik-jwt` and the
//! wheel's `qlik-jwt` console script, which all call [`run`].
//!
//! Subcommands: `keygen`, `sign`, `explain`, `idp-config`, `virtual-proxy-config`, `login`,
//! `tenant`, `demo`, `oauth` (`oauth assertion`, `oauth explain`, `oauth token`); each has
//! `--help`. With `--json`, stdout carries exactly one JSON document for every outcome, with
//! `"ok": true` or `"ok": false` and an `error` object; errors also go to stderr as text.
//!
//! Exit codes, for scripts:
//!
//! | code | meaning |
//! |---|---|
//! | 0 | done; for `explain`, Qlik would accept the token (warnings may be printed) |
//! | 1 | problems found or refused: `explain` found errors, the tenant refused the login, a key or claim is not what Qlik takes, the key does not belong to the certificate |
//! | 2 | usage: unknown flag, missing or malformed argument |
//! | 3 | a file could not be read or written |
//! | 4 | the tenant could not be reached |
//! | 5 | internal error (a bug: please report it) |

mod args;
mod certificate;
pub mod demo;
mod explain;
mod explain_client_managed;
mod idp;
mod keygen;
mod login;
mod login_client_managed;
mod oauth;
mod oauth_keygen;
mod output;
mod proxy_settings;
mod show;
mod sign;
mod sign_client_managed;
mod tenant;
mod tenant_client_managed;
mod virtual_proxy_config;

use std::io::Write;

use clap::Parser as _;

pub use output::{EXIT_INTERNAL, EXIT_IO, EXIT_OK, EXIT_PROBLEMS, EXIT_UNREACHABLE, EXIT_USAGE};

use args::{Cli, Command, Profile};
use output::{Failure, Out};

/// Runs the command with `args` (the program name first, as `std::env::args()` gives it),
/// writing to `stdout` and `stderr`, and returns the exit code. Never panics: a bug inside
/// becomes exit code 5.
pub fn run(args: Vec<String>, stdout: &mut dyn Write, stderr: &mut dyn Write) -> i32 {
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(error) => {
            let text = error.render().to_string();
            return if error.use_stderr() {
                let _ = stderr.write_all(text.as_bytes());
                if args.iter().any(|a| a == "--json") {
                    let body = serde_json::json!({
                        "ok": false,
                        "error": { "code": "ERR_USAGE", "message": first_line(&text) },
                    });
                    let _ = writeln!(stdout, "{body}");
                }
                EXIT_USAGE
            } else {
                // --help and --version.
                let _ = stdout.write_all(text.as_bytes());
                EXIT_OK
            };
        }
    };
    let json = cli.json;
    let mut out = Out {
        stdout,
        stderr,
        json,
    };
    let outcome =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| dispatch(cli, &mut out)));
    let result = outcome.unwrap_or_else(|_| {
        Err(Failure::new(
            EXIT_INTERNAL,
            "ERR_INTERNAL",
            "qlik-jwt failed inside (a bug): please report it with the command you ran",
        ))
    });
    match result {
        Ok(code) => code,
        Err(failure) => out.fail(&failure),
    }
}

fn dispatch(cli: Cli, out: &mut Out<'_>) -> Result<i32, Failure> {
    match cli.command {
        Command::Keygen(args) => keygen::run(&args, out),
        Command::Sign(args) if args.profile.profile == Profile::ClientManaged => {
            sign_client_managed::run(&args, out)
        }
        Command::Sign(args) => {
            sign_client_managed::refuse_in_cloud(&args)?;
            sign::run(&args, out)
        }
        Command::Explain(args) if args.profile.profile == Profile::ClientManaged => {
            explain_client_managed::run(&args, out)
        }
        Command::Explain(args) => {
            explain_client_managed::refuse_in_cloud(&args)?;
            explain::run(&args, out)
        }
        Command::IdpConfig(args) => idp::run(&args, out),
        Command::Login(args) if args.profile.profile == Profile::ClientManaged => {
            login_client_managed::run(&args, out)
        }
        Command::Login(args) => {
            login_client_managed::refuse_client_managed_flags(&args)?;
            login::run(&args, out)
        }
        Command::Tenant(args) => match args.profile.profile {
            Profile::ClientManaged => tenant_client_managed::run(&args, out),
            Profile::Cloud => {
                tenant_client_managed::refuse_proxy_flags(&args)?;
                tenant::run(&args, out)
            }
        },
        Command::VirtualProxyConfig(args) => virtual_proxy_config::run(&args, out),
        Command::Demo(_) => tenant::demo(out),
        Command::Oauth(args) => oauth::run(&args, out),
    }
}

fn first_line(text: &str) -> String {
    let line = text.lines().next().unwrap_or("").trim();
    line.strip_prefix("error: ").unwrap_or(line).to_owned()
}
