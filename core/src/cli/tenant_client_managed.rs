//! `qlik-jwt tenant --profile client-managed`: the local client-managed virtual proxy
//! ([`crate::tenant::client_managed`]) from the command line.

use std::net::SocketAddr;
use std::time::Duration;

use serde_json::json;

use super::args::TenantArgs;
use super::output::{EXIT_OK, Failure, Out, read_file};
use super::proxy_settings::proxy_settings;
use crate::qlik::client_managed::VirtualProxySettings;
use crate::setup::certificate_from_text;
use crate::tenant::client_managed::{ClientManagedTenant, ClientManagedTenantConfig};

pub(crate) fn run(args: &TenantArgs, out: &mut Out<'_>) -> Result<i32, Failure> {
    refuse_cloud_flags(args)?;
    let proxy_args = &args.proxy;
    let required = |value: &Option<String>, flag: &str| {
        value
            .clone()
            .ok_or_else(|| usage(&format!("{flag} is required with --profile client-managed")))
    };
    let prefix = required(&proxy_args.prefix, "--prefix")?;
    let proxy = proxy_settings(&proxy_args.jwt, false)?;
    let path = args
        .cert
        .as_deref()
        .ok_or_else(|| usage("--cert is required with --profile client-managed"))?;
    let certificate = certificate_from_text(&read_file(path, "certificate")?)?;
    let mut config = ClientManagedTenantConfig::new(prefix, certificate, proxy);
    config.session_cookie_header_name = proxy_args.session_cookie_header_name.clone();
    if let Some(max) = proxy_args.max_parallel_sessions {
        config.max_parallel_sessions = max;
    }
    config.allowed_origins = proxy_args.allowed_origins.clone();
    config.listen = SocketAddr::from(([127, 0, 0, 1], args.port));
    let settings = config.proxy.clone();
    let max_sessions = config.max_parallel_sessions;
    let tenant = ClientManagedTenant::start(config)?;
    if out.json {
        // One line, so a script can read the URL before the proxy stops.
        let line = json!({
            "ok": true,
            "profile": "client-managed",
            "url": tenant.url(),
            "origin": tenant.origin(),
            "cookieName": tenant.cookie_name(),
        });
        out.line(line.to_string());
    } else {
        print_guide(out, &tenant, &settings, max_sessions);
    }
    let _ = out.stdout.flush();
    match args.run_for {
        Some(secs) => {
            std::thread::sleep(Duration::from_secs(secs));
            tenant.shutdown();
        }
        None => tenant.wait(),
    }
    Ok(EXIT_OK)
}

fn print_guide(
    out: &mut Out<'_>,
    tenant: &ClientManagedTenant,
    proxy: &VirtualProxySettings,
    max_sessions: u32,
) {
    let url = tenant.url();
    out.line(format!(
        "local client-managed Qlik Sense virtual proxy at {url}"
    ));
    let audience = proxy.audience.as_deref().map_or_else(
        || "no audience".to_owned(),
        |aud| format!("audience {aud:?}"),
    );
    out.line(format!(
        "  JWT: user id attribute {:?}, user directory attribute {:?}, {audience}; RS256/384/512",
        proxy.user_id_attribute, proxy.user_directory_attribute
    ));
    out.line(format!(
        "  session cookie {}; at most {max_sessions} parallel sessions per user",
        tenant.cookie_name()
    ));
    out.line("try:");
    out.line(format!(
        "  TOKEN=$(qlik-jwt sign --profile client-managed --key <private key> --user-id <id> \
         --user-directory <dir> --user-id-attribute {} --user-directory-attribute {} \
         --token-only)",
        proxy.user_id_attribute, proxy.user_directory_attribute
    ));
    out.line(format!(
        "  curl -i -H \"Authorization: Bearer $TOKEN\" {url}/qps/csrftoken   \
         (the cookie, and the qlik-csrf-token header)"
    ));
    out.line(format!(
        "  curl -H \"Cookie: {}=<id>\" {url}/qps/user",
        tenant.cookie_name()
    ));
    out.line(format!(
        "  websocket {}/app/<appId>?qlik-csrf-token=<token> with the cookie and no \
         Authorization header: OnConnected, then EngineVersion on handle -1",
        url.replacen("http:", "ws:", 1)
    ));
}

/// Refuses the Qlik Cloud tenant's flags with `--profile client-managed`.
fn refuse_cloud_flags(args: &TenantArgs) -> Result<(), Failure> {
    let given = [
        ("--demo", args.demo),
        ("--issuer", args.issuer.is_some()),
        ("--key-id", args.key_id.is_some()),
        ("--clock-tolerance", args.clock_tolerance.is_some()),
        ("--user", !args.users.is_empty()),
        ("--web-integration-id", args.web_integration_id.is_some()),
        ("--clock-offset", args.clock_offset != 0),
        ("--no-rate-limit", args.no_rate_limit),
        ("--oauth-client-id", args.oauth_client_id.is_some()),
        ("--oauth-jwk", args.oauth_jwk.is_some()),
        (
            "--oauth-token-lifetime",
            args.oauth_token_lifetime.is_some(),
        ),
    ];
    match given.iter().find(|(_, present)| *present) {
        Some((flag, _)) => Err(usage(&format!(
            "{flag} is a Qlik Cloud tenant flag: a client-managed virtual proxy takes --prefix, \
             --cert, --user-id-attribute, --user-directory-attribute and its other flags"
        ))),
        None => Ok(()),
    }
}

/// Refuses the client-managed proxy's flags without `--profile client-managed`.
pub(crate) fn refuse_proxy_flags(args: &TenantArgs) -> Result<(), Failure> {
    let proxy = &args.proxy;
    let given: Vec<(&str, bool)> = [("--prefix", proxy.prefix.is_some())]
        .into_iter()
        .chain(proxy.jwt.given().map(|(present, flag)| (flag, present)))
        .chain([
            (
                "--session-cookie-header-name",
                proxy.session_cookie_header_name.is_some(),
            ),
            (
                "--max-parallel-sessions",
                proxy.max_parallel_sessions.is_some(),
            ),
            ("--allowed-origin", !proxy.allowed_origins.is_empty()),
        ])
        .collect();
    match given.iter().find(|(_, present)| *present) {
        Some((flag, _)) => Err(usage(&format!(
            "{flag} is a client-managed virtual proxy flag: add --profile client-managed"
        ))),
        None => Ok(()),
    }
}

fn usage(message: &str) -> Failure {
    Failure::new(super::EXIT_USAGE, "ERR_USAGE", message)
}
