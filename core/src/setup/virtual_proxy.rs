//! A client-managed JWT virtual proxy as the JSON body of `POST /qrs/virtualproxyconfig`.
//!
//! The fields follow the QRS API type `VirtualProxyConfig`: `prefix`, `description`,
//! `sessionCookieHeaderName` (required, unique per virtual proxy), `authenticationMethod`
//! (an integer: 4 is JWT), `anonymousAccessMode` (0: no anonymous user), `jwtPublicKeyCertificate`
//! (the certificate, PEM), `jwtAttributeUserId`, `jwtAttributeUserDirectory`, `jwtAudience`,
//! `jwtAttributeMap` (`[{senseAttribute, jwtAttribute, isMandatory}]`),
//! `loadBalancingServerNodes` (`[{id}]` of server nodes), `websocketCrossOriginWhiteList` (host
//! names) and `sessionInactivityTimeout` (minutes). Fields left out take the QRS defaults. The
//! virtual proxy still has to be linked to a proxy service afterwards.

use serde_json::{Map, Value as Json};

use super::single_line_pem;
use crate::error::{Error, ErrorCode, Result};
use crate::key::{KeyKind, VerifyingKey};
use crate::qlik::client_managed::VirtualProxySettings;

/// The QRS `authenticationMethod` value of JWT (0 Ticket, 1 header with a static user
/// directory, 2 header with a dynamic one, 3 SAML, 4 JWT, 5 OIDC).
pub const AUTHENTICATION_METHOD_JWT: i64 = 4;

/// The QRS `anonymousAccessMode` value that admits no anonymous user.
pub const NO_ANONYMOUS_USER: i64 = 0;

/// The session cookie header name Qlik's documentation suggests for `prefix`:
/// `X-Qlik-Session-<prefix>`. Over plain http the proxy appends `-HTTP` to the cookie's name.
pub fn default_session_cookie_header_name(prefix: &str) -> String {
    format!("X-Qlik-Session-{prefix}")
}

/// A JWT virtual proxy: its identification, its JWT settings and its load balancing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VirtualProxyConfig {
    /// The path segment of the proxy's URLs (`https://<host>/<prefix>/`): lowercase letters,
    /// digits and `-`, `.`, `_`, `~`.
    pub prefix: String,
    /// Shown in the QMC; `JWT authentication (<prefix>)` when left out.
    pub description: Option<String>,
    /// `X-Qlik-Session-<prefix>` when left out; must be unique among the site's virtual proxies.
    pub session_cookie_header_name: Option<String>,
    /// The X.509 certificate (PEM) of the RSA key that signs the tokens.
    pub certificate_pem: String,
    /// The JWT attribute names, audience and attribute map.
    pub proxy: VirtualProxySettings,
    /// The ids (UUIDs) of the server nodes the proxy balances engine sessions over.
    pub load_balancing_node_ids: Vec<String>,
    /// Host names allowed to open engine websockets from a browser (the websocket origin
    /// allow list), e.g. `mashup.example.com`.
    pub websocket_origin_allow_list: Vec<String>,
    /// Minutes of inactivity before the proxy ends a session (the QRS default is 30).
    pub session_inactivity_timeout_minutes: Option<u32>,
}

impl VirtualProxyConfig {
    /// A configuration with these settings and every optional field left out.
    pub fn new(prefix: &str, certificate_pem: &str, proxy: VirtualProxySettings) -> Self {
        VirtualProxyConfig {
            prefix: prefix.to_owned(),
            description: None,
            session_cookie_header_name: None,
            certificate_pem: certificate_pem.to_owned(),
            proxy,
            load_balancing_node_ids: Vec::new(),
            websocket_origin_allow_list: Vec::new(),
            session_inactivity_timeout_minutes: None,
        }
    }

    /// The session cookie header name the body carries.
    pub fn session_cookie_header_name(&self) -> String {
        self.session_cookie_header_name
            .clone()
            .unwrap_or_else(|| default_session_cookie_header_name(&self.prefix))
    }

    /// The JSON value of the request body; fails, naming the field, on a prefix, header name,
    /// certificate, attribute name, node id or origin the QRS or the proxy would not take.
    pub fn to_json_value(&self) -> Result<Json> {
        check_prefix(&self.prefix)?;
        let description = match &self.description {
            Some(text) if text.trim().is_empty() => {
                return Err(invalid(
                    "description is empty: the QMC requires one; leave it out for the default",
                ));
            }
            Some(text) => text.clone(),
            None => format!("JWT authentication ({})", self.prefix),
        };
        let header_name = self.session_cookie_header_name();
        check_header_name(&header_name)?;
        let certificate = certificate_block(&self.certificate_pem)?;
        self.proxy.check()?;
        for id in &self.load_balancing_node_ids {
            check_node_id(id)?;
        }
        for origin in &self.websocket_origin_allow_list {
            check_origin(origin)?;
        }
        if self.session_inactivity_timeout_minutes == Some(0) {
            return Err(invalid(
                "session_inactivity_timeout_minutes is 0: give one minute or more (the QRS \
                 default is 30)",
            ));
        }

        let text = |s: &str| Json::String(s.to_owned());
        let mut body = Map::new();
        body.insert("prefix".into(), text(&self.prefix));
        body.insert("description".into(), Json::String(description));
        body.insert("sessionCookieHeaderName".into(), Json::String(header_name));
        body.insert(
            "authenticationMethod".into(),
            Json::from(AUTHENTICATION_METHOD_JWT),
        );
        body.insert("anonymousAccessMode".into(), Json::from(NO_ANONYMOUS_USER));
        body.insert("jwtPublicKeyCertificate".into(), Json::String(certificate));
        body.insert(
            "jwtAttributeUserId".into(),
            text(&self.proxy.user_id_attribute),
        );
        body.insert(
            "jwtAttributeUserDirectory".into(),
            text(&self.proxy.user_directory_attribute),
        );
        if let Some(audience) = &self.proxy.audience {
            body.insert("jwtAudience".into(), text(audience));
        }
        let map = self
            .proxy
            .attributes
            .iter()
            .map(|m| {
                let mut item = Map::new();
                item.insert("senseAttribute".into(), text(&m.sense_attribute));
                item.insert("jwtAttribute".into(), text(&m.jwt_attribute));
                item.insert("isMandatory".into(), Json::Bool(m.is_mandatory));
                Json::Object(item)
            })
            .collect();
        body.insert("jwtAttributeMap".into(), Json::Array(map));
        let nodes = self
            .load_balancing_node_ids
            .iter()
            .map(|id| {
                let mut node = Map::new();
                node.insert("id".into(), text(&id.to_ascii_lowercase()));
                Json::Object(node)
            })
            .collect();
        body.insert("loadBalancingServerNodes".into(), Json::Array(nodes));
        body.insert(
            "websocketCrossOriginWhiteList".into(),
            Json::Array(
                self.websocket_origin_allow_list
                    .iter()
                    .map(|o| text(o))
                    .collect(),
            ),
        );
        if let Some(minutes) = self.session_inactivity_timeout_minutes {
            body.insert("sessionInactivityTimeout".into(), Json::from(minutes));
        }
        Ok(Json::Object(body))
    }

