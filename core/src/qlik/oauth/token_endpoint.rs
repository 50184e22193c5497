//! The assertion's audience: the tenant's token endpoint, `https://<tenant>/oauth/token`, with
//! the tenant URL checked by the same rules as every other tenant URL (`BaseUrl`).

use super::TOKEN_PATH;
use crate::error::{Error, ErrorCode, Result};
use crate::protocol::{BaseUrl, ClientError, is_secure_context};

/// The token endpoint of the tenant at `tenant_url`, which is the exact `aud` Qlik requires:
/// `https://acme.eu.qlikcloud.com` (a trailing `/` is removed) gives
/// `https://acme.eu.qlikcloud.com/oauth/token`. Refuses a URL with a path, a query, a fragment or
/// credentials, and `http` to anything but a loopback host (the local tenant).
pub fn token_endpoint(tenant_url: &str) -> Result<String> {
    let base = BaseUrl::tenant(tenant_url).map_err(|error| match error {
        ClientError::InvalidUrl(message) => refused(message),
        other => refused(other.to_string()),
    })?;
    let endpoint = format!("{}{TOKEN_PATH}", base.as_str());
    let secure = url::Url::parse(&endpoint)
        .map(|url| is_secure_context(&url))
        .unwrap_or(false);
    if !secure {
        let https = base.as_str().replacen("http://", "https://", 1);
        return Err(refused(format!(
            "the tenant URL {:?} is http: Qlik Cloud's token endpoint is https (only a loopback \
             tenant such as http://127.0.0.1:8080 may be http), e.g. {https}",
            base.as_str()
        )));
    }
    Ok(endpoint)
}

fn refused(message: String) -> Error {
    Error::plain(ErrorCode::OauthTenantUrl, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_audience_is_the_origin_and_the_token_path_without_a_trailing_slash() {
        for (tenant, endpoint) in [
            (
                "https://acme.eu.qlikcloud.com",
                "https://acme.eu.qlikcloud.com/oauth/token",
            ),
            (
                "https://ACME.eu.qlikcloud.com/",
                "https://acme.eu.qlikcloud.com/oauth/token",
            ),
            (
                "https://acme.eu.qlikcloud.com:443",
                "https://acme.eu.qlikcloud.com/oauth/token",
            ),
            (
                "http://127.0.0.1:8080/",
                "http://127.0.0.1:8080/oauth/token",
            ),
            ("http://localhost:3000", "http://localhost:3000/oauth/token"),
            ("http://[::1]:9", "http://[::1]:9/oauth/token"),
        ] {
            assert_eq!(token_endpoint(tenant).unwrap(), endpoint, "{tenant}");
        }
    }

    #[test]
    fn refuses_paths_queries_fragments_credentials_and_remote_http() {
        for tenant in [
            "https://acme.eu.qlikcloud.com/oauth/token",
            "https://acme.eu.qlikcloud.com/path",
            "https://acme.eu.qlikcloud.com?x=1",
            "https://acme.eu.qlikcloud.com#top",
            "https://user:secret@acme.eu.qlikcloud.com",
            "http://acme.eu.qlikcloud.com",
            "ftp://acme.eu.qlikcloud.com",
            "acme.eu.qlikcloud.com",
            "",
        ] {
            let error = token_endpoint(tenant).unwrap_err();
            assert_eq!(error.code(), ErrorCode::OauthTenantUrl, "{tenant}");
            assert!(!error.message().contains("secret"), "{}", error.message());
        }
        let http = token_endpoint("http://acme.eu.qlikcloud.com").unwrap_err();
        assert!(http.message().contains("https://acme.eu.qlikcloud.com"));
    }
}
