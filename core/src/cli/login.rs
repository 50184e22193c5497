//! `qlik-jwt login`.

use serde_json::{Value as Json, json};

use super::args::LoginArgs;
use super::output::{
    EXIT_OK, EXIT_PROBLEMS, EXIT_UNREACHABLE, EXIT_USAGE, Failure, Out, token_argument,
};
use crate::client::{ClientError, LoginOptions, Session, login};

pub(crate) fn run(args: &LoginArgs, out: &mut Out<'_>) -> Result<i32, Failure> {
    let token = token_argument(args.token.as_deref())?;
    let options = LoginOptions {
        web_integration_id: args.web_integration_id.clone(),
        ..LoginOptions::default()
    };
    let session = login(&args.url, &token, &options).map_err(|e| failure(&e, "login"))?;
    let response = session
        .get(&args.get)
        .map_err(|e| failure(&e, &format!("GET {}", args.get)))?;
    let body: Json =
        serde_json::from_str(&response.body).unwrap_or(Json::String(response.body.clone()));
    if out.json {
        out.json_ok(json!({
            "url": session.base_url(),
            "cookies": session.cookie_names(),
            "cookieHeader": session.cookie_header(),
            "csrfToken": session.csrf_token(),
            "get": { "path": args.get, "status": response.status, "body": body },
        }));
        return Ok(EXIT_OK);
    }
    print_session(out, &session);
    out.line(format!("GET {} -> {}", args.get, response.status));
    out.line(serde_json::to_string_pretty(&body).unwrap_or_default());
    Ok(EXIT_OK)
}

pub(crate) fn print_session(out: &mut Out<'_>, session: &Session) {
    out.line(format!("logged in to {}", session.base_url()));
    out.line(format!("  cookies: {}", session.cookie_names().join(", ")));
    out.line(format!("  qlik-csrf-token: {}", session.csrf_token()));
}

/// A client error as a failure of `what`, with Qlik's fields in the JSON error object.
pub(crate) fn failure(error: &ClientError, what: &str) -> Failure {
    match error {
        ClientError::Qlik(e) => Failure::new(
            EXIT_PROBLEMS,
            "ERR_QLIK_REFUSED",
            format!("{what} refused: {e}"),
        )
        .with_extra(json!({
            "status": e.status,
            "qlikCode": e.code,
            "title": e.title,
            "detail": e.detail,
            "traceId": e.trace_id,
            "hint": e.hint,
        })),
        ClientError::Transport(_) => Failure::new(
            EXIT_UNREACHABLE,
            "ERR_UNREACHABLE",
            format!("{what}: {error}"),
        ),
        ClientError::InvalidUrl(_) | ClientError::InvalidArgument(_) => {
            Failure::new(EXIT_USAGE, "ERR_USAGE", error.to_string())
        }
        ClientError::Protocol(_) => {
            Failure::new(EXIT_PROBLEMS, "ERR_PROTOCOL", format!("{what}: {error}"))
        }
    }
}
