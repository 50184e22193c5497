//! The proxy's HTTP side: Bearer logins judged by the core's checks, the session cookie, and the
//! endpoints a client needs before the websocket.

use std::sync::MutexGuard;

use serde_json::{Value as Json, json};

use super::codes;
use super::server::Shared;
use super::sessions::{OpenRefused, ProxySession, Sessions};
use crate::jws;
use crate::protocol::is_xrfkey;
use crate::qlik::client_managed::explain_client_managed;
use crate::qlik::client_managed::proxy_protocol::{
    CSRF_HEADER, CSRF_TOKEN_PATH, ENGINE_PATH_PREFIX, XRFKEY_HEADER, XRFKEY_PARAMETER,
};
use crate::qlik::{Problem, Severity};
use crate::tenant::api::claim_text;
use crate::tenant::errors::{ErrorEntry, codes as tenant_codes, error, error_response};
use crate::tenant::http::{Request, Response};
use crate::tenant::state::trace_id;

/// The engine version the minimal engine reports (and `/qrs/about` echoes).
pub(crate) const ENGINE_VERSION: &str = "12.2027.0 (qlik-jwt local proxy)";

/// Where under the prefix a request goes.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Route {
    CsrfToken,
    User,
    QrsAbout,
    /// `/app/<appId>`: the engine websocket (any app id: the local engine has no apps).
    App,
    Other,
}

/// The route of `path`, or `None` when it is not under `/<prefix>/`.
pub(crate) fn route(path: &str, prefix: &str) -> Option<Route> {
    let rest = path.strip_prefix('/')?.strip_prefix(prefix)?;
    let rest = if rest.is_empty() {
        "/"
    } else {
        rest.strip_prefix('/').map(|_| rest)?
    };
    Some(match rest {
        CSRF_TOKEN_PATH => Route::CsrfToken,
        "/qps/user" => Route::User,
        "/qrs/about" => Route::QrsAbout,
        other => match other.strip_prefix(ENGINE_PATH_PREFIX) {
            Some(id) if !id.is_empty() && !id.contains('/') => Route::App,
            _ => Route::Other,
        },
    })
}

/// Answers a request that is not a websocket upgrade.
pub(crate) fn handle(request: &Request, shared: &Shared) -> Response {
    let Some(route) = route(&request.path, &shared.config.prefix) else {
        return not_found(request, shared);
    };
    if route == Route::App {
        return error(
            400,
            tenant_codes::BAD_REQUEST,
            "Websocket only",
            "the engine at /<prefix>/app/<appId> speaks websocket: send an upgrade request",
            &trace_id(),
        );
    }
    if route == Route::Other {
        return not_found(request, shared);
    }
    if request.method != "GET" {
        return error(
            405,
            tenant_codes::NOT_FOUND,
            "Method not allowed",
            &format!("{} is not served on {}", request.method, request.path),
            &trace_id(),
        );
    }
    let (session, new_cookie) = match bearer(request) {
        Some(token) => match login(token, shared) {
            Ok((id, session)) => (session, Some(id)),
            Err(refusal) => return refusal,
        },
        None => {
            let sessions = lock(shared);
            match sessions.get(request.cookie(&shared.cookie_name)) {
                Some(session) => (session.clone(), None),
                None => return not_logged_in(shared),
            }
        }
    };
    let response = answer(&route, request, &session, shared);
    match new_cookie {
        Some(id) => response.with_header(
            "Set-Cookie",
            format!("{}={id}; Path=/; HttpOnly", shared.cookie_name),
        ),
        None => response,
    }
}

fn answer(route: &Route, request: &Request, session: &ProxySession, shared: &Shared) -> Response {
    match route {
        Route::CsrfToken => {
            Response::empty(200).with_header(CSRF_HEADER, session.csrf_token.clone())
        }
        Route::User => {
            let attributes: Vec<Json> = session
                .attributes
                .iter()
                .map(|(name, value)| json!({ name: value }))
                .collect();
            Response::json(
                200,
                &json!({
                    "userDirectory": session.user_directory,
                    "userId": session.user_id,
                    "attributes": attributes,
                    "session": shared.cookie_name,
                }),
            )
        }
        Route::QrsAbout => match xrfkey_refusal(request) {
            Some(refusal) => refusal,
            None => Response::json(
                200,
                &json!({
                    "buildVersion": ENGINE_VERSION,
                    "nodeType": 1,
                    "sharedPersistence": true,
                    "requiresBootstrap": false,
                    "singleNodeOnly": false,
                    "schemaPath": "About",
                }),
            )
            .with_header(XRFKEY_HEADER, request.header(XRFKEY_HEADER).unwrap_or("")),
        },
        Route::App | Route::Other => not_found(request, shared),
    }
}

