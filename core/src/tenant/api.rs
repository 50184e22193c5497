//! The endpoints.

use std::sync::MutexGuard;

use serde_json::{Value as Json, json};

use super::errors::{codes, error, error_response};
use super::http::{Request, Response};
use super::login::refusals;
use super::oauth;
use super::server::Shared;
use super::state::{Session, State, User, trace_id};
use crate::jws;
use crate::qlik::oauth_protocol::OAUTH_TOKEN_PATH;
use crate::qlik::protocol::{
    CSRF_COOKIE, CSRF_HEADER, CSRF_TOKEN_PATH, LOGIN_PATH, SESSION_COOKIE,
    SESSION_SIGNATURE_COOKIE, USERS_ME_PATH, WEB_INTEGRATION_ID_HEADER,
};
use crate::qlik::{IdentityProvider, explain};
use crate::setup::clock::iso_utc;

pub(crate) fn handle(request: &Request, shared: &Shared) -> Response {
    if let Some(expected) = &shared.config.host {
        let host = request.header("host").unwrap_or("");
        let name = host.rsplit_once(':').map_or(host, |(name, _)| name);
        if !name.eq_ignore_ascii_case(expected) {
            return error(
                400,
                codes::WRONG_HOST,
                "Wrong tenant host",
                &format!("this tenant is {expected}, the request named {host:?}"),
                &trace_id(),
            );
        }
    }
    match (request.method.as_str(), request.path.as_str()) {
        ("POST", OAUTH_TOKEN_PATH) => oauth::token(request, shared, now(shared)),
        ("GET", USERS_ME_PATH) if request.header("authorization").is_some() => {
            match oauth::bearer_user(request, shared, now(shared)) {
                Some(Ok(user)) => Response::json(200, &user_json(&user, &shared.url)),
                Some(Err(refusal)) => refusal,
                None => not_logged_in(),
            }
        }
        ("POST", LOGIN_PATH) if !shared.config.jwt_identity_provider => error(
            404,
            codes::NOT_FOUND,
            "Not found",
            "this local tenant has no JWT identity provider: start it with one to log in with JWTs",
            &trace_id(),
        ),
        ("POST", LOGIN_PATH) => login(request, shared),
        ("GET", CSRF_TOKEN_PATH) => with_session(request, shared, |session, _| {
            Response::empty(204).with_header(CSRF_HEADER, session.csrf_token.clone())
        }),
        ("GET", USERS_ME_PATH) => with_session(request, shared, |session, url| {
            Response::json(200, &user_json(&session.user, url))
        }),
        ("PATCH", USERS_ME_PATH) => patch_me(request, shared),
        (_, LOGIN_PATH | CSRF_TOKEN_PATH | USERS_ME_PATH | OAUTH_TOKEN_PATH) => error(
            405,
            codes::NOT_FOUND,
            "Method not allowed",
            &format!("{} is not served on {}", request.method, request.path),
            &trace_id(),
        ),
        _ => error(
            404,
            codes::NOT_FOUND,
            "Not found",
            &format!("the local tenant does not serve {}", request.path),
            &trace_id(),
        ),
    }
}

fn now(shared: &Shared) -> i64 {
    crate::setup::clock::now_secs().saturating_add(shared.config.clock_offset_secs)
}

