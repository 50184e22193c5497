//! A client-managed virtual proxy's address: `http(s)://host[:port]/<prefix>`, checked once, and
//! the URLs of calls made under its prefix.

use url::Url;

use super::{BaseUrl, ClientError};

const EXAMPLE: &str = "https://sense.example.com/jwt";

/// A virtual proxy's base URL: an origin and the proxy's prefix (one path segment), serialized as
/// `https://host/prefix` (lower-case host, no default port, no trailing slash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProxyUrl {
    origin: BaseUrl,
    prefix: String,
    text: String,
}

impl ProxyUrl {
    /// Checks a virtual proxy URL such as `https://sense.example.com/jwt` (a trailing `/` is
    /// allowed). The prefix is required (the JWT virtual proxy's, as set in the QMC) and, as
    /// Qlik's prefixes, lower case.
    pub fn parse(text: &str) -> Result<ProxyUrl, ClientError> {
        let trimmed = text.trim();
        let shown = if trimmed.contains('@') {
            "the virtual proxy URL (not shown: it may hold credentials)".to_owned()
        } else {
            format!("the virtual proxy URL {trimmed:?}")
        };
        let url = Url::parse(trimmed).map_err(|_| {
            ClientError::InvalidUrl(format!(
                "{shown} is not an https:// (or http://) URL, e.g. {EXAMPLE}"
            ))
        })?;
        if !url.username().is_empty() || url.password().is_some() {
            return Err(ClientError::InvalidUrl(
                "the virtual proxy URL carries credentials; give the proxy's address and prefix \
                 alone, and the token separately"
                    .into(),
            ));
        }
        let origin_text = url.origin().ascii_serialization();
        let origin = BaseUrl::tenant(&origin_text).map_err(|_| {
            ClientError::InvalidUrl(format!(
                "{shown} is not an https:// (or http://) URL, e.g. {EXAMPLE}"
            ))
        })?;
        if url.query().is_some() || url.fragment().is_some() {
            return Err(ClientError::InvalidUrl(format!(
                "{shown} should be the proxy's address and prefix alone, e.g. {origin_text}/jwt"
            )));
        }
        let path = url.path().trim_end_matches('/');
        let prefix = path.strip_prefix('/').unwrap_or(path);
        if prefix.is_empty() {
            return Err(ClientError::InvalidUrl(format!(
                "{shown} has no virtual proxy prefix: a JWT virtual proxy is reached under its \
                 prefix, e.g. {origin_text}/jwt"
            )));
        }
        if prefix.contains('/') {
            return Err(ClientError::InvalidUrl(format!(
                "{shown} should be the proxy's address and its prefix (one path segment) alone, \
                 e.g. {origin_text}/jwt"
            )));
        }
        let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_.~".contains(c);
        if !prefix.chars().all(allowed) {
            return Err(ClientError::InvalidUrl(format!(
                "the virtual proxy prefix {prefix:?} is not one Qlik takes: prefixes are lower \
                 case (letters, digits, -, _, ., ~), e.g. {origin_text}/{}",
                prefix.to_ascii_lowercase()
            )));
        }
        Ok(ProxyUrl {
            text: format!("{}/{prefix}", origin.as_str()),
            origin,
            prefix: prefix.to_owned(),
        })
    }

    /// The proxy's base URL as text, e.g. `https://sense.example.com/jwt`.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The proxy's origin, e.g. `https://sense.example.com` (what the websocket's `Origin` is).
    pub fn origin(&self) -> &str {
        self.origin.as_str()
    }

    /// The virtual proxy prefix, e.g. `jwt`.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// Whether the proxy is reached over HTTPS.
    pub fn is_https(&self) -> bool {
        self.text.starts_with("https://")
    }

    /// The URL of `path` (which starts with `/` and may carry a query) under the prefix:
    /// `/qrs/about` is `https://host/<prefix>/qrs/about`. A path that would leave the prefix (`/..`)
    /// is refused.
    pub fn join(&self, path: &str) -> Result<Url, ClientError> {
        if !path.starts_with('/') {
            return Err(ClientError::InvalidUrl(format!(
                "the path {path:?} must start with /, e.g. /qrs/about (it is taken under the \
                 prefix /{})",
                self.prefix
            )));
        }
        let url = self.origin.join(&format!("/{}{path}", self.prefix))?;
        let under = format!("/{}/", self.prefix);
        if !url.path().starts_with(&under) && url.path() != under.trim_end_matches('/') {
            return Err(ClientError::InvalidUrl(format!(
                "the path {path:?} leaves the virtual proxy prefix /{}",
                self.prefix
            )));
        }
        Ok(url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(text: &str) -> String {
        match ProxyUrl::parse(text) {
            Err(ClientError::InvalidUrl(message)) => message,
            other => panic!("{text}: {other:?}"),
        }
    }

    #[test]
    fn a_proxy_url_is_its_origin_and_prefix() {
        for (text, base, origin, prefix) in [
            (
                "https://Sense.Example.com/jwt",
                "https://sense.example.com/jwt",
                "https://sense.example.com",
                "jwt",
            ),
            (
                " https://sense.example.com:443/proxy-jwt/ ",
                "https://sense.example.com/proxy-jwt",
                "https://sense.example.com",
                "proxy-jwt",
            ),
            (
                "http://127.0.0.1:8080/jwt",
                "http://127.0.0.1:8080/jwt",
                "http://127.0.0.1:8080",
                "jwt",
            ),
        ] {
            let url = ProxyUrl::parse(text).unwrap();
            assert_eq!(
                (url.as_str(), url.origin(), url.prefix()),
                (base, origin, prefix),
                "{text}"
            );
        }
        assert!(ProxyUrl::parse("https://h/jwt").unwrap().is_https());
        assert!(!ProxyUrl::parse("http://h/jwt").unwrap().is_https());
    }

    #[test]
    fn what_is_not_a_proxy_address_is_refused_with_the_reason() {
        for text in ["sense.example.com/jwt", "ftp://h/jwt", ""] {
            assert!(refused(text).contains("is not an https://"), "{text}");
        }
        for text in ["https://h", "https://h/", "https://h//"] {
            assert!(refused(text).contains("no virtual proxy prefix"), "{text}");
        }
        assert!(refused("https://h/jwt/hub").contains("one path segment"));
        assert!(refused("https://h/jwt?x=1").contains("address and prefix alone"));
        assert!(refused("https://h/JWT").contains("lower case"));
        let secret = refused("https://user:secret@h/jwt");
        assert!(secret.contains("credentials") && !secret.contains("secret@"));
    }

    #[test]
    fn paths_join_under_the_prefix_and_stay_there() {
        let url = ProxyUrl::parse("https://h/jwt").unwrap();
        assert_eq!(
            url.join("/qrs/about?x=a b").unwrap().as_str(),
            "https://h/jwt/qrs/about?x=a%20b"
        );
        assert_eq!(
            url.join("/qps/csrftoken").unwrap().as_str(),
            "https://h/jwt/qps/csrftoken"
        );
        assert!(url.join("qrs").is_err());
        assert!(
            matches!(url.join("/../qrs/about"), Err(ClientError::InvalidUrl(m)) if m.contains("leaves"))
        );
        assert!(
            url.join("//evil.example/x")
                .is_ok_and(|u| u.host_str() == Some("h"))
        );
    }
}
