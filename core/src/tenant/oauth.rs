//! `POST /oauth/token`: a private key JWT client assertion judged exactly as Qlik's "Private Key
//! JWT reference" states the rules, and access tokens that `GET /api/v1/users/me` honours with
//! `Authorization: Bearer`.
//!
//! The assertion is judged by the core's checks of client assertions ([`RegisteredClient::check`],
//! what `qlik-jwt oauth explain` tells developers): signed by the registered client's JWK,
//! under the JWK's `alg`, with its `kid`; `iss` = `sub` = the client id, `aud` = this tenant's
//! `<url>/oauth/token` exactly, a UUID `jti`, and `iat`/`exp` at most 300 s apart, not expired.
//! On top, the tenant keeps what only a server can: each `jti` is accepted once. Grants:
//! `client_credentials` (the client acts as itself) and `urn:qlik:oauth:user-impersonation`
//! with `user_lookup: {"field": "subject", "value": <subject>}`. Bodies may be JSON or
//! form-encoded (form bodies give `user_lookup` as JSON text, or as `user_lookup[field]` and
//! `user_lookup[value]`).
//!
//! Refusals carry Qlik's error shape `{"errors":[{"code","title","detail","status"}],"traceId"}`
//! (what Qlik's OAuth API reference documents for `/oauth/token`) and, beside it, RFC 6749's
//! `error` and `error_description`, so that a standard OAuth client reads them too.

use std::collections::{HashMap, VecDeque};

use serde_json::{Value as Json, json};

use super::http::{Request, Response};
use super::oauth_client::OAuthClientRegistration;
use super::server::Shared;
use super::state::{User, random_token, trace_id};
use crate::qlik::oauth::{AcceptedAssertion, RegisteredClient, replayed_jti};
use crate::qlik::oauth_protocol::{
    CLIENT_ASSERTION_TYPE, CLIENT_CREDENTIALS_GRANT, USER_DEFAULT_SCOPE, USER_IMPERSONATION_GRANT,
    USER_LOOKUP_SUBJECT,
};
use crate::setup::clock::iso_utc;

/// Seconds an access token of the local tenant lives, by default.
pub const DEFAULT_ACCESS_TOKEN_LIFETIME_SECS: u64 = 3600;

/// The most access tokens and assertion `jti`s remembered at once.
const MAX_REMEMBERED: usize = 100_000;

/// The local tenant's codes for refused token requests (Qlik does not document its own; these
/// start with `LOCAL-OAUTH-` so that nobody mistakes them for Qlik's). A refused assertion
/// carries instead the codes of the core's assertion checks ([`crate::qlik::oauth::codes`], e.g.
/// `OAUTH_AUD_MISMATCH`, `OAUTH_JTI_REPLAYED`), one entry per problem.
pub mod oauth_codes {
    /// 400: the body is not JSON or form-encoded, or lacks a field.
    pub const BAD_REQUEST: &str = "LOCAL-OAUTH-REQUEST";
    /// 400: a grant other than `client_credentials` and the user-impersonation grant.
    pub const UNSUPPORTED_GRANT: &str = "LOCAL-OAUTH-GRANT-TYPE";
    /// 401: no registered client has this id.
    pub const UNKNOWN_CLIENT: &str = "LOCAL-OAUTH-CLIENT";
    /// 400: the impersonated user cannot be looked up.
    pub const UNKNOWN_USER: &str = "LOCAL-OAUTH-USER";
    /// 401: an API call with a bearer token the tenant did not issue, or one that expired.
    pub const BAD_ACCESS_TOKEN: &str = "LOCAL-OAUTH-ACCESS-TOKEN";
}

/// An issued access token.
#[derive(Debug, Clone)]
struct Issued {
    user: User,
    expires_at: i64,
}

/// The tokens issued and the assertion `jti`s seen.
#[derive(Debug, Default)]
pub(crate) struct OAuthState {
    tokens: HashMap<String, Issued>,
    token_order: VecDeque<String>,
    /// `jti` → when its assertion expires (after which it is refused anyway).
    jtis: HashMap<String, i64>,
}

