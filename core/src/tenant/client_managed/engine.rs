//! The engine websocket at `/<prefix>/app/<appId>`: the upgrade checked as the proxy does since
//! November 2024 (no Authorization header, an allowed Origin, the session cookie, the CSRF token
//! as query parameter), then a minimal engine: `OnConnected`, `EngineVersion`, and a JSON-RPC
//! error for anything else.

use std::net::TcpStream;
use std::time::Duration;

use serde_json::{Value as Json, json};
use tungstenite::protocol::{Role, WebSocketConfig};
use tungstenite::{Message, WebSocket};

use super::codes;
use super::proxy::{ENGINE_VERSION, lock, query_param};
use super::server::Shared;
use crate::qlik::client_managed::proxy_protocol::CSRF_HEADER;
use crate::tenant::errors::{codes as tenant_codes, error};
use crate::tenant::http::{self, Request, Response};
use crate::tenant::state::trace_id;

/// How long an engine websocket may stay without a message from the client.
pub(crate) const IDLE_TIMEOUT: Duration = Duration::from_secs(60);
/// The largest message or frame the engine reads.
pub(crate) const MAX_MESSAGE_BYTES: usize = 64 * 1024;
/// What the proxy logs when it refuses an upgrade (Qlik's words).
const CSWSH: &str = "Cross-Site Websocket Hijacking attack prevention check failed";

/// Whether `request` asks to upgrade to a websocket.
pub(crate) fn is_upgrade(request: &Request) -> bool {
    request
        .header("upgrade")
        .is_some_and(|value| value.eq_ignore_ascii_case("websocket"))
}

/// Checks the upgrade of `request` on `stream`: refuses it with an answer, or accepts it and
/// serves the engine until the client closes, goes idle, or the tenant stops.
pub(crate) fn serve(stream: &TcpStream, request: &Request, shared: &Shared) {
    let key = match check(request, shared) {
        Ok(key) => key,
        Err(refusal) => return http::write_response(stream, &refusal),
    };
    let Some(_slot) = shared.websockets.register(stream) else {
        let busy = error(
            503,
            tenant_codes::BUSY,
            "Too many websockets",
            "the local proxy serves at most 16 websockets at once: close one",
            &trace_id(),
        );
        return http::write_response(stream, &busy);
    };
    let accept = tungstenite::handshake::derive_accept_key(key.as_bytes());
    let head = format!(
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
         Sec-WebSocket-Accept: {accept}\r\n\r\n"
    );
    if std::io::Write::write_all(&mut &*stream, head.as_bytes()).is_err() {
        return;
    }
    let _ = stream.set_read_timeout(Some(IDLE_TIMEOUT));
    let config = WebSocketConfig::default()
        .max_message_size(Some(MAX_MESSAGE_BYTES))
        .max_frame_size(Some(MAX_MESSAGE_BYTES));
    let mut socket = WebSocket::from_raw_socket(stream, Role::Server, Some(config));
    run_engine(&mut socket);
}

