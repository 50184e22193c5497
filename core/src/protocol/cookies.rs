//! A cookie jar with the rules of RFC 6265 (section 5) that a session client needs: `Domain`,
//! `Path`, `Expires`/`Max-Age` and `Secure`. `Set-Cookie` lines are parsed by the `cookie` crate.

use cookie::Cookie;
use url::{Host, Url};

use super::base_url::is_secure_context;

/// The cookies a session holds. Times are whole seconds since the epoch, given by the caller.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CookieJar {
    cookies: Vec<StoredCookie>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct StoredCookie {
    name: String,
    value: String,
    /// The host that set it (host-only) or the `Domain` attribute, lower case, no leading dot.
    domain: String,
    host_only: bool,
    path: String,
    secure: bool,
    /// `None`: kept for the session.
    expires_at: Option<i64>,
}

impl StoredCookie {
    fn same_slot(&self, other: &StoredCookie) -> bool {
        self.name == other.name && self.domain == other.domain && self.path == other.path
    }

    fn live(&self, now: i64) -> bool {
        self.expires_at.is_none_or(|at| at > now)
    }

    fn sent_to(&self, url: &Url, now: i64) -> bool {
        let Some(host) = host_of(url) else {
            return false;
        };
        let domain_ok = if self.host_only {
            host == self.domain
        } else {
            domain_matches(&host, &self.domain, url)
        };
        domain_ok
            && path_matches(url.path(), &self.path)
            && (!self.secure || is_secure_context(url))
            && self.live(now)
    }
}

impl CookieJar {
    /// An empty jar.
    pub fn new() -> Self {
        CookieJar::default()
    }

    /// Takes in one `Set-Cookie` line of an answer to `url`, received at `now`. A line that does
    /// not parse, a `Domain` the host is not in, or a `Secure` cookie from an insecure context is
    /// ignored; an expiry in the past (`Max-Age=0`) deletes the cookie of that name, domain and
    /// path.
    pub fn store(&mut self, set_cookie: &str, url: &Url, now: i64) {
        let Ok(parsed) = Cookie::parse(set_cookie) else {
            return;
        };
        let Some(host) = host_of(url) else {
            return;
        };
        let (domain, host_only) = match parsed.domain().map(|d| d.trim_start_matches('.')) {
            Some(domain) if !domain.is_empty() => {
                let domain = domain.to_ascii_lowercase();
                if !domain_matches(&host, &domain, url) {
                    return;
                }
                (domain, false)
            }
            _ => (host, true),
        };
        let path = match parsed.path() {
            Some(path) if path.starts_with('/') => path.to_owned(),
            _ => default_path(url.path()),
        };
        let secure = parsed.secure().unwrap_or(false);
        if secure && !is_secure_context(url) {
            return;
        }
        // Max-Age wins over Expires; Max-Age <= 0 means "already expired".
        let expires_at = match (parsed.max_age(), parsed.expires_datetime()) {
            (Some(max_age), _) if max_age.whole_seconds() <= 0 => Some(i64::MIN),
            (Some(max_age), _) => Some(now.saturating_add(max_age.whole_seconds())),
            (None, Some(at)) => Some(at.unix_timestamp()),
            (None, None) => None,
        };
        let cookie = StoredCookie {
            name: parsed.name().to_owned(),
            value: parsed.value().to_owned(),
            domain,
            host_only,
            path,
            secure,
            expires_at,
        };
        let slot = self.cookies.iter().position(|c| c.same_slot(&cookie));
        match (slot, cookie.live(now)) {
            // A replaced cookie keeps its place (RFC 6265 keeps its creation time).
            (Some(at), true) => self.cookies[at] = cookie,
            (Some(at), false) => {
                self.cookies.remove(at);
            }
            (None, true) => self.cookies.push(cookie),
            (None, false) => {}
        }
    }

    /// Takes in every `Set-Cookie` header among `headers` (names in any case).
    pub fn store_all(&mut self, headers: &[(String, String)], url: &Url, now: i64) {
        for (name, value) in headers {
            if name.eq_ignore_ascii_case("set-cookie") {
                self.store(value, url, now);
            }
        }
    }

    /// The `Cookie` header for a request to `url` at `now`: the cookies whose domain, path and
    /// `Secure` flag allow it, longer paths first; `None` when there are none.
    pub fn header_for(&self, url: &Url, now: i64) -> Option<String> {
        let mut sent: Vec<&StoredCookie> = self
            .cookies
            .iter()
            .filter(|c| c.sent_to(url, now))
            .collect();
        // A stable sort keeps creation order among cookies of the same path length.
        sent.sort_by_key(|c| std::cmp::Reverse(c.path.len()));
        let pairs: Vec<String> = sent
            .iter()
            .map(|c| format!("{}={}", c.name, c.value))
            .collect();
        (!pairs.is_empty()).then(|| pairs.join("; "))
    }