impl OAuthState {
    fn use_jti(&mut self, jti: &str, expires_at: i64, now: i64) -> bool {
        if self.jtis.contains_key(jti) {
            return false;
        }
        if self.jtis.len() >= MAX_REMEMBERED {
            self.jtis.retain(|_, until| *until >= now);
            if self.jtis.len() >= MAX_REMEMBERED {
                // Full of live assertions: refusing is safer than forgetting one.
                return false;
            }
        }
        self.jtis.insert(jti.to_owned(), expires_at);
        true
    }

    fn issue(&mut self, token: String, issued: Issued) {
        if self.tokens.len() >= MAX_REMEMBERED
            && let Some(oldest) = self.token_order.pop_front()
        {
            self.tokens.remove(&oldest);
        }
        self.token_order.push_back(token.clone());
        self.tokens.insert(token, issued);
    }
}

/// A refusal of the token endpoint.
struct Refusal {
    status: u16,
    /// RFC 6749's `error`.
    error: &'static str,
    /// `(code, title, detail)` of each error found, the most decisive first.
    entries: Vec<(&'static str, &'static str, String)>,
}

impl Refusal {
    fn new(status: u16, error: &'static str, code: &'static str, title: &'static str) -> Self {
        Refusal {
            status,
            error,
            entries: vec![(code, title, String::new())],
        }
    }

    fn because(mut self, detail: impl Into<String>) -> Self {
        if let Some(first) = self.entries.first_mut() {
            first.2 = detail.into();
        }
        self
    }

    fn response(&self) -> Response {
        let status = self.status.to_string();
        let errors: Vec<Json> = self
            .entries
            .iter()
            .map(|(code, title, detail)| {
                json!({ "code": code, "title": title, "detail": detail, "status": status })
            })
            .collect();
        let description = self.entries.first().map_or("", |e| e.2.as_str());
        Response::json(
            self.status,
            &json!({
                "errors": errors,
                "traceId": trace_id(),
                "error": self.error,
                "error_description": description,
            }),
        )
    }
}

fn bad_request(detail: impl Into<String>) -> Refusal {
    Refusal::new(
        400,
        "invalid_request",
        oauth_codes::BAD_REQUEST,
        "Invalid request",
    )
    .because(detail)
}

fn invalid_client(code: &'static str, title: &'static str, detail: impl Into<String>) -> Refusal {
    Refusal::new(401, "invalid_client", code, title).because(detail)
}

/// `POST /oauth/token`.
pub(crate) fn token(request: &Request, shared: &Shared, now: i64) -> Response {
    match exchange(request, shared, now) {
        Ok(answer) => answer,
        Err(refusal) => refusal.response(),
    }
}

