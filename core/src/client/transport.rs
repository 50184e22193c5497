//! The bytes on the wire: one request of the protocol sent with `ureq`, its answer read back.

use std::sync::Arc;

use ureq::RequestExt as _;

use crate::protocol::{HttpRequest, HttpResponse};

/// The most of a body this client reads.
const BODY_LIMIT: u64 = 10 * 1024 * 1024;

/// An agent that follows no redirect, reports every status as an answer, and speaks TLS with
/// rustls on aws-lc-rs.
pub(super) fn agent() -> ureq::Agent {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let tls = ureq::tls::TlsConfig::builder()
        .provider(ureq::tls::TlsProvider::Rustls)
        .unversioned_rustls_crypto_provider(provider)
        .build();
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .tls_config(tls)
        .user_agent(concat!("qlik-jwt/", env!("CARGO_PKG_VERSION")))
        .build()
        .new_agent()
}

/// Sends `request` with `body`; the answer, or the transport's words for why there is none.
pub(super) fn exchange(
    agent: &ureq::Agent,
    request: &HttpRequest,
    body: Vec<u8>,
) -> Result<HttpResponse, String> {
    let mut builder = ureq::http::Request::builder()
        .method(request.method.as_str())
        .uri(request.url.as_str());
    for (name, value) in &request.headers {
        builder = builder.header(name.as_str(), value.as_str());
    }
    let outgoing = builder.body(body).map_err(|e| e.to_string())?;
    let mut answer = outgoing
        .with_agent(agent)
        .configure()
        .timeout_global(Some(request.timeout))
        .run()
        .map_err(|e| e.to_string())?;
    let status = answer.status().as_u16();
    let headers = answer
        .headers()
        .iter()
        .map(|(n, v)| {
            (
                n.as_str().to_ascii_lowercase(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let body = if status == 204 || request.method == "HEAD" {
        String::new()
    } else {
        answer
            .body_mut()
            .with_config()
            .limit(BODY_LIMIT)
            .read_to_string()
            .map_err(|e| e.to_string())?
    };
    Ok(HttpResponse {
        status,
        headers,
        body,
    })
}