    /// The names of the cookies alive at `now`, in the order they were first set.
    pub fn names(&self, now: i64) -> Vec<String> {
        self.cookies
            .iter()
            .filter(|c| c.live(now))
            .map(|c| c.name.clone())
            .collect()
    }

    /// The value of the live cookie `name` at `now` (the first set, when several paths hold one).
    pub fn value(&self, name: &str, now: i64) -> Option<String> {
        self.cookies
            .iter()
            .find(|c| c.name == name && c.live(now))
            .map(|c| c.value.clone())
    }

    /// Whether no cookie is alive at `now`.
    pub fn is_empty(&self, now: i64) -> bool {
        !self.cookies.iter().any(|c| c.live(now))
    }
}

fn host_of(url: &Url) -> Option<String> {
    url.host_str().map(str::to_ascii_lowercase)
}

/// RFC 6265 5.1.3: the host is the domain, or a name under it (never an IP address).
fn domain_matches(host: &str, domain: &str, url: &Url) -> bool {
    host == domain
        || (matches!(url.host(), Some(Host::Domain(_)))
            && host.len() > domain.len()
            && host.ends_with(domain)
            && host.as_bytes()[host.len() - domain.len() - 1] == b'.')
}

/// RFC 6265 5.1.4: the directory of the request path.
fn default_path(request_path: &str) -> String {
    match request_path.rfind('/') {
        Some(0) | None => "/".to_owned(),
        Some(at) => request_path[..at].to_owned(),
    }
}

