//! `qlik-jwt login --profile client-managed`: opens one session on a client-managed JWT virtual
//! proxy and prints what a client needs: the session cookie's name (its value on request), the
//! `qlik-csrf-token` and the engine websocket URL.

use serde_json::json;

use super::args::LoginArgs;
use super::login::failure;
use super::output::{EXIT_OK, EXIT_USAGE, Failure, Out, token_argument};
use crate::client::{ClientManagedOptions, login_client_managed};
use crate::qlik::client_managed::proxy_protocol::MAX_PARALLEL_SESSIONS;

/// The app id of the engine's global context: a websocket that opens no app.
const GLOBAL_CONTEXT_APP: &str = "engineData";

/// Refuses the client-managed flags on a Qlik Cloud login, where they would mean nothing.
pub(crate) fn refuse_client_managed_flags(args: &LoginArgs) -> Result<(), Failure> {
    let given: Vec<&str> = [
        ("--app", args.app.is_some()),
        ("--session-cookie-name", args.session_cookie_name.is_some()),
        ("--show-cookie", args.show_cookie),
    ]
    .iter()
    .filter_map(|(flag, set)| set.then_some(*flag))
    .collect();
    if given.is_empty() {
        return Ok(());
    }
    Err(Failure::new(
        EXIT_USAGE,
        "ERR_USAGE",
        format!(
            "{} belong to --profile client-managed: a Qlik Cloud login takes none",
            given.join(", ")
        ),
    ))
}

pub(crate) fn run(args: &LoginArgs, out: &mut Out<'_>) -> Result<i32, Failure> {
    if args.web_integration_id.is_some() {
        return Err(Failure::new(
            EXIT_USAGE,
            "ERR_USAGE",
            "--web-integration-id is Qlik Cloud's: a client-managed virtual proxy takes none",
        ));
    }
    let token = token_argument(args.token.as_deref())?;
    let options = ClientManagedOptions {
        session_cookie_name: args.session_cookie_name.clone(),
        ..ClientManagedOptions::default()
    };
    let session =
        login_client_managed(&args.url, &token, &options).map_err(|e| failure(&e, "login"))?;
    let app = args.app.as_deref().unwrap_or(GLOBAL_CONTEXT_APP);
    let websocket_url = session.websocket_url(app);
    let cookie_value = args
        .show_cookie
        .then(|| session.cookie_value().unwrap_or_default());
    if out.json {
        let mut body = json!({
            "url": session.base_url(),
            "cookieName": session.cookie_name(),
            "csrfToken": session.csrf_token(),
            "app": app,
            "websocketUrl": websocket_url,
        });
        if let Some(value) = cookie_value {
            body["cookieValue"] = json!(value);
            body["cookieHeader"] = json!(session.cookie_header());
        }
        out.json_ok(body);
        return Ok(EXIT_OK);
    }
    out.line(format!("logged in to {}", session.base_url()));
    out.line(format!("  session cookie: {}", session.cookie_name()));
    if let Some(value) = cookie_value {
        out.line(format!("  cookie value: {value}"));
    }
    out.line(format!("  qlik-csrf-token: {}", session.csrf_token()));
    out.line(format!("  websocket: {websocket_url}"));
    if args.app.is_none() {
        out.line(format!(
            "  ({GLOBAL_CONTEXT_APP} is the engine's global context; --app <id> gives an app's URL)"
        ));
    }
    out.note(format!(
        "open the websocket with the session cookie and Origin {}, no Authorization header; \
         reuse this session: a user may hold {MAX_PARALLEL_SESSIONS} proxy sessions",
        session.origin()
    ));
    Ok(EXIT_OK)
}