/// The upgrade's `Sec-WebSocket-Key` when every check passes; else the refusal.
fn check(request: &Request, shared: &Shared) -> Result<String, Response> {
    let refuse = |code: &'static str, detail: &str| error(403, code, CSWSH, detail, &trace_id());
    if request.method != "GET" {
        return Err(error(
            405,
            tenant_codes::NOT_FOUND,
            "Method not allowed",
            "a websocket upgrade is a GET",
            &trace_id(),
        ));
    }
    if request.header("authorization").is_some() {
        return Err(refuse(
            codes::WEBSOCKET_AUTHORIZATION,
            "the upgrade carries an Authorization header: the token only opens the session; \
             the websocket takes the session cookie and the qlik-csrf-token query parameter, \
             with no Authorization header",
        ));
    }
    match request.header("origin") {
        Some(origin) if !shared.origin_allowed(origin) => {
            return Err(refuse(
                codes::WEBSOCKET_ORIGIN,
                &format!(
                    "the Origin {origin:?} is not allowed: this proxy allows {}",
                    shared.allowed_origins_text()
                ),
            ));
        }
        None if !shared.config.allow_missing_origin => {
            return Err(refuse(
                codes::WEBSOCKET_ORIGIN,
                &format!(
                    "the upgrade has no Origin: this proxy allows {}",
                    shared.allowed_origins_text()
                ),
            ));
        }
        _ => {}
    }
    let csrf_token = {
        let sessions = lock(shared);
        let Some(session) = sessions.get(request.cookie(&shared.cookie_name)) else {
            return Err(refuse(
                codes::WEBSOCKET_SESSION,
                &format!(
                    "the upgrade has no session: send the {} cookie that a Bearer request to \
                     /{}/qps/csrftoken set",
                    shared.cookie_name, shared.config.prefix
                ),
            ));
        };
        session.csrf_token.clone()
    };
    let sent = query_param(&request.query, CSRF_HEADER).unwrap_or_default();
    let matches = !sent.is_empty()
        && aws_lc_rs::constant_time::verify_slices_are_equal(
            sent.as_bytes(),
            csrf_token.as_bytes(),
        )
        .is_ok();
    if !matches {
        let what = if sent.is_empty() {
            "the upgrade has no qlik-csrf-token query parameter"
        } else {
            "the qlik-csrf-token query parameter is not this session's token"
        };
        return Err(refuse(
            codes::WEBSOCKET_CSRF,
            &format!(
                "{what}: pass the qlik-csrf-token header of GET /{}/qps/csrftoken as \
                 ?qlik-csrf-token=<token> on the websocket URL",
                shared.config.prefix
            ),
        ));
    }
    let version_ok = request.header("sec-websocket-version") == Some("13");
    match request.header("sec-websocket-key") {
        Some(key) if version_ok && !key.is_empty() => Ok(key.to_owned()),
        _ => Err(error(
            400,
            tenant_codes::BAD_REQUEST,
            "Bad websocket upgrade",
            "a websocket upgrade needs Sec-WebSocket-Version: 13 and a Sec-WebSocket-Key",
            &trace_id(),
        )),
    }
}

/// Sends `OnConnected`, then answers requests until the socket ends.
fn run_engine(socket: &mut WebSocket<&TcpStream>) {
    let connected = json!({
        "jsonrpc": "2.0",
        "method": "OnConnected",
        "params": { "qSessionState": "SESSION_CREATED" },
    });
    if socket.send(Message::text(connected.to_string())).is_err() {
        return;
    }
    loop {
        let answer = match socket.read() {
            Ok(Message::Text(text)) => answer(text.as_str()),
            Ok(Message::Binary(_)) => Some(rpc_error(
                &Json::Null,
                -32700,
                "the engine takes JSON-RPC as text messages",
            )),
            Ok(Message::Close(_)) | Err(_) => break,
            Ok(_) => None,
        };
        if let Some(answer) = answer
            && socket.send(Message::text(answer.to_string())).is_err()
        {
            break;
        }
    }
    let _ = socket.close(None);
    let _ = socket.flush();
}

/// The engine's answer to one JSON-RPC message (`None` for a notification).
pub(crate) fn answer(text: &str) -> Option<Json> {
    let Ok(request) = serde_json::from_str::<Json>(text) else {
        return Some(rpc_error(&Json::Null, -32700, "Parse error: not JSON"));
    };
    let id = request.get("id")?.clone();
    let method = request.get("method").and_then(Json::as_str).unwrap_or("");
    let handle = request.get("handle").and_then(Json::as_i64);
    match (method, handle) {
        ("EngineVersion", Some(-1)) => Some(json!({
            "jsonrpc": "2.0",
            "id": id,
            "result": { "qVersion": { "qComponentVersion": ENGINE_VERSION } },
        })),
        (_, Some(-1)) => Some(rpc_error(
            &id,
            -32601,
            &format!(
                "Method not found: the local engine answers EngineVersion only, not {method:?}"
            ),
        )),
        _ => Some(rpc_error(
            &id,
            -32602,
            "Invalid handle: the local engine has the global object (handle -1) only",
        )),
    }
}

fn rpc_error(id: &Json, code: i64, message: &str) -> Json {
    json!({
        "jsonrpc": "2.0",
        "id": id,
        "error": { "code": code, "message": message },
    })
}
