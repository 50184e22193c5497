//! The tenant's address, checked once, and the URLs of calls made on it.

use std::net::IpAddr;

use url::{Host, Url};

use super::ClientError;
use crate::qlik::protocol::USERS_ME_PATH;

const EXAMPLE: &str = "https://acme.eu.qlikcloud.com";

/// A tenant's base URL: `http(s)://host[:port]` with no path, query, fragment or credentials,
/// serialized as its origin (lower-case host, no default port, no trailing slash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    origin: String,
}

impl BaseUrl {
    /// Checks a tenant URL such as `https://acme.eu.qlikcloud.com` (a trailing `/` is allowed).
    pub fn tenant(text: &str) -> Result<BaseUrl, ClientError> {
        let shown = shown(text);
        let not_http = || {
            ClientError::InvalidUrl(format!(
                "{shown} is not an https:// (or http://) URL, e.g. {EXAMPLE}"
            ))
        };
        let url = Url::parse(text.trim()).map_err(|_| not_http())?;
        if !matches!(url.scheme(), "https" | "http") || url.host().is_none() {
            return Err(not_http());
        }
        let origin = url.origin().ascii_serialization();
        if !url.username().is_empty() || url.password().is_some() {
            return Err(ClientError::InvalidUrl(format!(
                "the tenant URL carries credentials; give the tenant's address alone, e.g. {origin}"
            )));
        }
        // WHATWG parsing reads `https:///acme` as `https://acme`: what was given is no address.
        let extra_slash = text
            .trim()
            .split_once("://")
            .is_some_and(|(_, rest)| rest.starts_with(['/', '\\']));
        if extra_slash || url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
            return Err(ClientError::InvalidUrl(format!(
                "{shown} should be the tenant's address alone, e.g. {origin}"
            )));
        }
        Ok(BaseUrl { origin })
    }

    /// The base URL as text, e.g. `https://acme.eu.qlikcloud.com`.
    pub fn as_str(&self) -> &str {
        &self.origin
    }

    /// The URL of `path` (which starts with `/` and may carry a query) on this tenant.
    pub fn join(&self, path: &str) -> Result<Url, ClientError> {
        if !path.starts_with('/') {
            return Err(ClientError::InvalidUrl(format!(
                "the path {path:?} must start with /, e.g. {USERS_ME_PATH}"
            )));
        }
        let url = Url::parse(&format!("{}{path}", self.origin))
            .map_err(|e| ClientError::InvalidUrl(format!("{path:?}: {e}")))?;
        // `//host/…` or a `\` would reach another host in some parsers: the call stays here.
        if url.origin().ascii_serialization() != self.origin {
            return Err(ClientError::InvalidUrl(format!(
                "the path {path:?} leaves the tenant {}",
                self.origin
            )));
        }
        Ok(url)
    }
}

/// `text` quoted for an error message, unless it may hold a password (`user:password@host`).
fn shown(text: &str) -> String {
    if text.contains('@') {
        "the tenant URL (not shown: it may hold credentials)".to_owned()
    } else {
        format!("the tenant URL {text:?}")
    }
}

/// Whether `url` is a secure context: HTTPS, or HTTP to a loopback host (`127.0.0.0/8`, `::1`,
/// `localhost` and its subdomains), which browsers treat as secure too.
pub fn is_secure_context(url: &Url) -> bool {
    match url.scheme() {
        "https" | "wss" => true,
        "http" | "ws" => match url.host() {
            Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
            Some(Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
            Some(Host::Domain(name)) => {
                let name = name.trim_end_matches('.');
                name == "localhost" || name.ends_with(".localhost")
            }
            None => false,
        },
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(text: &str) -> String {
        match BaseUrl::tenant(text) {
            Err(ClientError::InvalidUrl(message)) => message,
            other => panic!("{text}: {other:?}"),
        }
    }

    #[test]
    fn a_tenant_is_its_origin() {
        for (text, origin) in [
            (
                "https://acme.eu.qlikcloud.com",
                "https://acme.eu.qlikcloud.com",
            ),
            (
                " https://ACME.eu.qlikcloud.com/ ",
                "https://acme.eu.qlikcloud.com",
            ),
            ("https://acme.example:443", "https://acme.example"),
            ("http://127.0.0.1:8080/", "http://127.0.0.1:8080"),
            ("http://[::1]:9000", "http://[::1]:9000"),
        ] {
            assert_eq!(BaseUrl::tenant(text).unwrap().as_str(), origin, "{text}");
        }
    }

    #[test]
    fn what_is_not_a_tenant_address_is_refused_with_the_reason() {
        for text in [
            "acme.eu.qlikcloud.com",
            "ftp://x",
            "https://",
            "http://a b",
            "",
        ] {
            assert!(
                refused(text).contains("is not an https:// (or http://) URL"),
                "{text}"
            );
        }
        for text in [
            "https://acme/path",
            "https://acme/?q=1",
            "https://acme/#f",
            "https://acme.com/login",
            "https:///acme",
            "https://acme.com?x=1",
            "https://user@acme.com",
        ] {
            assert!(
                refused(text).contains("the tenant's address alone"),
                "{text}"
            );
        }
        assert!(refused("acme.eu.qlikcloud.com").starts_with(
            "the tenant URL \"acme.eu.qlikcloud.com\" is not an https:// (or http://) URL"
        ));
        for text in [
            "https://user:secret@acme",
            "https://user:secret@acme/p",
            "https://u:secret@a b",
        ] {
            let message = refused(text);
            assert!(message.contains("credentials"), "{message}");
            assert!(!message.contains("secret"), "{message}");
        }
    }

    #[test]
    fn paths_join_on_the_tenant_and_stay_there() {
        let base = BaseUrl::tenant("https://acme.example").unwrap();
        assert_eq!(
            base.join("/api/v1/users/me?x=a b").unwrap().as_str(),
            "https://acme.example/api/v1/users/me?x=a%20b"
        );
        assert!(
            matches!(base.join("api"), Err(ClientError::InvalidUrl(m)) if m.contains("must start with /"))
        );
        assert!(
            base.join("//evil.example/x")
                .is_ok_and(|u| u.host_str() == Some("acme.example"))
        );
        assert!(
            matches!(base.join("/\\evil.example"), Ok(u) if u.host_str() == Some("acme.example"))
        );
    }

    #[test]
    fn loopback_http_is_a_secure_context() {
        for (url, secure) in [
            ("https://acme.example/", true),
            ("http://acme.example/", false),
            ("http://127.0.0.1:1/", true),
            ("http://127.8.9.10/", true),
            ("http://[::1]/", true),
            ("http://localhost/", true),
            ("http://app.localhost/", true),
            ("http://localhost.example/", false),
            ("http://10.0.0.1/", false),
        ] {
            assert_eq!(
                is_secure_context(&Url::parse(url).unwrap()),
                secure,
                "{url}"
            );
        }
    }
}
