//! `qlik-jwt virtual-proxy-config`: the JSON body of `POST /qrs/virtualproxyconfig` for a
//! client-managed JWT virtual proxy.

use serde_json::json;

use super::args::VirtualProxyConfigArgs;
use super::output::{EXIT_OK, EXIT_PROBLEMS, Failure, Out, read_file};
use super::proxy_settings::{proxy_settings, signing_key_file};
use crate::setup::{VirtualProxyConfig, certificate_from_text, key_matches};

pub(crate) fn run(args: &VirtualProxyConfigArgs, out: &mut Out<'_>) -> Result<i32, Failure> {
    let certificate_bytes = read_file(&args.cert, "certificate")?;
    let certificate_pem = String::from_utf8(certificate_bytes.clone()).map_err(|_| {
        Failure::new(
            EXIT_PROBLEMS,
            "ERR_INVALID_KEY",
            format!(
                "{} is not PEM text: the virtual proxy takes a PEM certificate",
                args.cert.display()
            ),
        )
    })?;
    let config = VirtualProxyConfig {
        prefix: args.prefix.clone(),
        description: args.description.clone(),
        session_cookie_header_name: args.session_cookie_header_name.clone(),
        certificate_pem,
        proxy: proxy_settings(&args.proxy, true)?,
        load_balancing_node_ids: args.nodes.clone(),
        websocket_origin_allow_list: args.websocket_origins.clone(),
        session_inactivity_timeout_minutes: args.session_inactivity_timeout,
    };
    let body = config.to_json_value()?;
    if let Some(key_path) = &args.key {
        let (key, _) = signing_key_file(key_path, args.passphrase_env.as_deref())?;
        let certificate = certificate_from_text(&certificate_bytes)?;
        if !key_matches(&key, &certificate)? {
            return Err(Failure::new(
                EXIT_PROBLEMS,
                "ERR_KEY_MISMATCH",
                format!(
                    "the private key {} does not belong to the certificate {}: the virtual \
                     proxy would refuse every token it signs",
                    key_path.display(),
                    args.cert.display()
                ),
            ));
        }
    }
    if out.json {
        out.json_ok(json!({ "body": body }));
    } else {
        out.line(serde_json::to_string_pretty(&body).unwrap_or_default());
        out.note(format!(
            "POST it to https://<central node>:4242/qrs/virtualproxyconfig (with an xrfkey), \
             then link the virtual proxy to a proxy service; tokens go to \
             https://<host>/{}/",
            args.prefix
        ));
    }
    Ok(EXIT_OK)
}