fn lock(shared: &Shared) -> MutexGuard<'_, State> {
    shared
        .state
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn login(request: &Request, shared: &Shared) -> Response {
    let trace = trace_id();
    let config = &shared.config;
    if let Some(expected) = &config.web_integration_id {
        let given = request.header(WEB_INTEGRATION_ID_HEADER);
        if given != Some(expected.as_str()) {
            let detail = match given {
                None => {
                    "send the header qlik-web-integration-id with the tenant's web integration id"
                        .to_owned()
                }
                Some(other) => format!("the web integration id {other:?} is not this tenant's"),
            };
            return error(
                400,
                codes::WEB_INTEGRATION,
                "Invalid web integration id",
                &detail,
                &trace,
            );
        }
    }
    if !lock(shared).allow_login(config.logins_per_minute) {
        return error(
            429,
            codes::RATE_LIMITED,
            "Too many requests",
            "over the login limit of the tenant (Qlik allows 100 a minute): reuse sessions \
             instead of logging in per request",
            &trace,
        );
    }
    let Some(token) = bearer(request) else {
        return error(
            401,
            codes::NO_TOKEN,
            "Missing JWT",
            "send the token in the header Authorization: Bearer <jwt>",
            &trace,
        );
    };
    let now = now(shared);
    let provider = IdentityProvider {
        issuer: Some(config.issuer.clone()),
        key_id: Some(config.key_id.clone()),
        certificate: Some(config.certificate.clone()),
        clock_tolerance_secs: config.clock_tolerance_secs,
    };
    let problems = explain(token, &provider, now);
    let refused = refusals(&problems);
    if !refused.is_empty() {
        return error_response(&refused, &trace);
    }
    // The checks passed, so the claims are there with the right types.
    let Some((_, claims)) = jws::decode_json(token) else {
        return error(
            401,
            codes::BAD_SIGNATURE,
            "Invalid JWT",
            "the token does not decode",
            &trace,
        );
    };
    let text = |name: &str| claim_text(&claims, name);
    let subject = text("sub");
    if let Some(members) = &config.known_users
        && !members.contains(&subject)
    {
        return error(
            403,
            codes::NOT_A_MEMBER,
            "User is not a member of the tenant",
            &format!("the user {subject:?} is not among the tenant's known users"),
            &trace,
        );
    }
    let exp = claims.get("exp").and_then(Json::as_f64).unwrap_or(0.0);
    let forget_after = exp.ceil() as i64 + config.clock_tolerance_secs.unwrap_or(0).max(0);
    let user = User {
        subject,
        name: text("name"),
        email: text("email"),
        email_verified: claims
            .get("email_verified")
            .and_then(Json::as_bool)
            .unwrap_or(false),
        groups: claims
            .get("groups")
            .and_then(Json::as_array)
            .map(|g| {
                g.iter()
                    .filter_map(Json::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default(),
        created: now,
    };
    let mut state = lock(shared);
    if !state.use_jti(&text("jti"), forget_after, now) {
        return error(
            401,
            codes::REPLAYED,
            "JWT already used",
            "this token's jti was accepted before: Qlik accepts each token once, so sign a new \
             token (with a new jti) for every login",
            &trace,
        );
    }
    let Ok((session_id, session)) = state.create_session(user) else {
        return error(
            503,
            codes::BUSY,
            "Busy",
            "could not create a session",
            &trace,
        );
    };
    let mut response = Response::json(200, &json!({}));
    for (name, value) in [
        (SESSION_COOKIE, session_id.as_str()),
        (CSRF_COOKIE, session.csrf_cookie.as_str()),
    ] {
        let signature = state.sign_cookie(name, value);
        response = response
            .with_header("Set-Cookie", cookie(name, value, config.secure_cookies))
            .with_header(
                "Set-Cookie",
                cookie(&format!("{name}.sig"), &signature, config.secure_cookies),
            );
    }
    response
}

fn cookie(name: &str, value: &str, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{name}={value}; Path=/; HttpOnly; SameSite=None{secure}")
}

/// The token of `Authorization: Bearer <jwt>`.
fn bearer(request: &Request) -> Option<&str> {
    let value = request.header("authorization")?;
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

fn with_session(
    request: &Request,
    shared: &Shared,
    answer: impl FnOnce(&Session, &str) -> Response,
) -> Response {
    let state = lock(shared);
    match state.session(
        request.cookie(SESSION_COOKIE),
        request.cookie(SESSION_SIGNATURE_COOKIE),
    ) {
        Some(session) => answer(session, &shared.url),
        None => not_logged_in(),
    }
}

fn not_logged_in() -> Response {
    error(
        401,
        codes::NOT_LOGGED_IN,
        "Not logged in",
        "send the eas.sid and eas.sid.sig cookies of a session from POST /login/jwt-session",
        &trace_id(),
    )
}

fn patch_me(request: &Request, shared: &Shared) -> Response {
    let trace = trace_id();
    let mut state = lock(shared);
    let Some(session) = state.session(
        request.cookie(SESSION_COOKIE),
        request.cookie(SESSION_SIGNATURE_COOKIE),
    ) else {
        return not_logged_in();
    };
    let sent = request.header(CSRF_HEADER).unwrap_or("");
    let matches = aws_lc_rs::constant_time::verify_slices_are_equal(
        sent.as_bytes(),
        session.csrf_token.as_bytes(),
    )
    .is_ok();
    if !matches {
        return error(
            403,
            codes::CSRF,
            "Invalid CSRF token",
            "non-GET calls need the header qlik-csrf-token with the token of GET /api/v1/csrf-token",
            &trace,
        );
    }
    let new_name = serde_json::from_slice::<Json>(&request.body)
        .ok()
        .and_then(|patch| {
            let ops = patch.as_array()?;
            let [op] = ops.as_slice() else { return None };
            let is_replace_name = op.get("op")? == "replace" && op.get("path")? == "/name";
            is_replace_name
                .then(|| op.get("value")?.as_str().map(str::to_owned))
                .flatten()
        });
    let Some(new_name) = new_name else {
        return error(
            400,
            codes::BAD_REQUEST,
            "Invalid patch",
            "the local tenant takes [{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"<name>\"}]",
            &trace,
        );
    };
    let id = request.cookie(SESSION_COOKIE).unwrap_or("").to_owned();
    if let Some(session) = state.session_mut(&id) {
        session.user.name = new_name;
    }
    Response::empty(204)
}

fn user_json(user: &User, base_url: &str) -> Json {
    let id = user_id(&user.subject);
    let created = iso_utc(user.created);
    json!({
        "id": id,
        "tenantId": "local-tenant",
        "subject": user.subject,
        "name": user.name,
        "email": user.email,
        "emailVerified": user.email_verified,
        "status": "active",
        "assignedGroups": user.groups.iter().map(|g| json!({ "id": user_id(g), "name": g })).collect::<Vec<_>>(),
        "created": created,
        "lastUpdated": created,
        "links": { "self": { "href": format!("{base_url}/api/v1/users/{id}") } },
    })
}

/// A stable id for a subject or group name (the first 12 bytes of its SHA-256, in hex).
fn user_id(name: &str) -> String {
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, name.as_bytes());
    digest.as_ref()[..12]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The text of claim `name` of verified `claims`, empty when it is missing or not a string.
pub(super) fn claim_text(claims: &Json, name: &str) -> String {
    claims
        .get(name)
        .and_then(Json::as_str)
        .unwrap_or("")
        .to_owned()
}