/// The refusal of a QRS call whose xrfkey parameter and header are not the same 16 characters
/// of 0-9, a-z, A-Z; `None` when they are.
fn xrfkey_refusal(request: &Request) -> Option<Response> {
    let parameter = query_param(&request.query, XRFKEY_PARAMETER);
    let header = request.header(XRFKEY_HEADER);
    let why = match (parameter.as_deref(), header) {
        (None, _) => "the query parameter xrfkey is missing",
        (_, None) => "the header X-Qlik-Xrfkey is missing",
        (Some(p), Some(h)) if p != h => "the xrfkey parameter and the X-Qlik-Xrfkey header differ",
        (Some(p), _) if !is_xrfkey(p) => "the xrfkey is not 16 characters of 0-9, a-z, A-Z",
        _ => return None,
    };
    Some(error(
        403,
        codes::XRFKEY,
        "XSRF prevention check failed",
        &format!(
            "{why}: QRS calls carry the same 16 characters (0-9, a-z, A-Z) as ?xrfkey= and in \
             the X-Qlik-Xrfkey header"
        ),
        &trace_id(),
    ))
}

/// Judges `token` with the core's checks and opens a session for its user.
fn login(token: &str, shared: &Shared) -> Result<(String, ProxySession), Response> {
    let config = &shared.config;
    let trace = trace_id();
    let now = crate::setup::clock::now_secs();
    let problems = explain_client_managed(token, &config.proxy, Some(&config.certificate), now);
    let refused: Vec<ErrorEntry> = problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .map(refusal)
        .collect();
    if !refused.is_empty() {
        return Err(error_response(&refused, &trace));
    }
    // The checks passed, so the attributes are there as non-empty strings.
    let Some((_, claims)) = jws::decode_json(token) else {
        return Err(error(
            401,
            "QSE_MALFORMED_TOKEN",
            "Invalid JWT",
            "the token does not decode",
            &trace,
        ));
    };
    let text = |name: &str| claim_text(&claims, name);
    let session = ProxySession {
        user_directory: text(&config.proxy.user_directory_attribute),
        user_id: text(&config.proxy.user_id_attribute),
        attributes: config
            .proxy
            .attributes
            .iter()
            .filter_map(|m| {
                Some((
                    m.sense_attribute.clone(),
                    claims.get(&m.jwt_attribute)?.clone(),
                ))
            })
            .collect(),
        csrf_token: crate::tenant::state::random_token(24)
            .map_err(|_| busy("the random source failed", &trace))?,
    };
    let opened = lock(shared)
        .open(session.clone(), config.max_parallel_sessions)
        .map_err(|_| busy("the random source failed", &trace))?;
    match opened {
        Ok(id) => Ok((id, session)),
        Err(OpenRefused::TooManyForUser(held)) => Err(error(
            403,
            codes::MAX_PARALLEL_SESSIONS,
            "Access denied",
            &format!(
                "the user {}\\{} holds {held} parallel sessions, the most this proxy allows: \
                 each Bearer request opens a new session, so reuse the session cookie",
                session.user_directory, session.user_id
            ),
            &trace,
        )),
        Err(OpenRefused::Full) => Err(busy("the tenant holds the most sessions it keeps", &trace)),
    }
}

fn refusal(problem: &Problem) -> ErrorEntry {
    ErrorEntry::new(401, problem.code, "Invalid JWT", problem.message.clone())
}

fn busy(why: &str, trace: &str) -> Response {
    error(503, tenant_codes::BUSY, "Busy", why, trace)
}

fn not_logged_in(shared: &Shared) -> Response {
    error(
        401,
        codes::NOT_LOGGED_IN,
        "Not logged in",
        &format!(
            "send Authorization: Bearer <jwt>, or the {} cookie of a session",
            shared.cookie_name
        ),
        &trace_id(),
    )
}

fn not_found(request: &Request, shared: &Shared) -> Response {
    error(
        404,
        tenant_codes::NOT_FOUND,
        "Not found",
        &format!(
            "the local proxy serves /{}/qps/csrftoken, /{0}/qps/user, /{0}/qrs/about and \
             /{0}/app/<appId>, not {}",
            shared.config.prefix, request.path
        ),
        &trace_id(),
    )
}

/// The token of `Authorization: Bearer <jwt>`.
pub(crate) fn bearer(request: &Request) -> Option<&str> {
    let value = request.header("authorization")?;
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

pub(crate) fn lock(shared: &Shared) -> MutexGuard<'_, Sessions> {
    shared
        .sessions
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The first value of query parameter `name` (case-insensitive, as Qlik takes `Xrfkey` and
/// `xrfkey`), percent-decoded; `None` when absent or not UTF-8.
pub(crate) fn query_param(query: &str, name: &str) -> Option<String> {
    query
        .split('&')
        .filter_map(|pair| pair.split_once('=').or(Some((pair, ""))))
        .find(|(key, _)| key.eq_ignore_ascii_case(name))
        .and_then(|(_, value)| percent_decode(value))
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'%' => {
                let hex = std::str::from_utf8(bytes.get(at + 1..at + 3)?).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                at += 3;
            }
            b'+' => {
                out.push(b' ');
                at += 1;
            }
            byte => {
                out.push(byte);
                at += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}