fn exchange(request: &Request, shared: &Shared, now: i64) -> Result<Response, Refusal> {
    let fields = read_fields(request)?;
    let field = |name: &str| {
        fields
            .get(name)
            .and_then(Json::as_str)
            .filter(|v| !v.is_empty())
            .ok_or_else(|| bad_request(format!("the body has no {name}")))
    };
    let grant_type = field("grant_type")?;
    if grant_type != CLIENT_CREDENTIALS_GRANT && grant_type != USER_IMPERSONATION_GRANT {
        return Err(Refusal::new(
            400,
            "unsupported_grant_type",
            oauth_codes::UNSUPPORTED_GRANT,
            "Unsupported grant type",
        )
        .because(format!(
            "grant_type {grant_type:?}: the local tenant issues {CLIENT_CREDENTIALS_GRANT} and \
             {USER_IMPERSONATION_GRANT} tokens"
        )));
    }
    let client_id = field("client_id")?;
    let assertion_type = field("client_assertion_type")?;
    if assertion_type != CLIENT_ASSERTION_TYPE {
        return Err(bad_request(format!(
            "client_assertion_type must be {CLIENT_ASSERTION_TYPE}, not {assertion_type:?}"
        )));
    }
    let assertion = field("client_assertion")?;
    let client = shared
        .config
        .oauth_clients
        .iter()
        .find(|c| c.client_id == client_id)
        .ok_or_else(|| {
            invalid_client(
                oauth_codes::UNKNOWN_CLIENT,
                "Unknown client",
                format!("no OAuth client {client_id:?} is registered on this tenant"),
            )
        })?;
    let checked = judge_assertion(assertion, client, &shared.url, now)?;
    let subject = if grant_type == USER_IMPERSONATION_GRANT {
        Some(impersonated_subject(&fields, shared)?)
    } else {
        None
    };
    let scope = fields
        .get("scope")
        .and_then(Json::as_str)
        .filter(|s| !s.is_empty())
        .unwrap_or(USER_DEFAULT_SCOPE)
        .to_owned();
    let mut oauth = shared
        .oauth
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if !oauth.use_jti(&checked.jti, checked.expires_at, now) {
        let replayed = replayed_jti(&checked.jti);
        return Err(invalid_client(
            replayed.code,
            "Assertion already used",
            replayed.message,
        ));
    }
    let lifetime = shared.config.access_token_lifetime_secs;
    let user = match subject {
        Some(subject) => User {
            name: subject.clone(),
            subject,
            email: String::new(),
            email_verified: false,
            groups: Vec::new(),
            created: now,
        },
        None => User {
            subject: client.client_id.clone(),
            name: format!("OAuth client {}", client.client_id),
            email: String::new(),
            email_verified: false,
            groups: Vec::new(),
            created: now,
        },
    };
    let access_token = random_token(32).map_err(|_| {
        Refusal::new(503, "temporarily_unavailable", super::codes::BUSY, "Busy")
            .because("the random source failed")
    })?;
    let expires_at = now.saturating_add(i64::try_from(lifetime).unwrap_or(i64::MAX));
    oauth.issue(access_token.clone(), Issued { user, expires_at });
    // `expires_at` as Qlik's published schema gives it, `expires_in` as RFC 6749 does.
    Ok(Response::json(
        200,
        &json!({
            "access_token": access_token,
            "token_type": "bearer",
            "expires_in": lifetime,
            "expires_at": iso_utc(expires_at),
            "scope": scope,
        }),
    ))
}

/// Judges `assertion` with the core's own checks of client assertions
/// ([`RegisteredClient::check`], what `explain` tells developers) against `client` and this
/// tenant's URL at `now`; every problem found becomes one entry of the refusal.
fn judge_assertion(
    assertion: &str,
    client: &OAuthClientRegistration,
    tenant_url: &str,
    now: i64,
) -> Result<AcceptedAssertion, Refusal> {
    let registered = RegisteredClient::new(&client.client_id, tenant_url, Some(client.key.clone()))
        .map_err(|e| {
            Refusal::new(
                500,
                "server_error",
                oauth_codes::BAD_REQUEST,
                "Internal error",
            )
            .because(e.message().to_owned())
        })?;
    registered.check(assertion, now).map_err(|problems| {
        let mut refusal = Refusal::new(
            401,
            "invalid_client",
            oauth_codes::BAD_REQUEST,
            "Invalid client assertion",
        );
        refusal.entries = problems
            .into_iter()
            .map(|p| (p.code, "Invalid client assertion", p.message))
            .collect();
        refusal
    })
}

/// The subject of `user_lookup: {"field": "subject", "value": ...}`.
fn impersonated_subject(fields: &Json, shared: &Shared) -> Result<String, Refusal> {
    let lookup = fields.get("user_lookup");
    let lookup_field = lookup.and_then(|l| l.get("field")).and_then(Json::as_str);
    let value = lookup.and_then(|l| l.get("value")).and_then(Json::as_str);
    let (Some(USER_LOOKUP_SUBJECT), Some(subject)) =
        (lookup_field, value.filter(|v| !v.is_empty()))
    else {
        return Err(bad_request(format!(
            "{USER_IMPERSONATION_GRANT} needs user_lookup {{\"field\": \"subject\", \"value\": \
             <the user's subject>}}"
        )));
    };
    if let Some(members) = &shared.config.known_users
        && !members.iter().any(|m| m == subject)
    {
        return Err(Refusal::new(
            400,
            "invalid_grant",
            oauth_codes::UNKNOWN_USER,
            "User not found",
        )
        .because(format!(
            "no user with subject {subject:?} is a member of this tenant"
        )));
    }
    Ok(subject.to_owned())
}