/// RFC 6265 5.1.4: the cookie path is the request path or a directory above it.
fn path_matches(request_path: &str, cookie_path: &str) -> bool {
    request_path == cookie_path
        || (request_path.starts_with(cookie_path)
            && (cookie_path.ends_with('/')
                || request_path.as_bytes().get(cookie_path.len()) == Some(&b'/')))
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000;

    fn url(text: &str) -> Url {
        Url::parse(text).unwrap()
    }

    fn jar(lines: &[&str], from: &str) -> CookieJar {
        let mut jar = CookieJar::new();
        for line in lines {
            jar.store(line, &url(from), NOW);
        }
        jar
    }

    fn header(jar: &CookieJar, to: &str) -> Option<String> {
        jar.header_for(&url(to), NOW)
    }

    #[test]
    fn path_scopes_a_cookie_to_its_directory() {
        let jar = jar(
            &[
                "root=1; Path=/",
                "api=2; Path=/api/v1",
                "other=3; Path=/api/v2",
            ],
            "https://t.example/login",
        );
        assert_eq!(
            header(&jar, "https://t.example/").as_deref(),
            Some("root=1")
        );
        assert_eq!(
            header(&jar, "https://t.example/api/v1/users").as_deref(),
            Some("api=2; root=1")
        );
        assert_eq!(
            header(&jar, "https://t.example/api/v1").as_deref(),
            Some("api=2; root=1")
        );
        // A prefix that is not a directory does not match.
        assert_eq!(
            header(&jar, "https://t.example/api/v10").as_deref(),
            Some("root=1")
        );
    }

    #[test]
    fn without_path_a_cookie_takes_the_directory_of_the_request() {
        let jar = jar(
            &["a=1", "b=2; Path=relative"],
            "https://t.example/login/jwt-session",
        );
        assert_eq!(header(&jar, "https://t.example/api").as_deref(), None);
        assert_eq!(
            header(&jar, "https://t.example/login/other").as_deref(),
            Some("a=1; b=2")
        );
        let top = jar_from_top();
        assert_eq!(
            header(&top, "https://t.example/anything").as_deref(),
            Some("a=1")
        );
    }

    fn jar_from_top() -> CookieJar {
        jar(&["a=1"], "https://t.example/login")
    }

    #[test]
    fn max_age_zero_and_a_past_expiry_delete_the_cookie() {
        let mut jar = jar(&["sid=1; Path=/", "keep=2; Path=/"], "https://t.example/");
        jar.store("sid=; Path=/; Max-Age=0", &url("https://t.example/x"), NOW);
        assert_eq!(jar.names(NOW), ["keep"]);
        jar.store(
            "keep=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
            &url("https://t.example/"),
            NOW,
        );
        assert!(jar.is_empty(NOW));
        // Deleting needs the same path: another path's cookie is another cookie.
        let mut scoped = self::jar(&["s=1; Path=/api"], "https://t.example/");
        scoped.store("s=; Path=/; Max-Age=0", &url("https://t.example/"), NOW);
        assert_eq!(scoped.names(NOW), ["s"]);
        // A negative Max-Age is an immediate expiry too.
        scoped.store("s=; Path=/api; Max-Age=-5", &url("https://t.example/"), NOW);
        assert!(scoped.is_empty(NOW));
    }

    #[test]
    fn expiry_is_judged_at_the_time_given() {
        let jar = jar(
            &[
                "short=1; Max-Age=60",
                "dated=2; Expires=Fri, 22 Jan 2027 08:00:00 GMT",
                "both=3; Max-Age=10; Expires=Fri, 01 Jan 2100 00:00:00 GMT",
                "session=4",
            ],
            "https://t.example/",
        );
        let dated = NOW + 7 * 86_400; // 2027-01-22T08:00:00Z, NOW a week earlier
        assert_eq!(jar.names(NOW), ["short", "dated", "both", "session"]);
        assert_eq!(jar.names(NOW + 10), ["short", "dated", "session"]);
        assert_eq!(jar.names(NOW + 60), ["dated", "session"]);
        assert_eq!(jar.names(dated - 1), ["dated", "session"]);
        assert_eq!(jar.names(dated), ["session"]);
        assert_eq!(
            jar.header_for(&url("https://t.example/"), NOW + 60)
                .as_deref(),
            Some("dated=2; session=4")
        );
    }

    #[test]
    fn a_replaced_cookie_keeps_its_place_with_the_new_value() {
        let mut jar = jar(&["a=1", "b=2"], "https://t.example/");
        jar.store("a=3", &url("https://t.example/"), NOW);
        assert_eq!(
            header(&jar, "https://t.example/").as_deref(),
            Some("a=3; b=2")
        );
    }

    #[test]
    fn secure_cookies_go_over_https_and_loopback_http_only() {
        let https = jar(&["s=1; Secure", "p=2"], "https://t.example/");
        assert_eq!(
            header(&https, "https://t.example/").as_deref(),
            Some("s=1; p=2")
        );
        assert_eq!(header(&https, "http://t.example/").as_deref(), Some("p=2"));

        for loopback in [
            "http://127.0.0.1:8080/",
            "http://localhost:8080/",
            "http://[::1]:8080/",
        ] {
            let local = jar(&["s=1; Secure; HttpOnly; SameSite=None; Path=/"], loopback);
            assert_eq!(
                header(&local, loopback).as_deref(),
                Some("s=1"),
                "{loopback}"
            );
        }
        // An insecure origin cannot set a Secure cookie.
        let plain = jar(&["s=1; Secure", "p=2"], "http://t.example/");
        assert_eq!(plain.names(NOW), ["p"]);
    }

    #[test]
    fn domain_cookies_reach_subdomains_and_foreign_domains_are_refused() {
        let jar = jar(
            &["d=1; Domain=.example.com", "h=2", "x=3; Domain=other.com"],
            "https://acme.example.com/",
        );
        assert_eq!(jar.names(NOW), ["d", "h"]);
        assert_eq!(
            header(&jar, "https://eu.acme.example.com/").as_deref(),
            Some("d=1")
        );
        assert_eq!(
            header(&jar, "https://www.example.com/").as_deref(),
            Some("d=1")
        );
        assert_eq!(
            header(&jar, "https://acme.example.com/").as_deref(),
            Some("d=1; h=2")
        );
        assert_eq!(header(&jar, "https://badexample.com/").as_deref(), None);
        // An IP address is never in a domain but its own.
        let ip = self::jar(&["i=1; Domain=0.0.1"], "http://127.0.0.1/");
        assert!(ip.is_empty(NOW));
    }

    #[test]
    fn lines_that_are_not_cookies_are_ignored() {
        let mut jar = jar(&["", "no-equals-sign", "=v", "ok=1"], "https://t.example/");
        jar.store_all(
            &[
                ("Set-Cookie".into(), "upper=2".into()),
                ("set-cookie".into(), "lower=3".into()),
                ("x-set-cookie".into(), "no=4".into()),
            ],
            &url("https://t.example/"),
            NOW,
        );
        assert_eq!(jar.names(NOW), ["ok", "upper", "lower"]);
    }
}
