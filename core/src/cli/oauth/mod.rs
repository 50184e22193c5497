//! `qlik-jwt oauth`: Qlik Cloud OAuth with a private key JWT. Each subcommand has its own file;
//! the argument types live in `args.rs` beside the subcommand enum.

mod args;
mod assertion;
mod explain;
mod signer;
mod token;

pub(crate) use args::{OauthArgs, OauthCommand};

use super::output::{Failure, Out};

pub(crate) fn run(args: &OauthArgs, out: &mut Out<'_>) -> Result<i32, Failure> {
    match &args.command {
        OauthCommand::Assertion(args) => assertion::run(args, out),
        OauthCommand::Explain(args) => explain::run(args, out),
        OauthCommand::Token(args) => token::run(args, out),
    }
}