/// The body's fields as a JSON object, from JSON or form encoding.
fn read_fields(request: &Request) -> Result<Json, Refusal> {
    let content_type = request.header("content-type").unwrap_or("");
    let media = content_type.split(';').next().unwrap_or("").trim();
    if media.eq_ignore_ascii_case("application/x-www-form-urlencoded") {
        let text = std::str::from_utf8(&request.body)
            .map_err(|_| bad_request("the form body is not UTF-8"))?;
        return Ok(form_fields(text));
    }
    if media.eq_ignore_ascii_case("application/json") || media.is_empty() {
        return serde_json::from_slice::<Json>(&request.body)
            .ok()
            .filter(Json::is_object)
            .ok_or_else(|| bad_request("the body is not a JSON object"));
    }
    Err(bad_request(format!(
        "Content-Type {content_type:?}: send application/json or \
         application/x-www-form-urlencoded"
    )))
}

/// A form body as a JSON object; `user_lookup` given as JSON text or as `user_lookup[field]`
/// and `user_lookup[value]` becomes an object.
fn form_fields(text: &str) -> Json {
    let mut fields = serde_json::Map::new();
    let mut lookup = serde_json::Map::new();
    for pair in text.split('&').filter(|p| !p.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let (name, value) = (form_decode(name), form_decode(value));
        match name.as_str() {
            "user_lookup[field]" => {
                lookup.insert("field".into(), json!(value));
            }
            "user_lookup[value]" => {
                lookup.insert("value".into(), json!(value));
            }
            "user_lookup" => {
                let parsed = serde_json::from_str::<Json>(&value).unwrap_or(json!(value));
                fields.insert(name, parsed);
            }
            _ => {
                fields.entry(name).or_insert(json!(value));
            }
        }
    }
    if !lookup.is_empty() {
        fields.insert("user_lookup".into(), Json::Object(lookup));
    }
    Json::Object(fields)
}

/// `application/x-www-form-urlencoded` decoding: `+` is a space, `%XX` a byte.
fn form_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(byte) => {
                        out.push(byte);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The user of `Authorization: Bearer <access token>` when the tenant issued that token:
/// `None` when the request carries no bearer token, `Err` with the answer when the token is
/// unknown or expired.
pub(crate) fn bearer_user(
    request: &Request,
    shared: &Shared,
    now: i64,
) -> Option<Result<User, Response>> {
    let value = request.header("authorization")?;
    let (scheme, token) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return None;
    }
    let oauth = shared
        .oauth
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let refused = |detail: &str| {
        Refusal::new(
            401,
            "invalid_token",
            oauth_codes::BAD_ACCESS_TOKEN,
            "Invalid access token",
        )
        .because(detail)
        .response()
    };
    Some(match oauth.tokens.get(token.trim()) {
        Some(issued) if now < issued.expires_at => Ok(issued.user.clone()),
        Some(_) => Err(refused(
            "the access token expired: ask POST /oauth/token for a new one",
        )),
        None => Err(refused("this tenant did not issue this access token")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_bodies_decode_with_either_user_lookup() {
        let fields = form_fields(
            "grant_type=urn%3Aqlik%3Aoauth%3Auser-impersonation&user_lookup%5Bfield%5D=subject\
             &user_lookup%5Bvalue%5D=a+b%7Cc&scope=user_default&bad=%zz%4",
        );
        assert_eq!(fields["grant_type"], USER_IMPERSONATION_GRANT);
        assert_eq!(
            fields["user_lookup"],
            json!({"field": "subject", "value": "a b|c"})
        );
        assert_eq!(fields["bad"], "%zz%4");
        let as_json =
            form_fields("user_lookup=%7B%22field%22%3A%22subject%22%2C%22value%22%3A%22x%22%7D");
        assert_eq!(as_json["user_lookup"]["value"], "x");
    }
}