    /// The request body as pretty-printed JSON text.
    pub fn to_json(&self) -> Result<String> {
        let value = self.to_json_value()?;
        Ok(serde_json::to_string_pretty(&value).unwrap_or_default())
    }
}

fn invalid(message: impl Into<String>) -> Error {
    Error::plain(ErrorCode::InvalidOption, message)
}

/// Qlik takes lowercase letters, digits and the other unreserved URI characters of RFC 3986.
fn check_prefix(prefix: &str) -> Result<()> {
    if prefix.is_empty() {
        return Err(invalid(
            "prefix is empty: a JWT virtual proxy needs its own path, as in \
             https://<host>/<prefix>/",
        ));
    }
    if let Some(bad) = prefix.chars().find(|c| {
        !(c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '.' | '_' | '~'))
    }) {
        let hint = if bad.is_ascii_uppercase() {
            " (Qlik lowercases prefixes: write it in lowercase)"
        } else if bad == '/' {
            " (give the prefix without slashes)"
        } else {
            ""
        };
        return Err(invalid(format!(
            "prefix {prefix:?} holds {bad:?}: a virtual proxy prefix takes only lowercase \
             letters, digits, '-', '.', '_' and '~'{hint}"
        )));
    }
    Ok(())
}

/// An HTTP header name is an RFC 9110 token.
fn check_header_name(name: &str) -> Result<()> {
    let is_token_char = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
    if name.is_empty() || !name.chars().all(is_token_char) {
        return Err(invalid(format!(
            "session_cookie_header_name {name:?} is not an HTTP header name: use letters, digits \
             and '-', e.g. X-Qlik-Session-<prefix>"
        )));
    }
    Ok(())
}

fn check_node_id(id: &str) -> Result<()> {
    let groups: Vec<&str> = id.split('-').collect();
    let lengths_ok = groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12]);
    if !lengths_ok
        || !groups
            .iter()
            .all(|g| g.chars().all(|c| c.is_ascii_hexdigit()))
    {
        return Err(invalid(format!(
            "load-balancing node id {id:?} is not a UUID: give the id of a server node, as \
             GET /qrs/servernodeconfiguration lists them"
        )));
    }
    Ok(())
}

fn check_origin(origin: &str) -> Result<()> {
    if origin.is_empty() || origin.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(invalid(format!(
            "websocket origin {origin:?} is not a host name: give one like mashup.example.com"
        )));
    }
    Ok(())
}

/// The certificate as PEM with 64-column lines, after checking that it is one X.509
/// certificate of an RSA key.
fn certificate_block(text: &str) -> Result<String> {
    let not_certificate = |why: String| {
        Error::plain(
            ErrorCode::InvalidKey,
            format!("certificate: expected the PEM X.509 certificate of an RSA key, but {why}"),
        )
    };
    let line = single_line_pem(text).map_err(|e| not_certificate(e.message().to_owned()))?;
    let body = line
        .strip_prefix("-----BEGIN CERTIFICATE-----")
        .and_then(|rest| rest.strip_suffix("-----END CERTIFICATE-----"))
        .ok_or_else(|| {
            not_certificate(
                "it is a bare public key: the virtual proxy's JWT certificate field takes a \
                 certificate (qlik-jwt keygen writes one, publickey.cer)"
                    .to_owned(),
            )
        })?;
    let mut pem = String::from("-----BEGIN CERTIFICATE-----\n");
    for chunk in body.as_bytes().chunks(64) {
        pem.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        pem.push('\n');
    }
    pem.push_str("-----END CERTIFICATE-----\n");
    let key = VerifyingKey::from_public(pem.as_bytes(), None)
        .map_err(|e| not_certificate(format!("it does not parse: {}", e.message())))?;
    match key.kind() {
        KeyKind::Rsa { .. } => Ok(pem),
        KeyKind::Ec { .. } => Err(not_certificate(
            "it holds an EC key: a virtual proxy verifies RS256, RS384 and RS512 only".to_owned(),
        )),
        _ => Err(not_certificate(
            "it does not hold an RSA key: a virtual proxy verifies RS256, RS384 and RS512 only"
                .to_owned(),
        )),
    }
}
